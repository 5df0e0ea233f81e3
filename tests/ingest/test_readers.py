"""read_csv and detect_encoding, through real files in tmp_path and the shared raw data."""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execrank.errors import InputError
from execrank.ingest._readers import ENCODINGS, Row, canonical_encoding, detect_encoding, read_csv

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
RAW = SHARED / "data" / "raw"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared raw data folder {SHARED} is not on this machine"
)

CHINESE_CONTACTS = [
    ["姓名", "职位", "公司", "城市"],
    ["张伟", "董事长", "北京华为科技有限公司", "北京"],
    ["李娜", "首席信息官", "上海浦东发展银行（股份）", "上海"],
    ["Renée Müller", "Directrice Générale", "Société Générale", "Paris"],
]
LATIN_CONTACTS = [
    ["Nom", "Poste", "Société", "Ville"],
    ["Renée Müller", "Directrice Générale", "Crédit Agricole", "Besançon"],
    ["José Muñoz", "Director de Tecnología", "Compañía Española", "Málaga"],
]
WINDOWS_CONTACTS = [  # as Excel on Windows saves them: “ ” – € are bytes 0x93 0x94 0x96 0x80
    ["Name", "Title", "Note"],
    ["Renée Müller", "CEO – Founder", "“Quote” me"],
    ["José Muñoz", "CFO", "budget 5 000 €"],
]
# encoding written -> (contacts it can represent, encoding detection must report)
ROUND_TRIPS = {
    "utf-8": (CHINESE_CONTACTS, "utf-8"),
    "utf-8-sig": (CHINESE_CONTACTS, "utf-8-sig"),
    "utf-16": (CHINESE_CONTACTS, "utf-16"),
    "gb18030": (CHINESE_CONTACTS, "gb18030"),
    "gbk": (CHINESE_CONTACTS, "gb18030"),  # é and ü are GBK (and GB2312) pinyin letters
    "cp1252": (WINDOWS_CONTACTS, "cp1252"),
    "windows-1252": (WINDOWS_CONTACTS, "cp1252"),
    "latin-1": (LATIN_CONTACTS, "latin-1"),  # no byte in 0x80-0x9f: nothing says cp1252
}
ACCEPTED = "utf-8|utf-8-sig|utf-16|gb18030|big5|cp1252|latin-1"


def write_table(path: Path, rows: list[list[str]], encoding: str) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def expected_rows(rows: list[list[str]]) -> tuple[Row, ...]:
    header, *data = rows
    return tuple(
        Row(number, dict(zip(header, cells, strict=True)))
        for number, cells in enumerate(data, start=2)
    )


# --- encodings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ROUND_TRIPS)
def test_each_encoding_round_trips_with_detection(tmp_path: Path, written: str) -> None:
    rows, detected = ROUND_TRIPS[written]
    table = read_csv(write_table(tmp_path / "contacts.csv", rows, written))
    assert table.encoding == detected
    assert table.header == tuple(rows[0])
    assert table.rows == expected_rows(rows)


@pytest.mark.parametrize("written", ROUND_TRIPS)
def test_each_encoding_round_trips_when_named(tmp_path: Path, written: str) -> None:
    rows, _ = ROUND_TRIPS[written]
    table = read_csv(write_table(tmp_path / "contacts.csv", rows, written), encoding=written)
    assert table.encoding == canonical_encoding(written)
    assert table.rows == expected_rows(rows)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"\xef\xbb\xbfname\n", "utf-8-sig"),
        (b"\xff\xfen\x00\n\x00", "utf-16"),
        (b"\xfe\xff\x00n\x00\n", "utf-16"),
        (b"name,title\nAda,CEO\n", "utf-8"),
        ("董事长,首席信息官,北京".encode("gbk"), "gb18030"),
        ("Société Générale,".encode("latin-1"), "latin-1"),  # é followed by "," is invalid GBK
        # every é/ü/ä here is followed by a letter, so this decodes as GB18030 too, but into rare
        # ideographs outside GB2312 (J黵gen M黮ler), not the characters Chinese text is made of
        ("Jürgen Müller,Geschäftsführer\n".encode("latin-1"), "latin-1"),
        (b"\x93Quote\x94,CEO \x96 Founder\n", "cp1252"),  # “Quote”,CEO – Founder
        (b"Price\n5 \x80\n", "cp1252"),  # 5 €
        (b"Street\nSan Romualdo 5\xba\n", "latin-1"),  # º is the same byte in both: Latin-1
        # 0x81 is not a cp1252 character, so these bytes are Latin-1 with a control character
        (b"\x93Quote\x81\n", "latin-1"),
    ],
)
def test_detect_encoding(data: bytes, encoding: str) -> None:
    assert detect_encoding(data) == encoding


def test_bytes_reading_as_chinese_and_as_latin1_alike_ask_for_the_encoding(
    tmp_path: Path,
) -> None:
    # Latin-1 "ção" is bytes e7 e3 6f: e7e3 is the common ideograph 玢 in GB2312, while "são"
    # (e3 6f) reads as a rare one outside it: half the non-ASCII characters look Chinese
    path = write_text(tmp_path / "accounts.csv", "Setor,Cidade\nInformação,São Paulo\n", "latin-1")
    with pytest.raises(InputError) as raised:
        read_csv(path)
    assert str(raised.value) == (
        f"{path}: cannot tell the encoding: not UTF-8, and it reads as Chinese (gb18030, 50% of "
        "its non-ASCII characters common Chinese ones) about as well as latin-1; "
        "pass --encoding gb18030 or --encoding latin-1"
    )
    named = read_csv(path, encoding="latin-1")
    assert named.rows[0].values == {"Setor": "Informação", "Cidade": "São Paulo"}


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("UTF8", "utf-8"),
        ("utf_8_sig", "utf-8-sig"),
        ("gbk", "gb18030"),
        ("GB2312", "gb18030"),
        ("cp1252", "cp1252"),
        ("Windows-1252", "cp1252"),
        ("win_1252", "cp1252"),
        ("ISO-8859-1", "latin-1"),
        ("latin1", "latin-1"),
    ],
)
def test_encoding_aliases(tmp_path: Path, alias: str, canonical: str) -> None:
    path = write_text(tmp_path / "contacts.csv", "name\nAda\n")
    assert read_csv(path, encoding=alias).encoding == canonical


def test_unknown_encoding_lists_the_accepted_names(tmp_path: Path) -> None:
    path = write_text(tmp_path / "contacts.csv", "name\nAda\n")
    with pytest.raises(InputError) as raised:
        read_csv(path, encoding="ebcdic")
    assert str(raised.value) == (
        f"{path}: unknown encoding 'ebcdic'; use one of utf-8, utf-8-sig, utf-16, gb18030, big5, "
        "cp1252, latin-1"
    )


def test_undecodable_bytes_name_the_file_byte_and_offset(tmp_path: Path) -> None:
    path = write_text(tmp_path / "contacts.csv", "name\nRenée\n", "latin-1")
    with pytest.raises(InputError) as raised:
        read_csv(path, encoding="utf-8")
    # "name\n" is 5 bytes and "Ren" 3 more, so é (0xe9) is at offset 8
    assert str(raised.value) == (
        f"{path}: cannot decode as utf-8 (byte 0xe9 at offset 8); pass --encoding {ACCEPTED}"
    )


def test_windows_quotes_and_dashes_are_not_control_characters(tmp_path: Path) -> None:
    path = write_text(tmp_path / "contacts.csv", "name,title\n“Ada”,CEO – Founder\n", "cp1252")
    assert path.read_bytes().count(b"\x93") == 1  # really the bytes Excel writes
    table = read_csv(path)
    assert (table.encoding, table.rows) == (
        "cp1252",
        (Row(2, {"name": "“Ada”", "title": "CEO – Founder"}),),
    )


def test_latin1_bytes_read_as_windows_1252_when_named(tmp_path: Path) -> None:
    # without 0x80-0x9f the two encodings agree: ñ is 0xf1 in both
    path = write_text(tmp_path / "contacts.csv", "name\nJosé Muñoz\n", "latin-1")
    assert read_csv(path).encoding == "latin-1"
    table = read_csv(path, encoding="windows-1252")
    assert (table.encoding, table.rows) == ("cp1252", (Row(2, {"name": "José Muñoz"}),))


def test_bom_is_removed_from_the_header_even_when_read_as_plain_utf8(tmp_path: Path) -> None:
    path = write_text(tmp_path / "contacts.csv", "name,title\nAda,CEO\n", "utf-8-sig")
    assert read_csv(path, encoding="utf-8").header == ("name", "title")


# --- files that are not text --------------------------------------------------------------------

PNG_START = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
XLSX_START = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00b\xee\x9dh^\x01\x00\x00"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.png", PNG_START),
        ("accounts.csv", XLSX_START + b"[Content_Types].xml"),  # a workbook renamed .csv
        ("contacts.csv", b"name\nAda\n\x00\x00\x00\x00"),  # text padded with NULs
        ("random.csv", random.Random(1842).randbytes(4096)),
    ],
)
def test_a_file_with_nul_bytes_is_not_a_text_csv_file(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as raised:
        read_csv(path)
    assert str(raised.value) == (
        f"{path}: not a text CSV file (it contains NUL bytes, so it looks binary, like an .xlsx "
        "workbook or an image); export the sheet as CSV"
    )


def test_a_file_of_control_characters_is_not_a_text_csv_file(tmp_path: Path) -> None:
    # 10 letters, then 8 C0 (0x01-0x08) and 12 C1 (0x80-0x8b) controls: 20 / 30 = 67%
    data = b"headerline" + bytes(range(1, 9)) + bytes(range(0x80, 0x8C))
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as raised:
        read_csv(path)
    assert str(raised.value) == (
        f"{path}: not a text CSV file (67% of its characters are control characters, so it looks "
        "binary, like an .xlsx workbook or an image); export the sheet as CSV"
    )


def test_a_few_control_characters_do_not_make_a_file_binary(tmp_path: Path) -> None:
    # 0x81 is not cp1252, so this reads as Latin-1 with one control character in 17
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"name\nRen\x81e M\xfcller\n")
    table = read_csv(path)
    assert (table.encoding, table.rows) == ("latin-1", (Row(2, {"name": "Ren\x81e Müller"}),))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_zero_bytes_are_not_mistaken_for_binary(tmp_path: Path, encoding: str) -> None:
    # "n" is b"n\x00" in UTF-16-LE and b"\x00n" in -BE: half the bytes of ASCII text are zero.
    # These codecs write no BOM, so it is written by hand, as Excel's "Unicode text" does.
    path = write_text(tmp_path / "contacts.csv", "\ufeffname,title\r\nAda,CEO\r\n", encoding)
    assert b"\x00" in path.read_bytes()
    table = read_csv(path)
    assert (table.encoding, table.rows) == ("utf-16", (Row(2, {"name": "Ada", "title": "CEO"}),))


# --- delimiters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("name;title;company\nAda;CEO;Acme, Inc.\n", ";"),
        ("name\ttitle\nAda\tCEO, CFO\n", "\t"),
        ("name|title\nAda|CEO\n", "|"),
        ('"Name, full";title;company\nAda;CEO;Acme\n', ";"),  # the quoted comma does not count
        ("name\nAda\n", ","),
    ],
)
def test_delimiter_is_the_most_frequent_on_the_header_line(
    tmp_path: Path, text: str, delimiter: str
) -> None:
    assert read_csv(write_text(tmp_path / "contacts.csv", text)).delimiter == delimiter


def test_tsv_files_are_tab_separated_whatever_the_header_holds(tmp_path: Path) -> None:
    table = read_csv(write_text(tmp_path / "titles.tsv", "Position, level\tArea\nCEO\tC-suite\n"))
    assert table.delimiter == "\t"
    assert table.header == ("Position, level", "Area")


# --- rows ----------------------------------------------------------------------------------------


def test_row_numbers_match_the_spreadsheet(tmp_path: Path) -> None:
    text = (
        "name,note\r\n"  # row 1
        'Ada,"first line\r\nsecond line"\r\n'  # row 2, over two lines
        "\r\n"  # row 3: blank, skipped
        ",,\r\n"  # row 4: only empty cells, skipped
        "  Grace  , hired \r\n"  # row 5
        "Linus,no newline at the end"  # row 6
    )
    table = read_csv(write_text(tmp_path / "contacts.csv", text))
    assert table.rows == (
        Row(2, {"name": "Ada", "note": "first line\r\nsecond line"}),
        Row(5, {"name": "Grace", "note": "hired"}),
        Row(6, {"name": "Linus", "note": "no newline at the end"}),
    )


def test_trailing_comma_header_drops_the_empty_column(tmp_path: Path) -> None:
    text = "Prospect ID,Lead Number,\r\nabc-1,660737,\r\n"  # as Leads.csv ends every line
    table = read_csv(write_text(tmp_path / "Leads.csv", text))
    assert table.header == ("Prospect ID", "Lead Number")
    assert table.rows == (Row(2, {"Prospect ID": "abc-1", "Lead Number": "660737"}),)


def test_short_rows_are_padded_and_nonempty_extra_cells_kept_apart(tmp_path: Path) -> None:
    text = "name,title,email\nAda\nGrace,CTO,g@x.io,,\nLinus,CEO,l@x.io,oops,,again\n"
    table = read_csv(write_text(tmp_path / "contacts.csv", text))
    assert table.rows == (
        Row(2, {"name": "Ada", "title": "", "email": ""}),
        Row(3, {"name": "Grace", "title": "CTO", "email": "g@x.io"}),
        Row(
            4,
            {
                "name": "Linus",
                "title": "CEO",
                "email": "l@x.io",
                "(extra 1)": "oops",
                "(extra 3)": "again",
            },
        ),
    )


# --- files that cannot be read -------------------------------------------------------------------


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "contacts.csv"
    with pytest.raises(InputError) as raised:
        read_csv(path)
    assert str(raised.value) == f"{path}: no such file"


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file"):
        read_csv(tmp_path)


@pytest.mark.parametrize("text", ["", "  \r\n\r\n"])
def test_empty_file_is_an_error(tmp_path: Path, text: str) -> None:
    path = write_text(tmp_path / "contacts.csv", text)
    with pytest.raises(InputError) as raised:
        read_csv(path)
    assert str(raised.value) == (
        f"{path}: the file is empty; expected a header row naming the columns"
    )


def test_a_blank_first_row_means_no_header(tmp_path: Path) -> None:
    path = write_text(tmp_path / "contacts.csv", ",,\nAda,CEO,Acme\n")
    with pytest.raises(InputError) as raised:
        read_csv(path)
    assert str(raised.value) == f"{path}: row 1 is empty; expected a header row naming the columns"


def test_duplicate_header_names_the_file_and_column(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "contacts.csv", "Name,Email,Title, Email \nAda,a@x.io,CEO,b@x.io\n"
    )
    with pytest.raises(InputError) as raised:
        read_csv(path)
    assert str(raised.value) == (
        f'{path}: column "Email" appears twice in the header (columns 2 and 4); rename one'
    )


def test_unnamed_column_in_the_header_is_an_error(tmp_path: Path) -> None:
    path = write_text(tmp_path / "contacts.csv", ",Name,Title\n0,Ada,CEO\n")  # a pandas index
    with pytest.raises(InputError) as raised:
        read_csv(path)
    assert str(raised.value) == f"{path}: column 1 of the header is empty; name every column"


def test_unclosed_quote_names_the_row(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "contacts.csv", 'name,note\nAda,fine\nGrace,"never closed\nLinus,x\n'
    )
    with pytest.raises(InputError) as raised:
        read_csv(path)
    assert str(raised.value) == (
        f"{path}, row 3: malformed CSV (unexpected end of data); check the quotes in this row"
    )


# --- the shared raw files ------------------------------------------------------------------------


@needs_shared
def test_salesforce_accounts_are_latin1() -> None:
    table = read_csv(RAW / "crm_export_formats" / "salesforce_dataloader_accountData.csv")
    assert (table.encoding, table.delimiter, len(table.header)) == ("latin-1", ",", 38)
    by_number = {row.number: row.values for row in table.rows}
    assert by_number[72]["BILLINGSTREET"] == "00045844 c/ San Romualdo, 26 5º"  # byte 0xba
    assert by_number[87]["NAME"] == "Crédito Inmobiliario Terras"


@needs_shared
def test_financial_phrasebank_is_cp1252() -> None:
    # its bytes 0x88 0x8b 0x93 0x97 are ˆ ‹ “ and an em dash in cp1252, controls in Latin-1
    table = read_csv(RAW / "intent_signals" / "financial_phrasebank_all-data.csv")
    assert (table.encoding, table.header, len(table.rows)) == (
        "cp1252",
        ("result", "content"),
        4846,
    )
    contents = "".join(row.values["content"] for row in table.rows)
    assert not any("\x80" <= char <= "\x9f" for char in contents)


@needs_shared
def test_tushare_basics_are_utf8_with_bom() -> None:
    table = read_csv(RAW / "cn_companies" / "tushare_stock_basics_2018.csv")
    assert (table.encoding, table.header[:3]) == ("utf-8-sig", ("code", "name", "industry"))
    first = table.rows[0]
    assert (first.number, first.values["name"], first.values["area"]) == (2, "科迪乳业", "河南")


@needs_shared
def test_tushare_basics_reencoded_as_gbk_are_detected(tmp_path: Path) -> None:
    text = (RAW / "cn_companies" / "tushare_stock_basics_2018.csv").read_text("utf-8-sig")
    table = read_csv(write_text(tmp_path / "basics.csv", text, "gbk"))
    assert (table.encoding, table.rows[0].values["name"]) == ("gb18030", "科迪乳业")


@needs_shared
def test_leads_trailing_comma_column_is_dropped() -> None:
    table = read_csv(RAW / "lead_scoring_x_education" / "Leads.csv")
    assert (table.header[0], table.header[-1], len(table.header)) == (
        "Prospect ID",
        "Last Notable Activity",
        37,
    )
    assert len(table.rows) == 9240
    assert not any(key.startswith("(extra") for row in table.rows for key in row.values)


@needs_shared
def test_rootstrap_tsv_is_tab_separated() -> None:
    table = read_csv(RAW / "job_titles_labeled" / "rootstrap_titles_by_level.tsv")
    assert (table.delimiter, table.header) == ("\t", ("Position", "Classification"))


# --- property: any table written with csv.writer reads back --------------------------------------

WRITTEN_AS = ("utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk", "cp1252", "latin-1")
SELF_EVIDENT = ("utf-8", "utf-8-sig", "utf-16")  # a BOM or valid UTF-8 leaves no doubt
NARROW_CODECS = {"latin-1": 0xFF, "cp1252": 0xFFFF, "gbk": 0xFFFF}
"""Codecs that cannot write every character, and the highest code point any of them can."""
TEXT_CONTROLS = "\t\r\n"  # the only control characters text holds; read_csv rejects the rest
NOT_IN_NAMES = ";|\ufeff"  # csv.writer quotes commas but not these rival delimiters; a BOM


@cache
def encodable(encoding: str, *, name: bool) -> tuple[str, ...]:
    """Text characters ``encoding`` writes and reads back; with ``name``, those a name may hold."""

    def survives(char: str) -> bool:
        try:
            return char.encode(encoding).decode(canonical_encoding(encoding)) == char
        except UnicodeError:
            return False

    chars = (chr(code) for code in range(NARROW_CODECS[encoding] + 1))
    text = (char for char in chars if char in TEXT_CONTROLS or unicodedata.category(char) != "Cc")
    if name:
        text = (char for char in text if not char.isspace() and char not in NOT_IN_NAMES)
    return tuple(char for char in text if survives(char))


def alphabet(encoding: str, *, name: bool = False) -> st.SearchStrategy[str]:
    """Characters ``encoding`` can hold, drawn from a list or by category, never filtered.

    No control characters but tab, CR and LF. A ``name`` alphabet (the words of header names) also
    leaves out whitespace and NOT_IN_NAMES, so nothing misleads the delimiter sniffer.
    """
    if encoding in NARROW_CODECS:
        return st.sampled_from(encodable(encoding, name=name))
    if name:  # every whitespace character is in one of these categories
        return st.characters(
            exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), exclude_characters=NOT_IN_NAMES
        )
    return st.characters(exclude_categories=("Cc", "Cs"), include_characters=TEXT_CONTROLS)


@st.composite
def tables(draw: st.DrawFn, encoding: str) -> list[list[str]]:
    # header names: non-empty and already stripped, because built from words joined by a space
    words = st.text(alphabet(encoding, name=True), min_size=1, max_size=3)
    names = st.lists(words, min_size=1, max_size=2).map(" ".join)
    header = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    cells = st.text(alphabet(encoding), max_size=8)
    rows = draw(st.lists(st.lists(cells, min_size=len(header), max_size=len(header)), max_size=5))
    return [header, *rows]


def read_back(rows: list[list[str]]) -> tuple[Row, ...]:
    header, *data = rows
    stripped = (
        (number, [cell.strip() for cell in cells]) for number, cells in enumerate(data, start=2)
    )
    return tuple(
        Row(number, dict(zip(header, cells, strict=True)))
        for number, cells in stripped
        if any(cells)
    )


@pytest.mark.parametrize("encoding", WRITTEN_AS)
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_table_round_trips(tmp_path: Path, encoding: str, data: st.DataObject) -> None:
    rows = data.draw(tables(encoding))
    path = write_table(tmp_path / "table.csv", rows, encoding)
    named = read_csv(path, encoding=encoding)
    assert (named.header, named.rows) == (tuple(rows[0]), read_back(rows))
    if encoding in SELF_EVIDENT:
        detected = read_csv(path)
        assert (detected.encoding, detected.rows) == (encoding, named.rows)


@given(text=st.text(alphabet("cp1252")))
def test_windows_text_detected_as_cp1252_or_latin1_reads_back_unchanged(text: str) -> None:
    # with a byte in 0x80-0x9f detection must say cp1252; without one Latin-1 reads the same
    # (or, when the bytes read as well as Chinese or as UTF-8 in places, ask for --encoding)
    data = text.encode("cp1252")
    try:
        detected = detect_encoding(data)
    except InputError as unsure:
        assert "pass --encoding" in str(unsure)
        return
    if detected in ("cp1252", "latin-1"):
        assert data.decode(detected) == text


ACCENTED = "éüñç"  # in cp1252 each is a byte that starts a longer UTF-8 sequence: never valid
name_with_accent = st.text(st.sampled_from("abcXYZ " + ACCENTED), min_size=1, max_size=6).map(
    lambda name: name + ACCENTED[0]
)


@given(names=st.lists(name_with_accent, min_size=1, max_size=6), data=st.data())
def test_a_utf8_file_with_a_row_in_cp1252_names_that_row(
    names: list[str], data: st.DataObject
) -> None:
    bad = data.draw(st.integers(min_value=0, max_value=len(names) - 1))
    lines = [("prénom\n").encode()] + [
        (name + "\n").encode("cp1252" if index == bad else "utf-8")
        for index, name in enumerate(names)
    ]
    with pytest.raises(InputError, match=rf"^x.csv: row {bad + 2} is not UTF-8 .*--encoding"):
        detect_encoding(b"".join(lines), "x.csv")


def test_encodings_constant_is_what_the_cli_accepts() -> None:
    assert ENCODINGS == ("utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", "cp1252", "latin-1")

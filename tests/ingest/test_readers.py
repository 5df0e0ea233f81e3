"""read_csv and detect_encoding, through real files in tmp_path and the shared raw data."""

from __future__ import annotations

import csv
import io
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
# encoding written -> (contacts it can represent, encoding detection must report)
ROUND_TRIPS = {
    "utf-8": (CHINESE_CONTACTS, "utf-8"),
    "utf-8-sig": (CHINESE_CONTACTS, "utf-8-sig"),
    "utf-16": (CHINESE_CONTACTS, "utf-16"),
    "gb18030": (CHINESE_CONTACTS, "gb18030"),
    "gbk": (CHINESE_CONTACTS, "gb18030"),  # é and ü are GBK (and GB2312) pinyin letters
    "latin-1": (LATIN_CONTACTS, "latin-1"),
}
ACCEPTED = "utf-8|utf-8-sig|utf-16|gb18030|latin-1"


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
    ],
)
def test_detect_encoding(data: bytes, encoding: str) -> None:
    assert detect_encoding(data) == encoding


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("UTF8", "utf-8"),
        ("utf_8_sig", "utf-8-sig"),
        ("gbk", "gb18030"),
        ("GB2312", "gb18030"),
        ("cp1252", "latin-1"),
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
        "unknown encoding 'ebcdic'; use one of utf-8, utf-8-sig, utf-16, gb18030, latin-1"
    )


def test_undecodable_bytes_name_the_file_byte_and_offset(tmp_path: Path) -> None:
    path = write_text(tmp_path / "contacts.csv", "name\nRenée\n", "latin-1")
    with pytest.raises(InputError) as raised:
        read_csv(path, encoding="utf-8")
    # "name\n" is 5 bytes and "Ren" 3 more, so é (0xe9) is at offset 8
    assert str(raised.value) == (
        f"{path}: cannot decode as utf-8 (byte 0xe9 at offset 8); pass --encoding {ACCEPTED}"
    )


def test_bom_is_removed_from_the_header_even_when_read_as_plain_utf8(tmp_path: Path) -> None:
    path = write_text(tmp_path / "contacts.csv", "name,title\nAda,CEO\n", "utf-8-sig")
    assert read_csv(path, encoding="utf-8").header == ("name", "title")


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
def test_financial_phrasebank_is_latin1() -> None:
    table = read_csv(RAW / "intent_signals" / "financial_phrasebank_all-data.csv")
    assert (table.encoding, table.header, len(table.rows)) == (
        "latin-1",
        ("result", "content"),
        4846,
    )


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

WRITTEN_AS = ("utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk", "latin-1")
SELF_EVIDENT = ("utf-8", "utf-8-sig", "utf-16")  # a BOM or valid UTF-8 leaves no doubt
MAX_CODEPOINTS = {"latin-1": 0xFF, "gbk": 0xFFFF}  # so that filtering rejects few characters


def representable(encoding: str) -> st.SearchStrategy[str]:
    """Characters that survive being written in ``encoding`` and read back as its canonical one."""

    def survives(char: str) -> bool:
        try:
            return char.encode(encoding).decode(canonical_encoding(encoding)) == char
        except UnicodeError:
            return False

    return st.characters(max_codepoint=MAX_CODEPOINTS.get(encoding)).filter(survives)


@st.composite
def tables(draw: st.DrawFn, encoding: str) -> list[list[str]]:
    chars = representable(encoding)
    # header names: non-empty, already stripped, without a BOM or a rival delimiter to mislead
    # the sniffer (csv.writer quotes commas but not ; tab or |)
    name_chars = chars.filter(lambda char: char not in ";\t|\ufeff")
    names = st.text(name_chars, min_size=1, max_size=6).filter(lambda name: name == name.strip())
    header = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    cells = st.text(chars, max_size=8)
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


def test_encodings_constant_is_what_the_cli_accepts() -> None:
    assert ENCODINGS == ("utf-8", "utf-8-sig", "utf-16", "gb18030", "latin-1")

"""Read a CSV (or TSV) file in any of the accepted encodings into numbered rows of stripped text.

Decisions a caller can rely on:

- Row numbers are what a spreadsheet shows: the header is row 1, the first data row is row 2, a
  quoted cell spanning several lines still counts as one row, and a blank row (nothing but
  whitespace or empty cells, like ``,,,``) is skipped but still uses up its number.
- A row with fewer cells than the header gets ``""`` for the missing ones. A row with more cells
  keeps every non-empty extra cell under ``"(extra N)"`` (N counts from the first cell past the
  header), so the importer can reject it; empty extra cells (trailing commas) are dropped.
- Quoting is strict: a quote that is never closed or text right after a closing quote is an
  ``InputError`` naming the row, instead of silently swallowing the rest of the file.
- A file that is not text (an .xlsx workbook, an image: NUL characters, or mostly control
  characters, once decoded) is an ``InputError`` saying so, before any column is looked for.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from execrank.errors import InputError

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", "cp1252", "latin-1")
"""The encodings ``--encoding`` accepts, by their canonical names."""

ENCODING_ALIASES = {
    "utf8": "utf-8",
    "utf8-sig": "utf-8-sig",
    "utf16": "utf-16",
    "gbk": "gb18030",  # gb18030 is a superset of GBK and GB2312
    "gb2312": "gb18030",
    "windows-1252": "cp1252",
    "win-1252": "cp1252",
    "iso-8859-1": "latin-1",
    "latin1": "latin-1",
}
"""Other spellings people pass to ``--encoding`` (compared case-insensitively, ``_`` as ``-``)."""

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

CHINESE_SHARE_FOR_GB18030 = 0.9
"""Share of non-ASCII characters that must be in GB2312 for bytes to count as GB18030.

GB2312 holds the common Chinese characters plus the punctuation, fullwidth forms and pinyin letters
(é, ü) Chinese text uses; real Chinese files are nearly all GB2312 (the shared Tushare and lemonhu
files: over 99.9%). Latin-1 text often decodes as GB18030 too, because an accented letter
followed by an ASCII letter is a valid two-byte GBK sequence ("Müller" -> "M黮ler"), but those
pairs decode to rare ideographs outside GB2312: German or Portuguese names score 10-50%.
"""

CHINESE_SHARE_UNSURE = 0.5
"""From this share up to CHINESE_SHARE_FOR_GB18030 the bytes read about as well as Chinese text
as they do as Western text: detection refuses to guess and asks for ``--encoding``."""

BIG5_COMMON = (0xA140, 0xC67E)
"""Big5's punctuation and its 5,401 frequently used characters (level 1), as two-byte codes. Big5
is detected like GB18030: when at least CHINESE_SHARE_FOR_GB18030 of the non-ASCII characters are
in this range, the bytes read as Chinese text in Big5."""

CHINESE_CHARACTERS_FOR_SURE = 10
"""Fewer non-ASCII characters than this do not settle a Chinese encoding: nearly any pair of
bytes is a character in both GBK and Big5, and each character of one reads as a common one of the
other about half the time (the Big5 "總經理" is three GB2312 characters one time in eight), so a
short file is as likely one as the other; detection asks for ``--encoding``."""

WESTERN_SHARE_FOR_SURE = 0.9
"""Share of non-ASCII characters (control characters aside) that must be letters or
WESTERN_PUNCTUATION for bytes to read as Western (cp1252 or Latin-1) text. Accented names are
letters; Chinese bytes read as Latin-1 are half symbols (Big5 "總經理" reads "Á`¸g²z")."""

WESTERN_PUNCTUATION = bytes(range(0x80, 0xA0)).decode("cp1252", "ignore") + "£¥¢©®°«»¿¡§·\u00a0"
"""Non-letters Western text holds often: cp1252's own characters (quotes, dashes, €, ™, ‹ ›),
currency, © ® ° « » ¿ ¡ § ·, the no-break space."""

WINDOWS_1252_ONLY_BYTE = re.compile(rb"[\x80-\x9f]")
"""The bytes that hold cp1252's “ ” – — € ™ … but are C1 control characters in Latin-1.

Excel on Windows saves "CSV" in cp1252. Without one of these bytes the two decode identically, so
such a file is reported as Latin-1; with one, cp1252 is the only reading that gives text.
"""

CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters no text file holds: C0 (but tab, LF and CR), DEL and C1."""

CONTROL_SHARE_FOR_BINARY = 0.1
"""Share of decoded characters that may be control characters before the file counts as binary.

Random bytes read as Latin-1 are about a quarter control characters (62 of the 256 byte values are);
text has next to none: even cp1252 read as Latin-1, where every curly quote and dash becomes one,
stays far below (the shared financial phrasebank: 21 in 672,022 characters).
"""

DELIMITERS = (",", ";", "\t", "|")
"""Delimiters the sniffer chooses among."""

DELIMITER_NAMES = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|"}
"""Words ``--delimiter`` accepts besides the character itself (a shell makes a tab hard to type)."""

SNIFFED_RECORDS = 50
"""Records read to settle which delimiter the header's candidates agree with the data."""

LARGEST_CELL_CHARACTERS = 10 * 2**20
"""The longest cell read (10 Mi characters); a longer one is an InputError naming its row,
column and size. Python's csv module stops at 128 Ki characters by default, which a pasted
e-mail thread or a notes field exceeds; this module raises that limit when it is imported."""
csv.field_size_limit(LARGEST_CELL_CHARACTERS)

QUOTE = '"'
EXTRA_CELL_PREFIX = "(extra "
EXTRA_CELL_KEY = EXTRA_CELL_PREFIX + "{})"
"""The key of a cell beyond the header's columns; such keys come last in a Row's values."""
BYTE_ORDER_MARK = "\ufeff"
UNSAVED_FORMULA = (
    "is a formula with no saved value; open and save the file in Excel, or paste values"
)
"""Why a workbook cell whose formula has no saved value is rejected: its value is unknown (a
program such as openpyxl wrote the formula without computing it), not blank."""


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its row number, its cells by header name, and why it could not be read
    whole (a JSON Lines line that is not a JSON object), if so."""

    number: int
    values: dict[str, str]
    problem: str | None = None


@dataclass(frozen=True)
class Table:
    """A whole file: where it came from, how it was decoded and split, its header and rows."""

    path: Path
    encoding: str
    delimiter: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    unsaved_formulas: tuple[tuple[int, str, str], ...] = ()
    """(row, column, formula) of each workbook cell holding a formula with no saved value (a
    workbook written by a program, not saved by Excel): its cell in `rows` is blank, though its
    value is not known to be."""

    def refuse_unsaved_formulas(self) -> None:
        """InputError naming the first cell holding a formula with no saved value, and how many
        more there are: for a caller that writes every cell back and has no rejected-rows
        report to put the row in."""
        if self.unsaved_formulas:
            row, column, formula = self.unsaved_formulas[0]
            more = len(self.unsaved_formulas) - 1
            also = f" (and {more} more such cells)" if more else ""
            raise InputError(
                f"{self.path.name}, row {row}, column {column!r}: {formula!r} "
                f"{UNSAVED_FORMULA}{also}"
            )


def canonical_encoding(name: str) -> str:
    """Return the one of ENCODINGS that ``name`` (or an alias of it) means; InputError if none."""
    key = name.strip().lower().replace("_", "-")
    canonical = ENCODING_ALIASES.get(key, key)
    if canonical not in ENCODINGS:
        raise InputError(f"unknown encoding {name!r}; use one of {', '.join(ENCODINGS)}")
    return canonical


def detect_encoding(data: bytes, source: str = "the data") -> str:
    """Guess which of ENCODINGS ``data`` is in: BOM, strict UTF-8, else the one of GB18030, Big5
    and cp1252 or Latin-1 its characters read as (see the shares above).

    InputError naming ``source`` and asking for ``--encoding`` when unsure: bytes that are UTF-8
    but for some rows (naming the first bad row and byte offset), that read as Chinese about as
    well as Western, that read plausibly in none or more than one of those encodings, or that
    hold too few characters to tell GBK from Big5 (CHINESE_CHARACTERS_FOR_SURE).
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith(UTF16_BOMS):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        if _has_utf8_line(data):
            row = 1 + sum(part.count(b"\n") for part in data[: error.start].split(b'"')[::2])
            raise InputError(
                f"{source}: row {row} is not UTF-8 (byte 0x{data[error.start]:02x} at offset "
                f"{error.start}) though other rows are: the file mixes encodings; save it as "
                "UTF-8, or pass --encoding when it is all in one other encoding"
            ) from None
        return _legacy_encoding(data, source)
    return "utf-8"


def _has_utf8_line(data: bytes) -> bool:
    """Whether a line of non-UTF-8 bytes holds non-ASCII text that is valid UTF-8."""
    for line in data.splitlines():
        if not line.isascii():
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            return True
    return False


def _legacy_encoding(data: bytes, source: str) -> str:
    """The one encoding (GB18030, Big5, cp1252 or Latin-1) bytes that are not UTF-8 read as
    plausibly; InputError naming ``source`` when that is not exactly one."""
    share = _chinese_share(data, "gb18030", _in_gb2312)
    western = "cp1252" if _looks_windows_1252(data) else "latin-1"
    if CHINESE_SHARE_UNSURE <= share < CHINESE_SHARE_FOR_GB18030:
        raise InputError(
            f"{source}: cannot tell the encoding: not UTF-8, and it reads as Chinese "
            f"(gb18030, {share:.0%} of its non-ASCII characters common Chinese ones) about "
            f"as well as {western}; pass --encoding gb18030 or --encoding {western}"
        )
    readings = {
        "gb18030": share >= CHINESE_SHARE_FOR_GB18030,
        "big5": _chinese_share(data, "big5", _in_big5_common) >= CHINESE_SHARE_FOR_GB18030,
        western: _western_share(data.decode(western)) >= WESTERN_SHARE_FOR_SURE,
    }
    plausible = [name for name, reads in readings.items() if reads]
    if not plausible:
        _check_is_text(source, data.decode(western))  # say it is binary, when it is
    elif plausible == [western]:
        return western
    if len(plausible) == 1:
        found = sum(1 for char in data.decode(plausible[0]) if not char.isascii())
        if found >= CHINESE_CHARACTERS_FOR_SURE:
            return plausible[0]
        why = f"its {found} non-ASCII characters are too few to tell GBK from Big5"
    elif plausible:
        why = f"it reads as {' and as '.join(plausible)} alike"
    else:
        why = f"it reads as text in none of {', '.join(readings)}"
    raise InputError(
        f"{source}: cannot tell the encoding: not UTF-8, and {why}; pass --encoding gb18030 or "
        f"--encoding big5 or --encoding {western}"
    )


def _looks_windows_1252(data: bytes) -> bool:
    if WINDOWS_1252_ONLY_BYTE.search(data) is None:
        return False
    try:
        data.decode("cp1252")  # strict: 0x81, 0x8d, 0x8f, 0x90 and 0x9d are not cp1252
    except UnicodeDecodeError:
        return False
    return True


def _chinese_share(data: bytes, encoding: str, common: Callable[[str], bool]) -> float:
    """The share of the non-ASCII characters of ``data`` read in ``encoding`` that are common
    ones; 0 when it does not decode so."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return 0.0
    foreign = [char for char in text if not char.isascii()]
    return sum(1 for char in foreign if common(char)) / len(foreign) if foreign else 0.0


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _in_big5_common(char: str) -> bool:
    code = int.from_bytes(char.encode("big5"))  # char was decoded from Big5
    return BIG5_COMMON[0] <= code <= BIG5_COMMON[1]


def _western_share(text: str) -> float:
    """The share of the non-ASCII characters of ``text``, controls aside, that Western text is
    made of (letters, WESTERN_PUNCTUATION); 1 when there are none."""
    foreign = [c for c in text if not c.isascii() and not CONTROL_CHARACTER.match(c)]
    usual = sum(1 for c in foreign if c.isalpha() or c in WESTERN_PUNCTUATION)
    return usual / len(foreign) if foreign else 1.0


def canonical_delimiter(name: str) -> str:
    """The one character ``name`` means: itself, or a word of DELIMITER_NAMES; InputError else."""
    chosen = DELIMITER_NAMES.get(name.strip().lower(), name)
    if len(chosen) != 1 or chosen in (QUOTE, "\r", "\n"):
        raise InputError(f"delimiter {name!r} is not one character; use e.g. ',' ';' '|' or tab")
    return chosen


@dataclass(frozen=True)
class CsvText:
    """A delimited text file decoded and checked, its delimiter and header found: what both
    `read_csv` and the importer's staging (DuckDB's own reader) start from."""

    path: Path
    text: str  # without a byte-order mark
    encoding: str
    delimiter: str
    header: tuple[str, ...]
    header_cells: int  # cells of the header row, trailing empty ones included


def open_csv(path: Path, encoding: str | None = None, delimiter: str | None = None) -> CsvText:
    """Decode a delimited text file and read its header; detect the encoding unless given (any
    name ENCODINGS accepts) and the delimiter unless given (one character, or a word of
    DELIMITER_NAMES).

    Raises InputError naming the file when it is missing, empty, undecodable, binary, or its
    header is missing, malformed or names a column twice.
    """
    data = _read_bytes(path)
    text, chosen = _text(path, data, encoding)
    text = text.removeprefix(BYTE_ORDER_MARK)
    if not text or text.isspace():
        raise InputError(f"{path}: the file is empty; expected a header row naming the columns")
    if (
        chosen not in ("utf-8", "utf-8-sig")
        or b"\x00" in data
        or _controls_at_most(data) > CONTROL_SHARE_FOR_BINARY * len(text)
    ):
        _check_is_text(path, text)  # exactly, on the text
    del data  # a large file is held once, as text
    if delimiter is not None:
        delimiter = canonical_delimiter(delimiter)
    elif path.suffix.lower() == ".tsv":
        delimiter = "\t"
    else:
        delimiter = _sniff_delimiter(path, text)
    _, first_cells = next(_records(path, text, delimiter))
    header = read_header(path, first_cells)
    return CsvText(path, text, chosen, delimiter, header, len(first_cells))


def read_csv(path: Path, encoding: str | None = None, delimiter: str | None = None) -> Table:
    """Read a delimited text file into numbered rows (see `open_csv`); InputError naming the
    row when its quoting is malformed."""
    source = open_csv(path, encoding, delimiter)
    records = _records(path, source.text, source.delimiter)
    next(records)  # the header
    rows = tuple(_rows(source.header, records))
    return Table(path, source.encoding, source.delimiter, source.header, rows)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read the file ({error.strerror})") from None


def _text(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    """The text of ``data`` and its encoding: the one named, else the one detected (a file
    without a byte-order mark is decoded as UTF-8 once, not once to detect and once to read)."""
    if encoding is not None:
        try:
            chosen = canonical_encoding(encoding)
        except InputError as error:
            raise InputError(f"{path}: {error}") from None
        return _decode(path, data, chosen), chosen
    if not data.startswith((codecs.BOM_UTF8, *UTF16_BOMS)):
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    chosen = detect_encoding(data, str(path))
    return _decode(path, data, chosen), chosen


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: cannot decode as {encoding} (byte 0x{data[error.start]:02x} at offset "
            f"{error.start}); pass --encoding {'|'.join(ENCODINGS)}"
        ) from None


C0_AND_DELETE = bytes(range(0x20)).translate(None, b"\t\n\r") + b"\x7f"
UTF8_C1_LEAD = b"\xc2"
"""The first byte of every C1 control character (and of a few letters) in UTF-8."""


def _controls_at_most(data: bytes) -> int:
    """An upper bound of the control characters (and NULs) in UTF-8 bytes, counted much faster
    than by decoding: their bytes, and the lead bytes C1 controls share with other characters."""
    return len(data) - len(data.translate(None, C0_AND_DELETE)) + data.count(UTF8_C1_LEAD)


def _check_is_text(path: Path | str, text: str) -> None:
    """Refuse decoded text with a NUL (UTF-16's zero bytes are gone by now) or many controls."""
    if "\x00" in text:
        reason = "it contains NUL bytes"
    else:
        controls = len(CONTROL_CHARACTER.findall(text))
        if controls <= CONTROL_SHARE_FOR_BINARY * len(text):
            return
        reason = f"{controls / len(text):.0%} of its characters are control characters"
    raise InputError(
        f"{path}: not a text CSV file ({reason}, so it looks binary, like an .xlsx workbook or "
        "an image); export the sheet as CSV"
    )


def _sniff_delimiter(path: Path, text: str) -> str:
    """The delimiter of the header line, found outside quotes; "," when it has none.

    When the header holds several candidates, the one that splits the first data records into as
    many cells as the header wins; a tie is an InputError asking for ``--delimiter``.
    """
    counts = _header_counts(text)
    found = [delimiter for delimiter in DELIMITERS if counts[delimiter]]
    if len(found) <= 1:
        return found[0] if found else ","
    fits = {delimiter: _records_fitting(text, delimiter) for delimiter in found}
    best = max(fits.values())
    winners = [delimiter for delimiter in found if fits[delimiter] == best]
    if len(winners) == 1:
        return winners[0]
    named = " or ".join(repr(delimiter) for delimiter in winners)
    raise InputError(
        f"{path}: cannot tell whether the delimiter is {named}: each splits the first rows into "
        "as many cells as the header; pass --delimiter"
    )


def _header_counts(text: str) -> dict[str, int]:
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text:
        if char == QUOTE:
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    return counts


def _records_fitting(text: str, delimiter: str) -> int:
    """How many of the first records split by ``delimiter`` have as many cells as the header."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        widths = [len(cells) for _, cells in zip(range(SNIFFED_RECORDS + 1), reader, strict=False)]
    except csv.Error:
        return 0
    return sum(1 for width in widths[1:] if width == widths[0])


def _records(path: Path, text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) for every record, the header being row 1."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as error:
        raise _unreadable_record(path, text, delimiter, number + 1, error) from None


def _unreadable_record(
    path: Path, text: str, delimiter: str, row: int, error: csv.Error
) -> InputError:
    """Why record `row` could not be read: a cell beyond LARGEST_CELL_CHARACTERS (found by
    reading the record again without the limit), else its quoting."""
    if str(error).startswith("field larger than field limit"):
        csv.field_size_limit(sys.maxsize)
        try:
            records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
            header = next(records)
            cells = next(itertools.islice(records, row - 2, None)) if row > 1 else header
        except csv.Error as unlimited:  # e.g. an unclosed quote swallowing the rest
            error = unlimited
        else:
            column = next(i for i, cell in enumerate(cells) if len(cell) > LARGEST_CELL_CHARACTERS)
            extra = EXTRA_CELL_KEY.format(column - len(header) + 1)
            name = header[column].strip() if column < len(header) else extra
            return InputError(
                f"{path}, row {row}, column {name!r}: the cell is too large "
                f"({len(cells[column]):,} characters; a cell may hold "
                f"{LARGEST_CELL_CHARACTERS:,}); shorten it or leave the column out"
            )
        finally:
            csv.field_size_limit(LARGEST_CELL_CHARACTERS)
    return InputError(f"{path}, row {row}: malformed CSV ({error}); check the quotes in this row")


def read_header(path: Path, cells: list[str]) -> tuple[str, ...]:
    header = [cell.strip().removeprefix(BYTE_ORDER_MARK).strip() for cell in cells]
    while header and not header[-1]:
        header.pop()  # lines ending with the delimiter, as Excel and pandas exports often do
    if not header:
        raise InputError(f"{path}: row 1 is empty; expected a header row naming the columns")
    first_position: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if not name:
            raise InputError(f"{path}: column {position} of the header is empty; name every column")
        if name in first_position:
            raise InputError(
                f'{path}: column "{name}" appears twice in the header '
                f"(columns {first_position[name]} and {position}); rename one"
            )
        first_position[name] = position
    return tuple(header)


def _rows(header: tuple[str, ...], records: Iterator[tuple[int, list[str]]]) -> Iterator[Row]:
    for number, cells in records:
        row = make_row(number, header, cells)
        if row is not None:
            yield row


def make_row(number: int, header: tuple[str, ...], cells: list[str]) -> Row | None:
    """A Row of stripped cells under header, padded or with extras kept apart; None if blank."""
    stripped = [cell.strip() for cell in cells]
    if not any(stripped):
        return None  # a blank row: skipped, but its number stays used
    values = dict(zip(header, stripped, strict=False))
    if len(stripped) == len(header):
        return Row(number, values)
    values.update(dict.fromkeys(header[len(stripped) :], ""))
    extras = stripped[len(header) :]
    values.update(
        (EXTRA_CELL_KEY.format(position), cell)
        for position, cell in enumerate(extras, start=1)
        if cell
    )
    return Row(number, values)

"""Validate a staged file's rows with set-based SQL: each field's value, or the problem with it.

Values are read by the Python parsers (`_values`), each distinct text of a column once, and
joined back to the rows. The texts SQL can read as Python would are read in SQL and never leave
DuckDB: ids and plain text with nothing to clean (no HTML entity, no runs of whitespace), and
such texts that are ASCII email addresses. Everything else (numbers as typed, dates, codes,
countries, booleans, any text the fast path does not take) goes through Python, which is also
the only place a problem's sentence is written. A test holds the SQL to the Python readings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from execrank.countries import country_code
from execrank.errors import ValueParseError
from execrank.ingest._mapping import Mapping, ScaleRange
from execrank.ingest._schema import KINDS, Field
from execrank.ingest._staging import STAGED, WHITESPACE, Staged, sql_literal
from execrank.ingest._values import clean_text, parse_bool, parse_datetime, parse_int, parse_number
from execrank.store import FACT_COLUMNS, Store

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
FOREIGN_CURRENCY = re.compile(r"[¥￥€£元]|\b(?:RMB|CNY|EUR|GBP|JPY)\b", re.IGNORECASE)
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
KEPT_TEXT = {"revenue_usd": "revenue_text", "employees": "employees_text"}
"""Fields whose cell is also stored as typed ("$1.2M", "51-200"), in the named column."""
WHOLE_ROW = "(row)"
"""The column a problem with a whole row (not one cell) is reported under."""

VALUES = "import_values"
"""The temporary table of validated rows: `row`, `row_problem`, each field's value (NULL when
bad or empty), each kept text, and p0, p1, … (the problem with each field's cell, or NULL)."""

PARSERS: dict[str, Callable[[str], Any]] = {
    "number": parse_number,
    "integer": parse_int,
    "datetime": parse_datetime,
    "bool": parse_bool,
}
SQL_TYPES = {"number": "DOUBLE", "integer": "BIGINT", "datetime": "TIMESTAMP", "bool": "BOOLEAN"}
"""The DuckDB type of each field type's value; the others are VARCHAR."""

_SPACE_BUT_BLANK = "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE if c != " ")
MESSY_TEXT = f"&|  |^ | $|[{_SPACE_BUT_BLANK}]"
"""Text clean_text would change: an "&" (maybe an HTML entity), a run of spaces, a space at
either end, or any other whitespace character (RE2 syntax)."""

_EMAIL_CHARACTER = (
    "["
    + "".join(
        f"\\x{{{code:x}}}"
        for code in range(0x21, 0x100)
        if chr(code) not in "@" + WHITESPACE and chr(code).casefold() == chr(code).lower()
    )
    + "]+"
)
LATIN1_EMAIL = f"{_EMAIL_CHARACTER}@{_EMAIL_CHARACTER}\\.{_EMAIL_CHARACTER}"
"""EMAIL_PATTERN for text that is not MESSY_TEXT and is all Latin-1 letters whose casefold()
is their lower() (not ß or µ), so that SQL's lower() gives Python's casefold()."""


@dataclass(frozen=True)
class Cell:
    """How one field of a row is read under a mapping, worked out once per file."""

    spec: Field
    headers: tuple[str, ...]  # the file's columns joined into it
    column: str  # how errors name them
    constant: str  # the value when the file gives none
    kept_text: str | None  # the stored column that keeps the cell as typed
    scale: tuple[ScaleRange, ...]  # empty: the value as read
    separator: str | None = None  # a cell listing values: the first non-blank one

    def text_sql(self, staged: Staged) -> str:
        """This field's text in a staged row: its column's cell, its columns' non-empty cells
        joined by a space, else the mapping's constant; of a cell listing values (`separator`),
        the first non-blank one, stripped."""
        cells = [staged.column(header) for header in self.headers]
        if not cells:
            text = "''"
        elif len(cells) == 1:
            text = cells[0]
        else:
            text = "concat_ws(' ', " + ", ".join(f"nullif({c}, '')" for c in cells) + ")"
        if self.separator is not None:  # the first value listed, blanks between separators skipped
            values = (
                f"list_transform(string_split({text}, {sql_literal(self.separator)}), "
                f"lambda v: trim(v, {sql_literal(WHITESPACE)}))"
            )
            text = f"coalesce(list_filter({values}, lambda v: v <> '')[1], '')"
        return (
            f"coalesce(nullif({text}, ''), {sql_literal(self.constant)})" if self.constant else text
        )

    def fast_sql(self, text: str) -> tuple[str, str]:
        """(condition, value): the texts SQL reads as `read` does, and their value."""
        clean = f"NOT regexp_matches({text}, {sql_literal(MESSY_TEXT)})"
        if self.spec.type in ("id", "text"):
            return clean, f"nullif({text}, '')"
        if self.spec.type == "email":
            email = f"regexp_full_match({text}, {sql_literal(LATIN1_EMAIL)})"
            return f"({email} AND {clean})", f"lower({text})"
        return "false", "NULL"

    def read(self, text: str) -> Any:
        """The value of a cell's text (parsed and scaled); ValueParseError if it is not one."""
        return _scaled(text, parse_cell(self.spec, text), self.scale)

    def problem(self, text: str) -> tuple[Any, str | None]:
        """The value of a text and the problem with it (None when it is good)."""
        try:
            value = self.read(text)
        except ValueParseError as error:
            return None, f"is not {error.expected}"
        if value is None and self.spec.required:
            return None, f"is empty; {self.spec.name} is required"
        return value, None


def plan(mapping: Mapping, columns: dict[str, tuple[str, ...]]) -> list[Cell]:
    stored = FACT_COLUMNS[mapping.kind]
    return [
        Cell(
            spec,
            columns.get(spec.name, ()),
            column_label(columns, spec.name),
            mapping.constants.get(spec.name, ""),
            KEPT_TEXT[spec.name] if KEPT_TEXT.get(spec.name) in stored else None,
            mapping.scale.get(spec.name, ()),
            mapping.first_of.get(spec.name),
        )
        for spec in KINDS[mapping.kind]
    ]


def column_label(columns: dict[str, tuple[str, ...]] | None, name: str) -> str:
    """The file's column(s) a field was read from, as a RowError names them."""
    return " + ".join((columns or {}).get(name, ())) or name


def parse_cell(spec: Field, text: str) -> Any:
    if spec.type in PARSERS:
        value = PARSERS[spec.type](text)
        if spec.name == "revenue_usd" and FOREIGN_CURRENCY.search(text):
            raise ValueParseError(text, "in US dollars (convert other currencies first)")
        if spec.type in ("number", "integer") and value is not None and value < 0:
            raise ValueParseError(text, f"a {spec.name} of 0 or more")
        return value
    value = clean_text(text)
    if not value:
        return None
    if spec.type == "code":
        value = re.sub(r"[\s\-]+", "_", value.lower())
        if not CODE_PATTERN.match(value):
            raise ValueParseError(text, "a code of letters, digits and underscores (e.g. meeting)")
        if spec.choices and value not in spec.choices:
            raise ValueParseError(text, "one of " + ", ".join(spec.choices))
    if spec.type == "country":
        return country_code(value) or value  # unknown: kept as typed, and the import warns
    if spec.type == "email":
        if not EMAIL_PATTERN.match(value):
            raise ValueParseError(text, "an email address (e.g. li.wei@example.com)")
        value = value.casefold()
    return value


def _scaled(text: str, value: Any, ranges: tuple[ScaleRange, ...]) -> Any:
    """A number times the mapping's scale for its field (revenue in millions -> dollars): the
    factor of the range that holds it; ValueParseError when none does (its unit is unknown)."""
    if not ranges or value is None:
        return value
    factor = next((r.factor for r in ranges if r.holds(value)), None)
    if factor is None:
        listed = "; ".join(str(r) for r in ranges)
        raise ValueParseError(
            text, f"in a range the mapping scales ({listed}): its unit is ambiguous"
        )
    scaled = value * factor
    return round(scaled) if isinstance(value, int) else scaled


def _texts_sql(
    staged: Staged, cells: Sequence[Cell], start: int | None = None, stop: int | None = None
) -> str:
    """The staged rows (those numbered from start up to stop, when given) with each field's
    text as t0, t1, …"""
    texts = ", ".join(f"{cell.text_sql(staged)} AS t{i}" for i, cell in enumerate(cells))
    where = "" if start is None else f" WHERE row >= {start} AND row < {stop}"
    return f"SELECT row, problem, {texts} FROM {STAGED}{where}"


PROGRESS_STEPS = 10
"""Chunks a file is validated in, so that progress shows; each is one statement, its rows a
multiple of CHUNK_ROWS_STEP between the two bounds below. A text is read by Python once,
whichever chunks hold it."""
CHUNK_ROWS_STEP = 1_000
LARGEST_CHUNK_ROWS = 200_000
"""Beyond this, more chunks cost more statements and show no better progress."""

Progress = Callable[[int, int], None]


def validate(
    store: Store, staged: Staged, cells: Sequence[Cell], progress: Progress | None = None
) -> None:
    """Create the VALUES table: every staged row's values and the problem with each cell;
    `progress` hears (rows validated, rows) after each chunk. A chunk's texts and whether SQL
    reads them (f0, f1, …) are worked out once, in table import_chunk."""
    flags = ", ".join(f"{cell.fast_sql(f't{i}')[0]} AS f{i}" for i, cell in enumerate(cells))
    read: list[dict[str, tuple[Any, str | None]]] = [{} for _ in cells]
    bounds = store.query(f"SELECT min(row), max(row) FROM {STAGED}")[0]
    first, last = (bounds[0], bounds[1]) if bounds[0] is not None else (0, -1)
    create = f"CREATE OR REPLACE TEMP TABLE {VALUES} AS"
    steps = -(-staged.rows // (PROGRESS_STEPS * CHUNK_ROWS_STEP))  # rounded up
    chunk = min(LARGEST_CHUNK_ROWS, max(1, steps) * CHUNK_ROWS_STEP)
    for start in range(first, last + 1, chunk) or [first]:
        store.execute(
            f"CREATE OR REPLACE TEMP TABLE import_chunk AS SELECT *, {flags} "
            f"FROM ({_texts_sql(staged, cells, start, start + chunk)})"
        )
        selects, joins = ["x.row", "x.problem AS row_problem"], []
        for i, cell in enumerate(cells):
            distinct = f"SELECT DISTINCT t{i} FROM import_chunk WHERE NOT f{i}"
            looked_up = _look_up(store, cell, i, distinct, read[i]) > 0
            selects += _value_sql(i, cell, looked_up)
            if looked_up:  # else SQL read the whole column: no join
                joins.append(f"LEFT JOIN import_lookup_{i} l{i} ON l{i}.text = x.t{i}")
        store.execute(f"{create} SELECT {', '.join(selects)} FROM import_chunk x {' '.join(joins)}")
        create = f"INSERT INTO {VALUES}"
        if progress:
            progress(store.count(VALUES), staged.rows)
    for i in range(len(cells)):
        store.execute(f"DROP TABLE import_lookup_{i}")
    store.execute("DROP TABLE import_chunk")


def _value_sql(index: int, cell: Cell, looked_up: bool) -> list[str]:
    """The select expressions of a cell's kept text, value and problem, read in SQL when its
    flag says so, else from its lookup table (when it has one)."""
    _, value = cell.fast_sql(f"x.t{index}")
    empty = f"is empty; {cell.spec.name} is required"
    required = (
        f"CASE WHEN x.t{index} = '' THEN {sql_literal(empty)} END" if cell.spec.required else "NULL"
    )
    python_value, problem = (
        (f"l{index}.value", f"l{index}.problem") if looked_up else ("NULL", "NULL")
    )
    kept = [f"nullif(x.t{index}, '') AS {cell.kept_text}"] if cell.kept_text else []
    value_type = SQL_TYPES.get(cell.spec.type, "VARCHAR")  # also when no text needed Python
    return [
        *kept,
        f"CAST(CASE WHEN x.f{index} THEN {value} ELSE {python_value} END AS {value_type}) "
        f'AS "{cell.spec.name}"',
        f"CASE WHEN x.f{index} THEN {required} ELSE {problem} END AS p{index}",
    ]


def _look_up(
    store: Store, cell: Cell, index: int, distinct_sql: str, read: dict[str, tuple[Any, str | None]]
) -> int:
    """Create table import_lookup_<index> (text, value, problem) of the distinct texts
    distinct_sql selects; `read` holds the texts Python has read so far, and gets the new.
    Returns how many texts it holds."""
    texts = [row[0] for row in store.query(distinct_sql)]
    for text in texts:
        if text not in read:
            read[text] = cell.problem(text)
    store.load_columns(
        f"import_lookup_{index}",
        {
            "text": texts,
            "value": [read[text][0] for text in texts],
            "problem": [read[text][1] for text in texts],
        },
        {"value": SQL_TYPES.get(cell.spec.type, "VARCHAR")},
    )
    return len(texts)


def cell_problems(
    store: Store, staged: Staged, cells: Sequence[Cell]
) -> list[tuple[int, str, str, str]]:
    """(row, column, text, reason) of every bad cell, and of every row that could not be read
    whole (under WHOLE_ROW)."""
    bad = " OR ".join(f"v.p{i} IS NOT NULL" for i in range(len(cells))) or "false"
    problems = ", ".join(f"v.p{i}" for i in range(len(cells)))
    texts = ", ".join(f"x.t{i}" for i in range(len(cells)))
    found: list[tuple[int, str, str, str]] = []
    for row, row_problem, *rest in store.query(
        f"SELECT v.row, v.row_problem, {problems}, {texts} FROM {VALUES} v "
        f"JOIN ({_texts_sql(staged, cells)}) x USING (row) "
        f"WHERE v.row_problem IS NOT NULL OR {bad} ORDER BY v.row"
    ):
        if row_problem is not None:
            found.append((row, WHOLE_ROW, "", row_problem))
            continue
        reasons, values = rest[: len(cells)], rest[len(cells) :]
        found.extend(
            (row, cell.column, text, reason)
            for cell, reason, text in zip(cells, reasons, values, strict=True)
            if reason is not None
        )
    return found


def signal_problems(store: Store) -> list[tuple[int, str, str, str]]:
    """(row, column, text, reason) of the signals `signal_row_problems` finds wrong (SQL picks
    the rows it may find wrong)."""
    return [
        (row, *problem)
        for row, contact, company, text, title in store.query(
            f"SELECT row, contact_id, company_id, text, title FROM {VALUES} "
            "WHERE row_problem IS NULL AND ((contact_id IS NULL) = (company_id IS NULL) "
            "OR (text IS NULL AND title IS NULL)) ORDER BY row"
        )
        for problem in signal_row_problems(contact, company, text, title)
    ]


def signal_row_problems(
    contact: str | None, company: str | None, text: str | None, title: str | None
) -> list[tuple[str, str, str]]:
    """(column, text, reason) of what is wrong with a signal's values: it must name exactly one
    subject, and have a text or a title."""
    found = []
    if (contact is None) == (company is None):
        found.append(
            (
                "contact_id/company_id",
                f"{contact or ''}/{company or ''}",
                "must name exactly one subject: a contact or a company, not both or neither",
            )
        )
    if not text and not title:
        found.append(("text", "", "is empty; a signal needs text"))
    return found

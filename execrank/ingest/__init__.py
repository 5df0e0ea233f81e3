"""Getting facts into the store: readers for CSV in any common encoding, .xlsx, JSON Lines and
Parquet, column mappings as data files, cell-value parsers, row validation with row-level error
reports, and the derived tables (title classifications, topic matches) computed once per
distinct value."""

from execrank.ingest._derived import refresh_signal_matches, refresh_titles
from execrank.ingest._formats import read_table
from execrank.ingest._import import (
    ImportReport,
    RowError,
    import_file,
    record_warnings,
    validate_record,
)
from execrank.ingest._mapping import shipped_mapping_names
from execrank.ingest._readers import ENCODINGS, Row, Table, detect_encoding, read_csv
from execrank.ingest._schema import KINDS
from execrank.ingest._values import (
    clean_text,
    parse_bool,
    parse_datetime,
    parse_int,
    parse_number,
)

__all__ = [
    "ENCODINGS",
    "KINDS",
    "ImportReport",
    "Row",
    "RowError",
    "Table",
    "clean_text",
    "detect_encoding",
    "import_file",
    "parse_bool",
    "parse_datetime",
    "parse_int",
    "parse_number",
    "read_csv",
    "read_table",
    "record_warnings",
    "refresh_signal_matches",
    "refresh_titles",
    "shipped_mapping_names",
    "validate_record",
]

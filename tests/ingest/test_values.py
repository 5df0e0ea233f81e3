"""The cell-value parsers: examples as people type them, and properties over generated text."""

from __future__ import annotations

import contextlib
import math
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execrank.errors import ValueParseError
from execrank.ingest._values import (
    clean_text,
    parse_bool,
    parse_datetime,
    parse_int,
    parse_number,
)

PLACEHOLDERS = ["", "   ", "-", "n/a", "N/A", "null", "None", "Select", "Unknown"]
NUMBER_EXPECTED = "a number (e.g. 1200000, 1,200,000, $1.2M or 1.2亿)"
DATE_EXPECTED = "a date (e.g. 2025-03-01, 03/01/2025 or 2025年3月1日)"


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1200000", 1_200_000),
        ("1,200,000", 1_200_000),
        (" $648,125,000 ", 648_125_000),
        ("$1.2M", 1_200_000),  # 1.2 x 10^6
        ("1.2m", 1_200_000),
        ("3.5K", 3_500),  # 3.5 x 10^3
        ("2B", 2_000_000_000),
        ("2bn", 2_000_000_000),
        ("1.2亿", 120_000_000),  # 亿 = 10^8
        ("3万", 30_000),  # 万 = 10^4
        ("¥1.2亿", 120_000_000),
        ("1.2亿元", 120_000_000),  # 元 (yuan) after the unit, as Chinese reports write it
        ("€5M", 5_000_000),
        ("-12.5", -12.5),
        ("-$5M", -5_000_000),
        ("$-5M", -5_000_000),
        ("1.5e6", 1_500_000),
        ("1,200.50", 1200.5),
        ("10,001+", 10_001),  # "+" means at least: the bound is the number
        ("1.1K", 1100),  # exact: 1.1 x 1000 in decimal, not 1100.0000000000002
    ],
)
def test_parse_number(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_placeholders_are_no_number(text: str) -> None:
    assert parse_number(text) is None
    assert parse_int(text) is None


@pytest.mark.parametrize("text", ["1,2M", "abc", "1.2.3", "$", "1,20", "12 apples", "1e999", "+-5"])
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(ValueParseError) as raised:
        parse_number(text)
    assert str(raised.value) == f"{text!r} is not {NUMBER_EXPECTED}"
    assert (raised.value.value, raised.value.expected) == (text, NUMBER_EXPECTED)


@pytest.mark.parametrize(("text", "number"), [("250", 250), ("3.5K", 3_500), ("10,001+", 10_001)])
def test_parse_int(text: str, number: int) -> None:
    assert parse_int(text) == number


def test_parse_int_rejects_fractions() -> None:
    with pytest.raises(ValueParseError) as raised:
        parse_int("2.5")
    assert str(raised.value) == "'2.5' is not a whole number (e.g. 250, 1,200, 3.5K or 10,001+)"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_any_int_with_thousands_separators_reads_back(number: int) -> None:
    assert parse_number(f"{number:,}") == number
    assert parse_int(f"{number:,}") == number


@given(st.floats(min_value=-1e9, max_value=1e9))
def test_millions_suffix_multiplies(x: float) -> None:
    # the text keeps two decimals, so the result may differ from x * 1e6 by up to 0.005 * 1e6
    assert math.isclose(parse_number(f"{x:.2f}M") or 0.0, x * 1e6, rel_tol=1e-12, abs_tol=5_000)


NUMBERISH = st.text(alphabet="0123456789,.-+$€¥亿万元kKmMbBnNeE +")


@given(st.one_of(st.text(), NUMBERISH))
def test_number_parsers_raise_nothing_but_value_parse_error(text: str) -> None:
    for parse in (parse_number, parse_int):
        with contextlib.suppress(ValueParseError):
            parse(text)


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2025-03-01", datetime(2025, 3, 1)),
        ("2025-03-01 10:00", datetime(2025, 3, 1, 10)),
        ("2025-03-01T10:00:00Z", datetime(2025, 3, 1, 10)),
        ("2006-04-15T03:23:15.000Z", datetime(2006, 4, 15, 3, 23, 15)),
        ("2025-03-01T10:00:00.1234567Z", datetime(2025, 3, 1, 10, 0, 0, 123456)),  # 7th digit cut
        ("2025-03-01T10:00:00+08:00", datetime(2025, 3, 1, 2)),  # 10:00 in Beijing is 02:00 UTC
        ("2025-03-01 01:30-05:00", datetime(2025, 3, 1, 6, 30)),  # 01:30 + 5h
        ("2025-03-01T00:30+0100", datetime(2025, 2, 28, 23, 30)),  # back over the day
        ("2025/03/01", datetime(2025, 3, 1)),
        ("03/01/2025", datetime(2025, 3, 1)),  # month first
        ("3/1/2025", datetime(2025, 3, 1)),
        ("3/1/2025 10:30 PM", datetime(2025, 3, 1, 22, 30)),
        ("3/1/2025 12:05 am", datetime(2025, 3, 1, 0, 5)),
        ("2025年3月1日", datetime(2025, 3, 1)),
        ("2025年3月1日 10:30", datetime(2025, 3, 1, 10, 30)),
        ("20250301", datetime(2025, 3, 1)),  # as Tushare writes it
    ],
)
def test_parse_datetime(text: str, moment: datetime) -> None:
    assert parse_datetime(text) == moment


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_placeholders_are_no_date(text: str) -> None:
    assert parse_datetime(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "2025-02-30",
        "13/45/2025",
        "2025-03-01T25:00",
        "3/1/2025 13:00 PM",
        "2025-03-01T10:00+08:99",
        "0001-01-01T00:00+08:00",  # before year 1 once in UTC
        "2025-03",
        "March 1, 2025",
        "3/1/25",
    ],
)
def test_parse_datetime_rejects(text: str) -> None:
    with pytest.raises(ValueParseError) as raised:
        parse_datetime(text)
    assert str(raised.value) == f"{text!r} is not {DATE_EXPECTED}"


@given(st.dates(min_value=date(1000, 1, 1)))
def test_any_date_round_trips_in_iso_us_and_chinese_forms(day: date) -> None:
    midnight = datetime(day.year, day.month, day.day)
    assert parse_datetime(day.isoformat()) == midnight
    assert parse_datetime(f"{day.month:02}/{day.day:02}/{day.year}") == midnight
    assert parse_datetime(f"{day.month}/{day.day}/{day.year}") == midnight
    assert parse_datetime(f"{day.year}年{day.month}月{day.day}日") == midnight
    assert parse_datetime(f"{day:%Y%m%d}") == midnight


OFFSETS = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@given(
    st.datetimes(
        min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30), timezones=OFFSETS
    ),
    st.sampled_from(["T", " "]),
)
def test_any_iso_datetime_with_offset_reads_as_naive_utc(moment: datetime, separator: str) -> None:
    expected = moment.astimezone(UTC).replace(tzinfo=None)
    assert parse_datetime(moment.isoformat(separator)) == expected


DATEISH = st.text(alphabet="0123456789-/:. TZ+年月日AaPpMm")


@given(st.one_of(st.text(), DATEISH))
def test_parse_datetime_raises_nothing_but_value_parse_error(text: str) -> None:
    with contextlib.suppress(ValueParseError):
        parse_datetime(text)


# --- booleans and text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        *((word, True) for word in ["true", "TRUE", "Yes", "y", "1", "是", " yes "]),
        *((word, False) for word in ["false", "False", "NO", "n", "0", "否"]),
        *((word, None) for word in PLACEHOLDERS),
    ],
)
def test_parse_bool(text: str, value: bool | None) -> None:
    assert parse_bool(text) is value


def test_parse_bool_rejects() -> None:
    with pytest.raises(ValueParseError) as raised:
        parse_bool("maybe")
    assert (
        str(raised.value) == "'maybe' is not yes or no (e.g. true/false, yes/no, y/n, 1/0 or 是/否)"
    )


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("  Ada   Lovelace \n", "Ada Lovelace"),
        ("Lowe&#8217;s", "Lowe’s"),
        ("AT&amp;T", "AT&T"),
        ("Caf&eacute;&nbsp;Noir", "Café Noir"),  # the no-break space is whitespace too
        ("首席\u3000信息官", "首席 信息官"),  # ideographic space
        ("R&D &notes", "R&D &notes"),  # no semicolon, no entity
    ],
)
def test_clean_text(text: str, clean: str) -> None:
    assert clean_text(text) == clean


@given(st.text())
def test_clean_text_is_idempotent_on_text_without_ampersands(text: str) -> None:
    once = clean_text(text.replace("&", ""))
    assert clean_text(once) == once
    assert once == once.strip()
    assert "  " not in once


# --- ranges and head counts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("51-200", 51),  # a range reads as its lower bound, like "10,001+" reads as 10,001
        ("51 - 200", 51),
        ("1,001–5,000", 1_001),  # en dash, as HubSpot writes its size buckets
        ("10,001+ employees", 10_001),
        ("1-10 employees", 1),
        ("500 staff", 500),
        ("50~100人", 50),
        ("3.5万", 35_000),  # 3.5 x 10^4
        ("5000 to 10000", 5_000),
    ],
)
def test_head_counts_and_ranges(text: str, number: int) -> None:
    assert parse_int(text) == number


@pytest.mark.parametrize(("text", "number"), [("$1M-$5M", 1_000_000), ("1亿至5亿", 100_000_000)])
def test_revenue_ranges_read_as_their_lower_bound(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["200-51", "2025-03-01", "-5-3", "51-", "5 apples"])
def test_what_is_not_a_range(text: str) -> None:
    with pytest.raises(ValueParseError):
        parse_number(text)


@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_any_ordered_range_reads_as_its_lower_bound(low: int, high: int) -> None:
    low, high = min(low, high), max(low, high)
    assert parse_int(f"{low:,}-{high:,}") == low

"""Turn cell text, as people type it into CRM exports, into numbers, dates, booleans and clean text.

Every parser strips the text first, returns None for a blank cell or a placeholder word
(MISSING_WORDS), and raises ValueParseError(text, expected) for anything else it cannot read.
"""

from __future__ import annotations

import html
import math
import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from execrank.errors import ValueParseError

MISSING_WORDS = frozenset({"", "-", "n/a", "null", "none", "select", "unknown"})
"""Cell text meaning "no value" (compared case-insensitively); "Select" is an unpicked dropdown."""

UNIT_MULTIPLIERS = {
    "k": 10**3,
    "m": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "万": 10**4,
    "亿": 10**8,
}
"""Suffixes that scale a number (compared case-insensitively): 1.2M, 3.5K, 2bn, 1.2亿, 3万."""

COUNT_WORDS = ("employees", "employee", "people", "staff", "名员工", "员工", "人")
"""Words that may follow a head count ("10,001+ employees", "500人"); dropped before reading."""

RANGE_SEPARATOR = re.compile(r"\s*(?:-|–|—|~|～|\bto\b|至)\s*", re.IGNORECASE)
"""Between the bounds of a range: "51-200", "51 – 200", "1M to 5M", "50~100", "50至100"."""

CURRENCY_SIGNS = "$€£¥￥"
"""Currency signs allowed before a number; the number is read as is, without conversion."""

NUMBER_EXPECTED = "a number (e.g. 1200000, 1,200,000, $1.2M or 1.2亿)"
INTEGER_EXPECTED = "a whole number (e.g. 250, 1,200, 3.5K or 10,001+)"
DATE_EXPECTED = "a date (e.g. 2025-03-01, 03/01/2025 or 2025年3月1日)"
BOOLEAN_EXPECTED = "yes or no (e.g. true/false, yes/no, y/n, 1/0 or 是/否)"

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否"})

_NUMBER = re.compile(
    rf"""(?P<sign>[-+]?)\s*[{CURRENCY_SIGNS}]?\s*(?P<inner_sign>-?)
    (?P<digits>(?:[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)
    (?P<exponent>[eE][-+]?[0-9]{{1,3}})?
    \s*(?P<unit>{"|".join(sorted(UNIT_MULTIPLIERS, key=len, reverse=True))})?
    元?(?P<at_least>\+)?""",
    re.VERBOSE | re.IGNORECASE,
)
"""A number as people type it: -$1,200.50, 1.5e6, $1.2M, ¥1.2亿元, 10,001+ ("+" means at least)."""

_TIME = (
    r"(?:(?:T|\s+)(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]{1,6})[0-9]*)?)?"
    r"\s*(?P<half>[AaPp][Mm])?\s*(?P<zone>[Zz]|[-+][0-9]{2}(?::?[0-9]{2})?)?)?"
)
_DATE_FORMS = tuple(
    re.compile(date + _TIME)
    for date in (
        r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})",  # ISO 2025-03-01
        r"(?P<year>[0-9]{4})/(?P<month>[0-9]{1,2})/(?P<day>[0-9]{1,2})",  # 2025/03/01
        r"(?P<month>[0-9]{1,2})/(?P<day>[0-9]{1,2})/(?P<year>[0-9]{4})",  # US, month first
        r"(?P<year>[0-9]{4})年(?P<month>[0-9]{1,2})月(?P<day>[0-9]{1,2})日",  # Chinese
        r"(?P<year>[0-9]{4})(?P<month>[0-9]{2})(?P<day>[0-9]{2})",  # compact, as Tushare
    )
)
HOURS_PER_HALF_DAY = 12
"""For 12-hour clock times: 12 AM is 0:00, 1 PM is 13:00."""
MINUTES_PER_HOUR = 60
MICROSECOND_DIGITS = 6
"""Digits of a second's fraction that datetime keeps; further digits are dropped."""

_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
"""An HTML entity with its semicolon; "R&D" or "&notes" without one are left alone."""


def _is_missing(stripped: str) -> bool:
    return stripped.casefold() in MISSING_WORDS


def _without_count_word(stripped: str) -> str:
    folded = stripped.casefold()
    for word in COUNT_WORDS:
        if folded.endswith(word):
            return stripped[: -len(word)].rstrip()
    return stripped


def _parse_decimal(text: str, expected: str) -> Decimal | None:
    """The number in text; a range ("51-200", "$1M-$5M") reads as its lower bound, like "51+"."""
    stripped = _without_count_word(text.strip())
    if _is_missing(stripped):
        return None
    single = _decimal(text, stripped, expected)
    if single is not None:
        return single
    for separator in RANGE_SEPARATOR.finditer(stripped, 1):
        low = _decimal(text, stripped[: separator.start()], expected)
        high = _decimal(text, stripped[separator.end() :], expected)
        if low is not None and high is not None and 0 <= low <= high:
            return low
    raise ValueParseError(text, expected)


def _decimal(text: str, stripped: str, expected: str) -> Decimal | None:
    """The one number stripped holds, or None if it is not one number."""
    match = _NUMBER.fullmatch(stripped)
    if match is None or (match["sign"] and match["inner_sign"]):
        return None
    negative = "-" in (match["sign"], match["inner_sign"])
    magnitude = Decimal(match["digits"].replace(",", "") + (match["exponent"] or ""))
    value = magnitude * UNIT_MULTIPLIERS[match["unit"].lower()] if match["unit"] else magnitude
    if not math.isfinite(float(value)):  # e.g. 1e999: beyond what a float holds
        raise ValueParseError(text, expected)
    return -value if negative else value


def parse_number(text: str) -> float | None:
    """Read a number with optional currency sign, thousands commas, unit (K, M, B, 万, 亿) or "+".

    A comma followed by other than three digits ("1,2M") is rejected: it may be a decimal comma.
    """
    value = _parse_decimal(text, NUMBER_EXPECTED)
    return None if value is None else float(value)


def parse_int(text: str) -> int | None:
    """Read a whole number, in any form parse_number accepts ("3.5K" is 3500; "2.5" is an error)."""
    value = _parse_decimal(text, INTEGER_EXPECTED)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise ValueParseError(text, INTEGER_EXPECTED)
    return int(value)


def parse_datetime(text: str) -> datetime | None:
    """Read a date or date-time as naive UTC; a time without an offset is taken to be UTC already.

    Forms: ISO (2025-03-01, 2025-03-01 10:00, 2025-03-01T10:00:00Z, +08:00 offsets), 2025/03/01,
    US month-first 03/01/2025 or 3/1/2025 (with optional 10:30 PM), 2025年3月1日 [10:30], 20250301.
    """
    stripped = text.strip()
    if _is_missing(stripped):
        return None
    for form in _DATE_FORMS:
        match = form.fullmatch(stripped)
        if match is not None:
            return _build_datetime(text, match)
    raise ValueParseError(text, DATE_EXPECTED)


def _build_datetime(text: str, match: re.Match[str]) -> datetime:
    def number(name: str) -> int:
        return int(match[name] or 0)

    hour = _hour_of_day(text, number("hour"), match["half"])
    microsecond = int((match["fraction"] or "").ljust(MICROSECOND_DIGITS, "0"))
    try:
        zone = _zone(match["zone"])
        moment = datetime(
            *(number("year"), number("month"), number("day")),
            *(hour, number("minute"), number("second"), microsecond),
            tzinfo=zone,
        )
        return moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):  # no such day or hour, or out of datetime's range
        raise ValueParseError(text, DATE_EXPECTED) from None


def _hour_of_day(text: str, hour: int, half: str | None) -> int:
    if half is None:
        return hour
    if not 1 <= hour <= HOURS_PER_HALF_DAY:
        raise ValueParseError(text, DATE_EXPECTED)
    return hour % HOURS_PER_HALF_DAY + (HOURS_PER_HALF_DAY if half.lower() == "pm" else 0)


def _zone(zone: str | None) -> timezone:
    if zone is None or zone.upper() == "Z":
        return UTC
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or "0")
    if minutes >= MINUTES_PER_HOUR:
        raise ValueError(f"no such offset: {zone}")
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if zone.startswith("-") else offset)


def parse_bool(text: str) -> bool | None:
    """Read true/false, yes/no, y/n, 1/0 or 是/否 (any case); blank or a placeholder is None."""
    word = text.strip().casefold()
    if _is_missing(word):
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueParseError(text, BOOLEAN_EXPECTED)


def clean_text(text: str) -> str:
    """Strip, collapse runs of whitespace to one space and unescape HTML entities (AT&amp;T)."""
    if "&" in text:
        text = _ENTITY.sub(lambda entity: html.unescape(entity[0]), text)
    return " ".join(text.split())

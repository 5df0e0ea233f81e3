"""Company names and domains reduced to the keys that decide whether two records are one.

"ACME Ltd", "Acme Limited" and "ACME 有限公司" all normalize to "acme": Unicode NFKC (full-width
forms to ASCII); brackets holding only noise (a legal form, the name's initials as in "Advanced
Micro Devices (AMD)", a stock ticker, the mainland marker "(中国)") and a Chinese trading-status
prefix ("*ST大唐") removed, other brackets' words kept as words of the name ("Northwind Traders
(East)" is "Northwind Traders East", not "Northwind Traders (West)"); legal suffixes and group
words stripped until none is left (cleanco for English and other Latin-script legal forms,
`data/company_names.yaml` for Chinese suffixes and English group words such as "Group" or
"Holdings"); case folded; everything but letters and digits dropped.

Near-identical keys (NAME_SIMILARITY_THRESHOLD) are one company only when `may_be_one_company`:
"Sequoia Capital Fund II" and "Sequoia Capital Fund III" are 97.6 similar, but a number, roman
numeral, compass direction or Chinese series/direction suffix one name has and the other has not,
or a word of one name with no misspelt counterpart in the other, makes them two companies.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources
from typing import Any

import yaml
from cleanco.clean import (
    custom_basename,
    normalized,
    prepare_default_terms,
    strip_punct,
    strip_tail,
)
from rapidfuzz import fuzz

NAME_SIMILARITY_THRESHOLD = 95.0
"""rapidfuzz `fuzz.ratio` (0-100) of two normalized names at or above which they are one company.

Below it a name match is never used on its own. Measured on real names (Fortune 1000 2021 and
2024, 3,540 Tushare and 3,186 lemonhu Chinese listed companies; tests/identity/test_names.py):
no two different companies reach it; the closest are "anixterinternational" /
"baxterinternational" and "avient" / "navient" (both 92.3). Ratio is 2 x matching / total
letters, so one inserted letter reaches 95 from 10 letters on and one changed letter from 20
on: short names must match exactly."""

MISSPELLING_THRESHOLD = 80.0
"""rapidfuzz `fuzz.ratio` at or above which the words only one name has are a misspelling of
the words only the other has ("Sytems" / "Systems" 92.3, "Hathway" / "Hathaway" 93.3), not
other words ("East" / "West" 75, "A" / "B" 0)."""

BLOCK_LENGTH = 2
"""Fuzzy candidates share the first characters of the normalized name, which keeps matching
linear-ish on large stores; near-identical names almost always agree at their start."""

_NOT_ALPHANUMERIC = re.compile(r"[\W_]+", re.UNICODE)
_BRACKETED = re.compile(r"\(([^()]*)\)")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")
_DIGITS = re.compile(r"\d+")
_ROMAN_NUMERAL = re.compile(r"^x{0,2}(?:ix|iv|v?i{0,3})$")  # i to xxix


@cache
def _vocabulary() -> dict[str, Any]:
    text = (resources.files("execrank.identity") / "data" / "company_names.yaml").read_text(
        encoding="utf-8"
    )
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@cache
def _bracketed_noise() -> re.Pattern[str]:
    """A bracket's content that is a noise word or a stock ticker with its exchange."""
    words = "|".join(re.escape(w) for w in _vocabulary()["bracketed_noise_words"])
    exchanges = "|".join(re.escape(e) for e in _vocabulary()["stock_exchanges"])
    ticker = rf"(?:{exchanges})\s*:\s*[A-Z0-9.]+|[A-Z0-9]+\.(?:{exchanges})"
    return re.compile(rf"\s*(?:{words}|{ticker})\s*", re.IGNORECASE)


@cache
def _chinese_status_prefix() -> re.Pattern[str]:
    prefixes = "|".join(re.escape(p) for p in _vocabulary()["chinese_status_prefixes"])
    return re.compile(rf"^(?:{prefixes})(?=[\u4e00-\u9fff])")


@cache
def _chinese_marker() -> re.Pattern[str]:
    numerals, directions = _vocabulary()["chinese_numerals"], _vocabulary()["chinese_directions"]
    return re.compile(rf"第[{numerals}]+|[{numerals}]+$|[{directions}]$")


@cache
def _legal_terms_by_last_word() -> dict[str, list[tuple[int, list[str]]]]:
    """cleanco's legal-form terms grouped by their last word, in cleanco's order."""
    grouped: dict[str, list[tuple[int, list[str]]]] = {}
    for size, parts in prepare_default_terms():
        grouped.setdefault(parts[-1], []).append((size, parts))
    return grouped


def _strip_legal_suffix(name: str) -> str:
    """cleanco's basename, trying only the terms that end with the name's last word: the same
    result (checked on 9,000+ real names) at a fraction of the cost, as cleanco's `basename`
    compares every one of its terms with every name."""
    words = normalized(strip_tail(name)).split()
    last = strip_punct(words[-1]) if words else ""
    return str(custom_basename(name, _legal_terms_by_last_word().get(last, [])))


def _strip_chinese_suffix(name: str) -> str:
    for suffix in sorted(_vocabulary()["chinese_suffixes"], key=len, reverse=True):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)].rstrip()
    return name


def _strip_group_word(name: str) -> str:
    rest, _, last = name.rpartition(" ")
    return rest if rest and last.strip(".").casefold() in _vocabulary()["group_words"] else name


def _strip_leading_word(name: str) -> str:
    first, _, rest = name.partition(" ")
    return rest if rest and first.casefold() in _vocabulary()["leading_words"] else name


def _is_bracketed_noise(content: str, outside: str) -> bool:
    """Whether a bracket's content says nothing about which company `outside` (the name without
    its brackets) is: empty, a noise word, a stock ticker, a legal form, or the initials of the
    name ("Advanced Micro Devices (AMD)")."""
    if not content.strip() or _bracketed_noise().fullmatch(content):
        return True
    if _core_name(f"x {content}") == "x":  # a legal form: nothing left after it
        return True
    initials = "".join(word[0] for word in _NOT_ALPHANUMERIC.split(_core_name(outside)) if word)
    return content.isupper() and content.isalpha() and content.casefold() == initials.casefold()


def _without_bracketed_noise(name: str) -> str:
    """The name with brackets of noise removed and the other brackets' words kept as words."""
    outside = _BRACKETED.sub(" ", name)
    return _BRACKETED.sub(
        lambda bracket: " " if _is_bracketed_noise(bracket[1], outside) else f" {bracket[1]} ",
        name,
    ).strip()


def _core_name(name: str) -> str:
    """The name without bracketed noise, status prefix, legal suffixes and group words."""
    text = _without_bracketed_noise(unicodedata.normalize("NFKC", name))
    text = _strip_leading_word(text)
    text = _chinese_status_prefix().sub("", text)
    previous = None
    while text != previous:
        previous = text
        text = _strip_chinese_suffix(_strip_legal_suffix(text).strip(" ,.-"))
        text = _strip_group_word(text).strip(" ,.-")
    return text


def _words(name: str) -> list[str]:
    return [word for word in _NOT_ALPHANUMERIC.split(_core_name(name).casefold()) if word]


def company_name_key(name: str | None) -> str | None:
    """The normalized name of a company, or None when nothing distinctive is left."""
    if not name:
        return None
    return "".join(_words(name)) or None


def _distinguishing_marks(words: list[str]) -> list[str]:
    """The numbers, roman numerals, compass words and Chinese series or direction suffixes."""
    marks = [number for word in words for number in _DIGITS.findall(word)]
    marks += [w for w in words if w in _vocabulary()["compass_words"] or _ROMAN_NUMERAL.match(w)]
    marks += [mark for word in words for mark in _chinese_marker().findall(word)]
    return sorted(marks)


def may_be_one_company(first: str, second: str) -> bool:
    """Whether two names with near-identical keys may be one company: not when one has a
    distinguishing mark (number, roman numeral, compass direction, Chinese series or direction
    suffix) the other has not, nor when the words only one has are no misspelling of the words
    only the other has (MISSPELLING_THRESHOLD)."""
    words, other = _words(first), _words(second)
    if _distinguishing_marks(words) != _distinguishing_marks(other):
        return False
    only = "".join(w for w in words if w not in other)
    only_other = "".join(w for w in other if w not in words)
    return only == only_other or fuzz.ratio(only, only_other) >= MISSPELLING_THRESHOLD


def domain_key(domain: str | None) -> str | None:
    """The host of a domain or website, lower case, without scheme, "www.", port or path:
    "https://www.Acme.com/about" -> "acme.com"."""
    if not domain:
        return None
    host = _SCHEME.sub("", domain.strip().casefold()).split("/", 1)[0].split(":", 1)[0]
    host = host.removeprefix("www.").strip(".")
    return host if "." in host else None


def name_similarity(first: str, second: str) -> float:
    """rapidfuzz ratio (0-100) of two normalized names; see NAME_SIMILARITY_THRESHOLD."""
    return float(fuzz.ratio(first, second))


def block_of(key: str) -> str:
    return key[:BLOCK_LENGTH]

"""Countries as ISO 3166-1 alpha-2 codes (US, CN, GB): what an import stores for a country
cell, and what a model's region criteria name.

A text is known when it is an alpha-2 or alpha-3 code, an English name, official name or common
name (pycountry's ISO 3166 data), such a name in the order people write it ("Korea, Republic
of" as "Republic of Korea", "Virgin Islands, British" as "British Virgin Islands"), their
Chinese translations (pycountry's zh_CN and zh_TW), or a synonym from country_synonyms.csv
(what those lack: UK, UAE, Korea, Hong Kong SAR, 中国香港, 大陆 ...). Letter case, accents,
dots, curly apostrophes, spaces between single letters, runs of spaces and a leading "the" do
not matter: "U.S.A." and "u s a" are USA, "the Netherlands" is Netherlands, "Côte d’Ivoire" is
Côte d'Ivoire.
"""

from __future__ import annotations

import csv
import gettext
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pycountry

SYNONYMS = Path(__file__).with_name("country_synonyms.csv")
CHINESE_LOCALES = ("zh_CN", "zh_TW")
"""pycountry's translations of the ISO names read as well: simplified and traditional Chinese."""
_ARTICLE = re.compile(r"^the\s+")
_INVERTED = re.compile(r"^(?P<name>[^,]+), (?P<qualifier>\S+|[^,]* of(?: the)?)$")
"""An ISO name written qualifier last ("Korea, Republic of", "Virgin Islands, British"); not
one whose part after the comma is more of the name ("Bonaire, Sint Eustatius and Saba") or a
status ("Taiwan, Province of China")."""
_APOSTROPHES = str.maketrans("\u2018\u2019", "''")


def folded(text: str) -> str:
    """The form texts are compared in: "U.S.A. " and "usa" are one."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    spaced = " ".join(plain.replace(".", " ").translate(_APOSTROPHES).split()).casefold()
    return _ARTICLE.sub("", re.sub(r"\b(\w) (?=\w\b)", r"\1", spaced))


def iso_names() -> Iterator[tuple[str, str]]:
    """(text, alpha-2 code) of every code, name and translated name pycountry has."""
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
        for locale in CHINESE_LOCALES
    ]
    for country in pycountry.countries:
        names = [
            getattr(country, attribute, None)
            for attribute in ("name", "official_name", "common_name")
        ]
        english = [name for name in names if name]
        yield country.alpha_2, country.alpha_2
        yield country.alpha_3, country.alpha_2
        for name in english:
            yield name, country.alpha_2
            inverted = _INVERTED.match(name)
            if inverted:
                yield f"{inverted['qualifier']} {inverted['name']}", country.alpha_2
            for translation in translations:
                yield translation.gettext(name), country.alpha_2


def synonyms() -> Iterator[tuple[str, str]]:
    """(text, alpha-2 code) of each line of country_synonyms.csv."""
    with SYNONYMS.open(encoding="utf-8", newline="") as lines:
        for row in csv.DictReader(lines):
            yield row["name"], row["code"]


@cache
def _codes() -> dict[str, str]:
    """Folded text -> alpha-2 code, of the ISO names and then the synonyms."""
    known = {folded(text): code for text, code in iso_names()}
    known.update((folded(text), code) for text, code in synonyms())
    return known


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code a country's text names ("U.S." -> US, "中国" -> CN), or None
    when it names none execrank knows."""
    return _codes().get(folded(text))


def is_country_code(text: str) -> bool:
    """Whether text is an ISO 3166-1 alpha-2 code (in any letter case, as criteria match)."""
    return country_code(text) == text.strip().upper()

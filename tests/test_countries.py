"""Country texts as people and CRMs write them, read as ISO 3166-1 alpha-2 codes."""

from __future__ import annotations

from collections import defaultdict

import pycountry
import pytest

from execrank.countries import country_code, folded, is_country_code, iso_names, synonyms


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("US", "US"),
        ("us", "US"),
        ("USA", "US"),
        ("U.S.", "US"),  # Fortune 2024's Country
        ("U.S.A.", "US"),
        ("u. s. a.", "US"),
        ("United States", "US"),  # HubSpot, Salesforce, Maven
        ("United States of America", "US"),
        ("  united   STATES ", "US"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("Great Britain", "GB"),
        ("United Kingdom", "GB"),
        ("GBR", "GB"),
        ("CHN", "CN"),
        ("China", "CN"),
        ("中国", "CN"),
        ("中华人民共和国", "CN"),
        ("中華人民共和國", "CN"),
        ("美国", "US"),
        ("英国", "GB"),
        ("日本", "JP"),
        ("德国", "DE"),
        ("香港", "HK"),
        ("Hong Kong", "HK"),
        ("韩国", "KR"),
        ("South Korea", "KR"),
        ("Korea", "KR"),  # Maven's office_location
        ("the Netherlands", "NL"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Russia", "RU"),
    ],
)
def test_names_abbreviations_codes_and_chinese_names_give_the_alpha_2_code(
    text: str, code: str
) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # ISO names qualifier first, as CRMs and people write them
        ("Republic of Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("Islamic Republic of Iran", "IR"),
        ("Democratic Republic of the Congo", "CD"),
        ("Democratic People's Republic of Korea", "KP"),
        ("British Virgin Islands", "VG"),
        ("U.S. Virgin Islands", "VI"),
        # synonyms
        ("UAE", "AE"),
        ("U.A.E.", "AE"),
        ("the UAE", "AE"),
        ("China (Mainland)", "CN"),
        ("中国内地", "CN"),
        ("Hong Kong SAR", "HK"),
        ("Hong Kong SAR, China", "HK"),
        ("香港特别行政区", "HK"),
        ("中国香港", "HK"),
        ("中國香港", "HK"),
        ("Macao SAR", "MO"),
        ("Macau SAR", "MO"),
        ("澳门特别行政区", "MO"),
        ("中国澳门", "MO"),
        ("Taiwan, Province of China", "TW"),
        ("中国台湾", "TW"),
        ("S. Korea", "KR"),
        # ISO names
        ("Viet Nam", "VN"),
        ("Russian Federation", "RU"),
        ("Czechia", "CZ"),
        # a curly apostrophe, as word processors write it
        ("Côte d\u2019Ivoire", "CI"),
        ("People\u2019s Republic of China", "CN"),
    ],
)
def test_common_crm_spellings_give_the_alpha_2_code(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize(
    "text",
    [
        # a qualifier that is more of the name, or a status, is not written first
        "Sint Eustatius and Saba Bonaire",
        "Province of China Taiwan",
    ],
)
def test_only_qualifiers_are_moved_to_the_front(text: str) -> None:
    assert country_code(text) is None


@pytest.mark.parametrize("text", ["Philipines", "Atlantis", "", "U", "Amer"])
def test_text_naming_no_country_gives_none(text: str) -> None:
    assert country_code(text) is None


def test_only_alpha_2_codes_are_codes() -> None:
    assert [is_country_code(t) for t in ("US", "cn", " GB ", "NO")] == [True] * 4
    assert [is_country_code(t) for t in ("USA", "U.S.", "UK", "United States", "XX")] == [False] * 5


def test_every_iso_code_and_name_reads_as_its_code_and_none_names_two_countries() -> None:
    codes: dict[str, set[str]] = defaultdict(set)
    for text, code in iso_names():
        codes[folded(text)].add(code)
        assert country_code(text) == code, text
    assert [text for text, found in codes.items() if len(found) > 1] == []
    assert len({code for found in codes.values() for code in found}) == len(pycountry.countries)


def test_synonyms_hold_only_what_the_iso_names_lack_and_name_real_codes() -> None:
    iso = {folded(text) for text, _ in iso_names()}
    listed = list(synonyms())
    assert [text for text, _ in listed if folded(text) in iso] == []
    assert [code for _, code in listed if not is_country_code(code)] == []
    assert len({folded(text) for text, _ in listed}) == len(listed)  # none listed twice

"""Normalized company names and domains, and the similarity threshold checked on real names."""

from __future__ import annotations

import csv
import re

import numpy
import pytest
from cleanco import basename
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from execrank.identity import (
    NAME_SIMILARITY_THRESHOLD,
    company_name_key,
    domain_key,
    may_be_one_company,
)
from tests.conftest import shared_file

GROUP_WORDS = {"group", "holdings", "holding", "hldgs", "companies", "cos"}


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("ACME Ltd", "acme"),
        ("Acme Limited", "acme"),
        ("ACME 有限公司", "acme"),
        ("ACME（中国）有限公司", "acme"),  # full-width brackets, place marker
        ("Tesla Motors Co., Ltd.", "teslamotors"),  # two suffixes, stripped in turn
        ("The Home Depot", "homedepot"),
        ("Blackstone Group", "blackstone"),  # group words: Fortune 2021 vs 2024
        ("Travelers Cos.", "travelers"),
        ("Clear Channel Outdoor Hldgs.", "clearchanneloutdoor"),
        ("Clear Channel Outdoor Holdings", "clearchanneloutdoor"),
        ("ACME Group Holdings Ltd.", "acme"),
        ("Advanced Micro Devices (AMD)", "advancedmicrodevices"),  # initials in brackets
        ("Acme (Pty) Ltd", "acme"),  # legal forms in brackets
        ("Acme (有限公司)", "acme"),
        ("上海浦东发展银行（股份）", "上海浦东发展银行"),
        ("Acme Inc. (NYSE: ACME)", "acme"),  # stock tickers with their exchange
        ("贵州茅台（600519.SH）", "贵州茅台"),
        ("Northwind Traders (East)", "northwindtraderseast"),  # other brackets: words of the name
        ("华润置地（北京）", "华润置地北京"),  # a city is a place, not the mainland marker
        ("Acme (Hong Kong) Ltd", "acmehongkong"),
        ("Jones Financial (Edward Jones)", "jonesfinancialedwardjones"),
        ("The Group Ltd", "group"),  # a group word alone is the name
        ("*ST大唐", "大唐"),  # trading-status markers of Chinese listed companies
        ("XD中金黄", "中金黄"),
        ("STAR Inc", "star"),  # only before a Chinese character
        ("AT&T Inc.", "att"),
        ("华为技术集团股份有限公司", "华为技术"),
        ("上工Ｂ股", "上工b股"),  # full-width letter
        ("集团", "集团"),  # a suffix alone is the name
        ("Limited", None),
        ("", None),
    ],
)
def test_company_name_key(name: str, key: str | None) -> None:
    assert company_name_key(name) == key


@pytest.mark.parametrize(
    ("domain", "key"),
    [
        ("https://www.Acme.com/about", "acme.com"),
        ("acme.com.", "acme.com"),
        ("http://shop.acme.co.uk:8080", "shop.acme.co.uk"),
        ("localhost", None),
        (None, None),
    ],
)
def test_domain_key(domain: str | None, key: str | None) -> None:
    assert domain_key(domain) == key


@pytest.mark.parametrize(
    ("first", "second", "one"),
    [
        ("Sequoia Capital Fund III", "Sequoia Capital Fund II", False),  # roman numerals
        ("Blackstone Real Estate Partners IX", "Blackstone Real Estate Partners X", False),
        ("Apollo Investment Fund 2021", "Apollo Investment Fund 2022", False),  # numbers
        ("Shenzhen Energy Group 1", "Shenzhen Energy Group 2", False),
        ("Sequoia Capital Fund III", "Sequoia Capital Fund", False),  # a number one name lacks
        ("Northwind Traders East", "Northwind Traders West", False),  # directions
        ("Northwind Traders North", "Northwind Traders", False),
        ("Acme Capital Partners A", "Acme Capital Partners B", False),  # "a" / "b": 0 similar
        ("Acme Capital Global Partners", "Acme Capital Partners", False),  # a word one lacks
        ("深圳能源集团一", "深圳能源集团二", False),  # Chinese series suffixes
        ("深圳能源集团第一分公司", "深圳能源集团第二分公司", False),
        ("广州东有限公司", "广州西有限公司", False),  # Chinese directions
        ("Northwind Traders (East)", "Northwind Traders (West)", False),  # in brackets
        ("Acme Holdings (Fund II)", "Acme Holdings (Fund III)", False),
        ("华润置地（北京）", "华润置地（上海）", False),
        ("Initech Systems International", "Initech Sytems International", True),  # 92.3 misspelt
        ("Berkshire Hathaway Energy", "Berkshire Hathway Energy Inc.", True),  # 93.3, a suffix
        ("ACME Ltd", "ACME 有限公司", True),
        ("Sequoia Capital Fund III Ltd", "Sequoia Capital Fund III", True),
        ("华为技术集团股份有限公司", "华为技术有限公司", True),
        ("Northwind Traders (East)", "Northwind Traders East", True),
    ],
)
def test_names_may_be_one_company_unless_a_number_direction_or_word_differs(
    first: str, second: str, one: bool
) -> None:
    assert may_be_one_company(first, second) is one
    assert may_be_one_company(second, first) is one


SUFFIXES = [
    "",
    " Ltd",
    " Limited",
    " Inc.",
    " Corp",
    " 有限公司",
    " 股份有限公司",
    "（中国）有限公司",
]


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=12),
    st.sampled_from(SUFFIXES),
    st.sampled_from(SUFFIXES),
)
def test_legal_suffixes_never_separate_a_name(base: str, first: str, second: str) -> None:
    assert company_name_key(base.upper() + first) == company_name_key(base.title() + second)


def closest_distinct_pair(names: list[str]) -> tuple[float, str, str]:
    keys = sorted({k for k in map(company_name_key, names) if k})
    scores = numpy.triu(process.cdist(keys, keys, scorer=fuzz.ratio), k=1)  # each pair once
    first, second = numpy.unravel_index(numpy.argmax(scores), scores.shape)
    return float(scores[first, second]), keys[first], keys[second]


@pytest.mark.parametrize(
    ("parts", "column", "closest"),
    [
        (
            ("fortune1000_2021", "Fortune_1000.csv"),
            "company",
            # "CIT Group" is "cit" once group words go: far from "citigroup"
            (92.3, "anixterinternational", "baxterinternational"),
        ),
        (("fortune1000_2024", "fortune_companies.csv"), "Company", (92.3, "avient", "navient")),
    ],
)
def test_no_two_fortune_companies_reach_the_threshold(
    parts: tuple[str, str], column: str, closest: tuple[float, str, str]
) -> None:
    with shared_file(*parts).open(encoding="utf-8-sig") as handle:
        names = [row[column] for row in csv.DictReader(handle)]
    # 1,000 different companies: 1,000 different keys, none within the threshold of another.
    assert len({company_name_key(n) for n in names}) == len(names) == 1000
    score, first, second = closest_distinct_pair(names)
    assert (round(score, 1), first, second) == closest
    assert score < NAME_SIMILARITY_THRESHOLD


@pytest.mark.slow
def test_no_two_chinese_listed_companies_reach_the_threshold() -> None:
    path = shared_file("cn_companies", "tushare_stock_basics_2018.csv")
    with path.open(encoding="utf-8-sig") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    assert len({company_name_key(n) for n in names}) == len(set(names)) == 3540
    score, first, second = closest_distinct_pair(names)
    # 东方通 and 东方通信 are two companies: 2 x 3 / 7 = 85.7
    assert (round(score, 1), first, second) == (85.7, "东方通", "东方通信")


def test_legal_suffixes_are_cleancos_on_real_names() -> None:
    # The key strips suffixes with cleanco's terms (only those ending with the name's last word,
    # for speed); on real names it must agree with cleanco's own basename.
    names = []
    for parts, column in (
        (("fortune1000_2021", "Fortune_1000.csv"), "company"),
        (("fortune1000_2024", "fortune_companies.csv"), "Company"),
        (("crm_sales_opportunities", "accounts.csv"), "account"),
    ):
        with shared_file(*parts).open(encoding="utf-8-sig") as handle:
            names += [row[column] for row in csv.DictReader(handle)]
    names += ["Tesla Motors Co., Ltd.", "Foo GmbH & Co. KG", "Baz Pty Ltd", "Qux L.L.C."]
    # Leading "The", group words and bracketed noise are removed beyond cleanco (cases above).
    plain = [
        n
        for n in names
        if not n.lower().startswith("the ")
        and "(" not in n
        and not GROUP_WORDS & set(re.findall(r"[a-z]+", n.lower()))
    ]
    expected = {
        n: re.sub(r"[\W_]+", "", basename(basename(n).strip(" ,.-")).casefold()) for n in plain
    }
    assert {n: company_name_key(n) for n in plain} == expected

"""Accuracy of the title normalizer on labelled titles: our own set and the shared data files.

Our set, tests/titles/labelled_titles.csv, is the specification: 649 titles of the kinds seen in
CRM exports and Chinese annual reports (346 Chinese, simplified and traditional), each labelled
by hand with seniority, function and flags; the note column says why where a decision was
needed. docs/titles.md gives the measured figures and the commands.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from execrank.titles import FLAGS, FUNCTIONS, SENIORITIES, classify

LABELLED = Path(__file__).resolve().parent / "labelled_titles.csv"
SHARED_RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
ROOTSTRAP_AREA = SHARED_RAW / "job_titles_labeled" / "rootstrap_titles_by_area.tsv"

# Issue 3's targets on our labelled set, asserted as floors. Measured with titles-4: seniority,
# function and flags 1.000 (655/655; titles-3: 649/649). The first 526 titles were written
# before the vocabularies were improved (with general rules) until they passed; 59 more
# ("held-out" in the note) were written afterwards and first measured 0.983, 0.966 and 1.000
# (titles-2), and the last 64 ("held-out 2") later still: 0.969, 0.969 and 0.984 with titles-2
# (docs/titles.md).
SENIORITY_TARGET = 0.97
FUNCTION_TARGET = 0.95
FLAGS_TARGET = 0.95

# The traps the issue names; each must be in the set.
TRAPS = [
    "VP of Engineering | ex-Google",
    "CEO @ Acme",
    "C.E.O.",
    "International Sales Manager",
    "Engineer at CEO Ventures",
    "Assistant to the CEO",
    "总经理助理",
    "Former CFO",
    "原总经理",
    "代理董事长",
    "Co-founder & CEO",
    "副总裁兼CFO",
    "董事长兼总经理",
    "EVP & CFO",
    "總經理",
    "首席信息官",
    "董秘",
    "General Counsel",
    "Owner",
    "Partner",
    "Managing Partner",
    "CEO Office Manager",
    "Head of Data Platform",
    "数据平台负责人",
    "信息中心主任",
    "IT部经理",
    "人力资源总监",
    "市场部副总监",
    "首席数字官",
    "财务总监",
    "技术总监",
    "销售副总裁",
    "区域总经理",
    "分公司总经理",
]


def _labelled() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _is_chinese(title: str) -> bool:
    return any("\u4e00" <= character <= "\u9fff" for character in title)


def test_the_labelled_set_is_large_half_chinese_and_holds_the_traps() -> None:
    rows = _labelled()
    titles = [row["title"] for row in rows]
    chinese = sum(_is_chinese(title) for title in titles)
    assert len(rows) >= 300 and len(set(titles)) == len(titles)
    assert 0.4 <= chinese / len(rows) <= 0.6, f"{chinese} of {len(rows)} titles are Chinese"
    assert [trap for trap in TRAPS if trap not in titles] == []
    for row in rows:
        flags = [flag for flag in row["flags"].split(";") if flag]
        assert row["seniority"] in SENIORITIES, row
        assert row["function"] in FUNCTIONS, row
        assert set(flags) <= set(FLAGS), row


def test_accuracy_per_field_on_the_labelled_set_meets_the_issue_targets() -> None:
    rows = _labelled()
    right: Counter[str] = Counter()
    wrong = []
    for row in rows:
        info = classify(row["title"])
        flags = tuple(flag for flag in row["flags"].split(";") if flag)
        hits = {
            "seniority": info.seniority == row["seniority"],
            "function": info.function == row["function"],
            "flags": info.flags == flags,
        }
        right.update(field for field, hit in hits.items() if hit)
        if not all(hits.values()):
            wrong.append((row["title"], info))
    accuracy = {field: right[field] / len(rows) for field in ("seniority", "function", "flags")}
    report = f"accuracy {accuracy}, wrong: {wrong}"
    print(f"our set, {len(rows)} titles: {report}")
    assert accuracy["seniority"] >= SENIORITY_TARGET, report
    assert accuracy["function"] >= FUNCTION_TARGET, report
    assert accuracy["flags"] >= FLAGS_TARGET, report


# The rootstrap file labels 702 English titles with an area. Our functions map onto its areas as
# below; the labels are noisy (support functions are "Other" about half the time, business
# development is "Business", technology executives are often "Business"): docs/titles.md lists the
# kinds of disagreement.
AREA_OF_FUNCTION = {
    "it": "Technical",
    "product": "Technical",
    "marketing": "Sales-Marketing",
    "sales": "Sales-Marketing",
    "customer": "Sales-Marketing",
    "executive": "Business",
    "finance": "Business",
    "operations": "Business",
    "hr": "Business",
    "legal": "Business",
    "strategy": "Business",
    "administration": "Business",
    "other": "Other",
}
# Measured with titles-2 and titles-3: 0.550 (386/702); per area Technical 0.685,
# Sales-Marketing 0.887, Business 0.559, Other 0.335. The floor leaves a small margin for
# vocabulary trade-offs.
ROOTSTRAP_AREA_FLOOR = 0.53


def test_area_agreement_with_the_rootstrap_labels() -> None:
    if not ROOTSTRAP_AREA.exists():
        pytest.skip(f"shared data file {ROOTSTRAP_AREA} is not present")
    with ROOTSTRAP_AREA.open(encoding="utf-8", newline="") as handle:
        rows = [
            (row["Position"], row["Classification"].strip())
            for row in csv.DictReader(handle, delimiter="\t")
        ]
    assert set(AREA_OF_FUNCTION) == set(FUNCTIONS)
    right, total = Counter[str](), Counter[str]()
    for title, area in rows:
        total[area] += 1
        right[area] += AREA_OF_FUNCTION[classify(title).function] == area
    agree = sum(right.values())
    per_area = {area: round(right[area] / total[area], 3) for area in total}
    print(f"rootstrap area: {agree / len(rows):.3f} ({agree}/{len(rows)}), {per_area}")
    assert len(rows) == 702
    assert agree / len(rows) >= ROOTSTRAP_AREA_FLOOR, f"agreement {agree}/{len(rows)}"

"""Behaviour of the title normalizer through its public API, execrank.titles."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import execrank.titles as titles
from execrank.titles import FLAGS, FUNCTIONS, SENIORITIES, TitleInfo, classify

SHARED_RAW = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "raw"
ROOTSTRAP = SHARED_RAW / "job_titles_labeled" / "rootstrap_titles_by_level.tsv"
LEMONHU = SHARED_RAW / "cn_executives" / "lemonhu_executive_prep.csv"


def shared_file(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data file {path} is not present (the shared folder is absent)")
    return path


def test_public_api_is_exactly_the_documented_names() -> None:
    assert sorted(titles.__all__) == sorted(
        ["TitleInfo", "classify", "CLASSIFIER_VERSION", "SENIORITIES", "FUNCTIONS", "FLAGS"]
    )
    assert SENIORITIES == ("board", "c_level", "vp", "director", "manager", "staff")
    assert FLAGS == ("acting", "assistant", "chair", "chief_executive", "former", "founder")
    assert FUNCTIONS[0] == "executive" and FUNCTIONS[-1] == "other" and len(FUNCTIONS) == 13
    assert titles.CLASSIFIER_VERSION.startswith("titles-")


# (title, seniority, function, flags)
CASES: list[tuple[str, str, str, tuple[str, ...]]] = [
    # ---- board
    ("Chairman", "board", "executive", ("chair",)),
    ("Chairwoman of the Board", "board", "executive", ("chair",)),
    ("Vice Chair", "board", "executive", ()),
    ("Board Member", "board", "executive", ()),
    ("Board of Directors member", "board", "executive", ()),
    ("Director of the Board", "board", "executive", ()),
    ("Independent Director", "board", "executive", ()),
    ("Non-Executive Director", "board", "executive", ()),
    ("Chairman & CEO", "board", "executive", ("chair", "chief_executive")),
    ("Chairman Emeritus", "board", "executive", ("chair", "former")),
    # every distinct `jobs` string of the lemonhu Chinese executives file
    ("董事", "board", "executive", ()),
    ("独立董事", "board", "executive", ()),
    ("董事长/董事", "board", "executive", ("chair",)),
    ("副董事长/董事", "board", "executive", ()),
    ("独立非执行董事", "board", "executive", ()),
    ("执行董事", "board", "executive", ()),
    ("职工董事", "board", "executive", ()),
    ("非执行董事", "board", "executive", ()),
    ("董事长/执行董事", "board", "executive", ("chair",)),
    ("副董事长/执行董事", "board", "executive", ()),
    ("名誉董事长", "board", "executive", ()),
    ("代董事长/董事", "board", "executive", ("acting", "chair")),
    ("董事局主席/董事", "board", "executive", ("chair",)),
    ("副董事长/非执行董事", "board", "executive", ()),
    ("董事局副主席/董事", "board", "executive", ()),
    ("董事长/非执行董事", "board", "executive", ("chair",)),
    ("外部董事", "board", "executive", ()),
    ("代董事长/副董事长/董事", "board", "executive", ("acting", "chair")),
    ("名誉董事长/董事", "board", "executive", ()),
    ("执行董事长/董事", "board", "executive", ("chair",)),
    ("常务副董事长/董事", "board", "executive", ()),
    ("董事长/职工董事", "board", "executive", ("chair",)),
    ("董事局主席/执行董事", "board", "executive", ("chair",)),
    ("副董事长/职工董事", "board", "executive", ()),
    ("荣誉董事长", "board", "executive", ()),
    ("执行董事长/董事长/董事", "board", "executive", ("chair",)),
    ("代董事长/副董事长/执行董事", "board", "executive", ("acting", "chair")),
    ("董事会主席/董事", "board", "executive", ("chair",)),
    ("董事会副主席/董事", "board", "executive", ()),
    ("董事局常务副主席/执行董事", "board", "executive", ()),
    ("名誉主席", "board", "executive", ()),
    ("终身名誉董事长/董事长/董事", "board", "executive", ("chair",)),
    ("监事会主席", "board", "executive", ()),
    ("董事长兼总经理", "board", "executive", ("chair", "chief_executive")),
    # a director who is also the chief executive: the board seniority hides the role, the flag
    # keeps it; a unit's general manager, a deputy, an assistant or a former CEO is not one
    ("董事/总经理", "board", "executive", ("chief_executive",)),
    ("董事、分公司总经理", "board", "executive", ()),
    ("董事、副总经理", "board", "executive", ()),
    ("Board member, former CEO", "board", "executive", ()),
    ("前任董事长", "board", "executive", ("chair", "former")),
    # traditional Chinese
    ("董事長", "board", "executive", ("chair",)),
    ("獨立董事", "board", "executive", ()),
    # ---- c_level
    ("CEO", "c_level", "executive", ()),
    ("C.E.O.", "c_level", "executive", ()),
    ("Chief Executive Officer", "c_level", "executive", ()),
    ("CEO @ Acme", "c_level", "executive", ()),
    ("EVP & CFO", "c_level", "finance", ()),
    ("Chief Marketing Officer", "c_level", "marketing", ()),
    ("Chief Revenue Officer", "c_level", "sales", ()),
    ("Chief Information Security Officer", "c_level", "it", ()),
    ("CTO", "c_level", "it", ()),
    ("CIO", "c_level", "it", ()),
    ("CDO", "c_level", "it", ()),
    ("COO", "c_level", "operations", ()),
    ("CxO", "c_level", "executive", ()),
    ("President", "c_level", "executive", ()),
    ("President & CEO", "c_level", "executive", ()),
    ("General Manager", "c_level", "executive", ()),
    ("Managing Director", "c_level", "executive", ()),
    ("Managing Director at Acme GmbH", "c_level", "executive", ()),
    ("Co-founder & CEO", "c_level", "executive", ("founder",)),
    ("Co-Founder & CTO", "c_level", "it", ("founder",)),
    ("Founder", "c_level", "executive", ("founder",)),
    ("Former CEO", "c_level", "executive", ("former",)),
    ("ex-CFO", "c_level", "finance", ("former",)),
    ("CEO (retired)", "c_level", "executive", ("former",)),
    ("Interim CFO", "c_level", "finance", ("acting",)),
    ("总经理", "c_level", "executive", ()),
    ("总裁", "c_level", "executive", ()),
    ("首席执行官", "c_level", "executive", ()),
    ("首席财务官", "c_level", "finance", ()),
    ("首席技术官", "c_level", "it", ()),
    ("副总裁兼CFO", "c_level", "finance", ()),
    ("原总经理", "c_level", "executive", ("former",)),
    ("代理总经理", "c_level", "executive", ("acting",)),
    ("创始人兼CEO", "c_level", "executive", ("founder",)),
    ("總經理", "c_level", "executive", ()),
    ("總裁", "c_level", "executive", ()),
    # ---- vp
    ("VP of Engineering | ex-Google", "vp", "it", ()),
    ("Vice President, Sales", "vp", "sales", ()),
    ("Vice-President of Finance", "vp", "finance", ()),
    ("SVP Marketing", "vp", "marketing", ()),
    ("EVP, Human Resources", "vp", "hr", ()),
    ("AVP Finance", "vp", "finance", ()),
    ("Sr. VP, Customer Success", "vp", "customer", ()),
    ("V.P. of Operations", "vp", "operations", ()),
    ("VP, Legal & Compliance", "vp", "legal", ()),
    ("VP Product", "vp", "product", ()),
    ("VP, Corporate Strategy", "vp", "strategy", ()),
    ("VP & General Manager, Cloud", "vp", "it", ()),
    ("Deputy General Manager", "vp", "executive", ()),
    ("副总经理", "vp", "executive", ()),
    ("副总裁", "vp", "other", ()),
    ("董事会秘书", "vp", "legal", ()),
    ("董秘", "vp", "legal", ()),
    ("副總經理", "vp", "executive", ()),
    ("董事會秘書", "vp", "legal", ()),
    # ---- director
    ("Director of Marketing", "director", "marketing", ()),
    ("Sales Director, EMEA", "director", "sales", ()),
    ("Head of People", "director", "hr", ()),
    ("Head of Data", "director", "it", ()),
    ("Acting Head of IT", "director", "it", ("acting",)),
    ("GM - Southwest Denver", "director", "executive", ()),
    ("General Manager, Iberia", "director", "executive", ()),
    ("General Manager of Sales", "director", "sales", ()),
    ("Managing Director, Buyouts", "director", "executive", ()),
    ("President of Texas Group", "director", "executive", ()),
    ("Executive Director, Global Marketing", "director", "marketing", ()),
    ("Ops Director", "director", "operations", ()),
    ("R&D Director", "director", "it", ()),
    ("HR Director", "director", "hr", ()),
    ("Chief Architect", "director", "it", ()),
    ("Chief of Staff", "director", "executive", ()),
    ("技术总监", "director", "it", ()),
    ("财务总监", "director", "finance", ()),
    ("办公室主任", "director", "administration", ()),
    ("分公司总经理", "director", "executive", ()),
    ("總監", "director", "other", ()),
    ("財務總監", "director", "finance", ()),
    ("資訊總監", "director", "it", ()),
    # ---- manager
    ("International Sales Manager", "manager", "sales", ()),
    ("Product Manager", "manager", "product", ()),
    ("Customer Success Manager", "manager", "customer", ()),
    ("Team Lead, Data Engineering", "manager", "it", ()),
    ("Mktg Mgr", "manager", "marketing", ()),
    ("BD Manager", "manager", "sales", ()),
    ("Eng Manager", "manager", "it", ()),
    ("Office Manager", "manager", "administration", ()),
    ("Assistant Manager, Procurement", "manager", "operations", ()),
    ("人力资源经理", "manager", "hr", ()),
    ("销售经理", "manager", "sales", ()),
    ("原料采购经理", "manager", "operations", ()),
    ("銷售經理", "manager", "sales", ()),
    # ---- staff
    ("Assistant to the CEO", "staff", "administration", ("assistant",)),
    ("CEO Assistant", "staff", "administration", ("assistant",)),
    ("ex\u2013CFO", "c_level", "finance", ("former",)),  # en dash
    ("ex\u2010CFO", "c_level", "finance", ("former",)),  # Unicode hyphen
    ("ex\u2014CFO", "c_level", "finance", ("former",)),  # em dash
    ("ex\u2212CFO", "c_level", "finance", ("former",)),  # minus sign
    ("Executive Assistant to the VP of Sales", "staff", "administration", ("assistant",)),
    ("Office of the CEO", "staff", "administration", ("assistant",)),
    ("总经理助理", "staff", "administration", ("assistant",)),
    ("董事长秘书", "staff", "administration", ("assistant",)),
    ("總經理助理", "staff", "administration", ("assistant",)),
    ("Engineer at CEO Ventures", "staff", "it", ()),
    ("Software Engineer", "staff", "it", ()),
    ("Financial Analyst", "staff", "finance", ()),
    ("Marketing Intern", "staff", "marketing", ()),
    ("Account Executive", "staff", "sales", ()),
    ("SDR", "staff", "sales", ()),
    ("Recruiter", "staff", "hr", ()),
    ("Paralegal", "staff", "legal", ()),
    ("Receptionist", "staff", "administration", ()),
    ("Data Scientist", "staff", "it", ()),
    ("Band Member", "staff", "other", ()),
    ("Lead Generation Specialist", "staff", "other", ()),
    ("销售代表", "staff", "sales", ()),
    ("软件工程师", "staff", "it", ()),
    # ---- titles-2: decisions and fixes (docs/titles.md)
    ("Owner", "c_level", "executive", ()),
    ("Product Owner", "staff", "product", ()),
    ("Partner", "vp", "executive", ()),
    ("Managing Partner", "c_level", "executive", ()),
    ("HR Business Partner", "staff", "hr", ()),
    ("General Counsel", "vp", "legal", ()),
    ("Deputy General Counsel", "director", "legal", ()),
    ("Controller", "director", "finance", ()),
    ("Country Manager", "director", "executive", ()),
    ("Chief of Staff to the CEO", "director", "executive", ()),
    ("財務長", "c_level", "finance", ()),
    ("執行長", "c_level", "executive", ()),
    ("公司秘書", "vp", "legal", ()),
    ("工会主席", "director", "hr", ()),
    ("支行行长", "director", "executive", ()),
    ("董事长特别助理", "staff", "administration", ("assistant",)),
    ("副总经理、董事会秘书", "vp", "legal", ()),
    # ---- titles-3
    ("Deputy CEO", "vp", "executive", ()),
    ("監察人", "board", "executive", ()),
    ("工程师", "staff", "it", ()),
    ("销售工程师", "staff", "sales", ()),
    ("總經理室主任", "director", "administration", ()),
]


@pytest.mark.parametrize(("title", "seniority", "function", "flags"), CASES)
def test_classify_table(title: str, seniority: str, function: str, flags: tuple[str, ...]) -> None:
    info = classify(title)
    assert (info.seniority, info.function, info.flags) == (seniority, function, flags)


def test_every_chinese_board_title_of_the_executives_file_is_board() -> None:
    path = shared_file(LEMONHU)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = Counter(row["jobs"] for row in csv.DictReader(handle))
    read = {job: classify(job) for job in rows}
    # the chair: one of the jobs is a chair form (not a vice, honorary or supervisory chair)
    chair = re.compile(r"代?(?:执行|常务)?董事长|董事[局会](?:常务)?主席")

    def flags(job: str) -> tuple[str, ...]:
        found = {"acting"} if "代董事长" in job else set()
        found |= {"chair"} if any(chair.fullmatch(part) for part in job.split("/")) else set()
        return tuple(sorted(found))

    expected = {job: TitleInfo("board", "executive", flags(job), 0.95) for job in rows}
    print(f"lemonhu: {len(rows)} distinct jobs, {rows.total()} rows; read as:")
    for info, count in Counter(read[job] for job in rows.elements()).most_common():
        print(f"  {count} rows: {info}")
    assert read == expected


def test_a_role_followed_by_a_unit_name_names_a_unit_not_the_person() -> None:
    assert classify("CEO Office Manager") == classify("Office Manager")
    assert classify("CEO's Assistant").seniority == "staff"
    assert classify("总经理办公室主任") == classify("办公室主任")
    assert classify("董事長室特助").seniority == "staff"
    # The top executive's office is administration; another 室 (a laboratory) is not.
    assert classify("總經理室主任") == classify("总裁室主任") == classify("办公室主任")
    assert classify("实验室主任").function == "other"


def test_a_chinese_marker_of_two_characters_may_stand_before_the_function() -> None:
    assert classify("代理财务总监").flags == ("acting",)
    assert classify("前任财务总监").flags == ("former",)
    assert classify("代理商销售经理").flags == ()  # 代理商 is a distributor
    assert classify("原料采购经理").flags == ()  # one-character markers must touch the role


def test_a_marker_may_stand_before_the_function_words_of_the_role() -> None:
    assert classify("原财务总监").flags == ("former",)
    assert classify("原人力资源副总裁").flags == ("former",)
    assert classify("代财务总监").flags == ("acting",)
    assert classify("前市场总监 at 华为").flags == ("former",)
    # ...but not one that is part of a word: raw materials, reception, OEM, outsourced operations
    assert classify("原料采购经理").flags == ()
    assert classify("前台经理").flags == ()
    assert classify("代工厂经理").flags == ()
    assert classify("代运营经理").flags == ()
    assert classify("原事业部市场专员").flags == ()  # 事业部 is not a function word


def test_spacing_does_not_change_the_reading() -> None:
    assert classify("Biz  Dev   Manager") == classify("Biz Dev Manager")
    assert classify("VP  Sales") == classify("VP Sales")


def test_empty_title_is_staff_other_with_no_confidence() -> None:
    assert classify("") == TitleInfo("staff", "other", (), 0.0)
    assert classify("   ") == TitleInfo("staff", "other", (), 0.0)


def test_confidence_says_how_much_of_the_title_was_understood() -> None:
    understood = classify("VP of Engineering").confidence
    role_only = classify("Vice President").confidence  # a role, no function
    function_only = classify("Marketing").confidence  # a function, no role
    nothing = classify("Primate Handler").confidence
    assert understood >= 0.9
    assert 0.5 <= role_only < understood
    assert nothing < function_only < 0.5


def test_former_marker_must_qualify_the_role_itself() -> None:
    assert classify("VP of Engineering | ex-Google").flags == ()
    assert classify("VP Sales, ex-Oracle").flags == ()
    assert classify("Former VP of Engineering").flags == ("former",)


def test_a_current_role_outranks_a_former_one() -> None:
    # The person is a VP today; the CEO title is history, so it neither wins nor flags.
    assert classify("VP Sales | former CEO of Acme") == classify("VP Sales")


def test_word_boundaries_keep_roles_inside_other_words_out() -> None:
    assert classify("International Relations Coordinator").seniority == "staff"
    assert classify("Internship").seniority == "staff"
    assert classify("MVP Award Winner").seniority == "staff"
    assert classify("Leadership Coach").seniority == "staff"
    assert classify("Armchair Traveller").seniority == "staff"


def test_text_after_at_is_the_employer_not_a_role() -> None:
    assert classify("Engineer at CEO Ventures").seniority == "staff"
    assert classify("Analyst @ Chief Executives Club").seniority == "staff"
    assert classify("Head of Design at Deputy") == classify("Head of Design")


# ---- properties -------------------------------------------------------------------------------

TITLES = [case[0] for case in CASES]
NOISE = [" | ex-Google", " @ Acme Corp", " @ CEO Ventures", " | ex-McKinsey & Co"]
# Traditional and simplified spellings of the same fragments.
CHINESE_PAIRS = [
    ("董事长", "董事長"),
    ("总经理", "總經理"),
    ("副总经理", "副總經理"),
    ("总监", "總監"),
    ("财务", "財務"),
    ("技术", "技術"),
    ("销售", "銷售"),
    ("经理", "經理"),
    ("独立董事", "獨立董事"),
    ("董事会秘书", "董事會秘書"),
    ("助理", "助理"),
    ("职工", "職工"),
    ("营运", "營運"),
    ("人力资源", "人力資源"),
    ("代", "代"),
    ("原", "原"),
]
CHINESE_SEPARATORS = ["", "/", "兼", "、"]


# The first call of a process reads the vocabularies (~0.2 s): no per-example deadline.
no_deadline = settings(deadline=None)


def _valid(info: TitleInfo) -> bool:
    return (
        info.seniority in SENIORITIES
        and info.function in FUNCTIONS
        and set(info.flags) <= set(FLAGS)
        and list(info.flags) == sorted(set(info.flags))
        and 0.0 <= info.confidence <= 1.0
    )


@no_deadline
@given(st.text(max_size=300))
def test_classify_never_raises_and_stays_in_the_vocabulary(title: str) -> None:
    assert _valid(classify(title))


@no_deadline
@given(st.lists(st.sampled_from([*TITLES, *NOISE, " and ", ", ", " - ", "/", "&"]), max_size=6))
def test_classify_stays_in_the_vocabulary_on_mixed_titles(parts: list[str]) -> None:
    assert _valid(classify("".join(parts)))


@no_deadline
@given(st.sampled_from(TITLES) | st.text(max_size=40), st.sampled_from(NOISE))
def test_employer_and_past_employer_noise_does_not_change_seniority(title: str, noise: str) -> None:
    assert classify(title + noise).seniority == classify(title).seniority


@no_deadline
@given(st.text(max_size=80) | st.sampled_from(TITLES))
def test_classify_is_deterministic(title: str) -> None:
    assert classify(title) == classify("".join(list(title)))


CHINESE_MARKERS = dict.fromkeys(["原", "前", "前任", "曾任"], "former") | dict.fromkeys(
    ["代", "代理", "暂代"], "acting"
)
CHINESE_FUNCTION_WORDS = ["销售", "市场", "财务", "技术", "人力资源", "运营", "产品", "信息"]
CHINESE_FUNCTION_WORDS += ["采购", "法务", "研发", "行政", "客服", "战略", "数据"]
CHINESE_ROLES = ["总监", "副总监", "经理", "副总裁", "负责人", "主管", "专员", "總監", "經理"]


@no_deadline
@given(
    st.sampled_from(sorted(CHINESE_MARKERS)),
    st.sampled_from(CHINESE_FUNCTION_WORDS),
    st.sampled_from(CHINESE_ROLES),
)
def test_a_chinese_marker_before_the_function_words_flags_the_role(
    marker: str, function_words: str, role: str
) -> None:
    if marker + function_words == "代运营":  # outsourced operations, a word of its own
        return
    plain = classify(function_words + role)
    marked = classify(marker + function_words + role)
    flags = tuple(sorted({*plain.flags, CHINESE_MARKERS[marker]}))
    assert marked == TitleInfo(plain.seniority, plain.function, flags, plain.confidence)


@no_deadline
@given(st.lists(st.tuples(st.sampled_from(CHINESE_PAIRS), st.sampled_from(CHINESE_SEPARATORS))))
def test_traditional_and_simplified_chinese_read_the_same(
    parts: list[tuple[tuple[str, str], str]],
) -> None:
    simplified = "".join(pair[0] + separator for pair, separator in parts)
    traditional = "".join(pair[1] + separator for pair, separator in parts)
    assert classify(traditional) == classify(simplified)


# ---- evaluation on labelled titles -----------------------------------------------------------

# The rootstrap file labels 700 English titles by level. C-Suite covers our board and c_level.
EXPECTED = {
    "C-Suite": {"c_level", "board"},
    "VP": {"vp"},
    "Director": {"director"},
    "Manager": {"manager"},
    "Other": {"staff"},
}
# Measured with titles-2 and titles-3: 0.894 overall (626/700); per class C-Suite 0.940, VP 0.943,
# Director 0.902, Manager 0.817, Other 0.864. (titles-1: 0.909. The annotators file owners,
# partners and controllers under Other or Manager, where our decisions rank them c_level, vp and
# director; see docs/titles.md.) The margins leave room for vocabulary trade-offs, not for
# regressions.
ROOTSTRAP_ACCURACY_FLOOR = 0.89
ROOTSTRAP_CLASS_FLOOR = 0.80


def test_seniority_accuracy_on_labelled_rootstrap_titles() -> None:
    path = shared_file(ROOTSTRAP)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            (row["Position"], row["Classification"].strip())
            for row in csv.DictReader(handle, delimiter="\t")
        ]
    right, total = Counter[str](), Counter[str]()
    for title, label in rows:
        total[label] += 1
        right[label] += classify(title).seniority in EXPECTED[label]
    accuracy = sum(right.values()) / len(rows)
    per_class = {label: round(right[label] / total[label], 3) for label in total}
    print(f"rootstrap level: {accuracy:.3f} ({sum(right.values())}/{len(rows)}), {per_class}")
    assert len(rows) == 700 and set(total) == set(EXPECTED)
    assert accuracy >= ROOTSTRAP_ACCURACY_FLOOR, f"accuracy {accuracy:.3f}, per class {per_class}"
    assert min(per_class.values()) >= ROOTSTRAP_CLASS_FLOOR, f"per class {per_class}"

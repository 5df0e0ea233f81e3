"""Imports recognise records already stored: a contact by email, a company by domain, normalized
name or a near-identical name; the row takes the stored id and its own id becomes an alias."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execrank import service
from execrank.merge import Duplicate, find_duplicates, merges
from execrank.store import Store
from tests.conftest import write_csv

WHEN = datetime(2026, 12, 1)
COMPANY = ["company_id", "name", "domain", "industry"]
CONTACT = ["contact_id", "name", "email", "title", "company_id"]


def import_(store: Store, kind: str, path: Path) -> service.ImportReport:
    return service.import_file(store, kind, path, ingested_at=WHEN, rejects_dir=path.parent)


def aliases(store: Store) -> list[tuple[str, str, str, str]]:
    return store.query("SELECT kind, alias_id, canonical_id, reason FROM aliases ORDER BY 1, 2")


def test_acme_ltd_acme_limited_and_acme_you_xian_gong_si_are_one_company(
    store: Store, tmp_path: Path
) -> None:
    files = {
        "salesforce": [
            ["sf-1", "ACME Ltd", "", "Software"],
            ["sf-2", "Globex Corporation", "https://www.globex.com", ""],
            ["sf-3", "Initech Systems International", "", ""],
        ],
        "hubspot": [
            ["hs-7", "Acme Limited", "", "Computer Software"],
            ["hs-8", "Globex Intl", "globex.com", "Energy"],
            ["hs-9", "Initech Sytems International", "", ""],  # typo: 2 x 26 / 53 = 98.1
        ],
        "china": [["cn-3", "ACME 有限公司", "", ""], ["cn-4", "ACME 有限公司", "", ""]],
    }
    reports = [
        import_(store, "companies", write_csv(tmp_path / f"{name}.csv", COMPANY, rows))
        for name, rows in files.items()
    ]
    assert [(r.counts.inserted, r.resolved) for r in reports] == [(3, 0), (0, 3), (0, 2)]
    # Both Chinese rows are ACME: one stored record, so the second is a repeat in the file.
    assert reports[2].duplicates_in_file == 1
    # Non-empty values of the later CRM update the record; its blanks leave it alone.
    assert store.query("SELECT company_id, name, domain, industry FROM companies ORDER BY 1") == [
        ("sf-1", "ACME 有限公司", None, "Computer Software"),
        ("sf-2", "Globex Intl", "globex.com", "Energy"),
        ("sf-3", "Initech Sytems International", None, None),
    ]
    assert aliases(store) == [
        ("companies", "cn-3", "sf-1", "same name acme"),
        ("companies", "cn-4", "sf-1", "same name acme"),
        ("companies", "hs-7", "sf-1", "same name acme"),
        ("companies", "hs-8", "sf-2", "same domain globex.com"),
        (
            "companies",
            "hs-9",
            "sf-3",
            "similar name initechsystemsinternational ~ initechsytemsinternational (98.1)",
        ),
    ]
    # A contact naming an alias lands on the company.
    people = write_csv(tmp_path / "ct.csv", CONTACT, [["p1", "Li", "", "CEO", "cn-3"]])
    import_(store, "contacts", people)
    assert store.query("SELECT company_id FROM contacts") == [("sf-1",)]


def test_rows_of_one_file_with_different_ids_stay_apart(store: Store, tmp_path: Path) -> None:
    # Two records in one CRM: kept as they are, for `execrank dedupe` to review and merge.
    rows = [["c1", "ACME Ltd", "", ""], ["c2", "Acme Limited", "", ""]]
    report = import_(store, "companies", write_csv(tmp_path / "co.csv", COMPANY, rows))
    assert (report.counts.inserted, report.resolved) == (2, 0)
    assert find_duplicates(store, "companies") == [
        Duplicate("companies", "c1", "c2", "same name acme", 100.0)
    ]


def test_contact_matched_by_case_folded_email_across_files(store: Store, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", CONTACT, [["003A", "Ann Lee", "Ann@Acme.com", "CEO", ""]])
    second = write_csv(tmp_path / "b.csv", CONTACT, [["hs-42", "Ann", "ann@ACME.com", "", ""]])
    import_(store, "contacts", first)
    report = import_(store, "contacts", second)
    assert (report.resolved, report.counts.inserted) == (1, 0)
    assert store.query("SELECT contact_id, name, title FROM contacts") == [("003A", "Ann", "CEO")]
    assert aliases(store) == [("contacts", "hs-42", "003A", "same email ann@acme.com")]
    # Events exported with the other CRM's id count for the one person; re-import changes nothing.
    events = write_csv(
        tmp_path / "ev.csv",
        ["contact_id", "event_type", "occurred_at"],
        [["hs-42", "meeting", "2026-11-20"]],
    )
    assert import_(store, "events", events).counts.inserted == 1
    assert import_(store, "events", events).counts.unchanged == 1
    assert import_(store, "contacts", second).counts.unchanged == 1
    assert store.query("SELECT contact_id FROM events") == [("003A",)]


def test_crm_ids_and_names_below_the_threshold_stay_apart(store: Store, tmp_path: Path) -> None:
    rows = [
        ["c1", "Anixter International", "", ""],
        ["c2", "Baxter International", "", ""],  # the closest Fortune pair: 92.3, under 95
        ["c3", "Avient", "", ""],
        ["c4", "Navient", "", ""],
    ]
    report = import_(store, "companies", write_csv(tmp_path / "co.csv", COMPANY, rows))
    assert (report.counts.inserted, report.resolved) == (4, 0)
    # Re-importing a stored id updates that record, whatever its name now says.
    renamed = write_csv(tmp_path / "co2.csv", COMPANY, [["c2", "Anixter International", "", ""]])
    assert import_(store, "companies", renamed).counts.updated == 1
    assert store.count("companies") == 4
    assert aliases(store) == []


SERIES = [
    # All 95-98 similar as keys; each pair differs in a number, a roman numeral or a direction.
    ("Sequoia Capital Fund III", "Sequoia Capital Fund II"),
    ("Blackstone Real Estate Partners IX", "Blackstone Real Estate Partners X"),
    ("Apollo Investment Fund 2021", "Apollo Investment Fund 2022"),
    ("Northwind Traders East", "Northwind Traders West"),
    ("Shenzhen Energy Group 1", "Shenzhen Energy Group 2"),
    # A misspelt word is still the same company: 2 x 22 / 45 = 97.8
    ("Berkshire Hathaway Energy", "Berkshire Hathway Energy"),
]


HATHAWAY_KEYS = ("berkshirehathawayenergy", "berkshirehathwayenergy")


@pytest.mark.parametrize(("old", "new"), [(0, 1), (1, 0)])
def test_names_differing_in_a_number_or_direction_are_never_merged_on_similarity(
    store: Store, tmp_path: Path, old: int, new: int
) -> None:
    def companies(side: int, pairs: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
        return [(f"f{side}-{n}", pair[side], f"industry {side}") for n, pair in enumerate(pairs)]

    first, second = (
        write_csv(
            tmp_path / f"f{side}.csv",
            COMPANY,
            [[i, n, "", d] for i, n, d in companies(side, SERIES)],
        )
        for side in (old, new)
    )
    import_(store, "companies", first)
    report = import_(store, "companies", second)
    # Only the misspelt Berkshire Hathaway row is a stored record; the other five are new.
    assert (report.counts.inserted, report.resolved) == (5, 1)
    # The stored record of the merged row takes its values, as an import's row does.
    kept, merged = f"f{old}-5", f"f{new}-5"
    assert store.query("SELECT company_id, name, industry FROM companies ORDER BY 1") == sorted(
        companies(old, SERIES[:5])
        + companies(new, SERIES[:5])
        + [(kept, SERIES[5][new], f"industry {new}")]
    )
    assert aliases(store) == [
        (
            "companies",
            merged,
            kept,
            f"similar name {HATHAWAY_KEYS[old]} ~ {HATHAWAY_KEYS[new]} (97.8)",
        )
    ]
    # The similarity merge is listed by `execrank merges` for review, like any other merge.
    assert [(m.kept_id, m.merged_id, m.reason, m.actor, m.rows_moved) for m in merges(store)] == [
        (kept, merged, f"import of {second.name}: {aliases(store)[0][3]}", "import", 0)
    ]


BRACKETED_APART = [
    # Text in brackets that names a branch, a series or a place keeps the two apart.
    ("Northwind Traders (East)", "Northwind Traders (West)"),
    ("Acme Holdings (Fund II)", "Acme Holdings (Fund III)"),
    ("华润置地（北京）", "华润置地（上海）"),
    ("Globex (Hong Kong) Ltd", "Globex Ltd"),
]
BRACKETED_NOISE = [
    # A legal form, the mainland marker, the name's initials or a ticker in brackets is no part
    # of the name: (name in the older file, name in the newer, the key both normalize to).
    ("Initech (Pty) Ltd", "Initech Ltd", "initech"),
    ("Umbrella（中国）有限公司", "Umbrella Inc.", "umbrella"),
    ("Advanced Micro Devices (AMD)", "Advanced Micro Devices", "advancedmicrodevices"),
    ("Hooli Inc. (NASDAQ: HOOL)", "Hooli", "hooli"),
    ("贵州茅台（600519.SH）", "贵州茅台股份有限公司", "贵州茅台"),
    ("Northwind Traders (East)", "Northwind Traders East", "northwindtraderseast"),
]


@pytest.mark.parametrize(("old", "new"), [(0, 1), (1, 0)])
def test_names_differing_in_bracketed_text_are_never_merged(
    store: Store, tmp_path: Path, old: int, new: int
) -> None:
    for side in (old, new):
        rows = [[f"f{side}-{n}", pair[side], "", ""] for n, pair in enumerate(BRACKETED_APART)]
        report = import_(store, "companies", write_csv(tmp_path / f"f{side}.csv", COMPANY, rows))
        assert (report.counts.inserted, report.resolved) == (len(BRACKETED_APART), 0)
    assert store.count("companies") == 2 * len(BRACKETED_APART)
    assert aliases(store) == []


@pytest.mark.parametrize(("old", "new"), [(0, 1), (1, 0)])
def test_names_differing_only_in_bracketed_noise_are_one_company(
    store: Store, tmp_path: Path, old: int, new: int
) -> None:
    files = [
        write_csv(
            tmp_path / f"f{side}.csv",
            COMPANY,
            [[f"f{side}-{n}", names[side], "", ""] for n, names in enumerate(BRACKETED_NOISE)],
        )
        for side in (old, new)
    ]
    import_(store, "companies", files[0])
    report = import_(store, "companies", files[1])
    assert (report.counts.inserted, report.resolved) == (0, len(BRACKETED_NOISE))
    assert aliases(store) == [
        ("companies", f"f{new}-{n}", f"f{old}-{n}", f"same name {key}")
        for n, (_, _, key) in enumerate(BRACKETED_NOISE)
    ]


PEOPLE = st.lists(
    st.tuples(
        st.sampled_from(["ann", "bob", "li.wei", "zoe"]), st.sampled_from(["lower", "upper"])
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=PEOPLE, second=PEOPLE)
def test_two_crms_give_one_contact_per_email(
    tmp_path: Path, first: list[tuple[str, str]], second: list[tuple[str, str]]
) -> None:
    with Store.open(":memory:") as store:
        for crm, people in (("sf", first), ("hs", second)):
            rows = {}
            for user, case in people:  # one row per person and CRM, as a CRM export holds
                email = f"{user}@acme.com"
                rows[user] = [f"{crm}-{user}", user, getattr(email, case)(), "", ""]
            import_(
                store, "contacts", write_csv(tmp_path / f"{crm}.csv", CONTACT, list(rows.values()))
            )
        emails = {user for user, _ in first + second}
        assert store.query("SELECT count(*), count(DISTINCT email) FROM contacts") == [
            (len(emails), len(emails))
        ]
        # Every id either is stored or is an alias of a stored contact with that email.
        for crm, people in (("sf", first), ("hs", second)):
            for user, _ in people:
                found = store.query(
                    "SELECT DISTINCT c.email FROM contacts c "
                    "LEFT JOIN aliases a ON a.canonical_id = c.contact_id "
                    "WHERE c.contact_id = ? OR a.alias_id = ?",
                    [f"{crm}-{user}"] * 2,
                )
                assert found == [(f"{user}@acme.com",)]

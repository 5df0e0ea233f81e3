"""Hand-derived scores for the rules that turn a ranking into action: diminishing repeats, type
caps, buying roles (and the CRM files they come from), network standing, half-lives and sources
(referral fields, membership lists joined to customers' executives, customer-success rosters),
the silent-executive lift, stale-A demotion.

Default model numbers used below: role c_level 10, vp 7, director 4, manager 2, cap 18; buying
roles Economic Buyer 6, Decision Maker 5, budget owner +2; fit all 10 / some 5; engagement
half-life 90 d, repeat factor 0.5, email_open 1 (diminishing, type cap 5), private_roundtable 8,
reply_to_sales 10, meeting 12, deal_comment 8; network customer_referral 15 (half-life 365 d),
customer_success_project 10 and shared_association 5 (half-life 730 d), standing
active_customer 1.0, churned_customer 0.3;
tiers A: heat >= 20 and profile >= 14; B: heat >= 8 and profile >= 8, or profile >= 18;
C: role >= 7; silent executive: role >= 7, fit >= 5, engagement <= 15, a meeting / reply /
deal comment within 60 d or a place on an open opportunity at a late stage -> at least B;
stale A: no meeting / reply / roundtable / deal comment for more than 45 d -> B.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from execrank import accounts, service
from execrank.store import Store
from tests.conftest import write_csv
from tests.facts import ACME, COMPANY_HEADER, TINY, import_facts, newsletter_opens

AS_OF = datetime(2026, 6, 1)
KNOWN_AT = datetime(2026, 6, 2)
HEADERS = {
    "contacts": ["contact_id", "name", "title", "company_id"],
    "events": ["contact_id", "event_type", "asset", "occurred_at"],
    "relationships": ["contact_id", "kind", "occurred_at", "referrer", "referrer_standing"],
    "opportunities": ["opportunity_id", "company_id", "name", "stage", "is_closed", "is_won"],
    "opportunity_contacts": ["opportunity_id", "contact_id", "role"],
}


def at(days: float) -> str:
    return (AS_OF - timedelta(days=days)).isoformat()


def opens(contact_id: str, count: int, *, one_newsletter: bool) -> list[list[str]]:
    return newsletter_opens(contact_id, count, at=AS_OF, one_newsletter=one_newsletter)


def load(store: Store, folder: Path, facts: dict[str, Sequence[Sequence[object]]]) -> None:
    files = {"companies": (COMPANY_HEADER, [ACME, TINY])}
    files |= {kind: (HEADERS[kind], facts[kind]) for kind in HEADERS if kind in facts}
    import_facts(store, folder, files, ingested_at=AS_OF)


def score(store: Store, as_of: datetime = AS_OF) -> dict[str, service.RankedContact]:
    service.score(store, service.default_model(), as_of=as_of, known_at=KNOWN_AT)
    return {c.contact_id: c for c in service.rank(store)}


def rules(store: Store, contact_id: str) -> dict[str, service.Contribution]:
    return {c.rule: c for c in service.explain(store, contact_id).contributions}


def test_repeats_diminish_so_ten_newsletter_opens_trail_a_roundtable_and_a_reply(
    store: Store, tmp_path: Path
) -> None:
    load(
        store,
        tmp_path,
        {
            "contacts": [
                ["reader", "R", "Analyst", "tiny"],
                ["hoarder", "H", "Analyst", "tiny"],
                ["guest", "G", "Analyst", "tiny"],
            ],
            "events": [
                *opens("reader", 10, one_newsletter=True),
                *opens("hoarder", 500, one_newsletter=True),
                ["guest", "private_roundtable", "cio-dinner", at(0)],
                ["guest", "reply_to_sales", "intro", at(0)],
            ],
        },
    )
    scores = score(store)
    # reader: 1 * (1 + 0.5 + ... + 0.5^9) = 2 * (1 - 2^-10) = 1.998046875 (ages of seconds
    # decay by less than 1e-6); guest: 8 + 10 = 18
    assert scores["reader"].dimensions["engagement"] == pytest.approx(1.998046875, abs=1e-5)
    assert scores["guest"].dimensions["engagement"] == pytest.approx(18)
    assert scores["guest"].rank < scores["reader"].rank
    # never: however many opens of one newsletter, 1 + 0.5 + 0.25 + ... stays below 2
    assert scores["hoarder"].dimensions["engagement"] == pytest.approx(2, abs=1e-5)
    assert scores["guest"].rank < scores["hoarder"].rank
    evidence = rules(store, "reader")["engagement.email_open"].evidence
    assert "newsletter-1" in evidence


def test_a_type_cap_holds_many_cheap_touches_on_different_assets(
    store: Store, tmp_path: Path
) -> None:
    twelve = opens("reader", 12, one_newsletter=False)
    load(store, tmp_path, {"contacts": [["reader", "R", "Analyst", "tiny"]], "events": twelve})
    # twelve newsletters, 1 point each = 12 -> email_open cap 5: a cap row of -7
    assert score(store)["reader"].dimensions["engagement"] == pytest.approx(5)
    assert rules(store, "reader")["engagement.email_open.cap"].points == pytest.approx(-7)


def test_stated_buying_roles_and_budget_add_to_role(store: Store, tmp_path: Path) -> None:
    load(
        store,
        tmp_path,
        {
            "contacts": [
                ["dir", "D", "Director of IT", "acme"],
                ["vp", "V", "VP Sales", "acme"],
                ["lost", "L", "VP Sales", "acme"],
            ],
            "opportunities": [
                ["o-open", "acme", "Data platform", "Negotiation", "false", "false"],
                ["o-won", "acme", "Pilot", "Closed Won", "true", "true"],
                ["o-lost", "acme", "Old try", "Closed Lost", "true", "false"],
            ],
            "opportunity_contacts": [
                ["o-open", "dir", "Economic Buyer"],
                ["o-open", "dir", "Influencer"],
                ["o-won", "vp", "decision maker"],
                ["o-lost", "lost", "Economic Buyer"],
            ],
        },
    )
    scores = score(store)
    # dir: director 4 + best role Economic Buyer 6 (not Influencer 2 as well) + budget 2 = 12
    assert scores["dir"].dimensions["role"] == pytest.approx(12)
    # vp: 7 + Decision Maker 5 (a won deal counts; any letter case) = 12
    assert scores["vp"].dimensions["role"] == pytest.approx(12)
    # lost: a lost deal does not count: 7
    assert scores["lost"].dimensions["role"] == pytest.approx(7)
    found = rules(store, "dir")
    assert '"Economic Buyer" on opportunity "Data platform"' in found["role.buying_role"].evidence
    assert found["role.budget_owner"].points == pytest.approx(2)


def test_one_strong_referral_outranks_twenty_newsletter_opens(store: Store, tmp_path: Path) -> None:
    load(
        store,
        tmp_path,
        {
            "contacts": [
                ["referred", "F", "CIO", "acme"],
                ["same", "S", "CIO", "acme"],
                ["many", "M", "CIO", "acme"],
                ["churned", "C", "CIO", "acme"],
                ["member", "A", "CIO", "acme"],
            ],
            "events": [
                *opens("same", 20, one_newsletter=True),
                *opens("many", 20, one_newsletter=False),
            ],
            "relationships": [
                ["referred", "customer_referral", at(0), "Contoso", "Active Customer"],
                ["churned", "customer_referral", at(0), "Fabrikam", "churned_customer"],
                ["member", "shared_association", at(730), "Northwind", ""],
            ],
        },
    )
    scores = score(store)
    # referred: customer_referral 15 x 1.0 (active customer) = 15
    assert scores["referred"].dimensions["network"] == pytest.approx(15)
    # same: 20 opens of one newsletter 2 * (1 - 2^-20) ~ 2; many: 20 newsletters, cap 5
    assert scores["same"].dimensions["engagement"] == pytest.approx(2, abs=1e-5)
    assert scores["many"].dimensions["engagement"] == pytest.approx(5)
    assert scores["referred"].rank < min(scores["same"].rank, scores["many"].rank)
    # churned customer: 15 x 0.3 = 4.5; association 730 d old, its own half-life 730 d and
    # unknown standing (1.0): 5 x 0.5 = 2.5
    assert scores["churned"].dimensions["network"] == pytest.approx(4.5)
    assert scores["member"].dimensions["network"] == pytest.approx(2.5)
    assert "churned_customer" in rules(store, "churned")["network.customer_referral"].evidence


def test_a_cfo_with_one_late_meeting_is_lifted_while_30_opens_do_not_make_a_manager_a(
    store: Store, tmp_path: Path
) -> None:
    load(
        store,
        tmp_path,
        {
            "contacts": [
                ["cfo", "F", "CFO", "tiny"],
                ["manager", "M", "Marketing Manager", "acme"],
                ["spread", "S", "Marketing Manager", "acme"],
            ],
            "events": [
                ["cfo", "meeting", "briefing", at(59)],
                *opens("manager", 30, one_newsletter=True),
                *opens("spread", 30, one_newsletter=False),
            ],
        },
    )
    scores = score(store)
    cfo = scores["cfo"]
    # cfo: role 10, fit 5 (profile 15); meeting 12 * 2^(-59/90) = 7.6134 -> heat < 8, profile
    # < 18: the tier rules give C (role >= 7); silent executive (10 >= 7, 5 >= 5, 7.61 <= 15,
    # a meeting 59 d ago <= 60) -> B
    assert cfo.dimensions["engagement"] == pytest.approx(12 * 2 ** (-59 / 90))
    assert cfo.tier == "B"
    reason = rules(store, "cfo")["tier.silent_executive"]
    assert reason.points == 0
    assert 'meeting "briefing"' in reason.evidence and "lifted from tier C to B" in reason.evidence
    # manager: role 2 + fit 10 = profile 12 < 14: never A. 30 opens of one newsletter ~ 2
    # (tier -); of 30 newsletters: cap 5 (heat 5 < 8: tier -)
    assert (scores["manager"].tier, scores["spread"].tier) == ("-", "-")


def test_a_late_stage_place_or_a_deal_comment_is_a_decisive_act(
    store: Store, tmp_path: Path
) -> None:
    load(
        store,
        tmp_path,
        {
            "contacts": [
                ["ceo", "C", "CEO", "tiny"],
                ["early", "E", "CEO", "tiny"],
                ["commenter", "K", "CEO", "tiny"],
            ],
            "events": [["commenter", "deal_comment", "pricing", at(10)]],
            "opportunities": [
                ["o-late", "tiny", "Data platform", "Negotiation/Review", "false", "false"],
                ["o-early", "tiny", "Analytics", "Prospecting", "false", "false"],
            ],
            "opportunity_contacts": [["o-late", "ceo", ""], ["o-early", "early", ""]],
        },
    )
    scores = score(store)
    # ceo, early: role 10, fit 5, no engagement -> C by the rules; only the late stage lifts
    # to B. commenter: a comment on a deal 10 d ago, 8 * 2^(-10/90) = 7.4 < 8 heat -> C by the
    # rules, lifted to B
    tiers = {c: scores[c].tier for c in ("ceo", "early", "commenter")}
    assert tiers == {"ceo": "B", "early": "C", "commenter": "B"}
    evidence = rules(store, "ceo")["tier.silent_executive"].evidence
    assert 'open opportunity "Data platform" at stage Negotiation/Review' in evidence
    evidence = rules(store, "commenter")["tier.silent_executive"].evidence
    assert 'deal_comment "pricing"' in evidence and "lifted from tier C to B" in evidence


def test_stale_a_is_demoted_on_the_day_after_the_limit(store: Store, tmp_path: Path) -> None:
    met = datetime(2026, 5, 1)
    load(
        store,
        tmp_path,
        {
            "contacts": [["ceo", "C", "CEO", "acme"]],
            "events": [["ceo", "meeting", "briefing", met.isoformat()]],
            "relationships": [["ceo", "customer_referral", met.isoformat(), "Contoso", ""]],
        },
    )
    # 45 d after the meeting: referral 15 * 2^(-45/365) = 13.77 + meeting 12 * 2^(-45/90) = 8.49
    # -> heat 22.26 >= 20, profile 20: A, and 45 d is not more than 45
    day_45 = score(store, met + timedelta(days=45))["ceo"]
    assert day_45.tier == "A"
    assert day_45.dimensions["network"] + day_45.dimensions["engagement"] == pytest.approx(
        15 * 2 ** (-45 / 365) + 12 * 2 ** (-45 / 90)
    )
    # 46 d: heat 13.74 + 8.42 = 22.16, still A by the rules, but stale -> B
    day_46 = score(store, met + timedelta(days=46))["ceo"]
    assert day_46.tier == "B"
    reason = rules(store, "ceo")["tier.stale_a"].evidence
    assert 'meeting "briefing" on 2026-05-01, was 46 d before as_of' in reason
    assert reason.endswith("demoted to B")


def test_crm_lead_source_and_referred_by_become_referrals(store: Store, tmp_path: Path) -> None:
    load(
        store, tmp_path, {"contacts": [["00Q1", "L", "CIO", "acme"], ["00Q2", "W", "CIO", "acme"]]}
    )
    leads = write_csv(
        tmp_path / "leads.csv",
        ["Id", "LeadSource", "CreatedDate", "Referred_By__c", "Referrer_Standing__c"],
        [
            ["00Q1", "Customer Referral", at(0), "Contoso (Jane Roe, CIO)", "Active Customer"],
            ["00Q2", "Web", at(0), "", ""],
        ],
    )
    report = service.import_file(
        store, "relationships", leads, ingested_at=AS_OF, mapping="salesforce-lead-referral"
    )
    assert not report.rejected
    scores = score(store)
    # "Customer Referral" -> customer_referral 15 x active_customer 1.0; "Web" scores nothing
    assert (scores["00Q1"].dimensions["network"], scores["00Q2"].dimensions["network"]) == (15, 0)
    assert (
        "via Contoso (Jane Roe, CIO)" in rules(store, "00Q1")["network.customer_referral"].evidence
    )


def test_crm_deal_contact_exports_give_buying_roles(store: Store, tmp_path: Path) -> None:
    load(
        store,
        tmp_path,
        {
            "contacts": [[c, c, "Director of IT", "acme"] for c in ("003A", "003B", "301", "302")],
            "opportunities": [
                ["006X", "acme", "Data platform", "Proposal/Price Quote", "false", "false"],
                ["9001", "acme", "Cloud move", "appointmentscheduled", "false", "false"],
            ],
        },
    )
    salesforce = write_csv(  # Data Loader's OpportunityContactRole export
        tmp_path / "ocr.csv",
        ["ID", "OPPORTUNITYID", "CONTACTID", "ROLE", "ISPRIMARY"],
        [["00K1", "006X", "003A", "Economic Buyer", "true"], ["00K2", "006X", "003B", "", "false"]],
    )
    hubspot = write_csv(  # HubSpot deal-to-contact associations with their labels
        tmp_path / "deal-contacts.csv",
        ["Record ID - Deal", "Record ID - Contact", "Association label"],
        [["9001", "301", "Decision maker"], ["9001", "302", ""]],
    )
    for path, mapping in (
        (salesforce, "salesforce-opportunity-contact-role"),
        (hubspot, "hubspot-deal-contacts"),
    ):
        report = service.import_file(
            store, "opportunity_contacts", path, ingested_at=AS_OF, mapping=mapping
        )
        assert not report.rejected, [str(e) for e in report.rejected]
    roles = {c: s.dimensions["role"] for c, s in score(store).items()}
    # director 4; 003A + Economic Buyer 6 + budget 2 = 12; 301: HubSpot's "Decision maker"
    # label is the model's Decision Maker (any case): 4 + 5 = 9; no role stated: 4
    assert roles == {"003A": 12, "003B": 4, "301": 9, "302": 4}
    assert 'on opportunity "Cloud move"' in rules(store, "301")["role.buying_role"].evidence
    # the stated role also fills the buying committee: no CEO or CFO is known at Acme, but
    # 003A states Economic Buyer
    (acme,) = accounts.accounts(store)
    assert {s.seat: s.contact_id for s in acme.seats}["economic buyer"] == "003A"


def test_membership_lists_join_to_the_executives_of_customers(store: Store, tmp_path: Path) -> None:
    load(
        store,
        tmp_path,
        {
            "contacts": [
                ["cfo", "Carla", "CFO", "acme"],  # Acme won a deal: an active customer
                ["cio", "Olaf", "CIO", "tiny"],  # a churned customer's CIO (stated on the list)
                *[[p, p.upper(), "CIO", "tiny"] for p in ("p1", "p2", "p3", "p4", "p5")],
            ],
            "opportunities": [["o-won", "acme", "Pilot", "Closed Won", "true", "true"]],
        },
    )
    members = write_csv(
        tmp_path / "members.csv",
        ["Organization", "Contact ID", "Member Since", "Customer Standing"],
        [
            ["CIO Council", "cfo", at(0), ""],
            ["CIO Council", "p1", at(730), ""],
            ["Data Alliance", "cio", at(0), "Churned Customer"],
            ["Data Alliance", "p2", at(0), ""],
            ["Lonely Club", "p3", at(0), ""],
            ["Lonely Club", "p4", at(0), ""],
            ["cio council", "p4", at(0), ""],
            ["Data Alliance", "p4", at(0), ""],
            ["Old Guild", "cfo", at(730), ""],
            ["Old Guild", "p5", at(730), ""],
        ],
    )
    report = service.import_file(
        store, "relationships", members, ingested_at=AS_OF, mapping="membership-list"
    )
    assert not report.rejected, [str(e) for e in report.rejected]
    snapshot = service.score(store, service.default_model(), as_of=AS_OF, known_at=KNOWN_AT)
    assert snapshot.ignored_kinds == {}  # membership rows are read, not reported as unknown
    network = {c.contact_id: c.dimensions["network"] for c in service.rank(store)}
    # shared_association 5 points, half-life 730 d, from the later of the two joining dates:
    # p1 with the CFO of Acme (active customer, 1.0) since today: 5; p2 with the churned
    # customer's CIO (0.3): 1.5; p3 shares only with another prospect: 0; p4 shares two
    # organizations (the council in any letter case): 5 + 1.5; p5 with the CFO 730 d ago: 2.5;
    # the customers' own executives earn nothing from their lists
    assert network == pytest.approx(
        {"p1": 5, "p2": 1.5, "p3": 0, "p4": 6.5, "p5": 2.5, "cfo": 0, "cio": 0}
    )
    evidence = rules(store, "p1")["network.shared_association"].evidence
    assert "in CIO Council with Carla (CFO) of Acme, of standing active_customer" in evidence


def test_a_customer_success_roster_imports_as_projects(store: Store, tmp_path: Path) -> None:
    load(store, tmp_path, {"contacts": [["sponsor", "S", "CIO", "tiny"]]})
    roster = write_csv(
        tmp_path / "roster.csv",
        ["Customer", "Project", "Contact ID", "Project Start", "Customer Standing"],
        [["Contoso", "Data lake rollout", "sponsor", at(730), "Active Customer"]],
    )
    report = service.import_file(
        store, "relationships", roster, ingested_at=AS_OF, mapping="customer-success-roster"
    )
    assert not report.rejected, [str(e) for e in report.rejected]
    # customer_success_project 10 points, half-life 730 d, 730 d ago, active customer: 5
    assert score(store)["sponsor"].dimensions["network"] == pytest.approx(5)
    evidence = rules(store, "sponsor")["network.customer_success_project"].evidence
    assert "via Contoso on" in evidence and "Data lake rollout" in evidence

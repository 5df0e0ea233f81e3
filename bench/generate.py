"""Seeded synthetic store for the scale benchmarks.

Writes an execrank store straight through SQL (the import path has its own benchmark): contacts,
companies, events over two years, signals with their topic matches (a tenth are job postings,
half of those hiring matches), relationships with referrer standings, memberships,
opportunities with their contacts' stated roles, and manual adjustments, so that every rule of
the default model has facts to score. Every value comes from a hash of (seed, row number), so
the same size and seed give the same store.

    python bench/generate.py --contacts 1000000 --out /tmp/bench.duckdb

Defaults per 1M contacts: 50k companies, 20M events, 2M signals, 300k relationships (and 50k
membership rows in 2,000 organizations), 20k opportunities with 60k contact roles, 5k
adjustments; the other sizes scale with --contacts.
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from pathlib import Path

from execrank import model as scoring_model
from execrank.ingest import refresh_titles
from execrank.model import HIRING_TOPIC
from execrank.store import Store

AS_OF = datetime(2026, 11, 30)
INGESTED_AT = datetime(2026, 12, 1)
PER_CONTACT = {
    "companies": 0.05,
    "events": 20.0,
    "signals": 2.0,
    "relationships": 0.3,
    "memberships": 0.05,  # relationships of kind membership, on top of the 0.3
    "opportunities": 0.02,
    "opportunity_contacts": 0.06,
    "adjustments": 0.005,
}
JOB_POSTING_EVERY = 10  # every 10th signal is a job posting
# Stated roles and stages as CRMs write them (any letter case), with some the model does not know.
BUYING_ROLES = [
    "Economic Buyer",
    "decision maker",
    "Executive Sponsor",
    "Budget Holder",
    "Technical Buyer",
    "Influencer",
    "Champion",
    "Evaluator",
    "Business User",
    "Other",
    "Procurement",
]
STAGES = [
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Proposal/Price Quote",
    "negotiation/review",
    "Contract Sent",
    "Verbal Commit",
    "Closed Won",
    "Closed Lost",
]
MEMBERSHIP_KIND = "membership"  # the default model's network.memberships.kind
STANDINGS = ["active_customer", "partner", "prospect", "churned_customer", "former_partner"]
TITLES = [
    "CEO",
    "Chief Executive Officer",
    "Founder & CEO",
    "CFO",
    "Chief Information Officer",
    "CTO",
    "Chief Marketing Officer",
    "COO",
    "VP Sales",
    "VP Engineering",
    "SVP Finance",
    "EVP & CFO",
    "Vice President, IT",
    "Head of Data",
    "Director of Marketing",
    "IT Director",
    "Sales Manager",
    "Engineering Manager",
    "Analyst",
    "Former CEO",
    "Assistant to the CEO",
    "董事长",
    "总经理",
    "首席信息官",
    "副总裁兼CFO",
    "财务总监",
    "技术总监",
    "人力资源经理",
    "独立董事",
    "董事长/董事",
]
INDUSTRIES = [
    "Technology",
    "Financials",
    "Retailing",
    "Energy",
    "Health Care",
    "电子信息",
    "金融行业",
    "Mining",
    "Chemicals",
    "Media",
]
COUNTRIES = ["US", "CN", "DE", "GB", "JP"]
RELATIONSHIP_KINDS = [
    "customer_referral",
    "partner_referral",
    "customer_success_project",
    "shared_association",
    "unknown_kind",
]


def _pick(values: list[str], expression: str) -> str:
    listed = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"[{listed}][CAST(1 + ({expression}) % {len(values)} AS BIGINT)]"


def _h(seed: int, salt: str) -> str:
    """A non-negative pseudo-random integer from the row number i."""
    return f"CAST(hash(i, {seed}, '{salt}') % 1000000007 AS BIGINT)"


def generate(path: Path, contacts: int, seed: int) -> dict[str, int]:
    """Write a benchmark store of the given size at path (replacing it)."""
    path.unlink(missing_ok=True)
    sizes = {"contacts": contacts, **{k: max(1, int(contacts * v)) for k, v in PER_CONTACT.items()}}
    model = scoring_model.default()
    events = sorted(model.engagement.events)
    topics = sorted(model.intent.topics)
    span = 730 * 86400  # two years of history, in seconds
    with Store.open(path) as store:
        statements = [
            f"""INSERT INTO companies (company_id, name, domain, revenue_usd, employees,
                industry, region, country, source_file, ingested_at)
                SELECT 'co' || i, 'Company ' || i, 'co' || i || '.example',
                ({_h(seed, "rev")} % 50000) * 1e6, {_h(seed, "emp")} % 200000,
                {_pick(INDUSTRIES, _h(seed, "ind"))}, NULL, {_pick(COUNTRIES, _h(seed, "cty"))},
                'bench', ?::TIMESTAMP FROM range({sizes["companies"]}) t(i)""",
            f"""INSERT INTO contacts SELECT 'p' || i, 'Person ' || i, NULL,
                {_pick(TITLES, _h(seed, "title"))},
                'co' || ({_h(seed, "co")} % {sizes["companies"]}),
                'rep' || (i % 40), 'bench', ?::TIMESTAMP FROM range({contacts}) t(i)""",
            f"""INSERT INTO events SELECT 'e' || i, 'p' || ({_h(seed, "who")} % {contacts}),
                {_pick(events, _h(seed, "type"))}, 'asset-' || ({_h(seed, "asset")} % 20),
                ?::TIMESTAMP - to_seconds({_h(seed, "when")} % {span}), 'bench', 'bench',
                ?::TIMESTAMP FROM range({sizes["events"]}) t(i)""",
            f"""INSERT INTO signals SELECT 's' || i,
                CASE WHEN i % 4 = 0 THEN 'p' || ({_h(seed, "who")} % {contacts}) END,
                CASE WHEN i % 4 <> 0 THEN 'co' || ({_h(seed, "co")} % {sizes["companies"]}) END,
                CASE WHEN i % {JOB_POSTING_EVERY} = 9 THEN 'job_posting' ELSE 'news' END,
                ?::TIMESTAMP - to_seconds({_h(seed, "when")} % {span}), NULL,
                CASE WHEN i % {JOB_POSTING_EVERY} = 9 THEN {_pick(TITLES, _h(seed, "job"))} END,
                'synthetic text ' || i, 'bench', 'bench', ?::TIMESTAMP
                FROM range({sizes["signals"]}) t(i)""",
            f"""INSERT INTO relationships (relationship_id, contact_id, kind, occurred_at,
                referrer, note, source, source_file, ingested_at, referrer_standing)
                SELECT 'r' || i,
                'p' || ({_h(seed, "who")} % {contacts}), {_pick(RELATIONSHIP_KINDS, _h(seed, "k"))},
                ?::TIMESTAMP - to_seconds({_h(seed, "when")} % {span}), 'Referrer ' || (i % 500),
                NULL, 'bench', 'bench', ?::TIMESTAMP,
                CASE WHEN i % 3 <> 0 THEN {_pick(STANDINGS, _h(seed, "standing"))} END
                FROM range({sizes["relationships"]}) t(i)""",
            # members of 1 in 500 organizations (names in varying letter case), a fifth of them
            # customers' executives by their own standing, others by their company's won deals
            f"""INSERT INTO relationships (relationship_id, contact_id, kind, occurred_at,
                referrer, note, source, source_file, ingested_at, referrer_standing)
                SELECT 'm' || i, 'p' || ({_h(seed, "who")} % {contacts}), ?,
                ?::TIMESTAMP - to_seconds({_h(seed, "when")} % {span}),
                CASE WHEN i % 2 = 0 THEN 'Association ' ELSE ' association ' END
                  || ({_h(seed, "org")} % {max(1, contacts // 500)}),
                NULL, 'bench', 'bench', ?::TIMESTAMP,
                CASE i % 10 WHEN 0 THEN 'active_customer' WHEN 1 THEN 'churned_customer'
                            WHEN 2 THEN 'partner' END
                FROM range({sizes["memberships"]}) t(i)""",
            # stage decides closed and won; closed deals closed on a day after they were created
            f"""INSERT INTO opportunities (opportunity_id, company_id, name, stage, is_closed,
                is_won, amount, currency, created_at, closed_at, owner, source, source_file,
                ingested_at)
                SELECT 'o' || i, 'co' || ({_h(seed, "co")} % {sizes["companies"]}),
                'Deal ' || i, stage, stage LIKE 'Closed%', stage = 'Closed Won', 100000, 'USD',
                created_at, CASE WHEN stage LIKE 'Closed%' THEN created_at + INTERVAL 30 DAY END,
                'rep' || (i % 40), 'bench', 'bench', ?::TIMESTAMP
                FROM (SELECT i, {_pick(STAGES, _h(seed, "stage"))} AS stage,
                      ?::TIMESTAMP - to_seconds({_h(seed, "when")} % {span}) AS created_at
                      FROM range({sizes["opportunities"]}) t(i))""",
            f"""INSERT INTO opportunity_contacts SELECT 'oc' || i,
                'o' || ({_h(seed, "deal")} % {sizes["opportunities"]}),
                'p' || ({_h(seed, "who")} % {contacts}),
                CASE WHEN i % 12 <> 11 THEN {_pick(BUYING_ROLES, _h(seed, "role"))} END,
                i % 3 = 0, 'bench', 'bench', ?::TIMESTAMP
                FROM range({sizes["opportunity_contacts"]}) t(i)""",
            # raises and cuts of intent; a third have expired by as_of, a third never expire
            f"""INSERT INTO adjustments SELECT 'a' || i, 'p' || ({_h(seed, "who")} % {contacts}),
                'intent', CASE WHEN i % 2 = 0 THEN 10.0 ELSE -5.0 END, 'bench adjustment',
                'rep' || (i % 40), created_at,
                CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN created_at + INTERVAL 30 DAY
                           ELSE ?::TIMESTAMP + INTERVAL 30 DAY END, ?::TIMESTAMP
                FROM (SELECT i, ?::TIMESTAMP - to_seconds({_h(seed, "when")} % (180 * 86400))
                      AS created_at FROM range({sizes["adjustments"]}) t(i))""",
        ]
        parameters: list[list[object]] = [
            [INGESTED_AT],
            [INGESTED_AT],
            [AS_OF, INGESTED_AT],
            [AS_OF, INGESTED_AT],
            [AS_OF, INGESTED_AT],
            [MEMBERSHIP_KIND, AS_OF, INGESTED_AT],
            [INGESTED_AT, AS_OF],
            [INGESTED_AT],
            [AS_OF, INGESTED_AT, AS_OF],
        ]
        with store.transaction():
            for statement, values in zip(statements, parameters, strict=True):
                store.execute(statement, values)
            refresh_titles(store)
            # Topic matching is ingest work (Python, once per text); the benchmark measures
            # scoring, so matches are written directly: about a third of signals hit a topic.
            store.execute(
                f"""INSERT INTO signal_matches SELECT ?, signal_id,
                    {_pick(topics, "CAST(hash(signal_id, 'topic') % 1000003 AS BIGINT)")},
                    'phrase', 'snippet'
                    FROM signals WHERE kind = 'news' AND hash(signal_id, {seed}) % 3 = 0
                    UNION ALL
                    SELECT ?, signal_id, ?, 'job posting', title FROM signals
                    WHERE kind = 'job_posting' AND hash(signal_id, {seed}) % 2 = 0""",
                [model.intent.topics_hash, model.intent.topics_hash, HIRING_TOPIC],
            )
            store.execute(
                "INSERT INTO signal_matching_done SELECT ?, signal_id FROM signals",
                [model.intent.topics_hash],
            )
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("bench.duckdb"))
    options = parser.parse_args()
    started = time.perf_counter()
    sizes = generate(options.out, options.contacts, options.seed)
    print(f"wrote {options.out}: {sizes} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()

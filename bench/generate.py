"""Seeded synthetic store for the scale benchmarks.

Writes an execrank store straight through SQL (the import path has its own benchmark): contacts,
companies, events over two years, signals with their topic matches, relationships. Every value
comes from a hash of (seed, row number), so the same size and seed give the same store.

    python bench/generate.py --contacts 1000000 --out /tmp/bench.duckdb

Defaults per 1M contacts: 50k companies, 20M events, 2M signals, 300k relationships; the other
sizes scale with --contacts.
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from pathlib import Path

from execrank import model as scoring_model
from execrank.ingest import refresh_titles
from execrank.store import Store

AS_OF = datetime(2026, 11, 30)
INGESTED_AT = datetime(2026, 12, 1)
PER_CONTACT = {"companies": 0.05, "events": 20.0, "signals": 2.0, "relationships": 0.3}
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
                'news', ?::TIMESTAMP - to_seconds({_h(seed, "when")} % {span}), NULL, NULL,
                'synthetic text ' || i, 'bench', 'bench', ?::TIMESTAMP
                FROM range({sizes["signals"]}) t(i)""",
            f"""INSERT INTO relationships (relationship_id, contact_id, kind, occurred_at,
                referrer, note, source, source_file, ingested_at) SELECT 'r' || i,
                'p' || ({_h(seed, "who")} % {contacts}), {_pick(RELATIONSHIP_KINDS, _h(seed, "k"))},
                ?::TIMESTAMP - to_seconds({_h(seed, "when")} % {span}), 'Referrer ' || (i % 500),
                NULL, 'bench', 'bench', ?::TIMESTAMP FROM range({sizes["relationships"]}) t(i)""",
        ]
        parameters = [
            [INGESTED_AT],
            [INGESTED_AT],
            [AS_OF, INGESTED_AT],
            [AS_OF, INGESTED_AT],
            [AS_OF, INGESTED_AT],
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
                    FROM signals WHERE hash(signal_id, {seed}) % 3 = 0""",
                [model.intent.topics_hash],
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

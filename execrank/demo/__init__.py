"""Bundled data for `execrank demo`: real executives plus synthetic activity.

`_real` turns the shipped public files in `data/` (Fortune 1000 2021 CEOs, Chinese A-share board
members; see `data/PROVENANCE.md`) into execrank's own `companies.csv` and `contacts.csv`.
`_synthetic` adds seeded, clearly labelled synthetic events, intent signals and relationships.
"""

from execrank.demo._run import DEMO_AS_OF, DEMO_SEED, DemoResult, run, summary

__all__ = ["DEMO_AS_OF", "DEMO_SEED", "DemoResult", "run", "summary"]

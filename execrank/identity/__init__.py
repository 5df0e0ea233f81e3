"""Which records are one: contacts by email or CRM id, companies by domain, CRM id or normalized
name (cleanco plus a Chinese suffix list, rapidfuzz for near-identical names).

The import resolves its rows with set-based SQL (`translated_ids`, `resolve_new_ids`,
`merge_into_records`, `save_aliases`): an incoming row that is a stored record takes that
record's id, and its own id is kept as an alias. `Resolver` matches values to remembered
records (company names by cleanco and rapidfuzz). `execrank.merge` joins two stored records.
"""

from execrank.identity._names import (
    NAME_SIMILARITY_THRESHOLD,
    company_name_key,
    domain_key,
    may_be_one_company,
    name_similarity,
)
from execrank.identity._resolve import (
    IMPORT_ACTOR,
    OWN_KEYS,
    RECORD_TABLES,
    Alias,
    Match,
    Resolver,
    canonical_ids,
    identity_keys,
    load_aliases,
    merge_into_records,
    record_alias,
    record_merge,
    resolve_new_ids,
    save_aliases,
    translated_ids,
)

__all__ = [
    "IMPORT_ACTOR",
    "NAME_SIMILARITY_THRESHOLD",
    "OWN_KEYS",
    "RECORD_TABLES",
    "Alias",
    "Match",
    "Resolver",
    "canonical_ids",
    "company_name_key",
    "domain_key",
    "identity_keys",
    "load_aliases",
    "may_be_one_company",
    "merge_into_records",
    "name_similarity",
    "record_alias",
    "record_merge",
    "resolve_new_ids",
    "save_aliases",
    "translated_ids",
]

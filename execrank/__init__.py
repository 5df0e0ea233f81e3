"""execrank: score, rank, tier and explain executive contacts for B2B sales.

The library's entry points are `Store` (the DuckDB file), `service` (import, score, rank,
explain), `model` (the scoring model) and `titles` (the title normalizer).
"""

from execrank import model, service, titles
from execrank.errors import (
    ExecrankError,
    InputError,
    ModelError,
    NotFoundError,
    StoreError,
    ValueParseError,
)
from execrank.store import Store

__version__ = "0.1.0"

__all__ = [
    "ExecrankError",
    "InputError",
    "ModelError",
    "NotFoundError",
    "Store",
    "StoreError",
    "ValueParseError",
    "__version__",
    "model",
    "service",
    "titles",
]

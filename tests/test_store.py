"""The store's own settings."""

from __future__ import annotations

from execrank import Store


def test_a_memory_limit_caps_duckdb() -> None:
    with Store.open(":memory:", memory_limit="700MB") as store:
        assert store.query("SELECT current_setting('memory_limit')") == [("667.5 MiB",)]

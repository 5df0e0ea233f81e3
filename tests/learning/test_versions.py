"""Model versions: the active model is the one `score` uses, rollback restores the exact
ranking, diff names every changed field, and what-if moves nothing in the store."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from execrank import model as scoring_model
from execrank import service, versions
from execrank.cli import app
from execrank.store import Store
from tests.learning.conftest import import_rows


def seed(store: Store, folder: Path) -> None:
    """A CEO who only opened an email and a director who asked for a meeting: the default
    model puts the director first (4 role + 12 meeting > 10 role + 1 email)."""
    import_rows(
        store,
        folder,
        "contacts",
        ["contact_id", "title"],
        [["ceo", "CEO"], ["dir", "Director of IT"], ["vp", "VP Sales"]],
    )
    import_rows(
        store,
        folder,
        "events",
        ["contact_id", "event_type", "asset", "occurred_at"],
        [["ceo", "email_open", "x", "2026-11-30"], ["dir", "meeting", "m", "2026-11-30"]],
    )


def engagement_free(folder: Path) -> Path:
    """The default model with engagement weighted 0: titles alone decide."""
    data = yaml.safe_load(scoring_model.default_yaml())
    data["name"] = "titles-only"
    data["weights"]["engagement"] = 0
    path = folder / "titles-only.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def cli(db: Path, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.output


def ranking(db: Path) -> list[tuple[str, int, str, float]]:
    with Store.open(db) as store:
        return [(c.contact_id, c.rank, c.tier, c.total) for c in service.rank(store)]


def scored(store: Store, folder: Path) -> tuple[Path, list[tuple[str, int, str, float]]]:
    """The seeded store scored once with the default model: its file and ranking."""
    seed(store, folder)
    store.close()
    db = folder / "test.duckdb"
    cli(db, "score", "--as-of", "2026-12-01")
    return db, ranking(db)


def test_rollback_restores_the_exact_previous_ranking(store: Store, tmp_path: Path) -> None:
    db, before = scored(store, tmp_path)
    # default: dir 4 + 12 x 2^(-1/90) = 15.91 > ceo 10 + 1 x 2^(-1/90) = 10.99 > vp 7
    assert [c for c, *_ in before] == ["dir", "ceo", "vp"]
    used = cli(db, "model", "use", str(engagement_free(tmp_path)))
    assert "titles-only" in used
    cli(db, "score", "--as-of", "2026-12-01")  # no --model: the active one
    assert [c for c, *_ in ranking(db)] == ["ceo", "vp", "dir"]  # 10 > 7 > 4
    default_hash = scoring_model.default().content_hash
    cli(db, "model", "use", default_hash[:8])  # rollback by a hash prefix
    cli(db, "score", "--as-of", "2026-12-01")
    assert ranking(db) == before
    listed = cli(db, "model", "versions")
    assert f"* {default_hash}" in listed and "titles-only" in listed


def test_diff_names_each_changed_field(store: Store, tmp_path: Path) -> None:
    changed = scoring_model.load(engagement_free(tmp_path))
    assert [str(c) for c in versions.diff(scoring_model.default(), changed)] == [
        "name: default -> titles-only",
        "weights.engagement: 1.0 -> 0.0",
    ]
    store.close()
    shown = cli(
        tmp_path / "test.duckdb", "model", "diff", "default", str(tmp_path / "titles-only.yaml")
    )
    assert "2 changes" in shown and "weights.engagement: 1.0 -> 0.0" in shown


def test_whatif_shows_moves_and_stores_nothing(store: Store, tmp_path: Path) -> None:
    db, before = scored(store, tmp_path)
    shown = cli(db, "model", "whatif", str(engagement_free(tmp_path)))
    # dir: rank 1 -> 3, total 15.91 -> 4.00; ceo 2 -> 1; vp 3 -> 2
    assert "1 -> 3" in shown and "15.91 -> 4.00" in shown
    with Store.open(db) as opened:
        result = versions.whatif(opened, scoring_model.load(tmp_path / "titles-only.yaml"))
        assert opened.count("snapshots") == 1
    moves = {m.contact_id: (m.rank_before, m.rank_after) for m in result.moves}
    assert moves == {"dir": (1, 3), "ceo": (2, 1), "vp": (3, 2)}
    assert ranking(db) == before

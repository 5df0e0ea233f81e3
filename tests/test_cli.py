"""The `execrank` command through its real entry point: exit codes, messages, output shapes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from execrank import model
from tests.conftest import write_csv

README = Path(__file__).resolve().parents[1] / "README.md"


def execrank(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a child process, as a user would."""
    return subprocess.run(
        [sys.executable, "-c", "from execrank.cli import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_csv(
        tmp_path / "companies.csv",
        ["company_id", "name", "revenue_usd", "country"],
        [["acme", "Acme", "$2B", "US"]],
    )
    write_csv(
        tmp_path / "contacts.csv",
        ["contact_id", "name", "title", "company_id"],
        [["p1", "Ann", "Chief Executive Officer", "acme"], ["p2", "李伟", "副总裁兼CFO", "acme"]],
    )
    write_csv(
        tmp_path / "events.csv",
        ["contact_id", "event_type", "occurred_at"],
        [["p2", "meeting", "2026-11-01"]],
    )
    return tmp_path


def test_import_score_rank_explain_round_trip(folder: Path) -> None:
    for kind in ("companies", "contacts", "events"):
        result = execrank("import", kind, f"{kind}.csv", cwd=folder)
        assert result.returncode == 0, result.stderr
    again = execrank("import", "events", "events.csv", cwd=folder)
    assert "0 new, 0 changed, 1 unchanged" in again.stdout
    scored = execrank("score", "--as-of", "2026-11-30", cwd=folder)
    assert scored.returncode == 0 and "Scored 2 contacts as of 2026-11-30" in scored.stdout
    ranked = json.loads(execrank("rank", "--format", "json", cwd=folder).stdout)
    assert [r["contact_id"] for r in ranked] == ["p2", "p1"]
    assert set(ranked[0]) == {
        "contact_id",
        "name",
        "title",
        "company",
        "total",
        "rank",
        "tier",
        "dimensions",
    }
    assert set(ranked[0]["dimensions"]) == set(model.DIMENSIONS)
    explained = json.loads(execrank("explain", "p2", "--format", "json", cwd=folder).stdout)
    assert {"dimension", "rule", "points", "evidence"} == set(explained["contributions"][0])
    points = sum(c["points"] for c in explained["contributions"])
    assert points == pytest.approx(explained["total"], abs=1e-3)


def test_rank_csv_and_tier_filter(folder: Path) -> None:
    for kind in ("companies", "contacts"):
        execrank("import", kind, f"{kind}.csv", cwd=folder)
    execrank("score", "--as-of", "2026-11-30", cwd=folder)
    lines = execrank("rank", "--format", "csv", cwd=folder).stdout.splitlines()
    assert lines[0].startswith("rank,tier,total,contact_id,name,title,company,role,fit")
    assert len(lines) == 3
    tier_c = execrank("rank", "--tier", "C", "--format", "json", cwd=folder).stdout
    assert all(r["tier"] == "C" for r in json.loads(tier_c))


def test_an_import_with_rejected_rows_exits_2_and_names_the_report(folder: Path) -> None:
    execrank("import", "contacts", "contacts.csv", cwd=folder)
    write_csv(
        folder / "bad.csv",
        ["contact_id", "event_type", "occurred_at"],
        [["p1", "meeting", "yesterday"], ["p1", "meeting", "2026-01-01"]],
    )
    result = execrank("import", "events", "bad.csv", cwd=folder)
    assert result.returncode == 2
    assert "bad.csv, row 2, column 'occurred_at': 'yesterday' is not a date" in result.stderr
    assert "Rejected rows written to" in result.stderr
    assert (folder / "bad.events.rejected.csv").exists()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("import", "contacts", "missing.csv"), "missing.csv"),
        (("rank",), "no scores yet"),
        (("score", "--as-of", "someday"), "--as-of 'someday' is not a date"),
        (("import", "contacts", "contacts.csv", "--mapping", "nosuch"), "'nosuch' is neither"),
        (("import", "contacts", "contacts.csv", "--encoding", "klingon"), "klingon"),
    ],
)
def test_errors_are_one_sentence_without_traceback(
    folder: Path, args: tuple[str, ...], message: str
) -> None:
    result = execrank(*args, cwd=folder)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_explain_an_unknown_contact(folder: Path) -> None:
    execrank("import", "contacts", "contacts.csv", cwd=folder)
    execrank("score", cwd=folder)
    result = execrank("explain", "nobody", cwd=folder)
    assert result.returncode == 1 and "no contact 'nobody'" in result.stderr


def test_debug_shows_the_traceback(folder: Path) -> None:
    result = execrank("--debug", "rank", cwd=folder)
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_a_file_that_is_not_a_store_is_refused(folder: Path) -> None:
    (folder / "notes.duckdb").write_text("not a database", encoding="utf-8")
    result = execrank("rank", "--db", "notes.duckdb", cwd=folder)
    assert result.returncode == 1 and "notes.duckdb" in result.stderr
    assert "Traceback" not in result.stderr


def test_model_check_reports_paths_and_values(tmp_path: Path) -> None:
    text = model.default_yaml().replace("half_life_days: 90", "half_life_days: -3")
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    result = execrank("model", "check", "m.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "engagement.half_life_days: Input should be greater than 0 (got -3)" in result.stderr
    good = execrank(
        "model",
        "check",
        str(model.__file__).replace("model.py", "defaults/model.yaml"),
        cwd=tmp_path,
    )
    assert good.returncode == 0 and model.default().content_hash in good.stdout


def test_every_command_and_option_is_in_the_readme() -> None:
    from typer.main import get_command

    from execrank.cli import app

    readme = README.read_text(encoding="utf-8")
    group = get_command(app)
    names: list[str] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        names += [f"{name} {sub}" for sub in subcommands] if subcommands else [name]
        for sub in (subcommands or {name: command}).values():
            names += [o for p in sub.params for o in p.opts if o.startswith("--")]
    missing = [n for n in names if not re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", readme)]
    assert missing == []

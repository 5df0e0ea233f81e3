"""The `execrank` command through its real entry point: exit codes, messages, output shapes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from execrank import model
from tests.conftest import write_csv

README = Path(__file__).resolve().parents[1] / "README.md"


PYTHON_CLI = (sys.executable, "-c", "from execrank.cli import main; main()")


def execrank(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a child process, as a user would."""
    return subprocess.run(
        [*PYTHON_CLI, *args],
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
        "rep",
        "playbook",
    }
    assert set(ranked[0]["dimensions"]) == set(model.DIMENSIONS)
    explained = json.loads(execrank("explain", "p2", "--format", "json", cwd=folder).stdout)
    assert {"dimension", "rule", "points", "evidence"} == set(explained["contributions"][0])
    points = sum(c["points"] for c in explained["contributions"])
    assert points == pytest.approx(explained["total"], abs=1e-3)


def test_rank_csv_and_tier_filter(folder: Path) -> None:
    for kind in ("companies", "contacts"):
        execrank("import", kind, f"{kind}.csv", cwd=folder)
    write_csv(folder / "more.csv", ["contact_id", "title"], [["p3", "Analyst"]])
    execrank("import", "contacts", "more.csv", cwd=folder)
    execrank("score", "--as-of", "2026-11-30", cwd=folder)
    lines = execrank("rank", "--format", "csv", cwd=folder).stdout.splitlines()
    assert lines[0].startswith("rank,tier,total,contact_id,name,title,company,role,fit")
    assert len(lines) == 4
    tier_c = json.loads(execrank("rank", "--tier", "C", "--format", "json", cwd=folder).stdout)
    unranked = json.loads(execrank("rank", "--tier", "-", "--format", "json", cwd=folder).stdout)
    assert {r["tier"] for r in tier_c} == {"C"} and {r["tier"] for r in unranked} == {"-"}


def test_an_import_with_rejected_rows_exits_3_and_names_the_report(folder: Path) -> None:
    execrank("import", "contacts", "contacts.csv", cwd=folder)
    write_csv(
        folder / "bad.csv",
        ["contact_id", "event_type", "occurred_at"],
        [["p1", "meeting", "yesterday"], ["p1", "meeting", "2026-01-01"]],
    )
    result = execrank("import", "events", "bad.csv", cwd=folder)
    assert result.returncode == 3
    assert "bad.csv, row 2, column 'occurred_at': 'yesterday' is not a date" in result.stderr
    assert "Rejected rows written to" in result.stderr
    assert (folder / "bad.csv.events.rejected.csv").exists()
    assert "Traceback" not in result.stderr
    write_csv(folder / "bad.csv", ["contact_id", "event_type", "occurred_at"], [])  # fixed
    fixed = execrank("import", "events", "bad.csv", cwd=folder)
    assert fixed.returncode == 0
    assert (
        f"Removed {(folder / 'bad.csv.events.rejected.csv').resolve()}, an earlier import's "
        "rejected rows: this import rejected none" in " ".join(fixed.stderr.split())
    )
    assert not (folder / "bad.csv.events.rejected.csv").exists()


def test_clear_blanks_says_how_many_stored_values_it_cleared(folder: Path) -> None:
    execrank("import", "contacts", "contacts.csv", cwd=folder)
    write_csv(folder / "blank.csv", ["contact_id", "title"], [["p1", ""]])
    kept = execrank("import", "contacts", "blank.csv", cwd=folder)
    assert "0 changed, 1 unchanged" in kept.stdout and "cleared" not in kept.stdout
    cleared = execrank("import", "contacts", "blank.csv", "--clear-blanks", cwd=folder)
    assert "1 changed, 0 unchanged" in cleared.stdout
    assert cleared.stdout.rstrip().endswith("0 rejected, 1 cells cleared")


def test_an_event_type_the_active_model_does_not_score_is_a_warning(folder: Path) -> None:
    execrank("import", "contacts", "contacts.csv", cwd=folder)
    write_csv(
        folder / "new.csv",
        ["contact_id", "event_type", "occurred_at"],
        [["p1", "roundtable", "2026-11-01"]],
    )
    result = execrank("import", "events", "new.csv", cwd=folder)
    assert result.returncode == 0
    assert "1 new, 0 changed, 0 unchanged, 0 repeated in the file, 0 rejected" in result.stdout
    assert (
        "  warning: 1 events rows have event types the model 'default' does not score, so they "
        "earn no points: roundtable (1); it scores deal_comment, " in result.stderr
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("import", "contacts", "missing.csv"), "missing.csv"),
        (("rank",), "no such store"),
        (("score", "--as-of", ""), "--as-of '' is not a date"),
        (("demo", "--dir", "contacts.csv"), "is a file"),
        (("score", "--as-of", "someday"), "--as-of 'someday' is not a date"),
        (("import", "contacts", "contacts.csv", "--mapping", "nosuch"), "'nosuch' is neither"),
        (
            ("import", "contacts", "contacts.csv", "--encoding", "klingon"),
            "contacts.csv: unknown encoding 'klingon'",
        ),
    ],
)
def test_errors_are_one_sentence_without_traceback(
    folder: Path, args: tuple[str, ...], message: str
) -> None:
    result = execrank(*args, cwd=folder)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_rank_before_any_score(folder: Path) -> None:
    execrank("init", cwd=folder)
    result = execrank("rank", cwd=folder)
    assert result.returncode == 1 and "no scores yet" in result.stderr


def test_reading_commands_do_not_create_a_mistyped_store(folder: Path) -> None:
    result = execrank("rank", "--db", "sub/typo.duckdb", cwd=folder)
    assert result.returncode == 1 and "no such store" in result.stderr
    assert not (folder / "sub").exists()


def test_names_and_titles_are_printed_literally(folder: Path) -> None:
    write_csv(
        folder / "odd.csv",
        ["contact_id", "name", "title"],
        [["x1", "[bold]Ann[/bold]", "CEO [/bold]"]],
    )
    execrank("import", "contacts", "odd.csv", cwd=folder)
    execrank("score", cwd=folder)
    table = execrank("rank", cwd=folder)
    assert table.returncode == 0 and "CEO [/bold]" in table.stdout
    explained = execrank("explain", "x1", cwd=folder)
    assert "[bold]Ann[/bold] — CEO [/bold] — (unknown)" in explained.stdout


def test_unused_columns_are_named(folder: Path) -> None:
    write_csv(folder / "typo.csv", ["contact_id", "emial"], [["x1", "a@example.com"]])
    result = execrank("import", "contacts", "typo.csv", cwd=folder)
    assert "ignored columns (no contacts field): emial" in result.stderr


def test_a_foreign_duckdb_file_is_left_alone(folder: Path) -> None:
    import duckdb

    with duckdb.connect(str(folder / "other.duckdb")) as con:
        con.execute("CREATE TABLE contacts (x INTEGER)")
    result = execrank("init", "--db", "other.duckdb", cwd=folder)
    assert result.returncode == 1 and "not an execrank store" in result.stderr
    with duckdb.connect(str(folder / "other.duckdb")) as con:
        assert con.execute("SHOW TABLES").fetchall() == [("contacts",)]


def test_explain_an_unknown_contact(folder: Path) -> None:
    execrank("import", "contacts", "contacts.csv", cwd=folder)
    execrank("score", cwd=folder)
    result = execrank("explain", "nobody", cwd=folder)
    assert result.returncode == 1 and "no contact 'nobody'" in result.stderr


def test_debug_shows_the_traceback(folder: Path) -> None:
    result = execrank("--debug", "rank", cwd=folder)
    assert result.returncode != 0 and "Traceback" in result.stderr


HOLD_THE_STORE = (
    "import sys; from execrank.store import Store; store = Store.open(sys.argv[1]); "
    "print('open', flush=True); sys.stdin.read()"
)
"""A second process that opens the store and keeps it open until its standard input closes."""


def test_a_store_another_process_holds_open_is_named_with_that_process(folder: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_STORE, str(folder / "execrank.duckdb")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        result = execrank("import", "contacts", "contacts.csv", cwd=folder)
    finally:
        holder.communicate("")  # closing its standard input lets it exit
    assert result.returncode == 1
    assert result.stderr == (
        f"error: execrank.duckdb: another execrank process (e.g. `execrank serve`, PID "
        f"{holder.pid}) has the store open; stop it, or post through its API\n"
    )
    assert execrank("import", "contacts", "contacts.csv", cwd=folder).returncode == 0


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


def test_titles_classify_adds_columns(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "people.csv",
        ["name", "Title"],
        [["Ann", "Former CFO"], ["李伟", "副总裁兼CFO"], ["Bo", ""]],
    )
    lines = execrank("titles", "classify", "people.csv", cwd=tmp_path).stdout.splitlines()
    assert lines[0] == "name,Title,seniority,function,flags,confidence"
    assert lines[1].startswith("Ann,Former CFO,c_level,finance,former,")
    assert lines[2].startswith("李伟,副总裁兼CFO,c_level,finance,,")
    rows = json.loads(
        execrank("titles", "classify", "people.csv", "--format", "json", cwd=tmp_path).stdout
    )
    assert rows[2]["seniority"] == "staff" and float(rows[2]["confidence"]) < 0.5
    missing = execrank("titles", "classify", "people.csv", "--column", "role", cwd=tmp_path)
    assert missing.returncode == 1 and "no column 'role'" in missing.stderr


def test_titles_classify_writes_back_as_the_input_was_written(tmp_path: Path) -> None:
    (tmp_path / "bom.csv").write_bytes("\ufefftitle;name\nex-CFO;王伟\n".encode())
    (tmp_path / "wide.csv").write_text("title\tname\n首席执行官\t李\n", encoding="utf-16")
    (tmp_path / "plain.csv").write_text("title,name\nCTO,Bo\n", encoding="utf-8")
    workbook = openpyxl.Workbook()
    workbook.active.append(["title", "name"])
    workbook.active.append(["CTO", "Bo"])
    workbook.save(tmp_path / "book.xlsx")
    expected = {
        "bom.csv": "\ufefftitle;name;seniority;function;flags;confidence\n"
        "ex-CFO;王伟;c_level;finance;former;0.95\n",
        "wide.csv": "\ufefftitle\tname\tseniority\tfunction\tflags\tconfidence\n"
        "首席执行官\t李\tc_level\texecutive\t\t0.95\n",
        "plain.csv": "title,name,seniority,function,flags,confidence\nCTO,Bo,c_level,it,,0.95\n",
        "book.xlsx": "\ufefftitle,name,seniority,function,flags,confidence\n"
        "CTO,Bo,c_level,it,,0.95\n",
    }
    for name, text in expected.items():
        result = subprocess.run(
            [*PYTHON_CLI, "titles", "classify", name], cwd=tmp_path, capture_output=True
        )
        assert result.stdout.decode("utf-8") == text, name
    rows = json.loads(
        execrank("titles", "classify", "bom.csv", "--format", "json", cwd=tmp_path).stdout
    )
    assert (rows[0]["flags"], rows[0]["confidence"]) == (["former"], 0.95)
    klingon = execrank("titles", "classify", "plain.csv", "--encoding", "klingon", cwd=tmp_path)
    assert klingon.returncode == 1
    assert klingon.stderr.startswith("error: plain.csv: unknown encoding 'klingon'")


def test_the_memory_limit_comes_from_the_environment(folder: Path) -> None:
    env = {**os.environ, "EXECRANK_MEMORY_LIMIT": "lots"}
    result = subprocess.run(
        [sys.executable, "-c", "from execrank.cli import main; main()", "init"],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env=env,
    )
    assert result.returncode == 1 and "with memory limit 'lots'" in result.stderr


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("nodir/x.csv", "cannot write nodir/x.csv: the folder nodir does not exist"),
        ("adir", "cannot write adir: it is a folder; name a file"),
        ("", "cannot write .: it is a folder; name a file"),
        ("/dev/full", "cannot write /dev/full: No space left on device"),
    ],
)
def test_a_bad_output_path_is_one_sentence_naming_it(
    folder: Path, output: str, message: str
) -> None:
    (folder / "adir").mkdir()
    for kind in ("companies", "contacts"):
        execrank("import", kind, f"{kind}.csv", cwd=folder)
    execrank("score", "--as-of", "2026-11-30", cwd=folder)
    result = execrank("export", "--format", "csv", "--output", output, cwd=folder)
    assert (result.returncode, result.stderr.strip()) == (1, f"error: {message}")


def test_importing_a_folder_is_one_sentence_naming_it(folder: Path) -> None:
    result = execrank("import", "contacts", ".", cwd=folder)
    assert (result.returncode, result.stderr.strip()) == (
        1,
        "error: .: is a folder; name a file in it",
    )


def test_dedupe_says_when_it_finds_nothing(folder: Path) -> None:
    for kind in ("companies", "contacts"):
        execrank("import", kind, f"{kind}.csv", cwd=folder)
    for dry_run, change in ((["--dry-run"], "would change"), ([], "changed")):
        result = execrank("dedupe", *dry_run, cwd=folder)
        assert (result.returncode, result.stdout.strip()) == (
            0,
            f"No duplicate contacts found; nothing {change}.",
        )


def test_a_full_standard_output_is_one_sentence(folder: Path) -> None:
    titles = write_csv(folder / "many.csv", ["title"], [["Chief Executive Officer"]] * 5000)
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [*PYTHON_CLI, "titles", "classify", str(titles)],
            cwd=folder,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert (result.returncode, result.stderr) == (
        1,
        "error: cannot write to standard output: No space left on device\n",
    )

"""How title classes earn role points when a store is scored: the seniority x function table is
product-specific, and former and assistant titles earn none (issue 3). Real DuckDB stores,
through the service."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from execrank import model, service
from execrank.store import Store
from tests.conftest import write_csv

AS_OF = datetime(2026, 6, 1)

# title -> role points under the shipped default model (a data and cloud software seller):
# c_level 10, with c_level x it 10 and c_level x marketing 8; vp 7; director 4; manager 2.
DEFAULT_POINTS = {
    "Chief Information Officer": 10,
    "Chief Marketing Officer": 8,
    "EVP & CFO": 10,  # the highest role counts
    "C.E.O.": 10,
    "總經理": 10,
    "Engineer at CEO Ventures": 0,  # the employer is not a role
    "International Sales Manager": 2,  # international is not intern
    "AVP, Finance": 7,
    "代财务总监": 4,  # acting earns the role's points
    "Former CEO": 0,
    "原财务总监": 0,  # former
    "Assistant to the CEO": 0,
    "Office Manager / Executive Assistant": 0,  # a manager, but an assistant
}


def _scored_role_points(folder: Path, scoring_model: model.ScoringModel) -> dict[str, float]:
    folder.mkdir()
    titles = list(DEFAULT_POINTS)
    with Store.open(folder / "store.duckdb") as store:
        contacts = [[f"c{index}", title] for index, title in enumerate(titles)]
        path = write_csv(folder / "contacts.csv", ["contact_id", "title"], contacts)
        report = service.import_file(store, "contacts", path, ingested_at=AS_OF)
        assert not report.rejected, [str(error) for error in report.rejected]
        service.score(store, scoring_model, as_of=AS_OF, known_at=AS_OF)
        ranked = {contact.contact_id: contact for contact in service.rank(store)}
    return {title: ranked[f"c{index}"].dimensions["role"] for index, title in enumerate(titles)}


def test_role_points_follow_the_title_classes_and_flags(tmp_path: Path) -> None:
    assert _scored_role_points(tmp_path / "default", model.default()) == DEFAULT_POINTS


def test_the_seniority_by_function_table_is_product_specific(tmp_path: Path) -> None:
    # A marketing-software seller weights the CMO above the CIO: only the table changes.
    data = yaml.safe_load(model.default_yaml())
    data["name"] = "marketing-software"
    data["role"]["overrides"] = [
        {"seniority": "c_level", "function": "marketing", "points": 10},
        {"seniority": "c_level", "function": "it", "points": 6},
    ]
    path = tmp_path / "marketing.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    points = _scored_role_points(tmp_path / "marketing", model.load(path))
    assert points["Chief Marketing Officer"] == 10
    assert points["Chief Information Officer"] == 6
    assert {title: points[title] for title in points if "Chief" not in title} == {
        title: value for title, value in DEFAULT_POINTS.items() if "Chief" not in title
    }

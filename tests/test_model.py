"""The scoring model: the shipped default, validation errors with YAML paths, content hash."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from execrank import model
from execrank.errors import ModelError


def default_data() -> dict[str, object]:
    data = yaml.safe_load(model.default_yaml())
    assert isinstance(data, dict)
    return data


def test_default_model_carries_the_source_material_weights() -> None:
    m = model.default()
    assert m.role.seniority_points["c_level"] == 10
    assert m.role.seniority_points["vp"] == 7
    assert m.role.seniority_points["director"] == 4
    assert (m.fit.points.all, m.fit.points.some, m.fit.points.none) == (10, 5, 0)
    assert m.engagement.events["report_download"].points == 5
    assert m.engagement.events["private_roundtable"].points == 8
    assert m.engagement.events["reply_to_sales"].points == 10
    assert m.intent.topics["digital_transformation"].points == 10
    assert min(m.network.kinds.values()) == 5
    assert max(m.network.kinds.values()) == 15


def test_every_problem_is_reported_with_its_yaml_path(tmp_path: Path) -> None:
    data = default_data()
    data["engagement"]["half_life_days"] = 0  # type: ignore[index]
    data["weights"]["bogus"] = 1  # type: ignore[index]
    data["tiers"][0]["tier"] = "D"  # type: ignore[index]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        model.load(path)
    problems = caught.value.problems
    assert len(problems) == 3
    assert any(p.startswith("engagement.half_life_days:") and "got 0" in p for p in problems)
    assert any(p.startswith("weights.bogus:") and "Extra inputs" in p for p in problems)
    assert any(p.startswith("tiers[0].tier:") and "'D'" in p for p in problems)
    assert str(path) in str(caught.value)


def test_a_numeric_criterion_with_a_list_is_rejected() -> None:
    data = default_data()
    data["fit"]["criteria"][0] = {"name": "r", "field": "revenue_usd", "any_of": ["big"]}  # type: ignore[index]
    with pytest.raises(ModelError, match=r"fit\.criteria\[0\]"):
        model.parse(yaml.safe_dump(data, allow_unicode=True), "x.yaml")


def test_not_yaml_and_not_a_mapping_are_errors() -> None:
    with pytest.raises(ModelError, match="not valid YAML"):
        model.parse("role: [unclosed", "x.yaml")
    with pytest.raises(ModelError, match="mapping of sections"):
        model.parse("- a\n- b\n", "x.yaml")


def test_missing_file_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot read"):
        model.load(tmp_path / "nope.yaml")


def test_content_hash_ignores_formatting_but_not_values() -> None:
    data = default_data()
    reformatted = model.parse(yaml.safe_dump(data, allow_unicode=True, indent=4), "x.yaml")
    assert reformatted.content_hash == model.default().content_hash
    data["weights"]["role"] = 2.0  # type: ignore[index]
    changed = model.parse(yaml.safe_dump(data, allow_unicode=True), "x.yaml")
    assert changed.content_hash != model.default().content_hash


def test_topics_hash_changes_only_with_phrases() -> None:
    data = default_data()
    data["intent"]["cap"] = 99  # type: ignore[index]
    same_topics = model.parse(yaml.safe_dump(data, allow_unicode=True), "x.yaml")
    assert same_topics.intent.topics_hash == model.default().intent.topics_hash
    data["intent"]["topics"]["efficiency"]["phrases"].append("lean")  # type: ignore[index]
    other = model.parse(yaml.safe_dump(data, allow_unicode=True), "x.yaml")
    assert other.intent.topics_hash != model.default().intent.topics_hash

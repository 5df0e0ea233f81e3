"""The scoring model: the shipped default, validation errors with YAML paths, content hash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from execrank import model, titles
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
    points = [points for points, _ in m.network.kind_rules().values()]
    assert (min(points), max(points)) == (5, 15)


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


def problems_in(data: dict[str, object]) -> list[str]:
    """The problems `model check` would print for data written out as YAML."""
    with pytest.raises(ModelError) as caught:
        model.parse(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "x.yaml")
    return caught.value.problems


def test_numbers_must_be_yaml_numbers_not_booleans_or_text() -> None:
    data = default_data()
    data["role"]["overrides"][0]["points"] = True  # type: ignore[index]
    data["network"]["kinds"]["customer_referral"] = "15"  # type: ignore[index]
    assert problems_in(data) == [
        "role.overrides[0].points: Input should be a valid number (got True)",
        "network.kinds.customer_referral: write a number of points, or "
        "{points: N, half_life_days: D} (got '15')",
    ]


def test_yaml_natural_numbers_and_country_codes_still_load() -> None:
    text = model.default_yaml()
    text = text.replace("min: 1000000000}", "min: 1e9}").replace("[US, CN]", "[US, NO]")
    text = text.replace("company_signal_share: 0.5", "company_signal_share: 5e-1")
    m = model.parse(text, "x.yaml")
    # 1e9 and 5e-1 are numbers in YAML 1.2; NO is Norway, not false; int 10 reads as 10.0.
    assert m.fit.criteria[0].min == 1_000_000_000
    assert m.intent.company_signal_share == 0.5
    assert m.fit.criteria[3].any_of == ["US", "NO"]
    assert m.role.seniority_points["c_level"] == 10.0
    assert m.content_hash != model.default().content_hash  # the country list changed


def test_a_country_criterion_must_name_iso_codes() -> None:
    # imports store countries as codes, so "United States" would never be met
    data = default_data()
    data["fit"]["criteria"][3]["any_of"] = ["United States", "cn", "Atlantis"]  # type: ignore[index]
    assert problems_in(data) == [
        "fit.criteria[3].any_of[0]: 'United States' is not an ISO 3166-1 alpha-2 code; imports "
        "store countries as codes, so it would never be met: write US (got 'United States')",
        "fit.criteria[3].any_of[2]: 'Atlantis' is not an ISO 3166-1 alpha-2 code; imports store "
        "countries as codes, so it would never be met: write its code, e.g. US, CN, GB "
        "(got 'Atlantis')",
    ]


def test_quoted_numbers_stay_text_and_are_rejected() -> None:
    text = model.default_yaml().replace("min: 1000000000}", "min: '1e9'}")
    with pytest.raises(ModelError) as caught:
        model.parse(text, "x.yaml")
    assert caught.value.problems == [
        "fit.criteria[0].min: Input should be a valid number (got '1e9')"
    ]


def test_the_model_round_trips_through_its_own_yaml() -> None:
    dumped = yaml.safe_dump(model.default().model_dump(mode="json"), allow_unicode=True)
    assert model.parse(dumped, "x.yaml") == model.default()


def test_an_override_function_must_be_a_title_normalizer_function() -> None:
    data = default_data()
    data["role"]["overrides"][1]["function"] = "engineering"  # type: ignore[index]
    [problem] = problems_in(data)
    assert problem.startswith("role.overrides[1].function: Input should be 'executive', 'it',")
    assert problem.endswith("'administration' or 'other' (got 'engineering')")


def test_titles_and_the_model_share_one_vocabulary() -> None:
    assert titles.SENIORITIES is model.SENIORITIES
    assert titles.FUNCTIONS is model.FUNCTIONS
    assert model.FUNCTIONS == (
        "executive", "it", "finance", "marketing", "sales", "operations", "hr", "legal",
        "product", "strategy", "customer", "administration", "other",
    )  # fmt: skip


def test_fit_points_must_not_fall_as_more_criteria_match() -> None:
    data = default_data()
    data["fit"]["points"] = {"all": 1, "some": 5, "none": 9}  # type: ignore[index]
    assert problems_in(data) == [
        "fit.points: all (1) must be at least some (5), and some at least none (9) "
        "(got {'all': 1, 'some': 5, 'none': 9})"
    ]


def test_equal_fit_points_are_allowed() -> None:
    data = default_data()
    data["fit"]["points"] = {"all": 5, "some": 5, "none": 5}  # type: ignore[index]
    assert model.parse(yaml.safe_dump(data, allow_unicode=True), "x.yaml").fit.points.all == 5


def test_a_range_with_min_above_max_is_rejected() -> None:
    data = default_data()
    data["tiers"][0]["when"][0]["heat"] = {"min": 20, "max": 10}  # type: ignore[index]
    data["fit"]["criteria"][1]["max"] = 10  # type: ignore[index]
    assert problems_in(data) == [
        "fit.criteria[1]: min (1000) must not exceed max (10): nothing would match "
        "(got {'name': 'employees', 'field': 'employees', 'min': 1000, 'max': 10})",
        "tiers[0].when[0].heat: min (20) must not exceed max (10): nothing would match "
        "(got {'min': 20, 'max': 10})",
    ]


def test_each_tier_has_one_rule() -> None:
    data = default_data()
    data["tiers"] += [  # type: ignore[operator]
        {"tier": "A", "when": [{"role": {"min": 9}}]},
        {"tier": "C", "when": [{"fit": {"min": 9}}]},
    ]
    assert problems_in(data) == [
        "tiers[3].tier: tier A already has a rule in tiers[0]: "
        "list all its condition sets under that rule's when (got 'A')",
        "tiers[4].tier: tier C already has a rule in tiers[2]: "
        "list all its condition sets under that rule's when (got 'C')",
    ]


def test_an_empty_condition_set_is_rejected() -> None:
    data = default_data()
    data["tiers"][1]["when"].append({})  # type: ignore[index]
    assert problems_in(data) == [
        "tiers[1].when[2]: an empty condition set holds for every contact: "
        "bound at least one measure, e.g. {heat: {min: 10}} (got {})"
    ]


def test_engagement_floor_must_not_exceed_its_cap() -> None:
    data = default_data()
    data["engagement"]["floor"] = 40  # type: ignore[index]
    assert problems_in(data) == ["engagement.floor: must not exceed cap (30) (got 40.0)"]


def test_each_override_cell_is_given_once() -> None:
    data = default_data()
    data["role"]["overrides"].append({"seniority": "c_level", "function": "it", "points": 9})  # type: ignore[index]
    assert problems_in(data) == [
        "role.overrides[3]: c_level x it already has points in overrides[0], and the first "
        "match wins: remove one of them "
        "(got {'seniority': 'c_level', 'function': 'it', 'points': 9.0})"
    ]


def test_a_missing_seniority_is_named_with_the_table() -> None:
    data = default_data()
    del data["role"]["seniority_points"]["vp"]  # type: ignore[index]
    assert problems_in(data) == [
        "role.seniority_points: lacks vp: every seniority needs points "
        "(got {'board': 8, 'c_level': 10, 'director': 4, 'manager': 2, 'staff': 0})"
    ]


def test_consistency_problems_are_reported_together() -> None:
    data = default_data()
    data["fit"]["points"]["none"] = 50  # type: ignore[index]
    data["engagement"]["floor"] = 40  # type: ignore[index]
    data["role"]["overrides"][2]["seniority"] = "c_level"  # type: ignore[index]
    data["tiers"][2]["tier"] = "B"  # type: ignore[index]
    problems = problems_in(data)
    assert [p.split(":")[0] for p in problems] == [
        "role.overrides[2]",
        "fit.points",
        "engagement.floor",
        "tiers[2].tier",
    ]


def test_action_sections_name_known_event_types_and_one_pool_per_rep() -> None:
    data: dict[str, Any] = default_data()
    data["silent_executive"]["decisive_events"] = ["meeting", "fax_received"]
    data["stale_a"]["high_value_events"] = ["coffee"]
    data["routing"]["B"]["reps"][0]["name"] = "senior-am-1"
    assert problems_in(data) == [
        "silent_executive.decisive_events[1]: 'fax_received' is not an event type of "
        "engagement.events (got 'fax_received')",
        "stale_a.high_value_events[0]: 'coffee' is not an event type of engagement.events "
        "(got 'coffee')",
        "routing.B.reps: rep 'senior-am-1' is already in the pool of tier A: a rep serves one "
        "pool, so that capacity means one thing (got 'senior-am-1')",
    ]


def test_network_kinds_take_points_or_points_with_a_half_life() -> None:
    data: dict[str, Any] = default_data()
    data["network"]["kinds"] = {"customer_referral": 15, "alumni": {"points": 3}}
    del data["network"]["memberships"]  # it earns shared_association, no longer a kind here
    rules = model.ScoringModel.model_validate(data).network.kind_rules()
    # a bare number and a kind without half-life take the section's (365 days)
    assert rules == {"customer_referral": (15, 365), "alumni": (3, 365)}


def test_memberships_earn_a_kind_without_being_one() -> None:
    data: dict[str, Any] = default_data()
    data["network"]["memberships"]["earns"] = "alumni"
    data["network"]["memberships"]["kind"] = "customer_referral"
    data["network"]["memberships"]["won_deal_standing"] = "partner"
    assert problems_in(data) == [
        "network.memberships: won_deal_standing 'partner' is not one of customer_standings "
        "(got {'kind': 'customer_referral', 'earns': 'alumni', 'customer_standings': "
        "['active_customer', 'churned_customer'], 'won_deal_standing': 'partner'})"
    ]
    data["network"]["memberships"]["won_deal_standing"] = "active_customer"
    (problem,) = problems_in(data)
    assert problem.startswith("network: memberships.earns 'alumni' is not one of the kinds")
    data["network"]["memberships"]["earns"] = "shared_association"
    (problem,) = problems_in(data)
    assert problem.startswith(
        "network: memberships.kind 'customer_referral' is also a kind: its rows would earn "
        "points twice"
    )


def test_buying_role_words_are_matched_in_any_case_and_repeats_are_refused() -> None:
    data: dict[str, Any] = default_data()
    data["role"]["buying_roles"]["points"] = {"Decision  Maker": 5, "decision maker": 4}
    assert problems_in(data) == [
        "role.buying_roles.points.decision maker: 'decision maker' is 'Decision  Maker' again "
        "(words match in any case and spacing) (got 'decision maker')"
    ]

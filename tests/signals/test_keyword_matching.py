"""The keyword matcher, rule by rule, with hand-made sentences in English and Chinese."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from execrank import model
from execrank.errors import ModelError
from execrank.model import Topic
from execrank.signals import SNIPPET_CONTEXT_CHARS, TopicMatch, TopicMatcher, match_topics
from execrank.signals._text import WORDS, english_words


def topics(*phrases: str, exclusions: tuple[str, ...] = ()) -> dict[str, Topic]:
    return {"t": Topic(points=10, phrases=list(phrases), exclusions=list(exclusions))}


def found(text: str, *phrases: str, exclusions: tuple[str, ...] = ()) -> bool:
    return bool(match_topics(text, topics(*phrases, exclusions=exclusions)))


DEFAULT = model.default().intent.topics


def default_topics(text: str) -> list[str]:
    return [m.topic for m in match_topics(text, DEFAULT)]


# --- English: word boundaries and inflections -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We transform how banks work.",
        "The bank transforms its branches.",
        "It transformed the supply chain.",
        "Transforming retail, one store at a time.",
        "A multi-year transformation program.",
        "Two transformations at once.",
    ],
)
def test_a_word_matches_its_inflections(text: str) -> None:
    assert found(text, "transform")


@pytest.mark.parametrize(
    "text", ["Migrate the ERP.", "We are migrating.", "The migration ends in May.", "It migrated."]
)
def test_migrate_and_migration_share_a_stem(text: str) -> None:
    assert found(text, "migration")


@pytest.mark.parametrize(
    "text",
    [
        "The utility replaced a 40-year-old transformer at the substation.",
        "Transformers for the wind farm arrive in May.",
        "Automatic updates are on by default.",
    ],
)
def test_words_of_another_meaning_do_not_match(text: str) -> None:
    assert not found(text, "transform", "automation")


def test_english_phrases_match_on_word_boundaries_only() -> None:
    assert not found("New laws and draws.", "AWS")
    assert not found("cloudmigrations are rare", "cloud migration")
    assert found("Our cloud-migration team", "cloud migration")
    assert found("We run on AWS.", "aws")


def test_a_gap_lets_a_few_words_stand_between_parts() -> None:
    assert found("We are migrating our ERP to the cloud.", "migrate ... cloud")
    # more than four words between the parts, or a clause end between them: no match
    assert not found("We migrate the old and slow ERP systems to the cloud.", "migrate ... cloud")
    assert not found("We migrate data, and the cloud is cheap.", "migrate ... cloud")


# --- Chinese: jieba words ------------------------------------------------------------------------


def test_a_chinese_phrase_matches_inside_a_sentence() -> None:
    assert found("公司正式启动数字化转型战略，计划三年内完成。", "数字化转型")
    assert found("计划三年内推进核心业务系统上云", "上云")


@pytest.mark.parametrize("text", ["开幕式现场马上云集了两千多名观众。", "白云机场旅客吞吐量恢复。"])
def test_a_chinese_phrase_does_not_match_across_word_boundaries(text: str) -> None:
    assert not found(text, "上云", "云机")


def test_a_chinese_part_may_be_the_head_of_a_compound() -> None:
    # jieba keeps 明显提高 as one word; its head 提高 still completes "效率 ... 提高"
    assert found("床位周转效率明显提高。", "效率 ... 提高")


def test_registering_phrases_changes_no_other_model() -> None:
    assert found("双方将在云原生架构领域开展合作", "云原生")
    assert not found("双方将在云原生架构领域开展合作", "原生架")


# --- negation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Acme is not planning a cloud migration this year.",
        "We have no plans to migrate our ERP to the cloud.",
        "The bank doesn't expect a cloud migration before 2027.",
        "Globex ruled out a cloud migration.",
        "The cloud migration was cancelled in March.",
        # a denial negates its whole clause, here nine words before the phrase
        "Acme denied reports that it would outsource its IT operations to the cloud.",
    ],
)
def test_a_negated_english_phrase_does_not_count(text: str) -> None:
    assert "cloud_migration" not in default_topics(text)


@pytest.mark.parametrize(
    "text",
    [
        "Initech is not only cutting costs but also planning a cloud migration.",
        "We did not cut jobs, but we started a cloud migration.",
        "Acme did not hesitate for long before it chose the vendor for its cloud migration.",
    ],
)
def test_a_cue_in_another_clause_or_far_away_does_not_negate(text: str) -> None:
    assert "cloud_migration" in default_topics(text)


@pytest.mark.parametrize(
    "text",
    [
        "公司不考虑上云。",
        "目前暂无上云计划。",
        "公司尚未启动数字化转型项目。",
        "公司没有进行大规模数字化转型的计划。",
        "原定的上云计划已被取消。",
        "公司披露，目前尚无上云的具体安排。",
        "该行暂未推进数字化转型。",
    ],
)
def test_a_negated_chinese_phrase_does_not_count(text: str) -> None:
    assert not {"cloud_migration", "digital_transformation"} & set(default_topics(text))


@pytest.mark.parametrize(
    "text",
    ["集团不断推进数字化转型。", "未来三年推进数字化转型。", "不会因短期压力而放缓数字化转型。"],
)
def test_words_that_only_look_negative_do_not_negate(text: str) -> None:
    # 不断 (continuously) and 未来 (future) are words of their own; 而 starts another clause
    assert "digital_transformation" in default_topics(text)


# --- exclusions ------------------------------------------------------------------------------


def test_an_exclusion_in_the_same_sentence_cancels_the_phrase() -> None:
    weather = ("weather",)
    text = "Weather: clouds move to the cloud layer tonight."
    assert not found(text, "to the cloud", exclusions=weather)
    text = "The weather was fine. Acme moved its ERP to the cloud."
    assert found(text, "to the cloud", exclusions=weather)


def test_an_exclusion_far_away_in_a_long_sentence_does_not_cancel() -> None:
    # EXCLUSION_REACH_CHARS is 60; between "AWS" and "weather": 1 + 59 + 1 = 61 characters in
    # the first text, 1 + 59 = 60 in the second
    gap = "and distributed data processing systems such as Spark plus "
    assert len(gap) == 59
    assert found(f"Comfortable with AWS {gap} weather data.", "aws", exclusions=("weather",))
    assert not found(f"Comfortable with AWS {gap}weather data.", "aws", exclusions=("weather",))


def test_default_model_ignores_weather_clouds() -> None:
    assert default_topics("Heavy clouds and rain are expected to move east on Friday.") == []
    assert default_topics("明天白天全省多云转阴，局部地区有小雨。") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # digitizing media is no organisation's digital transformation
        ("Servers relay digitized movie files across file-sharing networks.", []),
        ("The label completed the digitization of its music archive.", []),
        (
            "The insurer will retire its paper forms and move claims online.",
            ["digital_transformation"],
        ),
        ("市政务服务中心推行一网通办，企业开办实现网上全程办理。", ["digital_transformation"]),
        # a product's savings for its buyers is no efficiency of the seller
        ("The thermostat lets homeowners cut heating costs by 10 percent.", []),
        ("这款车型百公里电耗降至12千瓦时，续航效率进一步提升。", []),
        ("It expects to make savings of 2 million euros a year.", ["efficiency"]),
        ("公司上线财务共享中心，报销审批时间由7天缩短至2天。", ["efficiency"]),
        ("机房运维成本每年节省约八百万元。", ["efficiency"]),
    ],
)
def test_default_model_reads_media_and_buyers_savings_apart(text: str, expected: list[str]) -> None:
    assert default_topics(text) == expected


# --- evidence --------------------------------------------------------------------------------


def test_a_match_names_the_model_phrase_and_shows_the_text_around_it() -> None:
    text = "x" * 200 + " Globex is migrating its ERP to the cloud, the CIO said. " + "y" * 200
    (match,) = match_topics(text, topics("migrate ... cloud"))
    assert match.phrase == "migrate ... cloud"
    assert "migrating its ERP to the cloud" in match.snippet
    assert match.snippet.startswith("…") and match.snippet.endswith("…")
    assert len(match.snippet) <= len("migrating its ERP to the cloud") + 2 * (
        SNIPPET_CONTEXT_CHARS + 1
    )


def test_each_topic_is_reported_once_with_its_earliest_occurrence() -> None:
    text = "Automation first. Then more automation and cost reduction."
    assert match_topics(text, {"efficiency": DEFAULT["efficiency"]}) == [
        TopicMatch("efficiency", "automation", text)
    ]


def test_topics_come_in_the_models_order() -> None:
    text = "We cut costs with automation and moved our data platform to the cloud."
    assert default_topics(text) == ["cloud_migration", "data_analytics", "efficiency"]


@given(st.text(max_size=300))
def test_any_text_is_matched_without_error(text: str) -> None:
    matches = TopicMatcher(DEFAULT).match(text)
    assert len({m.topic for m in matches}) == len(matches)
    assert all(m.phrase in DEFAULT[m.topic].phrases for m in matches)


# --- the model's topic settings ----------------------------------------------------------------


def intent_with(**changes: object) -> dict[str, object]:
    data = model.default().model_dump(mode="json")
    data["intent"].update(changes)
    return data


@pytest.mark.parametrize(
    ("phrase", "message"),
    [("AI大模型", "mixes Chinese and Latin letters"), ("... cloud", "has an empty part")],
)
def test_bad_phrases_are_reported_with_their_yaml_path(phrase: str, message: str) -> None:
    data = model.default().model_dump(mode="json")
    data["intent"]["topics"]["efficiency"]["phrases"].append(phrase)
    with pytest.raises(ModelError) as raised:
        model.parse(__import__("yaml").safe_dump(data, allow_unicode=True), "m.yaml")
    assert "intent.topics.efficiency.phrases[" in str(raised.value)
    assert message in str(raised.value)


def test_hiring_is_not_a_topic_name_when_hiring_is_configured() -> None:
    data = model.default().model_dump(mode="json")
    data["intent"]["topics"]["hiring"] = {"points": 1, "phrases": ["we are hiring"]}
    with pytest.raises(ModelError, match=r"intent\.topics\.hiring: 'hiring' is the topic"):
        model.parse(__import__("yaml").safe_dump(data, allow_unicode=True), "m.yaml")


def test_topics_hash_follows_what_decides_matches_not_points() -> None:
    base = model.default()
    data = base.model_dump(mode="json")
    data["intent"]["topics"]["efficiency"]["points"] = 1
    data["intent"]["hiring"]["points"] = 1
    same = model.ScoringModel.model_validate(data)
    assert same.intent.topics_hash == base.intent.topics_hash
    data["intent"]["topics"]["efficiency"]["exclusions"].append("gym")
    assert model.ScoringModel.model_validate(data).intent.topics_hash != base.intent.topics_hash
    data = base.model_dump(mode="json")
    data["intent"]["duplicates"]["window_days"] = 7
    assert model.ScoringModel.model_validate(data).intent.topics_hash != base.intent.topics_hash


@given(st.text(max_size=200))
def test_the_fast_word_split_agrees_with_the_word_pattern(text: str) -> None:
    lower = text.lower()
    assert english_words(lower) == WORDS.findall(lower)

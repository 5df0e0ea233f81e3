"""Job postings whose titles map to the model's functions and seniorities become hiring matches."""

from __future__ import annotations

import pytest

from execrank import model, titles
from execrank.model import Hiring
from execrank.signals import TopicMatch, hiring_match

HIRING = Hiring(points=4, functions=["it"], min_seniority="manager")


def hired(title: str, kind: str = "job_posting", hiring: Hiring | None = HIRING) -> bool:
    info = titles.classify(title)
    return hiring_match(hiring, kind, title, info.seniority, info.function) is not None


@pytest.mark.parametrize(
    "title",
    ["Head of Data Platform", "Director, Cloud Migration", "IT Manager", "VP Engineering",
     "Chief Data Officer", "数据平台负责人", "数字化转型项目经理"],
)  # fmt: skip
def test_product_related_roles_at_manager_level_or_above_count(title: str) -> None:
    assert hired(title)


@pytest.mark.parametrize(
    "title",
    ["Regional Sales Manager", "Data Scientist", "区域销售经理", "Machine Learning Engineer"],
)
def test_other_functions_and_junior_roles_do_not(title: str) -> None:
    assert not hired(title)


def test_only_job_postings_count_and_only_when_the_model_has_a_hiring_section() -> None:
    assert not hired("Head of Data Platform", kind="news")
    assert not hired("Head of Data Platform", hiring=None)
    assert not hired("   ")


def test_the_match_is_the_topic_hiring_with_the_title_as_phrase() -> None:
    assert hiring_match(HIRING, "job_posting", " Head of  Data Platform", "director", "it") == (
        TopicMatch(
            "hiring", "Head of Data Platform", "open role: Head of Data Platform (director, it)"
        )
    )


def test_the_default_model_counts_it_roles_from_manager_up() -> None:
    hiring = model.default().intent.hiring
    assert hiring is not None
    assert (hiring.functions, hiring.min_seniority, hiring.kinds) == (
        ["it"],
        "manager",
        ["job_posting"],
    )
    assert model.default().intent.topic_points["hiring"] == hiring.points

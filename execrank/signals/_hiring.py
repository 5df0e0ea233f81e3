"""Hiring signals: a job posting whose title the title normalizer maps to a function and
seniority the model ties to the product becomes a match of the topic `hiring`.

The title normalizer lives in execrank.titles, which this package does not import: the caller
classifies the title and passes its seniority and function.
"""

from __future__ import annotations

from execrank.model import HIRING_TOPIC, SENIORITIES, Hiring
from execrank.signals._match import TopicMatch


def hiring_match(
    hiring: Hiring | None, kind: str, title: str | None, seniority: str, function: str
) -> TopicMatch | None:
    """The hiring match of a signal, or None when it is no job posting the model counts.

    The phrase is the posting's title; the snippet says how the title was read, e.g.
    'open role: Head of Data Platform (director, it)'."""
    if hiring is None or kind not in hiring.kinds or not title or not title.strip():
        return None
    if function not in hiring.functions or seniority not in SENIORITIES:
        return None
    # SENIORITIES lists the highest first: a lower seniority has a larger index.
    if SENIORITIES.index(seniority) > SENIORITIES.index(hiring.min_seniority):
        return None
    title = " ".join(title.split())
    return TopicMatch(HIRING_TOPIC, title, f"open role: {title} ({seniority}, {function})")

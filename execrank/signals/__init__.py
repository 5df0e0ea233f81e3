"""Intent signals: text -> intent topics with evidence; job postings -> hiring matches.

>>> from execrank import model
>>> from execrank.signals import match_topics
>>> [m.topic for m in match_topics("We are migrating our ERP to the cloud.",
...                                 model.default().intent.topics)]
['cloud_migration']

The keyword matcher (`TopicMatcher`, `match_topics`) reads English by word stems on word
boundaries and Chinese by jieba words, skips negated uses and uses excluded by a topic's
exclusions. `hiring_match` turns a classified job posting title into a match of the topic
`hiring`; `find_duplicates` finds signals that repeat an earlier story about the same subject;
`SemanticMatcher` (extra `execrank[semantic]`) adds matches by sentence embeddings.
"""

from execrank.signals._duplicates import Duplicate, SignalText, find_duplicates
from execrank.signals._hiring import hiring_match
from execrank.signals._match import TopicMatch, TopicMatcher, match_topics
from execrank.signals._semantic import EXTRA, SemanticMatcher, load_encoder
from execrank.signals._text import SNIPPET_CONTEXT_CHARS

__all__ = [
    "EXTRA",
    "SNIPPET_CONTEXT_CHARS",
    "Duplicate",
    "SemanticMatcher",
    "SignalText",
    "TopicMatch",
    "TopicMatcher",
    "find_duplicates",
    "hiring_match",
    "load_encoder",
    "match_topics",
]

"""Message catalogs: every word the dashboard shows, in English and Simplified Chinese.

Catalogs are flat YAML files (`messages/<language>.yaml`, key -> text, `{name}` placeholders);
templates only name keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources

import yaml

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"


@cache
def catalog(language: str) -> Mapping[str, str]:
    """The messages of one language, key -> text."""
    text = (
        resources.files("execrank.web")
        .joinpath("messages", f"{language}.yaml")
        .read_text(encoding="utf-8")
    )
    loaded: dict[str, str] = yaml.safe_load(text)
    return loaded


def choose(asked: str | None, remembered: str | None, accepted: str | None) -> str:
    """The language to show: asked for in the URL, else remembered in a cookie, else the
    first of the browser's Accept-Language that we have, else English."""
    for candidate in (asked, remembered):
        if candidate in LANGUAGES:
            return candidate
    for part in (accepted or "").split(","):
        primary = part.split(";")[0].strip().lower()[:2]
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def translator(language: str) -> Callable[..., str]:
    """`t(key, **values)`: the message of `key` in `language`, placeholders filled."""
    messages = catalog(language)

    def translate(key: str, **values: object) -> str:
        return messages[key].format(**values) if values else messages[key]

    return translate

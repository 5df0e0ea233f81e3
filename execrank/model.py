"""The scoring model: a YAML file validated once by pydantic, with a content hash.

Everything tunable about scoring lives here as data: the role table, the ideal customer profile,
event weights, intent topics, network kinds, dimension weights and tier rules.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from execrank.errors import ModelError

DIMENSIONS = ("role", "fit", "engagement", "intent", "network")
SENIORITIES = ("board", "c_level", "vp", "director", "manager", "staff")
MEASURES = (*DIMENSIONS, "heat", "profile")
TIER_NAMES = ("A", "B", "C")
UNRANKED_TIER = "-"


def _digest(data: object) -> str:
    """First 12 hex of the sha256 of data's canonical JSON: equal data, equal digests."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


Points = Annotated[float, Field(ge=0, le=1000)]
PositiveDays = Annotated[float, Field(gt=0, le=36500)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleOverride(_Strict):
    seniority: Literal["board", "c_level", "vp", "director", "manager", "staff"]
    function: str = Field(min_length=1)
    points: Points


class Role(_Strict):
    seniority_points: dict[
        Literal["board", "c_level", "vp", "director", "manager", "staff"], Points
    ]
    overrides: list[RoleOverride] = []
    zero_point_flags: list[Literal["former", "acting", "assistant", "founder"]] = []
    cap: Points

    @model_validator(mode="after")
    def _every_seniority_has_points(self) -> Role:
        missing = [s for s in SENIORITIES if s not in self.seniority_points]
        if missing:
            raise ValueError(f"seniority_points lacks {', '.join(missing)}")
        return self


class Criterion(_Strict):
    name: str = Field(min_length=1)
    field: Literal["revenue_usd", "employees", "industry", "region", "country"]
    min: float | None = None
    max: float | None = None
    any_of: list[str] | None = None

    @model_validator(mode="after")
    def _one_kind_of_test(self) -> Criterion:
        numeric = self.field in ("revenue_usd", "employees")
        if numeric and (self.any_of is not None or (self.min is None and self.max is None)):
            raise ValueError(f"numeric field {self.field} takes min and/or max, not any_of")
        if not numeric and (self.any_of is None or self.min is not None or self.max is not None):
            raise ValueError(f"text field {self.field} takes any_of (a list), not min/max")
        return self


class FitPoints(_Strict):
    all: Points
    some: Points
    none: Points


class Fit(_Strict):
    criteria: list[Criterion] = Field(min_length=1)
    points: FitPoints


class EventRule(_Strict):
    points: Points
    count: Literal["once_per_asset", "every_time"] = "every_time"


class Engagement(_Strict):
    half_life_days: PositiveDays
    cap: Points
    floor: Points = 0
    events: dict[str, EventRule] = Field(min_length=1)


class Topic(_Strict):
    points: Points
    phrases: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)


class Intent(_Strict):
    half_life_days: PositiveDays
    cap: Points
    company_signal_share: float = Field(ge=0, le=1)
    topics: dict[str, Topic] = Field(min_length=1)

    @property
    def topics_hash(self) -> str:
        """Identifies the topic phrases: signal matches are stored per topic set."""
        phrases = {name: topic.phrases for name, topic in self.topics.items()}
        return _digest(phrases)


class Network(_Strict):
    half_life_days: PositiveDays
    cap: Points
    kinds: dict[str, Points] = Field(min_length=1)


class Weights(_Strict):
    role: Annotated[float, Field(ge=0, le=100)]
    fit: Annotated[float, Field(ge=0, le=100)]
    engagement: Annotated[float, Field(ge=0, le=100)]
    intent: Annotated[float, Field(ge=0, le=100)]
    network: Annotated[float, Field(ge=0, le=100)]


class Bound(_Strict):
    min: float | None = None
    max: float | None = None


Condition = dict[
    Literal["role", "fit", "engagement", "intent", "network", "heat", "profile"], Bound
]


class TierRule(_Strict):
    tier: Literal["A", "B", "C"]
    when: list[Condition] = Field(min_length=1)


class ScoringModel(_Strict):
    """A validated scoring model; `content_hash` identifies it in every snapshot."""

    name: str = Field(min_length=1)
    product: str = ""
    role: Role
    fit: Fit
    engagement: Engagement
    intent: Intent
    network: Network
    weights: Weights
    tiers: list[TierRule] = Field(min_length=1)

    @property
    def content_hash(self) -> str:
        """sha256 (first 12 hex) of the model's canonical JSON: equal models, equal hashes."""
        return _digest(self.model_dump(mode="json"))


def _yaml_path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors():
        where = _yaml_path(tuple(p for p in item["loc"] if not str(p).startswith("function-")))
        value = "(missing)" if item["type"] == "missing" else repr(item.get("input"))
        problems.append(f"{where}: {item['msg']} (got {value})")
    return problems


def parse(text: str, source: str) -> ScoringModel:
    """Validate YAML text as a scoring model; every problem is reported with its YAML path."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ModelError(source, [f"not valid YAML: {error}"]) from error
    if not isinstance(data, dict):
        raise ModelError(source, ["the top level must be a mapping of sections"])
    try:
        return ScoringModel.model_validate(data)
    except ValidationError as error:
        raise ModelError(source, _problems(error)) from error


def load(path: Path) -> ScoringModel:
    """Read and validate a scoring model file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ModelError(str(path), [f"cannot read the file: {error}"]) from error
    return parse(text, str(path))


def default_yaml() -> str:
    """The text of the shipped default model, execrank/defaults/model.yaml."""
    return (resources.files("execrank") / "defaults" / "model.yaml").read_text(encoding="utf-8")


def default() -> ScoringModel:
    """The shipped default scoring model."""
    return parse(default_yaml(), "execrank/defaults/model.yaml")

"""The scoring model: a YAML file validated once by pydantic, with a content hash.

Everything tunable about scoring lives here as data: the role table, the ideal customer profile,
event weights, intent topics, network kinds, dimension weights and tier rules.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from execrank.countries import country_code, is_country_code
from execrank.errors import ModelError

Seniority = Literal["board", "c_level", "vp", "director", "manager", "staff"]
Function = Literal[
    "executive",
    "it",
    "finance",
    "marketing",
    "sales",
    "operations",
    "hr",
    "legal",
    "product",
    "strategy",
    "customer",
    "administration",
    "other",
]

DIMENSIONS = ("role", "fit", "engagement", "intent", "network")
# What the title normalizer (execrank.titles) reports and the role table is keyed by.
# Highest seniority first: a title with several roles takes the first of them in this order.
TitleFlag = Literal["acting", "assistant", "chair", "chief_executive", "former", "founder"]
"""What a title says besides seniority and function (execrank.titles sets them)."""
SENIORITIES: tuple[Seniority, ...] = get_args(Seniority)
FUNCTIONS: tuple[Function, ...] = get_args(Function)
MEASURES = (*DIMENSIONS, "heat", "profile")
TIER_NAMES = ("A", "B", "C")
UNRANKED_TIER = "-"


def _digest(data: object) -> str:
    """First 12 hex of the sha256 of data's canonical JSON: equal data, equal digests."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


Points = Annotated[float, Field(ge=0, le=1000)]
PositiveDays = Annotated[float, Field(gt=0, le=36500)]


@dataclass(frozen=True)
class _Problem:
    """One problem below the object a validator checks: where (relative to it), what, the value."""

    location: tuple[int | str, ...]
    message: str
    value: object


class _Problems(ValueError):
    """Raised by a validator that found problems in an object's parts, each with its own place."""

    def __init__(self, problems: Sequence[_Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = tuple(problems)


def _repeats(keys: Sequence[object]) -> list[tuple[int, int]]:
    """(index, index of the first occurrence) of every key that occurred before."""
    first: dict[object, int] = {}
    repeats = []
    for index, key in enumerate(keys):
        if key in first:
            repeats.append((index, first[key]))
        else:
            first[key] = index
    return repeats


class _Strict(BaseModel):
    # strict: a number must be a YAML number (not "15", not true); ints are accepted as floats.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class RoleOverride(_Strict):
    seniority: Seniority
    function: Function
    points: Points


def _folded_keys(points: dict[str, float]) -> dict[str, float]:
    """CRM words are matched in any letter case and spacing: keys are stored folded."""
    folded: dict[str, float] = {}
    first: dict[str, str] = {}
    problems = []
    for word, value in points.items():
        key = " ".join(word.split()).casefold()
        if key in folded:
            message = f"{word!r} is {first[key]!r} again (words match in any case and spacing)"
            problems.append(_Problem((word,), message, word))
        first.setdefault(key, word)
        folded[key] = value
    if problems:
        raise _Problems(problems)
    return folded


CrmWords = Annotated[dict[str, Points], AfterValidator(_folded_keys)]


class BuyingRoles(_Strict):
    """A contact's stated role on an opportunity (the CRM's words, any letter case: Salesforce
    OpportunityContactRole, HubSpot deal contacts) adds role points: the best of its roles
    counts once, and once more `budget_points` when one of its roles is in `budget_roles`
    (the contact owns the budget). Lost deals do not count."""

    points: CrmWords
    budget_roles: list[str] = []
    budget_points: Points = 0

    @property
    def budget_words(self) -> list[str]:
        return [" ".join(word.split()).casefold() for word in self.budget_roles]


class Role(_Strict):
    seniority_points: dict[Seniority, Points]
    overrides: list[RoleOverride] = []
    zero_point_flags: list[TitleFlag] = []
    buying_roles: BuyingRoles | None = None
    cap: Points

    @field_validator("seniority_points")
    @classmethod
    def _every_seniority_has_points(cls, points: dict[Seniority, float]) -> dict[Seniority, float]:
        missing = [s for s in SENIORITIES if s not in points]
        if missing:
            raise ValueError(f"lacks {', '.join(missing)}: every seniority needs points")
        return points

    @field_validator("overrides")
    @classmethod
    def _one_override_per_cell(cls, overrides: list[RoleOverride]) -> list[RoleOverride]:
        cells = [(override.seniority, override.function) for override in overrides]
        problems = [
            _Problem(
                (index,),
                f"{' x '.join(cells[index])} already has points in overrides[{first}], "
                "and the first match wins: remove one of them",
                overrides[index].model_dump(),
            )
            for index, first in _repeats(cells)
        ]
        if problems:
            raise _Problems(problems)
        return overrides


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
        _check_range(self.min, self.max)
        if self.field == "country":
            _check_country_codes(self.any_of or [])
        return self


def _check_country_codes(values: Sequence[str]) -> None:
    """Imports store countries as ISO 3166-1 alpha-2 codes, so a criterion naming a country
    otherwise would never be met."""
    problems = []
    for index, value in enumerate(values):
        if is_country_code(value):
            continue
        code = country_code(value)
        hint = f"write {code}" if code else "write its code, e.g. US, CN, GB"
        message = (
            f"{value!r} is not an ISO 3166-1 alpha-2 code; imports store countries as codes, "
            f"so it would never be met: {hint}"
        )
        problems.append(_Problem(("any_of", index), message, value))
    if problems:
        raise _Problems(problems)


def _check_range(low: float | None, high: float | None) -> None:
    if low is not None and high is not None and low > high:
        raise ValueError(f"min ({low:g}) must not exceed max ({high:g}): nothing would match")


class FitPoints(_Strict):
    all: Points
    some: Points
    none: Points

    @model_validator(mode="after")
    def _more_criteria_more_points(self) -> FitPoints:
        if not self.all >= self.some >= self.none:
            raise ValueError(
                f"all ({self.all:g}) must be at least some ({self.some:g}), "
                f"and some at least none ({self.none:g})"
            )
        return self


class Fit(_Strict):
    criteria: list[Criterion] = Field(min_length=1)
    points: FitPoints


class EventRule(_Strict):
    """How one event type counts. Repeats are events of the same type on the same asset:
    `every_time` counts each in full, `once_per_asset` only the newest, `diminishing` the k-th
    newest at points x repeat_factor^(k-1). `cap` holds the type's total (all assets) per
    contact, so that many cheap touches cannot outweigh one conversation."""

    points: Points
    count: Literal["once_per_asset", "every_time", "diminishing"] = "every_time"
    cap: Points | None = None  # all events of this type together earn at most this


class Engagement(_Strict):
    half_life_days: PositiveDays
    cap: Points
    floor: Points = 0
    repeat_factor: float = Field(default=0.5, gt=0, le=1)
    events: dict[str, EventRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _floor_within_cap(self) -> Engagement:
        if self.floor > self.cap:
            message = f"must not exceed cap ({self.cap:g})"
            raise _Problems([_Problem(("floor",), message, self.floor)])
        return self


# Bump when the meaning of the intent matching settings changes (phrase syntax, negation and
# duplicate rules in execrank.signals), so that matches stored under an older version are redone.
SIGNAL_RULES_VERSION = "signals-3"
HIRING_TOPIC = "hiring"  # the topic name under which job postings become matches
_CJK_CHAR = re.compile("[\u3400-\u9fff]")
_LATIN_LETTER = re.compile("[A-Za-z]")
GAP = "..."  # in a phrase: a few words may stand between the parts it separates


def _phrase(text: str) -> str:
    """A topic phrase: English or Chinese words, optionally parts separated by '...'."""
    parts = [part.strip() for part in text.split(GAP)]
    if any(not re.search(r"\w", part) for part in parts):
        raise ValueError(
            f"{text!r} has an empty part: write words, and '...' only between two of them "
            "(e.g. 'migrate ... cloud')"
        )
    if _CJK_CHAR.search(text) and _LATIN_LETTER.search(text):
        raise ValueError(f"{text!r} mixes Chinese and Latin letters: write one phrase per language")
    return text.strip()


Phrase = Annotated[str, Field(min_length=1), AfterValidator(_phrase)]


class Topic(_Strict):
    """A topic of intent: phrases (English or Chinese) that earn its points, and exclusions:
    phrases that cancel a phrase found in the same sentence (weather for 'cloud')."""

    points: Points
    phrases: list[Phrase] = Field(min_length=1)
    exclusions: list[Phrase] = []


class Hiring(_Strict):
    """Job postings (signals of these kinds) whose title the title normalizer maps to one of
    `functions` at `min_seniority` or above become matches of the topic `hiring`."""

    points: Points
    functions: list[Function] = Field(min_length=1)
    min_seniority: Seniority
    kinds: list[Annotated[str, Field(min_length=1)]] = Field(default=["job_posting"], min_length=1)


class Duplicates(_Strict):
    """A signal whose text is near-identical (word-shingle Jaccard at least `min_similarity`)
    to an earlier signal about the same subject within `window_days` gets no matches."""

    window_days: PositiveDays = 30
    min_similarity: float = Field(default=0.5, gt=0, le=1)


class Semantic(_Strict):
    """Optional matching by sentence embeddings (extra `execrank[semantic]`): a sentence whose
    cosine similarity to a topic's English phrases reaches `threshold` matches the topic."""

    enabled: bool = False
    threshold: float = Field(default=0.5, gt=0, lt=1)


class Intent(_Strict):
    half_life_days: PositiveDays
    cap: Points
    company_signal_share: float = Field(ge=0, le=1)
    topics: dict[str, Topic] = Field(min_length=1)
    hiring: Hiring | None = None
    duplicates: Duplicates = Duplicates()
    semantic: Semantic = Semantic()

    @model_validator(mode="after")
    def _hiring_is_not_a_topic(self) -> Intent:
        if self.hiring is not None and HIRING_TOPIC in self.topics:
            message = f"'{HIRING_TOPIC}' is the topic of the hiring section: rename this topic"
            raise _Problems([_Problem(("topics", HIRING_TOPIC), message, HIRING_TOPIC)])
        return self

    @property
    def topic_points(self) -> dict[str, float]:
        """Points of every topic a match can name, the hiring topic included."""
        points = {name: topic.points for name, topic in self.topics.items()}
        if self.hiring is not None:
            points[HIRING_TOPIC] = self.hiring.points
        return points

    @property
    def topics_hash(self) -> str:
        """Identifies what decides the matches (phrases, exclusions, hiring, duplicates and
        semantic settings, rules version), not the points: matches are stored per topic set."""
        settings = {
            "topics": {
                name: {"phrases": topic.phrases, "exclusions": topic.exclusions}
                for name, topic in self.topics.items()
            },
            "hiring": self.hiring.model_dump(exclude={"points"}) if self.hiring else None,
            "duplicates": self.duplicates.model_dump(),
            "semantic": self.semantic.model_dump(),
            "rules": SIGNAL_RULES_VERSION,
        }
        return _digest(settings)


class NetworkKind(_Strict):
    """Points of one relationship kind, decaying with its own half-life (default: the
    section's)."""

    points: Points
    half_life_days: PositiveDays | None = None


def _points_or_kind(value: object) -> object:
    """A kind written as a bare number means its points, with the section's half-life."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"points": value}
    if not isinstance(value, dict | NetworkKind):
        raise ValueError("write a number of points, or {points: N, half_life_days: D}")
    return value


KindRule = Annotated[NetworkKind, BeforeValidator(_points_or_kind)]
StandingFactor = Annotated[float, Field(ge=0, le=10)]


class Memberships(_Strict):
    """Membership lists (associations, alliances), imported as relationships of kind `kind`
    with the organization as `referrer`, joined to the members who are executives of customers:
    a member standing `customer_standings` (its row's `referrer_standing`, the standing of the
    member's own company; with none, `won_deal_standing` when its company won a deal by as_of).
    Every other member earns the kind `earns` once per organization it shares with them."""

    kind: str = Field(min_length=1)
    earns: str = Field(min_length=1)
    customer_standings: list[str] = Field(min_length=1)
    won_deal_standing: str = Field(min_length=1)

    @model_validator(mode="after")
    def _won_deals_make_customers(self) -> Memberships:
        if self.won_deal_standing not in self.customer_standings:
            raise ValueError(
                f"won_deal_standing {self.won_deal_standing!r} is not one of customer_standings"
            )
        return self


class Network(_Strict):
    """Relationship kinds -> points (a number, or points with a half-life). The referrer's
    standing (the relationship's `referrer_standing` code, e.g. active_customer, churned_customer)
    scales the points by `standing[...]`; a standing not listed, or none, by `unknown_standing`."""

    half_life_days: PositiveDays
    cap: Points
    kinds: dict[str, KindRule] = Field(min_length=1)
    standing: dict[str, StandingFactor] = {}
    unknown_standing: StandingFactor = 1.0
    memberships: Memberships | None = None

    @model_validator(mode="after")
    def _memberships_earn_a_kind(self) -> Network:
        joined = self.memberships
        if joined is not None and joined.earns not in self.kinds:
            raise ValueError(f"memberships.earns {joined.earns!r} is not one of the kinds")
        if joined is not None and joined.kind in self.kinds:
            raise ValueError(
                f"memberships.kind {joined.kind!r} is also a kind: its rows would earn points "
                "twice (once as themselves, once joined)"
            )
        return self

    def known_standings(self) -> set[str]:
        """The referrer standings the model tells apart: those it scales, and the membership
        lists' customer standings; any other counts as `unknown_standing`."""
        customers = set(self.memberships.customer_standings) if self.memberships else set()
        return set(self.standing) | customers

    def read_kinds(self) -> set[str]:
        """The relationship kinds scoring reads: the kinds, and the membership lists' kind."""
        return set(self.kinds) | ({self.memberships.kind} if self.memberships else set())

    def kind_rules(self) -> dict[str, tuple[float, float]]:
        """Every kind with its (points, half-life in days)."""
        return {
            name: (kind.points, kind.half_life_days or self.half_life_days)
            for name, kind in self.kinds.items()
        }


class Weights(_Strict):
    role: Annotated[float, Field(ge=0, le=100)]
    fit: Annotated[float, Field(ge=0, le=100)]
    engagement: Annotated[float, Field(ge=0, le=100)]
    intent: Annotated[float, Field(ge=0, le=100)]
    network: Annotated[float, Field(ge=0, le=100)]


class Bound(_Strict):
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _min_within_max(self) -> Bound:
        _check_range(self.min, self.max)
        return self


def _not_empty(condition: dict[str, Bound]) -> dict[str, Bound]:
    if not condition:
        raise ValueError(
            "an empty condition set holds for every contact: "
            "bound at least one measure, e.g. {heat: {min: 10}}"
        )
    return condition


Condition = Annotated[
    dict[Literal["role", "fit", "engagement", "intent", "network", "heat", "profile"], Bound],
    AfterValidator(_not_empty),
]


Tier = Literal["A", "B", "C"]
EventTypes = Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]


class TierRule(_Strict):
    tier: Tier
    when: list[Condition] = Field(min_length=1)


class SilentExecutive(_Strict):
    """A senior contact at a fitting company with little engagement but one decisive act within
    `within_days` before as_of (an event of `decisive_events`, or a place on an opportunity
    open at a stage of `late_stages`) is flagged and lifted at least to tier `lift_to`."""

    min_role: Points
    min_fit: Points
    max_engagement: Points
    decisive_events: EventTypes
    within_days: PositiveDays
    late_stages: list[str] = []
    lift_to: Tier = "B"

    @property
    def stage_words(self) -> list[str]:
        return [" ".join(stage.split()).casefold() for stage in self.late_stages]


class StaleA(_Strict):
    """A contact the tier rules put in A whose newest high-value act (an event of
    `high_value_events`) is more than `after_days` before as_of, or who has none, is demoted to
    `demote_to`: A is for live conversations. Measured from the facts at as_of, so any as_of
    gives the same answer whenever it is scored."""

    after_days: PositiveDays
    high_value_events: EventTypes
    demote_to: Literal["B", "C", "-"] = "B"


class Seat(_Strict):
    """A seat of the buying committee: filled by a contact whose title is one of `seniorities`
    x `functions`, or who holds one of `buying_roles` on an opportunity."""

    name: str = Field(min_length=1)
    seniorities: list[Seniority] = Field(min_length=1)
    functions: list[Function] = Field(min_length=1)
    buying_roles: list[str] = []
    only_with_flag: dict[Seniority, list[TitleFlag]] = {}
    """At these seniorities a title fills the seat only when it has one of the flags ({board:
    [chair, chief_executive]}: the chair of the board, or a director who is also the chief
    executive, not every director or supervisor)."""


class Accounts(_Strict):
    """The account view: its score is the sum of its best contacts' totals times
    `contact_weights` (best first); a seat counts as engaged when its contact's engagement is
    at least `engaged_min`."""

    contact_weights: list[Annotated[float, Field(ge=0, le=10)]] = Field(min_length=1)
    engaged_min: Points
    seats: list[Seat] = Field(min_length=1)


class Rep(_Strict):
    name: str = Field(min_length=1)
    capacity: int | None = Field(default=None, ge=1)  # contacts at most; none: no limit


class Pool(_Strict):
    """The reps who follow up one tier, in round-robin order."""

    seniority: str = Field(min_length=1)
    reps: list[Rep] = Field(min_length=1)


class Playbook(_Strict):
    plan: str = Field(min_length=1)
    steps: list[str] = []


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
    silent_executive: SilentExecutive | None = None
    stale_a: StaleA | None = None
    accounts: Accounts | None = None
    routing: dict[Tier, Pool] = {}
    playbooks: dict[Tier, Playbook] = {}

    def playbook_for(self, tier: str) -> Playbook | None:
        """The follow-up plan of a tier (None for '-' or a tier without one)."""
        return next((plan for name, plan in self.playbooks.items() if name == tier), None)

    def scored_kinds(self) -> dict[str, set[str]]:
        """The event types and relationship kinds the model gives points, by fact table."""
        return {"events": set(self.engagement.events), "relationships": self.network.read_kinds()}

    def pool_for(self, tier: str) -> Pool | None:
        """The reps who follow up a tier (None for '-' or a tier without a pool)."""
        return next((pool for name, pool in self.routing.items() if name == tier), None)

    @model_validator(mode="after")
    def _known_event_types(self) -> ScoringModel:
        named = [
            (("silent_executive", "decisive_events"), self.silent_executive, "decisive_events"),
            (("stale_a", "high_value_events"), self.stale_a, "high_value_events"),
        ]
        problems = [
            _Problem(
                (*path, index),
                f"{event!r} is not an event type of engagement.events",
                event,
            )
            for path, section, field in named
            if section is not None
            for index, event in enumerate(getattr(section, field))
            if event not in self.engagement.events
        ]
        reps = [(tier, rep.name) for tier, pool in self.routing.items() for rep in pool.reps]
        problems += [
            _Problem(
                ("routing", reps[index][0], "reps"),
                f"rep {reps[index][1]!r} is already in the pool of tier {reps[first][0]}: "
                "a rep serves one pool, so that capacity means one thing",
                reps[index][1],
            )
            for index, first in _repeats([name for _, name in reps])
        ]
        if problems:
            raise _Problems(problems)
        return self

    @field_validator("tiers")
    @classmethod
    def _one_rule_per_tier(cls, tiers: list[TierRule]) -> list[TierRule]:
        problems = [
            _Problem(
                (index, "tier"),
                f"tier {tiers[index].tier} already has a rule in tiers[{first}]: "
                "list all its condition sets under that rule's when",
                tiers[index].tier,
            )
            for index, first in _repeats([rule.tier for rule in tiers])
        ]
        if problems:
            raise _Problems(problems)
        return tiers

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
        location = tuple(p for p in item["loc"] if not str(p).startswith("function-"))
        cause = item.get("ctx", {}).get("error")
        if isinstance(cause, _Problems):
            problems += [
                f"{_yaml_path(location + p.location)}: {p.message} (got {p.value!r})"
                for p in cause.problems
            ]
            continue
        # Our own validators' sentences stand alone, without pydantic's "Value error, ".
        message = str(cause) if isinstance(cause, ValueError) else item["msg"]
        value = "(missing)" if item["type"] == "missing" else repr(item.get("input"))
        problems.append(f"{_yaml_path(location)}: {message} (got {value})")
    return problems


class _Yaml12Loader(yaml.SafeLoader):
    """Plain scalars read as in YAML 1.2: 1e9 is a number (YAML 1.1 reads it as text, which the
    strict schema would reject) and only true/false are booleans (not NO, Norway's code)."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [
        (tag, pattern)
        for tag, pattern in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:float")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# Added after the int resolver, which therefore still claims "15".
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def parse(text: str, source: str) -> ScoringModel:
    """Validate YAML text as a scoring model; every problem is reported with its YAML path."""
    try:
        data: Any = yaml.load(text, Loader=_Yaml12Loader)
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

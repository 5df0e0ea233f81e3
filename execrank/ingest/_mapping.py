"""Column mappings: data files that rename a CRM export's headers to execrank's fields.

A mapping is YAML: `kind` (which import it is for), an optional `description`, and `columns`,
from execrank field to the export's header (a list of headers is joined with a space). Optional:
`scale` (field -> factor, for files that count revenue in thousands or millions; or field ->
a list of ranges, `{below: 100000, factor: 1000000}` and `{at_least: 1000000, factor: 1000}`,
for a file that writes one column in two units told apart by the value's size: a value in no
range is rejected as ambiguous), `constants`
(field -> the value every row gets, e.g. a country), `first_of` (field -> a separator, spaces
around it ignored: a cell listing several values, like HubSpot's `9001;9002`, gives the first
value listed, stripped, blank ones skipped), and `signature` (headers that mark this
export without being imported, used by `--mapping auto`). Shipped mappings live in
execrank/ingest/mappings/; `--mapping NAME` picks one, `--mapping FILE` reads a file, and
`--mapping auto` picks the shipped mapping whose headers the file's header holds best. With no
mapping, the file's headers must be execrank's field names (any letter case).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from execrank.errors import InputError
from execrank.ingest._schema import KINDS

AUTO = "auto"
"""The `--mapping` value that picks a shipped mapping by the file's header."""

IDENTITY_NAME = "execrank"
"""The name of the mapping that reads execrank's own column names (as `--mapping auto` lists
it: "execrank-contacts" and so on, one per kind)."""

MIN_AUTO_OVERLAP = 0.5
"""Share of a mapping's headers a file must hold for `--mapping auto` to choose it (of the
file's headers, when it has fewer: a file of `company_id,name` is all execrank's own names)."""


@dataclass(frozen=True)
class ScaleRange:
    """The factor of a field's values from `at_least` (None: no lower bound) up to `below`
    (None: no upper bound); a plain `scale` factor is one range with neither bound."""

    factor: float
    at_least: float | None = None
    below: float | None = None

    def holds(self, value: float) -> bool:
        return (self.at_least is None or value >= self.at_least) and (
            self.below is None or value < self.below
        )

    def __str__(self) -> str:
        bounds = [f"at least {_figure(self.at_least)}"] if self.at_least is not None else []
        bounds += [f"below {_figure(self.below)}"] if self.below is not None else []
        return f"{' and '.join(bounds) or 'any value'}: times {_figure(self.factor)}"


def _figure(number: float) -> str:
    """A number as a person writes it: 1,000,000, 0.5."""
    return f"{number:,.0f}" if number.is_integer() else f"{number:,}"


RANGE_KEYS = ("at_least", "below", "factor")


@dataclass(frozen=True)
class Mapping:
    name: str
    kind: str
    columns: dict[str, tuple[str, ...]]  # execrank field -> source header(s), joined by a space
    scale: dict[str, tuple[ScaleRange, ...]] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    first_of: dict[str, str] = field(default_factory=dict)  # field -> separator
    signature: tuple[str, ...] = ()

    def headers(self) -> set[str]:
        """Every header this mapping reads or recognises, case-folded."""
        named = {h for headers in self.columns.values() for h in headers} | set(self.signature)
        return {h.casefold() for h in named}


@dataclass(frozen=True)
class Candidate:
    """How well one mapping fits a header: the share of its headers present (of the file's, when
    the file has fewer columns than the mapping names), and their count."""

    mapping: Mapping
    overlap: float
    matched: int
    fits: bool  # every required field has a column (or a constant)

    def __str__(self) -> str:
        missing = "" if self.fits else ", lacks a required column"
        return f"{self.mapping.name} ({self.overlap:.0%} of the headers{missing})"


def shipped_mapping_names() -> list[str]:
    folder = resources.files("execrank.ingest") / "mappings"
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def _read(name_or_file: str) -> tuple[str, str]:
    path = Path(name_or_file)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return str(path), path.read_text(encoding="utf-8")
    if name_or_file in shipped_mapping_names():
        folder = resources.files("execrank.ingest") / "mappings"
        return name_or_file, (folder / f"{name_or_file}.yaml").read_text(encoding="utf-8")
    raise InputError(
        f"mapping {name_or_file!r} is neither a YAML file nor a shipped mapping "
        f"({', '.join([AUTO, *shipped_mapping_names()])})"
    )


def load_mapping(name_or_file: str, kind: str | None = None) -> Mapping:
    """Load a mapping by shipped name or file path; check it fits `kind` when one is given."""
    source, text = _read(name_or_file)
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InputError(f"{source}: not valid YAML: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise InputError(f"{source}: a mapping needs `kind` and a `columns` mapping")
    found = data.get("kind")
    if found not in KINDS or (kind is not None and found != kind):
        wanted = repr(kind) if kind else f"one of {', '.join(KINDS)}"
        raise InputError(f"{source}: this mapping is for {found!r} imports, not {wanted}")
    fields = {f.name for f in KINDS[found]}
    for section in ("columns", "scale", "constants", "first_of"):
        unknown = sorted(set(data.get(section) or {}) - fields)
        if unknown:
            raise InputError(
                f"{source}: {section}.{unknown[0]} is not a {found} field "
                f"(fields: {', '.join(sorted(fields))})"
            )
    columns = {
        str(k): tuple(str(h) for h in v) if isinstance(v, list) else (str(v),)
        for k, v in data["columns"].items()
    }
    first_of = {}
    for name, separator in (data.get("first_of") or {}).items():
        if not isinstance(separator, str) or not separator.strip():
            raise InputError(
                f"{source}: first_of.{name} is {separator!r}; expected the text that separates "
                "the values of a cell, e.g. ';'"
            )
        first_of[str(name)] = separator.strip()  # the values are stripped: spaces never matter
    return Mapping(
        name=source,
        kind=found,
        columns=columns,
        scale={
            str(k): _scale_ranges(source, f"scale.{k}", v)
            for k, v in (data.get("scale") or {}).items()
        },
        constants={str(k): str(v) for k, v in (data.get("constants") or {}).items()},
        first_of=first_of,
        signature=tuple(str(h) for h in data.get("signature") or ()),
    )


def _number(source: str, path: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{source}: {path} is {value!r}; expected a number")
    return float(value)


def _scale_ranges(source: str, path: str, value: Any) -> tuple[ScaleRange, ...]:
    """A `scale` entry: one factor, or a list of non-overlapping ranges, each a mapping of
    `factor` and at least one of `at_least` and `below`."""
    if not isinstance(value, list):
        return (ScaleRange(_number(source, path, value)),)
    ranges = []
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        keys = set(item) if isinstance(item, dict) else set()
        if "factor" not in keys or keys == {"factor"} or keys - set(RANGE_KEYS):
            raise InputError(
                f"{source}: {where} is {item!r}; expected a factor and at_least and/or below, "
                "e.g. {below: 100000, factor: 1000000}"
            )
        numbers = {k: _number(source, f"{where}.{k}", item[k]) for k in keys}
        if numbers.get("at_least", -math.inf) >= numbers.get("below", math.inf):
            raise InputError(f"{source}: {where} holds no value: at_least must be less than below")
        ranges.append(ScaleRange(**numbers))
    for index, one in enumerate(ranges):
        for other in ranges[index + 1 :]:
            low = max(r.at_least if r.at_least is not None else -math.inf for r in (one, other))
            high = min(r.below if r.below is not None else math.inf for r in (one, other))
            if low < high:
                raise InputError(
                    f"{source}: {path} has overlapping ranges ({one}; {other}); a value must "
                    "have one factor"
                )
    return tuple(ranges)


def identity_mapping(kind: str) -> Mapping:
    return Mapping(name=IDENTITY_NAME, kind=kind, columns={f.name: (f.name,) for f in KINDS[kind]})


def candidates(header: tuple[str, ...], kind: str | None = None) -> list[Candidate]:
    """Every shipped mapping (of `kind`, when given) and execrank's own names, best fit first."""
    present = {h.casefold() for h in header}
    mappings = [load_mapping(name) for name in shipped_mapping_names()]
    mappings += [Mapping(f"{IDENTITY_NAME}-{k}", k, identity_mapping(k).columns) for k in KINDS]
    ranked = []
    for mapping in mappings:
        if kind is not None and mapping.kind != kind:
            continue
        wanted = mapping.headers()
        matched = len(wanted & present)
        overlap = matched / min(len(wanted), len(present) or 1)
        ranked.append(Candidate(mapping, overlap, matched, _fits(mapping, present)))
    return sorted(ranked, key=lambda c: (c.fits, c.overlap, c.matched), reverse=True)


def detect(header: tuple[str, ...], kind: str | None, file_name: str) -> Mapping:
    """The mapping `--mapping auto` chooses: the best fitting candidate holding at least
    MIN_AUTO_OVERLAP of its headers; InputError listing the closest candidates when none does."""
    ranked = candidates(header, kind)
    best = ranked[0] if ranked else None
    if best is not None and best.fits and best.overlap >= MIN_AUTO_OVERLAP:
        return best.mapping
    listed = "; ".join(str(c) for c in ranked[:5])
    raise InputError(
        f"{file_name}: --mapping auto recognises no known export in this header (closest: "
        f"{listed}); name a mapping with --mapping NAME or FILE.yaml"
    )


def _fits(mapping: Mapping, present: set[str]) -> bool:
    return all(
        f.name in mapping.constants
        or any(h.casefold() in present for h in mapping.columns.get(f.name, ()))
        for f in KINDS[mapping.kind]
        if f.required
    )


def resolve(
    mapping: Mapping, header: tuple[str, ...], file_name: str
) -> dict[str, tuple[str, ...]]:
    """field -> the headers actually present (matched case-insensitively); checks required ones."""
    by_folded = {h.casefold(): h for h in header}
    resolved = {}
    for name, sources in mapping.columns.items():
        present = tuple(by_folded[s.casefold()] for s in sources if s.casefold() in by_folded)
        if present:
            resolved[name] = present
    missing = [
        f"{f.name} (column {' + '.join(mapping.columns.get(f.name, (f.name,)))!r})"
        for f in KINDS[mapping.kind]
        if f.required and f.name not in resolved and f.name not in mapping.constants
    ]
    if missing:
        raise InputError(
            f"{file_name}: no column for required field(s) {', '.join(missing)} with mapping "
            f"{mapping.name!r}; columns found: {', '.join(header)}"
        )
    return resolved

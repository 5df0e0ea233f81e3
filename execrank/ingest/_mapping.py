"""Column mappings: data files that rename a CRM export's headers to execrank's fields.

A mapping is YAML: `kind` (which import it is for), an optional `description`, and `columns`,
from execrank field to the export's header. Shipped mappings live in execrank/ingest/mappings/;
`--mapping NAME` picks one of them, `--mapping FILE` reads a file. With no mapping, the file's
headers must be execrank's field names (any letter case).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from execrank.errors import InputError
from execrank.ingest._schema import KINDS


@dataclass(frozen=True)
class Mapping:
    name: str
    kind: str
    columns: dict[str, tuple[str, ...]]  # execrank field -> source header(s), joined by a space


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
        f"({', '.join(shipped_mapping_names())})"
    )


def load_mapping(name_or_file: str, kind: str) -> Mapping:
    """Load a mapping by shipped name or file path and check it fits this kind of import."""
    source, text = _read(name_or_file)
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InputError(f"{source}: not valid YAML: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise InputError(f"{source}: a mapping needs `kind` and a `columns` mapping")
    if data.get("kind") != kind:
        raise InputError(
            f"{source}: this mapping is for {data.get('kind')!r} imports, not {kind!r}"
        )
    fields = {f.name for f in KINDS[kind]}
    unknown = sorted(set(data["columns"]) - fields)
    if unknown:
        raise InputError(
            f"{source}: columns.{unknown[0]} is not a {kind} field "
            f"(fields: {', '.join(sorted(fields))})"
        )
    columns = {
        str(k): tuple(str(h) for h in v) if isinstance(v, list) else (str(v),)
        for k, v in data["columns"].items()
    }
    return Mapping(name=source, kind=kind, columns=columns)


def identity_mapping(kind: str) -> Mapping:
    return Mapping(name="execrank", kind=kind, columns={f.name: (f.name,) for f in KINDS[kind]})


def resolve(
    mapping: Mapping, header: tuple[str, ...], file_name: str
) -> dict[str, tuple[str, ...]]:
    """field -> the headers actually present (matched case-insensitively); checks required ones."""
    by_folded = {h.casefold(): h for h in header}
    resolved = {}
    for field, sources in mapping.columns.items():
        present = tuple(by_folded[s.casefold()] for s in sources if s.casefold() in by_folded)
        if present:
            resolved[field] = present
    missing = [
        f"{f.name} (column {' + '.join(mapping.columns.get(f.name, (f.name,)))!r})"
        for f in KINDS[mapping.kind]
        if f.required and f.name not in resolved
    ]
    if missing:
        raise InputError(
            f"{file_name}: no column for required field(s) {', '.join(missing)} with mapping "
            f"{mapping.name!r}; columns found: {', '.join(header)}"
        )
    return resolved

"""Read a curated YAML list (supplement, systems, seeds) into validated models, with
errors that name the file, the entry and the field, as a reviewer needs them."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from geodata.errors import GeodataError

M = TypeVar("M", bound=BaseModel)


def describe(exc: ValidationError) -> str:
    """pydantic's errors as 'field.sub: message; ...'."""
    return "; ".join(
        f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg'].removeprefix('Value error, ')}"
        for e in exc.errors()
    )


def read_list(path: Path, model: type[M], error: type[GeodataError] = GeodataError,
              key: str = "id") -> list[M]:
    """Every entry of the YAML list at ``path`` validated as ``model``; ids unique."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise error(f"{path.name}: cannot read: {exc}") from None
    if not isinstance(raw, list):
        raise error(f"{path.name}: expected a list of entries")
    entries = []
    for number, item in enumerate(raw, 1):
        try:
            entries.append(model.model_validate(item))
        except ValidationError as exc:
            label = item.get(key) if isinstance(item, dict) else None
            raise error(f"{path.name}: entry {number} ({label}): {describe(exc)}") from None
    keys = [getattr(e, key) for e in entries]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise error(f"{path.name}: duplicate ids: {', '.join(duplicates)}")
    return entries

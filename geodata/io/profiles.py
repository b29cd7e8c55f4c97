"""Column mappings for any CSV or GeoJSON (``--map date=event_date,place=location``),
and named profiles that keep a mapping for reuse.

A profile is a YAML file under the user's config folder ($GEODATA_PROFILES, else
$XDG_CONFIG_HOME/geodata/profiles, else ~/.config/geodata/profiles), validated on load
and on save: an unknown target field, an empty column name or an unusable name is one
line naming it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

from geodata.atomic import replaced_on_success
from geodata.errors import GeodataError
from geodata.events.model import Kind
from geodata.yamlfile import describe

PROFILES_ENV = "GEODATA_PROFILES"
MAX_PROFILE_BYTES = 100_000
# What a column can be mapped to: our event's fields as a flat row gives them.
TARGETS = ("id", "date", "date_start", "date_end", "kind", "title", "description", "place",
           "admin1", "country", "lat", "lon", "system", "quantity", "unit", "killed",
           "injured", "link", "source")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
Column = Annotated[str, Field(min_length=1, max_length=200)]


class ProfileError(GeodataError):
    """A mapping or profile that cannot be used: the message names the field or column."""


class Profile(BaseModel):
    """How one kind of file maps to our events."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: dict[str, Column] = Field(min_length=1)  # target field -> the file's column
    kind: Kind | None = None            # every row's kind, when no column gives it
    kinds: dict[str, Kind] = Field(default_factory=dict)  # the file's kind value -> ours
    date_order: Literal["dmy", "mdy"] = "dmy"  # how to read 03/04/2024
    dataset: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    publisher: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    url: HttpUrl | None = None
    geo_precision: Annotated[int, Field(ge=1, le=4)] = 1  # of the file's coordinates

    @field_validator("columns")
    @classmethod
    def _known_targets(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(TARGETS))
        if unknown:
            raise ValueError(f"unknown target field(s) {', '.join(unknown)}: choose from "
                             f"{', '.join(TARGETS)}")
        if "date" not in value and "date_start" not in value:
            raise ValueError("map a date (date=COLUMN or date_start=COLUMN)")
        if ("lat" in value) != ("lon" in value):
            raise ValueError("map both lat and lon, or neither")
        return {k: v.strip() for k, v in value.items()}

    @field_validator("kinds")
    @classmethod
    def _lower_keys(cls, value: dict[str, Kind]) -> dict[str, Kind]:
        return {k.strip().lower(): v for k, v in value.items()}


def parse_map(spec: str) -> dict[str, str]:
    """``date=event_date,place=location`` -> {"date": "event_date", "place": "location"}."""
    columns: dict[str, str] = {}
    for part in filter(str.strip, spec.split(",")):
        target, sep, column = part.partition("=")
        target, column = target.strip().lower(), column.strip()
        if not sep or not column:
            raise ProfileError(f"--map {part.strip()!r}: write TARGET=COLUMN, e.g. date=event_date")
        if target not in TARGETS:
            raise ProfileError(f"--map: unknown target field {target!r}: choose from "
                               f"{', '.join(TARGETS)}")
        if target in columns:
            raise ProfileError(f"--map: {target} is mapped twice")
        columns[target] = column
    if not columns:
        raise ProfileError("--map: empty mapping; write TARGET=COLUMN,...")
    return columns


def build(columns: dict[str, str], **options) -> Profile:
    try:
        return Profile(columns=columns, **options)
    except ValidationError as exc:
        raise ProfileError(f"mapping: {describe(exc)}") from None


def profiles_dir() -> Path:
    if os.environ.get(PROFILES_ENV):
        return Path(os.environ[PROFILES_ENV]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "geodata" / "profiles"


def profile_path(name: str) -> Path:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ProfileError(f"profile name {str(name)[:40]!r}: use 1-64 lower-case letters, "
                           "digits, - or _ (starting with a letter or digit)")
    return profiles_dir() / f"{name}.yaml"


def load(name: str) -> Profile:
    path = profile_path(name)
    try:
        if path.stat().st_size > MAX_PROFILE_BYTES:
            raise ProfileError(f"profile {name} ({path}): larger than {MAX_PROFILE_BYTES:,} bytes")
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"no profile {name!r} (looked for {path}); save one with "
                           "--save-profile") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ProfileError(f"profile {name} ({path}): cannot read: "
                           f"{str(exc).splitlines()[0][:200]}") from None
    try:
        return Profile.model_validate(raw)
    except ValidationError as exc:
        raise ProfileError(f"profile {name} ({path}): {describe(exc)}") from None


def save(name: str, profile: Profile) -> Path:
    """Write the profile (whole or not at all); returns its path."""
    path = profile_path(name)
    text = yaml.safe_dump(profile.model_dump(mode="json", exclude_defaults=True),
                          allow_unicode=True, sort_keys=False)
    with replaced_on_success(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path

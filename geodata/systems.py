"""The weapon-systems catalogue: canonical ids, aliases, category, origin, range.

One catalogue for the whole product, so "Hwasong-11", "KN-23" and "KN23" are one
filter value and one range ring.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from geodata.errors import GeodataError
from geodata.places.normalize import name_key
from geodata.yamlfile import read_list

CATALOGUE_FILE = Path(__file__).with_name("data") / "systems.yaml"


class System(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    name: str
    aliases: list[str] = Field(default_factory=list)
    category: str
    origin: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    nominal_range_km: Annotated[float, Field(gt=0)] | None = None
    range_note: str | None = None
    unidentified: bool = False


def system_key(name: str) -> str:
    """'KN-23', 'kn23', 'KN 23' -> 'kn23'."""
    return name_key(name).replace(" ", "")


class Catalogue:
    def __init__(self, entries: list[System]):
        self.systems = {s.id: s for s in entries}
        self._by_key: dict[str, System] = {}
        for system in entries:
            for name in (system.id, system.name, *system.aliases):
                key = system_key(name)
                other = self._by_key.setdefault(key, system)
                if other.id != system.id:
                    raise GeodataError(f"systems.yaml: alias {name!r} names both {other.id} and {system.id}")

    def find(self, name: str) -> System | None:
        """The system any alias names, or None."""
        return self._by_key.get(system_key(name)) if isinstance(name, str) else None

    def __iter__(self):
        return iter(self.systems.values())


@lru_cache(maxsize=1)
def catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    return Catalogue(read_list(path, System))

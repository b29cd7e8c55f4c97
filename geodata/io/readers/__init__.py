"""Dataset readers, one module per format (see base.py for the interface).

READERS lists them in the order ``detect`` asks them; a reader that needs a column
mapping (mapped) is made by ``reader_for`` and never detected. Add one line per reader.
"""

from __future__ import annotations

from pathlib import Path

from geodata.errors import GeodataError
from geodata.io.readers import acled, cir, ucdp
from geodata.io.readers import kml, missile_log, timemap
from geodata.io.readers.base import Reader

READERS: tuple[Reader, ...] = (
    acled.READER,
    ucdp.READER,
    cir.READER,
    timemap.READER,
    missile_log.READER,
    kml.READER,
)


class UnknownFormat(GeodataError):
    """A --format name no reader has."""


def detect(path: Path) -> Reader | None:
    """The first reader that recognises ``path``, or None."""
    for reader in READERS:
        if reader.sniff(path):
            return reader
    return None


def formats() -> list[str]:
    return [r.format for r in READERS]


def reader_for(name: str) -> Reader:
    """The reader of a --format name ("mapped" needs a mapping: see geodata.io.profiles)."""
    for reader in READERS:
        if reader.format == name:
            return reader
    raise UnknownFormat(f"unknown format {name!r}: choose from geojson, mapped, "
                        f"{', '.join(formats())}")

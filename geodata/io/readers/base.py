"""What every dataset reader gives the importer, as geopandas' io/ modules give the core.

A reader knows one file format (ACLED CSV, a TimeMap export, KML ...). It says whether
it can read a file (``sniff``), names the dataset (``describe``) and turns each row or
feature into a ``Row``: our event's fields as plain data, place *names* rather than
coordinates where the dataset has only names, the dataset's own id and link. It never
geocodes, validates or stores: the importer (geodata.io.datasets) does, once for every
format, so every format gets the same constraints, provenance and error messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class PlaceText:
    """A place as a dataset gives it: a name with its stated units (constraints for the
    geocoder), coordinates when the dataset has them, and how precise they are."""

    name: str                            # "Kharkiv", "Kursk oblast", "Харьковской области"
    admin1: str | None = None            # stated province: a constraint
    country: str | None = None           # stated country (name or ISO code): a constraint
    district: str | None = None          # stated district: a preference
    lat: float | None = None             # given coordinates (then not geocoded)
    lon: float | None = None
    geo_precision: int | None = None     # 1 town .. 4 country, when the dataset says
    radius_km: float | None = None       # how far from the coordinates, when the dataset says


@dataclass
class Row:
    """One dataset row mapped to our event fields, before geocoding and validation."""

    number: int                          # 1-based row or feature number in the file
    native_id: str                       # the dataset's own id (ACLED event_id_cnty ...)
    fields: dict                         # Event fields: kind, title, description, date
                                         # (YYYY, YYYY-MM, YYYY-MM-DD or date_start/...),
                                         # systems, possible_systems, quantities, casualties,
                                         # attribution, status, tags ...; links as
                                         # {"relation": ..., "target": <native id of
                                         # another row of the same file>}: one dataset row
                                         # may give several Rows (a launch area and the
                                         # strike launched from it), each its own native id
    place: PlaceText | None = None
    origin: PlaceText | None = None
    destination: PlaceText | None = None
    link: str | None = None              # the row's own URL in the dataset, if any
    unmapped: dict[str, str] = field(default_factory=dict)  # column -> value we could not map
    evidence: str | None = None          # what the row rests on, in the dataset's words
                                         # ("ACLED UKR123; reported by X"), cited with the row
    cells: dict[str, str] | None = None  # the original row, for a rejects file


class RowError(Exception):
    """A row that cannot be mapped: its number and the problem, naming the field (the
    importer adds the file)."""

    def __init__(self, number: int, problem: str, *, native_id: str | None = None,
                 cells: dict[str, str] | None = None):
        super().__init__(f"row {number}: {problem}")
        self.number = number
        self.problem = problem
        self.native_id = native_id           # when the row had one
        self.cells = cells                   # the original row, for a rejects file


@dataclass(frozen=True)
class DatasetInfo:
    """What the dataset is, for the source every imported event cites."""

    name: str                            # "ACLED", "UCDP GED", "CIR Eyes on Russia" ...
    publisher: str
    url: str | None = None


class Reader(Protocol):
    """One format. ``rows`` streams (bounded memory) and yields a RowError for a row
    it cannot map, so the importer can reject it or stop, as the user asked."""

    format: str                          # the --format name: "acled", "kml" ...

    def sniff(self, path: Path) -> bool: ...

    def describe(self, path: Path) -> DatasetInfo: ...

    def rows(self, path: Path) -> Iterator[Row | RowError]: ...

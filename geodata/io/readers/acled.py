"""ACLED CSV exports (the Armed Conflict Location & Event Data codebook).

Event and sub-event types map to our kinds through one table (KINDS); a type the
codebook does not list is reported and the row rejected, never guessed. ACLED's
time_precision (1 day, 2 week or month: we say month, 3 year) widens the date to the
period it means; its geo_precision (1 town, 2 near a town, 3 region) is kept as ours.
The notes are searched for weapon systems by alias ("Iskander-M/KN-23": possibly one
of them). The update ``timestamp`` is not an event date and is not read.
"""

from __future__ import annotations

from geodata.events.model import Kind
from geodata.io.readers.base import DatasetInfo, PlaceText, Row
from geodata.io.readers.common import CsvReader, cell, clip, find_systems, number, parse_day

REQUIRED = ("event_id_cnty", "event_date", "event_type", "sub_event_type", "country",
            "location", "latitude", "longitude")
OPTIONAL = ("time_precision", "actor1", "actor2", "admin1", "admin2", "admin3",
            "geo_precision", "source", "notes", "fatalities", "timestamp")

S, I, A = Kind.STRIKE, Kind.INCIDENT, Kind.AGREEMENT
# (event_type, sub_event_type) -> our kind: the ACLED codebook's list, once.
KINDS: dict[tuple[str, str], Kind] = {
    ("explosions/remote violence", "shelling/artillery/missile attack"): S,
    ("explosions/remote violence", "air/drone strike"): S,
    ("explosions/remote violence", "remote explosive/landmine/ied"): S,
    ("explosions/remote violence", "grenade"): S,
    ("explosions/remote violence", "suicide bomb"): S,
    ("explosions/remote violence", "chemical weapon"): S,
    ("battles", "armed clash"): I,
    ("battles", "government regains territory"): I,
    ("battles", "non-state actor overtakes territory"): I,
    ("violence against civilians", "attack"): I,
    ("violence against civilians", "abduction/forced disappearance"): I,
    ("violence against civilians", "sexual violence"): I,
    ("protests", "peaceful protest"): I,
    ("protests", "protest with intervention"): I,
    ("protests", "excessive force against protesters"): I,
    ("riots", "violent demonstration"): I,
    ("riots", "mob violence"): I,
    ("strategic developments", "agreement"): A,
    ("strategic developments", "arrests"): I,
    ("strategic developments", "change to group/activity"): I,
    ("strategic developments", "disrupted weapons use"): I,
    ("strategic developments", "headquarters or base established"): I,
    ("strategic developments", "looting/property destruction"): I,
    ("strategic developments", "non-violent transfer of territory"): I,
    ("strategic developments", "other"): I,
}
# ACLED time_precision -> how much of the date is known
TIME_PRECISION = {1: "day", 2: "month", 3: "year"}


class AcledReader(CsvReader):
    format = "acled"
    label = "ACLED CSV"
    id_column = "event_id_cnty"
    signature = frozenset({"event_id_cnty", "event_date", "sub_event_type"})
    required = REQUIRED
    info = DatasetInfo("ACLED", "Armed Conflict Location & Event Data (ACLED)",
                       "https://acleddata.com/")

    @staticmethod
    def row(n: int, row: dict[str, str]) -> Row:
        native = cell(row, "event_id_cnty")
        if not native:
            raise ValueError("event_id_cnty: empty")
        types = (cell(row, "event_type"), cell(row, "sub_event_type"))
        kind = KINDS.get(tuple(t.lower() for t in types))
        if kind is None:
            raise ValueError(f"event_type/sub_event_type {' / '.join(types)!r}: not in the ACLED "
                             "codebook this reader knows; no kind is guessed")
        day = parse_day(cell(row, "event_date"), "event_date")
        code = number(row, "time_precision", integer=True) or 1
        if code not in TIME_PRECISION:
            raise ValueError(f"time_precision: {code} is not 1, 2 or 3")
        when = {"day": day.isoformat(), "month": day.isoformat()[:7],
                "year": str(day.year)}[TIME_PRECISION[code]]
        geo = number(row, "geo_precision", integer=True)
        if geo is not None and geo not in (1, 2, 3):
            raise ValueError(f"geo_precision: {geo} is not 1, 2 or 3")
        lat, lon = number(row, "latitude"), number(row, "longitude")
        notes = cell(row, "notes")
        certain, possible = find_systems(notes)
        fields: dict = {
            "kind": kind.value, "date": when,
            "title": clip(f"{types[1]} in {cell(row, 'location')}", 300),
            "description": clip(notes, 5000) or None,
            "systems": certain, "possible_systems": possible, "status": "reported",
            "tags": [t for t in (types[0], types[1], *(f"actor: {clip(cell(row, a), 90)}" for a in (
                "actor1", "actor2") if cell(row, a))) if t],
        }
        if code != 1:
            fields["date_note"] = (f"ACLED time_precision {code}: only the "
                                   f"{TIME_PRECISION[code]} is known (event_date {cell(row, 'event_date')})")
        killed = number(row, "fatalities", integer=True)
        if killed is not None:
            fields["casualties"] = {"killed": killed}
        place = PlaceText(name=cell(row, "location") or cell(row, "admin1") or cell(row, "country"),
                          admin1=cell(row, "admin1") or None, country=cell(row, "country") or None,
                          district=cell(row, "admin2") or None, lat=lat, lon=lon,
                          geo_precision=geo)
        reported = cell(row, "source")
        evidence = f"ACLED {native}" + (f"; reported by {reported}" if reported else "")
        return Row(n, native, fields, place=place, evidence=clip(evidence, 1000), cells=row)


READER = AcledReader()

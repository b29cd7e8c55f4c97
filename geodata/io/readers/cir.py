"""The CIR / Bellingcat "Eyes on Russia" monitor map CSV.

Each row is a geolocated post: the coordinates are the monitor's geolocation (kept as
a point, precision 1); country, province, district and town are the stated names. The
event group ("Bombing or Explosion", "Russian Firing Positions" ...) gives the kind
through one table (GROUPS); a group it does not list stays an incident (something
happened there; which kind is not guessed) and is reported as unmapped. Weapons named
in arms/munition are read by alias ("likely S300": possible); the text is kept in the
description. The violence level and the event group become tags.
"""

from __future__ import annotations

import re

from geodata.events.model import Kind
from geodata.io.readers.base import DatasetInfo, PlaceText, Row
from geodata.io.readers.common import CsvReader, cell, clip, find_systems, number, parse_day

REQUIRED = ("entry", "date", "title", "lat", "lon", "link")
# event group (without its month and year) -> our kind
GROUPS: dict[str, Kind] = {
    "bombing or explosion": Kind.STRIKE,
    "russian firing positions": Kind.LAUNCH_SITE,
    "civilian infrastructure damage": Kind.INCIDENT,
    "military infrastructure damage": Kind.INCIDENT,
    "civilian casualty": Kind.INCIDENT,
    "ground battle": Kind.INCIDENT,
    "mass grave or burial": Kind.INCIDENT,
    "russian military losses": Kind.INCIDENT,
    "ukrainian military losses": Kind.INCIDENT,
    "russian military presence": Kind.INCIDENT,
    "russian allies presence/losses": Kind.INCIDENT,
    "munitions": Kind.INCIDENT,
    "other": Kind.INCIDENT,
}
_DATE_WORDS = re.compile(r"(?:\s*-\s*now|\s*-?\s*\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                         r"[a-z]*|\s+\d{4})+\s*$", re.IGNORECASE)


def group_kind(group: str) -> Kind | None:
    """The kind of an event group such as "Russian Military Presence January 2022"."""
    return GROUPS.get(_DATE_WORDS.sub("", group).strip().lower().rstrip(" -"))


class CirReader(CsvReader):
    format = "cir"
    label = "CIR monitor CSV"
    id_column = "entry"
    signature = frozenset({"entry", "town/city", "arms/munition"})
    required = REQUIRED
    info = DatasetInfo("CIR Eyes on Russia", "Centre for Information Resilience (CIR)",
                       "https://eyesonrussia.org/")

    @staticmethod
    def row(n: int, row: dict[str, str]) -> Row:
        native = cell(row, "entry")
        if not native:
            raise ValueError("entry: empty (the row has no id)")
        day = parse_day(cell(row, "date"), "date")
        unmapped: dict[str, str] = {}
        group = cell(row, "event_group")
        kind = group_kind(group) if group else None
        if kind is None:
            kind = Kind.INCIDENT
            unmapped["event_group"] = group or "(empty)"
        arms = cell(row, "arms/munition")
        certain, possible = find_systems(arms)
        if arms and not (certain or possible):
            unmapped["arms/munition"] = clip(arms, 60)
        description = cell(row, "brief description")
        if arms:
            description = f"{description}\nArms/munition: {arms}".strip()
        level = cell(row, "violence level")
        tags = [clip(_DATE_WORDS.sub("", group).strip(" -"), 100)] if group else []
        if level:
            tags.append("graphic" if level.lower() == "graphic" else f"violence level {level}")
        fields = {
            "kind": kind.value, "date": day.isoformat(),
            "title": clip(cell(row, "title") or description or f"{kind.value} {native}", 300),
            "description": clip(description, 5000) or None,
            "systems": certain, "possible_systems": possible, "status": "reported", "tags": tags,
        }
        name = next((cell(row, c) for c in ("town/city", "district", "province", "country")
                     if cell(row, c)), "")
        place = PlaceText(name=clip(name, 300), admin1=cell(row, "province") or None,
                          country=cell(row, "country") or None,
                          district=cell(row, "district") or None,
                          lat=number(row, "lat"), lon=number(row, "lon"), geo_precision=1)
        geolocation = cell(row, "geolocation")
        evidence = f"CIR {native}" + (f"; geolocated by {geolocation}" if geolocation else "")
        return Row(n, native, fields, place=place, link=cell(row, "link") or None,
                   evidence=clip(evidence, 1000), unmapped=unmapped, cells=row)


READER = CirReader()

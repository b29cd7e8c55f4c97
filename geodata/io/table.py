"""CSV export: one row per event, flat columns a spreadsheet or QGIS reads as is
(lon/lat of the event's point, or of a route's origin and destination).

A text cell that a spreadsheet would run as a formula (it begins with = + - @, a tab
or a carriage return) gets a leading single quote, as OWASP recommends against CSV
injection: report titles come from sources we do not control. Numbers are written as
numbers (a negative longitude stays a number)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from geodata.events.model import Source
from geodata.io.geojson import feature_properties, source_summaries
from geodata.store import EventRow

COLUMNS = ("id", "kind", "title", "date_start", "date_end", "date_precision", "status",
           "systems", "place_name", "origin_name", "destination_name", "countries",
           "geo_precision", "radius_km", "lon", "lat", "origin_lon", "origin_lat",
           "destination_lon", "destination_lat", "source_ids", "source_publishers",
           "description", "possible_systems", "tags")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that no spreadsheet reads as a formula; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _coordinates(place: dict | None) -> tuple:
    return (place.get("lon"), place.get("lat")) if place else (None, None)


def write_csv(rows: Iterable[EventRow], sources: dict[str, Source], out: TextIO) -> int:
    summaries = source_summaries(sources)
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        p = feature_properties(json.loads(row.data), summaries)
        lon, lat = _coordinates(p["destination"] or p["place"])
        writer.writerow([spreadsheet_safe(cell) for cell in (
            p["id"], p["kind"], p["title"], p["date_start"], p["date_end"], p["date_precision"],
            p["status"], "; ".join(p["systems"]), p["place_name"], p["origin_name"],
            p["destination_name"], "; ".join(p["countries"]), p["geo_precision"], p["radius_km"],
            lon, lat, *_coordinates(p["origin"]), *_coordinates(p["destination"]),
            "; ".join(s["id"] for s in p["sources"]),
            "; ".join(s.get("publisher", "") for s in p["sources"]), p["description"],
            "; ".join(p["possible_systems"]), "; ".join(p["tags"]),
        )])
        count += 1
    return count

"""KML export for Google Earth: one Placemark per event, streamed.

Each Placemark has the event's title as name, a TimeSpan at the event's date precision
(2024-01 .. 2024-02 for a month-precision period), the event's geometry (a Point, or a
LineString for a route; a route split at the antimeridian is a MultiGeometry), the
documented properties as ExtendedData (nested ones as JSON text, as in the flat
GeoPackage) and the description as escaped plain text: Google Earth reads a description
as HTML, so "<script>" is written as text to show, never markup to run. Every text is
XML-escaped; characters XML 1.0 cannot hold (control characters, lone surrogates) are
written as U+FFFD, and a carriage return as &#13; so it survives a parser's line-end
normalisation. The KML reader (geodata.io.readers.kml) reads ExtendedData back exactly.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import TextIO

from geodata.events.model import Source
from geodata.io.geojson import feature_properties, source_summaries
from geodata.store import EventRow

NAMESPACE = "http://www.opengis.net/kml/2.2"
NESTED = ("systems", "system_ids", "countries", "sources", "place", "origin", "destination",
          "quantities", "casualties", "attribution", "discrepancies", "links",
          "possible_systems", "possible_system_ids", "tags")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """``value`` as XML character data (and attribute value) that reads back as it was."""
    value = _NOT_XML.sub("\ufffd", value)
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\r", "&#13;"))


def _period(start: str, end: str, precision: str) -> tuple[str, str]:
    cut = {"year": 4, "month": 7}.get(precision, 10)
    return start[:cut], end[:cut]


def _coordinates(points: list) -> str:
    return " ".join(f"{lon!r},{lat!r}" for lon, lat, *_ in points)


def _geometry(geometry: dict | None) -> str:
    if not geometry:
        return ""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        return f"<Point><coordinates>{_coordinates([coords])}</coordinates></Point>"
    if kind == "LineString":
        return ("<LineString><tessellate>1</tessellate><coordinates>"
                f"{_coordinates(coords)}</coordinates></LineString>")
    if kind == "MultiLineString":
        return "<MultiGeometry>" + "".join(_geometry({"type": "LineString", "coordinates": c})
                                           for c in coords) + "</MultiGeometry>"
    return ""


def _value(key: str, value: object) -> str | None:
    if value is None:
        return None
    if key in NESTED or isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def placemark(data: dict, geometry: dict | None, summaries: dict) -> str:
    props = feature_properties(data, summaries)
    begin, end = _period(props["date_start"], props["date_end"], props["date_precision"])
    cells = "".join(f'<Data name="{xml_text(k)}"><value>{xml_text(v)}</value></Data>'
                    for k, v in ((k, _value(k, value)) for k, value in props.items())
                    if v is not None)
    description = props.get("description")
    shown = html.escape(description).replace("\n", "<br>") if description else ""
    return (f'<Placemark id="{xml_text(props["id"])}"><name>{xml_text(props["title"])}</name>'
            + (f"<description>{xml_text(shown)}</description>" if shown else "")
            + f"<TimeSpan><begin>{begin}</begin><end>{end}</end></TimeSpan>"
            + f"<ExtendedData>{cells}</ExtendedData>{_geometry(geometry)}</Placemark>\n")


def write_kml(rows: Iterable[EventRow], sources: dict[str, Source], out: TextIO,
              name: str = "geodata events") -> int:
    """Write a KML document of ``rows`` to ``out``; returns the placemark count."""
    summaries = source_summaries(sources)
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="{NAMESPACE}">'
              f"<Document><name>{xml_text(name)}</name>\n")
    count = 0
    for row in rows:
        geometry = json.loads(row.geometry) if row.geometry else None
        out.write(placemark(json.loads(row.data), geometry, summaries))
        count += 1
    out.write("</Document></kml>\n")
    return count

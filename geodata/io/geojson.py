"""RFC 7946 GeoJSON: our export format, and the import that restores it.

Export streams stored rows (JSON validated at write time, geometry computed then) into
a FeatureCollection without re-validating or re-projecting: lon/lat order, no ``crs``
member, one Feature per event with ``id`` and the documented properties. Import reads
our own export back: every feature is validated before anything is stored, and an
error names the feature (number and id) and the field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from geodata import systems
from geodata.errors import GeodataError
from geodata.events.catalogue import Catalogue
from geodata.events.model import Event, Source
from geodata.store import EventRow
from geodata.yamlfile import describe

MEDIA_TYPE = "application/geo+json"
# Properties recomputed from the record on export, ignored on import.
DERIVED = ("systems", "system_ids", "place_name", "origin_name", "destination_name",
           "countries", "geo_precision", "radius_km")
# Every property of an exported feature, in order (the README documents them).
PROPERTIES = ("id", "kind", "title", "description", "date_start", "date_end", "date_precision",
              "date_note", "systems", "system_ids", "place_name", "origin_name",
              "destination_name", "countries", "geo_precision", "radius_km", "status", "sources",
              "place", "origin", "destination", "quantities", "casualties", "attribution",
              "discrepancies", "links")
_SOURCE_KEYS = ("publisher", "title", "published", "published_precision", "url", "language")


class GeoJSONError(GeodataError):
    """A file that is not GeoJSON in our schema; the message names feature and field."""


def source_summaries(sources: dict[str, Source]) -> dict[str, dict]:
    return {sid: s.model_dump(mode="json", include=set(_SOURCE_KEYS)) for sid, s in sources.items()}


def feature_properties(data: dict, sources: dict[str, dict]) -> dict:
    """The documented properties of one event (``data`` is the stored JSON)."""
    catalogue = systems.catalogue()
    place, origin, destination = data.get("place"), data.get("origin"), data.get("destination")
    located = [p for p in (place, origin, destination) if p]
    precisions = [p["geo_precision"] for p in located if p.get("geo_precision")]
    main = destination if destination else place
    return {
        "id": data["id"],
        "kind": data["kind"],
        "title": data["title"],
        "description": data.get("description"),
        "date_start": data["date_start"],
        "date_end": data["date_end"],
        "date_precision": data["date_precision"],
        "date_note": data.get("date_note"),
        "systems": [catalogue.systems[s].name for s in data.get("systems", [])],
        "system_ids": data.get("systems", []),
        "place_name": place and place["name"],
        "origin_name": origin and origin["name"],
        "destination_name": destination and destination["name"],
        "countries": sorted({p["country"] for p in located if p.get("country")}),
        "geo_precision": max(precisions) if precisions else None,
        "radius_km": main and main.get("radius_km"),
        "status": data["status"],
        "sources": [{"id": c["id"], **sources.get(c["id"], {}), "evidence": c["evidence"]}
                    for c in data["sources"]],
        "place": place,
        "origin": origin,
        "destination": destination,
        "quantities": data.get("quantities", []),
        "casualties": data.get("casualties"),
        "attribution": data.get("attribution", []),
        "discrepancies": data.get("discrepancies", []),
        "links": data.get("links", []),
    }


def write_features(rows: Iterable[EventRow], sources: dict[str, Source], out: TextIO) -> int:
    """Write a FeatureCollection of ``rows`` to ``out``; returns the feature count."""
    summaries = source_summaries(sources)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    out.write('{"type":"FeatureCollection","features":[')
    count = 0
    for row in rows:
        props = dumps(feature_properties(json.loads(row.data), summaries))
        out.write(f'{"," if count else ""}\n{{"type":"Feature","id":{dumps(row.id)},'
                  f'"geometry":{row.geometry or "null"},"properties":{props}}}')
        count += 1
    out.write("\n]}\n")
    return count


# -- import --------------------------------------------------------------------------

def _fail(number: int, feature: object, problem: str) -> GeoJSONError:
    fid = feature.get("id") if isinstance(feature, dict) else None
    label = f"feature {number}" + (f" (id {fid})" if fid else "")
    return GeoJSONError(f"{label}: {problem}")


def _event_and_sources(number: int, feature: object) -> tuple[Event, list[Source]]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _fail(number, feature, 'not a GeoJSON Feature (needs "type": "Feature")')
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise _fail(number, feature, "has no properties object")
    record = {k: v for k, v in props.items() if k not in DERIVED and v is not None}
    record["systems"] = props.get("system_ids") or props.get("systems") or []
    cited = record.get("sources")
    if not isinstance(cited, list) or not all(isinstance(c, dict) for c in cited):
        raise _fail(number, feature, "properties.sources: a list of source objects is required")
    record["sources"] = [{k: c.get(k) for k in ("id", "evidence")} for c in cited]
    try:
        event = Event.model_validate(record)
        found = [Source.model_validate({"id": c.get("id"),
                                        **{k: c[k] for k in _SOURCE_KEYS if c.get(k) is not None}})
                 for c in cited if c.get("publisher")]
    except ValidationError as exc:
        raise _fail(number, feature, describe(exc)) from None
    return event, found


def read_catalogue(path: Path) -> Catalogue:
    """Events and sources from a GeoJSON FeatureCollection in our schema."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise GeoJSONError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise GeoJSONError(f"{path}: not UTF-8 text; GeoJSON is UTF-8 JSON") from None
    except json.JSONDecodeError as exc:
        raise GeoJSONError(f"{path}: not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except OSError as exc:
        raise GeoJSONError(f"{path}: cannot read: {exc.strerror}") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise GeoJSONError(f'{path}: not a GeoJSON FeatureCollection (needs "type": "FeatureCollection")')
    features = data.get("features")
    if not isinstance(features, list):
        raise GeoJSONError(f"{path}: features must be a list")
    catalogue = Catalogue()
    for number, feature in enumerate(features, 1):
        event, sources = _event_and_sources(number, feature)
        catalogue.events.append(event)
        for source in sources:
            catalogue.sources.setdefault(source.id, source)
    return catalogue

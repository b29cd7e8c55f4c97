"""RFC 7946 GeoJSON: our export format, and the import that restores it.

Export streams stored rows (JSON validated at write time, geometry computed then) into
a FeatureCollection without re-validating or re-projecting: lon/lat order, no ``crs``
member, one Feature per event with ``id`` and the documented properties. Import reads
our own export back (geodata.io.jsonstream reads it feature by feature): every feature
is validated before anything is stored, and an error names the feature (number and id)
and the field. Numbers must be numbers (the model is strict), the Feature ``id`` and
``properties.id`` must agree when both are given, and a geometry that is missing or
differs from the event's places is recomputed from them and reported per feature.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from geodata import systems
from geodata.events.catalogue import Catalogue
from geodata.events.geometry import event_geometry
from geodata.events.model import Event, Source
from geodata.io.jsonstream import GeoJSONError, iter_features
from geodata.store import EventRow
from geodata.yamlfile import describe

MEDIA_TYPE = "application/geo+json"
# Properties recomputed from the record on export, ignored on import.
DERIVED = ("systems", "system_ids", "possible_systems", "possible_system_ids", "place_name",
           "origin_name", "destination_name", "countries", "geo_precision", "radius_km")
# Every property of an exported feature, in order (the README documents them).
PROPERTIES = ("id", "kind", "title", "description", "date_start", "date_end", "date_precision",
              "date_note", "systems", "system_ids", "possible_systems", "possible_system_ids",
              "tags", "place_name", "origin_name", "destination_name", "countries",
              "geo_precision", "radius_km", "status", "sources", "place", "origin",
              "destination", "quantities", "casualties", "attribution", "discrepancies", "links")
_SOURCE_KEYS = ("publisher", "title", "published", "published_precision", "url", "language")


__all__ = ["GeoJSONError", "read_catalogue", "write_features", "feature_event"]
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
        "possible_systems": [catalogue.systems[s].name for s in data.get("possible_systems", [])],
        "possible_system_ids": data.get("possible_systems", []),
        "tags": data.get("tags", []),
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

GEOMETRY_TOLERANCE_DEG = 1e-6  # about 10 cm: closer than that, a geometry is ours


@dataclass(frozen=True)
class ParsedFeature:
    event: Event
    sources: list[Source]   # the sources the feature describes (with their publisher)
    note: str | None = None  # what the import changed, for the summary


def _short(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)[:80]
    return text if len(text) <= 80 else text[:77] + "..."


def _label(number: int, feature: object) -> str:
    fid = None
    if isinstance(feature, dict):
        props = feature.get("properties")
        fid = feature.get("id") or (props.get("id") if isinstance(props, dict) else None)
    return f"feature {number}" + (f" (id {_short(fid)})" if fid else "")


def _fail(number: int, feature: object, problem: str) -> GeoJSONError:
    return GeoJSONError(f"{_label(number, feature)}: {problem}")


def same_source(a: Source, b: Source) -> bool:
    """The same content (ids aside) in every field an export carries: notes are not
    exported, so a stored source with a note is the same as its exported copy."""
    keys = set(_SOURCE_KEYS)
    return a.model_dump(include=keys) == b.model_dump(include=keys)


def _renamed(record: dict, renames: dict[str, str]) -> dict:
    """The record citing renamed sources by their new ids, everywhere it cites one."""
    def new(value):
        return renames.get(value, value) if isinstance(value, str) else value

    def each(items, key="source"):
        if not isinstance(items, list):
            return items
        return [{**i, key: new(i[key])} if isinstance(i, dict) and key in i else i for i in items]

    record = {**record, "sources": each(record["sources"], "id")}
    for key in ("quantities", "attribution"):
        if key in record:
            record[key] = each(record[key])
    if isinstance(record.get("discrepancies"), list):
        record["discrepancies"] = [{**d, "values": each(d.get("values"))} if isinstance(d, dict) else d
                                   for d in record["discrepancies"]]
    return record


def _close(a: object, b: object, depth: int = 0) -> bool:
    if depth > 4:
        return False
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y, depth + 1) for x, y in zip(a, b))
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool):
        return abs(a - b) <= GEOMETRY_TOLERANCE_DEG
    return False


def _geometry_note(number: int, feature: dict, event: Event) -> str | None:
    """None when the feature's geometry is the one its places give; else what changed."""
    given, computed = feature.get("geometry"), event_geometry(event)
    if given is None and computed is None:
        return None
    if isinstance(given, dict) and computed is not None and given.get("type") == computed["type"] \
            and _close(given.get("coordinates"), computed["coordinates"]):
        return None
    label = _label(number, feature)
    if given is None:
        return f"{label}: has no geometry; computed from its places"
    if computed is None:
        return f"{label}: has a geometry but its places have no coordinates; geometry dropped"
    return f"{label}: geometry differs from its places; recomputed from them"


def feature_event(number: int, feature: object, renames: dict[str, str] | None = None,
                  check_geometry: bool = False) -> ParsedFeature:
    """The event and sources of feature ``number`` (1-based), validated; an error names
    the feature and the field. ``renames`` maps cited source ids to the ids to cite."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _fail(number, feature, 'not a GeoJSON Feature (needs "type": "Feature")')
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise _fail(number, feature, "has no properties object")
    record = {k: v for k, v in props.items() if k not in DERIVED and v is not None}
    fid, pid = feature.get("id"), props.get("id")
    if fid is not None and pid is not None and fid != pid:
        raise _fail(number, feature, f"the Feature id {_short(fid)!r} and properties.id "
                                     f"{_short(pid)!r} differ; give one id")
    record["id"] = pid if pid is not None else fid
    record["systems"] = props.get("system_ids") or props.get("systems") or []
    record["possible_systems"] = (props.get("possible_system_ids") or props.get("possible_systems")
                                  or [])
    cited = record.get("sources")
    if not isinstance(cited, list) or not all(isinstance(c, dict) for c in cited):
        raise _fail(number, feature, "properties.sources: a list of source objects is required")
    record["sources"] = [{k: c.get(k) for k in ("id", "evidence")} for c in cited]
    if renames:
        record = _renamed(record, renames)
    try:
        event = Event.model_validate(record)
    except ValidationError as exc:
        raise _fail(number, feature, describe(exc)) from None
    found = []
    for i, c in enumerate(cited):
        if not c.get("publisher"):
            continue  # cited by id only: a source the store has
        try:
            found.append(Source.model_validate(
                {"id": c.get("id"), **{k: c[k] for k in _SOURCE_KEYS if c.get(k) is not None}}))
        except ValidationError as exc:
            raise _fail(number, feature, "; ".join(f"sources.{i}.{part}"
                                                   for part in describe(exc).split("; "))) from None
    note = _geometry_note(number, feature, event) if check_geometry else None
    return ParsedFeature(event, found, note)


def read_catalogue(path: Path) -> Catalogue:
    """Events and sources from a GeoJSON FeatureCollection in our schema, in memory
    (a small file; ``geodata.io.importer`` streams a large one into a store)."""
    catalogue = Catalogue()
    for number, feature in enumerate(iter_features(path), 1):
        parsed = feature_event(number, feature)
        catalogue.events.append(parsed.event)
        for source in parsed.sources:
            known = catalogue.sources.setdefault(source.id, source)
            if not same_source(known, source):
                raise _fail(number, feature, f"source {source.id} differs from the one given "
                                             "in an earlier feature; give one content per source id")
    return catalogue

"""A set of events with the sources they cite: loading the seed catalogue, resolving
its place names through the geocoder, and checking that references hold together.

The seed YAML names places as reports do ("Kurusk", "north of Kyiv"); coordinates,
country, region and precision are filled here, at ingest, never while drawing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from geodata.errors import GeodataError
from geodata.events.model import Event, GeoStatus, PlaceRef, Source
from geodata.places.geocoder import Candidate, OfflineGeocoder
from geodata.places.query import QueryError
from geodata.yamlfile import read_list

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


class CatalogueError(GeodataError):
    """Events and sources that do not hold together (unknown source, broken link ...)."""


@dataclass
class Catalogue:
    sources: dict[str, Source] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)


def check_references(events: Iterable[Event], sources: dict[str, Source],
                     known_events: set[str] = frozenset()) -> None:
    """Every cited source exists; every link points at an event here or in ``known_events``."""
    events = list(events)
    ids = {e.id for e in events} | set(known_events)
    seen: set[str] = set()
    for event in events:
        if event.id in seen:
            raise CatalogueError(f"event {event.id}: the id is used twice")
        seen.add(event.id)
        cited = [c.id for c in event.sources]
        cited += [q.source for q in event.quantities if q.source]
        cited += [a.source for a in event.attribution if a.source]
        missing = sorted(set(cited) - set(sources))
        if missing:
            raise CatalogueError(f"event {event.id}: cites unknown source(s) {', '.join(missing)}")
        broken = sorted(link.target for link in event.links if link.target not in ids)
        if broken:
            raise CatalogueError(f"event {event.id}: links to unknown event(s) {', '.join(broken)}")


def located_fields(found: Candidate) -> dict:
    """A PlaceRef's geocoded fields from the gazetteer's answer: one rounding for every
    way a place gets located (seeds, extraction, an analyst's edit)."""
    return {"gazetteer_id": found.id, "lat": round(found.lat, 5), "lon": round(found.lon, 5),
            "country": found.country, "admin1": found.admin1, "geo_precision": int(found.precision),
            "radius_km": round(found.radius_km, 1),
            "geo_status": None if found.status == "ok" else GeoStatus(found.status)}


def resolve_places(event: Event, geocoder: OfflineGeocoder) -> Event:
    """The event with every place located; the event's other places are context."""
    names = [p.query or p.name for p in event.places]
    updates = {}
    for role in ("place", "origin", "destination"):
        ref: PlaceRef | None = getattr(event, role)
        if ref is None or ref.located:
            continue
        try:
            if ref.gazetteer_id:
                found = geocoder.by_id(ref.gazetteer_id, ref.name)
            else:
                query = ref.query or ref.name
                context = [n for n in names if n != query]
                hits = geocoder.candidates(query, context=context, limit=1)
                if not hits:
                    raise QueryError(f"{query!r} is not in the gazetteer")
                found = hits[0]
        except QueryError as exc:
            raise CatalogueError(f"event {event.id}: {role} {ref.name!r}: {exc}; give a query: "
                                 "or gazetteer_id: for it") from None
        updates[role] = ref.model_copy(update=located_fields(found))
    return event.model_copy(update=updates) if updates else event


def load_seeds(geocoder: OfflineGeocoder | None = None, folder: Path | None = None) -> Catalogue:
    """The seed catalogue from ``seeds/``, validated and geocoded."""
    folder = folder or SEEDS_DIR
    sources = {s.id: s for s in read_list(folder / "sources.yaml", Source, CatalogueError)}
    events = read_list(folder / "events.yaml", Event, CatalogueError)
    check_references(events, sources)
    geocoder = geocoder or OfflineGeocoder()
    return Catalogue(sources, [resolve_places(e, geocoder) for e in events])

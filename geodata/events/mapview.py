"""What the map draws for a filter, prepared on the server and bounded in size.

Up to ``DETAIL_LIMIT`` located events are sent one feature each, with short plain-text
labels for popups; above that, events are binned on a grid and routes summed per pair
of cells in SQL, so what reaches the browser stays small at 10^6 events. The UI turns
these GeoJSON dicts into map layers; nothing here knows about Streamlit or Leaflet.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np
from pyproj import Geod

from geodata import systems
from geodata.events import labels
from geodata.events.columns import Columns
from geodata.events.filters import EventFilter
from geodata.events.geometry import route
from geodata.events.model import ROUTE_KINDS, Event, Kind, LinkRelation, PlaceRef
from geodata.store import Store

DETAIL_LIMIT = 2500
TARGET_CELLS = 60   # grid cells across the filtered extent when aggregating ...
MAX_BINS = 2000     # ... doubled until the bins and route totals number at most this
_GEOD = Geod(ellps="WGS84")


@dataclass
class MapView:
    total: int                      # events matching the filter
    located: int                    # of which have coordinates
    aggregated: bool
    cell_deg: float | None = None   # grid size when aggregated
    layers: dict[str, list[dict]] = field(default_factory=dict)  # kind -> GeoJSON features
    links: list[dict] = field(default_factory=list)              # launched_from lines
    launch_sites: list[dict] = field(default_factory=list)       # for range rings


def _arrowhead(coordinates: list[list[float]], kind: str, event_id: str | None) -> dict:
    """A small triangle pointing along the route, 60% of the way: direction without
    a JavaScript plugin."""
    (lon0, lat0), (lon1, lat1) = coordinates[0], coordinates[-1]
    _, _, length = _GEOD.inv(lon0, lat0, lon1, lat1)
    i = max(1, int(len(coordinates) * 0.6))
    (alon, alat), (blon, blat) = coordinates[i - 1], coordinates[min(i, len(coordinates) - 1)]
    heading = _GEOD.inv(alon, alat, blon, blat)[0] if (alon, alat) != (blon, blat) else 0.0
    size = min(max(length * 0.04, 15_000), 90_000)
    tip = _GEOD.fwd(blon, blat, heading, size / 2)[:2]
    left = _GEOD.fwd(blon, blat, heading + 150, size)[:2]
    right = _GEOD.fwd(blon, blat, heading - 150, size)[:2]
    ring = [[round(x, 4), round(y, 4)] for x, y in (tip, left, right, tip)]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"arrow": 1, "k": kind, "id": event_id}}


def _line_coordinates(geometry: dict) -> list[list[float]]:
    if geometry["type"] == "LineString":
        return geometry["coordinates"]
    return [c for part in geometry["coordinates"] for c in part]


def _properties(event: Event, sources: dict) -> dict:
    if event.kind in ROUTE_KINDS:
        place = f"{labels.place_label(event.origin)} → {labels.place_label(event.destination)}"
    else:
        place = labels.place_label(event.place)
    weight = event.quantities[0].value if event.quantities else None
    return {
        "id": event.id, "k": event.kind.value, "t": event.title, "d": labels.date_label(event),
        "pl": place, "gp": event.geo_precision,
        "r": (event.destination if event.kind in ROUTE_KINDS else event.place).radius_km,
        "sy": labels.systems_label(event), "q": [labels.quantity_label(q) for q in event.quantities],
        "c": labels.casualties_label(event), "a": labels.attribution_labels(event),
        "s": event.status.value, "di": labels.discrepancy_labels(event),
        "src": [[sources[c.id].publisher, sources[c.id].title, sources[c.id].published.isoformat()]
                if c.id in sources else [c.id, "", ""] for c in event.sources],
        "w": round(1 + math.log10(weight), 2) if weight and weight >= 1 else 1,
    }


def _point(ref: PlaceRef) -> list[float]:
    return [ref.lon, ref.lat]


def _detail(view: MapView, store: Store, f: EventFilter) -> None:
    sources = store.sources()
    events = {}
    for row in store.rows(f):
        if row.geometry is None:
            continue
        view.located += 1
        event = row.event  # validated by the store: a row that no longer validates is skipped
        events[event.id] = event
        geometry = json.loads(row.geometry)
        features = view.layers.setdefault(event.kind.value, [])
        features.append({"type": "Feature", "geometry": geometry, "properties": _properties(event, sources)})
        if geometry["type"] != "Point" and event.kind in ROUTE_KINDS:
            features.append(_arrowhead(_line_coordinates(geometry), event.kind.value, event.id))
        if event.kind == Kind.LAUNCH_SITE:
            view.launch_sites.append({"name": event.place.name, "lon": event.place.lon,
                                      "lat": event.place.lat, "systems": event.systems})
    for event in events.values():
        for link in event.links:
            target = events.get(link.target) or store.event(link.target)
            if link.relation != LinkRelation.LAUNCHED_FROM or target is None or target.place is None:
                continue
            view.links.append({"type": "Feature", "properties": {"id": event.id, "from": target.place.name},
                               "geometry": {"type": "LineString",
                                            "coordinates": [_point(target.place), _point(event.place)]}})


def _cell_size(f: EventFilter) -> float:
    if f.bbox:
        west, south, east, north = f.bbox
        extent = max((east - west) % 360 or 360, north - south)
    else:
        extent = 360.0
    return max(0.02, round(extent / TARGET_CELLS, 3))


def _aggregate(view: MapView, store: Store, f: EventFilter, columns: Columns | None,
               keep: np.ndarray | None) -> None:
    cell = _cell_size(f)
    routes = not f.kinds or bool(f.kinds & ROUTE_KINDS)
    while True:
        if columns is not None:
            bins = columns.grid_bins(keep, cell)
            totals = columns.route_totals(keep, cell) if routes else []
        else:
            bins = store.grid_bins(f, cell)
            totals = store.route_totals(f, cell) if routes else []
        if len(bins) + len(totals) <= MAX_BINS:
            break
        cell *= 2
    view.cell_deg = cell
    view.located = sum(b[3] for b in bins) + sum(t[5] for t in totals)
    for kind, lon, lat, count, precision in bins:
        view.layers.setdefault(kind, []).append({
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
            "properties": {"agg": 1, "k": kind, "n": count, "gp": precision}})
    for kind, olon, olat, dlon, dlat, count, weight in totals:
        if (round(olon, 3), round(olat, 3)) == (round(dlon, 3), round(dlat, 3)):
            continue
        origin = PlaceRef(name="origin", lon=olon, lat=olat, geo_precision=1)
        destination = PlaceRef(name="destination", lon=dlon, lat=dlat, geo_precision=1)
        geometry = route(origin, destination, segment_km=200, max_points=24)
        features = view.layers.setdefault(kind, [])
        features.append({"type": "Feature", "geometry": geometry, "properties": {
            "agg": 1, "k": kind, "n": count, "qty": weight,
            "w": round(1 + math.log10(weight if weight and weight > 1 else count + 1), 2)}})
        features.append(_arrowhead(_line_coordinates(geometry), kind, None))
    sites = EventFilter(**{**f.__dict__, "kinds": frozenset({Kind.LAUNCH_SITE})})
    if not f.kinds or Kind.LAUNCH_SITE in f.kinds:
        for row in store.rows_page(sites, limit=DETAIL_LIMIT):
            event = row.event
            if event.place.located:
                view.launch_sites.append({"name": event.place.name, "lon": event.place.lon,
                                          "lat": event.place.lat, "systems": event.systems})


def map_view(store: Store, f: EventFilter = EventFilter(), detail_limit: int = DETAIL_LIMIT,
             columns: Columns | None = None) -> MapView:
    """What the map draws; ``columns`` (a snapshot of the same store revision) makes
    aggregation over millions of events take milliseconds instead of seconds."""
    keep = columns.mask(f, store) if columns is not None else None
    total = int(keep.sum()) if keep is not None else store.count(f)
    view = MapView(total=total, located=0, aggregated=total > detail_limit)
    if view.aggregated:
        _aggregate(view, store, f, columns, keep)
    else:
        _detail(view, store, f)
    return view


def range_rings(view: MapView, system_id: str) -> list[dict]:
    """Circles of the system's nominal range around the launch sites that list it."""
    system = systems.catalogue().systems[system_id]
    if not system.nominal_range_km:
        return []
    return [{"lon": s["lon"], "lat": s["lat"], "radius_km": system.nominal_range_km,
             "label": f"{system.name}: {system.nominal_range_km:,.0f} km from {s['name']}"}
            for s in view.launch_sites if system_id in s["systems"]]

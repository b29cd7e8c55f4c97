"""What the map draws for a filter, prepared on the server and bounded in size.

Up to ``DETAIL_LIMIT`` located events are sent one feature each, with short plain-text
labels for popups; above that, events are binned on a grid and routes summed per pair
of cells in SQL, so what reaches the browser stays small at 10^6 events. The UI turns
these GeoJSON dicts into map layers; nothing here knows about Streamlit or Leaflet.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace

import numpy as np
from pyproj import Geod

from geodata import systems
from geodata.events import labels
from geodata.events.columns import Columns
from geodata.events.blur import blur_point, blurred_rows
from geodata.events.filters import EventFilter
from geodata.events.geometry import (SCHEMATIC, country_level, end_place, flow_drawing, route,
                                     schematic_line)
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


def _rhumb_heading(lon0: float, lat0: float, lon1: float, lat1: float) -> float:
    """The bearing of a straight line on the (Mercator) map: a rhumb line."""
    psi = math.log(math.tan(math.pi / 4 + math.radians(lat1) / 2)
                   / math.tan(math.pi / 4 + math.radians(lat0) / 2))
    return math.degrees(math.atan2(math.radians(lon1 - lon0), psi))


def _schematic_head(coordinates: list[list[float]], kind: str, event_id: str | None) -> dict:
    """A small arrowhead at the end of a schematic (straight) line, its tip on the end:
    a country-level flow reads as an arrow, not as a route."""
    (lon0, lat0), (lon1, lat1) = coordinates[0], coordinates[-1]
    heading = _rhumb_heading(lon0, lat0, lon1, lat1)
    length = _GEOD.inv(lon0, lat0, lon1, lat1)[2]
    size = min(max(length * 0.06, 20_000), 110_000)
    left = _GEOD.fwd(lon1, lat1, heading + 180 - 22, size)[:2]
    right = _GEOD.fwd(lon1, lat1, heading + 180 + 22, size)[:2]
    shift = lambda lon: lon + 360 * round((lon1 - lon) / 360)  # noqa: E731 (same world copy)
    ring = [[round(shift(x), 4), round(y, 4)] for x, y in ((lon1, lat1), left, right, (lon1, lat1))]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"arrow": 1, "k": kind, "id": event_id, SCHEMATIC: 1}}


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


def _detail(view: MapView, store: Store, f: EventFilter, blur_km: float | None = None) -> None:
    sources = store.sources()
    events = {}
    for row in blurred_rows(store.rows(f), blur_km):
        if row.geometry is None:
            continue
        view.located += 1
        event = row.event  # validated by the store: a row that no longer validates is skipped
        events[event.id] = event
        geometry = json.loads(row.geometry)  # the reported places (what exports keep)
        properties = _properties(event, sources)
        schematic = (event.kind in ROUTE_KINDS and geometry["type"] != "Point"
                     and country_level(event.origin, event.destination))
        if schematic:  # no path through places nobody reported: an arrow between anchors
            geometry, note = flow_drawing(event.origin, event.destination)
            properties.update({SCHEMATIC: 1, "w": 1, "dn": note})
        features = view.layers.setdefault(event.kind.value, [])
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
        if schematic:
            features.append(_schematic_head(geometry["coordinates"], event.kind.value, event.id))
        elif geometry["type"] != "Point" and event.kind in ROUTE_KINDS:
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


def _route_totals(store: Store, f: EventFilter, columns: Columns | None, keep: np.ndarray | None,
                  cell: float) -> list[tuple[bool, tuple]]:
    """(country-level?, total) per pair of cells: country-level events (geo_precision 4)
    are summed apart from the others so that they never merge into a route. Without a
    snapshot the store sums all routes and the precise ones, and the country-level totals
    are the difference (counts, weights and mean positions), so both ways agree."""
    if columns is None:
        precise = store.route_totals(replace(f, max_geo_precision=min(f.max_geo_precision or 3, 3)),
                                     cell)
        if f.max_geo_precision and f.max_geo_precision <= 3:
            return [(False, t) for t in precise]
        return ([(True, t) for t in _difference(store.route_totals(f, cell), precise, cell)]
                + [(False, t) for t in precise])
    country = columns.precision == 4
    return ([(True, t) for t in columns.route_totals(keep & country, cell)]
            + [(False, t) for t in columns.route_totals(keep & ~country, cell)])


def _difference(everything: list[tuple], part: list[tuple], cell: float) -> list[tuple]:
    """Route totals of ``everything`` less those of ``part``, cell pair by cell pair (a
    mean position lies inside its cell, so it names the cell)."""
    def key(t: tuple) -> tuple:
        return (t[0], int((t[1] + 180) // cell), int((t[2] + 90) // cell),
                int((t[3] + 180) // cell), int((t[4] + 90) // cell))

    known = {key(t): t for t in part}
    out = []
    for t in everything:
        p = known.get(key(t))
        n = t[5] - (p[5] if p else 0)
        if n <= 0:
            continue
        if p is None:
            out.append(t)
            continue
        means = [(a * t[5] - b * p[5]) / n for a, b in zip(t[1:5], p[1:5])]
        weight = None if t[6] is None else t[6] - (p[6] or 0)
        out.append((t[0], *means, n, weight))
    return out


def _aggregate(view: MapView, store: Store, f: EventFilter, columns: Columns | None,
               keep: np.ndarray | None) -> None:
    cell = _cell_size(f)
    routes = not f.kinds or bool(f.kinds & ROUTE_KINDS)
    while True:
        if columns is not None:
            bins = columns.grid_bins(keep, cell)
        else:
            bins = store.grid_bins(f, cell)
        totals = _route_totals(store, f, columns, keep, cell) if routes else []
        if len(bins) + len(totals) <= MAX_BINS:
            break
        cell *= 2
    view.cell_deg = cell
    view.located = sum(b[3] for b in bins) + sum(t[5] for _, t in totals)
    for kind, lon, lat, count, precision in bins:
        view.layers.setdefault(kind, []).append({
            "type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
            "properties": {"agg": 1, "k": kind, "n": count, "gp": precision}})
    for is_country, (kind, olon, olat, dlon, dlat, count, weight) in totals:
        if (round(olon, 3), round(olat, 3)) == (round(dlon, 3), round(dlat, 3)):
            continue
        origin, destination = end_place(olon, olat, "origin"), end_place(dlon, dlat, "destination")
        features = view.layers.setdefault(kind, [])
        if is_country:
            geometry, note = flow_drawing(origin, destination)
            if note is None:  # country-level events whose ends are not on a country's centre
                geometry = schematic_line((olon, olat), (dlon, dlat))
            features.append({"type": "Feature", "geometry": geometry, "properties": {
                "agg": 1, "k": kind, "n": count, "qty": weight, "w": 1, SCHEMATIC: 1,
                "dn": "country-level: no route reported; an arrow between the countries "
                      "shows the direction only"}})
            features.append(_schematic_head(geometry["coordinates"], kind, None))
            continue
        geometry = route(origin, destination, segment_km=200, max_points=24)
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
             columns: Columns | None = None, blur_km: float | None = None) -> MapView:
    """What the map draws; ``columns`` (a snapshot of the same store revision) makes
    aggregation over millions of events take milliseconds instead of seconds;
    ``blur_km`` coarsens every place for publishing (geodata.events.blur)."""
    keep = columns.mask(f, store) if columns is not None else None
    total = int(keep.sum()) if keep is not None else store.count(f)
    view = MapView(total=total, located=0, aggregated=total > detail_limit)
    if view.aggregated:
        _aggregate(view, store, f, columns, keep)
        if blur_km:
            _blur_aggregates(view, blur_km)
    else:
        _detail(view, store, f, blur_km)
    return view


def _blur_aggregates(view: MapView, km: float) -> None:
    """Bins and route ends, and the launch areas the range rings start from, on the blur
    grid: a bin's mean position would otherwise tell where a lone event lies."""
    def snap(position: list[float]) -> list[float]:
        lat, lon = blur_point(position[1], position[0], km)
        return [lon, lat]

    for features in view.layers.values():
        for feature in features:
            geometry = feature["geometry"]
            if geometry["type"] == "Point":
                geometry["coordinates"] = snap(geometry["coordinates"])
            elif geometry["type"] == "LineString":
                geometry["coordinates"] = [snap(p) for p in geometry["coordinates"]]
            elif geometry["type"] == "MultiLineString":
                geometry["coordinates"] = [[snap(p) for p in line] for line in geometry["coordinates"]]
    for site in view.launch_sites:
        site["lat"], site["lon"] = blur_point(site["lat"], site["lon"], km)


def range_rings(view: MapView, system_id: str) -> list[dict]:
    """Circles of the system's nominal range around the launch sites that list it."""
    system = systems.catalogue().systems[system_id]
    if not system.nominal_range_km:
        return []
    return [{"lon": s["lon"], "lat": s["lat"], "radius_km": system.nominal_range_km,
             "label": f"{system.name}: {system.nominal_range_km:,.0f} km from {s['name']}"}
            for s in view.launch_sites if system_id in s["systems"]]


def _positions(geometry: dict) -> list[list[float]]:
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return [coordinates]
    if kind in ("LineString", "MultiPoint"):
        return coordinates
    if kind in ("MultiLineString", "Polygon"):
        return [c for part in coordinates for c in part]
    return []


def extent(view: MapView) -> tuple[float, float, float, float] | None:
    """(south, west, north, east) to open the map on: every drawn event (both theatres,
    Ukraine and Korea, when the filter keeps both), and each area's uncertainty radius.
    Events known only to a country are left out when anything more precise is drawn: a
    country's centre (Russia's is in Siberia) would frame mostly empty land. None when
    nothing is drawn."""
    precise, vague = [], []
    for features in view.layers.values():
        for feature in features:
            p = feature["properties"]
            if p.get("arrow"):
                continue
            radius_deg = min(p.get("r") or 0, 400) / 111 if (p.get("gp") or 1) >= 2 else 0
            target = vague if p.get("gp") == 4 and feature["geometry"]["type"] == "Point" else precise
            for lon, lat in _positions(feature["geometry"]):
                target.append((lon, lat, radius_deg))
    points = precise or vague
    if not points:
        return None
    south = max(-85.0, min(lat - r for _, lat, r in points))
    north = min(85.0, max(lat + r for _, lat, r in points))
    return south, min(lon for lon, _, _ in points), north, max(lon for lon, _, _ in points)

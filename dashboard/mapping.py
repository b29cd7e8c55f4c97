"""The dashboard's maps, built from geodata.maps' elements (their one home: the
standalone HTML download and ``python -m geodata map`` use the same ones). Assets are
served by the app at /app/static/ (dashboard/static links to geodata/maps/assets)."""

from __future__ import annotations

import folium

from geodata.maps import elements
from geodata.maps.elements import EventLayer, event_groups, script_json  # noqa: F401 (the dashboard's names)

STATIC = "/app/static"


def base_map(online_tiles: bool = False, legend: bool = True, **view) -> folium.Map:
    """A fresh live map (never reuse one) whose assets the app serves."""
    return elements.base_map(online_tiles, legend, served_at=STATIC, **view)


PLACE_KINDS = {"place": {"label": "Place named in the report", "color": "#1f4e9c"}}


def report_map(places) -> folium.Map:
    """A small map framed on the report's located places (no events legend)."""
    m = base_map(legend=False)
    located = [p.candidate for p in places if p.candidate is not None]
    if located:
        m.fit_bounds([[min(c.lat for c in located), min(c.lon for c in located)],
                      [max(c.lat for c in located), max(c.lon for c in located)]], padding=(30, 30), max_zoom=7)
    return m


def report_places(places, source_row: list[str]) -> folium.FeatureGroup | None:
    """The located places of a report on their own layer: a pin for a town, an area
    as wide as its radius for a region or country, as on the main map."""
    features = []
    for p in places:
        c = p.candidate
        if c is None:
            continue
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
                         "properties": {"k": "place", "t": f"{p.text} → {c.name}", "gp": int(c.precision),
                                        "r": c.radius_km, "pl": f"{c.name}, {c.admin1 or ''} {c.country}",
                                        "src": [source_row]}})
    if not features:
        return None
    layer = EventLayer(features)
    layer.kinds = PLACE_KINDS
    group = folium.FeatureGroup(name="Places in the report")
    layer.add_to(group)
    return group

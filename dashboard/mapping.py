"""folium pieces of the map, each a small self-contained element (as folium's plugins).

Every JavaScript and CSS file comes from the app's own static folder, so the map
renders with no internet. Event data goes into the page only as JSON (``tojson``, which
also escapes ``</script>``) and is turned into text by geodata-map.js with textContent.
"""

from __future__ import annotations

import html

import folium
from branca.element import MacroElement
from folium.plugins import Fullscreen
from jinja2 import Template

from dashboard.style import KINDS, LINK_COLOR, RING_COLOR
from geodata.events.mapview import MapView

STATIC = "/app/static"
MAP_JS = [("leaflet", f"{STATIC}/vendor/leaflet/leaflet.js"),
          ("geodata_map", f"{STATIC}/geodata-map.js")]
MAP_CSS = [("leaflet_css", f"{STATIC}/vendor/leaflet/leaflet.css"),
           ("geodata_map_css", f"{STATIC}/geodata-map.css")]
BASEMAP_URL = f"{STATIC}/basemap/countries-50m.geojson"
ONLINE_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


class OfflineFullscreen(Fullscreen):
    default_js = [("Control.Fullscreen.js", f"{STATIC}/vendor/fullscreen/Control.FullScreen.js")]
    default_css = [("Control.FullScreen.css", f"{STATIC}/vendor/fullscreen/Control.FullScreen.css")]


class Basemap(MacroElement):
    """Natural Earth country outlines, fetched from the app: drawn with no tile server."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        geodataMap.basemap({{ this._parent.get_name() }}, {{ this.url|tojson }});
        {% endmacro %}""")

    def __init__(self, url: str = BASEMAP_URL):
        super().__init__()
        self._name = "Basemap"
        self.url = url


class EventLayer(MacroElement):
    """One GeoJSON layer of events (or aggregated bins) of one kind."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_kinds = {{ this.kinds|tojson }};
        var {{ this.get_name() }} = L.geoJSON({{ this.data|tojson }}, {
            pointToLayer: function (f, latlng) { return geodataMap.pointToLayer(f, latlng, {{ this.get_name() }}_kinds); },
            style: function (f) { return geodataMap.style(f, {{ this.get_name() }}_kinds); },
            onEachFeature: function (f, layer) { geodataMap.bind(f, layer, {{ this.get_name() }}_kinds); }
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}""")

    def __init__(self, features: list[dict]):
        super().__init__()
        self._name = "EventLayer"
        self.data = {"type": "FeatureCollection", "features": features}
        self.kinds = KINDS


class RangeRings(MacroElement):
    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.rings|tojson }}.forEach(function (ring) {
            var circle = L.circle([ring.lat, ring.lon], {radius: ring.radius_km * 1000, color: {{ this.color|tojson }},
                                   weight: 1.2, dashArray: "2 6", fill: false, interactive: true});
            geodataMap.ring(circle, ring);
            circle.addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}""")

    def __init__(self, rings: list[dict]):
        super().__init__()
        self._name = "RangeRings"
        self.rings = rings
        self.color = RING_COLOR


class Legend(MacroElement):
    """What each colour and symbol means; our own fixed text only."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomleft"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "gd-legend");
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}""")

    def __init__(self):
        super().__init__()
        self._name = "Legend"
        rows = []
        for kind in KINDS:
            style = KINDS[kind]
            shape = "gd-line" if kind in ("transfer", "deployment") else ""
            rows.append(f'<div><i class="{shape}" style="background:{style["color"]}"></i>'
                        f'{html.escape(style["label"])}</div>')
        rows.append('<div><i class="gd-area"></i>approximate place: area, not a pin</div>')
        rows.append(f'<div><i class="gd-line" style="background:{LINK_COLOR}"></i>launched from</div>')
        rows.append("<div>faint dashed route: country to country</div>")
        self.html = "".join(rows)


def base_map(online_tiles: bool = False, legend: bool = True) -> folium.Map:
    """A fresh map (st_folium mutates maps: never reuse one) with offline assets."""
    m = folium.Map(location=[48, 70], zoom_start=3, tiles=None, prefer_canvas=True,
                   control_scale=True, max_zoom=18, min_zoom=2, world_copy_jump=True)
    m.default_js = MAP_JS
    m.default_css = MAP_CSS
    Basemap().add_to(m)
    OfflineFullscreen(position="topleft").add_to(m)
    if legend:
        Legend().add_to(m)
    if online_tiles:
        folium.TileLayer(ONLINE_TILES, attr="© OpenStreetMap contributors", name="OpenStreetMap (online)",
                         max_zoom=18).add_to(m)
    return m


def event_groups(view: MapView, rings: list[dict]) -> list[folium.FeatureGroup]:
    """The filtered data as feature groups: st_folium adds these to the live map,
    so the user's view survives a filter change."""
    groups = []
    for kind, style in KINDS.items():
        if view.layers.get(kind):
            group = folium.FeatureGroup(name=style["label"])
            EventLayer(view.layers[kind]).add_to(group)
            groups.append(group)
    if view.links:
        group = folium.FeatureGroup(name="Launched from")
        link_layer = EventLayer([{**f, "properties": {"k": "launch_site", "link": 1, "w": 0.2,
                                                     "t": f"launched from {f['properties']['from']}"}}
                                 for f in view.links])
        link_layer.kinds = {**KINDS, "launch_site": {**KINDS["launch_site"], "dash": "2 6"}}
        link_layer.add_to(group)
        groups.append(group)
    if rings:
        group = folium.FeatureGroup(name="Range rings")
        RangeRings(rings).add_to(group)
        groups.append(group)
    return groups



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

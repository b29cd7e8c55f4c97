"""folium pieces of the map, each a small self-contained element (as folium's plugins).

Every JavaScript and CSS file comes from the app's own static folder, so the map
renders with no internet. Event data goes into the page only as JSON (``script_json``,
which escapes ``</script>``) and is turned into text by geodata-map.js with textContent.

Data never reaches a template parser. branca wraps each element's rendered script in
``jinja2.Template`` a second time (``MacroElement.render``), so a title such as
"Strike {{citation needed}}" or a publisher "Wire {#" would be read as template syntax
and fail the page. Our elements therefore hand their rendered script to the figure
as text that is never parsed again (``DataElement.render``), and, should any other path
parse it, ``script_json`` writes no ``{{``, ``{%`` or ``{#`` at all.
"""

from __future__ import annotations

import html
import json
import re

import folium
from branca.element import Element, MacroElement
from folium.plugins import Fullscreen
from jinja2 import Environment

from dashboard.state import ZOOM_MAX, ZOOM_MIN
from dashboard.style import KINDS, LINK_COLOR, RING_COLOR
from geodata.events.mapview import MapView

STATIC = "/app/static"
MAP_JS = [("leaflet", f"{STATIC}/vendor/leaflet/leaflet.js"),
          ("geodata_map", f"{STATIC}/geodata-map.js")]
MAP_CSS = [("leaflet_css", f"{STATIC}/vendor/leaflet/leaflet.css"),
           ("geodata_map_css", f"{STATIC}/geodata-map.css")]
BASEMAP_URL = f"{STATIC}/basemap/countries-50m.geojson"
ONLINE_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


_HTML_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}
_TEMPLATE_START = re.compile(r"\{(?=[{%#])")  # {{ {% {#: in JSON output only inside strings


def script_json(value) -> str:
    """``value`` as a JavaScript literal safe in a <script> and inert to any template
    parser: as Jinja's ``tojson`` (``<``, ``>``, ``&`` and ``'`` escaped), and a ``{``
    that would open a template tag written as ``\\u007b``. JSON's own braces are never
    followed by ``{``, ``%`` or ``#``, so only braces inside strings are rewritten, and
    JSON.parse and JavaScript read the very same text back."""
    text = json.dumps(value, sort_keys=True)
    text = re.sub(r"[<>&']", lambda m: _HTML_UNSAFE[m.group()], text)
    return _TEMPLATE_START.sub(r"\\u007b", text)


TEMPLATES = Environment(autoescape=False)
TEMPLATES.filters["script_json"] = script_json


class _Rendered(Element):
    """Script text that is already rendered: the figure shows it as it is."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class DataElement(MacroElement):
    """A map element whose script carries data: rendered once, never re-parsed."""

    def render(self, **kwargs) -> None:
        script = self._template.module.script(self, kwargs)
        self.get_root().script.add_child(_Rendered(script), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class OfflineFullscreen(Fullscreen):
    default_js = [("Control.Fullscreen.js", f"{STATIC}/vendor/fullscreen/Control.FullScreen.js")]
    default_css = [("Control.FullScreen.css", f"{STATIC}/vendor/fullscreen/Control.FullScreen.css")]


class Basemap(DataElement):
    """Natural Earth country outlines, fetched from the app: drawn with no tile server."""

    _template = TEMPLATES.from_string("""
        {% macro script(this, kwargs) %}
        geodataMap.basemap({{ this._parent.get_name() }}, {{ this.url|script_json }});
        {% endmacro %}""")

    def __init__(self, url: str = BASEMAP_URL):
        super().__init__()
        self._name = "Basemap"
        self.url = url


class EventLayer(DataElement):
    """One GeoJSON layer of events (or aggregated bins) of one kind."""

    _template = TEMPLATES.from_string("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_kinds = {{ this.kinds|script_json }};
        var {{ this.get_name() }} = L.geoJSON({{ this.data|script_json }}, {
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


class RangeRings(DataElement):
    _template = TEMPLATES.from_string("""
        {% macro script(this, kwargs) %}
        {{ this.rings|script_json }}.forEach(function (ring) {
            var circle = L.circle([ring.lat, ring.lon], {radius: ring.radius_km * 1000, color: {{ this.color|script_json }},
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


class Legend(DataElement):
    """What each colour and symbol means; our own fixed text only."""

    _template = TEMPLATES.from_string("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomleft"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "gd-legend");
            div.innerHTML = {{ this.html|script_json }};
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
        rows.append('<div><i class="gd-arrow"></i>country to country: no route known</div>')
        rows.append("<div>faint dashed route: a region at one end</div>")
        self.html = "".join(rows)


DEFAULT_CENTRE, DEFAULT_ZOOM, CENTRE_ONLY_ZOOM = (48.0, 70.0), 3, 5
FRAME_MAX_ZOOM = 7   # framing a single town does not zoom to its streets


def base_map(online_tiles: bool = False, legend: bool = True, *,
             centre: tuple[float, float] | None = None, zoom: int | None = None,
             bounds: tuple[float, float, float, float] | None = None) -> folium.Map:
    """A fresh map (st_folium mutates maps: never reuse one) with offline assets, opened
    on ``centre``/``zoom`` (a shared link's view) or else framed on ``bounds`` (south,
    west, north, east). A centre without a zoom opens at zoom 5; a zoom without a centre
    is centred on the bounds."""
    if zoom is not None and centre is None and bounds:
        centre = ((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2)
    m = folium.Map(location=list(centre or DEFAULT_CENTRE),
                   zoom_start=zoom if zoom is not None else (CENTRE_ONLY_ZOOM if centre else DEFAULT_ZOOM),
                   tiles=None, prefer_canvas=True, control_scale=True, max_zoom=ZOOM_MAX,
                   min_zoom=ZOOM_MIN, world_copy_jump=True)
    if centre is None and bounds:
        south, west, north, east = bounds
        m.fit_bounds([[south, west], [north, east]], padding=(24, 24), max_zoom=FRAME_MAX_ZOOM)
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

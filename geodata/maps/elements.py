"""folium pieces of the map, each a small self-contained element (as folium's plugins),
shared by the dashboard's live map and the standalone HTML download.

Every JavaScript and CSS file comes from ``assets/`` in this package: served by the
dashboard at a URL (``served_at``), or inlined into the page (``served_at=None``), so a
map renders with no internet either way. Event data goes into the page only as JSON
(``script_json``, which escapes ``</script>``) and is turned into text by geodata-map.js
with textContent.

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

from geodata.events.mapview import MapView
from geodata.maps import files
from geodata.maps.style import KINDS, RING_COLOR, ZOOM_MAX, ZOOM_MIN, legend_rows

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


class Rendered(Element):
    """Text that is already rendered: the figure shows it as it is, never parsed."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class DataElement(MacroElement):
    """A map element whose script carries data: rendered once, never re-parsed."""

    def render(self, **kwargs) -> None:
        script = self._template.module.script(self, kwargs)
        self.get_root().script.add_child(Rendered(script), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class OfflineFullscreen(Fullscreen):
    """The fullscreen button with its files from our assets (never a CDN)."""

    def __init__(self, served_at: str | None, **kwargs):
        super().__init__(**kwargs)
        self.default_js = files.links(files.FULLSCREEN_JS, served_at)
        self.default_css = files.links(files.FULLSCREEN_CSS, served_at)


class Basemap(DataElement):
    """Natural Earth country outlines, drawn with no tile server: fetched from ``url``,
    or given inline as GeoJSON (a standalone file makes no request)."""

    _template = TEMPLATES.from_string("""
        {% macro script(this, kwargs) %}
        geodataMap.basemap({{ this._parent.get_name() }}, {{ this.source|script_json }});
        {% endmacro %}""")

    def __init__(self, source: str | dict):
        super().__init__()
        self._name = "Basemap"
        self.source = source


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


_ICON = {"dot": "", "line": "gd-line", "area": "gd-area", "arrow": "gd-arrow", "faint": "gd-faint"}


class Legend(DataElement):
    """What each colour and symbol means (``style.legend_rows``); our own fixed text only."""

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
        for symbol, color, label in legend_rows():
            colour = f' style="background:{color}"' if color else ""
            rows.append(f'<div><i class="{_ICON[symbol]}"{colour}></i>{html.escape(label)}</div>')
        self.html = "".join(rows)


class Briefing(DataElement):
    """A standalone map's title, filters, period, count, attribution and sources
    (``briefing.Briefing.info()``), laid out around the map by geodata-map.js with
    textContent: text from data stays text."""

    _template = TEMPLATES.from_string("""
        {% macro script(this, kwargs) %}
        geodataMap.briefing({{ this._parent.get_name() }}, {{ this.info|script_json }});
        {% endmacro %}""")

    def __init__(self, info: dict):
        super().__init__()
        self._name = "Briefing"
        self.info = info


DEFAULT_CENTRE, DEFAULT_ZOOM, CENTRE_ONLY_ZOOM = (48.0, 70.0), 3, 5
FRAME_MAX_ZOOM = 7   # framing a single town does not zoom to its streets


def base_map(online_tiles: bool = False, legend: bool = True, *, served_at: str | None,
             centre: tuple[float, float] | None = None, zoom: int | None = None,
             bounds: tuple[float, float, float, float] | None = None,
             height: str = "100%") -> folium.Map:
    """A fresh map (st_folium mutates maps: never reuse one) with offline assets, served
    at the URL prefix ``served_at`` or, when it is None, inlined into the page; opened
    on ``centre``/``zoom`` (a shared link's view) or else framed on ``bounds`` (south,
    west, north, east). A centre without a zoom opens at zoom 5; a zoom without a centre
    is centred on the bounds."""
    if zoom is not None and centre is None and bounds:
        centre = ((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2)
    m = folium.Map(location=list(centre or DEFAULT_CENTRE),
                   zoom_start=zoom if zoom is not None else (CENTRE_ONLY_ZOOM if centre else DEFAULT_ZOOM),
                   tiles=None, prefer_canvas=True, control_scale=True, max_zoom=ZOOM_MAX,
                   min_zoom=ZOOM_MIN, world_copy_jump=True, height=height)
    if centre is None and bounds:
        south, west, north, east = bounds
        m.fit_bounds([[south, west], [north, east]], padding=(24, 24), max_zoom=FRAME_MAX_ZOOM)
    m.default_js = files.links(files.MAP_JS, served_at)
    m.default_css = files.links(files.MAP_CSS, served_at)
    if served_at is None:
        m.get_root().header.add_child(Rendered(files.inline_head()), name="geodata_assets")
        Basemap(files.basemap()).add_to(m)
    else:
        Basemap(f"{served_at}/{files.BASEMAP}").add_to(m)
    OfflineFullscreen(served_at, position="topleft").add_to(m)
    if legend:
        Legend().add_to(m)
    if online_tiles:
        folium.TileLayer(ONLINE_TILES, attr="© OpenStreetMap contributors", name="OpenStreetMap (online)",
                         max_zoom=18).add_to(m)
    return m


def event_groups(view: MapView, rings: list[dict]) -> list[folium.FeatureGroup]:
    """The filtered data as feature groups: st_folium adds these to the live map,
    so the user's view survives a filter change; a standalone map adds them itself.
    The launched-from lines come first, under the events: a line ending on a strike
    must not take the click meant for the strike."""
    groups = []
    if view.links:
        group = folium.FeatureGroup(name="Launched from")
        link_layer = EventLayer(link_features(view))
        link_layer.kinds = {**KINDS, "launch_site": {**KINDS["launch_site"], "dash": "2 6"}}
        link_layer.add_to(group)
        groups.append(group)
    for kind, style in KINDS.items():
        if view.layers.get(kind):
            group = folium.FeatureGroup(name=style["label"])
            EventLayer(view.layers[kind]).add_to(group)
            groups.append(group)
    if rings:
        group = folium.FeatureGroup(name="Range rings")
        RangeRings(rings).add_to(group)
        groups.append(group)
    return groups


def link_features(view: MapView) -> list[dict]:
    """The launched-from lines as drawn: thin, dashed, in the launch areas' colour."""
    return [{**f, "properties": {"k": "launch_site", "link": 1, "w": 0.2,
                                 "t": f"launched from {f['properties']['from']}"}}
            for f in view.links]

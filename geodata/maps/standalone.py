"""The map as one HTML file that works offline: Leaflet, our script and stylesheet, the
basemap and the icons all inlined (images as data: URIs), the same layers, popups and
legend as the dashboard's map, and the briefing around it. Opened from disk it makes
no request to any URL."""

from __future__ import annotations

import folium

from geodata.events.mapview import MapView, extent
from geodata.maps.briefing import Briefing
from geodata.maps.elements import Briefing as BriefingElement, base_map, event_groups

MAP_HEIGHT = "72vh"


def standalone_html(view: MapView, briefing: Briefing, rings: list[dict] = ()) -> str:
    """The page as text (UTF-8), framed on the filtered events as the dashboard opens."""
    m = base_map(served_at=None, bounds=extent(view), height=MAP_HEIGHT)
    for group in event_groups(view, list(rings)):
        group.add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    BriefingElement(briefing.info()).add_to(m)
    return m.get_root().render()

"""How each kind of event looks on every map (live, standalone HTML, PNG), and the
legend's rows: one definition that the HTML legend and the PNG legend both draw."""

from __future__ import annotations

# In drawing order: routes at the bottom, strikes on top.
KINDS: dict[str, dict] = {
    "transfer": {"label": "Transfer routes", "color": "#ff7f0e"},
    "deployment": {"label": "Deployments", "color": "#2ca02c", "dash": "8 6"},
    "launch_site": {"label": "Launch areas", "color": "#7b3294"},
    "agreement": {"label": "Agreements", "color": "#17becf"},
    "meeting": {"label": "Meetings", "color": "#1f77b4"},
    "test": {"label": "Tests", "color": "#7f7f7f"},
    "production": {"label": "Production", "color": "#8c564b"},
    "incident": {"label": "Incidents", "color": "#e6ab02"},
    "strike": {"label": "Strikes", "color": "#d62728"},
}
LINK_COLOR = "#7b3294"
RING_COLOR = "#444444"
ZOOM_MIN, ZOOM_MAX = 2, 18   # the map's own zoom bounds
BASEMAP_FILL, BASEMAP_EDGE, SEA = "#f2efe9", "#8c8c8c", "#dddddd"
ROUTE_KINDS = ("transfer", "deployment")


def legend_rows() -> list[tuple[str, str | None, str]]:
    """(symbol, colour, label) in the legend's order. Symbols: dot, line, area, link,
    arrow (country to country), faint (a dashed route with a region at one end)."""
    rows = [("line" if kind in ROUTE_KINDS else "dot", style["color"], style["label"])
            for kind, style in KINDS.items()]
    rows += [("area", None, "approximate place: area, not a pin"),
             ("line", LINK_COLOR, "launched from"),
             ("arrow", None, "country to country: no route known"),
             ("faint", None, "faint dashed route: a region at one end")]
    return rows

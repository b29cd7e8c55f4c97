"""How each kind of event looks on the map, in the legend and in the timeline."""

from __future__ import annotations

KINDS: dict[str, dict] = {
    "strike": {"label": "Strikes", "color": "#d62728"},
    "launch_site": {"label": "Launch areas", "color": "#7b3294"},
    "transfer": {"label": "Transfer routes", "color": "#ff7f0e"},
    "deployment": {"label": "Deployments", "color": "#2ca02c", "dash": "8 6"},
    "incident": {"label": "Incidents", "color": "#e6ab02"},
    "meeting": {"label": "Meetings", "color": "#1f77b4"},
    "agreement": {"label": "Agreements", "color": "#17becf"},
    "test": {"label": "Tests", "color": "#7f7f7f"},
    "production": {"label": "Production", "color": "#8c564b"},
}
LINK_COLOR = "#7b3294"
RING_COLOR = "#444444"

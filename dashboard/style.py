"""How each kind of event looks on the map, in the legend and in the timeline."""

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

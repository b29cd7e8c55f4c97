"""The map page: the filtered events on an offline map, a timeline, a table and a
details panel; the filters live in the URL so a copied link opens the same view."""

from __future__ import annotations

from datetime import date

import folium
import streamlit as st

from dashboard import data, edit_panel, mapping, panels, playback, sidebar
from dashboard.plain import plain
from dashboard.state import map_centre
from geodata.events.mapview import extent, range_rings
from geodata.errors import GeodataError


def _selected_from_map(out: dict | None) -> str | None:
    drawing = (out or {}).get("last_active_drawing") or {}
    return (drawing.get("properties") or {}).get("id")


def _opening_view(state, view) -> dict:
    """How the map opens, fixed for the session (a new opening view would rebuild the
    map and lose the viewer's pan and zoom): the link's centre and zoom, else framed on
    the filtered events."""
    if "opening_view" not in st.session_state:
        st.session_state.opening_view = {"centre": state.centre, "zoom": state.zoom,
                                         "bounds": extent(view)}
    return st.session_state.opening_view


def _follow_view(out: dict | None, state) -> None:
    """Keep the viewer's centre and zoom (reported by the browser after every pan and
    zoom) for the link."""
    centre, zoom = (out or {}).get("center"), (out or {}).get("zoom")
    if centre and centre.get("lat") is not None and isinstance(zoom, (int, float)):
        st.session_state.view_centre = state.centre = map_centre(centre["lat"], centre["lng"])
        st.session_state.view_zoom = state.zoom = int(zoom)


def main() -> None:
    try:
        store = data.current()
    except GeodataError as exc:
        st.error(plain(f"Cannot open the event store: {exc}"))
        st.stop()
    revision = store.revision()
    total, span, countries = data.totals(store, revision)
    sources = data.sources(store, revision)
    first, last = (date.fromisoformat(d) for d in span) if span else (None, None)
    state, notices = sidebar.render(sources, countries, first, last)
    if notices:
        st.session_state.notices = notices
    edit_panel.message()
    for notice in st.session_state.get("notices", []):
        st.warning(plain(notice))

    limit_view = st.sidebar.toggle("Limit to map view", key="w_limit_view",
                                   help="Count, table, chart and export only what the map shows; "
                                        "zoom in to see single events where there are many.")
    online = st.sidebar.toggle("Online map tiles (OpenStreetMap)", key="w_tiles",
                               help="Needs internet; the country outlines work without.")
    edit_panel.analyst_input()
    bounds = (st.session_state.get("map") or {}).get("bounds") if limit_view else None
    bbox = None
    if bounds and bounds.get("_southWest") and bounds["_southWest"].get("lat") is not None:
        sw, ne = bounds["_southWest"], bounds["_northEast"]
        bbox = [max(-180, min(180, sw["lng"])), max(-90, sw["lat"]),
                max(-180, min(180, ne["lng"])), min(90, ne["lat"])]
    f = state.event_filter(bbox=bbox)
    view = data.view(store, revision, f, state.blur_km)
    cache_note = data.columns(store, revision).cache_note
    if cache_note:  # slower, never wrong: say why once per page
        st.warning(plain(cache_note))
    skipped = data.skipped(store)
    if skipped:  # never fatal, never silent
        first_id, problem = skipped[0]
        st.warning(plain(f"{len(skipped):,} stored rows do not validate and are not shown "
                         f"(first: {first_id}: {problem[:200]}); run `python -m geodata check` "
                         "to list them."))

    st.title("North Korea–Russia weapons pipeline")
    st.markdown(f"**{view.total:,} of {total:,} events**"
                + (f" · {view.total - view.located:,} without coordinates" if view.total > view.located else "")
                + (f" · aggregated on a {view.cell_deg:g}° grid" if view.aggregated else ""))
    playback.controls(first, last)
    rings = range_rings(view, state.ring) if state.ring else []
    if state.ring and not rings:
        st.info("No launch area in this view lists that system, so no range rings are drawn.")
    returned = ["last_active_drawing", "center", "zoom"] + (["bounds"] if limit_view else [])
    from streamlit_folium import st_folium

    out = st_folium(mapping.base_map(online, **_opening_view(state, view)), key="map", height=560, use_container_width=True,
                    feature_group_to_add=mapping.event_groups(view, rings),
                    layer_control=folium.LayerControl(collapsed=True),
                    returned_objects=returned)
    _follow_view(out, state)
    clicked = _selected_from_map(out)
    if clicked and clicked != st.session_state.get("last_clicked"):
        st.session_state.last_clicked = clicked
        st.session_state.selected = state.event = clicked

    panels.timeline(store, f)
    picked = panels.table(store, f, view.total)
    if picked and picked != st.session_state.get("last_picked"):
        st.session_state.last_picked = picked
        st.session_state.selected = state.event = picked
    if state.event:
        event = store.event(state.event)
        if event is None:
            st.warning("The selected event was deleted: restore it under Deleted events."
                       if store.history(state.event) else "The selected event is not in the store.")
        else:
            panels.details(event, sources, store)
            edit_panel.panel(event, store)
    edit_panel.deleted_events(store)
    panels.exports(store, f, view, rings, state.blur_km)
    st.query_params.from_dict(state.to_query())


main()

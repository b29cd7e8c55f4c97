"""The sidebar filters. Widgets start from the URL's state once per session, then the
URL follows the widgets, so the address bar always holds a link to this view."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.state import ViewState, from_query
from dashboard.style import KINDS
from geodata import systems
from geodata.events.labels import PRECISION_LABEL
from geodata.events.model import Source, Status

def _load(state: ViewState) -> None:
    ss = st.session_state
    ss.w_kinds, ss.w_systems = state.kinds, state.systems
    ss.w_dates = tuple(d for d in (state.since, state.until) if d) if state.since and state.until else ()
    ss.w_countries, ss.w_sources, ss.w_statuses = state.countries, state.sources, state.statuses
    ss.w_precision, ss.w_text, ss.w_ring = state.precision, state.text, state.ring
    ss.selected = state.event


def reset() -> None:
    _load(ViewState())
    st.session_state.notices = []
    st.query_params.clear()


def _system_label(system_id: str) -> str:
    system = systems.catalogue().systems[system_id]
    aliases = [a for a in system.aliases if a != system.name][:5]
    return f"{system.name} · {', '.join(aliases)}" if aliases else system.name


def render(sources: dict[str, Source], countries: list[str], first_day: date | None,
           last_day: date | None) -> tuple[ViewState, list[str]]:
    """Draw the filters; return the state they hold and notices about the URL."""
    ss = st.session_state
    notices: list[str] = []
    if "w_kinds" not in ss:  # a new session: start from the link
        state, notices = from_query(dict(st.query_params), set(sources))
        _load(state)
    sb = st.sidebar
    sb.header("Filters")
    sb.multiselect("Kinds", list(KINDS), key="w_kinds", format_func=lambda k: KINDS[k]["label"])
    catalogue = systems.catalogue()
    sb.multiselect("Weapon systems (any alias)", list(catalogue.systems), key="w_systems",
                   format_func=_system_label)
    sb.date_input("Dates (events overlapping)", key="w_dates", min_value=date(1990, 1, 1),
                  max_value=date(2100, 12, 31), format="YYYY-MM-DD",
                  help=f"The catalogue spans {first_day} to {last_day}." if first_day else None)
    sb.multiselect("Countries", sorted(set(countries) | set(ss.w_countries)), key="w_countries")
    sb.multiselect("Sources", sorted(sources), key="w_sources",
                   format_func=lambda s: f"{sources[s].publisher}: {sources[s].title}"[:90] if s in sources else s)
    sb.multiselect("Status", [s.value for s in Status], key="w_statuses")
    sb.selectbox("Minimum precision", [None, 1, 2, 3], key="w_precision",
                 format_func=lambda p: "any" if p is None else f"{p}: {PRECISION_LABEL[p]} or better")
    sb.text_input("Search titles, descriptions and places", key="w_text", max_chars=200)
    ranged = [s.id for s in catalogue if s.nominal_range_km]
    sb.selectbox("Range rings around launch areas", [None, *ranged], key="w_ring",
                 format_func=lambda s: "none" if s is None else
                 f"{catalogue.systems[s].name}: {catalogue.systems[s].nominal_range_km:,.0f} km")
    sb.button("Reset filters", on_click=reset, width="stretch")
    dates = tuple(ss.w_dates or ())
    state = ViewState(
        kinds=list(ss.w_kinds), systems=list(ss.w_systems),
        since=dates[0] if len(dates) == 2 else None, until=dates[1] if len(dates) == 2 else None,
        countries=list(ss.w_countries), sources=list(ss.w_sources), statuses=list(ss.w_statuses),
        precision=ss.w_precision, text=(ss.w_text or "").strip(), ring=ss.w_ring,
        event=ss.get("selected"))
    return state, notices

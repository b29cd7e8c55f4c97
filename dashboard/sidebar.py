"""The sidebar filters. Widgets start from the URL's state once per session, then the
URL follows the widgets, so the address bar always holds a link to this view.

The date picker always holds a pair. A link with only ``since`` (or only ``until``)
fills the other end from the catalogue's span, and that end stays open (out of the
link, so the view grows with the catalogue) until the user moves it.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard.state import DATE_MAX, DATE_MIN, PRECISIONS, ViewState, from_query
from dashboard.style import KINDS
from geodata import systems
from geodata.errors import GeodataError
from geodata.events.blur import MAX_BLUR_KM, MIN_BLUR_KM
from geodata.events.filters import MAX_SEARCH_LENGTH, EventFilter
from geodata.events.labels import PRECISION_LABEL
from geodata.events.model import Source, Status


def _load(state: ViewState, first_day: date | None = None, last_day: date | None = None) -> None:
    ss = st.session_state
    ss.w_kinds, ss.w_systems = state.kinds, state.systems
    ss.w_dates, ss.open_dates = (), (None, None)
    if state.since or state.until:
        since = state.since or max(DATE_MIN, min(first_day or DATE_MIN, state.until))
        until = state.until or min(DATE_MAX, max(last_day or DATE_MAX, since))
        ss.w_dates = (since, until)
        ss.open_dates = (None if state.since else since, None if state.until else until)
    ss.w_countries, ss.w_sources, ss.w_statuses = state.countries, state.sources, state.statuses
    ss.w_tags = state.tags
    ss.w_blur = state.blur_km
    ss.w_precision, ss.w_text, ss.w_ring = state.precision, state.text, state.ring
    ss.selected = state.event
    ss.view_centre, ss.view_zoom = state.centre, state.zoom


def _dates(picked: tuple, filled: tuple) -> tuple[date | None, date | None]:
    """The range the picker holds; an end still at its filled-in value stays open.
    Half a range (the user has clicked one date of two) does not filter yet."""
    if len(picked) != 2:
        return None, None
    return tuple(None if day == open_end else day for day, open_end in zip(picked, filled))


def set_period(since: date, until: date) -> None:
    """Select a period from elsewhere on the page (the timeline's brush, playback): in
    a widget callback it applies at once; otherwise call ``request_period`` and rerun."""
    ss = st.session_state
    ss.w_dates, ss.open_dates = (since, until), (None, None)


def request_period(since: date, until: date) -> None:
    """Ask for a period outside a callback (a playback tick): applied by the next run
    before the date picker is drawn."""
    st.session_state.pending_period = (since, until)


def period() -> tuple[date | None, date | None]:
    """The period the date picker holds now (open ends as None)."""
    ss = st.session_state
    return _dates(tuple(ss.get("w_dates") or ()), ss.get("open_dates", (None, None)))


def _valid_tags(typed: list[str], notices: list[str]) -> list[str]:
    """The typed tags a filter accepts (compared as the store compares them); any other is
    left out with a notice, never a crash."""
    kept = []
    for tag in typed:
        try:
            kept += sorted(EventFilter.build(tags=[tag]).tags)
        except GeodataError as exc:
            notices.append(f"Ignored the tag filter {tag[:80]!r}: {exc}.")
    return sorted(set(kept))


def reset() -> None:
    """Clear the filters; the map stays where the viewer left it (and so in the link)."""
    ss = st.session_state
    _load(ViewState(centre=ss.get("view_centre"), zoom=ss.get("view_zoom")))
    ss.notices = []
    ss.playing = False
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
        given = {key: st.query_params.get_all(key) for key in st.query_params}
        state, notices = from_query(given, set(sources))
        _load(state, first_day, last_day)
    pending = ss.pop("pending_period", None)
    if pending:
        set_period(*pending)
    sb = st.sidebar
    sb.header("Filters")
    sb.multiselect("Kinds", list(KINDS), key="w_kinds", format_func=lambda k: KINDS[k]["label"])
    catalogue = systems.catalogue()
    sb.multiselect("Weapon systems (any alias)", list(catalogue.systems), key="w_systems",
                   format_func=_system_label)
    sb.date_input("Dates (events overlapping)", key="w_dates", min_value=DATE_MIN,
                  max_value=DATE_MAX, format="YYYY-MM-DD",
                  help=f"The catalogue spans {first_day} to {last_day}." if first_day else None)
    sb.multiselect("Countries", sorted(set(countries) | set(ss.w_countries)), key="w_countries")
    sb.multiselect("Sources", sorted(sources), key="w_sources",
                   format_func=lambda s: f"{sources[s].publisher}: {sources[s].title}"[:90] if s in sources else s)
    sb.multiselect("Status", [s.value for s in Status], key="w_statuses")
    sb.multiselect("Tags", sorted(ss.w_tags), key="w_tags", accept_new_options=True,
                   help="A dataset's labels (TimeMap associations, ACLED types); type a tag "
                        "and press Enter. Case is ignored.")
    sb.selectbox("Minimum precision", [None, *PRECISIONS], key="w_precision",
                 format_func=lambda p: "any" if p is None else f"{p}: {PRECISION_LABEL[p]} or better")
    sb.text_input("Search titles, descriptions and places", key="w_text",
                  max_chars=MAX_SEARCH_LENGTH)
    ranged = [s.id for s in catalogue if s.nominal_range_km]
    sb.selectbox("Range rings around launch areas", [None, *ranged], key="w_ring",
                 format_func=lambda s: "none" if s is None else
                 f"{catalogue.systems[s].name}: {catalogue.systems[s].nominal_range_km:,.0f} km")
    sb.number_input("Coarsen coordinates for publishing (km)", min_value=MIN_BLUR_KM,
                    max_value=MAX_BLUR_KM, value=None, step=5.0, key="w_blur",
                    placeholder="exact", help="Snap every place to the centre of a grid cell this "
                    "wide, on the map and in every download; pins become areas. The store "
                    "keeps the reported coordinates.")
    sb.button("Reset filters", on_click=reset, width="stretch")
    since, until = _dates(tuple(ss.w_dates or ()), ss.get("open_dates", (None, None)))
    state = ViewState(
        kinds=list(ss.w_kinds), systems=list(ss.w_systems), since=since, until=until,
        countries=list(ss.w_countries), sources=list(ss.w_sources), statuses=list(ss.w_statuses),
        tags=_valid_tags(ss.w_tags, notices),
        precision=ss.w_precision, text=(ss.w_text or "").strip(), ring=ss.w_ring,
        event=ss.get("selected"), centre=ss.get("view_centre"), zoom=ss.get("view_zoom"),
        blur_km=ss.get("w_blur") or None)
    return state, notices

"""Below the map: the timeline, the table, the selected event's details, the exports.
Data strings are shown as plain text (dataframe cells, st.text); never as HTML."""

from __future__ import annotations

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, sidebar, timeplay
from dashboard.plain import plain
from dashboard.style import KINDS
from geodata.events import labels
from geodata.events.filters import EventFilter
from geodata.events.mapview import MapView
from geodata.events.model import ROUTE_KINDS, Event, Source
from geodata.io.export import csv_text, geojson_text
from geodata.errors import GeodataError
from geodata.maps.briefing import DEFAULT_TITLE, MAX_TITLE, check_title
from geodata.maps.output import render
from geodata.store import EventStore


EXACT, SPREAD = "dated to the day or week", "month or year: faint"


def _brushed() -> None:
    """The timeline's brush became the period: since/until in the sidebar and the link."""
    selection = (st.session_state.get("timeline") or {}).get("selection") or {}
    period = timeplay.brushed_period(selection.get("period"), "month")
    if period:
        sidebar.set_period(*period)
        st.session_state.playing = False


def timeline(store: EventStore, f: EventFilter) -> None:
    """Events per month by kind, over every date (the filter's period is shaded, not cut
    out), so a brush across the chart selects a new period. Each event is counted in
    every month its dates overlap; those dated only to a month or a year (or a long
    campaign) are drawn faint."""
    rows = data.timeline(store, store.revision(), replace(f, since=None, until=None))
    if not rows:
        st.caption("No events to chart.")
        return
    frame = pd.DataFrame(rows, columns=["month", "kind", "spread", "events"])
    frame["month"] = pd.to_datetime(frame["month"] + "-01")
    frame["month_end"] = frame["month"] + pd.offsets.MonthBegin(1)
    frame["kind"] = frame["kind"].map(lambda k: KINDS[k]["label"])
    frame["dating"] = frame.pop("spread").map({False: EXACT, True: SPREAD})
    kinds = list(KINDS.values())
    utc = alt.Scale(type="utc")
    brush = alt.selection_interval(name="period", encodings=["x"])
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("month:T", title="month (drag across the chart to select a period)", scale=utc),
        x2="month_end:T",
        y=alt.Y("sum(events):Q", title="events"),
        color=alt.Color("kind:N", scale=alt.Scale(domain=[k["label"] for k in kinds],
                                                  range=[k["color"] for k in kinds]),
                        legend=alt.Legend(title=None, orient="bottom", columns=5)),
        opacity=alt.Opacity("dating:N", scale=alt.Scale(domain=[EXACT, SPREAD], range=[0.95, 0.35]),
                            legend=alt.Legend(title=None, orient="right")),
        tooltip=[alt.Tooltip("utcyearmonth(month):T", title="month"), "kind:N", "dating:N",
                 alt.Tooltip("sum(events):Q", title="events")],
    ).add_params(brush)
    layers = [bars]
    if f.since or f.until:
        first, last = frame["month"].min(), frame["month_end"].max()
        period = pd.DataFrame({"since": [pd.Timestamp(f.since) if f.since else first],
                               "until": [pd.Timestamp(f.until) + pd.Timedelta(days=1) if f.until else last]})
        layers.insert(0, alt.Chart(period).mark_rect(color="#1f4e9c", opacity=0.12).encode(
            x=alt.X("since:T", scale=utc), x2="until:T"))
    chart = alt.layer(*layers).properties(height=240)
    st.altair_chart(chart, width="stretch", key="timeline", on_select=_brushed,
                    selection_mode="period")
    st.caption("Counts are of events whose dates overlap each month: an event known only to "
               "its month or year is counted in each month it spans (faint), as the date filter "
               "keeps it in any period that overlaps it.")


def _place(event: Event) -> str:
    if event.kind in ROUTE_KINDS:
        return f"{event.origin.name} → {event.destination.name}"
    return event.place.name if event.place else ""


def table(store: EventStore, f: EventFilter, total: int) -> str | None:
    """The filtered events as a table; returns the id of a row the user selected."""
    events = data.table_events(store, store.revision(), f)
    if not events:
        return None
    frame = pd.DataFrame({
        "date": [labels.date_label(e).split(" (")[0] for e in events],
        "kind": [KINDS[e.kind.value]["label"] for e in events],
        "title": [e.title for e in events],
        "place": [_place(e) for e in events],
        "precision": [e.geo_precision for e in events],
        "systems": [labels.systems_label(e) for e in events],
        "status": [e.status.value for e in events],
        "sources": [len(e.sources) for e in events],
        "id": [e.id for e in events],
    })
    if total > len(events):
        st.caption(f"The first {len(events):,} of {total:,} events by date; narrow the filters or "
                   "export to see them all.")
    picked = st.dataframe(frame, hide_index=True, width="stretch", height=320,
                          on_select="rerun", selection_mode="single-row", key="table")
    rows = picked.selection.rows if picked and picked.selection else []
    return frame["id"].iloc[rows[0]] if rows else None


def details(event: Event, sources: dict[str, Source], store: EventStore) -> None:
    st.subheader("Selected event")
    st.text(event.title)
    facts = [
        ("Kind", KINDS[event.kind.value]["label"]), ("When", labels.date_label(event)),
        ("Date note", event.date_note or ""),
        ("Where", labels.place_label(event.place)), ("From", labels.place_label(event.origin)),
        ("To", labels.place_label(event.destination)), ("Systems", labels.systems_label(event)),
        ("Quantities", "; ".join(labels.quantity_label(q) for q in event.quantities)),
        ("Casualties", labels.casualties_label(event)),
        ("Claimed by", "; ".join(labels.attribution_labels(event))),
        ("Status", event.status.value),
        ("Discrepancies", "; ".join(labels.discrepancy_labels(event))),
        ("Description", event.description or ""), ("Id", event.id),
    ]
    st.dataframe(pd.DataFrame([(k, v) for k, v in facts if v], columns=["", "value"]),
                 hide_index=True, width="stretch")
    rows = []
    for citation in event.sources:
        source = sources.get(citation.id)
        rows.append({"publisher": source.publisher if source else citation.id,
                     "headline": source.title if source else "",
                     "published": (f"{source.published} ({source.published_precision.value})"
                                   if source else ""),
                     "url": str(source.url) if source and source.url else "",
                     "evidence": citation.evidence})
    st.markdown("**Sources**")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={"url": st.column_config.LinkColumn("url")})
    if event.links:
        st.markdown("**Linked events**")
        linked = []
        for link in event.links:
            target = store.event(link.target)
            linked.append({"relation": link.relation.value.replace("_", " "),
                           "event": target.title if target else link.target, "id": link.target})
        st.dataframe(pd.DataFrame(linked), hide_index=True, width="stretch")


def exports(store: EventStore, f: EventFilter, view: MapView, rings: list[dict],
            blur_km: float | None = None) -> None:
    """The filtered events as files: the exports, and the map for a briefing (one HTML
    file that works offline, or a PNG), each made only when its button is clicked."""
    count = view.total
    left, right = st.columns(2)
    left.download_button(f"GeoJSON of these {count:,} events", data=lambda: geojson_text(store, f, blur_km),
                         file_name="events.geojson", mime="application/geo+json",
                         on_click="ignore", width="stretch", key="export_geojson")
    right.download_button(f"CSV of these {count:,} events", data=lambda: csv_text(store, f, blur_km),
                          file_name="events.csv", mime="text/csv", on_click="ignore",
                          width="stretch", key="export_csv")
    given = st.text_input("Title of the downloaded map", value=DEFAULT_TITLE, max_chars=MAX_TITLE,
                          key="w_map_title")
    try:
        title = check_title(given)
    except GeodataError as exc:
        st.warning(plain(str(exc).replace("--title", "The map's title")))
        title = None
    left, right = st.columns(2)
    left.download_button("Download map: HTML (works offline)",
                         data=lambda: render(store, f, "html", title, view=view, rings=rings),
                         file_name="events-map.html", mime="text/html", on_click="ignore",
                         width="stretch", key="export_map_html", disabled=title is None,
                         help="One file with the map's layers, popups and legend, the filters, "
                              "the count and the sources cited; it needs no internet.")
    right.download_button("Download map: PNG",
                          data=lambda: render(store, f, "png", title, view=view, rings=rings),
                          file_name="events-map.png", mime="image/png", on_click="ignore",
                          width="stretch", key="export_map_png", disabled=title is None,
                          help="An image for a briefing: the map, legend, filters, count, "
                               "attribution and sources cited.")

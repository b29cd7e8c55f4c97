"""The "Add report" page: a new report's text becomes reviewed, stored events.

Paste or upload a report, say who published it and when; the page shows the text with
its places, dates and systems marked, the places on a small map, and the candidate
events as editable rows. Ticked rows are stored when the analyst presses "Store", as
new events or as corroboration of the stored event they repeat; nothing is written
before that. The work is done in geodata.extract.review, as for `geodata add-report`.
"""

from __future__ import annotations

from datetime import date

import folium
import pandas as pd
import streamlit as st

from dashboard import data, mapping
from dashboard.highlight import highlighted_html, legend_html
from dashboard.plain import plain
from geodata.errors import GeodataError
from geodata.events.model import Kind
from geodata.extract.review import (ACCEPT_AT, COLUMNS, NEW, Review, report_source, review,
                                    store_accepted)
from geodata.extract.dates import EARLIEST_PUBLISHED
from geodata.extract.text import MAX_BYTES, MAX_SIZE_TEXT, decode, prepare, too_large

ss = st.session_state


def _report_text(pasted: str, upload) -> str:
    if upload is not None and pasted.strip():
        raise GeodataError("there is both pasted text and an uploaded file: clear one of them")
    if upload is not None:
        if upload.size > MAX_BYTES:
            raise too_large(upload.name, upload.size)
        return prepare(decode(upload.getvalue(), upload.name), upload.name)
    return prepare(pasted, "the pasted text")


def _extract(store, pasted: str, upload, publisher: str, published: date, title: str, url: str) -> None:
    """Read the report and keep its review in the session; nothing is stored."""
    if not publisher.strip():
        raise GeodataError("publisher: say who published the report (a source needs one)")
    text = _report_text(pasted, upload)
    source = report_source(text, published, publisher, title, url)
    with st.spinner(f"Reading {len(text):,} characters…"):
        found = data.extractor().extract(text, published, source.publisher, source_id=source.id)
        pending = review(found, source, store)
    ss.report = {"found": found, "review": pending, "rows": pending.rows()}
    ss.report_version = ss.get("report_version", 0) + 1  # a fresh editor for a new report
    ss.pop("report_stored", None)


def _form(store) -> None:
    with st.form("report_form"):
        pasted = st.text_area("Report text", height=200, key="w_report_text",
                              placeholder="Paste the report here (English; plain text or HTML)…")
        upload = st.file_uploader(f"…or upload it (UTF-8 .txt or .html, up to {MAX_SIZE_TEXT})",
                                  type=["txt", "html", "htm", "md"], key="w_report_file")
        left, middle = st.columns(2)
        publisher = left.text_input("Publisher", key="w_publisher", max_chars=300)
        published = middle.date_input("Published on", key="w_published", value=date.today(),
                                      min_value=EARLIEST_PUBLISHED, max_value=date.today(),
                                      help="Relative dates in the text (\"last Tuesday\") count from here.")
        left, middle = st.columns(2)
        title = left.text_input("Headline (default: the first line)", key="w_title", max_chars=300)
        url = middle.text_input("Address (URL, optional)", key="w_url", max_chars=2000)
        if st.form_submit_button("Extract", type="primary"):
            try:
                _extract(store, pasted, upload, publisher, published, title, url)
            except GeodataError as exc:
                ss.pop("report", None)
                st.error(plain(f"Cannot read the report: {exc}. Nothing was stored."))


def _mentions(found) -> None:
    st.markdown(f"**{len(found.places)} place mentions · {len(found.dates)} dates · "
                f"{len(found.systems)} system mentions · {len(found.events)} candidate events**")
    text_column, map_column = st.columns([3, 2])
    with text_column:
        st.html(legend_html())
        st.html(highlighted_html(found))
    with map_column:
        from streamlit_folium import st_folium

        source = ss.report["review"].source
        group = mapping.report_places(found.places, [source.publisher, source.title, source.published.isoformat()])
        st_folium(mapping.report_map(found.places), key="report_map", height=420, use_container_width=True,
                  feature_group_to_add=[group] if group else None,
                  layer_control=folium.LayerControl(collapsed=True), returned_objects=[])
        unresolved = [p.text for p in found.places if p.candidate is None]
        if unresolved:
            st.caption("Not found in the gazetteer:")
            st.text(", ".join(dict.fromkeys(unresolved)))


def _matches_table(pending: Review) -> None:
    rows = [{"row": n, "candidate": event.title, "stored event": m.event.id, "stored title": m.event.title,
             "km apart": None if m.distance_km is None else round(m.distance_km),
             "days apart": m.days_apart,
             "differs on": "; ".join(f"{c.field}: stored {c.stored}, report {c.new}" for c in m.conflicts)}
            for n, (event, matches) in enumerate(zip(pending.events, pending.matches), start=1)
            for m in matches]
    if rows:
        st.caption("Stored events the candidates may repeat (\"store as\" picks one; a differing "
                   "figure is kept as a discrepancy, not overwritten):")
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _tick_all(value: bool) -> None:
    """Accept or reject every row, keeping the edits made so far (a new editor starts
    from the edited rows)."""
    ss.report["rows"] = [{**row, "accept": value} for row in ss.report.get("edited", ss.report["rows"])]
    ss.report_version += 1


def _editor(pending: Review) -> list[dict]:
    left, right, _ = st.columns([1, 1, 4])
    left.button("Accept all", key="w_accept_all", on_click=_tick_all, args=(True,))
    right.button("Reject all", key="w_reject_all", on_click=_tick_all, args=(False,))
    frame = pd.DataFrame(ss.report["rows"], columns=list(COLUMNS))
    order = ["accept", "confidence", "kind", "title", "date", "place", "origin", "destination",
             "store_as", "systems", "quantity", "unit", "killed", "injured", "claimed_by", "evidence", "id"]
    cc = st.column_config
    edited = st.data_editor(
        frame[order], key=f"w_rows_{ss.get('report_version', 0)}", hide_index=True, num_rows="fixed",
        width="stretch", disabled=["confidence", "evidence", "id"],
        column_config={
            "accept": cc.CheckboxColumn("accept", help="Tick to store this event; unticked rows are rejected"),
            "confidence": cc.NumberColumn("confidence", format="%.2f",
                                          help=f"0–1, from the evidence; the most confident rows come "
                                               f"first, and rows below {ACCEPT_AT} start unticked"),
            "kind": cc.SelectboxColumn("kind", options=[k.value for k in Kind], required=True),
            "title": cc.TextColumn("title", max_chars=300),
            "date": cc.TextColumn("date", help="YYYY-MM-DD, YYYY-MM, YYYY, or an interval 2024-01/2024-03"),
            "place": cc.TextColumn("place", help="Edit the name to geocode it again"),
            "origin": cc.TextColumn("from", help="For transfers and deployments"),
            "destination": cc.TextColumn("to", help="For transfers and deployments"),
            "store_as": cc.SelectboxColumn("store as", options=pending.store_as_options(), required=True,
                                           help="A new event, or the stored event this report corroborates"),
            "systems": cc.TextColumn("systems", help="Comma-separated; any alias (KN-23, Hwasong-11 …)"),
            "quantity": cc.NumberColumn("quantity", min_value=0),
            "unit": cc.TextColumn("unit"),
            "killed": cc.NumberColumn("killed", min_value=0, step=1),
            "injured": cc.NumberColumn("injured", min_value=0, step=1),
            "claimed_by": cc.TextColumn("claimed by"),
            "evidence": cc.TextColumn("evidence (the sentence)", width="large"),
            "id": cc.TextColumn("id"),
        })
    clean = edited.astype(object).where(edited.notna(), None)
    ss.report["edited"] = clean.to_dict("records")
    return ss.report["edited"]


def _review(store) -> None:
    found, pending = ss.report["found"], ss.report["review"]
    _mentions(found)
    st.subheader("Candidate events")
    if pending.done:
        st.info(f"This report was added before; {len(pending.done)} of its events are already stored.")
        st.text(", ".join(pending.done))
    if not pending.events:
        st.info("No new candidate events in this report: nothing to store.")
        return
    rows = _editor(pending)
    _matches_table(pending)
    accepted = sum(bool(r["accept"]) for r in rows)
    corroborating = sum(bool(r["accept"]) and r["store_as"] != NEW for r in rows)
    st.caption(plain(f"{accepted} of {len(rows)} accepted ({corroborating} as corroboration); "
                     f"the others are rejected. Source: {pending.source.id}."))
    if st.button(f"Store {accepted} accepted events", type="primary", disabled=not accepted, key="w_store"):
        try:
            ss.report_stored = store_accepted(pending, rows, store, data.extractor().geocoder)
        except GeodataError as exc:
            st.error(plain(f"Nothing was stored: {exc}"))
            return
        ss.pop("report", None)
        st.rerun()


def main() -> None:
    st.title("Add a report")
    st.caption("Paste or upload a report: its places, dates and weapon systems are found and "
               "resolved, and its events proposed for review. Nothing is stored until you tick "
               "events and press Store.")
    try:
        store = data.current()
    except GeodataError as exc:
        st.error(plain(f"Cannot open the event store: {exc}"))
        st.stop()
    stored = ss.get("report_stored")
    if stored:
        st.success(plain(f"Stored {len(stored.added)} new events and added the report to "
                         f"{len(stored.corroborated)} stored events as corroboration (source {stored.source})."))
        st.page_link("map_page.py", label="See this report's events on the map",
                     query_params={"source": stored.source})
    _form(store)
    if ss.get("report"):
        _review(store)


main()

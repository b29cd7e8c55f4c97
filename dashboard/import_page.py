"""The Import page: bring in a dataset an analyst already has (ACLED, UCDP GED, the
CIR monitor, a TimeMap export's events file, the Air Force missile log, KML/KMZ, or any
CSV/GeoJSON through a column mapping). Upload, see what would be stored (detected format,
the first events as they will be stored, places that did not resolve, rejected rows), then
import in one transaction and open the map filtered to that dataset.

All reading, checking and storing is geodata.io.datasets, the same as
``python -m geodata import``: this page only shows its dry run and runs it for real.
Every text it shows from the file is plain text.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.plain import plain
from geodata.errors import GeodataError
from geodata.events import labels
from geodata.io.datasets import import_dataset
from geodata.events.model import Kind
from geodata.io import profiles
from geodata.io.readers import formats

ss = st.session_state
UPLOAD_TYPES = ["csv", "geojson", "json", "kml", "kmz"]
AUTO = "detect from the file"


def _saved(upload) -> Path:
    """The upload as a file of its own name (formats are told partly by the name), in a
    folder of its own that lives as long as the session's review."""
    folder = Path(tempfile.mkdtemp(prefix="geodata-import-"))
    name = Path(upload.name).name or "upload"
    target = folder / name
    with target.open("wb") as out:
        shutil.copyfileobj(upload, out)
    return target


def _reader(fmt: str, mapping: str, kind: str | None):
    """What reads the file: the named or detected format, or a column mapping."""
    if mapping.strip():
        from geodata.io.readers.mapped import MappedReader

        profile = profiles.build(profiles.parse_map(mapping))
        if kind:
            profile = profile.model_copy(update={"kind": Kind(kind)})
        return MappedReader(profile)
    if kind:
        raise GeodataError("a kind for every row goes with a column mapping")
    return None if fmt == AUTO else fmt


def _preview_frame(summary) -> pd.DataFrame:
    return pd.DataFrame([{
        "id": e.id, "kind": e.kind.value, "title": e.title, "date": labels.date_label(e),
        "place": labels.place_label(e.place) if e.place else
        f"{labels.place_label(e.origin)} → {labels.place_label(e.destination)}",
        "systems": labels.systems_label(e), "tags": "; ".join(e.tags),
    } for e in summary.preview])


def _check(store) -> None:
    with st.form("import_form"):
        upload = st.file_uploader("Dataset file", type=UPLOAD_TYPES, key="w_import_file",
                                  help="Larger files, and TimeMap export folders: "
                                       "python -m geodata import FILE")
        left, right = st.columns(2)
        fmt = left.selectbox("Format", [AUTO, *formats()], key="w_import_format")
        mapping = right.text_input("Column mapping for any other CSV or GeoJSON (optional)",
                                   key="w_import_map", max_chars=2000,
                                   placeholder="date=event_date,place=location,lat=y,lon=x")
        kind = right.selectbox("Kind of every row (with a mapping that has no kind column)",
                               [None, *(k.value for k in Kind)], key="w_import_kind",
                               format_func=lambda k: "from the file" if k is None else k)
        restore = left.checkbox("Bring back events deleted in the store", key="w_import_restore",
                                help="By default an event an analyst deleted stays deleted when "
                                     "its dataset is imported again.")
        if st.form_submit_button("Check the file", type="primary"):
            ss.pop("import_done", None)
            if upload is None:
                st.error("Choose a file first.")
                return
            try:
                path = _saved(upload)
                reader = _reader(fmt, mapping, kind)
                with st.spinner(f"Checking every row of {upload.name}…"):
                    summary = import_dataset(store, path, reader, dry_run=True,
                                             rejects=path.with_name("rejects.csv"),
                                             restore_deleted=restore,
                                             geocoder=data.extractor().geocoder)
            except GeodataError as exc:
                ss.pop("import_check", None)
                st.error(plain(f"Cannot import the file: {exc}. Nothing was stored."))
                return
            ss.import_check = {"path": path, "reader": reader, "summary": summary,
                               "restore": restore}


def _review(store) -> None:
    check = ss.get("import_check")
    if not check:
        return
    summary = check["summary"]
    st.subheader(f"{summary.dataset} · format {summary.format}")
    st.text("\n".join(summary.lines()))
    if summary.preview:
        st.markdown("**The first events as they will be stored**")
        st.dataframe(_preview_frame(summary), hide_index=True, width="stretch")
    if summary.unresolved:
        st.markdown("**Places that did not resolve** (their rows are rejected)")
        st.dataframe(pd.DataFrame(summary.unresolved.most_common(50), columns=["place", "rows"]),
                     hide_index=True)
    writes = summary.new + summary.updated
    skip = False
    if summary.rejected:
        skip = st.checkbox(f"Import the {summary.events:,} valid rows and leave out the "
                           f"{summary.rejected:,} rejected ones", key="w_import_skip")
    blocked = (summary.rejected and not skip) or not writes
    label = f"Import {writes:,} events" if writes else "Nothing new to import"
    if st.button(label, key="w_import", type="primary", disabled=bool(blocked)):
        try:
            with st.spinner("Importing in one transaction…"):
                done = import_dataset(store, check["path"], check["reader"],
                                      rejects=check["path"].with_name("rejects.csv") if skip else None,
                                      restore_deleted=check["restore"],
                                      geocoder=data.extractor().geocoder)
        except GeodataError as exc:
            st.error(plain(f"Nothing was imported: {exc}."))
            return
        ss.import_done = done
        ss.pop("import_check", None)
        st.rerun()


def _done() -> None:
    done = ss.get("import_done")
    if not done:
        return
    st.success(plain(f"Imported {done.new:,} new and {done.updated:,} updated events "
                     f"from {done.path.name}; the store holds {done.total:,}."))
    st.page_link("map_page.py", label="See this dataset's events on the map",
                 query_params={"source": done.source_id})


def main() -> None:
    st.title("Import a dataset")
    st.caption("ACLED or UCDP GED CSV, the CIR monitor CSV, a TimeMap export_events.json, the "
               "Air Force missile log, KML/KMZ, or any CSV/GeoJSON with a column mapping. "
               "Every row is checked before anything is stored; importing the same file "
               "again adds nothing.")
    try:
        store = data.current()
    except GeodataError as exc:
        st.error(plain(f"Cannot open the event store: {exc}"))
        st.stop()
    _done()
    _check(store)
    _review(store)


main()

"""The first start on a new machine: build the gazetteer index (about 25 s) and create
the event store from the seed catalogue, saying what is happening and how far it has
got, on the page and in the terminal, instead of a blank page for a minute.

The index build reports its stages (geodata.places.build.STAGES, with the share of the
usual time spent before each); between them the bar moves with the time spent, said to be
an estimate. Creating the store is one step (geocoding the seed catalogue, a few seconds
once the index is there).
"""

from __future__ import annotations

import os
import sys
import threading
import time
import streamlit as st

from geodata.places import cache
from geodata.store import DB_ENV, default_path

INDEX_SECONDS = 25      # the usual build time of the index, for the progress bar
_LOCK = threading.Lock()  # one server builds once, however many sessions start
_READY: list[bool] = []   # set once both exist: later runs skip the checks


def _say(text: str) -> None:
    print(f"geodata dashboard: {text}", file=sys.stderr, flush=True)


def index_missing() -> bool:
    """True when the gazetteer index for this code and data is not built yet."""
    try:
        return not cache.index_ready()
    except cache.CacheError:
        return False  # opening the store says why in one line


def store_missing() -> bool:
    """Only the embedded default is created on a first start; a store named by
    $GEODATA_DB must exist (opening it says how to create it)."""
    return not os.environ.get(DB_ENV) and not default_path().exists()


def _build_index(bar) -> None:
    outcome: dict = {}
    stage = {"name": "starting", "share": 0.0}

    def told(name: str, share: float) -> None:
        stage.update(name=name, share=share)
        _say(f"gazetteer index: {name}")

    def work() -> None:
        try:
            cache.index_folder(progress=told)
        except BaseException as exc:  # handed to the page's thread, raised there
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="gazetteer-index", daemon=True)
    started = time.monotonic()
    worker.start()
    while worker.is_alive():
        spent = time.monotonic() - started
        share = max(stage["share"], min(spent / INDEX_SECONDS, 0.95))
        bar.progress(share, text=f"Building the gazetteer index: {stage['name']}, {spent:.0f} s "
                                 f"(usually about {INDEX_SECONDS} s in all)")
        worker.join(0.5)
    if "error" in outcome:
        raise outcome["error"]
    spent = time.monotonic() - started
    bar.progress(1.0, text=f"Gazetteer index built in {spent:.0f} s")
    _say(f"gazetteer index built in {spent:.0f} s")


def prepare(open_store) -> None:
    """Build what a first start needs before ``open_store()`` (the cached store) is
    called, showing each step; nothing is shown when both are already there."""
    if _READY:
        return
    if not (index_missing() or store_missing()):
        _READY.append(True)
        return
    with _LOCK, st.status("First start: preparing the map (once)…", expanded=True) as status:
        if index_missing():
            st.write("1. Building the gazetteer index from GeoNames and our place lists, "
                     "so that place names can be located offline.")
            _say(f"first start: building the gazetteer index (once, about {INDEX_SECONDS} s)")
            _build_index(st.progress(0.0, text="Building the gazetteer index…"))
        if store_missing():
            st.write("2. Creating the event store from the seed catalogue (locating each "
                     "event's places).")
            _say("first start: creating the event store from the seed catalogue")
            started = time.monotonic()
            open_store()
            _say(f"event store created in {time.monotonic() - started:.0f} s")
        status.update(label="Ready: the gazetteer index and the event store are built.",
                      state="complete", expanded=False)

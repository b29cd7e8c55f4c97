"""The dashboard's reads from geodata, cached per store revision and filter."""

from __future__ import annotations

import os

from datetime import date

import numpy as np
import streamlit as st

from geodata.events.columns import KINDS as KIND_NAMES, Columns
from geodata.events.filters import EventFilter
from geodata.events.mapview import MapView, map_view
from geodata.places.cache import CacheError, cache_root
from geodata.events.model import Event, Source
from geodata.store import DB_ENV, READ_ENV, EventStore, open_store

TABLE_LIMIT = 1000


@st.cache_resource(show_spinner="Opening the event store…")
def store(url: str | None = None) -> EventStore:
    """The store ``url`` (or $GEODATA_DB) names, never created here (a mistyped URL is
    an error saying how to create it); without one, the embedded default, created from
    seeds/ on a first start. Reads go to $GEODATA_DB_READ when set."""
    named = url or os.environ.get(DB_ENV) or None
    return open_store(named, os.environ.get(READ_ENV) or None, create=named is None, seed=named is None)


def current() -> EventStore:
    """The store, built on a first start with each step shown (dashboard.firstrun)."""
    from dashboard import firstrun

    firstrun.prepare(lambda: store(os.environ.get(DB_ENV)))
    return store(os.environ.get(DB_ENV))


@st.cache_resource(max_entries=2, show_spinner="Reading the catalogue…")
def columns(_store: EventStore, revision: int) -> Columns:
    """The store's columns as arrays, once per revision: filters and aggregates over a
    million events in milliseconds. Without a usable cache root the snapshot is made
    from the store (slower, never wrong) and ``cache_note`` says why."""
    try:
        folder = cache_root() / "snapshots"
    except CacheError as exc:
        snapshot = Columns.load(_store)
        snapshot.cache_note = f"No snapshot cache: {exc}"
        return snapshot
    return Columns.cached(_store, folder)


@st.cache_data(max_entries=64, show_spinner=False)
def view(_store: EventStore, revision: int, f: EventFilter, blur_km: float | None = None) -> MapView:
    return map_view(_store, f, columns=columns(_store, revision), blur_km=blur_km)


@st.cache_data(max_entries=64, show_spinner=False)
def monthly(_store: EventStore, revision: int, f: EventFilter) -> list[tuple[str, str, int]]:
    snapshot = columns(_store, revision)
    return snapshot.monthly(snapshot.mask(f, _store))


SPREAD_DAYS = 7          # an event dated over more than a week is drawn faint, over its span
_EPOCH = date(1970, 1, 1).toordinal()


@st.cache_data(max_entries=64, show_spinner=False)
def timeline(_store: EventStore, revision: int, f: EventFilter) -> list[tuple[str, str, bool, int]]:
    """(YYYY-MM, kind, spread, events) for the timeline: each event is counted in every
    month its dates overlap (so a month- or year-precision event appears over its whole
    span, as the date filter treats it), with ``spread`` true for events dated over more
    than a week (month or year precision, or a long campaign)."""
    snapshot = columns(_store, revision)
    keep = snapshot.mask(f, _store)
    start, end = snapshot.start[keep].astype(np.int64), snapshot.end[keep].astype(np.int64)
    if not len(start):
        return []
    months = [(d - _EPOCH).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
              for d in (start, end)]
    spans = np.clip(months[1] - months[0] + 1, 1, None)
    index = np.repeat(np.arange(len(start)), spans)
    offsets = np.arange(len(index)) - np.repeat(np.cumsum(spans) - spans, spans)
    month = months[0][index] + offsets
    spread = ((end - start) >= SPREAD_DAYS).astype(np.int64)[index]
    kind = snapshot.kind[keep].astype(np.int64)[index]
    unique, counts = np.unique((month * 16 + kind) * 2 + spread, return_counts=True)
    return [(str(np.datetime64(int(u // 32), "M")), KIND_NAMES[int(u // 2 % 16)], bool(u % 2), int(n))
            for u, n in zip(unique, counts)]


@st.cache_data(max_entries=64, show_spinner=False)
def table_events(_store: EventStore, revision: int, f: EventFilter) -> list[Event]:
    """Up to TABLE_LIMIT events, validated by the store (a row that no longer validates
    is skipped and listed by ``skipped``)."""
    return [r.event for r in _store.rows_page(f, TABLE_LIMIT)]


def skipped(_store: EventStore) -> list[tuple[str, str]]:
    """(id, problem) of stored rows the reads skipped: for a notice on the page that
    names them and points to ``python -m geodata check``."""
    return _store.skipped


@st.cache_data(max_entries=8, show_spinner=False)
def sources(_store: EventStore, revision: int) -> dict[str, Source]:
    return _store.sources()


@st.cache_data(max_entries=8, show_spinner=False)
def totals(_store: EventStore, revision: int) -> tuple[int, tuple[str, str] | None, list[str]]:
    return _store.count(), _store.date_range(), _store.countries()


@st.cache_resource(show_spinner="Loading the gazetteer…")
def extractor():
    """One extractor per server: it holds the gazetteer and its per-name caches."""
    from geodata.extract.report import Extractor

    return Extractor()

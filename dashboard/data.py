"""The dashboard's reads from geodata, cached per store revision and filter."""

from __future__ import annotations

import os

import streamlit as st

from geodata.events.columns import Columns
from geodata.events.filters import EventFilter
from geodata.events.mapview import MapView, map_view
from geodata.places.cache import CacheError, cache_root
from geodata.events.model import Event, Source
from geodata.store import DB_ENV, Store

TABLE_LIMIT = 1000


@st.cache_resource(show_spinner="Opening the event store…")
def store(path: str | None = None) -> Store:
    return Store(path or os.environ.get(DB_ENV) or None)


def current() -> Store:
    return store(os.environ.get(DB_ENV))


@st.cache_resource(max_entries=2, show_spinner="Reading the catalogue…")
def columns(_store: Store, revision: int) -> Columns:
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
def view(_store: Store, revision: int, f: EventFilter) -> MapView:
    return map_view(_store, f, columns=columns(_store, revision))


@st.cache_data(max_entries=64, show_spinner=False)
def monthly(_store: Store, revision: int, f: EventFilter) -> list[tuple[str, str, int]]:
    snapshot = columns(_store, revision)
    return snapshot.monthly(snapshot.mask(f, _store))


@st.cache_data(max_entries=64, show_spinner=False)
def table_events(_store: Store, revision: int, f: EventFilter) -> list[Event]:
    """Up to TABLE_LIMIT events, validated by the store (a row that no longer validates
    is skipped and listed by ``skipped``)."""
    return [r.event for r in _store.rows_page(f, TABLE_LIMIT)]


def skipped(_store: Store) -> list[tuple[str, str]]:
    """(id, problem) of stored rows the reads skipped: for a notice on the page that
    names them and points to ``python -m geodata check``."""
    return _store.skipped


@st.cache_data(max_entries=8, show_spinner=False)
def sources(_store: Store, revision: int) -> dict[str, Source]:
    return _store.sources()


@st.cache_data(max_entries=8, show_spinner=False)
def totals(_store: Store, revision: int) -> tuple[int, tuple[str, str] | None, list[str]]:
    return _store.count(), _store.date_range(), _store.countries()


@st.cache_resource(show_spinner="Loading the gazetteer…")
def extractor():
    """One extractor per server: it holds the gazetteer and its per-name caches."""
    from geodata.extract.report import Extractor

    return Extractor()

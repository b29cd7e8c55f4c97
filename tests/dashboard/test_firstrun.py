"""The first start (issue 14 item 6): building the gazetteer index and the store says
what it is doing and how far it has got, on the page and in the terminal."""

from __future__ import annotations

import time

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import firstrun
from tests.dashboard.conftest import APP


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def _texts(node) -> list[str]:
    """Every text shown under ``node`` (markdown, labels, progress text)."""
    out = []
    children = getattr(node, "children", None)
    for child in children.values() if isinstance(children, dict) else children or []:
        for attr in ("value", "label"):
            value = getattr(child, attr, None)
            if isinstance(value, str):
                out.append(value)
        proto = getattr(child, "proto", None)
        if isinstance(getattr(proto, "text", None), str):
            out.append(proto.text)
        out += _texts(child)
    return out


def test_a_first_start_names_each_step_on_the_page_and_in_the_terminal(tmp_path, monkeypatch, capfd):
    built: list[bool] = []
    real = firstrun.cache.index_folder

    def slow_build(*args, **kwargs):  # the real build takes ~25 s; the page must say so meanwhile
        if not built:
            time.sleep(1.2)
            built.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(firstrun, "_READY", [])
    monkeypatch.setattr(firstrun, "index_missing", lambda: not built)
    monkeypatch.setattr(firstrun.cache, "index_folder", slow_build)
    monkeypatch.delenv("GEODATA_DB")  # the embedded default store, under $XDG_DATA_HOME
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "new"))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(_texts(at._tree))
    assert "1. Building the gazetteer index" in shown and "2. Creating the event store" in shown
    assert "Gazetteer index built in" in shown and "Ready: the gazetteer index and the event store are built." in shown
    assert any("35 of 35 events" in m.value for m in at.markdown)
    terminal = capfd.readouterr().err
    assert "building the gazetteer index (once" in terminal and "gazetteer index built in" in terminal
    assert "creating the event store from the seed catalogue" in terminal and "event store created" in terminal
    assert (tmp_path / "new" / "geodata" / "events.sqlite").exists()


def test_a_store_named_by_geodata_db_is_never_created_by_the_page(tmp_path, monkeypatch):
    missing = tmp_path / "mistyped" / "events.sqlite"
    monkeypatch.setattr(firstrun, "_READY", [])
    monkeypatch.setenv("GEODATA_DB", str(missing))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "First start" not in " ".join(_texts(at._tree))
    shown = [e.value.replace("\\", "").replace("\u200b", "") for e in at.error]  # as plain text
    assert shown == [f"Cannot open the event store: {missing}: no event store here; create one "
                     f"with python -m geodata init --seed --db {missing}"]
    assert not missing.exists()


def test_a_later_start_shows_no_first_start_steps(seed_db, monkeypatch):
    monkeypatch.setattr(firstrun, "_READY", [])
    monkeypatch.setattr(firstrun, "index_missing", lambda: False)
    monkeypatch.setenv("GEODATA_DB", seed_db)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert "First start" not in " ".join(_texts(at._tree))

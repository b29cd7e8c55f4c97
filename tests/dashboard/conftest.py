"""Fixtures for the dashboard: stores to point it at, and a way to read what the map
was given (st_folium's arguments, as the browser receives them)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dashboard.testing import map_args
from geodata.events.catalogue import Catalogue
from geodata.events.model import Event, Source
from geodata.store import Store

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")

PAYLOADS = [
    '<img src=x onerror="window.__xss=1">',
    '</script><script>window.__xss=2</script>',
    '`${window.__xss=3}` \\` ${alert(1)}',
    'javascript:window.__xss=4',
    '<svg onload=window.__xss=5>{{7*7}}',
    'Strike on Kharkiv {{citation needed}}',             # template syntax: never parsed
    'Wire {# {% endraw %} {%- if x %} {{ }}',
]
PUBLISHER = PAYLOADS[0] + ' Wire {#'


def hostile_catalogue() -> Catalogue:
    """Events whose every free-text field carries a script payload."""
    source = Source(id="hostile-source", publisher=PUBLISHER, title=PAYLOADS[1],
                    published="2024-01-01", note=PAYLOADS[2])
    events = []
    for i, payload in enumerate(PAYLOADS):
        events.append(Event.model_validate({
            "id": f"hostile-{i}", "kind": "strike", "title": f"{payload} title {i}",
            "description": payload, "date": "2024-01-0" + str(i + 1), "status": "reported",
            "date_note": payload,
            "place": {"name": payload, "lat": 49 + i * 0.4, "lon": 30 + i * 0.8, "geo_precision": 1,
                      "country": "UA", "admin1": payload},
            "quantities": [{"value": 3, "unit": payload, "item": payload}],
            "casualties": {"killed": 1, "note": payload},
            "attribution": [{"claimant": payload, "basis": "media_report", "note": payload}],
            "sources": [{"id": "hostile-source", "evidence": payload}],
        }))
    return Catalogue({source.id: source}, events)


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("dash") / "seed.sqlite"
    Store(path).close()  # created and seeded
    return str(path)


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("hostile") / "hostile.sqlite"
    store = Store(path, seed=False)
    store.put(hostile_catalogue())
    store.close()
    return str(path)


def map_features(at) -> list[dict]:
    """The event features handed to the map (no arrowheads, no link lines)."""
    script = map_args(at)["feature_group"]
    decoder = json.JSONDecoder()
    features = []
    for match in re.finditer(r"L\.geoJSON\(", script):
        data, _ = decoder.raw_decode(script, match.end())
        features += [f for f in data["features"]
                     if "arrow" not in f["properties"] and "link" not in f["properties"]]
    return features


@pytest.fixture(autouse=True)
def fresh_caches():
    """dashboard/data.py keys its caches by revision, not by store: another test's store
    of the same revision would otherwise answer for this test's."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app(seed_db, monkeypatch):
    """Run the dashboard on the seed store in AppTest, with a query string."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("GEODATA_DB", seed_db)

    def start(query: dict | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return start

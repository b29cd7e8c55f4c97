"""Invented ACLED rows in the real export's column layout, for the importer's tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geodata.store import Store

ACLED_HEADER = ["event_id_cnty", "event_date", "year", "time_precision", "event_type",
                "sub_event_type", "actor1", "actor2", "country", "admin1", "admin2", "admin3",
                "location", "latitude", "longitude", "geo_precision", "source", "notes",
                "fatalities", "timestamp"]


def acled_row(**given) -> dict:
    base = {"event_id_cnty": "UKR900001", "event_date": "03/02/2024", "year": "2024",
            "time_precision": "1", "event_type": "Explosions/Remote violence",
            "sub_event_type": "Shelling/artillery/missile attack",
            "actor1": "Military Forces of Russia (2000-)", "actor2": "Civilians (Ukraine)",
            "country": "Ukraine", "admin1": "Kharkiv", "admin2": "Kharkivskyi", "admin3": "",
            "location": "Kharkiv", "latitude": "49.9935", "longitude": "36.2304",
            "geo_precision": "1", "source": "Example Daily; Regional Wire",
            "notes": "Invented: a missile struck a depot.", "fatalities": "2",
            "timestamp": "1700000000"}
    return {**base, **given}


def write_acled(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, ACLED_HEADER, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def empty_store(tmp_path):
    """A new store without the seed catalogue (import with ``from ... import empty_store``)."""
    store = Store(tmp_path / "events.sqlite", seed=False)
    yield store
    store.close()

"""A source that names one of several systems ("Iskander-M/KN-23") and an imported
dataset's tags survive every export and re-import, and are shown for what they are."""

import csv
import io
import json

from geodata.events.catalogue import Catalogue
from geodata.events.filters import EventFilter
from geodata.events.labels import systems_label
from geodata.events.model import Event, Source
from geodata.io.export import csv_text, geojson_text
from geodata.io.importer import import_geojson
from geodata.store import Store


def _event() -> Event:
    return Event.model_validate({
        "id": "log-strike-1", "kind": "strike", "title": "Ballistic strike on Kyiv",
        "date": "2024-01-02", "status": "reported", "possible_systems": ["Iskander-M", "KN-23"],
        "tags": ["Air Force log", "ballistic"],
        "place": {"name": "Kyiv", "lat": 50.45, "lon": 30.52, "geo_precision": 1, "country": "UA"},
        "sources": [{"id": "af-log", "evidence": "row 3 of the log"}]})


def _store(path) -> Store:
    store = Store(path, seed=False)
    source = Source(id="af-log", publisher="Air Force", title="Missile log", published="2024-01-03")
    store.put(Catalogue({"af-log": source}, [_event()]))
    return store


def test_possible_systems_are_labelled_as_possible():
    assert systems_label(_event()) == "possibly Iskander-M (9K720, SS-26 Stone) or KN-23 (Hwasong-11Ga)"


def test_possible_systems_and_tags_survive_geojson_round_trip(tmp_path):
    store = _store(tmp_path / "a.sqlite")
    text = geojson_text(store, EventFilter())
    props = json.loads(text)["features"][0]["properties"]
    assert props["possible_system_ids"] == ["iskander-m", "kn-23"] and props["system_ids"] == []
    assert props["tags"] == ["Air Force log", "ballistic"]
    exported = tmp_path / "export.geojson"
    exported.write_text(text, encoding="utf-8")
    other = Store(tmp_path / "b.sqlite", seed=False)
    import_geojson(other, exported)
    again = other.event("log-strike-1")
    assert again.possible_systems == ["iskander-m", "kn-23"] and again.tags == _event().tags
    assert other.count(EventFilter.build(systems=["KN-23"])) == 1  # found, as possible


def test_csv_export_has_possible_systems_and_tags(tmp_path):
    rows = list(csv.DictReader(io.StringIO(csv_text(_store(tmp_path / "a.sqlite"), EventFilter()))))
    assert rows[0]["systems"] == ""
    assert rows[0]["possible_systems"] == "Iskander-M (9K720, SS-26 Stone); KN-23 (Hwasong-11Ga)"
    assert rows[0]["tags"] == "Air Force log; ballistic"

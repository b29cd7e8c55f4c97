"""KML (Google Earth) and GeoParquet exports, round-tripped: KML back through the KML
reader (and the importer), GeoParquet through geopandas; hostile text survives both
byte for byte."""

from __future__ import annotations

import json
from datetime import date

import geopandas as gpd
import pytest
import shapely

from geodata.events.catalogue import Catalogue
from geodata.events.filters import EventFilter
from geodata.events.frame import to_geodataframe
from geodata.events.model import Event, Source
from geodata.events.synthetic import synthetic_catalogue
from geodata.io.export import FORMATS, export
from geodata.io.readers.kml import KmlReader
from geodata.store import Store

HOSTILE = ("{{ config }} {% raw %} <script>alert('x')</script> =HYPERLINK(\"http://e.vil\") "
           "+1 @SUM(A1) &amp; &lt; ]]> \"quotes\" 'single' tab\there\r\nCRLF  two  spaces "
           "ünïcödé Кириллица 中文 עברית 🚀 \u200b zero-width ")


def hostile_event() -> Event:
    return Event.model_validate({
        "id": "hostile-1", "kind": "strike", "title": "=1+1 <b>{{ title }}</b> 🚀 ",
        "description": HOSTILE, "date": "2024-01", "status": "reported",
        "place": {"name": "<Kharkiv> & {{x}}", "lat": 49.99, "lon": 36.23, "geo_precision": 1,
                  "country": "UA"},
        "systems": ["kn-23"], "possible_systems": ["iskander-m"], "tags": ["<tag> & {{ t }}"],
        "sources": [{"id": "src-hostile", "evidence": "=cmd|' /C calc'!A0 <i>x</i>"}],
    })


@pytest.fixture
def store(tmp_path):
    catalogue = synthetic_catalogue(60, seed=11)
    catalogue.sources["src-hostile"] = Source(id="src-hostile", publisher="<Pub> {{ p }}",
                                              title="=2+2", published=date(2024, 1, 5))
    catalogue.events.append(hostile_event())
    store = Store(tmp_path / "events.sqlite", seed=False)
    store.put(catalogue)
    yield store
    store.close()


def exported(store, path):
    count = export(store, EventFilter(), path)
    assert count == store.count()
    return path


def test_format_comes_from_the_extension():
    assert FORMATS[".kml"] == "kml" and FORMATS[".parquet"] == "parquet"


def test_kml_export_reads_back_with_the_same_kinds_dates_and_places(store, tmp_path):
    path = exported(store, tmp_path / "events.kml")
    rows = list(KmlReader().rows(path))
    events = {e.id: e for e in (r.event for r in store.rows(EventFilter()))}
    assert len(rows) == len(events) and not [r for r in rows if isinstance(r, Exception)]
    for row in rows:
        event = events[row.native_id]
        assert row.fields["kind"] == event.kind.value
        assert (row.fields["date_start"], row.fields["date_end"], row.fields["date_precision"]) \
            == (event.date_start.isoformat(), event.date_end.isoformat(), event.date_precision.value)
        assert row.fields["status"] == event.status.value
        assert row.fields["systems"] == event.systems
        for role in ("place", "origin", "destination"):
            given, read = getattr(event, role), getattr(row, role)
            if given is None or not given.located:
                assert read is None or read.lat is None
                continue
            assert (read.name, read.lat, read.lon, read.geo_precision) == \
                (given.name, given.lat, given.lon, given.geo_precision)


def test_kml_keeps_hostile_text_byte_for_byte_and_escapes_the_description(store, tmp_path):
    path = exported(store, tmp_path / "events.kml")
    text = path.read_text(encoding="utf-8")
    assert "<script>" not in text                      # never markup in the file
    (row,) = [r for r in KmlReader().rows(path) if r.native_id == "hostile-1"]
    event = hostile_event()
    assert row.fields["description"] == event.description == HOSTILE
    assert row.fields["title"] == event.title
    assert row.place.name == event.place.name
    assert row.fields["tags"] == event.tags and row.fields["possible_systems"] == ["iskander-m"]


def test_kml_routes_are_linestrings_from_origin_to_destination(store, tmp_path):
    path = exported(store, tmp_path / "events.kml")
    assert "<LineString><tessellate>1</tessellate>" in path.read_text(encoding="utf-8")
    routes = [r for r in KmlReader().rows(path) if r.fields["kind"] in ("transfer", "deployment")]
    assert routes and all(r.origin and r.destination and r.place is None for r in routes)


def test_geoparquet_reads_back_in_geopandas_with_the_same_ids_and_geometry(store, tmp_path):
    path = exported(store, tmp_path / "events.parquet")
    frame = gpd.read_parquet(path)
    expected = to_geodataframe(store.rows(EventFilter()), store.sources(), flat=True)
    assert frame.crs.to_epsg() == 4326
    assert list(frame.columns) == list(expected.columns)       # the flat GeoPackage's columns
    assert list(frame["id"]) == list(expected["id"])
    assert all(shapely.equals_exact(a, b, 0) for a, b in zip(frame.geometry, expected.geometry))
    row = frame.set_index("id").loc["hostile-1"]
    assert row["description"] == HOSTILE and row["title"] == hostile_event().title
    assert json.loads(row["place"])["name"] == "<Kharkiv> & {{x}}"


def test_empty_exports_are_valid_files(tmp_path):
    store = Store(tmp_path / "events.sqlite", seed=False)
    store.put(Catalogue())
    assert export(store, EventFilter(), tmp_path / "none.kml") == 0
    assert list(KmlReader().rows(tmp_path / "none.kml")) == []
    assert export(store, EventFilter(), tmp_path / "none.parquet") == 0
    assert len(gpd.read_parquet(tmp_path / "none.parquet")) == 0
    store.close()


def test_cli_exports_kml_and_parquet_by_extension(cli, store, tmp_path):
    for name in ("out.kml", "out.parquet"):
        result = cli("export", str(tmp_path / name), "--db", str(store.path))
        assert result.returncode == 0, result.stderr
        assert f"exported {store.count()} of {store.count()} events" in result.stderr
    result = cli("export", str(tmp_path / "out.bin"), "--format", "kml", "--db", str(store.path))
    assert result.returncode == 0 and (tmp_path / "out.bin").read_text(encoding="utf-8").startswith("<?xml")


def test_kml_round_trip_through_the_importer(store, tmp_path):
    datasets = pytest.importorskip("geodata.io.datasets")
    path = exported(store, tmp_path / "events.kml")
    target = Store(tmp_path / "other.sqlite", seed=False)
    summary = datasets.import_dataset(target, path, "kml")
    assert summary.rejected == 0 and summary.new == store.count()
    imported = {e.title: e for e in (r.event for r in target.rows(EventFilter()))}
    for event in (r.event for r in store.rows(EventFilter())):
        again = imported[event.title]
        assert (again.kind, again.date_start, again.date_end) == (event.kind, event.date_start,
                                                                  event.date_end)
        assert [(p.lat, p.lon) for p in again.places] == [(p.lat, p.lon) for p in event.places]
    assert imported[hostile_event().title].description == HOSTILE
    again = datasets.import_dataset(target, path, "kml")
    assert again.new == 0 and again.updated == 0              # idempotent
    target.close()

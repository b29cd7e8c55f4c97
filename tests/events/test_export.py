"""Exports (GeoJSON, CSV, GeoPackage) and the GeoJSON import that restores them."""

import csv
import json

import geopandas as gpd
import pyogrio
import pytest
import shapely

from geodata.events.filters import EventFilter
from geodata.io.export import export, geojson_text
from geodata.io.geojson import PROPERTIES, GeoJSONError, read_catalogue
from geodata.io.table import COLUMNS
from geodata.store import Store


@pytest.fixture
def exported(synthetic_store, tmp_path):
    path = tmp_path / "events.geojson"
    export(synthetic_store, EventFilter(), path)
    return path


def test_geojson_is_rfc7946(exported, synthetic):
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert len(data["features"]) == len(synthetic.events)
    by_id = {e.id: e for e in synthetic.events}
    for feature in data["features"]:
        assert feature["type"] == "Feature" and set(feature) == {"type", "id", "geometry", "properties"}
        assert tuple(feature["properties"]) == PROPERTIES
        geometry = shapely.geometry.shape(feature["geometry"])
        assert geometry.is_valid
        event = by_id[feature["id"]]
        if feature["geometry"]["type"] == "Point":
            lon, lat = feature["geometry"]["coordinates"]
            assert (lat, lon) == (event.place.lat, event.place.lon)  # lon/lat order
        else:
            assert feature["geometry"]["coordinates"][0] == [event.origin.lon, event.origin.lat]


def test_geojson_properties_carry_sources_and_canonical_systems(exported, synthetic_store):
    features = json.loads(exported.read_text(encoding="utf-8"))["features"]
    with_system = next(f for f in features if "kn-23" in f["properties"]["system_ids"])
    assert "KN-23 (Hwasong-11Ga)" in with_system["properties"]["systems"]
    source = with_system["properties"]["sources"][0]
    assert set(source) >= {"id", "publisher", "title", "published", "evidence"}
    assert source["publisher"] == synthetic_store.sources()[source["id"]].publisher
    route = next(f for f in features if f["properties"]["kind"] == "transfer")
    assert route["properties"]["origin_name"] and route["properties"]["destination_name"]
    assert route["properties"]["geo_precision"] in (1, 2, 3, 4)


def test_geojson_opens_in_geopandas_with_the_same_features(exported, synthetic):
    frame = gpd.read_file(exported, engine="pyogrio")
    assert len(frame) == len(synthetic.events)
    assert frame.crs.to_epsg() == 4326
    assert set(frame["id"]) == {e.id for e in synthetic.events}
    assert set(frame.geometry.geom_type) == {"Point", "LineString"}


def test_round_trip_restores_the_same_events(exported, synthetic, tmp_path):
    fresh = Store(tmp_path / "fresh.sqlite", seed=False)
    catalogue = read_catalogue(exported)
    assert fresh.put(catalogue) == (len(synthetic.events), 0)
    restored = {e.id: e for e in fresh.events()}
    assert all(restored[e.id] == e for e in synthetic.events)
    assert fresh.sources() == {k: v for k, v in synthetic.sources.items() if k in fresh.sources()}
    again = tmp_path / "again.geojson"
    export(fresh, EventFilter(), again)
    assert again.read_bytes() == exported.read_bytes()


def test_dashboard_text_and_file_export_are_the_same_bytes(synthetic_store, tmp_path):
    f = EventFilter.build(systems=["KN-23"], since="2024-01-01", until="2024-12-31")
    path = tmp_path / "subset.geojson"
    export(synthetic_store, f, path)
    assert geojson_text(synthetic_store, f).encode() == path.read_bytes()


def test_csv_export(synthetic_store, synthetic, tmp_path):
    path = tmp_path / "events.csv"
    count = export(synthetic_store, EventFilter.build(kinds=["transfer"]), path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert tuple(rows[0]) == COLUMNS
    assert count == len(rows) == sum(e.kind == "transfer" for e in synthetic.events)
    first = next(e for e in synthetic.events if e.id == rows[0]["id"])
    assert float(rows[0]["origin_lon"]) == first.origin.lon
    assert float(rows[0]["destination_lat"]) == first.destination.lat


def test_geopackage_export(synthetic_store, synthetic, tmp_path):
    path = tmp_path / "events.gpkg"
    export(synthetic_store, EventFilter(), path)
    assert pyogrio.list_layers(path)[0][0] == "events"
    frame = gpd.read_file(path, engine="pyogrio")
    assert len(frame) == len(synthetic.events) and frame.crs.to_epsg() == 4326
    assert json.loads(frame.loc[0, "sources"])[0]["id"].startswith("synthetic-")


def test_an_empty_selection_exports_an_empty_collection(synthetic_store, tmp_path):
    f = EventFilter.build(since="2040-01-01")
    for name in ("none.geojson", "none.csv", "none.gpkg"):
        assert export(synthetic_store, f, tmp_path / name) == 0
    assert json.loads((tmp_path / "none.geojson").read_text())["features"] == []


# -- import errors -----------------------------------------------------------------

def _feature(**props):
    base = {"id": "imported-one", "kind": "strike", "title": "Imported", "date_start": "2024-01-02",
            "date_end": "2024-01-02", "date_precision": "day", "status": "reported",
            "place": {"name": "Kharkiv", "lat": 49.98, "lon": 36.25, "geo_precision": 1},
            "sources": [{"id": "synthetic-1", "evidence": "test"}]}
    return {"type": "Feature", "id": "imported-one", "geometry": None, "properties": {**base, **props}}


@pytest.mark.parametrize("content, message", [
    ("{not json", "not JSON: Expecting property name enclosed in double quotes at line 1, column 2"),
    ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    ('{"type": "FeatureCollection", "features": 3}', "features must be a list"),
    (json.dumps({"type": "FeatureCollection", "features": [{"type": "Point"}]}), "feature 1: not a GeoJSON Feature"),
    (json.dumps({"type": "FeatureCollection", "features": [_feature(), _feature(kind="airstrike")]}),
     "feature 2 (id imported-one): kind: Input should be 'strike'"),
    (json.dumps({"type": "FeatureCollection", "features": [_feature(date_start="2024-02-30")]}),
     "feature 1 (id imported-one): date_start: Input should be a valid date"),
    (json.dumps({"type": "FeatureCollection", "features": [_feature(sources="seed-000")]}),
     "properties.sources: a list of source objects is required"),
    (json.dumps({"type": "FeatureCollection", "features": [_feature(place={"name": "X", "lat": 91, "lon": 0, "geo_precision": 1})]}),
     "place.lat: Input should be less than or equal to 90"),
])
def test_import_errors_name_the_feature_and_field(tmp_path, content, message):
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GeoJSONError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_catalogue(path)


def test_import_of_binary_or_missing_files(tmp_path):
    binary = tmp_path / "image.geojson"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    with pytest.raises(GeoJSONError, match="not UTF-8 text"):
        read_catalogue(binary)
    with pytest.raises(GeoJSONError, match="no such file"):
        read_catalogue(tmp_path / "missing.geojson")


def test_geodataframe_has_points_routes_precision_and_radius(synthetic_store, synthetic):
    from geodata.events.frame import to_geodataframe

    frame = to_geodataframe(synthetic_store.rows(), synthetic_store.sources())
    assert frame.crs.to_epsg() == 4326 and len(frame) == len(synthetic.events)
    kinds = dict(zip(frame["id"], frame["kind"]))
    for event_id, geometry in zip(frame["id"], frame.geometry):
        expected = "LineString" if kinds[event_id] in ("transfer", "deployment") else "Point"
        assert geometry.geom_type == expected
    assert frame["geo_precision"].notna().all() and frame["radius_km"].notna().all()
    assert isinstance(frame.loc[0, "sources"], list)  # nested unless flat=True


# -- hostile text and spreadsheet formulas -----------------------------------------

HOSTILE = ["Strike on Kharkiv {{citation needed}}", "Wire {#", "{% raw %}x{% endraw %}",
           "<script>alert(1)</script> & \"q\" 'a'", "=HYPERLINK(\"http://203.0.113.24\",\"x\")",
           "+1 555", "-2+3", "@SUM(A1)", "\tTabbed", "\rReturned", "ok — ünïcödé 🚀"]


@pytest.fixture
def hostile_store(tmp_path):
    from geodata.events.catalogue import Catalogue
    from geodata.events.model import Event, Source

    store = Store(tmp_path / "hostile.sqlite", seed=False)
    sources = {f"src-{i}": Source(id=f"src-{i}", publisher=text, title=text, published="2024-01-02")
               for i, text in enumerate(HOSTILE)}
    events = [Event.model_validate({
        "id": f"hostile-{i}", "kind": "strike", "title": text, "description": text,
        "date": "2024-01-02", "status": "reported",
        "place": {"name": text, "lat": -33.5 - i, "lon": -70.25, "geo_precision": 1},
        "sources": [{"id": f"src-{i}", "evidence": text}]}) for i, text in enumerate(HOSTILE)]
    store.put(Catalogue(sources, events))
    yield store
    store.close()


def _unquoted(cell: str) -> str:
    return cell[1:] if cell[:2] in {f"'{c}" for c in "=+-@\t\r"} else cell


def test_csv_export_neutralises_spreadsheet_formulas(hostile_store, tmp_path):
    from geodata.io.export import csv_text

    path = tmp_path / "hostile.csv"
    export(hostile_store, EventFilter(), path)
    assert csv_text(hostile_store, EventFilter()).encode() == path.read_bytes()  # the download too
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    formula_starts = tuple("=+-@\t\r")
    for row in rows:
        for column, cell in row.items():
            if column in ("lon", "lat", "radius_km", "geo_precision"):
                continue
            assert not cell.startswith(formula_starts), (column, cell)
        assert float(row["lat"]) < 0 and float(row["lon"]) == -70.25  # numbers stay numbers
    by_id = {r["id"]: r for r in rows}
    for i, text in enumerate(HOSTILE):
        row = by_id[f"hostile-{i}"]
        assert _unquoted(row["title"]) == text and _unquoted(row["place_name"]) == text
        assert _unquoted(row["source_publishers"]) == text and _unquoted(row["description"]) == text
        if text[0] in "=+-@\t\r":
            assert row["title"] == "'" + text


def test_hostile_text_survives_geojson_and_geopackage_byte_for_byte(hostile_store, tmp_path):
    path = tmp_path / "hostile.geojson"
    export(hostile_store, EventFilter(), path)
    features = {f["id"]: f["properties"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]}
    for i, text in enumerate(HOSTILE):
        props = features[f"hostile-{i}"]
        assert props["title"] == props["description"] == props["place_name"] == text
        assert props["sources"][0]["publisher"] == props["sources"][0]["title"] == text
    fresh = Store(tmp_path / "fresh.sqlite", seed=False)
    fresh.put(read_catalogue(path))
    assert fresh.events() == hostile_store.events() and fresh.sources() == hostile_store.sources()
    gpkg = tmp_path / "hostile.gpkg"
    export(hostile_store, EventFilter(), gpkg)
    frame = gpd.read_file(gpkg, engine="pyogrio").set_index("id")
    for i, text in enumerate(HOSTILE):
        assert frame.loc[f"hostile-{i}", "title"] == text
        assert json.loads(frame.loc[f"hostile-{i}", "sources"])[0]["publisher"] == text

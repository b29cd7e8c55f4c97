"""Coarsened coordinates for publishing: every place on an N km grid, its radius grown to
still hold the true place, pins turned into areas; the store keeps what was reported."""

import json
import math

import pytest

from geodata.errors import GeodataError
from geodata.events.blur import blur_place, check_blur_km
from geodata.events.filters import EventFilter
from geodata.events.model import PlaceRef
from geodata.io.export import geojson_text
from geodata.store import Store


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("blur") / "seed.sqlite")  # created and seeded
    yield store
    store.close()


def _km(a, b):
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@pytest.mark.parametrize("lat, lon", [(49.98177, 36.25475), (50.45, 30.52), (39.02, 125.75),
                                      (-33.9, 151.2), (64.7, 177.5)])
def test_a_blurred_place_is_an_area_that_still_holds_the_true_place(lat, lon):
    ref = PlaceRef(name="X", lat=lat, lon=lon, geo_precision=1, radius_km=5.0)
    out = blur_place(ref, 10)
    assert out.geo_precision == 2 and out.gazetteer_id is None
    assert out.radius_km >= 5.0 + 10 * math.sqrt(2) / 2 - 0.1
    assert _km((lat, lon), (out.lat, out.lon)) <= out.radius_km - 5.0 + 0.1  # true place inside
    neighbour = blur_place(PlaceRef(name="Y", lat=lat + 0.001, lon=lon + 0.001, geo_precision=1), 10)
    assert (neighbour.lat, neighbour.lon) == (out.lat, out.lon) or _km((out.lat, out.lon), (neighbour.lat, neighbour.lon)) <= 15


@pytest.mark.parametrize("value", ["0", "-3", "abc", "nan", "inf", "501"])
def test_a_bad_grid_size_is_refused(value):
    with pytest.raises(GeodataError, match="--blur-km"):
        check_blur_km(value)


def test_the_export_is_blurred_and_the_store_is_not(seed_store):
    exact = {f["id"]: f for f in json.loads(geojson_text(seed_store, EventFilter()))["features"]}
    coarse = {f["id"]: f for f in json.loads(geojson_text(seed_store, EventFilter(), blur_km=25))["features"]}
    assert exact.keys() == coarse.keys()
    pins = [i for i, f in exact.items() if f["properties"]["geo_precision"] == 1]
    assert pins
    for i in pins:
        assert coarse[i]["properties"]["geo_precision"] >= 2
        assert coarse[i]["geometry"] != exact[i]["geometry"]
    again = {f["id"]: f for f in json.loads(geojson_text(seed_store, EventFilter()))["features"]}
    assert again == exact


def test_cli_export_blur_option(cli, tmp_path, seed_store):
    out = tmp_path / "coarse.geojson"
    done = cli("export", str(out), "--blur-km", "20", "--db", str(seed_store.path))
    assert done.returncode == 0, done.stderr
    assert all(f["properties"]["geo_precision"] in (None, 2, 3, 4)
               for f in json.loads(out.read_text())["features"])
    bad = cli("export", str(tmp_path / "x.geojson"), "--blur-km", "0", "--db", str(seed_store.path))
    assert bad.returncode == 2 and "--blur-km" in bad.stderr and not (tmp_path / "x.geojson").exists()


def test_the_map_is_blurred_like_the_export(seed_store):
    from geodata.events.mapview import map_view

    def events(view):  # the event features (not arrowheads), by id
        return {f["properties"]["id"]: f for features in view.layers.values()
                for f in features if "gp" in f["properties"] and "id" in f["properties"]}

    exact, coarse = events(map_view(seed_store)), events(map_view(seed_store, blur_km=25))
    assert exact.keys() == coarse.keys()
    pins = [i for i, f in exact.items() if f["properties"]["gp"] == 1]
    assert pins and all(coarse[i]["properties"]["gp"] >= 2 for i in pins)
    assert all(coarse[i]["geometry"] != exact[i]["geometry"] for i in pins)


def test_the_aggregated_map_is_blurred_too(seed_store):
    from geodata.events.blur import blur_point
    from geodata.events.mapview import map_view

    view = map_view(seed_store, detail_limit=1, blur_km=50)
    points = [f["geometry"]["coordinates"] for features in view.layers.values()
              for f in features if f["geometry"]["type"] == "Point"]
    assert view.aggregated and points
    for lon, lat in points:  # every bin sits on the centre of its blur cell
        assert blur_point(lat, lon, 50) == (round(lat, 5), round(lon, 5))


def test_map_command_blurs(cli, tmp_path, seed_store):
    out = tmp_path / "coarse.html"
    done = cli("map", str(out), "--blur-km", "30", "--db", str(seed_store.path))
    assert done.returncode == 0, done.stderr
    bad = cli("map", str(tmp_path / "x.png"), "--blur-km", "-1", "--db", str(seed_store.path))
    assert bad.returncode == 2 and "--blur-km" in bad.stderr

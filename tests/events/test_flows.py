"""Honest flows (issue 14 item 3): a transfer or deployment known only country to
country is drawn as a thin straight arrow between the countries' anchors, never as a
route into the middle of Siberia; known ends keep their geodesic route; stored
geometry (and so every export) keeps the reported places."""

from __future__ import annotations

import json

import pytest

from geodata.events.catalogue import Catalogue
from geodata.events.geometry import (COUNTRY_ANCHORS, SCHEMATIC, end_place, flow_drawing, route)
from geodata.events.mapview import map_view
from geodata.events.model import Event, PlaceRef, Source
from geodata.store import Store

NORTH_KOREA = PlaceRef(name="North Korea", lat=40.0, lon=127.0, geo_precision=4, country="KP")
RUSSIA = PlaceRef(name="Russia", lat=60.0, lon=100.0, geo_precision=4, country="RU")  # its centre: Siberia
SOUTH_KOREA = PlaceRef(name="South Korea", lat=37.0, lon=127.5, geo_precision=4, country="KR")
UKRAINE = PlaceRef(name="Ukraine", lat=49.0, lon=32.0, geo_precision=4, country="UA")
RAJIN = PlaceRef(name="Rajin port", lat=42.256, lon=130.298, geo_precision=1, country="KP")
VOSTOCHNY = PlaceRef(name="Vostochny port", lat=42.733, lon=133.067, geo_precision=1, country="RU")
KURSK_OBLAST = PlaceRef(name="Kursk Oblast", lat=51.5, lon=36.0, geo_precision=3, country="RU")


def _siberian(lon: float, lat: float) -> bool:
    """Russia east of the Urals and north of its southern cities: where nobody reported anything."""
    return 60 <= lon <= 128 and lat >= 50


def test_a_country_to_country_deployment_is_an_arrow_between_anchors_not_into_siberia():
    geometry, note = flow_drawing(NORTH_KOREA, RUSSIA)
    assert geometry["type"] == "LineString" and len(geometry["coordinates"]) == 2  # straight: no path
    (lon0, lat0), (lon1, lat1) = geometry["coordinates"]
    assert (lon0, lat0) == pytest.approx(COUNTRY_ANCHORS["KP"][0][1:], abs=1e-4)  # Pyongyang
    assert (lon1, lat1) == pytest.approx(COUNTRY_ANCHORS["RU"][1][1:], abs=1e-4)  # Vladivostok
    assert not _siberian(lon1, lat1)
    assert "country-level" in note and "Pyongyang" in note and "Vladivostok" in note


def test_from_the_west_russia_is_anchored_in_moscow_and_ukraine_in_kyiv():
    geometry, _ = flow_drawing(RUSSIA, UKRAINE)
    assert [name for name, *_ in (COUNTRY_ANCHORS["RU"][0], COUNTRY_ANCHORS["UA"][0])] == ["Moscow", "Kyiv"]
    assert geometry["coordinates"] == [[37.6176, 55.7558], [30.5234, 50.4501]]


def test_south_korea_to_ukraine_is_straight_and_does_not_arc_over_siberia():
    geometry, note = flow_drawing(SOUTH_KOREA, UKRAINE)
    assert len(geometry["coordinates"]) == 2 and note
    geodesic = route(SOUTH_KOREA, UKRAINE)  # what was drawn before: a great circle over Siberia
    assert any(_siberian(*c) for c in geodesic["coordinates"])
    # a straight line on the map between Seoul and Kyiv stays south of 51°N all the way
    (lon0, lat0), (lon1, lat1) = geometry["coordinates"]
    assert max(lat0, lat1) < 51


def test_one_country_end_makes_the_flow_country_level():
    geometry, note = flow_drawing(RAJIN, RUSSIA)
    assert note and len(geometry["coordinates"]) == 2
    assert geometry["coordinates"][0] == [130.298, 42.256]  # the known end stays where it was reported


def test_known_ends_keep_their_geodesic_route():
    for origin, destination in ((RAJIN, VOSTOCHNY), (RAJIN, KURSK_OBLAST)):
        geometry, note = flow_drawing(origin, destination)
        assert note is None
        assert geometry == route(origin, destination)


def test_an_aggregated_end_on_a_country_centre_is_that_country():
    assert end_place(127.0, 40.0, "o").country == "KP"  # the atlas centres the geocoder gives
    assert end_place(100.0, 60.0, "d").geo_precision == 4
    assert end_place(130.298, 42.256, "o").geo_precision == 1


def _flow(event_id: str, kind: str, origin: PlaceRef, destination: PlaceRef, quantity: float) -> Event:
    return Event.model_validate({
        "id": event_id, "kind": kind, "title": event_id, "date": "2024-10", "status": "reported",
        "origin": origin.model_dump(exclude_none=True), "destination": destination.model_dump(exclude_none=True),
        "quantities": [{"value": quantity, "unit": "troops"}],
        "sources": [{"id": "flow-source", "evidence": "test"}]})


@pytest.fixture
def flows_store(tmp_path):
    store = Store(tmp_path / "flows.sqlite", seed=False)
    source = Source(id="flow-source", publisher="Test", title="Flows", published="2024-11-01")
    store.put(Catalogue({source.id: source}, [
        _flow("deployment-kp-to-ru", "deployment", NORTH_KOREA, RUSSIA, 10_000),
        _flow("transfer-rajin-to-vostochny", "transfer", RAJIN, VOSTOCHNY, 500)]))
    yield store
    store.close()


def _drawn(view, event_id: str) -> dict:
    return next(f for layer in view.layers.values() for f in layer
                if f["properties"].get("id") == event_id and "arrow" not in f["properties"])


def test_the_map_draws_the_deployment_as_a_thin_schematic_arrow_and_keeps_the_route(flows_store):
    view = map_view(flows_store)
    deployment = _drawn(view, "deployment-kp-to-ru")
    assert deployment["properties"][SCHEMATIC] == 1
    assert deployment["properties"]["w"] == 1  # no width by quantity (10,000 troops)
    assert "country-level" in deployment["properties"]["dn"]
    assert len(deployment["geometry"]["coordinates"]) == 2
    heads = [f for f in view.layers["deployment"] if f["properties"].get("arrow")]
    assert len(heads) == 1 and heads[0]["properties"][SCHEMATIC] == 1
    transfer = _drawn(view, "transfer-rajin-to-vostochny")
    assert SCHEMATIC not in transfer["properties"]
    assert transfer["geometry"] == route(RAJIN, VOSTOCHNY)


def test_stored_geometry_and_exports_keep_the_reported_places(flows_store):
    stored = next(r for r in flows_store.rows() if r.event.id == "deployment-kp-to-ru")
    coordinates = json.loads(stored.geometry)["coordinates"]
    assert coordinates[0] == [127.0, 40.0] and coordinates[-1] == [100.0, 60.0]


def test_aggregated_country_level_totals_are_schematic_too(flows_store):
    from geodata.events.columns import Columns

    columns = Columns.load(flows_store)
    for cols in (columns, None):
        view = map_view(flows_store, detail_limit=0, columns=cols)
        assert view.aggregated
        lines = {f["properties"].get(SCHEMATIC, 0): f for f in view.layers["deployment"] + view.layers["transfer"]
                 if not f["properties"].get("arrow")}
        schematic, routed = lines[1], lines[0]
        assert schematic["properties"]["k"] == "deployment" and schematic["properties"]["w"] == 1
        assert schematic["geometry"]["coordinates"][-1] == [131.8855, 43.1155]  # Vladivostok, not Siberia
        assert routed["properties"]["k"] == "transfer" and len(routed["geometry"]["coordinates"]) > 2

"""Geometries: lon/lat points, geodesic routes, the antimeridian."""

import pytest
import shapely
from pyproj import Geod

from geodata.events.geometry import event_geometry, route
from geodata.events.model import PlaceRef, Event

RAJIN = PlaceRef(name="Rajin", lat=42.256, lon=130.298, geo_precision=1)
MOSCOW = PlaceRef(name="Moscow", lat=55.756, lon=37.617, geo_precision=1)


def test_points_are_lon_lat():
    e = Event.model_validate({"id": "point-event", "kind": "strike", "title": "t", "date": "2024", "status": "reported",
                              "place": {"name": "Kharkiv", "lat": 49.98, "lon": 36.25, "geo_precision": 1},
                              "sources": [{"id": "s1", "evidence": "x"}]})
    assert event_geometry(e) == {"type": "Point", "coordinates": [36.25, 49.98]}


def test_routes_follow_the_geodesic_and_are_densified():
    line = route(RAJIN, MOSCOW)
    coords = line["coordinates"]
    assert line["type"] == "LineString"
    assert coords[0] == [130.298, 42.256] and coords[-1] == [37.617, 55.756]
    assert len(coords) > 100  # ~6,400 km at one vertex per ~50 km, capped at 128
    geod = Geod(ellps="WGS84")
    # every vertex lies on the geodesic: the two legs add up to the whole
    whole = geod.inv(130.298, 42.256, 37.617, 55.756)[2]
    lon, lat = coords[len(coords) // 2]
    legs = geod.inv(130.298, 42.256, lon, lat)[2] + geod.inv(lon, lat, 37.617, 55.756)[2]
    assert legs == pytest.approx(whole, rel=1e-4)
    assert max(c[1] for c in coords) > 58  # a great circle bows north of both ends


def test_a_route_across_the_antimeridian_is_split():
    chukotka = PlaceRef(name="Anadyr", lat=64.73, lon=177.51, geo_precision=1)
    alaska = PlaceRef(name="Nome", lat=64.50, lon=-165.41, geo_precision=1)
    line = route(chukotka, alaska)
    assert line["type"] == "MultiLineString"
    west, east = line["coordinates"]
    assert west[-1][0] == 180.0 and east[0][0] == -180.0
    assert west[-1][1] == pytest.approx(east[0][1])
    assert all(-180 <= lon <= 180 for part in line["coordinates"] for lon, _ in part)
    assert shapely.geometry.shape(line).is_valid

"""The opt-in Nominatim backend, with geopy's HTTP adapter replaced by a fake: no
request leaves this machine."""

import time
from urllib.parse import parse_qs, urlparse

import pytest
from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderUnavailable

from geodata.places.geocoder import GeoPrecision
from geodata.places.nominatim import CachedNominatim, OnlineGeocoderError

KHARKIV = {
    "place_id": 1, "osm_type": "relation", "osm_id": 3154746, "lat": "49.9923181",
    "lon": "36.2310146", "name": "Kharkiv", "display_name": "Kharkiv, Kharkiv Oblast, Ukraine",
    "addresstype": "city", "importance": 0.71, "boundingbox": ["49.88", "50.10", "36.10", "36.45"],
    "address": {"city": "Kharkiv", "state": "Kharkiv Oblast", "country_code": "ua"},
}
OBLAST = dict(KHARKIV, name="Kharkiv Oblast", addresstype="state", osm_id=71254)


class FakeAdapter(BaseSyncAdapter):
    """Answers like Nominatim and records every URL it was asked for."""

    requests: list[str] = []
    fail = False

    def get_json(self, url, *, timeout, headers):
        FakeAdapter.requests.append(url)
        if FakeAdapter.fail:
            raise GeocoderUnavailable("Name or service not known")
        return [KHARKIV, OBLAST]

    def get_text(self, url, *, timeout, headers):
        raise NotImplementedError


@pytest.fixture
def nominatim(tmp_path):
    FakeAdapter.requests = []
    FakeAdapter.fail = False
    return CachedNominatim("geodata-tests/1.0 (tests@example.org)", cache_path=tmp_path / "n.sqlite",
                           min_delay_seconds=0.3, adapter_factory=FakeAdapter)


def test_answers_map_to_candidates(nominatim):
    found = nominatim.candidates("Kharkiv", country="ua")
    assert [c.name for c in found] == ["Kharkiv", "Kharkiv Oblast"]
    city, oblast = found
    assert (city.lat, city.lon, city.country, city.admin1) == (49.9923181, 36.2310146, "UA", "Kharkiv Oblast")
    assert city.precision == GeoPrecision.TOWN and oblast.precision == GeoPrecision.REGION
    assert city.match == "online" and city.id == "osm:relation/3154746"
    assert "Nominatim" in city.coords_source
    query = parse_qs(urlparse(FakeAdapter.requests[0]).query)
    assert query["q"] == ["Kharkiv"] and query["countrycodes"] == ["ua"]


def test_the_same_query_is_answered_from_the_disk_cache(nominatim, tmp_path):
    nominatim.candidates("Kharkiv")
    again = CachedNominatim("geodata-tests/1.0", cache_path=tmp_path / "n.sqlite",
                            adapter_factory=FakeAdapter)
    assert again.candidates("Kharkiv")[0].name == "Kharkiv"
    assert len(FakeAdapter.requests) == 1


def test_requests_are_spaced_by_the_rate_limit(nominatim):
    started = time.monotonic()
    nominatim.candidates("Kharkiv")
    nominatim.candidates("Kyiv")
    nominatim.candidates("Kursk")
    assert len(FakeAdapter.requests) == 3
    assert time.monotonic() - started >= 2 * 0.3  # a lower bound: sleeps cannot be shorter


def test_no_network_gives_a_clear_error(nominatim):
    FakeAdapter.fail = True
    with pytest.raises(OnlineGeocoderError, match="unreachable .*No network.*offline backend"):
        nominatim.candidates("Kharkiv")


@pytest.mark.parametrize("agent", [None, "", "geopy/2.5"])
def test_an_identifying_user_agent_is_required(tmp_path, agent):
    with pytest.raises(OnlineGeocoderError, match="identifying user agent"):
        CachedNominatim(agent, cache_path=tmp_path / "n.sqlite", adapter_factory=FakeAdapter)


def test_country_must_be_an_iso_code(nominatim):
    from geodata.places.query import QueryError

    with pytest.raises(QueryError, match="alpha-2"):
        nominatim.candidates("Kharkiv", country="Ukraine")

"""What the geocoder answers, on names written here: variants, regions, sites,
relative phrases, countries, the known traps, and the geopy interface."""

import pytest
from geopy.distance import geodesic
from geopy.exc import GeocoderQueryError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geodata.places.candidate import haversine_km
from geodata.places.geocoder import GeoPrecision
from geodata.places.query import QueryError

KYIV, KHARKIV, KURSK = "geonames:703448", "geonames:706483", "geonames:538560"
POKROVSK_UA, ENGELS = "geonames:704422", "geonames:563464"
BLAGOVESHCHENSK_AMUR, BLAGOVESHCHENSK_BASHKORTOSTAN = "geonames:2026609", "geonames:576116"


def best(geocoder, query, **kwargs):
    found = geocoder.candidates(query, **kwargs)
    assert found, f"no candidate for {query!r}"
    return found[0]


@pytest.mark.parametrize("query, place_id", [
    ("Kharkiv", KHARKIV), ("Kharkov", KHARKIV), ("Харків", KHARKIV), ("Харьков", KHARKIV),
    ("KHARKIV", KHARKIV), ("kharkiv", KHARKIV), ("Charkiw", KHARKIV),
    ("Kyiv", KYIV), ("Kiev", KYIV), ("Київ", KYIV), ("Киев", KYIV),
    ("Kursk", KURSK), ("Курск", KURSK),
])
def test_spellings_scripts_and_case_find_the_same_city(geocoder, query, place_id):
    c = best(geocoder, query)
    assert c.id == place_id
    assert c.precision == GeoPrecision.TOWN


@pytest.mark.parametrize("variants", [
    ("Svyatohirs'k", "Sviatohirsk", "Svyatohirsk", "Святогірськ"),
    ("Kup'yans'k", "Kupiansk", "Kupyansk", "Куп'янськ"),
    ("Zaporizhzhia", "Zaporozhye", "Zaporizhzhya", "Запоріжжя"),
])
def test_transliteration_variants_and_apostrophes_agree(geocoder, variants):
    ids = {best(geocoder, v).id for v in variants}
    assert len(ids) == 1
    assert best(geocoder, variants[0]).country == "UA"


def test_misspelling_is_repaired_and_flagged(geocoder):
    c = best(geocoder, "Kurusk")
    assert c.id == KURSK
    assert c.match == "fuzzy"
    assert c.matched == "kursk"
    assert c.score < best(geocoder, "Kursk").score


@pytest.mark.parametrize("query", [
    "Kursk region", "Kursk oblast", "Kursk Oblast", "the Kursk region", "Kurskaya oblast'",
    "Kurskaya oblast", "Курская область", "Kursk Oblast, Russia",
])
def test_region_phrases_find_the_region_not_the_city(geocoder, query):
    c = best(geocoder, query)
    assert c.id == "region:RU-KRS"
    assert c.precision == GeoPrecision.REGION
    assert c.radius_km > 50
    assert c.admin1 == "Kursk Oblast"


@pytest.mark.parametrize("query, region", [
    ("Kharkiv Oblast, Ukraine", "region:UA-63"),
    ("Kharkov region", "region:UA-63"),
    ("Donetsk Oblast", "region:UA-14"),
    ("Zaporozhye Oblast", "region:UA-23"),
    ("Crimea", "region:UA-43"),
    ("Belgorod region", "region:RU-BEL"),
    ("Primorsky Krai", "region:RU-PRI"),
    ("North Hamgyong Province", "region:KP-09"),
    ("Kyiv Oblast", "region:UA-32"),
])
def test_regions_of_ukraine_russia_and_north_korea(geocoder, query, region):
    assert best(geocoder, query).id == region


def test_chukotka_centroid_is_on_the_right_side_of_the_antimeridian(geocoder):
    c = best(geocoder, "Chukotka")
    assert c.lon > 160 or c.lon < -170  # a naive mean of longitudes lands near 0°


def test_town_province_country_strings(geocoder):
    assert best(geocoder, "Pokrovsk, Donetsk Oblast, Ukraine").id == POKROVSK_UA
    russian = best(geocoder, "Pokrovsk, Russia")
    assert russian.country == "RU"
    c = best(geocoder, "Blagoveshchensk, Republic of Bashkortostan, Russia")
    assert c.id == BLAGOVESHCHENSK_BASHKORTOSTAN


def test_unknown_town_with_known_province_falls_back_to_the_province(geocoder):
    c = best(geocoder, "Nowhereville, Kursk region, Russia")
    assert c.id == "region:RU-KRS"
    assert c.match == "fallback"
    assert c.precision == GeoPrecision.REGION


@pytest.mark.parametrize("query, site", [
    ("Vostochny Cosmodrome", "site:vostochny-cosmodrome"),
    ("Vostochny spaceport", "site:vostochny-cosmodrome"),
    ("Vostochny port", "site:port-vostochny"),
    ("port of Vostochny", "site:port-vostochny"),
    ("Rajin port", "site:port-of-rajin"),
    ("port of Najin", "site:port-of-rajin"),
    ("Nampo port", "site:port-of-nampo"),
    ("Tumangang–Khasan rail crossing", "site:tumangang-khasan-rail-crossing"),
    ("Khasan-Tumangang rail bridge", "site:tumangang-khasan-rail-crossing"),
    ("Sohae", "site:sohae-satellite-launching-station"),
    ("Dunai", "site:dunai-naval-pier"),
])
def test_feature_words_find_sites(geocoder, gazetteer, query, site):
    assert gazetteer.row_of(site) is not None, f"{site} missing from sites.yaml"
    c = best(geocoder, query)
    assert c.id == site
    assert c.precision == GeoPrecision.TOWN


# -- the known traps ---------------------------------------------------------------

def test_trap_vostochny_is_the_cosmodrome_not_the_caucasus_village(geocoder):
    c = best(geocoder, "Vostochny")
    assert c.id == "site:vostochny-cosmodrome"
    assert c.admin1 == "Amur Oblast"


def test_trap_vostochny_near_nakhodka_is_the_port(geocoder):
    assert best(geocoder, "Vostochny", context=["Nakhodka"]).id == "site:port-vostochny"
    assert best(geocoder, "Vostochny", context=["port"]).id == "site:port-vostochny"
    assert best(geocoder, "Vostochny", context=["Tsiolkovsky"]).id == "site:vostochny-cosmodrome"


def test_trap_blagoveshchensk_is_amur_unless_context_says_bashkortostan(geocoder):
    assert best(geocoder, "Blagoveshchensk").id == BLAGOVESHCHENSK_AMUR
    assert best(geocoder, "Blagoveshchensk", context=["Vostochny Cosmodrome"]).id == BLAGOVESHCHENSK_AMUR
    assert best(geocoder, "Blagoveshchensk", context=["Ufa"]).id == BLAGOVESHCHENSK_BASHKORTOSTAN


def test_trap_pokrovsk_is_not_engels(geocoder):
    found = geocoder.candidates("Pokrovsk", limit=5)
    assert found[0].id == POKROVSK_UA
    assert found[0].match == "exact"
    engels = [c for c in found if c.id == ENGELS]
    assert not engels or engels[0].match == "alternate"  # a former name, ranked below
    assert best(geocoder, "Pokrovsk", country="RU").id != ENGELS


def test_trap_khasan_is_in_primorsky_not_india(geocoder):
    c = best(geocoder, "Khasan")
    assert c.country == "RU"
    assert c.admin1 == "Primorsky Krai"
    assert best(geocoder, "Хасан").country == "RU"


def test_country_hint_and_context_override_population(geocoder):
    assert best(geocoder, "Odessa").country == "UA"
    assert best(geocoder, "Odessa", country="US").country == "US"
    assert best(geocoder, "Donetsk", country="RU").country == "RU"
    assert best(geocoder, "Donetsk", context=["Rostov-on-Don", "Kamensk-Shakhtinsky"]).country == "RU"


# -- relative phrases: an area, never a false pin ----------------------------------

def test_north_of_kyiv_is_an_area_north_of_the_city(geocoder, gazetteer):
    kyiv = gazetteer.place(gazetteer.row_of(KYIV))
    c = best(geocoder, "north of Kyiv")
    assert c.precision == GeoPrecision.NEAR
    assert c.anchor == "Kyiv" and c.relation == "north of"
    assert c.lat > kyiv.lat + 0.1 and abs(c.lon - kyiv.lon) < 0.01
    assert c.radius_km >= 20


def test_distance_from_a_place_is_a_circle_of_that_radius(geocoder):
    c = best(geocoder, "200 km from Blagoveshchensk")
    assert c.precision == GeoPrecision.NEAR
    assert c.radius_km >= 200
    assert c.anchor == "Blagoveshchensk"


def test_distance_and_bearing_move_the_point(geocoder, gazetteer):
    kharkiv = gazetteer.place(gazetteer.row_of(KHARKIV))
    c = best(geocoder, "30 km south-east of Kharkiv")
    assert geodesic((kharkiv.lat, kharkiv.lon), (c.lat, c.lon)).km == pytest.approx(30, abs=0.5)
    assert c.lat < kharkiv.lat and c.lon > kharkiv.lon


def test_part_of_a_region_stays_region_precision(geocoder):
    c = best(geocoder, "northern Kharkiv Oblast")
    assert c.precision == GeoPrecision.REGION
    assert c.anchor == "Kharkiv Oblast"


# -- countries ---------------------------------------------------------------------

@pytest.mark.parametrize("query, code", [
    ("DPRK", "KP"), ("North Korea", "KP"), ("Democratic People's Republic of Korea", "KP"),
    ("Russian Federation", "RU"), ("Russia", "RU"), ("Ukraine", "UA"), ("ROK", "KR"),
    ("South Korea", "KR"), ("US", "US"), ("UKR", "UA"),
])
def test_countries_and_their_names(geocoder, query, code):
    c = best(geocoder, query)
    assert (c.country, c.precision) == (code, GeoPrecision.COUNTRY)


def test_a_country_is_not_pinned_on_its_capital(geocoder):
    for country, capital in (("North Korea", "Pyongyang"), ("Russia", "Moscow"), ("Ukraine", "Kyiv")):
        c, cap = best(geocoder, country), best(geocoder, capital)
        assert geodesic((c.lat, c.lon), (cap.lat, cap.lon)).km > 50


def test_country_code_accepts_codes_and_names(geocoder):
    assert geocoder.country_code("ua") == "UA"
    assert geocoder.country_code("UKR") == "UA"
    assert geocoder.country_code("Ukraine") == "UA"
    assert geocoder.country_code("DPRK") == "KP"
    with pytest.raises(QueryError, match="unknown country 'Narnia'"):
        geocoder.country_code("Narnia")


@pytest.mark.parametrize("query, region, country", [
    ("Texas", "Texas", "US"), ("Florida", "Florida", "US"), ("Virginia", "Virginia", "US"),
    ("Ontario", "Ontario", "CA"), ("Sichuan", "Sichuan", "CN"), ("Bavaria", "Bavaria", "DE"),
    ("Delaware", "Delaware", "US"), ("Michigan", "Michigan", "US"), ("Colorado", "Colorado", "US"),
    ("Montana", "Montana", "US"),
])
def test_first_level_regions_worldwide_are_areas_not_namesake_towns(geocoder, query, region, country):
    """A state or province outside the curated countries is its region (an area), not a
    small town of that name in another country (Florida, Cuba; Virginia, South Africa)."""
    c = best(geocoder, query)
    assert (c.name, c.country, c.precision) == (region, country, GeoPrecision.REGION)
    assert c.radius_km > 50


def test_a_country_or_a_city_named_like_a_region_comes_before_it(geocoder):
    assert best(geocoder, "Mexico").precision == GeoPrecision.COUNTRY
    washington = best(geocoder, "Washington")
    assert (washington.country, washington.precision) == ("US", GeoPrecision.TOWN)
    assert washington.admin1 == "District of Columbia"


def test_a_country_level_answer_sits_at_the_countrys_centre_not_its_densest_part(geocoder):
    """Canada's towns line its southern border; its centre lies far north of them."""
    canada = best(geocoder, "Canada")
    assert canada.precision == GeoPrecision.COUNTRY and canada.lat >= 55
    assert "countryinfo" in canada.coords_source


def test_a_region_named_alike_in_two_countries_is_ambiguous_unless_one_is_stated(geocoder):
    punjab = best(geocoder, "Punjab")
    assert punjab.status == "ambiguous" and punjab.precision == GeoPrecision.COUNTRY
    assert {(a.name, a.country) for a in punjab.alternatives} == {("Punjab", "IN"), ("Punjab", "PK")}
    stated = best(geocoder, "Punjab, Pakistan")
    assert (stated.country, stated.status, stated.precision) == ("PK", "ok", GeoPrecision.REGION)


def test_an_ambiguous_answer_across_countries_is_an_area_holding_both_not_one_country(geocoder):
    """Neither India nor Pakistan holds both Punjabs: the area is drawn around them."""
    punjab = best(geocoder, "Punjab")
    assert set(punjab.name.split(" or ")) == {"India", "Pakistan"} and punjab.id.startswith("area:")
    for alternative in punjab.alternatives:
        assert haversine_km(punjab.lat, punjab.lon, alternative.lat, alternative.lon) < punjab.radius_km


@pytest.mark.parametrize("query, country, admin1", [
    ("Laurel County", "US", "Kentucky"), ("Jefferson Parish", "US", "Louisiana"),
    ("Bakhmut Raion", "UA", "Donetsk Oblast"), ("Dorset", "GB", "England"),
])
def test_second_level_divisions_are_areas(geocoder, query, country, admin1):
    """Counties, parishes and raions (GeoNames' second level) answer as areas of at least
    a county's size, inside their province."""
    c = best(geocoder, query)
    assert (c.name, c.country, c.admin1, c.precision, c.status) == (query, country, admin1, GeoPrecision.REGION, "ok")
    assert c.radius_km >= 20


@pytest.mark.parametrize("query, raion", [
    ("Kramatorsk district", "Kramatorskyi Raion"), ("Bakhmut district", "Bakhmut Raion"),
    ("Pokrovsk district, Donetsk Oblast", "Pokrovsk Raion"), ("Korenevo district", "Korenevskiy Rayon"),
])
def test_a_raion_is_found_by_the_name_news_gives_it(geocoder, query, raion):
    """English news calls "Kramatorskyi Raion" "the Kramatorsk district": that is the
    raion, an area, not the town (a point up to 50 km from the district's land)."""
    c = best(geocoder, query)
    assert (c.name, c.precision, c.status) == (raion, GeoPrecision.REGION, "ok")
    assert c.id.startswith("admin2:") and c.radius_km >= 20


def test_a_district_the_gazetteer_lacks_is_an_area_around_its_town_not_the_town(geocoder):
    """"Sudzha district": no such raion in the gazetteer, so the answer is around Sudzha,
    as wide as a district, never the town's own few kilometres."""
    c = best(geocoder, "Sudzha district")
    assert (c.name, c.precision) == ("Sudzha", GeoPrecision.NEAR)
    assert c.radius_km >= 50


def test_a_county_name_shared_by_many_states_is_ambiguous_unless_the_state_is_stated(geocoder):
    jackson = best(geocoder, "Jackson County")
    assert jackson.status == "ambiguous" and jackson.precision == GeoPrecision.COUNTRY
    assert len({a.admin1 for a in jackson.alternatives}) >= 2
    stated = best(geocoder, "Jackson County, Missouri")
    assert (stated.admin1, stated.status, stated.precision) == ("Missouri", "ok", GeoPrecision.REGION)


def test_a_district_named_like_a_town_of_its_country_is_that_town(geocoder):
    """Many districts bear their main town's name (Ajmer, Gdansk): the name is the town."""
    for query in ("Ajmer", "Gdansk", "Kyiv"):
        assert best(geocoder, query).precision == GeoPrecision.TOWN
    assert best(geocoder, "Boone County, Indiana").precision == GeoPrecision.REGION


def test_a_region_named_by_a_common_word_is_no_place(geocoder):
    for word in ("Northern", "Eastern", "South"):
        assert [c for c in geocoder.candidates(word) if c.precision == GeoPrecision.REGION] == []


@pytest.mark.parametrize("query, code", [
    ("East Timor", "TL"), ("Swaziland", "SZ"), ("Cape Verde", "CV"), ("Palestine", "PS"),
    ("DR Congo", "CD"), ("Holland", "NL"), ("Burma", "MM"), ("Czechia", "CZ"),
])
def test_a_country_is_found_by_the_names_atlases_give_it(geocoder, query, code):
    """GeoNames gives one name per country; news often uses another ("Cape Verde" had
    been Camp Verde, Arizona; "Palestine" a town in Texas)."""
    c = best(geocoder, query)
    assert (c.country, c.precision) == (code, GeoPrecision.COUNTRY)


def test_a_country_named_with_its_article_is_found_without_it(geocoder):
    for query in ("Netherlands", "the Netherlands", "Gambia", "Bahamas"):
        assert best(geocoder, query).precision == GeoPrecision.COUNTRY
    assert best(geocoder, "Netherlands").country == "NL"


def test_a_region_yields_only_to_a_town_called_so_today(geocoder):
    """Montana City (once "Montana") does not make the state yield to Bulgaria's town;
    with Bulgaria stated, the town it is."""
    montana = best(geocoder, "Montana, Bulgaria")
    assert (montana.country, montana.precision) == ("BG", GeoPrecision.TOWN)


def test_a_province_is_repaired_worldwide_only_towards_curated_regions(geocoder):
    """'Atlantis Oblast' is no misspelling of Colombia's Atlántico; with the country
    stated, that country's regions may be repaired towards."""
    with pytest.raises(QueryError, match="unknown province"):
        geocoder.candidates("Pokrovsk", admin1="Atlantis Oblast")
    c = best(geocoder, "Austin, Texsa, USA")
    assert (c.name, c.country, c.admin1, c.precision) == ("Austin", "US", "Texas", GeoPrecision.TOWN)


def test_a_continent_is_no_namesake_town(geocoder):
    """'Africa' alone is no village in Puebla; stated inside Mexico, the village it is."""
    assert geocoder.candidates("Africa") == [] and geocoder.candidates("South America") == []
    assert best(geocoder, "Africa, Mexico").country == "MX"


# -- unknown names -----------------------------------------------------------------

@pytest.mark.parametrize("query", ["Xyzzyville", "Blorp", "Qwzxvk Oblast", "north of Xyzzyville"])
def test_unknown_names_give_no_result(geocoder, query):
    assert geocoder.candidates(query) == []


def test_candidates_carry_what_a_user_needs_to_judge_them(geocoder):
    c = best(geocoder, "Kursk region")
    data = c.as_dict()
    for key in ("query", "name", "lat", "lon", "country", "admin1", "precision", "score",
                "radius_km", "match", "id", "coords_source"):
        assert key in data
    assert data["coords_source"].startswith("derived: centre of the land its")
    site = best(geocoder, "Vostochny Cosmodrome")
    assert site.coords_source and not site.coords_source.startswith("derived")


def test_a_region_sits_in_the_middle_of_its_land_not_of_its_towns(geocoder):
    """Queensland's towns crowd its east coast; its point is its middle, where atlases
    put it (about 22 S 144 E), not their mean near Brisbane 800 km away."""
    from geopy.distance import great_circle

    q = best(geocoder, "Queensland")
    assert great_circle((q.lat, q.lon), (-22.0, 144.0)).km < 200
    assert q.radius_km >= great_circle((q.lat, q.lon), (-27.47, 153.03)).km  # Brisbane inside


def test_the_united_states_sits_at_the_middle_of_its_contiguous_states(geocoder):
    us = best(geocoder, "United States")
    assert (round(us.lat), round(us.lon)) == (40, -99) and "Lebanon, Kansas" in us.coords_source


def test_ranking_is_deterministic(geocoder):
    first = [c.id for c in geocoder.candidates("Pokrovsk", limit=5)]
    assert all([c.id for c in geocoder.candidates("Pokrovsk", limit=5)] == first for _ in range(3))


# -- geopy interface ---------------------------------------------------------------

def test_geopy_geocoder_interface(geocoder):
    assert isinstance(geocoder, Geocoder)
    location = geocoder.geocode("Kharkiv")
    assert isinstance(location, Location)
    assert location.latitude == pytest.approx(49.98, abs=0.01)
    assert "Kharkiv Oblast" in location.address and "Ukraine" in location.address
    assert location.raw["precision"] == 1
    several = geocoder.geocode("Pokrovsk", exactly_one=False)
    assert isinstance(several, list) and len(several) >= 2
    assert geocoder.geocode("Xyzzyville") is None
    assert geocoder.geocode({"city": "Pokrovsk", "country": "Ukraine"}).raw["id"] == POKROVSK_UA
    with pytest.raises(GeocoderQueryError, match="empty"):
        geocoder.geocode("")


def test_geopy_reverse_finds_the_nearest_place(geocoder):
    location = geocoder.reverse((50.4501, 30.5234))
    assert location.raw["id"] == KYIV
    assert location.raw["distance_km"] < 5


def test_composes_with_geopys_rate_limiter(geocoder):
    geocode = RateLimiter(geocoder.geocode, min_delay_seconds=0)
    assert geocode("Kursk").raw["id"] == KURSK


def test_offline_path_opens_no_socket(geocoder, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("the offline geocoder tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert geocoder.geocode("Kursk").raw["id"] == KURSK


def test_a_state_abbreviated_as_news_writes_it_bounds_the_town(geocoder):
    for query, state in [("Columbia, S.C.", "South Carolina"), ("Springfield, Ill.", "Illinois"),
                         ("Washington, D.C.", "District of Columbia")]:
        c = best(geocoder, query)
        assert (c.admin1, c.precision, c.status) == (state, GeoPrecision.TOWN, "ok")


def test_a_name_that_opens_with_a_compass_word_is_a_name_not_a_part_of_one(geocoder):
    """"Western Sahara" is a country, not the western part of a Sahara; "northern Kharkiv
    Oblast" is still a part of the oblast."""
    assert best(geocoder, "Western Sahara").country == "EH"
    assert best(geocoder, "Northern Mariana Islands").country == "MP"
    part = best(geocoder, "northern Kharkiv Oblast")
    assert part.relation is not None and part.precision == GeoPrecision.REGION


"""A stated country or province bounds the answer; unsure answers say so.

The rows are the failures seen on real data (town, province, country strings): each
answer must stay inside what the row states, or fall back to the stated unit."""

import pytest

from geodata.places.geocoder import GeoPrecision
from geodata.places.query import QueryError


def answer(geocoder, query, **kwargs):
    found = geocoder.candidates(query, limit=3, **kwargs)
    assert found, f"no answer for {query!r}"
    return found[0]


@pytest.mark.parametrize("query, region", [
    ("Murom, Belgorod Oblast, Russia", "Belgorod Oblast"),
    ("Golovino, Belgorod Oblast, Russia", "Belgorod Oblast"),
    ("Novoselivka, Chernihiv Oblast, Ukraine", "Chernihiv Oblast"),
    ("Dovhe, Luhansk Oblast, Ukraine", "Luhansk Oblast"),
    ("Kritovo, Krasnoyarsk Krai, Russia", "Krasnoyarsk Krai"),
    ("Zorino, Kursk, Russia", "Kursk Oblast"),
    ("Zolotaryovo, Oryol, Russia", "Oryol Oblast"),
])
def test_an_answer_never_leaves_the_stated_province(geocoder, query, region):
    c = answer(geocoder, query)
    assert c.admin1 == region
    if c.status == "ok":  # a town, or a village known to its hromada (an area inside the province)
        assert c.precision in (GeoPrecision.TOWN, GeoPrecision.NEAR)
    elif c.status == "ambiguous":  # several villages of the name in the province: the province
        assert c.precision == GeoPrecision.REGION and all(a.admin1 == region for a in c.alternatives)
    else:  # no such town inside: the province itself, said to be a fallback
        assert c.status == "fallback" and c.match == "fallback"
        assert c.precision == GeoPrecision.REGION and c.radius_km > 20
        assert c.query == query  # the unmatched town stays in the answer


@pytest.mark.parametrize("province, region", [
    ("Belogrod", "Belgorod Oblast"), ("Kurks Oblast", "Kursk Oblast"),
    ("Zaporizhia", "Zaporizhzhia Oblast"), ("Dagastan", "Republic of Dagestan"),
    ("Mahilyow", "Mogilev Region"), ("Oblast Donetsk", "Donetsk Oblast"),
    ("Donestk oblast", "Donetsk Oblast"),
])
def test_a_misspelled_province_is_repaired_like_a_town(geocoder, province, region):
    c = answer(geocoder, f"Nowhereville, {province}")
    assert (c.name, c.status) == (region, "fallback")


def test_a_misspelled_province_still_bounds_the_town(geocoder):
    c = answer(geocoder, "Veselaya Lopan, Belogrod, Russia")
    assert c.admin1 == "Belgorod Oblast"  # not the centre of Russia


@pytest.mark.parametrize("query, city", [
    ("Kyiv, Kyiv Oblast, Ukraine", "geonames:703448"),
    ("Kyiv, Ukraine", "geonames:703448"),
    ("Oryol, Oryol, Russia", "geonames:515012"),
])
def test_the_most_specific_part_wins(geocoder, query, city):
    c = answer(geocoder, query)
    assert c.id == city and c.precision == GeoPrecision.TOWN


def test_country_and_province_arguments_are_constraints(geocoder):
    assert answer(geocoder, "Kharkiv", country="UA").country == "UA"
    moved = answer(geocoder, "Kharkiv", country="RU")  # no Kharkiv in Russia: not the Ukrainian one
    assert (moved.country, moved.status, moved.precision) == ("RU", "fallback", GeoPrecision.COUNTRY)
    inside = answer(geocoder, "Pokrovsk", admin1="Donetsk Oblast")
    assert inside.admin1 == "Donetsk Oblast" and inside.id == "geonames:704422"
    with pytest.raises(QueryError, match="unknown province"):
        geocoder.candidates("Pokrovsk", admin1="Atlantis Oblast", country="UA")


def test_namesakes_far_apart_inside_the_province_are_ambiguous_not_a_pin(geocoder):
    found = geocoder.candidates("Ivanivka, Kherson Oblast, Ukraine", limit=4)
    first = found[0]
    assert first.status == "ambiguous"
    assert first.precision == GeoPrecision.REGION and first.name == "Kherson Oblast"
    assert len(first.alternatives) >= 2
    assert {a.admin1 for a in first.alternatives} == {"Kherson Oblast"}
    assert all(c.status == "alternative" for c in found[1:])


def test_a_clear_winner_is_still_a_pin(geocoder):
    for query in ("Blagoveshchensk", "Pokrovsk", "Kharkiv", "Vostochny"):
        assert answer(geocoder, query).status == "ok"


@pytest.mark.parametrize("word", ["Lavrov", "Region", "I'm", "CSIS", "AIS", "TASS", "IMO",
                                  "UNN", "RUSI"])
def test_words_and_acronyms_are_not_repaired_into_places(geocoder, word):
    assert geocoder.candidates(word, limit=1) == []


def test_repair_still_works_for_real_misspellings_and_datelines(geocoder):
    assert answer(geocoder, "Kurusk").id == "geonames:538560"
    assert answer(geocoder, "KYIV").id == "geonames:703448"
    assert answer(geocoder, "ZAPORIZHZHIA").country == "UA"


def test_a_district_hint_bounds_the_fallback_to_an_area_around_its_town(geocoder):
    c = answer(geocoder, "Zheleznodorozhny Rayon, Rostov-on-Don, Russia")
    assert c.status == "fallback" and c.precision == GeoPrecision.NEAR
    assert c.name == "Rostov-on-Don" and c.radius_km >= 30


def test_geocode_csv_rows_say_when_they_are_areas_not_pins(cli, tmp_path):
    src = tmp_path / "places.csv"
    src.write_text("id,town,province,country\n"
                   "1,Kharkiv,Kharkiv Oblast,Ukraine\n"
                   "2,Murom,Belgorod Oblast,Russia\n"
                   "3,Ivanivka,Kherson Oblast,Ukraine\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    done = cli("geocode-csv", str(src), str(out), "--columns", "town,province,country",
               "--limit", "1", "--no-progress")
    assert done.returncode == 0, done.stderr
    import csv

    rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert (rows["1"]["geo_status"], rows["1"]["geo_precision"]) == ("ok", "1")
    assert (rows["2"]["geo_status"], rows["2"]["geo_name"]) == ("fallback", "Belgorod Oblast")
    assert rows["2"]["town"] == "Murom"  # the unmatched town stays in the row
    assert (rows["3"]["geo_status"], rows["3"]["geo_precision"]) == ("ambiguous", "3")
    listed, more = rows["3"]["geo_alternatives"].split("; ")
    assert listed.startswith("Ivanivka (Kherson Oblast, UA) ")
    assert more.startswith("and ") and more.endswith(" more")  # beyond --limit: counted, not hidden
    assert "areas rather than pins: 1 ambiguous, 1 fallback" in done.stderr


def test_geocode_admin1_option_bounds_the_answer(cli):
    inside = cli("geocode", "Pokrovsk", "--admin1", "Donetsk Oblast", "--json")
    assert inside.returncode == 0 and '"geonames:704422"' in inside.stdout
    outside = cli("geocode", "Murom", "--admin1", "Belgorod Oblast", "--country", "RU")
    assert outside.returncode == 0 and "Belgorod Oblast" in outside.stdout
    assert "fallback" in outside.stdout and "not a pin" in outside.stderr
    unknown = cli("geocode", "Pokrovsk", "--admin1", "Atlantis Oblast")
    assert unknown.returncode == 2 and "unknown province" in unknown.stderr
    assert "Traceback" not in unknown.stderr

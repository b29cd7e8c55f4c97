"""Denser places where the user has them: `index --add` builds a GeoNames country dump or a
CSV of places into the index, under the same constraints as every other place."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def geonames_line(gid, name, alternates, lat, lon, feature_class, country, admin1, population,
                  code="PPL"):
    """One line of a GeoNames dump: 19 tab-separated fields."""
    return "\t".join([str(gid), name, name, alternates, str(lat), str(lon), feature_class, code,
                      country, "", admin1, "", "", "", str(population), "", "150",
                      "Europe/Moscow", "2024-01-01"]) + "\n"


def run(cache: Path, *args):
    env = {**os.environ, "GEODATA_CACHE": str(cache)}
    return subprocess.run([sys.executable, "-m", "geodata", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def cache_with_added_places(tmp_path_factory):
    cache = tmp_path_factory.mktemp("added-cache")
    folder = tmp_path_factory.mktemp("added-input")
    dump = folder / "RU.txt"  # two invented villages of Belgorod Oblast (GeoNames admin1 09)
    dump.write_text(geonames_line(990000001, "Zyablikovo", "Zyablikovo,Зябликово", 50.61, 36.92,
                                  "P", "RU", "09", 0)
                    + geonames_line(990000002, "Zyablikovo Brook", "", 50.70, 36.80, "H", "RU", "09", 0),
                    encoding="utf-8")
    # a section of Moscow (PPLX) and a village of the federal city (GeoNames admin1 48),
    # both beyond the city's own extent and inside that of Moscow Oblast around it
    city = folder / "CITY.txt"
    city.write_text(geonames_line(990000003, "Zyablikovsky Kvartal", "", 56.12, 37.62, "P", "RU",
                                  "48", 0, code="PPLX")
                    + geonames_line(990000004, "Zyablikovsky Posyolok", "", 56.12, 37.70, "P", "RU",
                                    "48", 0), encoding="utf-8")
    places = folder / "mine.csv"
    places.write_text("name,lat,lon,country,admin1\nKhutir Vyshnevyi,49.91,36.70,UA,Kharkiv Oblast\n"
                      "Zyablik Creek,31.10,-97.70,US,Texas\n", encoding="utf-8")
    # a village of Zaporizhzhia Oblast (GeoNames admin1 26) that cities500 lacks and Ukraine's
    # codifier places at its hromada only: the dump's point makes it a pin
    ukraine = folder / "UA.txt"
    ukraine.write_text(geonames_line(990000005, "Robotyne", "Rabotino,Роботине", 47.448, 35.838, "P", "UA",
                                     "26", 0), encoding="utf-8")
    done = run(cache, "index", "--add", str(dump), "--add", str(city), "--add", str(places),
               "--add", str(ukraine))
    assert done.returncode == 0, done.stderr
    return cache, done


def test_a_geonames_dump_adds_its_villages_inside_their_province(cache_with_added_places):
    cache, done = cache_with_added_places
    assert "added 1 populated places from" in done.stderr  # the stream (class H) is not a place
    found = run(cache, "geocode", "Zyablikovo, Belgorod Oblast, Russia", "--json")
    assert found.returncode == 0, found.stderr
    answer = json.loads(found.stdout)
    assert (answer["id"], answer["admin1"], answer["precision"], answer["status"]) == (
        "geonames:990000001", "Belgorod Oblast", 1, "ok")
    # the same constraints hold: outside the province it is not an answer
    elsewhere = json.loads(run(cache, "geocode", "Zyablikovo, Kursk Oblast, Russia", "--json").stdout)
    assert elsewhere["status"] == "fallback" and elsewhere["name"] == "Kursk Oblast"


def test_a_dumps_village_replaces_the_codifiers_area(cache_with_added_places):
    cache, _ = cache_with_added_places
    answer = json.loads(run(cache, "geocode", "Robotyne, Zaporizhzhia Oblast, Ukraine", "--json").stdout)
    assert (answer["id"], answer["precision"], answer["status"]) == ("geonames:990000005", 1, "ok")


def test_a_csv_of_places_is_added_with_its_province(cache_with_added_places):
    cache, done = cache_with_added_places
    answer = json.loads(run(cache, "geocode", "Khutir Vyshnevyi", "--country", "UA", "--json").stdout)
    assert answer["admin1"] == "Kharkiv Oblast" and (answer["lat"], answer["lon"]) == (49.91, 36.7)
    # another country's province, named as GeoNames names it, bounds its places the same way
    texan = json.loads(run(cache, "geocode", "Zyablik Creek, Texas, USA", "--json").stdout)
    assert (texan["admin1"], texan["precision"], texan["status"]) == ("Texas", 1, "ok")


def test_bad_files_are_refused_naming_the_line_and_nothing_is_added(tmp_path):
    cache = tmp_path / "cache"
    bad_dump = tmp_path / "UA.txt"
    bad_dump.write_text(geonames_line(1, "Ok", "", 50, 30, "P", "UA", "13", 10)
                        + geonames_line(2, "Bad", "", 91.5, 30, "P", "UA", "13", 10), encoding="utf-8")
    done = run(cache, "index", "--add", str(bad_dump))
    assert done.returncode == 2 and "UA.txt, line 2: latitude 91.5 is outside" in done.stderr
    bad_csv = tmp_path / "mine.csv"
    bad_csv.write_text("name,lat,lon,country,admin1\nX,50,30,UA,Atlantis Oblast\n", encoding="utf-8")
    done = run(cache, "index", "--add", str(bad_csv))
    assert done.returncode == 2 and "line 2: admin1 'Atlantis Oblast' is not a province" in done.stderr
    assert not (cache / "added").exists() or not any((cache / "added").iterdir())
    assert "Traceback" not in done.stderr


def test_an_added_file_can_be_taken_out_again(tmp_path):
    from geodata.places import added
    from geodata.places.build import province_codes

    source = tmp_path / "mine.csv"
    source.write_text("name,lat,lon,country\nSelo,50,30,UA\n", encoding="utf-8")
    target, count = added.add(source, tmp_path / "cache", province_codes())
    assert count == 1 and added.added_files(tmp_path / "cache") == [target]
    with pytest.raises(added.AddedPlacesError, match="no added file named 'other.csv'"):
        added.remove("other.csv", tmp_path / "cache")
    added.remove("mine.csv", tmp_path / "cache")
    assert added.added_files(tmp_path / "cache") == []


def test_a_section_of_a_city_does_not_answer_for_the_province_around_the_city(cache_with_added_places):
    # GeoNames marks a neighbourhood PPLX: it is part of its city (a city region), so
    # "X, Moscow Oblast" is not that neighbourhood however near; a village of the city
    # region beyond the city still answers for the province around it
    cache, _ = cache_with_added_places
    def geocode(query):
        return json.loads(run(cache, "geocode", query, "--json").stdout)
    section = geocode("Zyablikovsky Kvartal, Moscow Oblast, Russia")
    assert (section["status"], section["name"]) == ("fallback", "Moscow Oblast")
    assert geocode("Zyablikovsky Kvartal, Moscow, Russia")["id"] == "geonames:990000003"
    village = geocode("Zyablikovsky Posyolok, Moscow Oblast, Russia")
    assert (village["id"], village["status"]) == ("geonames:990000004", "ok")

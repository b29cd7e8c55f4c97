"""Any CSV or GeoJSON through a column mapping, and named profiles."""

from __future__ import annotations

import json

import pytest

from geodata.io import profiles
from geodata.io.datasets import import_dataset
from geodata.io.readers.common import DatasetFileError
from geodata.io.readers.mapped import MappedReader
from tests.io.acled_fixture import empty_store  # noqa: F401

CSV = ("ref,when,what,where,province,nation,y,x,weapon,dead,url\n"
       "s1,03.02.2024,strike,Kharkiv,,UA,49.99,36.23,Iskander-M/KN-23,3,https://example.org/s1\n"
       "s2,2024-02,Strike,Kyiv,,UA,,,,,\n")


def test_a_mapped_csv_is_imported_with_kinds_dates_systems_and_places(empty_store, tmp_path, geocoder):
    path = tmp_path / "mine.csv"
    path.write_text(CSV, encoding="utf-8")
    columns = profiles.parse_map("id=ref,date=when,kind=what,place=where,admin1=province,"
                                 "country=nation,lat=y,lon=x,system=weapon,killed=dead,link=url")
    reader = MappedReader(profiles.build(columns), "mine")
    summary = import_dataset(empty_store, path, reader, geocoder=geocoder)
    assert summary.kinds == {"strike": 2}
    one = empty_store.event("mapped-mine-s1")
    assert one.date_start.isoformat() == "2024-02-03" and one.possible_systems == ["iskander-m", "kn-23"]
    assert (one.place.lat, one.place.geo_precision, one.casualties.killed) == (49.99, 1, 3)
    two = empty_store.event("mapped-mine-s2")
    assert two.date_precision == "month" and two.place.country == "UA" and two.place.lat is not None
    assert import_dataset(empty_store, path, reader, geocoder=geocoder).unchanged == 2


def test_a_mapped_geojson_reads_point_geometry(empty_store, tmp_path, geocoder):
    path = tmp_path / "points.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.23, 49.99]},
         "properties": {"Name": "Invented strike", "Date": "01/02/24x", "id": 7}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30.5, 50.45]},
         "properties": {"Name": "Invented strike 2", "Date": "2024-02-01", "id": 8}},
    ]}))
    reader = MappedReader(profiles.build({"title": "Name", "date": "Date", "id": "id"},
                                         kind="strike"), "pts")
    summary = import_dataset(empty_store, path, reader, geocoder=geocoder, dry_run=True)
    assert summary.events == 1 and summary.rejected == 1
    assert "row 1 (7): date: '01/02/24x' is not a date" in summary.reasons[0]


def test_a_mapping_naming_a_missing_column_is_one_line(empty_store, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(CSV, encoding="utf-8")
    reader = MappedReader(profiles.build({"date": "event_date", "place": "where"}, kind="strike"))
    with pytest.raises(DatasetFileError, match="missing column.*event_date"):
        import_dataset(empty_store, path, reader)


@pytest.mark.parametrize("spec, message", [
    ("date=when,colour=red", "unknown target field 'colour'"),
    ("date", "write TARGET=COLUMN"),
    ("date=", "write TARGET=COLUMN"),
    ("date=a,date=b", "date is mapped twice"),
    ("", "empty mapping"),
])
def test_bad_map_specs_are_one_line(spec, message):
    with pytest.raises(profiles.ProfileError, match=message):
        profiles.parse_map(spec)


def test_a_mapping_needs_a_date_and_both_coordinates():
    with pytest.raises(profiles.ProfileError, match="map a date"):
        profiles.build({"place": "where"})
    with pytest.raises(profiles.ProfileError, match="map both lat and lon"):
        profiles.build({"date": "when", "lat": "y"})


def test_profiles_are_saved_loaded_and_validated(tmp_path, monkeypatch):
    monkeypatch.setenv("GEODATA_PROFILES", str(tmp_path / "profiles"))
    saved = profiles.build({"date": "when", "place": "where"}, kind="strike", date_order="mdy")
    path = profiles.save("my-strikes", saved)
    assert path == tmp_path / "profiles" / "my-strikes.yaml"
    assert profiles.load("my-strikes") == saved
    path.write_text("columns: {date: when, colour: red}\n")
    with pytest.raises(profiles.ProfileError, match="my-strikes.*unknown target field"):
        profiles.load("my-strikes")
    path.write_text("columns: [\n")
    with pytest.raises(profiles.ProfileError, match="cannot read"):
        profiles.load("my-strikes")
    with pytest.raises(profiles.ProfileError, match="no profile 'other'"):
        profiles.load("other")
    with pytest.raises(profiles.ProfileError, match="profile name '../x'"):
        profiles.load("../x")


def test_profiles_default_to_the_xdg_config_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("GEODATA_PROFILES", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert profiles.profile_path("x") == tmp_path / "cfg" / "geodata" / "profiles" / "x.yaml"

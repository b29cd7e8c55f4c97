"""The on-disk index: built once, reused, rebuilt when an input changes, never left
half-written; and the curated supplement validated entry by entry."""

from pathlib import Path

import pytest
import yaml

from geodata.places import build, cache, sources
from geodata.places.gazetteer import Gazetteer
from geodata.places.sources import NameRank, PlaceRecord, SupplementError

REGION = {"id": "RU-KRS", "name": "Kursk Oblast", "country": "RU", "admin1": "41",
          "type": "oblast", "capital": 1, "names": ["Kursk region"]}
SITE = {"id": "test-port", "name": "Test Port", "type": "port", "country": "RU",
        "region": "RU-KRS", "lat": 51.7, "lon": 36.2, "radius_km": 2,
        "names": ["Testport"], "coords_source": "written by this test"}
COUNTRY = {"code": "RU", "name": "Russia", "names": ["Russian Federation"], "lat": 61.5,
           "lon": 105.3, "radius_km": 2300, "coords_source": "written by this test"}


def _place(gid, name, lat, lon, country="RU", admin1="41", population=1000, alternates=()):
    return PlaceRecord(id=f"geonames:{gid}", name=name, kind="place", type="populated_place",
                       country=country, admin1=admin1, lat=lat, lon=lon, population=population,
                       coords_source="GeoNames",
                       names=[(name, NameRank.PRIMARY)] + [(a, NameRank.ALTERNATE) for a in alternates])


@pytest.fixture
def tiny_inputs(tmp_path, monkeypatch):
    """A three-place GeoNames and a one-entry-each supplement, so builds take no time."""
    data = tmp_path / "data"
    data.mkdir()
    write = lambda name, entries: (data / name).write_text(yaml.safe_dump(entries, allow_unicode=True))  # noqa: E731
    write("regions.yaml", [REGION])
    write("sites.yaml", [SITE])
    write("countries.yaml", [COUNTRY])
    places = [
        _place(1, "Kursk", 51.73, 36.19, population=448733, alternates=["Курск"]),
        _place(2, "Zheleznogorsk", 52.34, 35.35),
        _place(3, "Anadyr", 64.73, 177.51, admin1="15"),
        _place(4, "Uelen", 66.16, -169.81, admin1="15"),
    ]
    monkeypatch.setattr(sources, "DATA_DIR", data)
    monkeypatch.setattr(build, "geonames_records", lambda: iter(places))
    monkeypatch.setattr(build, "geonames_countries",
                        lambda: {"RU": {"name": "Russia", "iso3": "RUS", "areakm2": 17100000}})
    monkeypatch.setattr(sources, "input_files", lambda: sorted(data.iterdir()))
    return data, write


def test_index_is_built_once_then_reused(tiny_inputs, tmp_path, monkeypatch):
    calls = []
    real_build = build.build_index
    monkeypatch.setattr(build, "build_index", lambda folder, **kw: calls.append(folder) or real_build(folder, **kw))
    first = cache.index_folder(tmp_path / "cache")
    second = cache.index_folder(tmp_path / "cache")
    assert first == second and len(calls) == 1
    gazetteer = Gazetteer(first)
    hits = {gazetteer.ids[h.row]: h.rank for h in gazetteer.exact("Курск")}
    assert hits == {"geonames:1": NameRank.PRIMARY, "region:RU-KRS": NameRank.BASE}  # same key as "Kursk"


def test_index_is_rebuilt_when_an_input_changes(tiny_inputs, tmp_path):
    data, write = tiny_inputs
    first = cache.index_folder(tmp_path / "cache")
    write("sites.yaml", [dict(SITE, names=["Testport", "New Name"])])
    second = cache.index_folder(tmp_path / "cache")
    assert second != first
    assert not first.exists(), "the stale index should be removed"
    assert Gazetteer(second).exact("New Name")


def test_a_failed_build_leaves_no_index_behind(tiny_inputs, tmp_path, monkeypatch):
    def crash(folder: Path, **_):
        (folder / "lat.npy").write_bytes(b"partial")
        raise RuntimeError("disk full")

    monkeypatch.setattr(build, "build_index", crash)
    with pytest.raises(RuntimeError):
        cache.index_folder(tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_region_points_are_derived_from_their_places_and_say_so(tiny_inputs, tmp_path):
    data, write = tiny_inputs
    chukotka = {"id": "RU-CHU", "name": "Chukotka Autonomous Okrug", "country": "RU",
                "admin1": "15", "type": "autonomous_okrug", "names": ["Chukotka"]}
    write("regions.yaml", [REGION, chukotka])
    gazetteer = Gazetteer(cache.index_folder(tmp_path / "cache"))
    place = gazetteer.place(gazetteer.row_of("region:RU-CHU"))
    assert place.lon > 170 or place.lon < -170  # both sides of the antimeridian
    assert place.coords_source.startswith("derived: centre of the land its 2 GeoNames places")
    kursk_town = gazetteer.place(gazetteer.row_of("geonames:1"))
    assert kursk_town.admin1 == "Kursk Oblast"


@pytest.mark.parametrize("file, entry, message", [
    ("sites.yaml", dict(SITE, lat=123), r"sites.yaml: entry 1 \(test-port\): lat: .*less than or equal to 90"),
    ("sites.yaml", {k: v for k, v in SITE.items() if k != "coords_source"}, r"entry 1 \(test-port\): coords_source: Field required"),
    ("sites.yaml", dict(SITE, type="volcano"), r"entry 1 \(test-port\): type: "),
    ("regions.yaml", dict(REGION, coords=[51, 36]), r"regions.yaml: entry 1 \(RU-KRS\): .*coords_source"),
    ("regions.yaml", dict(REGION, admin1="99"), r"RU-KRS: no GeoNames place has admin1 code RU.99"),
    ("countries.yaml", dict(COUNTRY, code="Russia"), r"countries.yaml: entry 1 \(Russia\): code:"),
    ("countries.yaml", {k: v for k, v in COUNTRY.items() if k != "coords_source"},
     r"countries.yaml: entry 1 \(RU\): .*lat, lon, radius_km and coords_source together"),
])
def test_a_bad_supplement_entry_is_named_by_file_entry_and_field(tiny_inputs, tmp_path, file, entry, message):
    data, write = tiny_inputs
    write(file, [entry])
    with pytest.raises(SupplementError, match=message):
        cache.index_folder(tmp_path / "cache")


def test_duplicate_supplement_ids_are_refused(tiny_inputs, tmp_path):
    data, write = tiny_inputs
    write("sites.yaml", [SITE, SITE])
    with pytest.raises(SupplementError, match="sites.yaml: duplicate ids: test-port"):
        cache.index_folder(tmp_path / "cache")


def test_supplement_that_is_not_a_list_is_refused(tiny_inputs, tmp_path):
    data, _ = tiny_inputs
    (data / "sites.yaml").write_text("just: a mapping\n")
    with pytest.raises(SupplementError, match="sites.yaml: expected a list"):
        cache.index_folder(tmp_path / "cache")


# -- the real supplement -----------------------------------------------------------

def test_shipped_supplement_is_complete_and_consistent(gazetteer):
    records = list(sources.supplement_records())
    regions = {r.id: r for r in records if r.kind == "region"}
    by_country = {}
    for r in regions.values():
        by_country[r.country] = by_country.get(r.country, 0) + 1
    assert by_country["UA"] == 27  # 24 oblasts, Crimea, Kyiv, Sevastopol
    assert by_country["RU"] >= 83
    assert by_country["KP"] >= 12
    for site in (r for r in records if r.kind == "site"):
        assert f"region:{site.admin1}" in regions, f"{site.id}: unknown region {site.admin1}"
    for entry in sources._read_entries(sources.DATA_DIR / "regions.yaml", sources.RegionEntry):
        if entry.capital:
            capital = gazetteer.place(gazetteer.row_of(f"geonames:{entry.capital}"))
            assert (capital.country, capital.admin1_code) == (entry.country, entry.admin1), entry.id


def test_a_first_build_tells_its_stages_and_then_is_ready(tiny_inputs, tmp_path, capsys):
    """What a first start shows instead of a blank page: each stage as it starts, in order,
    with the share of the usual time spent before it; afterwards nothing to wait for."""
    told = []
    assert not cache.index_ready(tmp_path / "cache")
    cache.index_folder(tmp_path / "cache", progress=lambda stage, share: told.append((stage, share)))
    assert [stage for stage, _ in told] == list(build.STAGES)
    assert [share for _, share in told] == sorted(share for _, share in told)
    assert cache.index_ready(tmp_path / "cache")
    cache.index_folder(tmp_path / "other")  # a command's first use says why it waits
    assert "building the gazetteer index" in capsys.readouterr().err


def test_large_towns_are_listed_by_population(tiny_inputs, tmp_path):
    """The rows a "large city near this point" question measures: towns only, above the
    population asked (Kursk's 448,733 people; not the villages, the region or the site)."""
    gazetteer = Gazetteer(cache.index_folder(tmp_path / "cache"))
    assert [gazetteer.ids[r] for r in gazetteer.towns_over(100_000)] == ["geonames:1"]
    assert [gazetteer.ids[r] for r in gazetteer.towns_over(500_000)] == []
    assert sorted(gazetteer.ids[r] for r in gazetteer.towns_over(0)) == [f"geonames:{i}" for i in range(1, 5)]

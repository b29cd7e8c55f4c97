"""The Air Force missile-attack log reader, at the Row level (what the importer gets).
Fixtures are invented rows in the log's real column layout."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geodata.io.readers.base import RowError
from geodata.io.readers.missile_log import MissileLogError, MissileLogReader

HEADER = ["time_start", "time_end", "model", "launch_place", "target", "target_main", "launched",
          "destroyed", "not_reach_goal", "still_attacking", "border_crossing", "is_shahed",
          "source"]
TABLE = ["model", "category", "national_origin", "type", "launch_platform", "name", "name_NATO"]


def write_log(folder: Path, rows: list[dict], table: list[dict] | None = None) -> Path:
    path = folder / "log.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, HEADER, restval="")
        writer.writeheader()
        writer.writerows(rows)
    if table is not None:
        with (folder / "missiles_and_uavs.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, TABLE, restval="")
            writer.writeheader()
            writer.writerows(table)
    return path


def row(**given) -> dict:
    base = {"time_start": "2025-03-01 19:00", "time_end": "2025-03-02 07:00",
            "model": "Iskander-M", "launch_place": "", "target": "Kharkiv oblast",
            "launched": "4.0", "destroyed": "1.0", "source": "kpszsu/posts/pfbid0abc"}
    return {**base, **given}


def read(path: Path) -> list:
    return list(MissileLogReader().rows(path))


def test_kn23_row_is_a_strike_linked_to_each_launch_area(tmp_path):
    path = write_log(tmp_path, [row(model="Iskander-M/KN-23",
                                    launch_place="Kursk oblast and Bryansk oblast and Millerovo",
                                    target="Odesa oblast")])
    rows = read(path)
    launches = [r for r in rows if r.fields["kind"] == "launch_site"]
    (strike,) = [r for r in rows if r.fields["kind"] == "strike"]
    assert [r.place.name for r in launches] == ["Kursk oblast", "Bryansk oblast", "Millerovo"]
    assert strike.place.name == "Odesa oblast"
    assert strike.fields["links"] == [{"relation": "launched_from", "target": r.native_id}
                                      for r in launches]
    # one of two systems: a KN-23 filter finds it, marked possible, never certain
    assert strike.fields["possible_systems"] == ["iskander-m", "kn-23"]
    assert strike.fields["systems"] == []
    assert all(r.fields["possible_systems"] == ["iskander-m", "kn-23"] for r in launches)
    quantities = {q["item"]: q["value"] for q in strike.fields["quantities"]}
    assert quantities == {"Iskander-M/KN-23 launched": 4.0,
                          "Iskander-M/KN-23 destroyed (shot down)": 1.0}
    assert strike.link == "https://www.facebook.com/kpszsu/posts/pfbid0abc"
    assert "kpszsu/posts/pfbid0abc" in strike.evidence
    assert (strike.fields["date_start"], strike.fields["date_end"]) == ("2025-03-01", "2025-03-02")


def test_a_model_named_alone_is_a_certain_system(tmp_path):
    (strike,) = read(write_log(tmp_path, [row(model="Iskander-M")]))
    assert strike.fields["systems"] == ["iskander-m"] and strike.fields["possible_systems"] == []
    assert strike.unmapped == {}


def test_weapons_table_beside_the_log_maps_its_names(tmp_path):
    # a spelling only the log's own table knows (the catalogue has C-300 as an alias now)
    rows = [row(model="Q-300/Q-400")]
    without = read(write_log(tmp_path, rows))[0]
    assert without.fields["possible_systems"] == [] and "Q-300" in without.unmapped["model"]
    table = [{"model": "Q-300", "category": "surface-to-air missile", "name": "S-300"},
             {"model": "Q-400", "category": "surface-to-air missile", "name": "S-400 Triumf"}]
    (strike,) = read(write_log(tmp_path, rows, table))
    assert strike.fields["possible_systems"] == ["s-300", "s-400"]
    assert strike.unmapped == {}


def test_unknown_model_is_kept_without_a_system_and_reported_unmapped(tmp_path):
    (strike,) = read(write_log(tmp_path, [row(model="Zmey-9 drone/Zmey-7 drone")]))
    assert strike.fields["systems"] == [] and strike.fields["possible_systems"] == []
    assert strike.unmapped == {"model": "Zmey-9 drone, Zmey-7 drone"}
    assert strike.fields["quantities"][0]["unit"] == "drones"


def test_the_log_s_drones_are_catalogue_systems(tmp_path):
    (strike,) = read(write_log(tmp_path, [row(model="Shahed-136/131")]))
    assert strike.fields["possible_systems"] == ["shahed-136", "shahed-131"]
    assert strike.unmapped == {} and strike.fields["quantities"][0]["unit"] == "drones"


@pytest.mark.parametrize("target", ["Ukraine", "south", "front line", "",
                                    "Odesa oblast and Mykolaiv oblast"])
def test_a_country_sector_or_several_targets_is_the_country_at_country_precision(tmp_path, target):
    (strike,) = read(write_log(tmp_path, [row(target=target)]))
    assert (strike.place.name, strike.place.country, strike.place.geo_precision) == ("Ukraine", "UA", 4)
    if target not in ("", "Ukraine"):
        assert target in strike.fields["description"]


def test_a_town_with_its_province_is_one_place_and_a_direction_is_no_launch_area(tmp_path):
    rows = read(write_log(tmp_path, [row(launch_place="Chauda, Crimea and and south-east",
                                         target="Dnipropetrovsk oblast, Dnipro Raion")]))
    launch, strike = rows
    assert (launch.place.name, launch.place.admin1) == ("Chauda", "Crimea")
    assert (strike.place.name, strike.place.admin1) == ("Dnipro Raion", "Dnipropetrovsk oblast")
    assert strike.unmapped == {"launch_place": "south-east"}


def test_several_models_from_several_areas_are_only_possible_at_each_area(tmp_path):
    rows = read(write_log(tmp_path, [row(model="Iskander-M and KN-23",
                                         launch_place="Kursk oblast and Crimea")]))
    strike = rows[-1]
    assert strike.fields["systems"] == ["iskander-m", "kn-23"]
    for launch in rows[:2]:  # the log does not say which model came from which area
        assert launch.fields["systems"] == []
        assert launch.fields["possible_systems"] == ["iskander-m", "kn-23"]


@pytest.mark.parametrize(("given", "field"), [
    ({"launched": "four"}, "launched"), ({"destroyed": "-1"}, "destroyed"),
    ({"launched": "1e9999"}, "launched"), ({"launched": "2.5"}, "launched"),
    ({"time_start": "03/01/2025"}, "time_start"), ({"time_end": "2025-02-30"}, "time_end"),
    ({"time_start": "2025-03-01 25:00"}, "time_start"),
    ({"time_end": "2025-02-28"}, "time_end"),
])
def test_a_bad_cell_is_a_row_error_naming_row_and_field(tmp_path, given, field):
    rows = read(write_log(tmp_path, [row(), row(**given, model="Iskander-M/KN-23")]))
    error = rows[-1]
    assert isinstance(error, RowError) and error.number == 2
    assert field in str(error) and str(error).startswith("row 2: ")
    assert not isinstance(rows[0], RowError)  # the good row is still read
    assert error.cells["model"] == "Iskander-M/KN-23"   # the original, for a rejects file


def test_ids_are_stable_when_rows_are_added_above(tmp_path):
    first = [r.native_id for r in read(write_log(tmp_path, [row(launch_place="Crimea")]))]
    later = read(write_log(tmp_path, [row(time_start="2025-03-05", time_end="2025-03-05"),
                                      row(launch_place="Crimea")]))
    assert [r.native_id for r in later[1:]] == first
    assert first == ["202503011900-202503020700-iskander-m-launch-1",
                     "202503011900-202503020700-iskander-m"]


def test_two_rows_of_one_period_and_model_get_distinct_ids(tmp_path):
    rows = read(write_log(tmp_path, [row(target="Kyiv"), row(target="Lviv")]))
    assert len({r.native_id for r in rows}) == 2


def test_a_file_that_is_not_the_log_is_one_line(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("date,place\n2024-01-01,Kyiv\n", encoding="utf-8")
    assert not MissileLogReader().sniff(path)
    with pytest.raises(MissileLogError, match="not the missile-attack log: no column time_start"):
        read(path)
    with pytest.raises(MissileLogError, match="not a regular file"):
        read(tmp_path)


def test_sniff_knows_the_log_by_its_header(tmp_path):
    assert MissileLogReader().sniff(write_log(tmp_path, [row()]))


def test_kn23_log_row_imports_as_a_strike_linked_to_its_launch_areas(tmp_path):
    datasets = pytest.importorskip("geodata.io.datasets")
    from geodata.events.filters import EventFilter
    from geodata.store import Store

    path = write_log(tmp_path, [row(model="Iskander-M/KN-23", target="Odesa oblast",
                                    launch_place="Kursk oblast and Belgorod oblast")])
    store = Store(tmp_path / "events.sqlite", seed=False)
    summary = datasets.import_dataset(store, path)
    assert summary.format == "missile-log" and summary.rejected == 0
    found = [r.event for r in store.rows(EventFilter.build(systems=["KN-23"]))]
    (strike,) = [e for e in found if e.kind.value == "strike"]
    assert strike.possible_systems == ["iskander-m", "kn-23"] and strike.systems == []
    launches = {e.id: e for e in found if e.kind.value == "launch_site"}
    assert {link.target for link in strike.links} == set(launches) and len(launches) == 2
    assert strike.place.admin1 or strike.place.geo_precision >= 3   # an oblast: an area
    again = datasets.import_dataset(store, path)
    assert again.new == 0 and again.updated == 0
    store.close()

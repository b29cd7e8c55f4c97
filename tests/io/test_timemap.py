"""The TimeMap export reader, at the Row level. Fixtures are invented events in the
export's real layout (export_events.json, export_sources.json, export_associations.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geodata.io.readers.base import RowError
from geodata.io.readers.timemap import TimeMapError, TimeMapReader

ASSOCIATIONS = [
    {"filter_paths": ["Type of area affected", "Residential"], "id": "a1", "title": "Residential",
     "mode": "FILTER", "desc": ""},
    {"filter_paths": ["Type of area affected", "Undefined"], "id": "a2", "title": "Undefined",
     "mode": "FILTER", "desc": ""},
    {"filter_paths": ["Weapon System", "Unknown"], "id": "w1", "title": "Unknown", "mode": "FILTER"},
    {"filter_paths": ["Weapon System", "Cluster munitions"], "id": "w2",
     "title": "Cluster munitions", "mode": "FILTER"},
    {"filter_paths": ["Weapon System", "Sling shot"], "id": "w3", "title": "Sling shot",
     "mode": "FILTER"},
]
SOURCES = {
    "srcHidden": {"paths": ["HIDDEN"], "id": "srcHidden", "title": "-", "description": "hidden"},
    "s1": {"paths": ["https://example.org/post/1"], "id": "s1", "title": "X1", "description": "a"},
    "s2": {"paths": ["https://example.org/post/2"], "id": "s2", "title": "X1", "description": "b"},
}


def event(**given) -> dict:
    base = {"associations": ["a1", "w2"], "sources": ["s1", "s2", "srcHidden"], "id": "X1",
            "description": "Shop hit. Two people hurt.", "date": "03/05/2022", "time": "00:00",
            "location": "Invented Town", "latitude": "49.5", "longitude": "36.25",
            "graphic": "FALSE"}
    return {**base, **given}


def write_export(folder: Path, events: list, sources=SOURCES, associations=ASSOCIATIONS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "export_events.json").write_text(json.dumps(events), encoding="utf-8")
    (folder / "export_sources.json").write_text(json.dumps(sources), encoding="utf-8")
    (folder / "export_associations.json").write_text(json.dumps(associations), encoding="utf-8")
    return folder


def read(path: Path) -> list:
    return list(TimeMapReader().rows(path))


def test_timemap_event_becomes_a_row_with_tags_kind_date_and_source_links(tmp_path):
    folder = write_export(tmp_path / "export", [event()])
    for given in (folder, folder / "export_events.json"):  # the folder or its events file
        (row,) = read(given)
        assert row.native_id == "X1"
        assert row.fields["date"] == "2022-03-05"
        assert row.fields["kind"] == "strike"               # cluster munitions strike
        assert row.fields["tags"] == ["Residential", "Cluster munitions"]
        assert (row.place.lat, row.place.lon, row.place.name) == (49.5, 36.25, "Invented Town")
        assert row.link == "https://example.org/post/1"
        assert row.evidence == ("TimeMap event X1; sources: https://example.org/post/1 ; "
                                "https://example.org/post/2")   # HIDDEN is no source
        assert row.fields["description"] == "Shop hit. Two people hurt."
        assert row.fields["title"] == "Invented Town: Shop hit."
        assert row.unmapped == {}


def test_unknown_weapon_is_an_incident_and_generic_tags_say_their_branch(tmp_path):
    (row,) = read(write_export(tmp_path, [event(associations=["a2", "w1"], graphic="TRUE")]))
    assert row.fields["kind"] == "incident"
    assert row.fields["tags"] == ["Type of area affected: Undefined", "Weapon System: Unknown",
                                  "graphic"]


def test_unmapped_weapon_and_missing_ids_are_reported(tmp_path):
    (row,) = read(write_export(tmp_path, [event(associations=["w3", "nope"], sources=["gone"])]))
    assert row.fields["kind"] == "incident"
    assert row.unmapped == {"weapon association": "Sling shot", "associations": "nope",
                            "sources": "gone"}


def test_one_digit_month_and_a_time_are_read(tmp_path):
    (row,) = read(write_export(tmp_path, [event(date="3/7/2022", time="14:30")]))
    assert row.fields["date"] == "2022-03-07"
    assert "14:30" in row.fields["date_note"]


@pytest.mark.parametrize(("given", "field"), [
    ({"latitude": "49,5"}, "latitude"), ({"latitude": "n/a"}, "latitude"),
    ({"longitude": "36.2.5"}, "longitude"), ({"latitude": "91"}, "latitude"),
    ({"longitude": "NaN"}, "longitude"), ({"latitude": True}, "latitude"),
    ({"latitude": ""}, "latitude/longitude"),
    ({"date": "2022-03-05"}, "date"), ({"date": "02/30/2022"}, "date"),
    ({"date": "13/01/2022"}, "date"), ({"time": "25:00"}, "time"),
    ({"id": ""}, "id"), ({"associations": "a1"}, "associations"),
    ({"description": {"x": 1}}, "description"),
])
def test_a_bad_field_is_a_row_error_naming_event_and_field(tmp_path, given, field):
    rows = read(write_export(tmp_path, [event(id="ok"), event(**given)]))
    assert not isinstance(rows[0], RowError)
    error = rows[1]
    assert isinstance(error, RowError) and error.number == 2
    assert str(error).startswith(f"row 2: {field}")
    assert error.cells["location"] == "Invented Town"   # the original, for a rejects file


def test_without_coordinates_the_location_is_left_for_the_geocoder(tmp_path):
    (row,) = read(write_export(tmp_path, [event(latitude="", longitude="",
                                                location="Харьковской области")]))
    assert row.place.name == "Харьковской области" and row.place.lat is None


def test_an_id_given_twice_is_refused_the_second_time(tmp_path):
    rows = read(write_export(tmp_path, [event(), event()]))
    assert isinstance(rows[1], RowError) and "given twice (first at event 1)" in str(rows[1])


def test_a_broken_export_is_one_line_naming_file_and_event(tmp_path):
    folder = write_export(tmp_path, [event()])
    (folder / "export_events.json").write_text('[{"id": "X1"}, {"id": ', encoding="utf-8")
    with pytest.raises(TimeMapError, match=r"export_events.json: event 2: not JSON"):
        read(folder)
    (folder / "export_events.json").write_text('{"type": "FeatureCollection"}', encoding="utf-8")
    with pytest.raises(TimeMapError, match="expected a list of events"):
        read(folder)
    with pytest.raises(TimeMapError, match="no export_events.json"):
        read(tmp_path / "elsewhere")


def test_sniff_knows_the_export_by_its_file_names(tmp_path):
    folder = write_export(tmp_path / "e", [event()])
    reader = TimeMapReader()
    assert reader.sniff(folder) and reader.sniff(folder / "export_events.json")
    assert not reader.sniff(folder / "export_sources.json") and not reader.sniff(tmp_path)

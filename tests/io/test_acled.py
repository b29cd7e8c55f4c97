"""ACLED CSV: kinds from the codebook's types, dates widened to their precision, the
dataset's coordinates and precision kept, systems found in the notes."""

from __future__ import annotations

from datetime import date

import pytest

from geodata.io.datasets import DatasetError, import_dataset
from geodata.io.readers.acled import AcledReader
from tests.io.acled_fixture import acled_row, empty_store, write_acled  # noqa: F401


@pytest.fixture
def rows():
    return [
        acled_row(notes="Invented: an Iskander-M/KN-23 missile hit a depot; 2 killed."),
        acled_row(event_id_cnty="UKR900002", event_date="2024-03-15", time_precision="2",
                  sub_event_type="Air/drone strike", geo_precision="2", fatalities="0",
                  notes="Invented: a drone strike; an S-400 battery was seen nearby."),
        acled_row(event_id_cnty="UKR900003", event_date="20/07/2023", time_precision="3",
                  event_type="Battles", sub_event_type="Armed clash", geo_precision="3",
                  notes="Invented: fighting near the town."),
        acled_row(event_id_cnty="UKR900004", event_type="Explosions/Remote violence",
                  sub_event_type="Remote explosive/landmine/IED"),
    ]


def test_acled_types_dates_places_systems_and_casualties(empty_store, tmp_path, rows, geocoder):
    path = write_acled(tmp_path / "acled.csv", rows)
    assert AcledReader().sniff(path)
    summary = import_dataset(empty_store, path, geocoder=geocoder)
    assert summary.kinds == {"strike": 3, "incident": 1}
    one = empty_store.event("acled-ukr900001")
    assert one.kind == "strike" and one.date_start == one.date_end == date(2024, 2, 3)
    assert one.date_precision == "day"
    assert (one.place.lat, one.place.lon, one.place.geo_precision) == (49.9935, 36.2304, 1)
    assert one.place.country == "UA" and one.place.name == "Kharkiv"
    assert one.systems == [] and one.possible_systems == ["iskander-m", "kn-23"]
    assert one.casualties.killed == 2
    assert "Shelling/artillery/missile attack" in one.tags
    two = empty_store.event("acled-ukr900002")
    assert (two.date_start, two.date_end, two.date_precision) == (date(2024, 3, 1), date(2024, 3, 31), "month")
    assert "time_precision 2" in two.date_note
    assert two.systems == ["s-400"] and two.place.geo_precision == 2 and two.casualties.killed == 0
    three = empty_store.event("acled-ukr900003")
    assert (three.kind, three.date_precision, three.date_start, three.date_end) == (
        "incident", "year", date(2023, 1, 1), date(2023, 12, 31))
    assert three.place.geo_precision == 3
    assert empty_store.event("acled-ukr900004").kind == "strike"


def test_an_acled_type_not_in_the_codebook_is_rejected_not_guessed(empty_store, tmp_path, geocoder):
    path = write_acled(tmp_path / "acled.csv", [acled_row(sub_event_type="Laser strike")])
    with pytest.raises(DatasetError, match=r"row 1 \(UKR900001\): event_type/sub_event_type "
                                           r"'Explosions/Remote violence / Laser strike'.*no kind is guessed"):
        import_dataset(empty_store, path, geocoder=geocoder)
    assert empty_store.count() == 0


@pytest.mark.parametrize("given, message", [
    ({"event_date": "2024-02-31"}, "event_date: '2024-02-31' is not a date"),
    ({"event_date": "Feb 3"}, "event_date: 'Feb 3' is not a date"),
    ({"time_precision": "7"}, "time_precision: 7 is not 1, 2 or 3"),
    ({"latitude": "north"}, "latitude: 'north' is not a number"),
    ({"latitude": "95"}, "coordinates 95.0, 36.2304 are outside"),
    ({"fatalities": "2.5"}, "fatalities: '2.5' is not a whole number"),
    ({"event_id_cnty": ""}, "event_id_cnty: empty"),
])
def test_bad_acled_cells_name_the_row_and_column(empty_store, tmp_path, geocoder, given, message):
    path = write_acled(tmp_path / "acled.csv", [acled_row(event_id_cnty="UKR1"), acled_row(**given)])
    with pytest.raises(DatasetError, match="row 2.*" + message.replace("(", r"\(").replace(")", r"\)")):
        import_dataset(empty_store, path, geocoder=geocoder)
    assert empty_store.count() == 0


def test_a_file_without_acled_columns_is_one_line(empty_store, tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text("event_id_cnty,event_date\nUKR1,01/01/2024\n")
    with pytest.raises(Exception, match="missing column"):
        import_dataset(empty_store, path, "acled")


@pytest.mark.parametrize("text", ["14 March 2024", "14-Mar-2024", "14/03/2024", "2024-03-14"])
def test_acled_dates_in_every_form_its_exports_use(text):
    from datetime import date

    from geodata.io.readers.common import parse_day

    assert parse_day(text, "event_date") == date(2024, 3, 14)


def test_a_month_name_that_is_no_month_is_refused():
    from geodata.io.readers.common import parse_day

    with pytest.raises(ValueError, match="event_date: '14 Marchy 2024' is not a date"):
        parse_day("14 Marchy 2024", "event_date")

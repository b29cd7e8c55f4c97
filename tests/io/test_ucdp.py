"""UCDP GED: date_prec and where_prec kept honestly, best/low/high as the killed figure."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from geodata.io.datasets import import_dataset
from geodata.io.readers.ucdp import UcdpReader
from tests.io.acled_fixture import empty_store  # noqa: F401

HEADER = ["id", "year", "type_of_violence", "conflict_name", "dyad_name", "side_a", "side_b",
          "source_article", "source_headline", "where_prec", "where_coordinates",
          "where_description", "adm_1", "adm_2", "latitude", "longitude", "country",
          "date_prec", "date_start", "date_end", "best", "high", "low"]


def ucdp_row(**given) -> dict:
    base = {"id": "500001", "year": "2023", "type_of_violence": "1",
            "conflict_name": "Russia - Ukraine", "dyad_name": "Government of Russia - Government of Ukraine",
            "side_a": "Government of Russia", "side_b": "Government of Ukraine",
            "source_article": "Invented Wire, 2023-05-02, 'Shelling reported'",
            "source_headline": "Shelling reported", "where_prec": "1",
            "where_coordinates": "Kherson town", "where_description": "Kherson",
            "adm_1": "Kherson oblast", "adm_2": "", "latitude": "46.6354", "longitude": "32.6169",
            "country": "Ukraine", "date_prec": "1", "date_start": "2023-05-01",
            "date_end": "2023-05-01", "best": "4", "high": "4", "low": "4"}
    return {**base, **given}


@pytest.fixture
def ucdp_file(tmp_path):
    path = tmp_path / "ged.csv"
    rows = [
        ucdp_row(),
        ucdp_row(id="500002", where_prec="2", date_prec="2", date_start="2023-05-01",
                 date_end="2023-05-05", best="10", low="8", high="15"),
        ucdp_row(id="500003", where_prec="4", date_prec="4", date_start="2023-06-01",
                 date_end="2023-06-30"),
        ucdp_row(id="500004", where_prec="6", date_prec="5", date_start="2022-01-01",
                 date_end="2022-12-31"),
    ]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_ucdp_dates_places_and_deaths_keep_their_stated_precision(empty_store, ucdp_file, geocoder):
    assert UcdpReader().sniff(ucdp_file)
    summary = import_dataset(empty_store, ucdp_file, geocoder=geocoder)
    assert summary.kinds == {"incident": 4} and summary.source_id.startswith("dataset-ucdp-")
    exact = empty_store.event("ucdp-500001")
    assert exact.place.geo_precision == 1 and exact.place.radius_km is None
    assert exact.casualties.killed == 4 and exact.casualties.killed_qualifier == "exact"
    assert exact.date_note is None and "state-based conflict" in exact.tags
    assert "Invented Wire" in exact.sources[0].evidence
    near = empty_store.event("ucdp-500002")
    assert (near.date_start, near.date_end, near.date_precision) == (date(2023, 5, 1), date(2023, 5, 5), "day")
    assert "date_prec 2" in near.date_note
    assert (near.place.geo_precision, near.place.radius_km) == (2, 25.0)
    assert near.casualties.killed == 10 and near.casualties.killed_qualifier == "about"
    assert near.casualties.note == "UCDP best estimate 10 (low 8, high 15)"
    province = empty_store.event("ucdp-500003")
    assert (province.date_precision, province.place.geo_precision) == ("month", 3)
    assert "where_prec 4" in province.description
    country = empty_store.event("ucdp-500004")
    assert (country.date_precision, country.place.geo_precision) == ("year", 4)


@pytest.mark.parametrize("given, message", [
    ({"where_prec": "9"}, "where_prec: 9 is not 1 to 7"),
    ({"date_end": "2023-04-01"}, "date_end 2023-04-01 is before date_start 2023-05-01"),
    ({"best": ""}, "best: empty"),
])
def test_bad_ucdp_rows_are_rejected_with_their_field(empty_store, tmp_path, geocoder, given, message):
    path = tmp_path / "ged.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, HEADER)
        writer.writeheader()
        writer.writerow(ucdp_row(**given))
    summary = import_dataset(empty_store, path, geocoder=geocoder, dry_run=True)
    assert summary.rejected == 1 and message in summary.reasons[0]

"""The CIR / Bellingcat monitor CSV: event groups to kinds, arms to systems, links cited."""

from __future__ import annotations

import csv

from geodata.io.datasets import import_dataset
from geodata.io.readers.cir import CirReader, group_kind
from tests.io.acled_fixture import empty_store  # noqa: F401

HEADER = ["entry", "date", "event_group", "title", "brief description", "lat", "lon", "country",
          "province", "district", "town/city", "arms/munition", "violence level", "link",
          "geolocation"]


def cir_row(**given) -> dict:
    base = {"entry": "ZZ0001", "date": "2022-03-04", "event_group": "Bombing or Explosion Feb - June",
            "title": "04/03/2022 Invented explosion", "brief description": "Invented explosion",
            "lat": "50.45", "lon": "30.52", "country": "Ukraine", "province": "Kyiv",
            "district": "", "town/city": "Kyiv", "arms/munition": "", "violence level": "2",
            "link": "https://example.org/post/1", "geolocation": "https://example.org/geo/1"}
    return {**base, **given}


def test_cir_groups_arms_places_and_links(empty_store, tmp_path, geocoder):
    path = tmp_path / "cir.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, HEADER)
        writer.writeheader()
        writer.writerows([
            cir_row(**{"arms/munition": "Iskander-M"}),
            cir_row(entry="ZZ0002", event_group="Russian Firing Positions", **{
                "arms/munition": "SAM missiles (likely S300 or 400)", "violence level": "GRAPHIC"}),
            cir_row(entry="ZZ0003", event_group="Something New 2023", country="Belaurs",
                    **{"arms/munition": "T-90"}),
        ])
    assert CirReader().sniff(path)
    summary = import_dataset(empty_store, path, geocoder=geocoder)
    one = empty_store.event("cir-zz0001")
    assert one.kind == "strike" and one.systems == ["iskander-m"]
    assert (one.place.lat, one.place.lon, one.place.geo_precision, one.place.country) == (50.45, 30.52, 1, "UA")
    assert one.sources[0].evidence.endswith("CIR ZZ0001; geolocated by https://example.org/geo/1; "
                                            "https://example.org/post/1")
    assert "Bombing or Explosion" in one.tags and "violence level 2" in one.tags
    two = empty_store.event("cir-zz0002")
    assert two.kind == "launch_site" and two.possible_systems == ["s-300"] and two.systems == []
    assert "graphic" in two.tags and "Arms/munition: SAM missiles" in two.description
    three = empty_store.event("cir-zz0003")
    assert three.kind == "incident" and three.place.country is None  # a misspelt country: not guessed
    assert summary.unmapped == {"event_group=Something New 2023": 1, "arms/munition=T-90": 1,
                                "country=Belaurs": 1}


def test_event_groups_without_their_months():
    assert group_kind("Russian Military Presence January 2022") == "incident"
    assert group_kind("Bombing or Explosion - Now") == "strike"
    assert group_kind("Russian Firing Positions Sep") == "launch_site"
    assert group_kind("Unknown thing") is None

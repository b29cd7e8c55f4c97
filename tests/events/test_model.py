"""The event record's validation: what it accepts, and what it refuses with which message."""

from datetime import date

import pytest
from pydantic import ValidationError

from geodata.events.model import DatePrecision, Event

BASE = {"id": "strike-test", "kind": "strike", "title": "A test strike", "date": "2024-01-02",
        "place": {"name": "Kharkiv"}, "status": "reported",
        "sources": [{"id": "seed-004", "evidence": "written by the test"}]}


def event(**changes):
    record = {**BASE, **changes}
    return Event.model_validate({k: v for k, v in record.items() if v is not None})


@pytest.mark.parametrize("when, start, end, precision", [
    ("2024-01-02", date(2024, 1, 2), date(2024, 1, 2), DatePrecision.DAY),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29), DatePrecision.MONTH),
    ("2023", date(2023, 1, 1), date(2023, 12, 31), DatePrecision.YEAR),
    ("2023-12/2024-02", date(2023, 12, 1), date(2024, 2, 29), DatePrecision.MONTH),
    ("2024-07-30/2024-08-18", date(2024, 7, 30), date(2024, 8, 18), DatePrecision.DAY),
])
def test_date_shorthand_expands_to_start_end_and_precision(when, start, end, precision):
    e = event(date=when)
    assert (e.date_start, e.date_end, e.date_precision) == (start, end, precision)


def test_systems_are_canonicalised_from_any_alias():
    assert event(systems=["Hwasong-11", "KN23", "kn-23", "Triumf"]).systems == ["kn-23", "s-400"]


@pytest.mark.parametrize("changes, message", [
    ({"systems": ["Scud-Z"]}, "unknown weapon system 'Scud-Z'"),
    ({"kind": "transfer"}, "a transfer needs an origin and a destination"),
    ({"place": None}, "a strike needs a place"),
    ({"date": "2024-13"}, "month must be in 1..12"),
    ({"date": "Jan 2"}, "is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"),
    ({"date": "2024-01/2024-02-03"}, "both ends need the same precision"),
    ({"date": None, "date_start": "2024-01-05", "date_end": "2024-01-02", "date_precision": "day"}, "is before date_start"),
    ({"date": None, "date_start": "2024-01-05", "date_end": "2024-01-31", "date_precision": "month"}, "must span whole months"),
    ({"sources": []}, "at least 1 item"),
    ({"status": "rumoured"}, "status"),
    ({"kind": "airstrike"}, "kind"),
    ({"id": "Has Spaces"}, "id"),
    ({"place": {"name": "Kharkiv", "lat": 50}}, "give both lat and lon"),
    ({"place": {"name": "Kharkiv", "lat": 95, "lon": 36, "geo_precision": 1}}, "less than or equal to 90"),
    ({"links": [{"relation": "launched_from", "target": "strike-test"}]}, "cannot link to itself"),
    ({"discrepancies": [{"field": "killed", "values": [{"source": "seed-004", "value": "3"}, {"source": "seed-002", "value": "4"}]}]}, "not among the event's sources"),
    ({"surprise": 1}, "Extra inputs are not permitted"),
])
def test_invalid_records_are_refused_with_the_reason(changes, message):
    with pytest.raises(ValidationError, match=message):
        event(**changes)


def test_geo_precision_is_the_coarsest_of_the_places():
    e = event(kind="transfer", place=None,
              origin={"name": "Rajin", "lat": 42.2, "lon": 130.3, "geo_precision": 1},
              destination={"name": "Russia", "lat": 61.5, "lon": 105.3, "geo_precision": 4})
    assert e.geo_precision == 4


# -- numbers from files: finite, within sane bounds, and numbers (not strings or booleans)

PLACE = {"name": "Kharkiv", "lat": 49.98, "lon": 36.25, "geo_precision": 1}


@pytest.mark.parametrize("changes, message", [
    ({"quantities": [{"value": float("inf"), "unit": "missiles"}]}, r"quantities\.0\.value: .*finite"),
    ({"quantities": [{"value": float("nan"), "unit": "missiles"}]}, r"quantities\.0\.value: .*finite"),
    ({"quantities": [{"value": 1e300, "unit": "missiles"}]}, r"quantities\.0\.value: .*less than or equal to 1000000000"),
    ({"casualties": {"killed": 10**30}}, r"casualties\.killed: .*less than or equal to 10000000"),
    ({"casualties": {"injured": 10**8}}, r"casualties\.injured: .*less than or equal to 10000000"),
    ({"place": {**PLACE, "radius_km": float("inf")}}, r"place\.radius_km: .*finite"),
    ({"place": {**PLACE, "radius_km": 2_000_000}}, r"place\.radius_km: .*less than or equal to 20038"),
    ({"place": {**PLACE, "lat": float("nan")}}, r"place\.lat: .*finite"),
])
def test_non_finite_and_absurd_numbers_are_refused_naming_the_field(changes, message):
    from geodata.yamlfile import describe

    with pytest.raises(ValidationError) as info:
        event(**changes)
    assert __import__("re").search(message, describe(info.value)), describe(info.value)


@pytest.mark.parametrize("changes, field", [
    ({"place": {**PLACE, "lat": "49.98"}}, "place.lat"),
    ({"place": {**PLACE, "lon": True}}, "place.lon"),
    ({"place": {**PLACE, "radius_km": "5"}}, "place.radius_km"),
    ({"place": {**PLACE, "geo_precision": "1"}}, "place.geo_precision"),
    ({"place": {**PLACE, "geo_precision": 1.5}}, "place.geo_precision"),
    ({"quantities": [{"value": "12", "unit": "missiles"}]}, "quantities.0.value"),
    ({"quantities": [{"value": False, "unit": "missiles"}]}, "quantities.0.value"),
    ({"casualties": {"killed": "3"}}, "casualties.killed"),
    ({"casualties": {"killed": 3.0}}, "casualties.killed"),
])
def test_numbers_must_be_numbers_not_strings_or_booleans(changes, field):
    from geodata.yamlfile import describe

    with pytest.raises(ValidationError) as info:
        event(**changes)
    assert describe(info.value).startswith(field), describe(info.value)


def test_sane_numbers_and_integer_coordinates_still_validate():
    e = event(place={"name": "Equator", "lat": 0, "lon": 36, "geo_precision": 4, "radius_km": 20_038},
              quantities=[{"value": 12, "unit": "missiles"}, {"value": 2.5, "unit": "tonnes"}],
              casualties={"killed": 3, "injured": 0})
    assert e.place.lat == 0.0 and e.quantities[0].value == 12
    assert Event.model_validate_json(e.model_dump_json()) == e


def test_an_unsure_place_says_so_and_is_an_area(geocoder):
    """A fallback or ambiguous answer is stored with its status and labelled as such:
    it is an area (region precision), never a pin."""
    from geodata.events.catalogue import located_fields
    from geodata.events.labels import place_label
    from geodata.events.model import GeoStatus, PlaceRef

    found = geocoder.candidates("Ivanivka, Kherson Oblast, Ukraine", limit=1)[0]
    ref = PlaceRef(name="Ivanivka", **located_fields(found))
    assert ref.geo_status == GeoStatus.AMBIGUOUS and ref.geo_precision == 3
    assert "ambiguous" in place_label(ref)
    sure = PlaceRef(name="Kharkiv", **located_fields(geocoder.candidates("Kharkiv", limit=1)[0]))
    assert sure.geo_status is None and "ambiguous" not in place_label(sure)


@pytest.mark.parametrize("name, system_id", [
    ("X-101", "kh-101"), ("Х-101", "kh-101"), ("C-300", "s-300"), ("C-400", "s-400"),
    ("X-47 Kinzhal", "kinzhal"), ("Shahed-136", "shahed-136"), ("Geran-2", "shahed-136"),
    ("Iskander-K", "iskander-k"), ("X-59MK2", "kh-59"), ("3M22 Zircon", "zircon"),
])
def test_the_missile_log_spellings_find_their_systems(name, system_id):
    """The Air Force log writes Kh- as a Latin X and S- as a Latin C."""
    from geodata import systems

    assert systems.catalogue().find(name).id == system_id

"""Relative places ("200 km north of Kyiv") are areas near their anchor: a distance past
the bound (MAX_RELATIVE_DISTANCE_KM) is refused, never turned into a pin."""

import pytest

from geodata.places.query import MAX_RELATIVE_DISTANCE_KM, QueryError, parse_query


@pytest.mark.parametrize("query", ["10000000 km north of Kyiv", "2001 km from Kyiv",
                                   "10,000 km north of Kyiv", "1300 miles south of Kursk",
                                   "9" * 150 + " km north of Kyiv"])
def test_a_relative_distance_beyond_the_bound_is_refused(query):
    with pytest.raises(QueryError, match=f"at most {MAX_RELATIVE_DISTANCE_KM:,} km"):
        parse_query(query)


def test_thousands_separators_in_a_distance_are_read_as_such():
    assert parse_query("1,200 km north of Kyiv").relation.distance_km == 1200
    assert parse_query("2.5 km north of Kyiv").relation.distance_km == 2.5
    assert parse_query("Kharkiv,Ukraine").hints == ("Ukraine",)
    assert parse_query("2000 km from Kyiv").relation.distance_km == 2000


@pytest.mark.parametrize("query", ["10000000 km north of Kyiv", "25,000 km from Kyiv"])
def test_geocode_refuses_an_absurd_distance_in_one_line(cli, query):
    result = cli("geocode", query)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "too far" in lines[0] and "2,000 km" in lines[0], lines
    assert result.stdout == ""


def test_the_bound_is_within_what_the_event_model_stores(geocoder):
    from geodata.events.model import MAX_RADIUS_KM

    far = geocoder.candidates(f"{MAX_RELATIVE_DISTANCE_KM} km from Kyiv", limit=1)[0]
    assert far.radius_km <= MAX_RADIUS_KM


"""Name keys, feature words and query parsing: the pure functions under the geocoder."""

import pytest

from geodata.places.features import split_feature
from geodata.places.normalize import loose_key, name_key
from geodata.places.query import MAX_QUERY_LENGTH, QueryError, parse_query


@pytest.mark.parametrize("a, b", [
    ("Kharkiv", "KHARKIV"),
    ("Kup'yans'k", "Kupyansk"),
    ("Svyatohirs’k", "svyatohirsk"),
    ("Kurskaya oblast'", "kurskaya oblast"),
    ("Tumangang–Khasan", "tumangang-khasan"),
    ("Zaporizhzhia  Oblast", "zaporizhzhia oblast"),
    ("Dnipro.", "dnipro"),
    ("São Paulo", "Sao Paulo"),
])
def test_name_key_folds_case_diacritics_apostrophes_and_dashes(a, b):
    assert name_key(a) == name_key(b)


def test_name_key_transliterates_cyrillic():
    assert name_key("Харків") == "kharkiv"
    assert name_key("Курск") == "kursk"


@pytest.mark.parametrize("a, b", [
    ("Svyatohirsk", "Sviatohirsk"),
    ("Vostochny", "Vostochnyy"),
    ("Zaporozhye", "Zaporozhe"),
    ("Kupiansk", "Kupyansk"),
    ("Kharkow", "Kharkov"),
])
def test_loose_key_merges_romanisation_variants(a, b):
    assert name_key(a) != name_key(b)
    assert loose_key(a) == loose_key(b)


def test_loose_key_keeps_different_names_apart():
    assert loose_key("Kursk") != loose_key("Kherson")
    assert loose_key("Kyiv") != loose_key("Kiev")


@pytest.mark.parametrize("key, expected", [
    ("kursk region", ("kursk", "region")),
    ("the kursk region", ("kursk", "region")),
    ("kurskaya oblast", ("kurskaya", "region")),
    ("port of rajin", ("rajin", "port")),
    ("vostochny spaceport", ("vostochny", "cosmodrome")),
    ("tumangang khasan rail crossing", ("tumangang khasan", "rail")),
    ("republic of crimea", ("crimea", "region")),
    ("kharkiv", ("kharkiv", None)),
])
def test_split_feature(key, expected):
    assert split_feature(key) == expected


def test_parse_query_splits_hints():
    parsed = parse_query("Pokrovsk, Donetsk Oblast, Ukraine")
    assert parsed.name == "Pokrovsk"
    assert parsed.hints == ("Donetsk Oblast", "Ukraine")
    assert parsed.relation is None


@pytest.mark.parametrize("text, anchor, relation, bearing, distance", [
    ("north of Kyiv", "Kyiv", "direction", 0, None),
    ("to the south-east of Kharkiv", "Kharkiv", "direction", 135, None),
    ("northwest of Belgorod", "Belgorod", "direction", 315, None),
    ("200 km from Blagoveshchensk", "Blagoveshchensk", "offset", None, 200),
    ("about 30 km north-east of Kharkiv", "Kharkiv", "offset", 45, 30),
    ("10 miles west of Kursk", "Kursk", "offset", 270, 16.09344),
    ("near Belgorod", "Belgorod", "near", None, None),
    ("on the outskirts of Tsiolkovsky", "Tsiolkovsky", "near", None, None),
    ("northern Kharkiv Oblast", "Kharkiv Oblast", "part", 0, None),
    ("eastern Ukraine", "Ukraine", "part", 90, None),
])
def test_parse_relations(text, anchor, relation, bearing, distance):
    parsed = parse_query(text)
    assert parsed.name == anchor
    assert parsed.relation.relation == relation
    assert parsed.relation.bearing == bearing
    assert parsed.relation.distance_km == (pytest.approx(distance) if distance else None)


@pytest.mark.parametrize("bad, message", [
    ("", "empty"),
    ("   ", "empty"),
    ("x" * (MAX_QUERY_LENGTH + 1), "too long"),
    ("Kyiv\x00\x01", "control or binary"),
    ("\ufffd\ufffdPNG", "control or binary"),
    (b"Kyiv", "not bytes"),
    (None, "must be text"),
    ("12345", "no letters"),
    ("--, Ukraine", "no name before"),
])
def test_parse_query_rejects_what_cannot_be_a_place(bad, message):
    with pytest.raises(QueryError, match=message):
        parse_query(bad)

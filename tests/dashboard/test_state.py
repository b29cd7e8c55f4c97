"""The URL state (dashboard/state.py) on its own: every field of a link applies or is
ignored with a notice, and no query string, however malformed, raises."""

from __future__ import annotations

import random
import time
from datetime import date
from urllib.parse import parse_qs, quote

from dashboard.state import DATE_MAX, DATE_MIN, MAX_NOTICES, PRECISIONS, ViewState, from_query
from dashboard.style import KINDS
from geodata import systems

SOURCES = {"seed-source", "hostile-source"}


def test_an_empty_precision_is_ignored_with_a_notice():
    state, notices = from_query({"prec": ""}, SOURCES)
    assert state.precision is None
    assert len(notices) == 1 and "“prec=”" in notices[0] and "empty" in notices[0]


def test_every_precision_the_filter_accepts_is_kept():
    for prec in ("1", "2", "3", "4"):
        state, notices = from_query({"prec": prec}, SOURCES)
        assert (state.precision, notices) == (int(prec), [])


def test_since_alone_and_until_alone_apply():
    state, notices = from_query({"since": "2024-01-01"}, SOURCES)
    assert (state.since, state.until, notices) == (date(2024, 1, 1), None, [])
    assert state.to_query() == {"since": "2024-01-01"}
    state, notices = from_query({"until": "2024-03-31"}, SOURCES)
    assert (state.since, state.until, notices) == (None, date(2024, 3, 31), [])


def test_a_date_beyond_what_the_date_picker_shows_is_ignored_with_a_notice():
    for value in ("0001-01-01", "9999-12-31"):
        state, notices = from_query({"since": value}, SOURCES)
        assert state.since is None and len(notices) == 1 and f"since={value}" in notices[0]


def test_empty_and_blank_values_are_ignored_with_a_notice():
    for key in ("kind", "system", "country", "source", "status", "since", "until", "prec", "q", "ring", "event"):
        for value in ("", "   ", ","):
            state, notices = from_query({key: value}, SOURCES)
            assert state == ViewState(), (key, value)
            assert len(notices) == 1 and f"“{key}=" in notices[0], (key, value, notices)


def test_a_repeated_field_uses_the_last_value_and_says_so():
    state, notices = from_query({"kind": ["test", "strike"]}, SOURCES)
    assert state.kinds == ["strike"]
    assert len(notices) == 1 and "“kind”" in notices[0] and "2 times" in notices[0]


def test_an_event_id_that_cannot_be_one_is_ignored_with_a_notice():
    state, notices = from_query({"event": "x" * 300}, SOURCES)
    assert state.event is None and len(notices) == 1 and "“event=" in notices[0]
    assert from_query({"event": "strike-kharkiv-2024-01-02"}, SOURCES) == (
        ViewState(event="strike-kharkiv-2024-01-02"), [])


def test_notices_are_bounded_in_number_and_length():
    params = {f"junk{i}{'x' * 5000}": "y" * 5000 for i in range(40)}
    _, notices = from_query(params, SOURCES)
    assert len(notices) == MAX_NOTICES + 1
    assert "32 more" in notices[-1]
    assert all(len(n) <= 400 and "\n" not in n for n in notices)


# --- the fuzz test -----------------------------------------------------------------

KEYS = ["kind", "system", "country", "source", "status", "since", "until", "prec", "q", "ring", "event"]
GOOD = ["strike", "transfer,deployment", "kn-23", "Hwasong-11,KN-24", "UA", "ua,ru", "seed-source",
        "confirmed", "2024-01-01", "2024-03-31", "20240101", "1", "4", "٣", "kharkiv", "kn-23",
        "strike-kharkiv-2024-01-02"]
HOSTILE = ["", " ", ",", ",,,", "\x00", "\n\r\t", "![x](http://203.0.113.24/a.png)", "[text](http://e.com)",
           "<img src=x onerror=alert(1)>", "</script>", "{{7*7}}", "{% raw %}", "{#", "Strike {{citation needed}}",
           ":red[x] :material/home: $x^2$", "# heading", "`code`", "*a* _b_", "1e400", "-1", "NaN", "0",
           "99999999999999999999999999", "0001-01-01", "9999-12-31", "2024-02-30", "2024-13-01", "\ud800",
           "\u202e\u200b", "中文", "Ⅻ", "²", "None", "true", "../../etc/passwd", "%00", "a" * 250]


def _value(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(GOOD)
    if roll < 0.6:
        return rng.choice(HOSTILE)
    if roll < 0.7:
        return rng.choice(GOOD + HOSTILE) * rng.choice([10, 300, 1000])  # long and huge
    if roll < 0.8:
        return ",".join(rng.choice(GOOD + HOSTILE) for _ in range(rng.randint(2, 5)))
    return "".join(chr(rng.choice([rng.randint(0, 0x7f), rng.randint(0x80, 0x2fff), rng.randint(0xd800, 0xdfff),
                                    rng.randint(0x1f300, 0x1f6ff)])) for _ in range(rng.randint(0, 30)))


def _query(rng: random.Random) -> str:
    """A query string as a browser sends it: keys repeat, values are percent-encoded."""
    pairs = []
    for _ in range(rng.randint(0, 8)):
        key = rng.choice(KEYS) if rng.random() < 0.8 else _value(rng)
        pairs.append(f"{quote(key, errors='surrogatepass')}={quote(_value(rng), errors='surrogatepass')}")
    return "&".join(pairs)


def _check(params: dict, state: ViewState, notices: list[str]) -> None:
    state.event_filter()  # builds: never raises
    catalogue = systems.catalogue()
    assert set(state.kinds) <= set(KINDS) and set(state.systems) <= set(catalogue.systems)
    assert set(state.sources) <= SOURCES and all(len(c) == 2 for c in state.countries)
    assert state.precision in (None, *PRECISIONS)
    assert all(DATE_MIN <= d <= DATE_MAX for d in (state.since, state.until) if d)
    assert not (state.since and state.until and state.since > state.until)
    assert state.ring is None or catalogue.systems[state.ring].nominal_range_km
    assert len(state.text) <= 200 and state.text == state.text.strip()
    assert all(len(n) <= 400 and "\n" not in n and "\r" not in n for n in notices)
    assert len(notices) <= MAX_NOTICES + 1
    applied = state.to_query()
    ignored = [key for key in params if key not in applied]
    shown = {key: "".join(c if c.isprintable() else " " for c in key)[:20] for key in ignored}
    named = [key for key in ignored if any(f"“{shown[key]}" in n for n in notices)]
    more = int(notices[-1].split(" more")[0].split()[-1]) if notices and " more fields" in notices[-1] else 0
    assert len(named) + more >= len(ignored), (params, notices)
    # a link the page writes opens the same view, without notices
    assert from_query(applied, SOURCES) == (state, [])


def test_fuzzed_links_never_raise_and_every_ignored_field_gets_a_notice():
    rng = random.Random(9)
    deadline, cases = time.monotonic() + 3, 0
    while time.monotonic() < deadline and cases < 3000:
        query = _query(rng)
        params = parse_qs(query, keep_blank_values=True, errors="surrogateescape")
        state, notices = from_query(params, SOURCES)
        _check(params, state, notices)
        last = {key: values[-1] for key, values in params.items()}  # as dict(st.query_params)
        _check(last, *from_query(last, SOURCES))
        cases += 1
    assert cases >= 200


def test_a_link_keeps_the_map_centre_and_zoom():
    state, notices = from_query({"c": "48.5,35.25", "z": "6"}, SOURCES)
    assert (state.centre, state.zoom, notices) == ((48.5, 35.25), 6, [])
    assert state.to_query() == {"c": "48.5000,35.2500", "z": "6"}
    assert from_query(state.to_query(), SOURCES)[0] == state


def test_a_malformed_centre_or_zoom_is_ignored_with_a_notice_and_the_rest_applies():
    for key, value in (("c", "48.5"), ("c", "91,30"), ("c", "45,181"), ("c", "nan,30"), ("c", "1e999,3"),
                       ("c", "north,east"), ("c", "1,2,3"), ("z", "1"), ("z", "19"), ("z", "5.5"),
                       ("z", "-3"), ("z", "٥"), ("z", ""), ("c", " , ")):
        state, notices = from_query({key: value, "kind": "strike"}, SOURCES)
        assert (state.centre, state.zoom) == (None, None), (key, value)
        assert state.kinds == ["strike"]
        assert len(notices) == 1 and f"“{key}=" in notices[0], (key, value, notices)


def test_the_centre_in_a_link_is_folded_into_the_world():
    from dashboard.state import map_centre

    assert map_centre(50.0, 190.0) == (50.0, -170.0)
    assert map_centre(50.0, -181.0) == (50.0, 179.0)


def test_a_tag_in_the_link_filters_ignoring_case_and_goes_back_into_the_link():
    state, notices = from_query({"tag": "Air Force Log, ballistic"}, set())
    assert notices == [] and state.tags == ["air force log", "ballistic"]
    assert state.event_filter().tags == frozenset({"air force log", "ballistic"})
    assert from_query(state.to_query(), set())[0].tags == state.tags
    _, notices = from_query({"tag": "x" * 150}, set())  # longer than a tag may be
    assert len(notices) == 1 and "tag" in notices[0]

"""Time on the dashboard (issue 14 item 1): the timeline's brush becomes since/until,
playback steps a week or month window through the catalogue with the map following,
and dates keep their precision (a month-precision event shows over its whole month)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from dashboard import timeplay
from tests.dashboard.conftest import map_features


def _ids(at) -> set[str]:
    return {f["properties"]["id"] for f in map_features(at)}


def _count(at) -> int:
    line = next(m.value for m in at.markdown if " events**" in m.value)
    return int(line.split("**")[1].split(" of ")[0].replace(",", ""))


def _ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp() * 1000)


def test_windows_are_calendar_weeks_and_months():
    assert timeplay.window(date(2024, 10, 10), "week") == (date(2024, 10, 7), date(2024, 10, 13))
    assert timeplay.window(date(2024, 2, 10), "month") == (date(2024, 2, 1), date(2024, 2, 29))
    first, last = date(2023, 8, 1), date(2025, 6, 30)
    assert timeplay.shifted(None, "month", 1, first, last) == (date(2023, 8, 1), date(2023, 8, 31))
    assert timeplay.shifted(date(2023, 12, 5), "month", 1, first, last) == (date(2024, 1, 1), date(2024, 1, 31))
    assert timeplay.shifted(date(2024, 1, 1), "week", -1, first, last) == (date(2023, 12, 25), date(2023, 12, 31))
    assert timeplay.shifted(date(2025, 6, 20), "month", 1, first, last) == (date(2025, 6, 1), date(2025, 6, 30))
    assert timeplay.at_end(date(2025, 6, 3), "month", last)


def test_a_brush_becomes_a_period_and_garbage_is_no_period():
    assert timeplay.brushed_period({"month": [_ms(date(2024, 3, 1)), _ms(date(2024, 5, 17))]}, "month") == (
        date(2024, 3, 1), date(2024, 5, 17))
    assert timeplay.brushed_period({"month": ["2024-05-17T00:00:00.000Z", "2024-03-01"]}, "month") == (
        date(2024, 3, 1), date(2024, 5, 17))
    for bad in (None, {}, {"month": []}, {"month": [1]}, {"month": ["soon", "later"]},
                {"month": [float("nan"), 0]}, {"month": [True, False]}, {"month": [1e300, 0]}):
        assert timeplay.brushed_period(bad, "month") is None, bad


def test_the_timeline_counts_an_event_in_every_month_it_spans(app, seed_db):
    from dashboard import data
    from geodata.events.filters import EventFilter
    from geodata.store import Store

    store = Store(seed_db)
    rows = data.timeline(store, store.revision(), EventFilter.build(kinds=["transfer"], systems=["s-400"]))
    # the one S-400 transfer is dated only to 2024: drawn faint over all twelve months
    assert [(m, k, spread, n) for m, k, spread, n in rows] == [
        (f"2024-{m:02d}", "transfer", True, 1) for m in range(1, 13)]


def test_stepping_moves_a_month_window_and_the_map_count_and_link_follow(app):
    at = app()
    total = _count(at)
    at.button(key="play_next").click().run()
    since, until = date.fromisoformat(at.query_params["since"]), date.fromisoformat(at.query_params["until"])
    assert (since.day, until) == (1, timeplay.window(since, "month")[1])
    first = _count(at)
    assert first < total
    at.button(key="play_next").click().run()
    assert date.fromisoformat(at.query_params["since"]) == until + timedelta(days=1)
    at.button(key="play_back").click().run()
    assert date.fromisoformat(at.query_params["since"]) == since


def test_a_week_window_shows_a_month_precision_event_all_month(app):
    at = app({"kind": "deployment"})
    at.radio(key="w_step").set_value("week").run()
    at.date_input(key="w_dates").set_value((date(2024, 10, 21), date(2024, 10, 27))).run()
    at.button(key="play_next").click().run()  # the last week of October 2024
    assert at.query_params["since"] == "2024-10-28" and at.query_params["until"] == "2024-11-03"
    assert "deployment-kp-troops-to-russia-2024-10" in _ids(at)  # dated only "October 2024"


def test_play_starts_at_the_first_window_and_pause_stops(app):
    at = app()
    at.button(key="play_toggle").click().run()
    assert at.session_state.playing
    assert at.button(key="play_toggle").label == "Pause"
    since = date.fromisoformat(at.query_params["since"])
    assert since.day == 1
    at.button(key="play_toggle").click().run()
    assert not at.session_state.playing and at.button(key="play_toggle").label == "Play"

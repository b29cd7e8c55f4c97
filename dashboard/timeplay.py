"""Time on the dashboard, without Streamlit: the period a timeline brush selects, and
the windows playback steps through.

A window is a calendar week (Monday to Sunday) or a calendar month. The filter keeps
events whose dates overlap the window, so an event known only to its month is shown in
every week of that month, and one known only to its year in every window of that year:
playback never pins an imprecise date to one day.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone

from dashboard.state import DATE_MAX, DATE_MIN

STEPS = {"week": "Week", "month": "Month"}


def window(day: date, step: str) -> tuple[date, date]:
    """The week (Monday-Sunday) or calendar month holding ``day``."""
    if step == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if step == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    raise ValueError(f"unknown step {step!r}")


def shifted(since: date | None, step: str, direction: int, first: date, last: date) -> tuple[date, date]:
    """The window one step after (direction 1) or before (-1) the one holding ``since``,
    kept within the catalogue's span [first, last]; with no ``since`` yet, the first
    window (stepping forward) or the last one (stepping back)."""
    if since is None:
        return window(first if direction > 0 else last, step)
    start, end = window(since, step)
    target = end + timedelta(days=1) if direction > 0 else start - timedelta(days=1)
    target = min(max(target, first), last)
    return window(target, step)


def at_end(since: date | None, step: str, last: date) -> bool:
    """True when the window holding ``since`` already holds the catalogue's last day."""
    return since is not None and window(since, step)[1] >= last


def _day(value) -> date | None:
    """A brush end as a date: Vega-Lite gives epoch milliseconds (UTC) or an ISO text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if value != value or abs(value) > 1e15:
            return None
        return datetime.fromtimestamp(value / 1000, tz=timezone.utc).date()
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


def brushed_period(selection: Mapping | None, field: str) -> tuple[date, date] | None:
    """(since, until) of an interval brush on the timeline's ``field``, clamped to the
    date picker's bounds; None when nothing (or nothing readable) is brushed."""
    values = (selection or {}).get(field)
    if not isinstance(values, (list, tuple)) or len(values) != 2:
        return None
    days = [_day(v) for v in values]
    if None in days:
        return None
    since, until = sorted(min(max(d, DATE_MIN), DATE_MAX) for d in days)
    return since, until

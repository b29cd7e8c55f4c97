"""Play the catalogue through time: a window of a week or a month that steps forward
on its own (or by the step buttons), the map, count, table and link following it.

Streamlit has no timers; a fragment that reruns every ``TICK_SECONDS`` while playing
asks for the next window and reruns the whole page. The step buttons do the same in
one click, so playback is also usable (and testable) without the timer.
"""

from __future__ import annotations

import time
from datetime import date

import streamlit as st

from dashboard import sidebar, timeplay

TICK_SECONDS = 1.5


def _step(direction: int, first: date, last: date) -> None:
    since, _ = sidebar.period()
    sidebar.set_period(*timeplay.shifted(since, st.session_state.w_step, direction, first, last))


def _toggle(first: date, last: date) -> None:
    ss = st.session_state
    ss.playing = not ss.get("playing", False)
    if ss.playing:
        since, until = sidebar.period()
        step = ss.w_step
        if since is None or timeplay.at_end(since, step, last):
            sidebar.set_period(*timeplay.window(first, step))  # from the start
        elif (since, until) != timeplay.window(since, step):
            sidebar.set_period(*timeplay.window(since, step))  # snap a period to the window


def _label(since: date | None, until: date | None) -> str:
    if since is None and until is None:
        return "All dates."
    return f"Showing {since or 'the start'} to {until or 'the end'}."


def controls(first: date | None, last: date | None) -> None:
    """The step selector, ◀ / Play / ▶, and the window shown."""
    if first is None or last is None:
        return
    ss = st.session_state
    ss.setdefault("w_step", "month")
    ss.setdefault("playing", False)
    step_col, back, play, forward, shown = st.columns([2.2, 1, 1.4, 1, 5], vertical_alignment="center")
    step_col.radio("Step", list(timeplay.STEPS), key="w_step", horizontal=True,
                   format_func=timeplay.STEPS.get, label_visibility="collapsed")
    back.button("◀", key="play_back", on_click=_step, args=(-1, first, last), width="stretch",
                help="One step back")
    play.button("Pause" if ss.playing else "Play", key="play_toggle", on_click=_toggle,
                args=(first, last), type="primary" if ss.playing else "secondary", width="stretch",
                help="Step through the catalogue by week or month; the map follows")
    forward.button("▶", key="play_next", on_click=_step, args=(1, first, last), width="stretch",
                   help="One step forward")
    since, until = sidebar.period()
    shown.caption(_label(since, until) + " Events whose dates overlap the window: one known "
                  "only to its month or year shows in every window of it.")
    _ticker(first, last)


@st.fragment(run_every=TICK_SECONDS)
def _tick(first: date, last: date) -> None:
    """Called once in every page run (do nothing: the page was just drawn) and then by
    the timer (step and rerun the page)."""
    ss = st.session_state
    if not ss.get("playing") or time.monotonic() - ss.get("drawn_at", 0.0) < TICK_SECONDS / 2:
        return
    since, _ = sidebar.period()
    if timeplay.at_end(since, ss.w_step, last):
        ss.playing = False
    else:
        sidebar.request_period(*timeplay.shifted(since, ss.w_step, 1, first, last))
    st.rerun(scope="app")


def _ticker(first: date, last: date) -> None:
    if st.session_state.get("playing"):
        st.session_state.drawn_at = time.monotonic()
        _tick(first, last)

"""The map's view (issue 14 item 2): it opens framed on the filtered events (both
theatres), and a shared link keeps the viewer's centre and zoom."""

from __future__ import annotations

import re
from unittest.mock import patch

from dashboard.testing import map_args, plain


def _fit_bounds(at) -> list[list[float]] | None:
    found = re.search(r"fitBounds\(\s*(\[\[.*?\]\])", map_args(at)["script"], re.S)
    return eval(found.group(1)) if found else None  # noqa: S307 (our own JSON numbers)


def _opened_at(at) -> tuple[list[float], int]:
    script = map_args(at)["script"]
    centre = re.search(r"center: \[([-\d.]+), ([-\d.]+)\]", script)
    zoom = re.search(r'"zoom": (\d+)', script)
    return [float(centre.group(1)), float(centre.group(2))], int(zoom.group(1))


def test_the_map_opens_framed_on_both_theatres_not_on_all_eurasia(app):
    (south, west), (north, east) = _fit_bounds(app())
    assert south < 37.6 and north > 50.4      # Seoul and Kyiv
    assert west < 31 and east > 127          # Ukraine and the Korean peninsula
    assert north < 60                        # not Russia's Siberian centre


def test_the_map_opens_framed_on_the_filtered_events(app):
    (south, west), (north, east) = _fit_bounds(app({"kind": "strike"}))
    assert west > 25 and east < 45 and south > 40 and north < 56  # strikes: Ukraine only


def test_a_shared_link_opens_at_its_centre_and_zoom(app):
    at = app({"c": "50.0000,36.2500", "z": "8", "kind": "strike"})
    assert _opened_at(at) == ([50.0, 36.25], 8)
    assert _fit_bounds(at) is None
    assert at.query_params["c"] == "50.0000,36.2500" and at.query_params["z"] == "8"
    assert not at.warning


def test_a_malformed_centre_is_named_and_the_map_is_framed_instead(app):
    at = app({"c": "95,36", "z": "zoomed", "kind": "strike"})
    warnings = " ".join(plain(w.value) for w in at.warning)
    assert "c=95,36" in warnings and "z=zoomed" in warnings
    assert _fit_bounds(at) is not None
    assert "c" not in at.query_params and at.query_params["kind"] == "strike"


def test_panning_the_map_puts_its_centre_and_zoom_in_the_link(app):
    moved = {"last_active_drawing": None, "center": {"lat": 47.1234567, "lng": 190.5}, "zoom": 6}
    at = app()
    with patch("streamlit_folium.st_folium", return_value=moved):
        at.run()
    assert at.query_params["c"] == "47.1235,-169.5000" and at.query_params["z"] == "6"
    with patch("streamlit_folium.st_folium", return_value=moved):
        at.multiselect(key="w_kinds").set_value(["strike"]).run()  # a filter keeps the view
    assert at.query_params["c"] == "47.1235,-169.5000" and at.query_params["kind"] == "strike"

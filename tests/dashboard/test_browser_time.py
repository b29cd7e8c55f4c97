"""Issue 14 in headless Chromium, every remote request blocked: brushing the timeline,
playback, a shared view, and honest flows (a country-level deployment as a schematic
arrow, Rajin -> Vostochny as a geodesic route)."""

from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pytest

from tests.dashboard.conftest import ROOT
from tests.dashboard.test_browser import (ARTIFACTS, SEED_EVENTS, _count_text, _drawn, _idle, _map,  # noqa: F401
                                          _running, _visit, browser_type_launch_args, offline_page)

RAJIN_VOSTOCHNY = "transfer-rajin-to-vostochny-test"
ADD_ROUTE = f"""
from geodata.events.catalogue import Catalogue
from geodata.events.model import Event, Source
from geodata.store import Store
store = Store(DB_PATH)
source = Source(id="route-test-source", publisher="Test Wire", title="Ships from Rajin", published="2024-06-01")
event = Event.model_validate({{
    "id": "{RAJIN_VOSTOCHNY}", "kind": "transfer", "title": "Containers shipped from Rajin to Vostochny",
    "date": "2024-05", "status": "reported",
    "origin": {{"name": "Rajin port", "lat": 42.256, "lon": 130.298, "geo_precision": 1, "country": "KP"}},
    "destination": {{"name": "Vostochny port", "lat": 42.733, "lon": 133.067, "geo_precision": 1, "country": "RU"}},
    "sources": [{{"id": "route-test-source", "evidence": "test"}}]}})
store.put(Catalogue({{source.id: source}}, [event]))
"""


@pytest.fixture(scope="module")
def flows_app(tmp_path_factory):
    """The seed catalogue and one transfer between two ports (the seed has no known route)."""
    db = str(tmp_path_factory.mktemp("flows") / "events.sqlite")
    subprocess.run([sys.executable, "-c", ADD_ROUTE.replace("DB_PATH", repr(db))], cwd=ROOT, check=True)
    yield from _running(db)


def _query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def _count(page) -> int:
    return int(_count_text(page).split(" of ")[0].replace(",", ""))


def test_brushing_the_timeline_sets_the_period_count_map_and_link(flows_app, offline_page):
    page = offline_page
    _visit(page, flows_app)
    _drawn(_map(page), SEED_EVENTS + 1)
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    chart.scroll_into_view_if_needed()
    box = chart.locator("canvas, svg").first.bounding_box()
    y = box["y"] + box["height"] * 0.3
    page.mouse.move(box["x"] + box["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, y, steps=10)
    page.mouse.up()
    page.wait_for_url(re.compile(r"since=\d{4}-\d\d-\d\d.*until=\d{4}-\d\d-\d\d"), timeout=30_000)
    _idle(page)
    query = _query(page)
    assert query["since"] < query["until"]
    count = _count(page)
    assert 0 < count < SEED_EVENTS + 1
    assert _drawn(_map(page), count) == count
    picker = page.locator("[data-testid='stSidebar'] [data-testid='stDateInput'] input[type='date']")
    assert [picker.nth(0).input_value(), picker.nth(1).input_value()] == [query["since"], query["until"]]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-brushed.png"), full_page=True)


def test_playback_advances_by_month_and_the_map_follows(flows_app, offline_page):
    page = offline_page
    _visit(page, flows_app)
    _map(page)
    page.get_by_role("button", name="Play").click()
    page.wait_for_url(re.compile(r"since=\d{4}-\d\d-01"), timeout=30_000)
    first = _query(page)["since"]
    # the next window (a run begun before the click may still push the link it had)
    page.wait_for_function(f"() => (new URLSearchParams(location.search).get('since') || '') > '{first}'",
                           timeout=30_000)
    second = _query(page)["since"]
    assert second > first and second.endswith("-01")
    page.get_by_role("button", name="Pause").click()
    _idle(page)
    paused = _query(page)["since"]
    page.wait_for_timeout(3_500)
    assert _query(page)["since"] == paused  # paused: no more steps
    count = _count(page)
    assert _drawn(_map(page), count) == count


def test_a_shared_link_restores_the_centre_and_zoom(flows_app, offline_page):
    page = offline_page
    _visit(page, f"{flows_app}/?c=50.0000,36.2500&z=8")
    frame = _map(page)
    view = frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]")
    assert view[0] == pytest.approx(50.0, abs=0.01) and view[1] == pytest.approx(36.25, abs=0.01) and view[2] == 8
    frame.evaluate("() => { window.map.setView([39.0, 127.0], 6, {animate: false}); }")  # the viewer moves
    page.wait_for_url("**c=39.0000%2C127.0000**", timeout=30_000)
    assert _query(page)["z"] == "6"
    assert page.blocked == []


def test_the_map_opens_on_both_theatres(flows_app, offline_page):
    page = offline_page
    _visit(page, flows_app)
    bounds = _map(page).evaluate("() => { const b = window.map.getBounds(); return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }")
    south, west, north, east = bounds
    assert west < 30.5 and east > 130.3 and south < 37.5 and north > 50.4  # Kyiv ... Rajin, Seoul


def test_a_country_level_deployment_is_a_schematic_arrow_and_a_port_to_port_transfer_a_route(flows_app, offline_page):
    page = offline_page
    _visit(page, flows_app)
    frame = _map(page)
    _drawn(frame, SEED_EVENTS + 1)
    drawn = frame.evaluate("""() => { const out = {};
        window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
            if (!p || !p.id || p.arrow || !l.getLatLngs) return;
            const pts = l.getLatLngs().flat(2);
            out[p.id] = {n: pts.length, schematic: !!p.schematic, weight: l.options.weight,
                         dash: l.options.dashArray, end: [pts[pts.length - 1].lat, pts[pts.length - 1].lng],
                         tip: l.getTooltip() ? (l.openTooltip(), l.getTooltip().getElement().innerText) : ""}; });
        return out; }""")
    deployment = drawn["deployment-kp-troops-to-russia-2024-10"]
    assert deployment["schematic"] and deployment["n"] == 2 and deployment["weight"] <= 2
    assert deployment["end"] == pytest.approx([43.1155, 131.8855], abs=1e-3)  # Vladivostok, not Siberia
    assert deployment["tip"].startswith("Country-level (no route known)")
    route = drawn[RAJIN_VOSTOCHNY]
    assert not route["schematic"] and route["n"] > 2 and route["dash"] is None
    assert route["end"] == pytest.approx([42.733, 133.067], abs=1e-3)
    heads = frame.evaluate("""() => { let n = 0; window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
        if (p && p.arrow && p.schematic && p.id === 'deployment-kp-troops-to-russia-2024-10') n++; }); return n; }""")
    assert heads == 1
    assert "country to country: no route known" in frame.locator(".gd-legend").inner_text()
    frame.evaluate("() => { window.map.setView([41.5, 129.5], 6, {animate: false}); }")
    page.wait_for_timeout(800)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-flows.png"))

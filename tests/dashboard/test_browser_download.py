"""Issue 14 item 4 in Chromium: the "Download map" HTML opens from disk in a new browser
context with every request refused and shows the dashboard map's features, popups and
legend with the briefing around it; the PNG download is the briefing image; hostile
text (in the data and in the title) stays text."""

from __future__ import annotations

import io

from PIL import Image

from geodata.maps.briefing import DEFAULT_TITLE
from tests.dashboard.conftest import PAYLOADS
from tests.dashboard.test_browser import (ARTIFACTS, COUNT_FEATURES, SEED_EVENTS, _click_popup, _download, _drawn,  # noqa: F401
                                          _idle, _map, _visit, browser_type_launch_args, hostile_app,
                                          offline_page, seed_app)

KHARKIV = "p.id === 'strike-kharkiv-2024-01-02' && !p.arrow"
FIND_MAP = "Object.values(window).find(v => v instanceof L.Map)"
HOSTILE_TITLE = "{{ 7*7 }} <img src=x onerror=window.__xss=7> $x^2$ =SUM(A1)"


def _open_offline(browser, path):
    """The file in a fresh context whose every request is recorded, and refused unless
    it is the file itself (another file, this machine or the internet)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    blocked: list[str] = []

    def route(r):
        if r.request.url == path.as_uri():
            return r.continue_()
        blocked.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function(f"window.geodataBasemapReady === true && {FIND_MAP} !== undefined", timeout=60_000)
    page.evaluate(f"() => {{ window.map = {FIND_MAP}; }}")  # the name the helpers use
    return context, page, requested, blocked


def _popup(page, test: str, zoom: int) -> str:
    point = page.evaluate(f"""() => {{ let hit;
        window.map.eachLayer(l => {{ const p = l.feature && l.feature.properties; if (p && {test}) hit = l; }});
        window.map.setView(hit.getLatLng(), {zoom}, {{animate: false}});
        const p = window.map.latLngToContainerPoint(hit.getLatLng());
        return new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
            () => done([p.x, p.y])))); }}""")  # the canvas redrawn at the new view first
    box = page.locator(".folium-map").bounding_box()
    popup = page.locator(".leaflet-popup-content")
    for attempt in range(2):  # a click during the opening fitBounds' zoom can be swallowed
        page.mouse.click(box["x"] + point[0], box["y"] + point[1])
        try:
            popup.wait_for(timeout=5_000)
            break
        except Exception:
            if attempt:
                raise
            page.wait_for_timeout(500)
    return popup.inner_text()


def test_the_downloaded_html_map_opens_offline_with_the_same_features_and_popups(
        seed_app, offline_page, browser, tmp_path):
    page = offline_page
    _visit(page, seed_app)
    frame = _map(page)
    live_count = _drawn(frame, SEED_EVENTS)
    live_popup = _click_popup(page, frame, KHARKIV, zoom=9)
    live_legend = frame.locator(".gd-legend").inner_text()
    page.wait_for_url("**event=strike-kharkiv-2024-01-02**", timeout=30_000)  # the click's rerun
    _idle(page)
    saved = _download(page, "Download map: HTML (works offline)", tmp_path / "map.html")

    context, opened, requested, blocked = _open_offline(browser, saved)
    try:
        assert opened.evaluate(f"({COUNT_FEATURES})()") == live_count == SEED_EVENTS
        assert _popup(opened, KHARKIV, zoom=9) == live_popup
        assert opened.locator(".gd-legend").inner_text() == live_legend
        body = opened.inner_text("body")
        assert DEFAULT_TITLE in body and opened.title() == DEFAULT_TITLE
        assert "Period: all dates" in body and f"{SEED_EVENTS} events of {SEED_EVENTS}" in body
        assert "Natural Earth" in body and "GeoNames" in body and "Sources cited (" in body
        assert "Newsweek: “Russia Blows Up Its Own North Korea-Made SAM" in body
        assert opened.locator(".leaflet-control-layers").count() == 1
        assert blocked == [] and [u for u in requested if not u.startswith("data:")] == [saved.as_uri()], \
            f"requests from the standalone file: {requested[:5]}"
        ARTIFACTS.mkdir(exist_ok=True)
        opened.screenshot(path=str(ARTIFACTS / "standalone-map.png"), full_page=True)
    finally:
        context.close()


def test_the_downloaded_png_is_the_briefing_image(seed_app, offline_page, tmp_path):
    page = offline_page
    _visit(page, f"{seed_app}/?kind=strike")
    _drawn(_map(page), 7)
    saved = _download(page, "Download map: PNG", tmp_path / "map.png")
    image = Image.open(io.BytesIO(saved.read_bytes()))
    assert image.format == "PNG" and image.info["Title"] == DEFAULT_TITLE and image.width == 1800


def test_hostile_text_in_the_downloaded_html_stays_text(hostile_app, offline_page, browser, tmp_path):
    page = offline_page
    _visit(page, hostile_app)
    _drawn(_map(page), len(PAYLOADS))
    page.get_by_label("Title of the downloaded map").fill(HOSTILE_TITLE)
    page.keyboard.press("Enter")
    _idle(page)
    saved = _download(page, "Download map: HTML (works offline)", tmp_path / "hostile.html")
    context, opened, requested, blocked = _open_offline(browser, saved)
    try:
        assert opened.evaluate(f"({COUNT_FEATURES})()") == len(PAYLOADS)
        shown = opened.evaluate("""() => { const texts = [];
            window.map.eachLayer(l => { if (l.feature && l.getPopup && l.getPopup()) {
                l.openPopup(); texts.push(l.getPopup().getElement().querySelector('.leaflet-popup-content').innerText); } });
            return texts; }""")
        assert any('<img src=x onerror="window.__xss=1">' in t for t in shown)
        assert any("Strike on Kharkiv {{citation needed}}" in t for t in shown)
        assert opened.locator("h1").inner_text() == HOSTILE_TITLE
        assert PAYLOADS[0] in opened.locator(".gd-brief-sources").inner_text()
        opened.wait_for_timeout(300)
        assert opened.evaluate("() => window.__xss") is None and opened.dialogs == []
        assert opened.locator(".gd-brief img, .leaflet-popup-content img, .gd-brief script").count() == 0
        assert blocked == []
    finally:
        context.close()

"""The dashboard in headless Chromium, as a person uses it, with every request that
does not go to this machine blocked (so a CDN or tile dependency fails the test)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard.testing import block_remote
from tests.dashboard.conftest import PAYLOADS, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
SEED_EVENTS = 35

if not Path(CHROMIUM).exists():
    pytestmark = pytest.mark.skipif(not os.environ.get("CI"), reason="Debian chromium is not installed")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(db: str):
    port = _free_port()
    env = {**os.environ, "GEODATA_DB": db}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless", "true",
         "--server.port", str(port), "--global.developmentMode", "false",
         "--server.fileWatcherType", "none", "--server.enableStaticServing", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not start: {process.stdout.read().decode()[-2000:]}")


def _running(db: str):
    process, url = _serve(db)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def seed_app(seed_db):
    yield from _running(seed_db)


@pytest.fixture(scope="module")
def hostile_app(hostile_db):
    yield from _running(hostile_db)


@pytest.fixture
def offline_page(page):
    """A page whose requests leave this machine only to be refused and recorded."""
    page.blocked = block_remote(page.context)
    page.set_viewport_size({"width": 1400, "height": 1000})
    return page


def _visit(page, url: str) -> None:
    page.goto(url)
    _idle(page)


def _idle(page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stApp'][data-test-script-state='running']\")",
        timeout=60_000)


def _map(page):
    """The map's frame, once its basemap and layers are drawn."""
    page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=60_000)
    frame = page.locator('iframe[title="streamlit_folium.st_folium"]').element_handle().content_frame()
    frame.wait_for_function("window.geodataBasemapReady === true && window.map !== undefined", timeout=60_000)
    return frame


def _download(page, button: str, path):
    """Click a download button once the page is at rest. The map reports its view after
    drawing, which reruns the page; a click that lands in that rerun's swap of the
    button fetches nothing, as a person would see, so it is clicked once more."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(2):
        _idle(page)
        page.wait_for_timeout(500)
        _idle(page)
        try:
            with page.expect_download(timeout=30_000) as download:
                page.get_by_role("button", name=button).click()
            download.value.save_as(path)
            return path
        except PlaywrightTimeout:
            if attempt:
                raise
    return path


def _upload(page, path) -> None:
    """Choose ``path`` in the page's file uploader and wait until it is uploaded and the
    page has rerun with it: a button clicked before then runs without the file."""
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    page.locator("[data-testid='stFileChipName']").first.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stFileChipIconSpinner']\")", timeout=60_000)
    _idle(page)


COUNT_FEATURES = """() => { const ids = new Set();
    window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
        if (p && p.id && !p.arrow && !p.link) ids.add(p.id); });
    return ids.size; }"""


def _drawn(frame, expected: int) -> int:
    frame.wait_for_function(f"({COUNT_FEATURES})() === {expected}", timeout=30_000)
    return frame.evaluate(COUNT_FEATURES)


def _click_popup(page, frame, test: str, zoom: int) -> str:
    """Centre the map on the feature whose properties ``p`` pass the JS ``test``, click
    it with the mouse as a person would, and return its popup's text."""
    point = frame.evaluate(f"""() => {{ let hit;
        window.map.eachLayer(l => {{ const p = l.feature && l.feature.properties; if (p && {test}) hit = l; }});
        window.map.setView(hit.getLatLng(), {zoom}, {{animate: false}});
        const p = window.map.latLngToContainerPoint(hit.getLatLng()); return [p.x, p.y]; }}""")
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    return popup.inner_text()


def _count_text(page) -> str:
    return page.locator("[data-testid='stMarkdownContainer'] strong", has_text=" events").first.inner_text()


def test_map_draws_the_seed_catalogue_offline(seed_app, offline_page):
    page = offline_page
    _visit(page, seed_app)
    frame = _map(page)
    assert _drawn(frame, SEED_EVENTS) == SEED_EVENTS
    assert _count_text(page) == f"{SEED_EVENTS} of {SEED_EVENTS} events"
    legend = frame.locator(".gd-legend").inner_text()
    assert "Strikes" in legend and "Transfer routes" in legend and "approximate place" in legend
    assert frame.locator(".leaflet-control-scale").count() == 1
    assert frame.locator(".leaflet-control-zoom-fullscreen, .fullscreen-icon").count() >= 1
    assert page.blocked == [], f"requests that needed the internet: {page.blocked[:5]}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-seed.png"))


def test_changing_a_filter_in_the_sidebar_redraws(seed_app, offline_page):
    page = offline_page
    _visit(page, seed_app)
    frame = _map(page)
    _drawn(frame, SEED_EVENTS)
    kinds = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    kinds.click()
    page.keyboard.type("Strikes")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.body.innerText.includes('7 of 35 events')", timeout=30_000)
    _idle(page)
    assert _drawn(_map(page), 7) == 7
    page.wait_for_url("**kind=strike**", timeout=30_000)


def test_a_popup_lists_the_sources_and_selects_the_event(seed_app, offline_page):
    page = offline_page
    _visit(page, seed_app)
    frame = _map(page)
    _drawn(frame, SEED_EVENTS)
    text = _click_popup(page, frame, "p.id === 'strike-kharkiv-2024-01-02' && !p.arrow", zoom=9)
    assert "North Korean Hwasong-11 missile hits Kharkiv" in text
    assert "Sources" in text and "South Korean outlet" in text and "2024-05-01" in text
    assert "at least 3 killed" in text and "precision 1" in text
    page.wait_for_function("() => document.body.innerText.includes('Selected event')", timeout=30_000)
    page.wait_for_url("**event=strike-kharkiv-2024-01-02**", timeout=30_000)


def test_a_shared_link_opens_the_same_view(seed_app, offline_page):
    page = offline_page
    _visit(page, f"{seed_app}/?kind=strike&system=KN-23&since=2024-01-01&until=2024-03-31")
    assert _drawn(_map(page), 3) == 3
    assert _count_text(page) == f"3 of {SEED_EVENTS} events"
    _visit(page, f"{seed_app}/?kind=bogus&since=yesterday")
    body = page.inner_text("body")
    assert "Ignored “kind=bogus”" in body and "Ignored “since=yesterday”" in body
    assert _drawn(_map(page), SEED_EVENTS) == SEED_EVENTS


def test_markdown_in_a_link_shows_as_text_and_fetches_nothing(seed_app, offline_page):
    page = offline_page
    _visit(page, f"{seed_app}/?kind=![x](http://203.0.113.24/a.png)&ring=[text](http://203.0.113.24/)"
                 "&status=:red[alarm] $x^2$ www.example.com :smile: a@example.org")
    _drawn(_map(page), SEED_EVENTS)
    alerts = page.locator("[data-testid='stAlert']")
    assert alerts.count() == 3
    shown = " ".join(alerts.all_inner_texts()).replace("\u200b", "")
    for text in ("![x](http://203.0.113.24/a.png)", "[text](http://203.0.113.24/)", ":red[alarm] $x^2$",
                 "www.example.com :smile:"):
        assert text in shown
    found = page.locator("[data-testid='stAlert'] :is(img, a, .katex, span[style*='color'])").evaluate_all("els => els.map(e => e.outerHTML.slice(0, 200))")
    assert found == []
    assert not [url for url in page.blocked if "203.0.113.24" in url]


def test_the_geojson_download_is_the_command_line_export(seed_app, seed_db, offline_page, cli, tmp_path):
    page = offline_page
    _visit(page, f"{seed_app}/?kind=strike")
    _map(page)
    saved = _download(page, "GeoJSON of these 7 events", tmp_path / "download.geojson")
    expected = tmp_path / "cli.geojson"
    assert cli("export", str(expected), "--kind", "strike", "--db", seed_db).returncode == 0
    assert saved.read_bytes() == expected.read_bytes()


def test_script_payloads_in_data_never_run(hostile_app, offline_page):
    page = offline_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _visit(page, hostile_app)
    frame = _map(page)
    _drawn(frame, len(PAYLOADS))
    shown = frame.evaluate("""() => { const texts = [];
        window.map.eachLayer(l => { if (l.feature && l.getPopup && l.getPopup()) {
            l.openPopup(); texts.push(l.getPopup().getElement().querySelector('.leaflet-popup-content').innerText);
            l.openTooltip && l.openTooltip(); } });
        return texts; }""")
    assert len(shown) == len(PAYLOADS)
    assert any('<img src=x onerror="window.__xss=1">' in t for t in shown), "payloads show as text"
    assert any("Strike on Kharkiv {{citation needed}}" in t and " Wire {#" in t for t in shown)
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    page.wait_for_timeout(500)
    for target in (page, frame):
        assert target.evaluate("() => window.__xss") is None
    assert frame.locator(".leaflet-popup-content img, .leaflet-popup-content svg, .leaflet-popup-content script").count() == 0
    assert dialogs == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-hostile.png"))
    _visit(page, f"{hostile_app}/?event=hostile-0")  # the details panel and its source table
    page.wait_for_function("() => document.body.innerText.includes('Selected event')", timeout=30_000)
    assert PAYLOADS[0] in page.inner_text("body")
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__xss") is None and dialogs == []


NEW_REPORT = """ZAPORIZHZHIA, Ukraine (Test Wire) — A North Korean KN-23 missile struck Zaporizhzhia on \
March 14, 2024, killing two people, the regional governor said. Prosecutors said the missile was \
fired from the Rostov region of Russia."""


@pytest.fixture(scope="module")
def report_app(tmp_path_factory):
    db = tmp_path_factory.mktemp("report") / "events.sqlite"
    subprocess.run([sys.executable, "-c", f"from geodata.store import Store; Store({str(db)!r})"],
                   cwd=ROOT, check=True)  # a seeded store of its own: this test writes to it
    yield from _running(str(db))


GRID_ROWS = """() => [...document.querySelectorAll("[data-testid='stDataFrame'] table tr")]
    .map(r => [...r.children].map(c => c.innerText.trim()))"""


def test_a_pasted_report_becomes_an_event_on_the_map(report_app, offline_page):
    page = offline_page
    _visit(page, f"{report_app}/add-report")
    page.get_by_label("Report text").fill(NEW_REPORT)
    page.get_by_label("Publisher").fill("Test Wire {# {{citation needed}}")  # template syntax: only text
    for part, value in (("year", "2024"), ("month", "03"), ("day", "15")):
        spin = page.get_by_role("spinbutton", name=f"{part}, Published on")
        spin.click()
        spin.press_sequentially(value)
    page.get_by_role("button", name="Extract").click()
    page.locator("mark.gd-place").first.wait_for(timeout=60_000)
    _idle(page)
    assert "Zaporizhzhia" in page.locator("mark.gd-place").all_inner_texts()
    assert page.locator("mark.gd-system").all_inner_texts() == ["KN-23"]
    assert page.locator("mark.gd-date").all_inner_texts() == ["March 14, 2024"]
    places = _map(page).evaluate("""() => { let n = 0; window.map.eachLayer(l => {
        if (l.feature && l.feature.properties.k === 'place') n++; }); return n; }""")
    assert places >= 3

    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({GRID_ROWS})().length > 1", timeout=30_000)  # drawn after the grid box
    rows = page.evaluate(GRID_ROWS)  # the grid's accessible copy: header, then one row per candidate
    confidence = rows[0].index("confidence")
    shown = [float(r[confidence]) for r in rows[1:]]
    assert shown == sorted(shown, reverse=True)  # the most confident rows first
    page.get_by_role("button", name="Reject all").click()  # start from nothing ticked
    page.wait_for_function(f"""() => {{ const rows = ({GRID_ROWS})();
        if (rows.length < 2) return false;  // redrawn
        const at = rows[0].indexOf("accept");
        return rows.slice(1).every(r => r[at] === "false"); }}""", timeout=30_000)
    _idle(page)
    grid = page.locator("[data-testid='stDataFrame']").first
    rows = page.evaluate(GRID_ROWS)
    kind, accept = rows[0].index("kind"), rows[0].index("accept")
    strike_row = next(i for i, r in enumerate(rows[1:]) if r[kind] == "strike")
    assert rows[strike_row + 1][accept] == "false"
    store = page.get_by_role("button", name="Store 1 accepted events")
    for attempt in range(3):  # under load the grid may swallow the first click while it redraws
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 12, box["y"] + 35 * (strike_row + 1) + 17)  # the accept cell
        page.keyboard.press("Space")
        try:
            store.wait_for(timeout=15_000)
            break
        except Exception:
            if attempt == 2:
                raise
            _idle(page)
            if page.evaluate(GRID_ROWS)[strike_row + 1][accept] == "true":
                break  # ticked after all: the button is on its way
    _idle(page)
    store.click()
    page.get_by_text("Stored 1 new events").wait_for(timeout=60_000)

    page.get_by_role("link", name="See this report's events on the map").click()
    page.wait_for_url("**source=report-**", timeout=60_000)
    _idle(page)
    frame = _map(page)
    assert _drawn(frame, 1) == 1
    assert _count_text(page) == f"1 of {SEED_EVENTS + 1} events"
    text = _click_popup(page, frame, "p.k === 'strike'", zoom=8)
    assert "Test Wire {# {{citation needed}}" in text and "14 Mar 2024" in text and "Zaporizhzh" in text
    assert page.blocked == [], f"requests that needed the internet: {page.blocked[:5]}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-added-report.png"))


def test_an_uploaded_binary_file_is_refused_and_nothing_stored(report_app, offline_page, tmp_path):
    page = offline_page
    _visit(page, f"{report_app}/add-report")
    binary = tmp_path / "*bold* :red[x] report.txt"  # the name is quoted in the error: as text
    binary.write_bytes(b"PK\x03\x04\x00\x00binary zip, not a report" * 10)
    _upload(page, binary)
    page.get_by_label("Publisher").fill("Test Wire")
    page.get_by_role("button", name="Extract").click()
    error = page.locator("[data-testid='stAlert']", has_text="report.txt contains NUL bytes")
    error.wait_for(timeout=60_000)
    assert "Nothing was stored" in error.inner_text()
    assert "*bold* :red[x] report.txt" in error.inner_text().replace("\u200b", "")
    assert error.locator("em, strong, span[style*='color']").count() == 0
    assert page.locator("mark.gd-place").count() == 0

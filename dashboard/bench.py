"""`python -m dashboard.bench`: the dashboard at 10^5 and 10^6 synthetic events, next to
the plain folium approaches (one GeoJson layer; FastMarkerCluster) in the same run.

Figures per size: what the map component sends (st_folium's arguments, measured with
AppTest), time until the map is drawn in headless Chromium with every non-local request
blocked, and time from a filter change in the sidebar to the redrawn map. The peers are
standalone folium pages served from this machine with the same offline Leaflet.
Figures are printed, never asserted: machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from functools import partial
from pathlib import Path

from dashboard.testing import block_remote, map_args

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "geodata" / "maps" / "assets"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
PEER_TIMEOUT_S = 180


def store_for(size: int, folder: Path) -> Path:
    """A synthetic store of ``size`` events, built once and kept for later runs."""
    from geodata.events.synthetic import synthetic_catalogue
    from geodata.store import Store

    path = folder / f"synthetic-{size}.sqlite"
    if not path.exists():
        tmp = path.with_suffix(".building")
        tmp.unlink(missing_ok=True)
        store = Store(tmp, seed=False)
        step = 100_000
        for start in range(0, size, step):
            chunk = synthetic_catalogue(min(step, size - start), seed=start)
            for i, event in enumerate(chunk.events):  # ids unique across chunks
                chunk.events[i] = event.model_copy(update={"id": f"synthetic-{start + i:07d}"})
            store.put(chunk)
        store.close()
        tmp.rename(path)
    return path


def map_payload_bytes(db: Path) -> int:
    """Bytes of st_folium's arguments on first load: what the map component sends."""
    from streamlit.testing.v1 import AppTest

    os.environ["GEODATA_DB"] = str(db)
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=600)
    at.run()
    return len(json.dumps(map_args(at)))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


DRAWN = """() => { const f = [...document.querySelectorAll('iframe')].map(i => i.contentWindow)
    .find(w => w && w.map && w.geodataBasemapReady); if (!f) return -1; let n = 0;
    f.map.eachLayer(l => { if (l.feature && l.feature.properties && l.feature.properties.k) n++; });
    return n; }"""
IDLE = "() => !document.querySelector(\"[data-testid='stApp'][data-test-script-state='running']\")"


def dashboard_times(db: Path, browser) -> tuple[float, float, float, int]:
    """(seconds to a drawn map for the first visitor after start, then for a later one,
    seconds from a filter change to the redrawn map, features drawn)."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless", "true",
         "--server.port", str(port), "--global.developmentMode", "false", "--server.fileWatcherType",
         "none", "--server.enableStaticServing", "true"],
        cwd=ROOT, env={**os.environ, "GEODATA_DB": str(db)}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        block_remote(context)
        page = context.new_page()
        started = time.perf_counter()  # the first visitor fills the server's caches
        page.goto(url)
        page.wait_for_function(f"({DRAWN})() > 0", timeout=600_000, polling=50)
        first = time.perf_counter() - started
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_function(f"({DRAWN})() > 0", timeout=600_000, polling=50)
        ready = time.perf_counter() - started
        features = page.evaluate(DRAWN)
        page.wait_for_function(IDLE, timeout=600_000)
        kinds = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
        kinds.click()
        page.keyboard.type("Strikes")
        started = time.perf_counter()
        page.keyboard.press("Enter")
        page.wait_for_function(f"({DRAWN})() !== {features}", timeout=600_000, polling=50)
        page.wait_for_function(IDLE, timeout=600_000, polling=50)
        redraw = time.perf_counter() - started
        context.close()
        return first, ready, redraw, features
    finally:
        server.terminate()
        server.wait(timeout=30)


def _peer_page(kind: str, size: int, folder: Path) -> Path:
    """A standalone folium page with every located event, the plain way."""
    import folium
    from folium.plugins import FastMarkerCluster

    from geodata.store import Store

    store = Store(store_for(size, folder.parent), seed=False)
    points = store.points()
    store.close()
    m = folium.Map(location=[48, 70], zoom_start=3, tiles=None, prefer_canvas=True, max_zoom=18)
    m.default_js = [("leaflet", "/vendor/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", "/vendor/leaflet/leaflet.css")]
    if kind == "geojson":
        collection = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": {}}
            for lat, lon in points]}
        folium.GeoJson(collection, marker=folium.CircleMarker(radius=3)).add_to(m)
    else:
        cluster = FastMarkerCluster(points, callback="function (row) { return L.circleMarker(new L.LatLng(row[0], row[1]), {radius: 3}); }")
        cluster.default_js = [("markercluster", "/vendor/markercluster/leaflet.markercluster.js")]
        cluster.default_css = [("markercluster_css", "/vendor/markercluster/MarkerCluster.css"),
                               ("markercluster_default_css", "/vendor/markercluster/MarkerCluster.Default.css")]
        cluster.add_to(m)
    page = folder / f"{kind}-{size}.html"
    m.get_root().render()
    page.write_text(m.get_root().render().replace("</body>", "<script>window.__peerReady = true;</script></body>"))
    return page


def peer_times(size: int, folder: Path, browser) -> dict[str, tuple[int, float | None]]:
    """{approach: (bytes, seconds to drawn)} for the two plain folium approaches."""
    site = folder / "site"
    site.mkdir(exist_ok=True)
    if not (site / "vendor").exists():
        shutil.copytree(STATIC / "vendor", site / "vendor")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    results = {}
    try:
        for kind in ("geojson", "fastmarkercluster"):
            page_file = _peer_page(kind, size, site)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            block_remote(context)
            page = context.new_page()
            started = time.perf_counter()
            try:
                page.goto(f"http://127.0.0.1:{server.server_port}/{page_file.name}",
                          timeout=PEER_TIMEOUT_S * 1000, wait_until="load")
                page.wait_for_function("window.__peerReady === true", timeout=PEER_TIMEOUT_S * 1000)
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                seconds = time.perf_counter() - started
            except Exception:  # a peer that does not finish in time: reported, not fatal
                seconds = None
            results[kind] = (page_file.stat().st_size, seconds)
            context.close()
            page_file.unlink()
    finally:
        server.shutdown()
    return results


def run(sizes: list[int], folder: Path) -> None:
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'events':>10} {'approach':<28}{'map payload':>14}{'map ready':>12}{'redraw':>10}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for size in sizes:
            started = time.perf_counter()
            db = store_for(size, folder)
            print(f"{size:>10,} (store ready in {time.perf_counter() - started:.0f} s: {db})", flush=True)
            payload = map_payload_bytes(db)
            first, ready, redraw, features = dashboard_times(db, browser)
            print(f"{size:>10,} {'this dashboard':<28}{payload / 1e6:>11.2f} MB{ready:>10.2f} s"
                  f"{redraw:>8.2f} s   ({features:,} features drawn; first visit after the server "
                  f"starts {first:.2f} s; targets < 3 MB, {'3' if size <= 100_000 else '5'} s, 2 s)",
                  flush=True)
            with tempfile.TemporaryDirectory(dir=folder) as tmp:
                for kind, (size_bytes, seconds) in peer_times(size, Path(tmp), browser).items():
                    shown = f"{seconds:>10.2f} s" if seconds is not None else f"{'> ' + str(PEER_TIMEOUT_S):>10} s"
                    ratio = (f"   (peer/ours: size {size_bytes / payload:.1f}x, time {seconds / ready:.2f}x)"
                             if seconds else "")
                    print(f"{size:>10,} {'folium ' + kind:<28}{size_bytes / 1e6:>11.2f} MB{shown}"
                          f"{'':>10}{ratio}", flush=True)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m dashboard.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated event counts")
    parser.add_argument("--quick", action="store_true", help="10,000 events only (a smoke run)")
    parser.add_argument("--folder", type=Path, help="where synthetic stores are kept "
                        "(default: the geodata cache folder)")
    args = parser.parse_args()
    sizes = [10_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    from geodata.places.cache import cache_root

    run(sizes, args.folder or cache_root() / "bench-stores")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

"""The map's assets in their one home (this package's ``assets/``): linked at a URL
prefix by the dashboard (dashboard/static is a symbolic link to the folder, which
Streamlit serves at /app/static/), or inlined into a standalone page, images as data:
URIs, so that the page makes no request at all."""

from __future__ import annotations

import base64
import json
import mimetypes
import re
from functools import lru_cache
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
LEAFLET_JS, LEAFLET_CSS = "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css"
MAP_JS = [("leaflet", LEAFLET_JS), ("geodata_map", "geodata-map.js")]
MAP_CSS = [("leaflet_css", LEAFLET_CSS), ("geodata_map_css", "geodata-map.css")]
FULLSCREEN_JS = [("Control.FullScreen.js", "vendor/fullscreen/Control.FullScreen.js")]
FULLSCREEN_CSS = [("Control.FullScreen.css", "vendor/fullscreen/Control.FullScreen.css")]
BASEMAP = "basemap/countries-50m.geojson"

_CSS_URL = re.compile(r"url\((['\"]?)([^)'\"#]+)\1\)")


def links(assets: list[tuple[str, str]], served_at: str | None) -> list[tuple[str, str]]:
    """folium's (name, URL) list for assets served at ``served_at``; none when inlined."""
    return [(name, f"{served_at}/{path}") for name, path in assets] if served_at is not None else []


def _text(path: str) -> str:
    return (ASSETS / path).read_text(encoding="utf-8")


def _data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def inline_css(path: str) -> str:
    """A stylesheet with each relative url(...) replaced by the file as a data: URI."""
    folder = (ASSETS / path).parent
    return _CSS_URL.sub(lambda m: f'url("{_data_uri(folder / m.group(2))}")', _text(path))


def _inert(text: str, tag: str) -> str:
    """Our own file, checked: it must not close its own <script> or <style> early."""
    if f"</{tag}" in text.lower():
        raise ValueError(f"an asset contains </{tag}: it cannot be inlined")
    return text


@lru_cache(maxsize=1)
def inline_head() -> str:
    """Every stylesheet and script of the map, inlined, in the order they must load."""
    styles = [inline_css(path) for _, path in MAP_CSS + FULLSCREEN_CSS]
    scripts = [_text(path) for _, path in MAP_JS + FULLSCREEN_JS]
    return ("".join(f"<style>\n{_inert(s, 'style')}\n</style>\n" for s in styles)
            + "".join(f"<script>\n{_inert(s, 'script')}\n</script>\n" for s in scripts))


@lru_cache(maxsize=1)
def basemap() -> dict:
    """The country outlines (Natural Earth via world-atlas) as GeoJSON."""
    return json.loads(_text(BASEMAP))

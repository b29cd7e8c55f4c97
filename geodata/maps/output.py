"""A briefing map written to a file or made for a download: the standalone HTML or the
PNG, chosen by the file's extension. Files go through ``geodata.atomic`` (complete or
not at all; never the event store, a directory, a link or a device)."""

from __future__ import annotations

from pathlib import Path

from geodata.atomic import check_target, replaced_on_success
from geodata.errors import GeodataError
from geodata.events.filters import EventFilter
from geodata.events.mapview import MapView, map_view
from geodata.io.export import store_files
from geodata.maps import briefing as briefings
from geodata.store import Store

FORMATS = {".html": "html", ".htm": "html", ".png": "png"}


class MapFormatError(GeodataError):
    """The output's extension names no map format."""


def format_for(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise MapFormatError(f"{path}: cannot tell the map format from the extension; "
                             "name the file .html (interactive, offline) or .png (image)") from None


def render(store: Store, f: EventFilter, fmt: str, title: str | None = None,
           view: MapView | None = None, rings: list[dict] = (),
           blur_km: float | None = None) -> bytes:
    """The map of the events matching ``f`` as ``fmt`` ("html" or "png"); ``view`` is
    the map's data when the caller has it already (the dashboard's cached one);
    ``blur_km`` coarsens every place (geodata.events.blur)."""
    title = briefings.check_title(title)   # refused before any work
    view = view if view is not None else map_view(store, f, blur_km=blur_km)
    text = briefings.build(store, f, view, title)
    if fmt == "html":
        from geodata.maps.standalone import standalone_html

        return standalone_html(view, text, rings).encode("utf-8")
    from geodata.maps.png import render_png

    return render_png(view, text, rings)[0]


def write_map(store: Store, f: EventFilter, path: Path, title: str | None = None,
              blur_km: float | None = None) -> int:
    """Write the map of the events matching ``f`` to ``path``; returns how many events."""
    protect = store_files(store)
    check_target(path, protect)   # the store, a directory or a device: said before the format
    fmt = format_for(path)
    briefings.check_title(title)
    with replaced_on_success(path, protect=protect) as tmp:
        view = map_view(store, f, blur_km=blur_km)
        tmp.write_bytes(render(store, f, fmt, title, view))
    return view.total

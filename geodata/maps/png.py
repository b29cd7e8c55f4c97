"""The map as a PNG drawn on the server, without a browser (the dashboard and the
command line both need it, and a user may have no Chromium): matplotlib's Agg canvas
draws the basemap outlines, the events as the live map draws them (pins for towns,
areas as wide as their uncertainty, routes, the country-level schematic arrows that
geodata.events.mapview computed by geodata.events.geometry's rule), the legend from
``style.legend_rows``, and the briefing text.

Text from data is drawn as text: math parsing is off for every string
(``parse_math=False``, no TeX) and control characters are spaces, so "$x^2$" or a
line break in a headline prints as it is written.

The layout is fixed in pixels (``Layout``), so a test can compare the legend's pixels
with the legend drawn alone (``legend_png``), and the title's with ``title_png``."""

from __future__ import annotations

import io
import math
import textwrap
import warnings
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from pyproj import Geod

from geodata.events.mapview import MapView, extent
from geodata.maps import files
from geodata.maps.briefing import Briefing
from geodata.maps.elements import link_features
from geodata.maps.style import (BASEMAP_EDGE, BASEMAP_FILL, KINDS, RING_COLOR, SEA,
                                legend_rows)

DPI = 150
WIDTH = 1800                 # pixels
MARGIN, GAP = 45, 30
LEGEND_W, LEGEND_ROW, LEGEND_TOP = 540, 30, 50
MAP_W, MAP_H = WIDTH - 2 * MARGIN - GAP - LEGEND_W, 900
TITLE_H, LINE_H, SOURCE_H = 66, 28, 24
WRAP, SOURCE_WRAP = 150, 175   # characters per line of the info and sources text
PX = 0.75                    # one CSS pixel of the live map, in points
FRAME_MAX_ZOOM = 7           # as the live map: a single town is not framed at street level
_R = 6378137.0
_MAX_LAT = 85.05
_GEOD = Geod(ellps="WGS84")
FONT = ["DejaVu Sans"]
_RC = {"text.usetex": False, "lines.scale_dashes": False, "font.family": FONT,
       "svg.fonttype": "none", "axes.unicode_minus": False}


@dataclass
class Layout:
    """Boxes in pixels of the image, (left, top, width, height) from its top-left."""
    width: int
    height: int
    title: tuple[int, int, int, int]
    map: tuple[int, int, int, int]
    legend: tuple[int, int, int, int]
    texts: list[str] = field(default_factory=list)   # every string drawn (for tests)


def _mercator(lon, lat):
    lon, lat = np.asarray(lon, dtype=float), np.clip(np.asarray(lat, dtype=float), -_MAX_LAT, _MAX_LAT)
    return _R * np.radians(lon), _R * np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def _dashes(pattern: str | None) -> tuple | str:
    if not pattern:
        return "solid"
    return (0, tuple(float(v) * PX for v in pattern.replace(",", " ").split()))


# -- layout --------------------------------------------------------------------------

def legend_height() -> int:
    return LEGEND_TOP + LEGEND_ROW * len(legend_rows()) + 14


def _wrapped(lines: list[str], width: int, most: int) -> list[str]:
    out = []
    for line in lines:
        parts = textwrap.wrap(line, width, break_long_words=True, replace_whitespace=True) or [""]
        if len(parts) > most:
            parts = parts[:most]
            parts[-1] = parts[-1][:width - 1] + "…"
        out += parts
    return out


def _rect(layout: Layout, box: tuple[int, int, int, int]) -> list[float]:
    """A pixel box as the figure fractions matplotlib places axes by."""
    left, top, width, tall = box
    return [left / layout.width, 1 - (top + tall) / layout.height, width / layout.width, tall / layout.height]


def _text(fig, layout: Layout, x: int, y: int, text: str, **style) -> None:
    """``text`` at pixel (x, y) from the top-left, as plain text (no math, no TeX)."""
    layout.texts.append(text)
    fig.text(x / layout.width, 1 - y / layout.height, text, va="top", ha="left",
             parse_math=False, usetex=False, **style)


# -- the parts -------------------------------------------------------------------------

def draw_title(fig, layout: Layout, title: str) -> None:
    left, top, _, _ = layout.title
    _text(fig, layout, left, top, title, fontsize=18, fontweight="bold", color="#111111")


def draw_legend(fig, layout: Layout) -> None:
    """The legend in its box: the rows the HTML legend shows, with the map's symbols."""
    from matplotlib.patches import Circle, Polygon

    box = layout.legend
    ax = fig.add_axes(_rect(layout, box))
    width, height = box[2], box[3]
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("white")
    for spine in ax.spines.values():
        spine.set_edgecolor("#999999")
    ax.text(16, 14, "Legend", va="top", fontsize=11, fontweight="bold", parse_math=False)
    for i, (symbol, color, label) in enumerate(legend_rows()):
        y = LEGEND_TOP + LEGEND_ROW * i + LEGEND_ROW / 2
        if symbol == "dot":
            ax.add_patch(Circle((36, y), 8, facecolor=color, edgecolor="#222222", linewidth=PX))
        elif symbol == "line":
            ax.plot([18, 54], [y, y], color=color, linewidth=3 * PX * 1.5, solid_capstyle="butt")
        elif symbol == "area":
            ax.add_patch(Circle((36, y), 10, facecolor="none", edgecolor="#555555",
                                linewidth=1.5 * PX, linestyle=(0, (3, 2))))
        elif symbol == "arrow":
            ax.plot([18, 46], [y, y], color="#333333", linewidth=1.5 * PX, linestyle=(0, (4, 3)))
            ax.add_patch(Polygon([(56, y), (44, y - 6), (44, y + 6)], closed=True, color="#333333"))
        elif symbol == "faint":
            ax.plot([18, 54], [y, y], color="#888888", alpha=0.6, linewidth=2 * PX * 1.5,
                    linestyle=(0, (5, 3)))
        ax.text(72, y, label, va="center", fontsize=9.5, color="#222222", parse_math=False)


@lru_cache(maxsize=1)
def _basemap_rings() -> list[np.ndarray]:
    """Each country polygon's outer ring in Web Mercator metres."""
    rings = []
    for feature in files.basemap()["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            lon, lat = np.asarray(polygon[0], dtype=float).T
            rings.append(np.column_stack(_mercator(lon, lat)))
    return rings


def _frame(view: MapView, aspect: float) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) in metres: the filtered events, as the live map opens on them."""
    bounds = extent(view) or (25.0, 20.0, 65.0, 140.0)
    south, west, north, east = bounds
    (x0, x1), (y0, y1) = _mercator([west, east], [south, north])
    min_width = 2 * math.pi * _R * MAP_W / (256 * 2 ** FRAME_MAX_ZOOM)
    width, tall = max(x1 - x0, min_width / 1.12), max(y1 - y0, min_width / aspect / 1.12)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    width, tall = width * 1.12, tall * 1.12   # room around the events, as the live map's padding
    if width / tall < aspect:
        width = tall * aspect
    else:
        tall = width / aspect
    return cx - width / 2, cx + width / 2, cy - tall / 2, cy + tall / 2


def _circle(lon: float, lat: float, radius_km: float) -> np.ndarray:
    azimuths = np.linspace(0, 360, 73)
    lons, lats, _ = _GEOD.fwd(np.full(73, lon), np.full(73, lat), azimuths, np.full(73, radius_km * 1000))
    lons = lon + (lons - lon + 180) % 360 - 180   # same world copy as the centre
    return np.column_stack(_mercator(lons, lats))


def _lines(geometry: dict) -> list[np.ndarray]:
    parts = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
    return [np.column_stack(_mercator(*np.asarray(part, dtype=float).T)) for part in parts]


def _line_style(p: dict, kinds: dict) -> dict:
    """As geodata-map.js's ``style``: a schematic flow thin and dashed, a vague route
    faint and dashed, a known route solid and as wide as its quantity."""
    kind = kinds.get(p.get("k"), {})
    color = kind.get("color", "#333333")
    if p.get("schematic"):
        return {"color": color, "linewidth": 1.5 * PX, "alpha": 0.95, "linestyle": _dashes("6 5")}
    vague = (p.get("gp") or 1) >= 3
    return {"color": color, "linewidth": min(2 + 1.5 * (p.get("w") or 1), 12) * PX,
            "alpha": 0.45 if vague else 0.8,
            "linestyle": _dashes(kind.get("dash") or ("10 8" if vague else None))}


def draw_map(fig, layout: Layout, view: MapView, rings: list[dict]) -> None:
    from matplotlib.collections import LineCollection, PolyCollection

    box = layout.map
    ax = fig.add_axes(_rect(layout, box))
    x0, x1, y0, y1 = _frame(view, box[2] / box[3])
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor(SEA)
    world = 2 * math.pi * _R
    for shift in (-world, 0.0, world):   # the world copies the frame reaches (across ±180°)
        if x0 < world / 2 + shift and x1 > -world / 2 + shift:
            ax.add_collection(PolyCollection([r + [shift, 0] for r in _basemap_rings()],
                                             facecolors=BASEMAP_FILL, edgecolors=BASEMAP_EDGE,
                                             linewidths=0.5, zorder=1))
    layers = [(KINDS, view.layers.get(kind, [])) for kind in KINDS]
    if view.links:
        layers.append(({**KINDS, "launch_site": {**KINDS["launch_site"], "dash": "2 6"}}, link_features(view)))
    areas, area_style = [], []
    for kinds, features in layers:
        for feature in features:
            p, geometry = feature["properties"], feature["geometry"]
            color = kinds.get(p.get("k"), {}).get("color", "#333333")
            if geometry["type"] == "Point":
                lon, lat = geometry["coordinates"]
                x, y = _mercator(lon, lat)
                if p.get("agg"):
                    ax.plot(x, y, "o", markersize=2 * (4 + 2.5 * math.sqrt(p["n"])) * PX, color=color,
                            markerfacecolor=color, alpha=0.6, markeredgewidth=PX, zorder=5)
                elif (p.get("gp") or 1) >= 2:   # not a pin: an area as wide as the uncertainty
                    areas.append(_circle(lon, lat, min(p.get("r") or 25, 400)))
                    area_style.append((color, 0.04 if p["gp"] >= 4 else 0.14))
                else:
                    ax.plot(x, y, "o", markersize=12 * PX, markerfacecolor=color, markeredgecolor="#222222",
                            markeredgewidth=PX, zorder=6)
            elif geometry["type"] == "Polygon":   # an arrowhead
                ring = np.asarray(geometry["coordinates"][0], dtype=float)
                ax.add_patch(_polygon(np.column_stack(_mercator(*ring.T)), color))
            elif geometry["type"] in ("LineString", "MultiLineString"):
                style = _line_style(p, kinds)
                ax.add_collection(LineCollection(_lines(geometry), zorder=3 if p.get("link") else 4,
                                                 **style))
    if areas:
        ax.add_collection(PolyCollection(areas, facecolors=[(c, a) for c, a in area_style],
                                         edgecolors=[c for c, _ in area_style], linewidths=1.5 * PX,
                                         linestyles=[_dashes("5 4")], zorder=2))
    if rings:
        ax.add_collection(LineCollection([_circle(r["lon"], r["lat"], r["radius_km"]) for r in rings],
                                         colors=RING_COLOR, linewidths=1.2 * PX,
                                         linestyles=[_dashes("2 6")], zorder=3))
    ax.text(0.995, 0.005, "Natural Earth · GeoNames", transform=ax.transAxes, ha="right", va="bottom",
            fontsize=7, color="#555555", parse_math=False,
            bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1.5})


def _polygon(points: np.ndarray, color: str):
    from matplotlib.patches import Polygon

    return Polygon(points, closed=True, facecolor=color, edgecolor=color, alpha=0.9,
                   linewidth=PX, zorder=4)


# -- the whole image -----------------------------------------------------------------

def _layout(briefing: Briefing) -> tuple[Layout, list[str], list[str]]:
    info = _wrapped(briefing.lines + [briefing.count], WRAP, 3)
    sources = [f"{i}. {publisher}: “{headline}” ({published})"
               for i, (publisher, headline, published) in enumerate(briefing.sources, 1)]
    footer = _wrapped(briefing.attribution, WRAP, 2) + [""] + [briefing.sources_heading] + \
        _wrapped(sources, SOURCE_WRAP, 2) + ([briefing.sources_more] if briefing.sources_more else [])
    map_top = MARGIN + TITLE_H + LINE_H * len(info) + 16
    height = map_top + MAP_H + 24 + SOURCE_H * len(footer) + MARGIN
    layout = Layout(width=WIDTH, height=height, title=(MARGIN, MARGIN, WIDTH - 2 * MARGIN, TITLE_H),
                    map=(MARGIN, map_top, MAP_W, MAP_H),
                    legend=(MARGIN + MAP_W + GAP, map_top, LEGEND_W, legend_height()))
    return layout, info, footer


def _figure(width: int, height: int):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _save(fig, title: str) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Title": title, "Software": "geodata"})
    return out.getvalue()


def _drawing():
    """matplotlib's settings for our drawing: no TeX, dashes in points, one font; a
    glyph the font lacks (a rare script) prints as a box with no warning."""
    import matplotlib

    class _Context:
        def __enter__(self):
            self._rc = matplotlib.rc_context(_RC)
            self._rc.__enter__()
            self._warnings = warnings.catch_warnings()
            self._warnings.__enter__()
            warnings.filterwarnings("ignore", message="Glyph .* missing from")
            return self

        def __exit__(self, *exc):
            self._warnings.__exit__(*exc)
            return self._rc.__exit__(*exc)

    return _Context()


def render_png(view: MapView, briefing: Briefing, rings: list[dict] = ()) -> tuple[bytes, Layout]:
    """The briefing image as PNG bytes, and where its parts are."""
    with _drawing():
        layout, info, footer = _layout(briefing)
        fig = _figure(layout.width, layout.height)
        draw_title(fig, layout, briefing.title)
        y = MARGIN + TITLE_H
        for line in info:
            _text(fig, layout, MARGIN, y, line, fontsize=10,
                  fontweight="bold" if line == info[-1] else "normal", color="#333333")
            y += LINE_H
        draw_map(fig, layout, view, list(rings))
        draw_legend(fig, layout)
        y = layout.map[1] + MAP_H + 24
        for line in footer:
            _text(fig, layout, MARGIN, y, line, fontsize=8.5, color="#333333",
                  fontweight="bold" if line == briefing.sources_heading else "normal")
            y += SOURCE_H
        return _save(fig, briefing.title), layout


def legend_png() -> bytes:
    """The legend alone, at its size in the briefing image: the reference a test
    compares the briefing's legend area with."""
    with _drawing():
        layout = Layout(width=LEGEND_W, height=legend_height(), title=(0, 0, 0, 0), map=(0, 0, 0, 0),
                        legend=(0, 0, LEGEND_W, legend_height()))
        fig = _figure(layout.width, layout.height)
        draw_legend(fig, layout)
        return _save(fig, "legend")


def title_png(title: str) -> bytes:
    """The title alone, in a box the size of the briefing's title area."""
    with _drawing():
        layout = Layout(width=WIDTH - 2 * MARGIN, height=TITLE_H, title=(0, 0, WIDTH - 2 * MARGIN, TITLE_H),
                        map=(0, 0, 0, 0), legend=(0, 0, 0, 0))
        fig = _figure(layout.width, layout.height)
        draw_title(fig, layout, title)
        return _save(fig, title)

"""Briefing maps: `python -m geodata map` writes the standalone HTML and the PNG with
the filters of export; each carries the title, filters, count, attribution, sources
and legend; bad targets are refused in one line; text from data stays text."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from geodata.events.filters import EventFilter
from geodata.events.mapview import map_view
from geodata.maps import briefing, png
from geodata.maps.output import render
from geodata.maps.style import KINDS
from geodata.maps.standalone import standalone_html
from geodata.store import Store
from tests.dashboard.conftest import PAYLOADS, PUBLISHER, hostile_catalogue

HOSTILE_TITLE = "Briefing {{ 7*7 }} <script>window.__xss=9</script> $\\frac{x $5 =SUM(A1:A9)"


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("maps") / "seed.sqlite"
    Store(path).close()
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.sqlite"
    store = Store(path, seed=False)
    store.put(hostile_catalogue())
    store.close()
    return path


def _image(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.int16)


def _crop(image: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    left, top, width, height = box
    return image[top:top + height, left:left + width]


def _same(a: np.ndarray, b: np.ndarray) -> float:
    """The share of pixels that agree within 24 levels in every channel."""
    assert a.shape == b.shape
    return float((np.abs(a - b).max(axis=2) <= 24).mean())


def test_the_png_legend_area_is_the_legend_and_the_title_area_the_title(seed):
    store = Store(seed)
    f = EventFilter.build(kinds=["strike", "transfer", "deployment"])
    view = map_view(store, f)
    text = briefing.build(store, f, view, "Pipeline strikes and flows")
    data, layout = png.render_png(view, text)
    image = _image(data)
    assert image.shape[:2] == (layout.height, layout.width)
    legend, alone = _crop(image, layout.legend), _image(png.legend_png())
    assert _same(legend, alone) > 0.995, "the legend area matches the legend drawn alone"
    for style in KINDS.values():  # and it shows every kind's colour
        rgb = np.array([int(style["color"][i:i + 2], 16) for i in (1, 3, 5)])
        assert (np.abs(legend - rgb).max(axis=2) <= 24).sum() > 40, style["label"]
    title = _crop(image, layout.title)
    assert _same(title, _image(png.title_png("Pipeline strikes and flows"))) > 0.995
    assert _same(title, _image(png.title_png("Another title"))) < 0.99
    assert Image.open(io.BytesIO(data)).info["Title"] == "Pipeline strikes and flows"
    drawn = "\n".join(layout.texts)
    assert "Kinds: Deployments, Strikes, Transfer routes" in drawn or "Kinds:" in drawn
    assert f"{view.total:,} events of 35 in the catalogue" in drawn
    assert "Natural Earth" in drawn and "GeoNames" in drawn and "Sources cited (" in drawn
    assert "Newsweek: “Russia Blows Up Its Own North Korea-Made SAM" in drawn


def test_the_png_draws_the_country_level_flow_as_the_maps_schematic_arrow(seed):
    """The PNG draws what the live map draws: the schematic line between anchors
    (mapview, by geometry.flow_drawing), not the stored centre-to-centre route."""
    store = Store(seed)
    view = map_view(store, EventFilter.build(kinds=["transfer", "deployment"]))
    schematic = [f for features in view.layers.values() for f in features
                 if f["properties"].get("schematic") and not f["properties"].get("arrow")]
    assert schematic and all(len(f["geometry"]["coordinates"]) == 2 for f in schematic)
    from matplotlib.figure import Figure

    fig = Figure()
    layout = png.Layout(width=1000, height=800, title=(0, 0, 0, 0), map=(0, 0, 1000, 800), legend=(0, 0, 0, 0))
    png.draw_map(fig, layout, view, [])
    ax = fig.axes[0]
    drawn = [seg for c in ax.collections if hasattr(c, "get_segments") for seg in c.get_segments()]
    for feature in schematic:
        expected = np.column_stack(png._mercator(*np.asarray(feature["geometry"]["coordinates"]).T))
        assert any(len(seg) == 2 and np.allclose(seg, expected) for seg in drawn)


def test_map_command_writes_html_and_png_with_export_filters(seed, cli, tmp_path):
    html, image = tmp_path / "out" / "strikes.html", tmp_path / "strikes.PNG"
    for target in (html, image):
        done = cli("map", str(target), "--kind", "strike", "--since", "2024-01-01", "--title", "Strikes 2024",
                   "--db", str(seed))
        assert done.returncode == 0, done.stderr
        assert re.fullmatch(r"drew \d+ of 35 events to .*\n", done.stderr)
    page = html.read_text(encoding="utf-8")
    assert "Strikes 2024" in page and "Period: 2024-01-01 to any date" in page
    assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)=", page), "every asset inlined"
    assert Image.open(image).info["Title"] == "Strikes 2024"
    count = Store(seed).count(EventFilter.build(kinds=["strike"], since="2024-01-01"))
    assert f"drew {count} of 35" in cli("map", str(image), "--kind", "strike", "--since", "2024-01-01",
                                        "--db", str(seed)).stderr


@pytest.mark.parametrize("target, problem", [
    ("{db}", "must not be overwritten"),
    ("{dir}", "is a directory"),
    ("{tmp}/map.svg", "cannot tell the map format"),
    ("/dev/null", "not a regular file"),
])
def test_map_refuses_bad_targets_in_one_line(seed, cli, tmp_path, target, problem):
    folder = tmp_path / "folder.png"
    folder.mkdir()
    before = seed.read_bytes()
    target = target.format(db=seed, dir=folder, tmp=tmp_path)
    done = cli("map", target, "--db", str(seed))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ")
    assert re.search(problem, done.stderr), done.stderr
    assert seed.read_bytes() == before


def test_map_refuses_a_device_and_bad_titles_and_filters_in_one_line(seed, cli, tmp_path):
    for args, problem in (([str(tmp_path / "m.png"), "--title", "two\nlines"], "--title: has a control character"),
                          ([str(tmp_path / "m.png"), "--title", "x" * 121], "at most 120"),
                          ([str(tmp_path / "m.html"), "--kind", "parade"], "kind"),
                          ([str(tmp_path / "m.html"), "--since", "2024-13-01"], "since")):
        done = cli("map", *args, "--db", str(seed))
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
        assert problem in done.stderr
    assert not list(tmp_path.iterdir()), "nothing written"


def test_hostile_text_stays_text_in_the_html(hostile):
    store = Store(hostile)
    page = render(store, EventFilter(), "html", HOSTILE_TITLE).decode("utf-8")
    for payload in PAYLOADS + [PUBLISHER, HOSTILE_TITLE]:
        if re.search(r"[<>]|\{[{%#]", payload):
            assert payload not in page, "data appears only as escaped JSON"
    assert "window.__xss" in page  # ... but it is there, as data
    assert not re.search(r"\{\{|\{%|\{#", page.split("<script>", 1)[0] + "".join(
        re.findall(r"geodataMap\.briefing\(.*?\);", page, re.S)))
    info = re.search(r"geodataMap\.briefing\(\w+, (.*)\);", page).group(1)
    assert json.loads(info)["title"] == HOSTILE_TITLE
    assert json.loads(info)["sources"][0][0] == PUBLISHER


def test_hostile_text_stays_text_in_the_png(hostile):
    """$..$ is not math, {{ }} not a template, =SUM a formula nowhere: each string is
    drawn as it is written (mathtext would fail on the unbalanced $\\frac{)."""
    store = Store(hostile)
    view = map_view(store, EventFilter())
    text = briefing.build(store, EventFilter(), view, HOSTILE_TITLE)
    data, layout = png.render_png(view, text)
    assert HOSTILE_TITLE in layout.texts
    assert any(PUBLISHER in t and PAYLOADS[1] in t for t in layout.texts)
    assert Image.open(io.BytesIO(data)).info["Title"] == HOSTILE_TITLE
    math_off = _image(png.title_png("$x^2$"))
    assert _same(math_off, _image(png.title_png("$x^2$ "))) > 0.999
    assert _same(math_off, _image(png.title_png("x2"))) < 0.999, "the dollars and caret are drawn"


def test_the_standalone_html_has_the_dashboards_layers_and_legend(seed):
    store = Store(seed)
    view = map_view(store, EventFilter())
    page = standalone_html(view, briefing.build(store, EventFilter(), view))
    for label in ("Transfer routes", "Strikes", "approximate place", "country to country"):
        assert label in page
    decoder = json.JSONDecoder()
    ids = set()
    body = page.split("</head>", 1)[1]  # the inlined Leaflet names L.geoJSON too
    for match in re.finditer(r"L\.geoJSON\(", body):
        data, _ = decoder.raw_decode(body, match.end())
        ids |= {f["properties"]["id"] for f in data["features"]
                if "arrow" not in f["properties"] and "link" not in f["properties"]}
    assert len(ids) == 35

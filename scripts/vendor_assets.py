"""Refresh the dashboard's vendored web assets from the npm registry (pinned versions).

The map must render with no internet, so every JavaScript and CSS file it loads is
served by the app itself from geodata/maps/assets/ (dashboard/static links to it) and
inlined into the standalone HTML map. This script is how those files were
obtained and how to update them: `python scripts/vendor_assets.py` (needs npm). It also
turns Natural Earth's country outlines (public domain, via the world-atlas package)
from TopoJSON into the GeoJSON basemap. Nothing calls it at run time or test time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import shapely
import shapely.affinity

# The one home of the map assets: the geodata package (python -m geodata map inlines them);
# dashboard/static is a symbolic link to this folder, served by Streamlit at /app/static/.
STATIC = Path(__file__).resolve().parents[1] / "geodata" / "maps" / "assets"
PACKAGES = {  # npm package -> files to copy (package path -> vendor path)
    "leaflet@1.9.4": {"dist/leaflet.js": "leaflet/leaflet.js", "dist/leaflet.css": "leaflet/leaflet.css",
                      "dist/images/layers.png": "leaflet/images/layers.png",
                      "dist/images/layers-2x.png": "leaflet/images/layers-2x.png",
                      "dist/images/marker-icon.png": "leaflet/images/marker-icon.png",
                      "dist/images/marker-shadow.png": "leaflet/images/marker-shadow.png",
                      "LICENSE": "leaflet/LICENSE"},
    "leaflet.fullscreen@3.0.0": {"Control.FullScreen.js": "fullscreen/Control.FullScreen.js",
                                 "Control.FullScreen.css": "fullscreen/Control.FullScreen.css",
                                 "icon-fullscreen.svg": "fullscreen/icon-fullscreen.svg",
                                 "LICENSE": "fullscreen/LICENSE"},
    # only for the benchmark's FastMarkerCluster peer (python -m dashboard.bench)
    "leaflet.markercluster@1.5.3": {"dist/leaflet.markercluster.js": "markercluster/leaflet.markercluster.js",
                                    "dist/MarkerCluster.css": "markercluster/MarkerCluster.css",
                                    "dist/MarkerCluster.Default.css": "markercluster/MarkerCluster.Default.css",
                                    "MIT-LICENCE.txt": "markercluster/MIT-LICENCE.txt"},
}
BASEMAP = "world-atlas@2.0.2"
SIMPLIFY_DEG = 0.02


def npm_pack(spec: str, into: Path) -> Path:
    name = subprocess.run(["npm", "pack", spec, "--silent"], cwd=into, check=True,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]
    folder = into / spec.replace("@", "-").replace("/", "-")
    with tarfile.open(into / name) as archive:
        archive.extractall(folder, filter="data")
    return folder / "package"


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are delta-encoded integers; undo that and the quantisation."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, 3), round(y * sy + ty, 3)))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs) -> list[list[float]]:
    ring: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        ring.extend(arc if not ring else arc[1:])
    return [list(p) for p in ring]


def _unwrap(ring: list[list[float]]) -> list[list[float]]:
    """Longitudes made continuous: a ring crossing ±180 goes on past 180 instead."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        while lon - out[-1][0] > 180:
            lon -= 360
        while lon - out[-1][0] < -180:
            lon += 360
        out.append([lon, lat])
    return out


def _split_at_antimeridian(geometry: dict) -> dict:
    """Rings that cross ±180 (Russia, Fiji) are cut there, so Leaflet does not draw
    them as bands across the whole map."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    parts = []
    for rings in polygons:
        shell = _unwrap(rings[0])
        polygon = shapely.Polygon(shell, [_unwrap(r) for r in rings[1:]]).buffer(0)
        for shift in (0, -360, 360):
            window = shapely.box(-180 - shift, -90, 180 - shift, 90)
            piece = shapely.affinity.translate(polygon.intersection(window), xoff=shift)
            parts += [g for g in getattr(piece, "geoms", [piece]) if g.geom_type == "Polygon" and not g.is_empty]
    merged = shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]
    # ~2 km detail: enough for country outlines, half the bytes the browser must parse
    simplified = merged.simplify(SIMPLIFY_DEG, preserve_topology=True)
    return json.loads(shapely.to_geojson(shapely.set_precision(simplified, 0.01)))


def topojson_to_geojson(topology: dict, layer: str) -> dict:
    arcs = _decode_arcs(topology)
    features = []
    for geometry in topology["objects"][layer]["geometries"]:
        if geometry["type"] == "Polygon":
            coordinates = [_ring(r, arcs) for r in geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            coordinates = [[_ring(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        shape = {"type": geometry["type"], "coordinates": coordinates}
        features.append({"type": "Feature", "properties": {"name": geometry.get("properties", {}).get("name")},
                         "geometry": _split_at_antimeridian(shape)})
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for spec, files in PACKAGES.items():
            package = npm_pack(spec, Path(tmp))
            for source, target in files.items():
                (STATIC / "vendor" / target).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(package / source, STATIC / "vendor" / target)
        atlas = npm_pack(BASEMAP, Path(tmp))
        topology = json.loads((atlas / "countries-50m.json").read_text())
        basemap = topojson_to_geojson(topology, "countries")
        (STATIC / "basemap").mkdir(parents=True, exist_ok=True)
        (STATIC / "basemap" / "countries-50m.geojson").write_text(
            json.dumps(basemap, separators=(",", ":")))
        shutil.copyfile(atlas / "LICENSE", STATIC / "basemap" / "LICENSE-world-atlas")
    print(f"vendored {', '.join(PACKAGES)} and {BASEMAP} into {STATIC}")


if __name__ == "__main__":
    main()

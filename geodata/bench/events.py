"""Benchmark of GeoJSON export against geopandas' ``GeoDataFrame.to_file``, on
synthetic events in a temporary store, measured in the same run."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from geodata.bench.places import Figure
from geodata.events.filters import EventFilter
from geodata.events.frame import to_geodataframe
from geodata.events.synthetic import synthetic_catalogue
from geodata.io.export import export
from geodata.store import Store


def _timed(func):
    started = time.perf_counter()
    result = func()
    return result, time.perf_counter() - started


def run(quick: bool = False) -> tuple[str, list[Figure]]:
    count = 10_000 if quick else 100_000
    with tempfile.TemporaryDirectory(prefix="geodata-bench-") as tmp:
        folder = Path(tmp)
        catalogue, made = _timed(lambda: synthetic_catalogue(count, seed=1))
        store = Store(folder / "bench.sqlite", seed=False)
        _, stored = _timed(lambda: store.put(catalogue))
        _, ours = _timed(lambda: export(store, EventFilter(), folder / "ours.geojson"))
        frame, framed = _timed(lambda: to_geodataframe(store.rows(), store.sources(), flat=True))
        _, peer = _timed(lambda: frame.to_file(folder / "peer.geojson", driver="GeoJSON",
                                               engine="pyogrio"))
        subset = EventFilter.build(systems=["KN-23"], since="2024-01-01", until="2024-12-31")
        _, filtered = _timed(lambda: export(store, subset, folder / "subset.geojson"))
        sizes = [(folder / n).stat().st_size / 1e6 for n in ("ours.geojson", "peer.geojson")]
        store.close()
    title = (f"Events: {count:,} synthetic events (generated in {made:.1f} s, stored in "
             f"{stored:.1f} s, GeoDataFrame built in {framed:.1f} s, not timed below); "
             f"peer: GeoDataFrame.to_file(driver='GeoJSON') with pyogrio; files "
             f"{sizes[0]:.0f} MB ours (nested properties) vs {sizes[1]:.0f} MB peer (JSON text columns)")
    figures = [
        Figure(f"GeoJSON export of {count:,} events (s)", ours, peer, "s", "<= peer", ours <= peer, "lower"),
        Figure("filtered export, KN-23 in 2024 (s)", filtered, None, "s", "", None, "lower"),
    ]
    return title, figures

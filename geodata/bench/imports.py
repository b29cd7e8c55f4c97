"""Benchmark of dataset imports against geopandas.read_file of the same CSV.

A synthetic ACLED-format CSV (place names from a fixed list, coordinates near them,
types from the codebook, notes naming systems) of 10^5 rows, and 10^6 rows unless
--quick (about 10 minutes more), is imported into a new store in a fresh process;
the peer reads the same file with geopandas.read_file (pyogrio) in a fresh process.
Not like for like: geopandas only reads; we also map, geocode, validate every row and
store it (in one transaction). Peak memory is the process's VmHWM. The real samples
in ../shared/datasets are imported too where present (rows imported / rejected).
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from geodata.bench.places import Figure

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "datasets"
PLACES = [("Kharkiv", "Kharkiv", 49.99, 36.23), ("Sumy", "Sumy", 50.91, 34.80),
          ("Kherson", "Kherson", 46.64, 32.62), ("Zaporizhzhia", "Zaporizhia", 47.84, 35.14),
          ("Odesa", "Odesa", 46.48, 30.72), ("Dnipro", "Dnipropetrovsk", 48.46, 35.05),
          ("Kyiv", "Kyiv City", 50.45, 30.52), ("Mykolaiv", "Mykolaiv", 46.97, 31.99),
          ("Kramatorsk", "Donetsk", 48.72, 37.56), ("Pokrovsk", "Donetsk", 48.28, 37.18)]
TYPES = [("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash"),
         ("Strategic developments", "Disrupted weapons use")]
NOTES = ["Synthetic: shelling of the outskirts.", "Synthetic: an Iskander-M/KN-23 missile hit.",
         "Synthetic: an S-400 battery fired.", "Synthetic: a drone strike."]
HEADER = ["event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type",
          "actor1", "actor2", "country", "admin1", "admin2", "location", "latitude",
          "longitude", "geo_precision", "source", "notes", "fatalities", "timestamp"]

_OURS = """
import json, sys, time
from pathlib import Path
from geodata.io.datasets import import_dataset
from geodata.store import Store
store = Store(Path(sys.argv[2]), seed=False)
t = time.perf_counter()
summary = import_dataset(store, Path(sys.argv[1]), "acled")
seconds = time.perf_counter() - t
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "events": summary.events}))
"""
_PEER = """
import json, sys, time
import geopandas
t = time.perf_counter()
frame = geopandas.read_file(sys.argv[1], engine="pyogrio")
seconds = time.perf_counter() - t
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "events": len(frame)}))
"""


def write_synthetic(path: Path, rows: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(rows):
            name, admin1, lat, lon = PLACES[n % len(PLACES)]
            kind, sub = TYPES[n % len(TYPES)]
            writer.writerow([f"SYN{n}", f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2024",
                             rng.choice("1112"), kind, sub, "Military Forces of Russia (2000-)", "",
                             "Ukraine", admin1, "", name, f"{lat + rng.uniform(-.05, .05):.4f}",
                             f"{lon + rng.uniform(-.05, .05):.4f}", rng.choice("123"),
                             "Synthetic Wire", NOTES[n % len(NOTES)], rng.randint(0, 5), 1700000000])


def _fresh(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _samples(folder: Path) -> str:
    """Rows imported / rejected for each real sample a reader recognises."""
    from geodata.io.datasets import import_dataset
    from geodata.io.readers import detect
    from geodata.store import Store

    if not SAMPLES.is_dir():
        return "real samples: skipped (../shared/datasets not present)"
    lines = []
    store = Store(folder / "samples.sqlite", seed=False)
    for path in sorted(SAMPLES.iterdir()):
        reader = detect(path) if path.is_file() or path.is_dir() else None
        if reader is None:
            continue
        try:
            s = import_dataset(store, path, reader, rejects=folder / f"{path.name}.rejects.csv")
            lines.append(f"  {path.name} ({reader.format}): {s.events} imported, {s.rejected} "
                         f"rejected of {s.rows} rows")
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
            lines.append(f"  {path.name} ({reader.format}): failed: {exc}")
    store.close()
    return "real samples:\n" + "\n".join(lines)


def run(quick: bool = False) -> tuple[str, list[Figure]]:
    sizes = (100_000,) if quick else (100_000, 1_000_000)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="geodata-bench-") as tmp:
        folder = Path(tmp)
        for rows in sizes:
            path = folder / f"acled-{rows}.csv"
            write_synthetic(path, rows)
            ours = _fresh(_OURS, str(path), str(folder / f"store-{rows}.sqlite"))
            peer = _fresh(_PEER, str(path))
            figures += [
                Figure(f"import {rows:,} rows (rows/s)", rows / ours["seconds"],
                       rows / peer["seconds"], "rows/s", "", None, "higher"),
                Figure(f"peak memory, {rows:,} rows (MB)", ours["peak_mb"], peer["peak_mb"],
                       "MB", "", None, "lower"),
            ]
        samples = _samples(folder)
    title = ("Imports: synthetic ACLED CSV imported into a new store (fresh process: read, map, "
             "geocode, validate, store in one transaction) vs geopandas.read_file of the same "
             "CSV (pyogrio; it only reads)" + ("" if not quick else "; --quick: 10^5 rows only")
             + "\n" + samples)
    return title, figures

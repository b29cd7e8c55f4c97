"""Benchmark of the two store backends in the same run, on synthetic events: import
(rows/s, batches of 5,000 in one transaction), a filtered query, the map aggregate
(grid bins and route totals computed by the database) and a GeoJSON export.

SQLite runs in a temporary file; PostgreSQL in a schema of its own (dropped after)
in the database at $GEODATA_BENCH_PG, else $GEODATA_TEST_PG, else the one
scripts/postgres.sh makes; without a reachable server its rows say why."""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from pathlib import Path

from geodata.bench.places import Figure
from geodata.events.filters import EventFilter
from geodata.events.synthetic import synthetic_catalogue
from geodata.io.geojson import write_features
from geodata.store import open_store

PG_DEFAULT = "postgresql://geodata:geodata@127.0.0.1:5432/geodata_test"
BATCH = 5_000


def _timed(func):
    started = time.perf_counter()
    result = func()
    return result, time.perf_counter() - started


def _pg_base() -> str:
    return os.environ.get("GEODATA_BENCH_PG") or os.environ.get("GEODATA_TEST_PG") or PG_DEFAULT


def _measure(url: str, catalogue, folder: Path) -> dict[str, float]:
    store = open_store(url, create=True)
    try:
        events = catalogue.events
        batches = (events[i:i + BATCH] for i in range(0, len(events), BATCH))
        _, stored = _timed(lambda: store.put_batches(catalogue.sources, batches))
        subset = EventFilter.build(kinds=["strike"], systems=["KN-23"], since="2024-01-01",
                                   until="2024-12-31", countries=["UA"])
        found, queried = _timed(lambda: store.events(subset))
        _, aggregated = _timed(lambda: (store.grid_bins(EventFilter(), 0.5),
                                        store.route_totals(EventFilter(), 0.5)))
        target = folder / "export.geojson"

        def export() -> int:
            with target.open("w", encoding="utf-8") as out:
                return write_features(store.rows(), store.sources(), out)

        _, exported = _timed(export)
        target.unlink()
        return {"import": len(events) / stored, "query": queried, "found": len(found),
                "aggregate": aggregated, "export": exported}
    finally:
        store.close()


def _pg_schema() -> tuple[str | None, str | None, str]:
    """(URL of a fresh schema, its name, why not) for the PostgreSQL runs."""
    try:
        import psycopg

        schema = "geodata_bench_" + uuid.uuid4().hex[:8]
        with psycopg.connect(_pg_base(), autocommit=True, connect_timeout=3) as admin:
            admin.execute(f"CREATE SCHEMA {schema}")
    except Exception as exc:  # noqa: BLE001 - any failure: no server to measure on
        return None, None, (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    separator = "&" if "?" in _pg_base() else "?"
    return f"{_pg_base()}{separator}options=-csearch_path%3D{schema},public", schema, ""


def _drop(schema: str) -> None:
    import psycopg

    with psycopg.connect(_pg_base(), autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def run(quick: bool = False) -> tuple[str, list[Figure]]:
    sizes = (100_000,) if quick else (100_000, 1_000_000)
    figures: list[Figure] = []
    notes = []
    for count in sizes:
        catalogue, made = _timed(lambda: synthetic_catalogue(count, seed=1))
        notes.append(f"{count:,} generated in {made:.0f} s")
        with tempfile.TemporaryDirectory(prefix="geodata-bench-store-") as tmp:
            folder = Path(tmp)
            results = {"SQLite": _measure(str(folder / "bench.sqlite"), catalogue, folder)}
            url, schema, why = _pg_schema()
            if url:
                try:
                    results["PostgreSQL"] = _measure(url, catalogue, folder)
                finally:
                    _drop(schema)
            else:
                notes.append(f"PostgreSQL not measured: {why}")
        del catalogue
        sql, pg = results["SQLite"], results.get("PostgreSQL")
        n = f"{count:,}"

        def pair(label: str, key: str, unit: str, better: str) -> None:
            # ours: PostgreSQL, peer: SQLite (the embedded default) in the same run
            ours = pg[key] if pg else float("nan")
            figures.append(Figure(f"{label}, {n}", ours, sql[key], unit, "", None, better))

        pair("import rows/s", "import", "rows/s", "higher")
        pair("filtered query s", "query", "s", "lower")
        pair("map aggregate s", "aggregate", "s", "lower")
        pair("GeoJSON export s", "export", "s", "lower")
        notes.append(f"the filtered query finds {sql['found']:,} of {n}"
                     + (" on both" if pg and pg["found"] == sql["found"] else
                        f" (PostgreSQL {pg['found']:,})" if pg else ""))
    title = ("Store: PostgreSQL/PostGIS ('ours') next to the embedded SQLite ('peer') on the "
             "same synthetic events, same run; filtered query: strikes with KN-23 in Ukraine "
             "in 2024; map aggregate: grid bins and route totals at 0.5°; " + "; ".join(notes))
    return title, figures

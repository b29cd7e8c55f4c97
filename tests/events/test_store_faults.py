"""The store under faults (issue 9): rows that no longer validate, damaged schemas, a
full disk, a read-only file. Reading never fails because of one bad row; everything
else is one line naming the problem, and the store is left as it was."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from geodata.events.filters import EventFilter
from geodata.events.frame import to_geodataframe
from geodata.events.mapview import map_view
from geodata.io.export import export
from geodata.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[2]


def tamper(store: Store, event_id: str, **columns: str) -> None:
    """Rewrite an event's stored columns behind the store's back, as an older version,
    a bug or a hand edit could."""
    with sqlite3.connect(store.path) as db:
        for column, value in columns.items():
            db.execute(f"UPDATE event_data SET {column} = ? WHERE seq = "
                       "(SELECT seq FROM events WHERE id = ?)", (value, event_id))


def null_quantity(store: Store, event_id: str) -> None:
    """What an Infinity quantity became when it slipped in: null, stored."""
    data = json.loads(next(r.data for r in store.rows() if r.id == event_id))
    data["quantities"] = [{"value": None, "unit": "items"}]
    tamper(store, event_id, data=json.dumps(data))


@pytest.fixture
def poisoned(synthetic_store, synthetic):
    """The synthetic store with one transfer whose quantity is null and one strike
    whose stored JSON is garbage."""
    transfer = next(e for e in synthetic.events if e.quantities)
    strike = next(e for e in synthetic.events if e.kind.value == "strike" and e.place.located)
    null_quantity(synthetic_store, transfer.id)
    tamper(synthetic_store, strike.id, data="{not json")
    return synthetic_store, {transfer.id, strike.id}


def test_reading_skips_and_reports_a_row_that_no_longer_validates(poisoned, synthetic, caplog):
    store, bad = poisoned
    events = store.events()
    assert len(events) == len(synthetic.events) - 2
    assert bad.isdisjoint(e.id for e in events)
    assert {i for i, _ in store.skipped} == bad
    problems = dict(store.skipped)
    assert any("quantities.0.value" in p for p in problems.values())
    assert all(i in caplog.text for i in bad)  # logged, not silent


def test_event_by_id_is_none_for_a_row_that_no_longer_validates(poisoned):
    store, bad = poisoned
    assert all(store.event(i) is None for i in bad)


def test_rows_and_pages_skip_rows_that_no_longer_validate(poisoned, synthetic):
    store, bad = poisoned
    assert bad.isdisjoint(r.id for r in store.rows())
    assert sum(1 for _ in store.rows()) == len(synthetic.events) - 2
    page = store.rows_page(EventFilter(), limit=len(synthetic.events))
    assert bad.isdisjoint(r.id for r in page) and len(page) == len(synthetic.events) - 2


def test_the_map_is_drawn_around_a_row_that_no_longer_validates(poisoned, synthetic):
    store, bad = poisoned
    for kinds in (["transfer"], ["strike"]):
        view = map_view(store, EventFilter.build(kinds=kinds, since="2022-01-01"), detail_limit=10_000)
        drawn = {f["properties"].get("id") for layer in view.layers.values() for f in layer}
        assert drawn and bad.isdisjoint(drawn)


def test_a_damaged_geometry_is_skipped_too(synthetic_store, synthetic):
    event = next(e for e in synthetic.events if e.place is not None and e.place.located)
    tamper(synthetic_store, event.id, geometry='{"type": "Point", "coordinates": [1,')
    frame = to_geodataframe(synthetic_store.rows(), synthetic_store.sources())
    assert event.id not in set(frame["id"]) and len(frame) == len(synthetic.events) - 1
    assert "geometry" in dict(synthetic_store.skipped)[event.id]


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg"])
def test_exports_leave_out_rows_that_no_longer_validate(poisoned, synthetic, tmp_path, fmt):
    store, bad = poisoned
    count = export(store, EventFilter(), tmp_path / f"out.{fmt}", fmt)
    assert count == len(synthetic.events) - 2


def test_a_bad_stored_source_is_skipped_not_fatal(synthetic_store):
    with sqlite3.connect(synthetic_store.path) as db:
        db.execute("UPDATE sources SET data = '{\"id\": \"synthetic-3\"}' WHERE id = 'synthetic-3'")
    sources = synthetic_store.sources()
    assert "synthetic-3" not in sources and "synthetic-4" in sources
    assert "source synthetic-3" in dict(synthetic_store.skipped)


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "geodata", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **env})


def test_check_lists_every_row_that_no_longer_validates(poisoned):
    store, bad = poisoned
    result = run("check", "--db", str(store.path))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.strip().splitlines()
    assert sorted(line.split(":")[0] for line in lines) == sorted(bad)
    assert any("quantities.0.value" in line for line in lines)
    assert "2 of 3000 events" in result.stderr and "Traceback" not in result.stderr


def test_check_passes_a_sound_store(synthetic_store):
    result = run("check", "--db", str(synthetic_store.path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "3000 events and 20 sources: all valid" in result.stderr


def test_check_does_not_create_a_store(tmp_path):
    result = run("check", "--db", str(tmp_path / "missing.sqlite"))
    assert result.returncode == 2
    missing = tmp_path / "missing.sqlite"
    assert result.stderr.strip() == (f"error: {missing}: no event store here; create one with "
                                     f"python -m geodata init --seed --db {missing}")
    assert not (tmp_path / "missing.sqlite").exists()


# -- a damaged schema (item 12) -------------------------------------------------------

def damage(path: Path, statement: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute(statement)


@pytest.mark.parametrize("statement, message", [
    ("UPDATE meta SET value = 'x' WHERE key = 'schema_version'",
     "schema version 'x' is not a number; not an event store written by geodata"),
    ("DELETE FROM meta WHERE key = 'schema_version'",
     "no schema version; not an event store written by geodata"),
    ("DROP TABLE event_data", "missing table event_data"),
])
def test_a_store_with_a_damaged_schema_is_one_line_exit_2(tmp_path, statement, message):
    path = tmp_path / "events.sqlite"
    Store(path, seed=False).close()
    damage(path, statement)
    with pytest.raises(StoreError, match=message):
        Store(path)
    for command in (["export", str(tmp_path / "out.geojson")], ["check"]):
        result = run(*command, "--db", str(path))
        assert result.returncode == 2, (command, result.stderr)
        assert result.stderr.startswith(f"error: {path}: {message}"), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


# -- a full disk (item 12) ------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs (needs root, as in CI containers); skipped where mounting is not allowed."""
    folder = tmp_path / "small"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (not root)")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_during_import_says_disk_is_full_and_keeps_the_store(small_disk, synthetic):
    store = Store(small_disk / "events.sqlite", seed=False)
    store.put(type(synthetic)(synthetic.sources, synthetic.events[:50]))
    with pytest.raises(StoreError, match="disk is full; nothing was written"):
        store.put(synthetic)
    assert store.count() == 50
    assert sorted(e.id for e in store.events()) == sorted(e.id for e in synthetic.events[:50])
    store.close()
    again = Store(small_disk / "events.sqlite", seed=False)
    assert again.count() == 50 and list(again.invalid_rows()) == []


def test_a_full_disk_through_the_cli_is_one_line(small_disk, synthetic, tmp_path):
    db = small_disk / "events.sqlite"
    Store(db, seed=False).close()
    big = tmp_path / "big.geojson"
    scratch = Store(tmp_path / "scratch.sqlite", seed=False)
    scratch.put(synthetic)
    export(scratch, EventFilter(), big, "geojson")
    result = run("import", str(big), "--db", str(db))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {db}: disk is full; nothing was written"
    assert Store(db, seed=False).count() == 0


def test_a_full_database_rolls_back_and_says_disk_is_full(synthetic_store, synthetic):
    """Where no tmpfs can be mounted: SQLite's page limit raises the same SQLITE_FULL."""
    before = synthetic_store.count()
    pages = synthetic_store.db.execute("PRAGMA page_count").fetchone()[0]
    synthetic_store.db.execute(f"PRAGMA max_page_count = {pages + 5}")
    renamed = [e.model_copy(update={"id": f"more-{e.id}"}) for e in synthetic.events]
    with pytest.raises(StoreError, match="disk is full; nothing was written"):
        synthetic_store.put(type(synthetic)({}, renamed))
    assert synthetic_store.count() == before
    assert synthetic_store.event(renamed[0].id) is None


# -- a read-only store (item 13) ------------------------------------------------------

@pytest.fixture
def read_only_store(small_disk, synthetic):
    path = small_disk / "events.sqlite"
    store = Store(path, seed=False)
    store.put(type(synthetic)(synthetic.sources, synthetic.events[:100]))
    store.close()
    if subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True).returncode:
        pytest.skip("cannot remount read-only")
    return path


def test_a_store_on_a_read_only_file_system_can_be_read(read_only_store, tmp_path):
    store = Store(read_only_store)
    assert store.read_only and store.count() == 100
    assert export(store, EventFilter(), tmp_path / "out.geojson", "geojson") == 100
    result = run("check", "--db", str(read_only_store))
    assert result.returncode == 0, result.stderr
    result = run("export", str(tmp_path / "out.csv"), "--db", str(read_only_store))
    assert result.returncode == 0, result.stderr


def test_writing_a_read_only_store_says_read_only(read_only_store, synthetic, tmp_path):
    store = Store(read_only_store)
    with pytest.raises(StoreError, match="the store is read-only"):
        store.put(type(synthetic)({}, [synthetic.events[0].model_copy(update={"title": "x"})]))
    out = tmp_path / "one.geojson"
    export(store, EventFilter.build(kinds=["strike"]), out, "geojson")
    result = run("import", str(out), "--db", str(read_only_store))
    assert result.returncode == 2
    assert "the store is read-only" in result.stderr and "not an event store" not in result.stderr


def test_a_frame_leaves_out_a_geometry_that_passes_the_quick_check_but_does_not_parse(
        synthetic_store, synthetic, tmp_path, caplog):
    event = next(e for e in synthetic.events if e.place is not None and e.place.located)
    tamper(synthetic_store, event.id, geometry='{"type":"Point","coordinates":[1,}')
    frame = to_geodataframe(synthetic_store.rows(), synthetic_store.sources())
    assert event.id not in set(frame["id"]) and len(frame) == len(synthetic.events) - 1
    assert event.id in caplog.text
    assert export(synthetic_store, EventFilter(), tmp_path / "out.gpkg", "gpkg") == len(synthetic.events) - 1
    assert event.id in dict(synthetic_store.invalid_rows())


def test_a_garbled_revision_is_one_line(tmp_path):
    path = tmp_path / "events.sqlite"
    Store(path, seed=False).close()
    damage(path, "INSERT OR REPLACE INTO meta VALUES ('revision', 'lots')")
    with pytest.raises(StoreError, match="revision 'lots' is not a number; the store is damaged"):
        Store(path).revision()


def test_column_rows_match_what_the_snapshot_reads(synthetic_store):
    from geodata.events.columns import Columns

    rows = synthetic_store.column_rows()
    columns = Columns.load(synthetic_store)
    assert len(rows) == len(columns) and [r[0] for r in rows] == list(columns.seq)

"""Two writers at once (issue 9, item 7): an import while another import, add-report or
the dashboard's Store button writes. Writers wait their turn; one that still cannot
proceed says so in one line and nothing is lost. Real threads and real processes,
each bounded in time."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from geodata.events.catalogue import Catalogue
from geodata.events.synthetic import synthetic_catalogue
from geodata.io.geojson import write_features
from geodata.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[2]

# Holds the store's write lock for HOLD seconds (longer than SQLite's old 5 s default),
# as a long import does; prints "holding" once it has the lock.
HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT OR REPLACE INTO meta VALUES ('holder', 'yes')")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


def hold_the_store(path: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding"
    return holder


def part(catalogue: Catalogue, start: int, stop: int, prefix: str) -> Catalogue:
    events = [e.model_copy(update={"id": f"{prefix}-{e.id}"}) for e in catalogue.events[start:stop]]
    return Catalogue(dict(catalogue.sources), events)


@pytest.fixture(scope="module")
def events():
    return synthetic_catalogue(600, seed=11)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "events.sqlite", seed=False)
    yield s
    s.close()


def test_threads_sharing_one_store_never_share_a_transaction(store, events):
    """The dashboard: one Store object, sessions in threads pressing Store at once."""
    errors = []

    def press_store(n: int) -> None:
        try:
            for round_ in range(5):
                store.put(part(events, 40 * round_, 40 * round_ + 40, f"t{n}"))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(repr(exc))

    threads = [threading.Thread(target=press_store, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert store.count() == 3 * 5 * 40
    assert store.revision() == 15


def test_a_second_writer_waits_for_the_first_instead_of_failing(store, events):
    holder = hold_the_store(store.path, 6.5)
    try:
        assert store.put(part(events, 0, 50, "second")) == (50, 0)
    finally:
        holder.wait(timeout=60)
    assert holder.returncode == 0
    assert store.count() == 50
    assert store.event("second-" + events.events[0].id) is not None


def test_a_writer_that_cannot_get_its_turn_says_so_and_loses_nothing(tmp_path, events):
    store = Store(tmp_path / "events.sqlite", seed=False, busy_timeout=0.5)
    store.put(part(events, 0, 10, "first"))
    holder = hold_the_store(store.path, 3)
    try:
        with pytest.raises(StoreError, match="the store is busy: another import is writing.*try again"):
            store.put(part(events, 10, 20, "late"))
    finally:
        holder.wait(timeout=60)
    assert store.count() == 10  # the first write is intact, the late one not half-done
    assert store.put(part(events, 10, 20, "late")) == (10, 0)  # and a retry works
    store.close()


def test_busy_timeout_comes_from_the_environment_and_is_checked(monkeypatch, tmp_path):
    monkeypatch.setenv("GEODATA_BUSY_TIMEOUT", "2.5")
    assert Store(tmp_path / "a.sqlite", seed=False).busy_timeout == 2.5
    monkeypatch.setenv("GEODATA_BUSY_TIMEOUT", "soon")
    with pytest.raises(StoreError, match="GEODATA_BUSY_TIMEOUT: 'soon' is not a number of seconds"):
        Store(tmp_path / "b.sqlite", seed=False)


def _write_geojson(catalogue: Catalogue, path: Path, tmp_path: Path) -> None:
    scratch = Store(tmp_path / f"scratch-{path.stem}.sqlite", seed=False)
    scratch.put(catalogue)
    with open(path, "w", encoding="utf-8") as out:
        write_features(scratch.rows(), scratch.sources(), out)
    scratch.close()


def test_two_imports_at_once_both_land(tmp_path, events):
    db = tmp_path / "events.sqlite"
    Store(db, seed=False).close()
    files = []
    for n in range(2):
        path = tmp_path / f"import-{n}.geojson"
        _write_geojson(part(events, 300 * n, 300 * n + 300, f"file{n}"), path, tmp_path)
        files.append(path)
    holder = hold_the_store(db, 10)  # both imports queue behind a writer longer than 5 s
    imports = [subprocess.Popen([sys.executable, "-m", "geodata", "import", str(f), "--db", str(db)],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for f in files]
    results = [p.communicate(timeout=120) for p in imports]
    holder.wait(timeout=60)
    for process, (_, stderr) in zip(imports, results):
        assert process.returncode == 0, stderr
    assert Store(db, seed=False).count() == 600


def test_an_import_that_cannot_wait_longer_is_one_line_exit_2(tmp_path, events):
    db = tmp_path / "events.sqlite"
    Store(db, seed=False).close()
    path = tmp_path / "late.geojson"
    _write_geojson(part(events, 0, 30, "late"), path, tmp_path)
    holder = hold_the_store(db, 4)
    try:
        result = subprocess.run([sys.executable, "-m", "geodata", "import", str(path), "--db", str(db)],
                                cwd=ROOT, capture_output=True, text=True, timeout=120,
                                env={**__import__("os").environ, "GEODATA_BUSY_TIMEOUT": "0.5"})
    finally:
        holder.wait(timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {db}: the store is busy: another import is writing (waited 0.5 s); "
        "nothing was written; try again"]
    assert "Traceback" not in result.stderr
    assert Store(db, seed=False).count() == 0

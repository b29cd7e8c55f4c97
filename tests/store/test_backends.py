"""One store interface, the same tests on both backends (SQLite and PostgreSQL/PostGIS):
explicit creation, all-or-nothing writes, filters that select what the records say,
aggregates, revisions and conflicts, versioned migrations, concurrent writers, and a
read URL whose reads go elsewhere."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from geodata.events.catalogue import Catalogue, CatalogueError
from geodata.events.columns import Columns
from geodata.events.filters import EventFilter
from geodata.events.model import Event
from geodata.store import (SCHEMA_VERSION, ConflictError, EventStore, NoStoreError, SplitStore,
                           StoreError, open_store)

ROOT = Path(__file__).resolve().parents[2]


def changed(event: Event, **updates) -> Event:
    return Event.model_validate({**event.model_dump(), **updates})


def sql(store, statement: str, *args):
    return store._execute(statement, args)


def part(catalogue: Catalogue, start: int, stop: int, prefix: str) -> Catalogue:
    return Catalogue(catalogue.sources, [changed(e, id=f"{prefix}-{e.id}", links=[])
                                         for e in catalogue.events[start:stop]])


# -- explicit creation ------------------------------------------------------------------

def test_opening_where_no_store_is_says_how_to_create_one(store_url):
    with pytest.raises(NoStoreError, match="no event store here; create one with "
                                           "python -m geodata init --seed --db "):
        open_store(store_url)
    with pytest.raises(NoStoreError):  # and opening did not make one
        open_store(store_url)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geodata", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def test_init_creates_and_seeds_a_store_once(store_url):
    made = cli("init", "--seed", "--db", store_url)
    assert made.returncode == 0, made.stderr
    assert "created an event store with 35 events from seeds/" in made.stderr
    again = cli("init", "--seed", "--db", store_url)
    assert again.returncode == 2
    assert "an event store is already here (35 events); nothing was changed" in again.stderr
    assert cli("init", "--exist-ok", "--db", store_url).returncode == 0
    store = open_store(store_url)
    assert store.count() == 35 and store.revision() == 1
    store.close()


def test_check_on_a_mistyped_store_is_one_line_and_creates_nothing(store_url):
    result = cli("check", "--db", store_url)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no event store here; create one with" in result.stderr
    with pytest.raises(NoStoreError):
        open_store(store_url)


def test_both_backends_offer_the_whole_interface(empty):
    assert isinstance(empty, EventStore)


# -- writes ---------------------------------------------------------------------------

def test_put_is_all_or_nothing(filled, synthetic):
    before, revision = filled.count(), filled.revision()
    good = changed(synthetic.events[0], id="new-good-event")
    broken = changed(synthetic.events[1], id="new-broken-event",
                     sources=[{"id": "no-such-source", "evidence": "x"}])
    with pytest.raises(CatalogueError, match="new-broken-event: cites unknown source"):
        filled.put(Catalogue({}, [good, broken]))
    assert (filled.count(), filled.revision()) == (before, revision)
    assert filled.event("new-good-event") is None


def test_put_batches_is_all_or_nothing_across_batches(empty, synthetic):
    batches = [synthetic.events[:300], synthetic.events[300:600], [synthetic.events[0]]]
    with pytest.raises(CatalogueError, match="the id is used twice"):
        empty.put_batches(synthetic.sources, batches)
    assert empty.count() == 0 and empty.sources() == {}


def test_events_round_trip_and_replacing_raises_the_revision(filled, synthetic):
    stored = filled.events_by_id(e.id for e in synthetic.events[:50])
    assert all(stored[e.id] == e for e in synthetic.events[:50])
    first = synthetic.events[0]
    assert filled.event_revisions([first.id]) == {first.id: 1}
    assert filled.put(Catalogue({}, [changed(first, title="Corrected title")])) == (0, 1)
    assert filled.event(first.id).title == "Corrected title"
    assert filled.event_revisions([first.id, "nothing-here"]) == {first.id: 2}


def test_a_stale_edit_is_a_conflict_and_writes_nothing(filled, synthetic):
    first = synthetic.events[0]
    filled.put(Catalogue({}, [changed(first, title="Analyst A's edit")]), expected={first.id: 1})
    with pytest.raises(ConflictError, match=f"event {first.id}: changed by someone else meanwhile "
                                            r"\(revision 2 stored, you edited revision 1\)"):
        filled.put(Catalogue({}, [changed(first, title="Analyst B's edit")]), expected={first.id: 1})
    assert filled.event(first.id).title == "Analyst A's edit"
    with pytest.raises(ConflictError, match="revision 2 stored, you edited revision 0"):
        filled.put(Catalogue({}, [first]), expected={first.id: 0})  # "new" but it is stored


def test_a_stored_source_is_not_rewritten_silently(filled, synthetic):
    source = next(iter(synthetic.sources.values()))
    other = source.model_copy(update={"publisher": "Someone else"})
    with pytest.raises(StoreError, match=f"source {source.id} is already stored with a different publisher"):
        filled.put(Catalogue({other.id: other}, []))
    assert filled.sources()[source.id] == source


# -- reads ----------------------------------------------------------------------------

FILTERS = [
    {}, {"kinds": ["strike"]}, {"kinds": ["transfer", "deployment"]}, {"systems": ["Hwasong-11"]},
    {"systems": ["KN-24", "S-400"]}, {"since": "2024-01-01", "until": "2024-03-31"},
    {"since": "2025-06-01"}, {"countries": ["KP"]}, {"countries": ["ua", "RU"]},
    {"sources": ["synthetic-3"]}, {"statuses": ["confirmed"]}, {"max_geo_precision": 2},
    {"text": "near kharkiv"}, {"text": "100%_"}, {"bbox": [30, 45, 40, 53]},
    {"bbox": [170, -10, -170, 10]}, {"tags": ["synthetic"]},
    {"kinds": ["strike"], "systems": ["kn-23"], "since": "2023-01-01", "until": "2023-12-31",
     "countries": ["UA"]},
]


@pytest.mark.parametrize("arguments", FILTERS)
def test_filters_select_what_the_records_say_in_sql_and_in_the_snapshot(filled, synthetic, arguments):
    f = EventFilter.build(**arguments)
    expected = sorted(e.id for e in synthetic.events if f.matches(e))
    assert sorted(e.id for e in filled.events(f)) == expected
    assert filled.count(f) == len(expected)
    columns = Columns.load(filled)
    assert int(columns.mask(f, filled).sum()) == len(expected)


def test_the_snapshot_mask_honours_tags(empty, synthetic):
    base = synthetic.events[0]
    empty.put(Catalogue(synthetic.sources, [changed(base, id="tagged", tags=["Civilian harm"]),
                                            changed(base, id="untagged", tags=[])]))
    f = EventFilter.build(tags=["civilian HARM"])
    columns = Columns.load(empty)
    assert columns.seq[columns.mask(f, empty)].tolist() == empty.seqs(f)
    assert [e.id for e in empty.events(f)] == ["tagged"]


def _same(ours, theirs) -> bool:
    """Equal rows, floats to 1e-6 (sums in another order differ in the last digits)."""
    key = lambda row: tuple(round(v, 2) if isinstance(v, float) else v for v in row)  # noqa: E731
    ours, theirs = sorted(ours, key=key), sorted(theirs, key=key)
    return len(ours) == len(theirs) and all(
        a == pytest.approx(b, abs=1e-6) if isinstance(a, float) else a == b
        for x, y in zip(ours, theirs) for a, b in zip(x, y))


def test_map_aggregates_are_computed_by_the_database_like_the_snapshot(filled):
    f = EventFilter.build(since="2023-01-01")
    columns = Columns.load(filled)
    keep = columns.mask(f, filled)
    assert _same(filled.grid_bins(f, 2.0), columns.grid_bins(keep, 2.0))
    assert _same(filled.route_totals(f, 5.0), columns.route_totals(keep, 5.0))
    assert filled.monthly_counts(f) == columns.monthly(keep)
    assert len(filled.points(f)) == int((keep & ~np.isnan(columns.lon)).sum())


def test_reads_page_stream_and_summarise(filled, synthetic):
    rows = list(filled.rows())
    assert len(rows) == len(synthetic.events)
    assert [r.id for r in filled.rows_page(EventFilter(), 10, 5)] == [r.id for r in rows[5:15]]
    first, last = filled.date_range()
    assert first == min(e.date_start for e in synthetic.events).isoformat()
    assert last == max(e.date_end for e in synthetic.events).isoformat()
    assert filled.countries() == sorted({p.country for e in synthetic.events for p in e.places if p.country})
    # another read while a long one streams
    streamed = filled.rows()
    next(streamed)
    assert filled.count() == len(synthetic.events)
    assert sum(1 for _ in streamed) == len(synthetic.events) - 1


def test_a_row_that_no_longer_validates_is_skipped_and_listed(filled, synthetic):
    victim = synthetic.events[3].id
    sql(filled, "UPDATE event_data SET data = ? WHERE seq = (SELECT seq FROM events WHERE id = ?)",
        '{"id": "%s", "kind": "strike"}' % victim, victim)
    assert victim not in {e.id for e in filled.events()}
    assert filled.event(victim) is None
    assert [row_id for row_id, _ in filled.skipped] == [victim]
    assert [row_id for row_id, _ in filled.invalid_rows()] == [victim]


# -- versions -------------------------------------------------------------------------

def test_a_newer_schema_is_refused(empty, store_url):
    sql(empty, "UPDATE meta SET value = ? WHERE key = 'schema_version'", str(SCHEMA_VERSION + 1))
    empty.close()
    with pytest.raises(StoreError, match=f"written by a newer geodata \\(schema {SCHEMA_VERSION + 1}"):
        open_store(store_url)


def test_a_version_2_seed_store_is_upgraded_in_one_step(store_url, tmp_path):
    """The schema this change started from (2, no revision per event, no history), with
    the seed catalogue, opens as version 4 with every event at revision 1, the revision
    its history starts from, and its links indexed."""
    store = open_store(store_url, create=True, seed=True)
    before = {e.id: e for e in store.events()}
    links = {e.id: sorted({link.target for link in e.links}) for e in before.values() if e.links}
    sql(store, "DROP TABLE event_history")
    sql(store, "DROP TABLE event_links")
    sql(store, "ALTER TABLE events DROP COLUMN revision")
    sql(store, "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    store.close()
    upgraded = open_store(store_url)
    assert upgraded._meta("schema_version") == str(SCHEMA_VERSION) == "4"
    assert {e.id: e for e in upgraded.events()} == before
    assert set(upgraded.event_revisions(before).values()) == {1}
    first = upgraded.history("strike-kharkiv-2024-01-02")
    assert [(r.revision, r.action, r.why) for r in first] == [(1, "import", "stored before history was kept")]
    assert first[0].event() == before["strike-kharkiv-2024-01-02"]
    assert links and all(  # the links table is filled from the records
        event_id in {e.id for e in upgraded.linking(target)} for event_id, targets in links.items()
        for target in targets)
    upgraded.close()
    again = open_store(store_url)  # opening again changes nothing
    assert again.count() == len(before) and again.revision() == 1
    again.close()


# -- concurrency ----------------------------------------------------------------------

def test_threads_writing_at_once_all_land_and_readers_never_see_half_a_write(empty, synthetic):
    size, writers = 100, 4
    parts = [part(synthetic, i * size, (i + 1) * size, f"t{i}") for i in range(writers)]
    errors, seen = [], []
    done = threading.Event()

    def write(catalogue: Catalogue) -> None:
        try:
            empty.put(catalogue)
        except BaseException as exc:  # handed to the test's thread
            errors.append(exc)

    def read() -> None:
        while not done.is_set():
            seen.append(empty.count())

    reader = threading.Thread(target=read)
    reader.start()
    threads = [threading.Thread(target=write, args=(p,)) for p in parts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    reader.join()
    assert not errors
    assert empty.count() == size * writers and empty.revision() == writers
    assert all(n % size == 0 for n in seen), "a reader saw part of a write"


WRITER = """
import sys
from geodata.events.catalogue import Catalogue
from geodata.events.model import Event
from geodata.events.synthetic import synthetic_catalogue
from geodata.store import open_store
url, prefix = sys.argv[1], sys.argv[2]
c = synthetic_catalogue(200, seed=5)
events = [Event.model_validate({**e.model_dump(), "id": f"{prefix}-{e.id}", "links": []}) for e in c.events]
store = open_store(url)
for start in range(0, 200, 50):
    store.put(Catalogue(c.sources, events[start:start + 50]))
"""


def test_processes_writing_at_once_all_land(empty, store_url):
    processes = [subprocess.Popen([sys.executable, "-c", WRITER, store_url, f"p{i}"], cwd=ROOT,
                                  stderr=subprocess.PIPE, text=True) for i in range(3)]
    seen = []
    while any(p.poll() is None for p in processes):
        seen.append(empty.count())
    for p in processes:
        assert p.wait(timeout=300) == 0, p.stderr.read()
    assert empty.count() == 600 and empty.revision() == 12
    assert all(n % 50 == 0 for n in seen), "a reader saw part of a write"


# -- a read URL -----------------------------------------------------------------------

def test_reads_go_to_the_read_url_and_writes_to_the_primary(new_url, synthetic):
    primary_url, replica_url = new_url(), new_url()
    open_store(primary_url, create=True).close()
    replica = open_store(replica_url, create=True)
    replica.put(part(synthetic, 0, 7, "replica"))
    store = open_store(primary_url, replica_url)
    assert isinstance(store, SplitStore)
    store.put(part(synthetic, 0, 3, "written"))
    # the reads come from the replica: what it holds, not what was just written
    assert store.count() == 7 and store.revision() == 1
    assert store.event("written-" + synthetic.events[0].id) is None
    assert store.event("replica-" + synthetic.events[0].id) is not None
    primary = open_store(primary_url)
    assert primary.count() == 3
    for s in (store, primary, replica):
        s.close()


def test_the_read_url_comes_from_the_environment_only_for_the_default_store(new_url, monkeypatch):
    primary_url, replica_url = new_url(), new_url()
    open_store(primary_url, create=True).close()
    open_store(replica_url, create=True).close()
    monkeypatch.setenv("GEODATA_DB", primary_url)
    monkeypatch.setenv("GEODATA_DB_READ", replica_url)
    default = open_store()
    assert isinstance(default, SplitStore) and default.reader.key != default.primary.key
    explicit = open_store(primary_url)  # an explicit --db is read where it is
    assert not isinstance(explicit, SplitStore)
    default.close()
    explicit.close()


def test_a_bulk_write_to_postgresql_refreshes_the_planners_statistics(pg_url, synthetic, monkeypatch):
    from geodata.store import postgres

    store = open_store(pg_url(), create=True)
    try:
        monkeypatch.setattr(postgres, "ANALYZE_AFTER_ROWS", len(synthetic.events))
        never = sql(store, "SELECT last_analyze FROM pg_stat_user_tables WHERE schemaname = "
                           "current_schema() AND relname = 'events'").fetchone()[0]
        store.put(synthetic)
        analyzed = sql(store, "SELECT last_analyze FROM pg_stat_user_tables WHERE schemaname = "
                              "current_schema() AND relname = 'events'").fetchone()[0]
        assert never is None and analyzed is not None
    finally:
        store.close()

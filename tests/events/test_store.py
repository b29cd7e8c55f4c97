"""The store: created and seeded on first use, versioned, all-or-nothing writes, and
filters that select exactly what the record says."""

import sqlite3

import pytest

from geodata.events.catalogue import Catalogue, CatalogueError
from geodata.events.filters import EventFilter, FilterError
from geodata.events.model import Event
from geodata.store import SCHEMA_VERSION, Store, StoreError, default_path


def changed(event: Event, **updates) -> Event:
    return Event.model_validate({**event.model_dump(), **updates})


def test_default_path_is_outside_the_source_tree_and_follows_geodata_db(monkeypatch, tmp_path):
    monkeypatch.delenv("GEODATA_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "geodata" / "events.sqlite"
    monkeypatch.setenv("GEODATA_DB", str(tmp_path / "team.sqlite"))
    assert default_path() == tmp_path / "team.sqlite"


def test_a_new_store_is_created_and_seeded(tmp_path, monkeypatch):
    monkeypatch.setenv("GEODATA_DB", str(tmp_path / "new.sqlite"))
    store = Store()
    assert store.path == tmp_path / "new.sqlite"
    assert store.count() >= 30
    assert {"seed-000", "seed-001", "seed-002", "seed-003", "seed-004"} <= set(store.sources())
    again = Store()  # opening again does not seed twice
    assert again.count() == store.count()


def test_a_store_from_a_newer_version_is_refused(empty_store):
    empty_store.db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match="written by a newer geodata"):
        Store(empty_store.path, seed=False)


@pytest.mark.parametrize("content, message", [
    (b"hello, I am a text file" * 100, "not an event store"),
])
def test_a_file_that_is_not_a_store_is_refused(tmp_path, content, message):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        Store(path, seed=False)
    assert path.read_bytes() == content


def test_another_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE birds (name TEXT)")
    with pytest.raises(StoreError, match="an SQLite file, but not an event store"):
        Store(path, seed=False)


def test_put_is_all_or_nothing(synthetic_store, synthetic):
    before = synthetic_store.count()
    good = changed(synthetic.events[0], id="new-good-event")
    broken = changed(synthetic.events[1], id="new-broken-event",
                     sources=[{"id": "no-such-source", "evidence": "x"}])
    with pytest.raises(CatalogueError, match="new-broken-event: cites unknown source"):
        synthetic_store.put(Catalogue({}, [good, broken]))
    assert synthetic_store.count() == before
    assert synthetic_store.event("new-good-event") is None


def test_a_failure_inside_the_transaction_rolls_back(synthetic_store, synthetic, monkeypatch):
    before = synthetic_store.count()
    replacement = [changed(e, title="changed") for e in synthetic.events[:10]]
    rows = iter(range(10))

    def fail_on_the_fifth(event):
        if next(rows) == 5:
            raise OSError("disk full")
        return real_row(event)

    real_row = Store._row
    monkeypatch.setattr(Store, "_row", staticmethod(fail_on_the_fifth))
    with pytest.raises(OSError):
        synthetic_store.put(Catalogue({}, replacement))
    assert synthetic_store.count() == before
    assert synthetic_store.event(synthetic.events[0].id).title != "changed"


def test_put_replaces_events_with_the_same_id(synthetic_store, synthetic):
    renamed = changed(synthetic.events[0], title="Renamed")
    assert synthetic_store.put(Catalogue({}, [renamed])) == (0, 1)
    assert synthetic_store.event(renamed.id).title == "Renamed"
    assert synthetic_store.count() == len(synthetic.events)


def test_events_round_trip_through_the_store(synthetic_store, synthetic):
    stored = {e.id: e for e in synthetic_store.events()}
    assert all(stored[e.id] == e for e in synthetic.events[:200])


@pytest.mark.parametrize("arguments", [
    {"kinds": ["strike"]},
    {"kinds": ["transfer", "deployment"]},
    {"systems": ["Hwasong-11"]},
    {"systems": ["KN-24", "S-400"]},
    {"since": "2024-01-01", "until": "2024-03-31"},
    {"since": "2025-06-01"},
    {"countries": ["KP"]},
    {"countries": ["ua", "RU"]},
    {"sources": ["synthetic-3"]},
    {"statuses": ["confirmed"]},
    {"max_geo_precision": 2},
    {"text": "near kharkiv"},
    {"kinds": ["strike"], "systems": ["kn-23"], "since": "2023-01-01", "until": "2023-12-31", "countries": ["UA"]},
])
def test_store_filters_select_what_the_records_say(synthetic_store, synthetic, arguments):
    f = EventFilter.build(**arguments)
    expected = sorted(e.id for e in synthetic.events if f.matches(e))
    assert expected, "the synthetic set should exercise this filter"
    assert sorted(e.id for e in synthetic_store.events(f)) == expected
    assert synthetic_store.count(f) == len(expected)


@pytest.mark.parametrize("arguments, message", [
    ({"kinds": ["airstrike"]}, "unknown kind 'airstrike': choose from strike, launch_site"),
    ({"systems": ["Scud-Z"]}, "unknown weapon system 'Scud-Z'"),
    ({"since": "2024-02-30"}, "since '2024-02-30' is not a date"),
    ({"since": "2024-05-01", "until": "2024-01-01"}, "is after until"),
    ({"countries": ["Ukraine"]}, "ISO 3166 alpha-2"),
    ({"max_geo_precision": "7"}, "give 1 (town) to 4 (country)"),
    ({"statuses": ["true"]}, "unknown status 'true'"),
])
def test_bad_filter_values_are_named(arguments, message):
    with pytest.raises(FilterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        EventFilter.build(**arguments)


def test_events_come_out_validated(synthetic_store):
    assert all(isinstance(e, Event) for e in synthetic_store.events(EventFilter.build(kinds=["meeting"])))


# -- streaming writes and stored sources (issue 9, item 10) ---------------------------

def test_put_batches_writes_every_batch_in_one_transaction(empty_store, synthetic):
    batches = [synthetic.events[i:i + 500] for i in range(0, 1500, 500)]
    assert empty_store.put_batches(synthetic.sources, iter(batches)) == (1500, 0)
    assert empty_store.count() == 1500
    assert empty_store.revision() == 1  # one write, not one per batch


def test_put_batches_is_all_or_nothing_across_batches(empty_store, synthetic):
    broken = changed(synthetic.events[1000], sources=[{"id": "no-such-source", "evidence": "x"}])
    batches = [synthetic.events[:500], [*synthetic.events[500:1000], broken]]
    with pytest.raises(CatalogueError, match="cites unknown source"):
        empty_store.put_batches(synthetic.sources, batches)
    assert empty_store.count() == 0
    assert empty_store.sources() == {}


def test_put_batches_links_may_point_at_later_batches_named_in_known_ids(empty_store, synthetic):
    target = synthetic.events[1]
    linking = changed(synthetic.events[0], links=[{"relation": "same_as", "target": target.id}])
    with pytest.raises(CatalogueError, match="links to unknown event"):
        empty_store.put_batches(synthetic.sources, [[linking], [target]])
    assert empty_store.put_batches(synthetic.sources, [[linking], [target]],
                                   known_ids={target.id}) == (2, 0)


def test_put_batches_refuses_an_id_given_twice_in_different_batches(empty_store, synthetic):
    with pytest.raises(CatalogueError, match="used twice"):
        empty_store.put_batches(synthetic.sources, [synthetic.events[:2], synthetic.events[1:3]])
    assert empty_store.count() == 0


def test_put_refuses_to_rewrite_a_stored_source_silently(synthetic_store, synthetic):
    source = synthetic.sources["synthetic-3"]
    rewritten = source.model_copy(update={"publisher": "Someone Else"})
    event = changed(synthetic.events[0], id="cites-rewritten-source",
                    sources=[{"id": "synthetic-3", "evidence": "x"}])
    with pytest.raises(StoreError, match="source synthetic-3 .*different publisher"):
        synthetic_store.put(Catalogue({"synthetic-3": rewritten}, [event]))
    assert synthetic_store.sources()["synthetic-3"] == source
    assert synthetic_store.event("cites-rewritten-source") is None


def test_put_accepts_an_identical_source_and_replaces_one_when_asked(synthetic_store, synthetic):
    source = synthetic.sources["synthetic-3"]
    assert synthetic_store.put(Catalogue({"synthetic-3": source}, [])) == (0, 0)
    rewritten = source.model_copy(update={"title": "Corrected headline"})
    synthetic_store.put(Catalogue({"synthetic-3": rewritten}, []), replace_sources=True)
    assert synthetic_store.sources()["synthetic-3"].title == "Corrected headline"


def test_a_source_summary_that_agrees_with_the_stored_source_keeps_the_stored_fields(synthetic_store, synthetic):
    stored = synthetic.sources["synthetic-3"].model_copy(update={"note": "kept"})
    synthetic_store.put(Catalogue({"synthetic-3": stored}, []), replace_sources=True)
    summary = type(stored).model_validate(stored.model_dump(exclude={"note"}))
    assert synthetic_store.put(Catalogue({"synthetic-3": summary}, [])) == (0, 0)
    assert synthetic_store.sources()["synthetic-3"].note == "kept"


# -- schema 2: possible systems, tags, and the upgrade of a version-1 store ------------

# The DDL of schema version 1, as geodata wrote it up to commit 458de72 (a fixture: the
# upgrade must keep working on stores that code made).
V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    date_start TEXT NOT NULL,
    date_end TEXT NOT NULL,
    geo_precision INTEGER,
    lon REAL,
    lat REAL,
    origin_lon REAL,
    origin_lat REAL,
    weight REAL
);
CREATE TABLE event_data (
    seq INTEGER PRIMARY KEY REFERENCES events(seq) ON DELETE CASCADE,
    search TEXT NOT NULL,
    geometry TEXT,
    data TEXT NOT NULL
);
CREATE TABLE event_systems (seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE, system TEXT NOT NULL);
CREATE TABLE event_sources (seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE, source TEXT NOT NULL);
CREATE TABLE event_countries (seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE, country TEXT NOT NULL);
CREATE INDEX events_kind ON events(kind, date_start);
CREATE INDEX events_dates ON events(date_start, date_end);
CREATE INDEX events_position ON events(lon, lat);
CREATE INDEX event_systems_system ON event_systems(system, seq);
CREATE INDEX event_systems_seq ON event_systems(seq);
CREATE INDEX event_sources_source ON event_sources(source, seq);
CREATE INDEX event_sources_seq ON event_sources(seq);
CREATE INDEX event_countries_country ON event_countries(country, seq);
CREATE INDEX event_countries_seq ON event_countries(seq);
"""
V1_SOURCE = ('{"id":"src-one","publisher":"Example Wire","title":"Strike report",'
             '"published":"2024-01-03","published_precision":"day","language":"en"}')
V1_EVENT = ('{"id":"strike-one","kind":"strike","title":"Missile strike on Kharkiv",'
            '"date_start":"2024-01-02","date_end":"2024-01-02","date_precision":"day",'
            '"place":{"name":"Kharkiv","lat":49.98,"lon":36.25,"country":"UA","geo_precision":1,'
            '"radius_km":10.0},"systems":["kn-23"],"quantities":[],"attribution":[],'
            '"status":"reported","sources":[{"id":"src-one","evidence":"says so"}],'
            '"discrepancies":[],"links":[]}')


def make_v1_store(path):
    """A store as version 1 wrote it: its DDL, one source, one event with a system."""
    db = sqlite3.connect(path)
    db.executescript(V1_SCHEMA)
    db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    db.execute("INSERT INTO meta VALUES ('revision', '7')")
    db.execute("INSERT INTO sources VALUES ('src-one', ?)", (V1_SOURCE,))
    db.execute("INSERT INTO events VALUES (1, 'strike-one', 'strike', 'reported', '2024-01-02', "
               "'2024-01-02', 1, 36.25, 49.98, NULL, NULL, NULL)")
    db.execute("INSERT INTO event_data VALUES (1, 'missile strike on kharkiv kharkiv', "
               "'{\"type\":\"Point\",\"coordinates\":[36.25,49.98]}', ?)", (V1_EVENT,))
    db.execute("INSERT INTO event_systems VALUES (1, 'kn-23')")
    db.execute("INSERT INTO event_sources VALUES (1, 'src-one')")
    db.execute("INSERT INTO event_countries VALUES (1, 'UA')")
    db.commit()
    db.close()


def test_a_version_1_store_is_upgraded_in_place_after_a_backup_copy(tmp_path):
    path = tmp_path / "events.sqlite"
    make_v1_store(path)
    store = Store(path, seed=False)
    assert store.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] \
        == str(SCHEMA_VERSION) == "4"
    # the data survived, and the filters that read the new tables work on it
    assert [e.id for e in store.events()] == ["strike-one"]
    assert store.revision() == 7
    assert store.count(EventFilter.build(systems=["Hwasong-11"])) == 1
    assert store.count(EventFilter.build(tags=["anything"])) == 0
    # the backup is the version-1 store as it was
    backup = tmp_path / "events.sqlite.v1-backup"
    old = sqlite3.connect(backup)
    assert old.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "1"
    assert old.execute("SELECT data FROM event_data").fetchone()[0] == V1_EVENT
    old.close()
    # writing after the upgrade: tags and possible systems go to their tables
    event = store.event("strike-one")
    store.put(Catalogue({}, [changed(event, id="strike-two", systems=[],
                                     possible_systems=["Iskander-M", "KN-23"], tags=["Civilian harm"])]))
    assert store.count(EventFilter.build(systems=["kn-23"])) == 2
    assert store.count(EventFilter.build(tags=["civilian  HARM"])) == 1
    store.close()
    Store(path, seed=False).close()  # opening again does not upgrade (or back up) twice
    assert sorted(p.name for p in tmp_path.iterdir() if "backup" in p.name) == ["events.sqlite.v1-backup"]


def test_an_upgrade_never_overwrites_an_earlier_backup(tmp_path):
    path = tmp_path / "events.sqlite"
    make_v1_store(path)
    (tmp_path / "events.sqlite.v1-backup").write_bytes(b"an older copy")
    Store(path, seed=False).close()
    assert (tmp_path / "events.sqlite.v1-backup").read_bytes() == b"an older copy"
    assert (tmp_path / "events.sqlite.v1-backup-2").exists()


def test_a_read_only_version_1_store_is_one_line_not_an_upgrade(tmp_path):
    import os
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere")
    path = tmp_path / "events.sqlite"
    make_v1_store(path)
    path.chmod(0o444)
    with pytest.raises(StoreError, match="older geodata .*read-only, so it cannot be upgraded"):
        Store(path, seed=False)
    assert not (tmp_path / "events.sqlite.v1-backup").exists()


def test_possible_systems_are_found_by_the_system_filter_in_sql_and_in_memory(empty_store, synthetic):
    base = synthetic.events[0]
    possible = changed(base, id="possibly-kn23", systems=[], possible_systems=["Iskander-M/KN-23".split("/")[1], "Iskander"])
    certain = changed(base, id="certainly-s400", systems=["S-400"], possible_systems=[])
    empty_store.put(Catalogue(synthetic.sources, [possible, certain]))
    f = EventFilter.build(systems=["KN-23"])
    assert [e.id for e in empty_store.events(f)] == ["possibly-kn23"]
    assert f.matches(empty_store.event("possibly-kn23"))
    assert not f.matches(empty_store.event("certainly-s400"))
    assert empty_store.event("possibly-kn23").possible_systems == ["kn-23", "iskander-m"]


def test_tags_are_filtered_ignoring_case_and_spacing(empty_store, synthetic):
    base = synthetic.events[0]
    tagged = changed(base, id="tagged", tags=["Civilian Harm", "Kharkiv  region"])
    empty_store.put(Catalogue(synthetic.sources, [tagged, changed(base, id="untagged", tags=[])]))
    for tag in ("civilian harm", "KHARKIV REGION"):
        f = EventFilter.build(tags=[tag])
        assert [e.id for e in empty_store.events(f)] == ["tagged"]
        assert f.matches(empty_store.event("tagged"))
    assert empty_store.event("tagged").tags == ["Civilian Harm", "Kharkiv region"]
    with pytest.raises(FilterError, match="tag: empty"):
        EventFilter.build(tags=["  "])

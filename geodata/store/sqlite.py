"""The embedded event store: one SQLite file, for one analyst (the default).

Each event is a narrow row of the columns that filters and map aggregates read (kind,
dates, precision, position, revision), link tables (systems, tags, sources, countries),
and a side row with the validated JSON, the GeoJSON geometry computed once at write time
and the text that search reads; so a scan of a million events for the map reads
megabytes, not the whole catalogue, and exports never recompute routes.
The schema carries a version; a file from a newer version is refused, and one from an
older version is upgraded in place (``_MIGRATIONS``), in one transaction, after an
online backup copy beside it (``events.sqlite.v1-backup``).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from geodata.events.catalogue import load_seeds
from geodata.store.base import INIT_HINT, SCHEMA_VERSION, SqlStore, default_path, sqlite_path
from geodata.store.errors import NoStoreError, StoreError
from geodata.store.history import Change

BUSY_TIMEOUT_ENV = "GEODATA_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT = 30.0
log = logging.getLogger("geodata.store")

# the schema as version 1 had it; a new store is made from it by _MIGRATIONS, so each
# table's DDL is written once
_SCHEMA_V1 = """
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
_TABLES_V1 = ("meta", "sources", "events", "event_data", "event_systems", "event_sources",
              "event_countries")
_TABLES = {1: _TABLES_V1, 2: (*_TABLES_V1, "event_tags"), 3: (*_TABLES_V1, "event_tags"),
           4: (*_TABLES_V1, "event_tags", "event_history", "event_links")}

# version -> the statements that bring a store of that version to the next one.
# v2: possible systems ("Iskander-M/KN-23") are rows of event_systems with certain = 0,
# so the system filter and SQL aggregates find them; tags get their link table.
# v3: each event carries its revision, so an edit can tell a change made meanwhile.
# v4: every revision is kept (who, when, what, why and the record) in event_history;
# event_links says which events link to which (a merge moves those links).
_MIGRATIONS = {
    1: """
ALTER TABLE event_systems ADD COLUMN certain INTEGER NOT NULL DEFAULT 1;
CREATE TABLE event_tags (seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE, tag TEXT NOT NULL);
CREATE INDEX event_tags_tag ON event_tags(tag, seq);
CREATE INDEX event_tags_seq ON event_tags(seq);
""",
    2: "ALTER TABLE events ADD COLUMN revision INTEGER NOT NULL DEFAULT 1",
    3: """
CREATE TABLE event_history (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, revision INTEGER NOT NULL, at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL, why TEXT NOT NULL, changes TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX event_history_id ON event_history(id, revision);
CREATE INDEX event_history_action ON event_history(action, id);
INSERT INTO event_history (id, revision, at, who, action, why, changes, data)
    SELECT id, revision, '', 'unknown', 'import', 'stored before history was kept', '[]', data
    FROM events JOIN event_data USING (seq);
CREATE TABLE event_links (seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE, target TEXT NOT NULL);
CREATE INDEX event_links_target ON event_links(target, seq);
CREATE INDEX event_links_seq ON event_links(seq);
INSERT INTO event_links (seq, target)
    SELECT event_data.seq, json_extract(link.value, '$.target')
    FROM event_data, json_each(event_data.data, '$.links') AS link;
""",
}


def default_busy_timeout() -> float:
    """Seconds a writer waits for another writer: ``$GEODATA_BUSY_TIMEOUT``, else 30."""
    value = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not value:
        return DEFAULT_BUSY_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400:
        raise StoreError(f"${BUSY_TIMEOUT_ENV}: {value!r} is not a number of seconds from 0 to 86400")
    return seconds


class Store(SqlStore):
    """One event store file. Each thread gets its own SQLite connection (the dashboard
    serves sessions from many threads: they must never share a transaction), and a
    writer waits up to ``busy_timeout`` seconds for another writer to finish.

    ``create`` makes a missing store (``seed``: filled from seeds/); without it a
    missing file is a NoStoreError saying how to create one. Tests and ``init`` create;
    the commands and the dashboard open with ``open_store``, which does not."""

    def __init__(self, path: Path | str | None = None, *, seed: bool = True,
                 busy_timeout: float | None = None, create: bool = True):
        super().__init__()
        self.path = sqlite_path(path) if path else default_path()
        self.label = str(self.path)
        self.busy_timeout = default_busy_timeout() if busy_timeout is None else busy_timeout
        self.read_only = False
        self._connections: dict[threading.Thread, sqlite3.Connection] = {}
        self._lock = threading.Lock()
        try:
            if self.path.exists():
                self.read_only = not os.access(self.path, os.W_OK)
            elif not create:
                raise NoStoreError(f"{self.path}: no event store here; create one with "
                                   f"{INIT_HINT} {self.path}")
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            version = self._schema_version()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise self._error(exc, "not an event store") from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open: {exc.strerror or exc}") from None
        except StoreError:
            self.close()
            raise
        self.key = str(self.path.resolve())
        if version is None:
            if not create:  # an empty file where a store should be
                self.close()
                raise NoStoreError(f"{self.path}: an empty file, no event store here; create "
                                   f"one with {INIT_HINT} {self.path}")
            with self._transaction():
                for script in (_SCHEMA_V1, *(_MIGRATIONS[v] for v in range(1, SCHEMA_VERSION))):
                    for statement in filter(str.strip, script.split(";")):
                        self.db.execute(statement)
                self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            if seed:  # a new store starts with the seed catalogue; an existing one is left as it is
                self.put(load_seeds(), note=("seeded", "seeds/"), change=Change("import", "the seed catalogue"))
        elif version > SCHEMA_VERSION:
            self.close()
            raise StoreError(f"{self.path}: written by a newer geodata (schema {version}, this "
                             f"one reads {SCHEMA_VERSION}); upgrade geodata")
        elif version < SCHEMA_VERSION:
            try:
                self._upgrade(version)
            except BaseException:
                self.close()
                raise

    def files(self) -> list[Path]:
        """The files that are the store (with SQLite's journals): what an export or a
        rejects file must never be written over."""
        return [self.path, *(self.path.with_name(self.path.name + s) for s in ("-wal", "-shm", "-journal"))]

    # -- schema upgrades -------------------------------------------------------------

    def backup_path(self, version: int) -> Path:
        """Where the copy made before upgrading a store of ``version`` goes: beside it,
        never over an earlier copy (``events.sqlite.v1-backup``, then ``-2`` ...)."""
        first = self.path.with_name(f"{self.path.name}.v{version}-backup")
        candidates = (first, *(first.with_name(f"{first.name}-{n}") for n in range(2, 1000)))
        for candidate in candidates:
            if not os.path.lexists(candidate):
                return candidate
        raise StoreError(f"{self.path}: too many backup copies beside it; remove old ones")

    def _upgrade(self, version: int) -> None:
        """Bring an older store to SCHEMA_VERSION: an online backup copy first, then every
        migration in ONE transaction (an error leaves the store at its old version)."""
        if self.read_only:
            raise StoreError(f"{self.path}: written by an older geodata (schema {version}) and "
                             "read-only, so it cannot be upgraded; make it writable (a backup "
                             "copy is made first) or open a copy")
        backup = self.backup_path(version)
        try:
            target = sqlite3.connect(backup)
            try:
                self.db.backup(target)
            finally:
                target.close()
        except sqlite3.Error as exc:
            raise self._error(exc, f"cannot make the backup copy {backup} before upgrading "
                                   f"schema {version}") from None
        except OSError as exc:
            raise StoreError(f"{backup}: cannot make the backup copy before upgrading: "
                             f"{exc.strerror or exc}; the store is unchanged") from None
        with self._transaction():
            current = int(self._meta("schema_version") or version)  # another process may have
            for step in range(current, SCHEMA_VERSION):            # upgraded it meanwhile
                for statement in filter(str.strip, _MIGRATIONS[step].split(";")):
                    self.db.execute(statement)
            self.db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                            (str(SCHEMA_VERSION),))
        log.warning("%s: upgraded from schema %d to %d; the old store is kept as %s",
                    self.path, version, SCHEMA_VERSION, backup)

    # -- connections ---------------------------------------------------------------

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        thread = threading.current_thread()
        connection = self._connections.get(thread)
        if connection is None:
            connection = self._connect()
            with self._lock:
                for other in [t for t in self._connections if not t.is_alive()]:
                    self._connections.pop(other).close()  # its thread has ended
                self._connections[thread] = connection
        return connection

    def _execute(self, sql: str, args: Iterable = ()) -> sqlite3.Cursor:
        return self.db.execute(sql, tuple(args))

    def _executemany(self, sql: str, rows: list) -> None:
        if rows:
            self.db.executemany(sql, rows)

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            # immutable when even the folder is read-only (a read-only file system):
            # nobody can write it then, and SQLite need not create its -shm file
            flags = "mode=ro" if os.access(self.path.parent, os.W_OK) else "immutable=1"
            target = f"{self.path.resolve().as_uri()}?{flags}"
        else:
            target = str(self.path)
        connection = sqlite3.connect(target, uri=self.read_only, timeout=self.busy_timeout,
                                     isolation_level=None, check_same_thread=False)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            if not self.read_only:
                connection.execute("PRAGMA journal_mode = WAL")
        except BaseException:
            connection.close()
            raise
        return connection

    def close(self) -> None:
        with self._lock:
            for connection in self._connections.values():
                connection.close()
            self._connections.clear()

    def _schema_version(self) -> int | None:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            if self.read_only:
                raise StoreError(f"{self.path}: an empty file on a read-only file system or "
                                 "without write permission; cannot make an event store there")
            return None
        if "meta" not in tables or "events" not in tables:
            raise StoreError(f"{self.path}: an SQLite file, but not an event store")
        version = self._meta("schema_version")
        if version is None:
            raise StoreError(f"{self.path}: no schema version; not an event store written by geodata")
        if not version.isascii() or not version.isdigit():
            raise StoreError(f"{self.path}: schema version {version[:40]!r} is not a number; "
                             "not an event store written by geodata")
        missing = [t for t in _TABLES.get(int(version), ()) if t not in tables]
        if missing:
            raise StoreError(f"{self.path}: missing table {', '.join(missing)}; the store is "
                             "damaged (restore it from a backup or an export)")
        return int(version)

    def _error(self, exc: sqlite3.Error, doing: str) -> StoreError:
        """One line for an SQLite error: what it means for the user, and that nothing
        was written (every write is one transaction)."""
        name = getattr(exc, "sqlite_errorname", "") or ""
        if name.startswith("SQLITE_BUSY") or "database is locked" in str(exc):
            return StoreError(f"{self.path}: the store is busy: another import is writing "
                              f"(waited {self.busy_timeout:g} s); nothing was written; try again")
        if name.startswith("SQLITE_FULL") or "disk is full" in str(exc):
            return StoreError(f"{self.path}: disk is full; nothing was written")
        if name.startswith("SQLITE_READONLY") or self.read_only and doing != "not an event store":
            return StoreError(f"{self.path}: the store is read-only (file permissions or a "
                              "read-only file system); nothing was written")
        if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or doing == "not an event store":
            return StoreError(f"{self.path}: not an event store ({exc})")
        return StoreError(f"{self.path}: {doing}: {exc}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write: waits for other writers, all or nothing, SQLite errors as one line."""
        db = self.db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # SQLite may have rolled back already (a full disk)
                    try:
                        db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                raise
        except sqlite3.Error as exc:
            raise self._error(exc, "cannot write") from None

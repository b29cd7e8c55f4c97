"""The embedded event store: one SQLite file, filled from ``seeds/`` when it is created.

Each event is a narrow row of the columns that filters and map aggregates read (kind,
dates, precision, position), link tables (systems, sources, countries), and a side row
with the validated JSON, the GeoJSON geometry computed once at write time and the text
that search reads; so a scan of a million events for the map reads megabytes, not the
whole catalogue, and exports never recompute routes.
Every write is one transaction, validated before it starts: an error leaves the
store as it was. The schema carries a version; a file from a newer version is refused,
and one from an older version is upgraded in place (``_MIGRATIONS``), in one
transaction, after an online backup copy beside it (``events.sqlite.v1-backup``).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Set
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from geodata.errors import GeodataError
from geodata.events.catalogue import Catalogue, CatalogueError, check_references, load_seeds
from geodata.events.filters import EventFilter, search_text
from geodata.events.geometry import event_geometry, representative_point
from geodata.events.model import Event, Source, tag_key
from geodata.yamlfile import describe

SCHEMA_VERSION = 2
DB_ENV = "GEODATA_DB"
BUSY_TIMEOUT_ENV = "GEODATA_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT = 30.0
log = logging.getLogger(__name__)

_SCHEMA = """
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
CREATE TABLE event_systems (seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE, system TEXT NOT NULL, certain INTEGER NOT NULL DEFAULT 1);
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
CREATE TABLE event_tags (seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE, tag TEXT NOT NULL);
CREATE INDEX event_tags_tag ON event_tags(tag, seq);
CREATE INDEX event_tags_seq ON event_tags(seq);
"""
_TABLES_V1 = ("meta", "sources", "events", "event_data", "event_systems", "event_sources",
              "event_countries")
_TABLES = {1: _TABLES_V1, 2: (*_TABLES_V1, "event_tags")}  # what each version must hold

# version -> the statements that bring a store of that version to the next one.
# v2: possible systems ("Iskander-M/KN-23") are rows of event_systems with certain = 0,
# so the system filter and SQL aggregates find them; tags get their link table.
_MIGRATIONS = {
    1: """
ALTER TABLE event_systems ADD COLUMN certain INTEGER NOT NULL DEFAULT 1;
CREATE TABLE event_tags (seq INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE, tag TEXT NOT NULL);
CREATE INDEX event_tags_tag ON event_tags(tag, seq);
CREATE INDEX event_tags_seq ON event_tags(seq);
""",
}

class StoreError(GeodataError):
    """The store file cannot be used (not a store, newer schema, unwritable, busy, full)."""


@dataclass(frozen=True)
class EventRow:
    """An event as stored: JSON text ready to export without re-validating, and the
    validated event (rows that no longer validate are skipped, never returned)."""

    id: str
    geometry: str | None
    data: str
    event: Event | None = field(default=None, compare=False, repr=False)


def default_path() -> Path:
    """``$GEODATA_DB``, else ``$XDG_DATA_HOME/geodata/events.sqlite`` (~/.local/share)."""
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "geodata" / "events.sqlite"


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


class Store:
    """One event store file. Each thread gets its own SQLite connection (the dashboard
    serves sessions from many threads: they must never share a transaction), and a
    writer waits up to ``busy_timeout`` seconds for another writer to finish."""

    def __init__(self, path: Path | str | None = None, *, seed: bool = True,
                 busy_timeout: float | None = None, create: bool = True):
        self.path = Path(path).expanduser() if path else default_path()
        self.busy_timeout = default_busy_timeout() if busy_timeout is None else busy_timeout
        self.read_only = False
        self._connections: dict[threading.Thread, sqlite3.Connection] = {}
        self._lock = threading.Lock()
        self._skipped: dict[str, str] = {}
        try:
            if self.path.exists():
                self.read_only = not os.access(self.path, os.W_OK)
            elif not create:
                raise StoreError(f"{self.path}: no such file; no event store there")
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
        if version is None:
            with self._transaction():
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    self.db.execute(statement)
                self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            if seed:  # a new store starts with the seed catalogue; an existing one is left as it is
                self.put(load_seeds(), note=("seeded", "seeds/"))
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

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

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

    # -- writing -----------------------------------------------------------------

    def put(self, catalogue: Catalogue, note: tuple[str, str] | None = None, *,
            replace_sources: bool = False) -> tuple[int, int]:
        """Add or replace events and sources, all or nothing; returns (added, replaced).

        References are checked against the sources and events already stored, so an
        import may cite a source or link an event that the store has."""
        return self.put_batches(catalogue.sources, [catalogue.events], note,
                                replace_sources=replace_sources)

    def put_batches(self, sources: dict[str, Source], batches: Iterable[list[Event]],
                    note: tuple[str, str] | None = None, known_ids: Set[str] = frozenset(), *,
                    replace_sources: bool = False) -> tuple[int, int]:
        """Write events batch by batch in ONE transaction: a big import streams, and an
        error in any batch leaves the store as it was. Returns (added, replaced).

        Each batch's references are checked against the stored sources and ``sources``,
        the stored events, earlier batches and ``known_ids`` (ids later in the same
        file). A source already stored with other content is refused unless
        ``replace_sources``: a silent rewrite would change what other events cite."""
        added = replaced = 0
        with self._transaction():
            stored_sources = self.sources()
            changed = self._changed_sources(stored_sources, sources, replace_sources)
            cited = {**stored_sources, **sources}
            stored_ids = {r[0] for r in self.db.execute("SELECT id FROM events")}
            self.db.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?)",
                                [(s.id, s.model_dump_json()) for s in changed])
            written: set[str] = set()
            for batch in batches:
                batch = list(batch)
                self._check_batch(batch, cited, stored_ids, written, known_ids)
                rows = [self._row(e) for e in batch]
                batch_replaced = sum(e.id in stored_ids for e in batch)
                self._write_rows(batch, rows)
                written.update(e.id for e in batch)
                replaced += batch_replaced
                added += len(batch) - batch_replaced
            if note:
                self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", note)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('revision', ?)", (str(self.revision() + 1),))
        return added, replaced

    def _changed_sources(self, stored: dict[str, Source], given: dict[str, Source],
                         replace: bool) -> list[Source]:
        """The given sources that are new or differ from the stored ones; a difference
        is refused (naming the source and field) unless ``replace``. Only the fields
        the given source sets are compared."""
        changed = []
        for source in given.values():
            old = stored.get(source.id)
            if old is None:
                changed.append(source)
                continue
            # what the given source says (an export carries a summary: fields it leaves
            # out are not a change, and the stored ones are kept)
            before, after = old.model_dump(), source.model_dump(include=source.model_fields_set)
            differing = [k for k in after if before[k] != after[k]]
            if not differing:
                continue
            if not replace:
                field_name = differing[0]
                raise StoreError(
                    f"source {source.id} is already stored with a different {field_name} "
                    f"({str(before[field_name])[:60]!r} stored, {str(after[field_name])[:60]!r} given); "
                    "give the source a new id, or replace it explicitly")
            changed.append(source)
        return changed

    @staticmethod
    def _check_batch(batch: list[Event], sources: dict[str, Source], stored_ids: set[str],
                     written: set[str], known_ids: Set[str]) -> None:
        """check_references for one batch, without copying the store's ids per batch."""
        for event in batch:
            if event.id in written:
                raise CatalogueError(f"event {event.id}: the id is used twice")
        targets = {link.target for e in batch for link in e.links}
        known = {t for t in targets if t in stored_ids or t in written or t in known_ids}
        check_references(batch, sources, known)

    def _write_rows(self, batch: list[Event], rows: list[tuple]) -> None:
        db = self.db
        db.executemany("DELETE FROM events WHERE id = ?", [(e.id,) for e in batch])
        for event, row in zip(batch, rows):
            seq = db.execute(
                "INSERT INTO events (id, kind, status, date_start, date_end, geo_precision, lon, "
                "lat, origin_lon, origin_lat, weight) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                row[:11]).lastrowid
            db.execute("INSERT INTO event_data VALUES (?, ?, ?, ?)", (seq, *row[11:]))
            db.executemany("INSERT INTO event_systems (seq, system, certain) VALUES (?, ?, ?)",
                           [(seq, s, 1) for s in event.systems]
                           + [(seq, s, 0) for s in event.possible_systems])
            db.executemany("INSERT INTO event_tags VALUES (?, ?)",
                           [(seq, t) for t in {tag_key(t) for t in event.tags}])
            db.executemany("INSERT INTO event_sources VALUES (?, ?)", [(seq, c.id) for c in event.sources])
            db.executemany("INSERT INTO event_countries VALUES (?, ?)",
                           [(seq, c) for c in {p.country for p in event.places if p.country}])

    def revision(self) -> int:
        """A number that grows with every write: the key for caching what was read."""
        value = self._meta("revision") or "0"
        if not (value.isascii() and value.isdigit()):
            raise StoreError(f"{self.path}: revision {value[:40]!r} is not a number; the store "
                             "is damaged (restore it from a backup or an export)")
        return int(value)

    def column_rows(self) -> list[tuple]:
        """(seq, kind, status, start and end julian day, year * 12 + month - 1 of the
        start, precision or 0, lon, lat, origin lon, origin lat, weight) of every event
        by seq: what a columnar snapshot (events/columns.py) is made from."""
        return self.db.execute(
            "SELECT seq, kind, status, CAST(julianday(date_start) AS INTEGER), "
            "CAST(julianday(date_end) AS INTEGER), "
            "CAST(substr(date_start, 1, 4) AS INTEGER) * 12 + CAST(substr(date_start, 6, 2) AS INTEGER) - 1, "
            "coalesce(geo_precision, 0), lon, lat, origin_lon, origin_lat, weight "
            "FROM events ORDER BY seq").fetchall()

    @staticmethod
    def _row(event: Event) -> tuple:
        geometry = event_geometry(event)
        lon, lat = representative_point(event) or (None, None)
        origin = event.origin if event.origin is not None and event.origin.located else None
        weight = event.quantities[0].value if event.quantities else None
        return (event.id, event.kind.value, event.status.value, event.date_start.isoformat(),
                event.date_end.isoformat(), event.geo_precision, lon, lat,
                origin and origin.lon, origin and origin.lat, weight, search_text(event),
                json.dumps(geometry, separators=(",", ":")) if geometry else None,
                event.model_dump_json(exclude_none=True))

    # -- reading -----------------------------------------------------------------

    def sources(self) -> dict[str, Source]:
        """The stored sources; one that no longer validates is skipped and reported."""
        found = {}
        for source_id, data in self.db.execute("SELECT id, data FROM sources"):
            try:
                found[source_id] = Source.model_validate_json(data)
            except ValidationError as exc:
                self._skip(f"source {source_id}", _describe(exc))
        return found

    @staticmethod
    def _where(f: EventFilter) -> tuple[str, list]:
        clauses, args = [], []

        def linked(table: str, column: str, values) -> None:
            marks = ",".join("?" * len(values))
            clauses.append(f"seq IN (SELECT seq FROM {table} WHERE {column} IN ({marks}))")
            args.extend(sorted(values))

        if f.kinds:
            clauses.append(f"kind IN ({','.join('?' * len(f.kinds))})")
            args.extend(sorted(k.value for k in f.kinds))
        if f.statuses:
            clauses.append(f"status IN ({','.join('?' * len(f.statuses))})")
            args.extend(sorted(s.value for s in f.statuses))
        if f.since:
            clauses.append("date_end >= ?")
            args.append(f.since.isoformat())
        if f.until:
            clauses.append("date_start <= ?")
            args.append(f.until.isoformat())
        if f.max_geo_precision:
            clauses.append("geo_precision <= ?")
            args.append(f.max_geo_precision)
        if f.text:
            clauses.append("seq IN (SELECT seq FROM event_data WHERE instr(search, ?) > 0)")
            args.append(f.text.lower())
        if f.bbox:
            west, south, east, north = f.bbox
            clauses.append("lat BETWEEN ? AND ? AND " + (
                "lon BETWEEN ? AND ?" if west <= east else "(lon >= ? OR lon <= ?)"))
            args.extend((south, north, west, east))
        if f.systems:  # certain or possible: see EventFilter
            linked("event_systems", "system", f.systems)
        if f.tags:
            linked("event_tags", "tag", f.tags)
        if f.sources:
            linked("event_sources", "source", f.sources)
        if f.countries:
            linked("event_countries", "country", f.countries)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", args

    def seqs(self, f: EventFilter):
        """A cursor over the (seq,) rows that match: for columnar snapshots."""
        where, args = self._where(f)
        return self.db.execute(f"SELECT seq FROM events{where} ORDER BY seq", args)

    def count(self, f: EventFilter = EventFilter()) -> int:
        where, args = self._where(f)
        return self.db.execute(f"SELECT count(*) FROM events{where}", args).fetchone()[0]

    def rows(self, f: EventFilter = EventFilter()) -> Iterator[EventRow]:
        """Matching events as stored, oldest first (then by id): for exports. Each row
        is validated (about 17 µs, measured on 100,000 synthetic events: +35-40% on a
        GeoJSON export); one that no longer validates is skipped and reported
        (``skipped``), never fatal."""
        where, args = self._where(f)
        query = (f"SELECT id, geometry, data FROM events JOIN event_data USING (seq) {where} "
                 "ORDER BY date_start, id")
        for row in self.db.execute(query, args):
            valid = self._validated(*row)
            if valid is not None:
                yield valid

    def rows_page(self, f: EventFilter, limit: int, offset: int = 0) -> list[EventRow]:
        """Up to ``limit`` matching rows (fewer when some no longer validate)."""
        where, args = self._where(f)
        query = (f"SELECT id, geometry, data FROM events JOIN event_data USING (seq) {where} "
                 "ORDER BY date_start, id LIMIT ? OFFSET ?")
        rows = (self._validated(*r) for r in self.db.execute(query, [*args, limit, offset]))
        return [r for r in rows if r is not None]

    def _validated(self, event_id: str, geometry: str | None, data: str) -> EventRow | None:
        problem = row_problem(event_id, geometry, data)
        if isinstance(problem, str):
            self._skip(event_id, problem)
            return None
        return EventRow(event_id, geometry, data, problem)

    def _skip(self, key: str, problem: str) -> None:
        if self._skipped.get(key) != problem:
            self._skipped[key] = problem
            log.warning("%s: skipped %s, which no longer validates: %s; run `python -m geodata "
                        "check` to list every such row", self.path, key, problem)

    @property
    def skipped(self) -> list[tuple[str, str]]:
        """(id, problem) of every stored row a read has skipped because it no longer
        validates; a source's id reads ``source ID``."""
        return list(self._skipped.items())

    def invalid_rows(self) -> Iterator[tuple[str, str]]:
        """(id, problem) of every stored source and event that does not validate: what
        ``python -m geodata check`` lists."""
        for source_id, data in self.db.execute("SELECT id, data FROM sources ORDER BY id"):
            problem = _source_problem(source_id, data)
            if problem:
                yield f"source {source_id}", problem
        query = "SELECT id, geometry, data FROM events JOIN event_data USING (seq) ORDER BY seq"
        for row in self.db.execute(query):
            problem = row_problem(*row, full=True)
            if isinstance(problem, str):
                yield row[0], problem

    def date_range(self) -> tuple[str, str] | None:
        first, last = self.db.execute("SELECT min(date_start), max(date_end) FROM events").fetchone()
        return (first, last) if first else None

    def countries(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT country FROM event_countries ORDER BY country")]

    def monthly_counts(self, f: EventFilter = EventFilter()) -> list[tuple[str, str, int]]:
        """(YYYY-MM of the start date, kind, count) for the timeline."""
        where, args = self._where(f)
        return self.db.execute(
            f"SELECT substr(date_start, 1, 7) AS month, kind, count(*) FROM events{where} "
            "GROUP BY month, kind ORDER BY month, kind", args).fetchall()

    def grid_bins(self, f: EventFilter, cell_deg: float) -> list[tuple]:
        """(kind, mean lon, mean lat, count, coarsest precision) per grid cell: how the
        map shows more events than a browser can draw, computed in SQL at any size."""
        where, args = self._where(f)
        points = "lon IS NOT NULL AND origin_lon IS NULL"  # routes are summed by route_totals
        where = f"{where} AND {points}" if where else f" WHERE {points}"
        return self.db.execute(
            f"SELECT kind, avg(lon), avg(lat), count(*), max(geo_precision) FROM events{where} "
            "GROUP BY kind, CAST((lon + 180) / ? AS INTEGER), CAST((lat + 90) / ? AS INTEGER)",
            [*args, cell_deg, cell_deg]).fetchall()

    def route_totals(self, f: EventFilter, cell_deg: float) -> list[tuple]:
        """(kind, origin lon, origin lat, destination lon, lat, count, summed weight) per
        pair of origin and destination cells: routes aggregated like grid_bins."""
        where, args = self._where(f)
        located = "origin_lon IS NOT NULL AND lon IS NOT NULL"
        where = f"{where} AND {located}" if where else f" WHERE {located}"
        cells = ", ".join(f"CAST(({c} + {o}) / ? AS INTEGER)" for c, o in (
            ("origin_lon", 180), ("origin_lat", 90), ("lon", 180), ("lat", 90)))
        return self.db.execute(
            f"SELECT kind, avg(origin_lon), avg(origin_lat), avg(lon), avg(lat), count(*), "
            f"sum(weight) FROM events{where} GROUP BY kind, {cells}",
            [*args, cell_deg, cell_deg, cell_deg, cell_deg]).fetchall()

    def events(self, f: EventFilter = EventFilter()) -> list[Event]:
        return [r.event for r in self.rows(f)]

    def events_by_id(self, ids: Iterable[str]) -> dict[str, Event]:
        """The stored events among ``ids`` (up to a few hundred per call), by id; one
        that no longer validates is left out (and listed on ``skipped``)."""
        ids = list(ids)
        found: dict[str, Event] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            query = ("SELECT id, geometry, data FROM events JOIN event_data USING (seq) "
                     f"WHERE id IN ({','.join('?' * len(chunk))})")
            for row in self.db.execute(query, chunk):
                valid = self._validated(*row)
                if valid is not None:
                    found[valid.id] = valid.event
        return found

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are stored."""
        ids = list(ids)
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            found.update(r[0] for r in self.db.execute(
                f"SELECT id FROM events WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def event(self, event_id: str) -> Event | None:
        """The event, or None when it is not stored or no longer validates."""
        row = self.db.execute("SELECT id, geometry, data FROM events JOIN event_data USING (seq) "
                              "WHERE id = ?", (event_id,)).fetchone()
        valid = self._validated(*row) if row else None
        return valid.event if valid else None


def _describe(exc: ValidationError) -> str:
    return describe(exc)[:300]


def _source_problem(source_id: str, data: str) -> str | None:
    try:
        source = Source.model_validate_json(data)
    except ValidationError as exc:
        return _describe(exc)
    return None if source.id == source_id else f"id: the stored data says {source.id!r}"


def row_problem(event_id: str, geometry: str | None, data: str, *, full: bool = False) -> Event | str:
    """The stored row's event, or what is wrong with it (field: problem).

    The event is validated by the model (~17 µs a row); the geometry, which only the
    store writes, gets a cheap check of its ends, or a full parse when ``full`` (check)."""
    try:
        event = Event.model_validate_json(data)
    except ValidationError as exc:
        return _describe(exc)
    if event.id != event_id:
        return f"id: the stored data says {event.id!r}"
    if geometry is not None:
        if not (geometry.startswith('{"type":"') and geometry.endswith("}")):
            return "geometry: not a GeoJSON geometry"
        if full:
            try:
                shape = json.loads(geometry)
            except ValueError as exc:
                return f"geometry: not JSON ({exc})"
            if not isinstance(shape, dict) or not isinstance(shape.get("coordinates"), list):
                return "geometry: not a GeoJSON geometry"
    return event

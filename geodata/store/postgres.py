"""The team store: PostgreSQL with PostGIS, for several analysts on one catalogue.

The same tables as the SQLite store (base.SqlStore runs the same SQL on both), with
PostgreSQL's types: dates as ``date``, the record as JSONB, and a PostGIS
``geography(Point, 4326)`` column computed from lon/lat with a GiST index (for distance
queries and GIS tools reading the table). Free-text search is the same rule as on
SQLite, a case-insensitive substring (``LIKE`` on the lower-cased search text), served
by a trigram GIN index (pg_trgm) rather than full-text search, which stems words and
would select a different set than the embedded store. The map's grid aggregates are
computed by the server (GROUP BY on cell indexes), never by fetching the rows.

Each thread has its own connection (autocommit for reads: every read is one statement,
so it never sees half a write). Every write is one transaction that first takes an
advisory lock, so writers take turns as on SQLite and wait up to ``busy_timeout``
(``lock_timeout``). The schema version lives in ``meta``; a newer one is refused, an
older one is upgraded in one transaction. Several stores can share one database in
schemas of their own: ``postgresql://host/db?options=-csearch_path%3Dteam,public``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from geodata.events.catalogue import load_seeds
from geodata.store.base import INIT_HINT, SCHEMA_VERSION, SqlStore
from geodata.store.errors import NoStoreError, StoreError
from geodata.store.history import Change
from geodata.store.sqlite import default_busy_timeout

try:  # only a team store needs it; the embedded store works without
    import psycopg
    from psycopg import errors as pg_errors
except ImportError:  # pragma: no cover - psycopg is in requirements.txt
    psycopg = None

_EXTENSIONS = ("postgis", "pg_trgm")
_TABLES = ("meta", "sources", "events", "event_data", "event_systems", "event_sources",
           "event_countries", "event_tags")  # and event_history, event_links from schema 4
# the schema as version 2 had it; _MIGRATIONS brings it to SCHEMA_VERSION
_SCHEMA_V2 = """
CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE sources (id text PRIMARY KEY, data jsonb NOT NULL);
CREATE TABLE events (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    kind text NOT NULL,
    status text NOT NULL,
    date_start date NOT NULL,
    date_end date NOT NULL,
    geo_precision integer,
    lon double precision,
    lat double precision,
    origin_lon double precision,
    origin_lat double precision,
    weight double precision,
    position geography(Point, 4326) GENERATED ALWAYS AS (CASE WHEN lon IS NULL OR lat IS NULL
        THEN NULL ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography END) STORED
);
CREATE TABLE event_data (
    seq bigint PRIMARY KEY REFERENCES events(seq) ON DELETE CASCADE,
    search text NOT NULL,
    geometry text,
    data jsonb NOT NULL
);
CREATE TABLE event_systems (seq bigint NOT NULL REFERENCES events(seq) ON DELETE CASCADE, system text NOT NULL, certain integer NOT NULL DEFAULT 1);
CREATE TABLE event_sources (seq bigint NOT NULL REFERENCES events(seq) ON DELETE CASCADE, source text NOT NULL);
CREATE TABLE event_countries (seq bigint NOT NULL REFERENCES events(seq) ON DELETE CASCADE, country text NOT NULL);
CREATE TABLE event_tags (seq bigint NOT NULL REFERENCES events(seq) ON DELETE CASCADE, tag text NOT NULL);
CREATE INDEX events_kind ON events(kind, date_start);
CREATE INDEX events_dates ON events(date_start, date_end);
CREATE INDEX events_lonlat ON events(lon, lat);
CREATE INDEX events_geography ON events USING gist (position);
CREATE INDEX event_data_search ON event_data USING gin (search gin_trgm_ops);
CREATE INDEX event_systems_system ON event_systems(system, seq);
CREATE INDEX event_systems_seq ON event_systems(seq);
CREATE INDEX event_sources_source ON event_sources(source, seq);
CREATE INDEX event_sources_seq ON event_sources(seq);
CREATE INDEX event_countries_country ON event_countries(country, seq);
CREATE INDEX event_countries_seq ON event_countries(seq);
CREATE INDEX event_tags_tag ON event_tags(tag, seq);
CREATE INDEX event_tags_seq ON event_tags(seq);
"""
ANALYZE_AFTER_ROWS = 10_000  # a write of this many events refreshes the planner's statistics
# version -> the statements that bring a store of that version to the next one
_MIGRATIONS = {
    2: "ALTER TABLE events ADD COLUMN revision integer NOT NULL DEFAULT 1",
    3: """
CREATE TABLE event_history (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL,
    revision integer NOT NULL, at text NOT NULL, who text NOT NULL, action text NOT NULL,
    why text NOT NULL, changes text NOT NULL, data text NOT NULL);
CREATE INDEX event_history_id ON event_history(id, revision);
CREATE INDEX event_history_action ON event_history(action, id);
INSERT INTO event_history (id, revision, at, who, action, why, changes, data)
    SELECT id, revision, '', 'unknown', 'import', 'stored before history was kept', '[]', data::text
    FROM events JOIN event_data USING (seq);
CREATE TABLE event_links (seq bigint NOT NULL REFERENCES events(seq) ON DELETE CASCADE, target text NOT NULL);
CREATE INDEX event_links_target ON event_links(target, seq);
CREATE INDEX event_links_seq ON event_links(seq);
INSERT INTO event_links (seq, target)
    SELECT seq, link->>'target' FROM event_data, jsonb_array_elements(
        CASE WHEN jsonb_typeof(data->'links') = 'array' THEN data->'links' ELSE '[]'::jsonb END) AS link;
""",
}


# "INSERT INTO table (a, b) VALUES (?, ?)" with nothing after: what COPY can do instead
_PLAIN_INSERT = re.compile(r"INSERT INTO (\w+) \(([\w, ]+)\) VALUES \([?, ]+\)")


def redacted(url: str) -> str:
    """The URL without its password, for messages and cache keys."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class PostgresStore(SqlStore):
    """An event store in a PostgreSQL database (the schema first on its search_path)."""

    DATA = "data::text"
    MONTH = "to_char(date_start, 'YYYY-MM')"
    DATE_RANGE = "min(date_start)::text, max(date_end)::text"
    COLUMN_DAYS = ("(date_start - DATE '2000-01-01') + 2451544, "
                   "(date_end - DATE '2000-01-01') + 2451544, "
                   "extract(year FROM date_start)::int * 12 + extract(month FROM date_start)::int - 1")

    @staticmethod
    def _cell(expression: str) -> str:
        return f"floor(({expression}) / ?)"  # CAST to integer would round, not truncate

    def __init__(self, url: str, *, create: bool = False, seed: bool = False,
                 busy_timeout: float | None = None, version: int = SCHEMA_VERSION):
        super().__init__()
        if psycopg is None:
            raise StoreError(f"{redacted(url)}: a PostgreSQL store needs psycopg; install "
                             "requirements.txt")
        self.url, self.label = url, redacted(url)
        self.read_only = False
        self.busy_timeout = default_busy_timeout() if busy_timeout is None else busy_timeout
        self._connections: dict[threading.Thread, psycopg.Connection] = {}
        self._lock = threading.Lock()
        try:
            schema = self._execute("SELECT current_schema()").fetchone()[0]
            if schema is None:
                raise StoreError(f"{self.label}: no schema on the search_path to hold the store")
            self.key = f"{self.label}#{schema}"
            stored = self._stored_version()
            if stored is None:
                if not create:
                    raise NoStoreError(f"{self.label}: no event store here; create one with "
                                       f"{INIT_HINT} {self.label}")
                self._create(version)
                if seed:
                    self.put(load_seeds(), note=("seeded", "seeds/"), change=Change("import", "the seed catalogue"))
            elif stored > SCHEMA_VERSION:
                raise StoreError(f"{self.label}: written by a newer geodata (schema {stored}, "
                                 f"this one reads {SCHEMA_VERSION}); upgrade geodata")
            elif stored < SCHEMA_VERSION:
                self._upgrade(stored)
        except BaseException:
            self.close()
            raise

    def files(self) -> list[Path]:
        return []  # the server keeps it: no file here that an export could overwrite

    def put_batches(self, *args, **kwargs) -> tuple[int, int]:
        """SqlStore.put_batches, then fresh planner statistics after a bulk write:
        autovacuum would take its time, and until then the planner picks plans for the
        store as it was (at 10^5 synthetic events, a filtered query 0.08 s before,
        0.035 s after)."""
        added, replaced = super().put_batches(*args, **kwargs)
        if added + replaced >= ANALYZE_AFTER_ROWS:
            self._execute(f"ANALYZE {', '.join(_TABLES[2:])}, event_history, event_links")
        return added, replaced

    # -- schema --------------------------------------------------------------------

    def _stored_version(self) -> int | None:
        tables = {r[0] for r in self._execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        if "meta" not in tables:
            if "events" in tables:
                raise StoreError(f"{self.label}: a table 'events' but no 'meta': not an event store")
            return None
        version = self._meta("schema_version")
        if version is None or not (version.isascii() and version.isdigit()):
            raise StoreError(f"{self.label}: schema version {str(version)[:40]!r} is not a number; "
                             "not an event store written by geodata")
        expected = (*_TABLES, "event_history", "event_links") if int(version) >= 4 else _TABLES
        missing = [t for t in expected if t not in tables]
        if missing:
            raise StoreError(f"{self.label}: missing table {', '.join(missing)}; the store is "
                             "damaged (restore it from a backup or an export)")
        return int(version)

    def _create(self, version: int) -> None:
        """The tables at ``version`` (SCHEMA_VERSION, or an older one for tests of the
        upgrade), in one transaction."""
        installed = {r[0] for r in self._execute("SELECT extname FROM pg_extension")}
        with self._transaction():
            for name in _EXTENSIONS:
                if name not in installed:
                    self._execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
            self._execute(_SCHEMA_V2)
            for step in range(2, version):
                self._execute(_MIGRATIONS[step])
            self._set_meta("schema_version", str(version))

    def _upgrade(self, version: int) -> None:
        """Every migration from ``version`` in ONE transaction: an error leaves the
        store at its old version (PostgreSQL's DDL is transactional)."""
        with self._transaction():
            current = int(self._meta("schema_version") or version)  # another writer may have
            for step in range(current, SCHEMA_VERSION):            # upgraded it meanwhile
                self._execute(_MIGRATIONS[step])
            self._set_meta("schema_version", str(SCHEMA_VERSION))

    # -- connections ---------------------------------------------------------------

    @property
    def db(self):
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

    def _connect(self):
        try:
            connection = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
            connection.execute(f"SET lock_timeout = {int(self.busy_timeout * 1000)}")
        except psycopg.Error as exc:
            raise self._error(exc, "cannot connect") from None
        return connection

    def close(self) -> None:
        with self._lock:
            for connection in self._connections.values():
                connection.close()
            self._connections.clear()

    def _execute(self, sql: str, args: Iterable = ()):
        try:
            args = tuple(args)
            return self.db.execute(sql.replace("?", "%s") if args else sql, args or None)
        except psycopg.Error as exc:
            raise self._error(exc, "cannot read") from None

    def _executemany(self, sql: str, rows: list) -> None:
        """Many rows of one statement; a plain INSERT goes by COPY (several times faster
        than a prepared INSERT per row), anything else by executemany."""
        if not rows:
            return
        plain_insert = _PLAIN_INSERT.fullmatch(sql)
        try:
            with self.db.cursor() as cursor:
                if plain_insert:
                    table, columns = plain_insert.groups()
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    cursor.executemany(sql.replace("?", "%s"), rows)
        except psycopg.Error as exc:
            raise self._error(exc, "cannot write") from None

    def _stream(self, sql: str, args: Iterable = ()) -> Iterator[tuple]:
        """Rows of a long read, one at a time, on a connection of its own (a caller may
        run other reads while it iterates)."""
        connection = self._connect()
        try:
            yield from connection.cursor().stream(sql.replace("?", "%s"), tuple(args))
        except psycopg.Error as exc:
            raise self._error(exc, "cannot read") from None
        finally:
            connection.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write: waits for other writers (an advisory lock per schema), all or
        nothing, errors as one line."""
        try:
            with self.db.transaction():
                self.db.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")
                yield
        except psycopg.Error as exc:
            raise self._error(exc, "cannot write") from None

    def _error(self, exc: Exception, doing: str) -> StoreError:
        """One line for a PostgreSQL error, saying that nothing was written."""
        if isinstance(exc, StoreError):
            return exc
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if isinstance(exc, pg_errors.LockNotAvailable):
            return StoreError(f"{self.label}: the store is busy: another writer holds it "
                              f"(waited {self.busy_timeout:g} s); nothing was written; try again")
        if isinstance(exc, pg_errors.DiskFull):
            return StoreError(f"{self.label}: the server's disk is full; nothing was written")
        if isinstance(exc, pg_errors.ReadOnlySqlTransaction):
            return StoreError(f"{self.label}: the server is read-only (a replica?); nothing was "
                              "written; write through the primary's URL")
        if isinstance(exc, (pg_errors.FeatureNotSupported, pg_errors.UndefinedFile,
                            pg_errors.InsufficientPrivilege)) and "extension" in first.lower():
            return StoreError(f"{self.label}: cannot install PostGIS or pg_trgm ({first}); a "
                              "superuser must run CREATE EXTENSION postgis; CREATE EXTENSION pg_trgm")
        if isinstance(exc, psycopg.OperationalError) and doing == "cannot connect":
            return StoreError(f"{self.label}: cannot connect: {first}")
        return StoreError(f"{self.label}: {doing}: {first}")

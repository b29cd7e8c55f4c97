"""The embedded event store: one SQLite file, filled from ``seeds/`` when it is created.

Each event is a narrow row of the columns that filters and map aggregates read (kind,
dates, precision, position), link tables (systems, sources, countries), and a side row
with the validated JSON, the GeoJSON geometry computed once at write time and the text
that search reads; so a scan of a million events for the map reads megabytes, not the
whole catalogue, and exports never recompute routes.
Every write is one transaction, validated before it starts: an error leaves the
store as it was. The schema carries a version; a file from a newer version is refused.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from geodata.errors import GeodataError
from geodata.events.catalogue import Catalogue, check_references, load_seeds
from geodata.events.filters import EventFilter, search_text
from geodata.events.geometry import event_geometry, representative_point
from geodata.events.model import Event, Source

SCHEMA_VERSION = 1
DB_ENV = "GEODATA_DB"

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

class StoreError(GeodataError):
    """The store file cannot be used (not a store, newer schema, unwritable)."""


@dataclass(frozen=True)
class EventRow:
    """An event as stored: JSON text ready to export without re-validating."""

    id: str
    geometry: str | None
    data: str


def default_path() -> Path:
    """``$GEODATA_DB``, else ``$XDG_DATA_HOME/geodata/events.sqlite`` (~/.local/share)."""
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "geodata" / "events.sqlite"


class Store:
    def __init__(self, path: Path | str | None = None, *, seed: bool = True):
        self.path = Path(path).expanduser() if path else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            version = self._schema_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not an event store ({exc})") from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open: {exc}") from None
        if version is None:
            with self._transaction():
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    self.db.execute(statement)
                self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            if seed:  # a new store starts with the seed catalogue; an existing one is left as it is
                self.put(load_seeds(), note=("seeded", "seeds/"))
        elif version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer geodata (schema {version}, this "
                             f"one reads {SCHEMA_VERSION}); upgrade geodata")

    def _schema_version(self) -> int | None:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if "meta" not in tables or "events" not in tables:
            raise StoreError(f"{self.path}: an SQLite file, but not an event store")
        return int(self._meta("schema_version"))

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    # -- writing -----------------------------------------------------------------

    def put(self, catalogue: Catalogue, note: tuple[str, str] | None = None) -> tuple[int, int]:
        """Add or replace events and sources, all or nothing; returns (added, replaced).

        References are checked against the sources and events already stored, so an
        import may cite a source or link an event that the store has."""
        sources = {**self.sources(), **catalogue.sources}
        known = {r[0] for r in self.db.execute("SELECT id FROM events")}
        check_references(catalogue.events, sources, known)
        rows = [self._row(e) for e in catalogue.events]
        replaced = len(known & {e.id for e in catalogue.events})
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?)",
                                [(s.id, s.model_dump_json()) for s in catalogue.sources.values()])
            self.db.executemany("DELETE FROM events WHERE id = ?", [(e.id,) for e in catalogue.events])
            for event, row in zip(catalogue.events, rows):
                seq = self.db.execute(
                    "INSERT INTO events (id, kind, status, date_start, date_end, geo_precision, lon, "
                    "lat, origin_lon, origin_lat, weight) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    row[:11]).lastrowid
                self.db.execute("INSERT INTO event_data VALUES (?, ?, ?, ?)", (seq, *row[11:]))
                self.db.executemany("INSERT INTO event_systems VALUES (?, ?)",
                                    [(seq, s) for s in event.systems])
                self.db.executemany("INSERT INTO event_sources VALUES (?, ?)",
                                    [(seq, c.id) for c in event.sources])
                self.db.executemany("INSERT INTO event_countries VALUES (?, ?)",
                                    [(seq, c) for c in {p.country for p in event.places if p.country}])
            if note:
                self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", note)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('revision', ?)", (str(self.revision() + 1),))
        return len(catalogue.events) - replaced, replaced

    def revision(self) -> int:
        """A number that grows with every write: the key for caching what was read."""
        return int(self._meta("revision") or 0)

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
        return {r[0]: Source.model_validate_json(r[1]) for r in self.db.execute("SELECT id, data FROM sources")}

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
        if f.systems:
            linked("event_systems", "system", f.systems)
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
        """Matching events as stored, oldest first (then by id): for exports."""
        where, args = self._where(f)
        query = (f"SELECT id, geometry, data FROM events JOIN event_data USING (seq) {where} "
                 "ORDER BY date_start, id")
        for row in self.db.execute(query, args):
            yield EventRow(*row)

    def rows_page(self, f: EventFilter, limit: int, offset: int = 0) -> list[EventRow]:
        where, args = self._where(f)
        query = (f"SELECT id, geometry, data FROM events JOIN event_data USING (seq) {where} "
                 "ORDER BY date_start, id LIMIT ? OFFSET ?")
        return [EventRow(*r) for r in self.db.execute(query, [*args, limit, offset])]

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
        return [Event.model_validate_json(r.data) for r in self.rows(f)]

    def event(self, event_id: str) -> Event | None:
        row = self.db.execute("SELECT data FROM events JOIN event_data USING (seq) WHERE id = ?",
                              (event_id,)).fetchone()
        return Event.model_validate_json(row[0]) if row else None

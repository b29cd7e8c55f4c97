"""What every event store offers (EventStore), the types its callers see, and the SQL
both backends share: the schema's shape, the writes, the reads and the one where-builder
that turns filters.RULES into SQL. A backend (sqlite.py, postgres.py) adds its
connections, its DDL and migrations, and the few expressions its dialect spells
differently (``_Dialect``).

Every write is one transaction, validated before it starts: an error leaves the store
as it was. Each event row carries a revision number, raised by every replacement, so a
writer can say which revision it edited (``expected``) and a change made meanwhile is a
conflict instead of a silent overwrite. Every revision is also kept in event_history with
who, when, what changed and why (``Change``) and its whole record: a deleted event leaves
the tables reads use but not the history, so it can be restored.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Set
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from pydantic import ValidationError

from geodata.events.catalogue import Catalogue, CatalogueError, check_references
from geodata.events.filters import EventFilter, conditions, search_text
from geodata.events.geometry import event_geometry, representative_point
from geodata.events.model import Event, Source, tag_key
from geodata.store.errors import ConflictError, StoreError
from geodata.store.history import INSERT_HISTORY, Change, HistorySql, Revision, changed_fields
from geodata.yamlfile import describe

SCHEMA_VERSION = 4
DB_ENV = "GEODATA_DB"
READ_ENV = "GEODATA_DB_READ"
INIT_HINT = "python -m geodata init --seed --db"
log = logging.getLogger("geodata.store")

# filters.RULES column -> the link table and its column
LINK_TABLES = {"systems": ("event_systems", "system"), "tags": ("event_tags", "tag"),
               "sources": ("event_sources", "source"), "countries": ("event_countries", "country")}
_EVENT_COLUMNS = ("id, kind, status, date_start, date_end, geo_precision, lon, lat, origin_lon, "
                  "origin_lat, weight, revision")


@dataclass(frozen=True)
class EventRow:
    """An event as stored: JSON text ready to export without re-validating, and the
    validated event (rows that no longer validate are skipped, never returned)."""

    id: str
    geometry: str | None
    data: str
    event: Event | None = field(default=None, compare=False, repr=False)


@runtime_checkable
class EventStore(Protocol):
    """What callers may do with a store, whichever backend holds it. Nothing outside
    the store package runs SQL: a caller that needs another read asks for a method."""

    label: str   # how messages name the store (a path, or a URL without its password)
    key: str     # a stable identity for caches (resolved path, or URL and schema)

    def put(self, catalogue: Catalogue, note: tuple[str, str] | None = None, *,
            replace_sources: bool = False, expected: Mapping[str, int] | None = None,
            change: Change | None = None, delete: Iterable[str] = ()) -> tuple[int, int]: ...
    def put_batches(self, sources: dict[str, Source], batches: Iterable[list[Event]],
                    note: tuple[str, str] | None = None, known_ids: Set[str] = frozenset(), *,
                    replace_sources: bool = False, expected: Mapping[str, int] | None = None,
                    change: Change | None = None, delete: Iterable[str] = ()) -> tuple[int, int]: ...
    def history(self, event_id: str) -> list[Revision]: ...
    def linking(self, target: str) -> list[Event]: ...
    def deleted_among(self, ids: Iterable[str]) -> set[str]: ...
    def deleted(self) -> list[Revision]: ...
    def event(self, event_id: str) -> Event | None: ...
    def events(self, f: EventFilter = EventFilter()) -> list[Event]: ...
    def events_by_id(self, ids: Iterable[str]) -> dict[str, Event]: ...
    def existing_ids(self, ids: Iterable[str]) -> set[str]: ...
    def event_revisions(self, ids: Iterable[str]) -> dict[str, int]: ...
    def rows(self, f: EventFilter = EventFilter()) -> Iterator[EventRow]: ...
    def rows_page(self, f: EventFilter, limit: int, offset: int = 0) -> list[EventRow]: ...
    def count(self, f: EventFilter = EventFilter()) -> int: ...
    def sources(self) -> dict[str, Source]: ...
    def revision(self) -> int: ...
    def date_range(self) -> tuple[str, str] | None: ...
    def countries(self) -> list[str]: ...
    def monthly_counts(self, f: EventFilter = EventFilter()) -> list[tuple[str, str, int]]: ...
    def grid_bins(self, f: EventFilter, cell_deg: float) -> list[tuple]: ...
    def route_totals(self, f: EventFilter, cell_deg: float) -> list[tuple]: ...
    def points(self, f: EventFilter = EventFilter()) -> list[tuple[float, float]]: ...
    def seqs(self, f: EventFilter) -> list[int]: ...
    def column_rows(self) -> list[tuple]: ...
    def invalid_rows(self) -> Iterator[tuple[str, str]]: ...
    def files(self) -> list[Path]: ...
    @property
    def skipped(self) -> list[tuple[str, str]]: ...
    def close(self) -> None: ...


def default_path() -> Path:
    """``$GEODATA_DB`` when it names a file, else ``$XDG_DATA_HOME/geodata/events.sqlite``
    (~/.local/share)."""
    value = os.environ.get(DB_ENV)
    if value and not is_postgres(value):
        return sqlite_path(value)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "geodata" / "events.sqlite"


def default_url() -> str:
    """The store a command uses without ``--db``: ``$GEODATA_DB``, else default_path()."""
    return os.environ.get(DB_ENV) or str(default_path())


def is_postgres(url: str | os.PathLike) -> bool:
    return str(url).startswith(("postgresql://", "postgres://"))


def sqlite_path(url: str | os.PathLike) -> Path:
    """The file a path or ``sqlite:///absolute/path`` URL names (read as a file://
    URL: three slashes, then the absolute path; a relative path goes without prefix)."""
    text = os.fspath(url)
    if text.startswith("sqlite:"):
        rest = text.removeprefix("sqlite:")
        if not rest.startswith("///"):
            raise StoreError(f"{url}: give sqlite:///ABSOLUTE/PATH (three slashes, then the "
                             "path), or the path alone")
        text = "/" + rest.lstrip("/")
    return Path(text).expanduser()


# -- one where-builder for both dialects ------------------------------------------------

def where(f: EventFilter) -> tuple[str, list]:
    """`` WHERE ...`` (or "") and its arguments for a filter, from filters.RULES. Both
    dialects read it; placeholders are ``?`` (the PostgreSQL backend turns them into
    ``%s``), dates are ISO text (a PostgreSQL date column reads them as dates)."""
    clauses: list[str] = []
    args: list[Any] = []
    for rule, value in conditions(f):
        if rule.op == "in":
            clauses.append(f"{rule.column} IN ({','.join('?' * len(value))})")
            args.extend(value)
        elif rule.op in (">=", "<="):
            clauses.append(f"{rule.column} {rule.op} ?")
            args.append(value)
        elif rule.op == "any":
            table, column = LINK_TABLES[rule.column]
            clauses.append(f"seq IN (SELECT seq FROM {table} WHERE {column} IN "
                           f"({','.join('?' * len(value))}))")
            args.extend(value)
        elif rule.op == "contains":  # the stored search text is lower-cased, as is value
            clauses.append("seq IN (SELECT seq FROM event_data WHERE search LIKE ? ESCAPE '!')")
            args.append("%" + value.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%")
        elif rule.op == "bbox":
            west, south, east, north = value
            clauses.append("lat BETWEEN ? AND ? AND " + (
                "lon BETWEEN ? AND ?" if west <= east else "(lon >= ? OR lon <= ?)"))
            args.extend((south, north, west, east))
        else:
            raise ValueError(f"filter rule {rule.field}: no SQL for operator {rule.op!r}")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def _and(where_sql: str, condition: str) -> str:
    return f"{where_sql} AND {condition}" if where_sql else f" WHERE {condition}"


class SqlStore(HistorySql):
    """The operations both backends run with the same SQL. A subclass provides
    ``_execute`` (a cursor), ``_stream`` (rows of a long read), ``_transaction`` (one
    write: waits for other writers, all or nothing), ``_meta`` and the dialect
    expressions below."""

    label: str
    key: str
    DATA = "data"                    # the record as JSON text
    MONTH = "substr(date_start, 1, 7)"
    DATE_RANGE = "min(date_start), max(date_end)"
    COLUMN_DAYS = ("CAST(julianday(date_start) AS INTEGER), CAST(julianday(date_end) AS INTEGER), "
                   "CAST(substr(date_start, 1, 4) AS INTEGER) * 12 "
                   "+ CAST(substr(date_start, 6, 2) AS INTEGER) - 1")

    def __init__(self) -> None:
        self._skipped: dict[str, str] = {}

    # dialect: a grid cell index of a non-negative expression
    @staticmethod
    def _cell(expression: str) -> str:
        return f"CAST(({expression}) / ? AS INTEGER)"

    def _execute(self, sql: str, args: Iterable = ()):  # pragma: no cover - per backend
        raise NotImplementedError

    def _executemany(self, sql: str, rows: list) -> None:  # pragma: no cover - per backend
        raise NotImplementedError

    def _stream(self, sql: str, args: Iterable = ()) -> Iterator[tuple]:
        return iter(self._execute(sql, args))

    def _transaction(self) -> AbstractContextManager[None]:  # pragma: no cover - per backend
        raise NotImplementedError

    def _meta(self, key: str) -> str | None:
        row = self._execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        self._execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                      "DO UPDATE SET value = excluded.value", (key, value))

    # -- writing -----------------------------------------------------------------------

    def put(self, catalogue: Catalogue, note: tuple[str, str] | None = None, *,
            replace_sources: bool = False, expected: Mapping[str, int] | None = None,
            change: Change | None = None, delete: Iterable[str] = ()) -> tuple[int, int]:
        """Add or replace events and sources, all or nothing; returns (added, replaced).

        References are checked against the sources and events already stored, so an
        import may cite a source or link an event that the store has. ``expected``
        maps an event id to the revision the writer edited (0: not stored yet); a
        stored event at another revision is a ConflictError and nothing is written.
        Every event written (and every one in ``delete``, hidden in the same
        transaction) gets a new revision in the history, with ``change`` (default: an
        import by ``analyst()``)."""
        return self.put_batches(catalogue.sources, [catalogue.events], note,
                                replace_sources=replace_sources, expected=expected,
                                change=change, delete=delete)

    def put_batches(self, sources: dict[str, Source], batches: Iterable[list[Event]],
                    note: tuple[str, str] | None = None, known_ids: Set[str] = frozenset(), *,
                    replace_sources: bool = False, expected: Mapping[str, int] | None = None,
                    change: Change | None = None, delete: Iterable[str] = ()) -> tuple[int, int]:
        """Write events batch by batch in ONE transaction: a big import streams, and an
        error in any batch leaves the store as it was. Returns (added, replaced).

        Each batch's references are checked against the stored sources and ``sources``,
        the stored events, earlier batches and ``known_ids`` (ids later in the same
        file). A source already stored with other content is refused unless
        ``replace_sources``: a silent rewrite would change what other events cite."""
        added = replaced = 0
        change = change or Change()
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._transaction():
            if expected:
                self._check_expected(expected)
            stored_sources = self.sources()
            changed = self._changed_sources(stored_sources, sources, replace_sources)
            cited = {**stored_sources, **sources}
            stored_ids = {r[0] for r in self._execute("SELECT id FROM events")}
            self._executemany("INSERT INTO sources (id, data) VALUES (?, ?) ON CONFLICT (id) "
                              "DO UPDATE SET data = excluded.data",
                              [(s.id, s.model_dump_json()) for s in changed])
            written: set[str] = set()
            for batch in batches:
                batch = list(batch)
                self._check_batch(batch, cited, stored_ids, written, known_ids)
                rows = [self._row(e) for e in batch]
                batch_replaced = sum(e.id in stored_ids for e in batch)
                self._write_rows(batch, rows, batch_replaced > 0, change, at)
                written.update(e.id for e in batch)
                replaced += batch_replaced
                added += len(batch) - batch_replaced
            self._delete_rows(list(dict.fromkeys(delete)), written, change, at)
            if note:
                self._set_meta(*note)
            self._set_meta("revision", str(self.revision() + 1))
        return added, replaced

    def _check_expected(self, expected: Mapping[str, int]) -> None:
        stored = self.event_revisions(expected)
        for event_id, revision in expected.items():
            now = stored.get(event_id, 0)
            if now != revision:
                raise ConflictError(
                    f"event {event_id}: changed by someone else meanwhile (revision {now} stored, "
                    f"you edited revision {revision}); nothing was written; reload it and "
                    "edit again")

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

    def _check_batch(self, batch: list[Event], sources: dict[str, Source], stored_ids: set[str],
                     written: set[str], known_ids: Set[str]) -> None:
        """check_references for one batch, without copying the store's ids per batch. A
        link may point to a deleted event: it is hidden, not gone."""
        for event in batch:
            if event.id in written:
                raise CatalogueError(f"event {event.id}: the id is used twice")
        targets = {link.target for e in batch for link in e.links}
        known = {t for t in targets if t in stored_ids or t in written or t in known_ids}
        known |= set(self._latest_revisions(targets - known))
        check_references(batch, sources, known)

    def _write_rows(self, batch: list[Event], rows: list[tuple], replacing: bool,
                    change: Change, at: str) -> None:
        """Replace the batch's events, each at its next revision, and keep that revision
        (who, when, what changed, why, the record) in the history."""
        revisions = self.event_revisions(e.id for e in batch) if replacing else {}
        before = dict(self._by_ids(f"SELECT id, {self.DATA} FROM events JOIN event_data USING (seq)",
                                   revisions)) if revisions else {}
        latest = self._latest_revisions(e.id for e in batch)
        next_revision = {e.id: max(revisions.get(e.id, 0), latest.get(e.id, 0)) + 1 for e in batch}
        if revisions:
            self._executemany("DELETE FROM events WHERE id = ?", [(i,) for i in revisions])
        self._executemany(f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                          [(*row[:11], next_revision[e.id]) for e, row in zip(batch, rows)])
        self._executemany(
            INSERT_HISTORY,
            [(e.id, next_revision[e.id], at, change.who, change.action, change.why,
              json.dumps(changed_fields(before.get(e.id), row[13])), row[13])
             for e, row in zip(batch, rows)])
        seqs = dict(self._by_ids("SELECT id, seq FROM events", (e.id for e in batch)))
        systems, tags, sources, countries, links, data = [], [], [], [], [], []
        for event, row in zip(batch, rows):
            seq = seqs[event.id]
            data.append((seq, *row[11:]))
            systems += [(seq, s, 1) for s in event.systems]
            systems += [(seq, s, 0) for s in event.possible_systems]
            tags += [(seq, t) for t in {tag_key(t) for t in event.tags}]
            sources += [(seq, c.id) for c in event.sources]
            countries += [(seq, c) for c in {p.country for p in event.places if p.country}]
            links += [(seq, t) for t in {link.target for link in event.links}]
        self._executemany("INSERT INTO event_data (seq, search, geometry, data) VALUES (?, ?, ?, ?)", data)
        self._executemany("INSERT INTO event_systems (seq, system, certain) VALUES (?, ?, ?)", systems)
        self._executemany("INSERT INTO event_tags (seq, tag) VALUES (?, ?)", tags)
        self._executemany("INSERT INTO event_sources (seq, source) VALUES (?, ?)", sources)
        self._executemany("INSERT INTO event_countries (seq, country) VALUES (?, ?)", countries)
        self._executemany("INSERT INTO event_links (seq, target) VALUES (?, ?)", links)

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

    # -- reading -----------------------------------------------------------------------

    def revision(self) -> int:
        """A number that grows with every write: the key for caching what was read."""
        value = self._meta("revision") or "0"
        if not (value.isascii() and value.isdigit()):
            raise StoreError(f"{self.label}: revision {value[:40]!r} is not a number; the store "
                             "is damaged (restore it from a backup or an export)")
        return int(value)

    def sources(self) -> dict[str, Source]:
        """The stored sources; one that no longer validates is skipped and reported."""
        found = {}
        for source_id, data in self._execute(f"SELECT id, {self.DATA} FROM sources"):
            try:
                found[source_id] = Source.model_validate_json(data)
            except ValidationError as exc:
                self._skip(f"source {source_id}", _describe(exc))
        return found

    def seqs(self, f: EventFilter) -> list[int]:
        """The seqs of the events that match, ascending: for columnar snapshots."""
        where_sql, args = where(f)
        return [r[0] for r in self._execute(f"SELECT seq FROM events{where_sql} ORDER BY seq", args)]

    def column_rows(self) -> list[tuple]:
        """(seq, kind, status, start and end julian day, year * 12 + month - 1 of the
        start, precision or 0, lon, lat, origin lon, origin lat, weight) of every event
        by seq: what a columnar snapshot (events/columns.py) is made from."""
        return self._execute(
            f"SELECT seq, kind, status, {self.COLUMN_DAYS}, coalesce(geo_precision, 0), lon, "
            "lat, origin_lon, origin_lat, weight FROM events ORDER BY seq").fetchall()

    def count(self, f: EventFilter = EventFilter()) -> int:
        where_sql, args = where(f)
        return self._execute(f"SELECT count(*) FROM events{where_sql}", args).fetchone()[0]

    def _select(self, where_sql: str = "") -> str:
        return (f"SELECT id, geometry, {self.DATA} FROM events JOIN event_data USING (seq)"
                f"{where_sql}")

    def rows(self, f: EventFilter = EventFilter()) -> Iterator[EventRow]:
        """Matching events as stored, oldest first (then by id): for exports. Each row
        is validated (about 17 µs, measured on 100,000 synthetic events: +35-40% on a
        GeoJSON export); one that no longer validates is skipped and reported
        (``skipped``), never fatal."""
        where_sql, args = where(f)
        for row in self._stream(self._select(where_sql) + " ORDER BY date_start, id", args):
            valid = self._validated(*row)
            if valid is not None:
                yield valid

    def rows_page(self, f: EventFilter, limit: int, offset: int = 0) -> list[EventRow]:
        """Up to ``limit`` matching rows (fewer when some no longer validate)."""
        where_sql, args = where(f)
        query = self._select(where_sql) + " ORDER BY date_start, id LIMIT ? OFFSET ?"
        rows = (self._validated(*r) for r in self._execute(query, [*args, limit, offset]))
        return [r for r in rows if r is not None]

    def events(self, f: EventFilter = EventFilter()) -> list[Event]:
        return [r.event for r in self.rows(f)]

    def _by_ids(self, select: str, ids: Iterable[str], tail: str = "") -> Iterator[tuple]:
        ids = list(dict.fromkeys(ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            yield from self._execute(f"{select} WHERE id IN ({','.join('?' * len(chunk))}){tail}", chunk)

    def events_by_id(self, ids: Iterable[str]) -> dict[str, Event]:
        """The stored events among ``ids``, by id; one that no longer validates is left
        out (and listed on ``skipped``)."""
        found: dict[str, Event] = {}
        for row in self._by_ids(self._select(), ids):
            valid = self._validated(*row)
            if valid is not None:
                found[valid.id] = valid.event
        return found

    def linking(self, target: str) -> list[Event]:
        """The stored events with a link to ``target`` (what a merge must re-point)."""
        return list(self.events_by_id(r[0] for r in self._execute(
            "SELECT id FROM events WHERE seq IN (SELECT seq FROM event_links WHERE target = ?) "
            "ORDER BY id", (target,))).values())

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are stored."""
        return {r[0] for r in self._by_ids("SELECT id FROM events", ids)}

    def event_revisions(self, ids: Iterable[str]) -> dict[str, int]:
        """The stored revision of each of ``ids`` that is stored (1 when first written,
        one more on every replacement): what an editor passes back as ``expected``."""
        return {r[0]: int(r[1]) for r in self._by_ids("SELECT id, revision FROM events", ids)}

    def event(self, event_id: str) -> Event | None:
        """The event, or None when it is not stored or no longer validates."""
        row = self._execute(self._select(" WHERE id = ?"), (event_id,)).fetchone()
        valid = self._validated(*row) if row else None
        return valid.event if valid else None

    def date_range(self) -> tuple[str, str] | None:
        first, last = self._execute(f"SELECT {self.DATE_RANGE} FROM events").fetchone()
        return (first, last) if first else None

    def countries(self) -> list[str]:
        return [r[0] for r in self._execute(
            "SELECT DISTINCT country FROM event_countries ORDER BY country")]

    def monthly_counts(self, f: EventFilter = EventFilter()) -> list[tuple[str, str, int]]:
        """(YYYY-MM of the start date, kind, count) for the timeline."""
        where_sql, args = where(f)
        return [tuple(r) for r in self._execute(
            f"SELECT {self.MONTH} AS month, kind, count(*) FROM events{where_sql} "
            "GROUP BY month, kind ORDER BY month, kind", args)]

    def grid_bins(self, f: EventFilter, cell_deg: float) -> list[tuple]:
        """(kind, mean lon, mean lat, count, coarsest precision) per grid cell: how the
        map shows more events than a browser can draw, computed by the database."""
        where_sql, args = where(f)
        where_sql = _and(where_sql, "lon IS NOT NULL AND origin_lon IS NULL")  # routes: route_totals
        cells = f"{self._cell('lon + 180')}, {self._cell('lat + 90')}"
        return [tuple(r) for r in self._execute(
            f"SELECT kind, avg(lon), avg(lat), count(*), max(geo_precision) FROM events{where_sql} "
            f"GROUP BY kind, {cells}", [*args, cell_deg, cell_deg])]

    def route_totals(self, f: EventFilter, cell_deg: float) -> list[tuple]:
        """(kind, origin lon, origin lat, destination lon, lat, count, summed weight) per
        pair of origin and destination cells: routes aggregated like grid_bins."""
        where_sql, args = where(f)
        where_sql = _and(where_sql, "origin_lon IS NOT NULL AND lon IS NOT NULL")
        cells = ", ".join(self._cell(f"{c} + {o}") for c, o in (
            ("origin_lon", 180), ("origin_lat", 90), ("lon", 180), ("lat", 90)))
        return [tuple(r) for r in self._execute(
            f"SELECT kind, avg(origin_lon), avg(origin_lat), avg(lon), avg(lat), count(*), "
            f"sum(weight) FROM events{where_sql} GROUP BY kind, {cells}",
            [*args, cell_deg, cell_deg, cell_deg, cell_deg])]

    def points(self, f: EventFilter = EventFilter()) -> list[tuple[float, float]]:
        """(lat, lon) of every located matching event: a plain map of all of them."""
        where_sql, args = where(f)
        return [(r[0], r[1]) for r in self._execute(
            f"SELECT lat, lon FROM events{_and(where_sql, 'lon IS NOT NULL')}", args)]

    def invalid_rows(self) -> Iterator[tuple[str, str]]:
        """(id, problem) of every stored source and event that does not validate: what
        ``python -m geodata check`` lists."""
        for source_id, data in self._execute(f"SELECT id, {self.DATA} FROM sources ORDER BY id").fetchall():
            problem = _source_problem(source_id, data)
            if problem:
                yield f"source {source_id}", problem
        for row in self._stream(self._select() + " ORDER BY seq"):
            problem = row_problem(*row, full=True)
            if isinstance(problem, str):
                yield row[0], problem

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
                        "check` to list every such row", self.label, key, problem)

    @property
    def skipped(self) -> list[tuple[str, str]]:
        """(id, problem) of every stored row a read has skipped because it no longer
        validates; a source's id reads ``source ID``."""
        return list(self._skipped.items())


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

"""Import a dataset file (ACLED, UCDP, CIR, TimeMap, ... any reader) into the store.

The reader turns rows into our fields and place names; everything else happens here,
once for every format: places without coordinates are geocoded with the row's stated
units as constraints, given coordinates are kept with the dataset's precision, each
row becomes a validated Event whose id is the format and the dataset's own id (so a
second import of the same file adds nothing), and every event cites one Source for
the file (its sha256, the row number and the dataset's own reference).

Pass 1 streams the file and checks every row, keeping only ids and counts; pass 2
streams it again and writes the new and changed events in batches, all in ONE
transaction (Store.put_batches). By default one bad row stops the import and nothing
is stored; with a rejects file the bad rows go there and the rest is imported. Memory
stays bounded: ids (about 100 bytes each), a geocoding cache and counters.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import stat
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from geodata.atomic import check_target, replaced_on_success
from geodata.errors import GeodataError
from geodata.events.catalogue import located_fields
from geodata.events.model import Event, Source
from geodata.io.importer import BATCH_SIZE, MAX_IMPORT_FEATURES, deleted_line, reconcile_sources
from geodata.io.readers import detect, formats, reader_for
from geodata.io.readers.base import PlaceText, Reader, Row, RowError
from geodata.io.table import spreadsheet_safe
from geodata.places.query import QueryError
from geodata.store import MAX_REASON_LENGTH, Change, Store
from geodata.yamlfile import describe

MAX_REASONS_SHOWN = 10        # rejected rows listed in the summary
PREVIEW_EVENTS = 20       # what a dry run shows of the events as they will be stored
MAX_NAMES_SHOWN = 15          # unresolved places and unmapped values listed
MAX_COUNTED_NAMES = 10_000    # distinct names counted (the rest are summed as "others")
MAX_GEOCODE_CACHE = 200_000   # distinct place texts remembered between rows
MAX_REJECT_COLUMNS = 200      # original columns carried into a rejects file
COMPARE_BATCH = 500           # stored events looked up per query
EVIDENCE_LINK_LIMIT = 1_000   # characters of a row's own reference cited


class DatasetError(GeodataError):
    """A dataset that cannot be imported as asked: the message names the row and field."""


# -- ids -------------------------------------------------------------------------------

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def event_id(prefix: str, native_id: str) -> str:
    """The event id for a dataset's own id: ``acled-ukr12345``. Deterministic, so a
    re-import finds its events; a native id that does not survive as a slug unchanged
    (case aside) gets a short hash of itself, so two such ids never meet."""
    slug = _NOT_SLUG.sub("-", native_id.lower()).strip("-")
    base = f"{prefix}-{slug}" if slug else prefix
    if slug == native_id.lower() and len(base) <= 100:
        return base
    digest = hashlib.sha1(native_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{base[:89].rstrip('-')}-{digest}"


# -- the summary -------------------------------------------------------------------------

@dataclass
class DatasetSummary:
    """What an import did (or a dry run would do), for the report and the tests."""

    path: Path
    format: str
    dataset: str = ""
    source_id: str = ""
    dry_run: bool = False
    rows: int = 0                                   # rows (and row errors) read
    events: int = 0                                 # valid events
    kinds: Counter = field(default_factory=Counter)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_deleted: int = 0                           # deleted in the store: left deleted
    updates: list[str] = field(default_factory=list)        # "id: field changed" (capped)
    rejected: int = 0
    reasons: list[str] = field(default_factory=list)        # the first rejected rows
    unresolved: Counter = field(default_factory=Counter)    # place name -> rows (rejected)
    approximate: Counter = field(default_factory=Counter)   # placed at a stated unit
    unmapped: Counter = field(default_factory=Counter)      # "column=value" -> rows
    new_sources: int = 0
    conflicts: list[str] = field(default_factory=list)
    rejects_path: Path | None = None
    total: int | None = None                        # events in the store afterwards
    preview: list[Event] = field(default_factory=list)  # the first events as they will be stored

    def lines(self) -> list[str]:
        verb = "would import" if self.dry_run else "imported"
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.kinds.items())) or "none"
        out = [f"{verb} {self.events} of {self.rows} rows from {self.path} ({self.dataset}, "
               f"format {self.format}): {self.new} new, {self.updated} updated, "
               f"{self.unchanged} unchanged, {self.rejected} rejected",
               *([f"  {deleted_line(self.kept_deleted)}"] if self.kept_deleted else []),
               f"  by kind: {kinds}",
               f"  source: {self.source_id}" + (" (new)" if self.new_sources else "")]
        out += [f"  {line}" for line in self.conflicts]
        out += [f"  updated {line}" for line in self.updates]
        if self.updated > len(self.updates):
            out.append(f"  ... and {self.updated - len(self.updates)} more updated events")
        if self.rejected:
            out.append(f"  rejected rows (first {len(self.reasons)}):")
            out += [f"    {r}" for r in self.reasons]
        out += _counted("places not found (rows rejected)", self.unresolved)
        out += _counted("places found only as the stated province or country "
                        "(stored as that area)", self.approximate)
        out += _counted("values not mapped", self.unmapped)
        if self.rejects_path is not None:
            out.append(f"  rejected rows {'would be' if self.dry_run else 'were'} written to "
                       f"{self.rejects_path}" + (" (not written: dry run)" if self.dry_run else ""))
        if self.dry_run:
            out.append("  dry run: nothing was written")
        elif self.total is not None:
            out.append(f"  the store holds {self.total} events")
        return out


def _counted(title: str, counter: Counter) -> list[str]:
    if not counter:
        return []
    top = counter.most_common(MAX_NAMES_SHOWN)
    out = [f"  {title}: " + "; ".join(f"{name} ({n})" for name, n in top)]
    rest = len(counter) - len(top)
    if rest > 0:
        out[-1] += f"; and {rest} more"
    return out


def _count(counter: Counter, key: str) -> None:
    if key in counter or len(counter) < MAX_COUNTED_NAMES:
        counter[key[:120]] += 1
    else:
        counter["(others)"] += 1


# -- places ------------------------------------------------------------------------------

class _Unresolved(ValueError):
    def __init__(self, role: str, name: str, problem: str):
        super().__init__(f"{role} {name!r}: {problem}")
        self.name = name


class _Places:
    """Places of rows to PlaceRef fields, through the geocoder, remembered per text."""

    def __init__(self, geocoder, summary: DatasetSummary):
        self._geocoder = geocoder
        self._summary = summary
        self._cache: dict[tuple, tuple[dict | None, str | None]] = {}
        self._countries: dict[str, str | None] = {}
        self.counting = True  # pass 1 counts approximate places; pass 2 rebuilds only

    @property
    def geocoder(self):
        if self._geocoder is None:
            from geodata.places.geocoder import OfflineGeocoder  # the index: only when needed
            self._geocoder = OfflineGeocoder()
        return self._geocoder

    def country(self, text: str | None) -> str | None:
        if not text:
            return None
        if text not in self._countries:
            try:
                self._countries[text] = self.geocoder.country_code(text)
            except QueryError:
                self._countries[text] = None
            if len(self._countries) > MAX_GEOCODE_CACHE:
                self._countries.clear()
        return self._countries[text]

    def ref(self, role: str, place: PlaceText, unmapped: dict[str, str]) -> dict:
        """PlaceRef fields: given coordinates as given, else the geocoder's answer."""
        name = place.name.strip() if place.name else ""
        if place.lat is not None or place.lon is not None:
            if place.lat is None or place.lon is None:
                raise ValueError(f"{role}: give both latitude and longitude, or neither")
            if not (-90 <= place.lat <= 90 and -180 <= place.lon <= 180):
                raise ValueError(f"{role}: coordinates {place.lat}, {place.lon} are outside "
                                 "latitude -90..90, longitude -180..180")
            code = self.country(place.country)
            if place.country and code is None:
                unmapped["country"] = place.country
            fields = {"name": name or f"{place.lat:.4f}, {place.lon:.4f}", "lat": place.lat,
                      "lon": place.lon, "country": code,
                      "admin1": place.admin1 or None,
                      "geo_precision": place.geo_precision or 1, "radius_km": place.radius_km}
            return {k: v for k, v in fields.items() if v is not None}
        if not name:
            raise ValueError(f"{role}: no place name and no coordinates")
        key = (name, place.admin1, place.country, place.district)
        if key not in self._cache:
            if len(self._cache) >= MAX_GEOCODE_CACHE:
                self._cache.clear()
            self._cache[key] = self._geocode(place)
        found, problem = self._cache[key]
        if found is None:
            raise _Unresolved(role, name, problem or "not found")
        if found.get("geo_status") == "fallback" and self.counting:
            _count(self._summary.approximate, name)
        return {"name": name[:300], **found}

    def _geocode(self, place: PlaceText) -> tuple[dict | None, str | None]:
        """(fields, None) or (None, why not). An unknown stated province falls back to the
        country constraint; an unknown country is the row's problem."""
        code = None
        if place.country:
            code = self.country(place.country)
            if code is None:
                return None, f"unknown country {place.country!r}"
        context = [place.district] if place.district else []
        try:
            try:
                hits = self.geocoder.candidates(place.name, country=code, admin1=place.admin1,
                                                context=context, limit=1)
            except QueryError:
                if not place.admin1:
                    raise
                hits = self.geocoder.candidates(place.name, country=code, context=context, limit=1)
        except QueryError as exc:
            return None, str(exc)
        if not hits:
            return None, "not in the gazetteer" + (f" (in {code})" if code else "")
        return located_fields(hits[0]), None


# -- rows to events ----------------------------------------------------------------------

@dataclass
class _Context:
    path: Path
    prefix: str
    source_id: str
    sha: str
    places: _Places


def _evidence(ctx: _Context, row: Row) -> str:
    own = row.link or row.evidence or "no reference given in the row"
    if row.link and row.evidence:
        own = f"{row.evidence}; {row.link}"
    return (f"row {row.number} of {ctx.path.name} (sha256 {ctx.sha[:12]}…): "
            f"{own[:EVIDENCE_LINK_LIMIT]}")


def build_event(ctx: _Context, row: Row) -> Event:
    """The row as a validated Event; ValueError naming the field otherwise."""
    data = dict(row.fields)
    data["id"] = event_id(ctx.prefix, row.native_id)
    data.setdefault("status", "reported")
    data["sources"] = [{"id": ctx.source_id, "evidence": _evidence(ctx, row)}]
    links = data.get("links") or []
    try:
        data["links"] = [{**link, "target": event_id(ctx.prefix, str(link["target"]))}
                         for link in links]
    except (TypeError, KeyError):
        raise ValueError("links: each needs a relation and a target") from None
    for role in ("place", "origin", "destination"):
        given: PlaceText | None = getattr(row, role)
        if given is not None:
            data[role] = ctx.places.ref(role, given, row.unmapped)
    try:
        return Event.model_validate(data)
    except ValidationError as exc:
        raise ValueError(describe(exc)) from None


# -- the file ----------------------------------------------------------------------------

def check_input(path: Path) -> bool:
    """What an import may read: a regular file, or a folder holding a TimeMap export
    (True). A device or pipe is refused before anything opens it (reading /dev/zero or a
    FIFO would never end)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise DatasetError(f"{path}: no such file") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        if not (Path(path) / "export_events.json").is_file():
            raise DatasetError(f"{path}: a folder, not a regular file; the only folder imported "
                               "whole is a TimeMap export (with export_events.json)")
        return True
    if not stat.S_ISREG(info.st_mode):
        raise DatasetError(f"{path}: not a regular file (a device or pipe); give a dataset "
                           "file or a TimeMap export folder")
    return False


def file_sha256(path: Path) -> str:
    """The file's sha256 (a TimeMap export folder: of all its files), read in blocks."""
    if check_input(path):
        files = sorted(p for p in Path(path).iterdir() if p.is_file() and not p.is_symlink())
    else:
        files = [Path(path)]
    digest = hashlib.sha256()
    try:
        for file in files:
            if len(files) > 1 or file != Path(path):
                digest.update(file.name.encode("utf-8", "surrogateescape") + b"\0")
            with open(file, "rb") as f:
                while block := f.read(1 << 20):
                    digest.update(block)
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return digest.hexdigest()


def _reader(path: Path, reader: Reader | str | None) -> Reader:
    if reader is None:
        found = detect(path)
        if found is None:
            raise DatasetError(f"{path}: format not recognised (known: geojson, {', '.join(formats())}); "
                               "name it with --format, or map its columns with --map")
        return found
    return reader_for(reader) if isinstance(reader, str) else reader


def _rows(reader: Reader, path: Path, bar) -> Iterator[Row | RowError]:
    for count, item in enumerate(reader.rows(path), 1):
        if count > MAX_IMPORT_FEATURES:
            raise DatasetError(f"{path}: more than {MAX_IMPORT_FEATURES:,} rows (the limit for "
                               "one import); split the file")
        if bar is not None:
            bar.update()
        yield item


def _progress(enabled: bool | None, what: str):
    if enabled is False:
        return None
    from tqdm import tqdm

    return tqdm(desc=what, unit=" rows", file=sys.stderr, disable=None if enabled is None else False,
                mininterval=0.5, leave=False)


class _Rejects:
    """Rejected rows spooled to a temporary file (bounded memory), written as CSV at the end."""

    def __init__(self) -> None:
        self.spool = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.columns: dict[str, None] = {}

    def add(self, number: int, native_id: str | None, reason: str, cells: dict | None) -> None:
        cells = {str(k): "" if v is None else str(v) for k, v in (cells or {}).items()}
        for key in cells:
            if len(self.columns) < MAX_REJECT_COLUMNS:
                self.columns.setdefault(key)
        self.spool.write(json.dumps([number, native_id or "", reason, cells]) + "\n")

    def write(self, target: Path, protect: list[Path]) -> None:
        self.spool.seek(0)
        with replaced_on_success(target, protect) as tmp, open(tmp, "w", encoding="utf-8",
                                                                newline="") as out:
            writer = csv.writer(out)
            names = [c for c in self.columns if c not in ("row", "native_id", "reason")]
            writer.writerow(["row", "native_id", "reason", *names])
            for line in self.spool:
                number, native, reason, cells = json.loads(line)
                writer.writerow([number, *(spreadsheet_safe(v) for v in (
                    native, reason, *(cells.get(c, "") for c in names)))])

    def close(self) -> None:
        self.spool.close()


def _first_difference(old: Event, new: Event) -> str:
    before, after = old.model_dump(), new.model_dump()
    changed = [k for k in after if before.get(k) != after[k]]
    return ", ".join(changed[:4]) or "content"


def import_dataset(store: Store, path: Path, reader: Reader | str | None = None, *,
                   dry_run: bool = False, rejects: Path | None = None, geocoder=None,
                   progress: bool | None = False, batch_size: int = BATCH_SIZE,
                   restore_deleted: bool = False) -> DatasetSummary:
    """Check every row of ``path``, then store the new and changed events in one
    transaction (nothing when ``dry_run``). Without ``rejects`` the first bad row stops
    the import (a DatasetError naming the row and field) and nothing is stored. Events an
    analyst deleted from the store stay deleted unless ``restore_deleted``."""
    path = Path(path)
    sha = file_sha256(path)
    reader = _reader(path, reader)
    if rejects is not None:
        check_target(Path(rejects), [*store.files(), path])
    info = reader.describe(path)
    prefix = getattr(reader, "id_prefix", reader.format)
    summary = DatasetSummary(path, reader.format, dataset=info.name, dry_run=dry_run,
                             rejects_path=rejects)
    source_id = f"dataset-{reader.format}-{sha[:12]}"
    ctx = _Context(path, prefix, source_id, sha, _Places(geocoder, summary))
    collecting = dry_run or rejects is not None
    spool = _Rejects() if rejects is not None else None
    try:
        scan = _scan(store, reader, ctx, summary, spool, collecting, progress, restore_deleted)
        source = _source(id=source_id, publisher=info.publisher[:300],
                        title=f"{info.name}: {path.name}"[:300],
                        published=scan.newest or date.fromtimestamp(os.stat(path).st_mtime),
                        published_reasoning=(
                            "the newest event date in the file: the dataset was published no "
                            "earlier" if scan.newest else "the file's modification date: no "
                            "row gave a date"),
                        url=info.url, note=f"sha256 {sha}")
        new_sources, renames, summary.conflicts = reconcile_sources({source_id: source},
                                                                    store.sources())
        summary.new_sources = len(new_sources)
        summary.source_id = renames.get(source_id, source_id)
        if renames:  # every event cites the renamed source: all of them change
            scan.to_write |= scan.unchanged_ids
            summary.updated += summary.unchanged
            summary.unchanged = 0
            ctx.source_id = summary.source_id
        if not dry_run and (scan.to_write or new_sources):
            store.put_batches(new_sources, _batches(reader, ctx, scan, batch_size, progress, sha),
                              known_ids=frozenset(scan.ids),
                              change=Change("import", f"imported from {path.name}"[:MAX_REASON_LENGTH]))
        if spool is not None and not dry_run:
            spool.write(Path(rejects), [*store.files(), path])
    finally:
        if spool is not None:
            spool.close()
    if not dry_run:
        summary.total = store.count()
    return summary


def _source(**fields) -> Source:
    try:
        return Source(**fields)
    except ValidationError as exc:
        raise DatasetError(f"the dataset's source: {describe(exc)}") from None


@dataclass
class _Scan:
    ids: set[str] = field(default_factory=set)
    to_write: set[str] = field(default_factory=set)
    unchanged_ids: set[str] = field(default_factory=set)
    rejected_rows: set[int] = field(default_factory=set)
    newest: date | None = None


def _scan(store: Store, reader: Reader, ctx: _Context, summary: DatasetSummary,
          spool: _Rejects | None, collecting: bool, progress: bool | None,
          restore_deleted: bool = False) -> _Scan:
    """Pass 1: every row mapped, geocoded and validated; ids unique; links hold; each
    event compared with the stored one."""
    scan = _Scan()
    first_row: dict[str, int] = {}
    linking: list[tuple[int, str, str | None, list[str], dict | None]] = []
    pending: list[Event] = []

    def reject(number: int, native: str | None, reason: str, cells: dict | None) -> None:
        message = f"row {number}" + (f" ({native})" if native else "") + f": {reason}"
        if not collecting:
            raise DatasetError(f"{ctx.path}: {message}; nothing was stored (give --skip-invalid "
                               "REJECTS.csv to import the other rows)")
        summary.rejected += 1
        scan.rejected_rows.add(number)
        if len(summary.reasons) < MAX_REASONS_SHOWN:
            summary.reasons.append(message[:300])
        if spool is not None:
            spool.add(number, native, reason, cells)

    def compare() -> None:
        stored = store.events_by_id([e.id for e in pending])
        hidden = set() if restore_deleted else store.deleted_among(
            e.id for e in pending if e.id not in stored)
        for event in pending:
            old = stored.get(event.id)
            if event.id in hidden:
                summary.kept_deleted += 1
            elif old is None:
                summary.new += 1
                scan.to_write.add(event.id)
            elif old == event:
                summary.unchanged += 1
                scan.unchanged_ids.add(event.id)
            else:
                summary.updated += 1
                scan.to_write.add(event.id)
                if len(summary.updates) < MAX_REASONS_SHOWN:
                    summary.updates.append(f"{event.id}: {_first_difference(old, event)} changed")
        pending.clear()

    bar = _progress(progress, "checking")
    try:
        for item in _rows(reader, ctx.path, bar):
            summary.rows += 1
            if isinstance(item, RowError):
                reject(item.number, item.native_id, item.problem, item.cells)
                continue
            try:
                event = build_event(ctx, item)
            except _Unresolved as exc:
                _count(summary.unresolved, exc.name)
                reject(item.number, item.native_id, str(exc), item.cells)
                continue
            except ValueError as exc:
                reject(item.number, item.native_id, str(exc), item.cells)
                continue
            finally:  # build_event adds what it could not map (a stated country)
                for column, value in item.unmapped.items():
                    _count(summary.unmapped, f"{column}={value}")
            if event.id in scan.ids:
                reject(item.number, item.native_id, f"id {item.native_id!r} is also the id of row "
                       f"{first_row.get(event.id, '?')}", item.cells)
                continue
            scan.ids.add(event.id)
            if len(first_row) < MAX_COUNTED_NAMES:
                first_row[event.id] = item.number
            if event.links:
                linking.append((item.number, event.id, item.native_id,
                                [link.target for link in event.links], item.cells))
            summary.events += 1
            summary.kinds[event.kind.value] += 1
            if len(summary.preview) < PREVIEW_EVENTS:
                summary.preview.append(event)
            scan.newest = max(scan.newest or event.date_end, event.date_end)
            pending.append(event)
            if len(pending) >= COMPARE_BATCH:
                compare()
        compare()
    finally:
        if bar is not None:
            bar.close()
    _check_links(store, scan, summary, linking, reject)
    return scan


def _check_links(store: Store, scan: _Scan, summary: DatasetSummary, linking: list,
                 reject: Callable) -> None:
    """A link must reach an event of this file or the store; a row whose target was
    rejected is rejected too (repeated until nothing changes)."""
    stored = store.existing_ids({t for *_, targets, _ in linking for t in targets} - scan.ids)
    changed = True
    while changed:
        changed = False
        for number, eid, native, targets, cells in linking:
            if eid not in scan.ids:
                continue
            broken = [t for t in targets if t not in scan.ids and t not in stored]
            if broken:
                reject(number, native, f"links: {', '.join(broken)} is not in the file or the "
                       "store (its row was rejected or never given)", cells)
                scan.ids.discard(eid)
                scan.to_write.discard(eid)
                scan.unchanged_ids.discard(eid)
                summary.events -= 1
                changed = True


def _batches(reader: Reader, ctx: _Context, scan: _Scan, batch_size: int,
             progress: bool | None, sha: str) -> Iterator[list[Event]]:
    """Pass 2: the events to write, rebuilt from the file (deterministic: the same rows
    and the same geocoder answers), in batches; the file must not have changed."""
    batch: list[Event] = []
    ctx.places.counting = False
    bar = _progress(progress, "storing")
    try:
        for item in _rows(reader, ctx.path, bar):
            if isinstance(item, RowError) or item.number in scan.rejected_rows:
                continue
            eid = event_id(ctx.prefix, item.native_id)
            if eid not in scan.to_write:
                continue
            try:
                batch.append(build_event(ctx, item))
            except ValueError as exc:
                raise DatasetError(f"{ctx.path}: row {item.number}: {exc} (the file changed "
                                   "during the import?); nothing was stored") from None
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch
    finally:
        if bar is not None:
            bar.close()
    if file_sha256(ctx.path) != sha:
        raise DatasetError(f"{ctx.path}: the file changed during the import; nothing was stored")

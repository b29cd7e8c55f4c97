"""Import a GeoJSON export into the store: validated in full first, then stored in one
transaction, in bounded memory for any file size.

Pass 1 streams the file and validates every feature, keeping only ids and sources.
Sources are then reconciled with the stored ones (a stored source is never rewritten
by an import: an identical one is reused, a different one is kept under a new id that
the imported events cite). Pass 2 streams the file again and stores it in batches,
all in one transaction: an error anywhere leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

from geodata.events.model import Event, Source
from geodata.io.geojson import GeoJSONError, feature_event, same_source
from geodata.io.jsonstream import iter_features
from geodata.store import MAX_REASON_LENGTH, Change, Store

BATCH_SIZE = 2000
MAX_IMPORT_FEATURES = 2_000_000  # the ids of one import are held in memory (~100 B each)
MAX_NOTES_SHOWN = 20


@dataclass
class ImportSummary:
    """What an import did, for the one-line report and the notes below it."""

    events: int = 0
    added: int = 0
    replaced: int = 0
    new_sources: int = 0
    kept_deleted: int = 0                                # deleted in the store: left deleted
    conflicts: list[str] = field(default_factory=list)   # one line per source kept apart
    notes: list[str] = field(default_factory=list)       # one line per changed feature (capped)
    more_notes: int = 0

    def lines(self, path: Path, total: int) -> list[str]:
        out = [f"imported {self.events} events from {path}: {self.added} new, {self.replaced} "
               f"replaced, {self.new_sources} new sources; the store holds {total}"]
        if self.kept_deleted:
            out.append(deleted_line(self.kept_deleted))
        out += self.conflicts + self.notes
        if self.more_notes:
            out.append(f"... and {self.more_notes} more features whose geometry was recomputed")
        return out


@dataclass
class _Scan:
    ids: set[str] = field(default_factory=set)
    sources: dict[str, Source] = field(default_factory=dict)
    first_cited: dict[str, int] = field(default_factory=dict)


def _scan(path: Path) -> _Scan:
    """Pass 1: every feature valid, ids unique, one content per source id."""
    scan = _Scan()
    for number, feature in enumerate(iter_features(path), 1):
        if number > MAX_IMPORT_FEATURES:
            raise GeoJSONError(f"{path}: more than {MAX_IMPORT_FEATURES:,} features (the limit "
                               "for one import); split the file")
        parsed = feature_event(number, feature)
        if parsed.event.id in scan.ids:
            raise GeoJSONError(f"feature {number} (id {parsed.event.id}): the id is used twice "
                               "in the file")
        scan.ids.add(parsed.event.id)
        for source in parsed.sources:
            known = scan.sources.get(source.id)
            if known is None:
                scan.sources[source.id] = source
                scan.first_cited[source.id] = number
            elif not same_source(known, source):
                raise GeoJSONError(
                    f"feature {number} (id {parsed.event.id}): source {source.id} differs from "
                    f"the one given in feature {scan.first_cited[source.id]} "
                    f"({_difference(known, source)}); give one content per source id")
    return scan


def _difference(old: Source, new: Source) -> str:
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    name = next((k for k in before if before[k] != after[k]), "content")
    return f"{name}: {str(before.get(name))[:60]!r} vs {str(after.get(name))[:60]!r}"


def _suffixed(source_id: str, n: int) -> str:
    tail = f"-{n}"
    return source_id[:100 - len(tail)] + tail


def reconcile_sources(given: dict[str, Source], stored: dict[str, Source]
                      ) -> tuple[dict[str, Source], dict[str, str], list[str]]:
    """(sources to store, renamed ids, one line per conflict). A given source identical
    to the stored one (in every field an export carries) is reused; a different one is
    stored under ``<id>-2`` (or the next free number), or reuses an earlier such copy."""
    new: dict[str, Source] = {}
    renames: dict[str, str] = {}
    lines: list[str] = []
    taken = set(stored) | set(given)
    for sid, source in given.items():
        old = stored.get(sid)
        if old is None:
            new[sid] = source
            continue
        if same_source(old, source):
            continue
        for n in count(2):
            candidate = _suffixed(sid, n)
            if candidate in stored and same_source(stored[candidate], source):
                how = f"the same source was kept as {candidate} by an earlier import; reused"
                break
            if candidate not in taken:
                new[candidate] = source.model_copy(update={"id": candidate})
                taken.add(candidate)
                how = f"kept as a new source {candidate}"
                break
        renames[sid] = candidate
        lines.append(f"source {sid}: differs from the stored one ({_difference(old, source)}); "
                     f"{how}, cited by the imported events; the stored {sid} is unchanged")
    return new, renames, lines


def deleted_line(count: int) -> str:
    """What an import says of the events an analyst deleted since (one home for it)."""
    return (f"{count} events deleted in the store were left deleted (give --restore-deleted "
            "to bring them back)")


def import_geojson(store: Store, path: Path, batch_size: int = BATCH_SIZE, *,
                   restore_deleted: bool = False) -> ImportSummary:
    """Validate all of ``path``, then store it in one transaction. Events an analyst
    deleted from the store stay deleted unless ``restore_deleted``."""
    scan = _scan(path)
    new_sources, renames, conflicts = reconcile_sources(scan.sources, store.sources())
    hidden = set() if restore_deleted else store.deleted_among(scan.ids)
    summary = ImportSummary(events=len(scan.ids) - len(hidden), new_sources=len(new_sources),
                            conflicts=conflicts, kept_deleted=len(hidden))

    def batches() -> Iterator[list[Event]]:
        batch: list[Event] = []
        for number, feature in enumerate(iter_features(path), 1):
            parsed = feature_event(number, feature, renames, check_geometry=True)
            if parsed.note:
                if len(summary.notes) < MAX_NOTES_SHOWN:
                    summary.notes.append(parsed.note)
                else:
                    summary.more_notes += 1
            if parsed.event.id in hidden:
                continue
            batch.append(parsed.event)
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    summary.added, summary.replaced = store.put_batches(
        new_sources, batches(), known_ids=frozenset(scan.ids),
        change=Change("import", f"imported from {path.name}"[:MAX_REASON_LENGTH]))
    return summary

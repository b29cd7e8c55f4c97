"""Every revision an event has had: who changed it (``Change``), when, what and why,
and its whole record (``Revision``), kept in the event_history table by the SQL both
backends share (``HistorySql``, a part of base.SqlStore). A deleted event leaves the
tables that reads use, never its history: it can be restored from there."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import ValidationError

from geodata.events.model import Event
from geodata.store.errors import StoreError

HISTORY_COLUMNS = "id, revision, at, who, action, why, changes, data"
INSERT_HISTORY = f"INSERT INTO event_history ({HISTORY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
ACTIONS = ("import", "edit", "delete", "restore", "merge")
ANALYST_ENV = "GEODATA_ANALYST"
MAX_ANALYST_LENGTH = MAX_REASON_LENGTH = 500


def analyst() -> str:
    """Who is writing: ``$GEODATA_ANALYST``, else the account's user name."""
    name = os.environ.get(ANALYST_ENV, "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
    return name


@dataclass(frozen=True)
class Change:
    """Who makes a write, what kind of change it is (ACTIONS) and why: kept with every
    revision it writes. Checked here, so no writer can store an unreadable entry."""

    action: str = "import"
    why: str = ""
    who: str = field(default_factory=analyst)

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise StoreError(f"change: action {self.action!r} is not one of {', '.join(ACTIONS)}")
        for name, value, limit in (("who", self.who, MAX_ANALYST_LENGTH), ("why", self.why, MAX_REASON_LENGTH)):
            if not isinstance(value, str) or len(value) > limit or not value.isprintable():
                raise StoreError(f"{name}: give at most {limit} printable characters (no line breaks)")
        if not self.who.strip():
            raise StoreError(f"who: give the analyst's name (--analyst or ${ANALYST_ENV})")


@dataclass(frozen=True)
class Revision:
    """One revision of an event, as event_history keeps it: the record it had (for a
    deletion, the record that was deleted), and who changed what, when and why."""

    id: str
    revision: int
    at: str
    who: str
    action: str
    why: str
    changes: list[str]
    data: str

    def event(self) -> Event | None:
        """The record of this revision, or None when it no longer validates."""
        try:
            event = Event.model_validate_json(self.data)
        except ValidationError:
            return None
        return event if event.id == self.id else None


def changed_fields(before: str | None, after: str) -> list[str]:
    """The top-level fields in which two stored records differ (none for a new one)."""
    if before is None:
        return []
    old, new = json.loads(before), json.loads(after)
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


class HistorySql:
    """The history's reads and its part of a write (base.SqlStore supplies ``_execute``,
    ``_executemany``, ``_by_ids`` and ``DATA``)."""

    def _delete_rows(self, ids: list[str], written: set[str], change: Change, at: str) -> None:
        """Hide events: each gets a last revision in the history holding the record it
        had (so it can be restored), then leaves the tables every read uses."""
        if not ids:
            return
        clash = sorted(written.intersection(ids))
        if clash:
            raise StoreError(f"event {clash[0]}: cannot be written and deleted in one change")
        stored = {r[0]: (int(r[1]), r[2]) for r in self._by_ids(
            f"SELECT id, revision, {self.DATA} FROM events JOIN event_data USING (seq)", ids)}
        for event_id in ids:
            if event_id not in stored:
                gone = " (it was deleted; see its history)" if self._latest_revisions([event_id]) else ""
                raise StoreError(f"event {event_id}: not stored{gone}; nothing was changed")
        latest = self._latest_revisions(ids)
        self._executemany(
            INSERT_HISTORY,
            [(i, max(stored[i][0], latest.get(i, 0)) + 1, at, change.who, change.action,
              change.why, "[]", stored[i][1]) for i in ids])
        self._executemany("DELETE FROM events WHERE id = ?", [(i,) for i in ids])

    def deleted_among(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are deleted (in the history, not stored): an import leaves
        them deleted unless told to bring them back."""
        ids = list(ids)
        return set(self._latest_revisions(ids)) - self.existing_ids(ids)

    def history(self, event_id: str) -> list[Revision]:
        """Every recorded revision of an event, oldest first (empty: never stored)."""
        return [self._revision(r) for r in self._execute(
            f"SELECT {HISTORY_COLUMNS} FROM event_history WHERE id = ? ORDER BY revision",
            (event_id,))]

    def deleted(self) -> list[Revision]:
        """The last revision of every deleted (hidden) event, most recent first. That
        revision is the deleting one (a delete or a merge), so the index on the action
        keeps this from reading the whole history (the dashboard asks on every run)."""
        return [self._revision(r) for r in self._execute(
            f"SELECT {HISTORY_COLUMNS} FROM event_history h WHERE action IN ('delete', 'merge') "
            "AND NOT EXISTS "
            "(SELECT 1 FROM events e WHERE e.id = h.id) AND revision = "
            "(SELECT max(revision) FROM event_history l WHERE l.id = h.id) ORDER BY at DESC, id")]

    @staticmethod
    def _revision(row: tuple) -> Revision:
        return Revision(row[0], int(row[1]), row[2], row[3], row[4], row[5], json.loads(row[6]), row[7])

    def _latest_revisions(self, ids: Iterable[str]) -> dict[str, int]:
        """The last revision in the history of each of ``ids`` that has one (stored or
        deleted): a new revision is one more, whatever happened in between."""
        return {r[0]: int(r[1]) for r in self._by_ids(
            "SELECT id, max(revision) FROM event_history", ids, " GROUP BY id")}

"""Corrections with history: ``edit ID --set FIELD=VALUE``, ``delete ID --reason``,
``merge KEEP DROP``, ``restore ID --revision N`` and ``history ID`` (or ``--deleted``).

Every change is a new revision that the store keeps with who (``--analyst``, else
$GEODATA_ANALYST, else the account's user name), when, what changed and why; a
deleted event is hidden, never lost. ``--revision N`` says which revision you looked
at: if someone changed the event since, nothing is written and the message says so.
"""

from __future__ import annotations

import argparse
import json
import sys

from geodata.cli.store import add_db_option
from geodata.errors import GeodataError
from geodata.events.catalogue import Catalogue
from geodata.events.edits import EDITABLE, edited, field_changes, merged, parse_assignment, relinked
from geodata.store import ANALYST_ENV, Change, EventStore, Revision, analyst, default_url, open_store


class EditOptionError(GeodataError):
    """An edit command given an event or revision that is not there."""


def _common(parser: argparse.ArgumentParser, reason_required: bool = False) -> None:
    add_db_option(parser)
    parser.add_argument("--analyst", metavar="NAME",
                        help=f"who makes the change (default: ${ANALYST_ENV}, else your user name)")
    parser.add_argument("--reason", metavar="TEXT", required=reason_required,
                        default=None if reason_required else "",
                        help="why: kept with the revision" + (" (required)" if reason_required else ""))


def _revision_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--revision", type=int, metavar="N",
                        help=f"the revision you {what} (shown by history): if the event has "
                             "changed since, nothing is written")


def register(commands: argparse._SubParsersAction) -> None:
    e = commands.add_parser("edit", help="change fields of a stored event (a new revision)",
                            description="Set fields of a stored event; the old revision is kept "
                                        f"(see history). Editable: {', '.join(EDITABLE)}. A date "
                                        "is 2024-01-02, 2024-01 or 2024; list fields take "
                                        "comma-separated values; place takes JSON.")
    e.add_argument("event_id", metavar="ID")
    e.add_argument("--set", dest="assignments", action="append", default=[], metavar="FIELD=VALUE",
                   required=True, help="a field and its new value (repeatable)")
    _revision_option(e, "edited")
    _common(e)
    e.set_defaults(run=run_edit)

    d = commands.add_parser("delete", help="hide an event (kept in its history; restore brings it back)")
    d.add_argument("event_id", metavar="ID")
    _revision_option(d, "decided to delete")
    _common(d, reason_required=True)
    d.set_defaults(run=run_delete)

    m = commands.add_parser("merge", help="merge a duplicate into another event",
                            description="KEEP gets DROP's citations, systems, tags and what it "
                                        "lacks; DROP is deleted (hidden, in its history) in the "
                                        "same change.")
    m.add_argument("keep", metavar="KEEP")
    m.add_argument("drop", metavar="DROP")
    _common(m)
    m.set_defaults(run=run_merge)

    r = commands.add_parser("restore", help="make an earlier revision of an event current again "
                                            "(also brings back a deleted event)")
    r.add_argument("event_id", metavar="ID")
    r.add_argument("--revision", type=int, metavar="N", required=True,
                   help="the revision to restore (see history); a deletion's revision holds the "
                        "record as it was deleted")
    _common(r)
    r.set_defaults(run=run_restore)

    h = commands.add_parser("history", help="list an event's revisions: who, when, what, why")
    h.add_argument("event_id", metavar="ID", nargs="?")
    h.add_argument("--deleted", action="store_true", help="list the deleted (hidden) events instead")
    h.add_argument("--json", action="store_true", help="one JSON object per revision, with its record")
    h.add_argument("--changes", action="store_true",
                   help="under each revision, each changed field: before -> after")
    add_db_option(h)
    h.set_defaults(run=run_history)


def _change(args: argparse.Namespace, action: str) -> Change:
    return Change(action=action, why=(args.reason or "").strip(), who=(args.analyst or analyst()).strip())


def _primary(args: argparse.Namespace) -> EventStore:
    """The store to edit, read from its primary only: a lagging read replica
    ($GEODATA_DB_READ) would hand an editor an old record to change."""
    return open_store(args.db or default_url())


def _current(store: EventStore, event_id: str):
    event = store.event(event_id)
    if event is None:
        gone = " (it was deleted: see `history` and `restore`)" if store.history(event_id) else ""
        raise EditOptionError(f"event {event_id[:80]}: not in {store.label}{gone}")
    return event


def _expected(store: EventStore, event_id: str, revision: int | None) -> dict[str, int]:
    """What the writer edited: the given revision, else the one stored now."""
    if revision is None:
        revision = store.event_revisions([event_id]).get(event_id, 0)
    return {event_id: revision}


def run_edit(args: argparse.Namespace) -> int:
    assignments = [parse_assignment(a) for a in args.assignments]
    store = _primary(args)
    expected = _expected(store, args.event_id, args.revision)
    before = _current(store, args.event_id)
    after = edited(before, assignments)
    if after == before:
        print(f"event {args.event_id}: no change; nothing written", file=sys.stderr)
        return 0
    store.put(Catalogue({}, [after]), change=_change(args, "edit"), expected=expected)
    _said(store, args.event_id)
    return 0


def run_delete(args: argparse.Namespace) -> int:
    change = _change(args, "delete")
    if not change.why:
        raise EditOptionError("--reason: say why the event is deleted")
    store = _primary(args)
    expected = _expected(store, args.event_id, args.revision)
    _current(store, args.event_id)
    store.put(Catalogue({}, []), change=change, expected=expected, delete=[args.event_id])
    _said(store, args.event_id)
    return 0


def run_merge(args: argparse.Namespace) -> int:
    store = _primary(args)
    keep, drop = _current(store, args.keep), _current(store, args.drop)
    others = [e for e in store.linking(drop.id) if e.id not in (keep.id, drop.id)]
    expected = store.event_revisions([keep.id, drop.id, *(e.id for e in others)])
    change = _change(args, "merge")
    change = Change(action="merge", who=change.who,
                    why=change.why or f"{drop.id} merged into {keep.id}")
    written = [merged(keep, drop), *(relinked(e, drop.id, keep.id) for e in others)]
    store.put(Catalogue({}, written), change=change, expected=expected, delete=[drop.id])
    for event_id in (keep.id, drop.id, *(e.id for e in others)):
        _said(store, event_id)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    store = _primary(args)
    revisions = {r.revision: r for r in store.history(args.event_id)}
    if not revisions:
        raise EditOptionError(f"event {args.event_id[:80]}: no history in {store.label}")
    chosen = revisions.get(args.revision)
    if chosen is None:
        raise EditOptionError(f"--revision {args.revision}: event {args.event_id} has revisions "
                              f"{min(revisions)} to {max(revisions)}")
    event = chosen.event()
    if event is None:
        raise EditOptionError(f"revision {args.revision} of {args.event_id} no longer validates; "
                              "restore another one")
    change = _change(args, "restore")
    change = Change(action="restore", who=change.who, why=change.why or f"revision {args.revision} restored")
    store.put(Catalogue({}, [event]), change=change, expected=_expected(store, args.event_id, None))
    _said(store, args.event_id)
    return 0


def _said(store: EventStore, event_id: str) -> None:
    last = store.history(event_id)[-1]
    print(f"event {event_id}: revision {last.revision} ({last.action} by {last.who}"
          + (f": {last.why}" if last.why else "") + ")", file=sys.stderr)


def describe(revision: Revision) -> str:
    """One line: revision, when, who, action, what changed, why."""
    what = f" [{', '.join(revision.changes)}]" if revision.changes else ""
    why = f": {revision.why}" if revision.why else ""
    return (f"{revision.revision}\t{revision.at or 'unknown time'}\t{revision.who}\t"
            f"{revision.action}{what}{why}")


def run_history(args: argparse.Namespace) -> int:
    if bool(args.event_id) == args.deleted:
        raise EditOptionError("give an event ID, or --deleted to list the deleted events")
    store = _primary(args)
    revisions = store.deleted() if args.deleted else store.history(args.event_id)
    if not revisions:
        print("no deleted events" if args.deleted else
              f"event {args.event_id[:80]}: no history in {store.label}", file=sys.stderr)
        return 1
    previous: Revision | None = None
    for revision in revisions:
        if args.json:
            print(json.dumps({"id": revision.id, "revision": revision.revision, "at": revision.at,
                              "who": revision.who, "action": revision.action, "why": revision.why,
                              "changes": revision.changes, "record": json.loads(revision.data)},
                             ensure_ascii=False))
        else:
            print((f"{revision.id}\t" if args.deleted else "") + describe(revision))
            if args.changes and previous is not None and revision.action != "delete":
                for name, before, after in field_changes(previous.data, revision.data):
                    print(f"    {name}: {before or '(none)'} -> {after or '(none)'}")
        previous = revision
    return 0

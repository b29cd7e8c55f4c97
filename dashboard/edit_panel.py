"""Correct the selected event, delete it, or restore one of its revisions; and see its
history (who, when, what, why). Every change is a revision in the store
(geodata.store), made with the same rules as ``python -m geodata edit``.

Two analysts editing the same event: the form remembers the revision it was opened on;
a save after someone else's change is refused by the store (ConflictError), and the
panel shows their version with two choices: take theirs, or apply your changes on top of
it. Nothing is overwritten without the analyst seeing what they overwrite.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.plain import plain
from dashboard.style import KINDS
from geodata.errors import GeodataError
from geodata.events.catalogue import Catalogue
from geodata.events.edits import date_text, edited, field_changes
from geodata.events.model import Event, Kind, Status
from geodata.store import Change, ConflictError, EventStore, Revision, analyst

FORM_FIELDS = ("title", "kind", "status", "date", "date_note", "tags", "description")


def _values(event: Event) -> dict[str, str]:
    """The form's fields as ``--set`` values."""
    return {"title": event.title, "kind": event.kind.value, "status": event.status.value,
            "date": date_text(event), "date_note": event.date_note or "",
            "tags": ", ".join(event.tags), "description": event.description or ""}


def analyst_input() -> None:
    """Who the analyst is, in the sidebar (drawn on every run, so it is never reset):
    kept with every change they make."""
    st.session_state.setdefault("w_analyst", analyst())
    st.sidebar.text_input("Your name (kept with every change you make)", key="w_analyst",
                          max_chars=500)


def _who() -> str:
    return (st.session_state.get("w_analyst") or "").strip()


def _write(store: EventStore, events: list[Event], change: Change, expected: dict[str, int],
           delete: list[str] | None = None) -> bool:
    """One change; False (with the reason shown) when the store refused it. A conflict
    is the caller's to handle: it offers the other analyst's version."""
    try:
        store.put(Catalogue({}, events), change=change, expected=expected, delete=delete or [])
    except ConflictError:
        raise
    except GeodataError as exc:
        st.error(plain(f"Nothing was saved: {exc}"))
        return False
    return True


def panel(event: Event, store: EventStore) -> None:
    """The editing panel under the selected event's details."""
    ss = st.session_state
    revision = store.event_revisions([event.id]).get(event.id, 0)
    opened = ss.setdefault("edit_opened", {})
    base = opened.setdefault(event.id, revision)  # the revision this analyst is looking at
    revisions = store.history(event.id)
    with st.expander(f"Correct, delete or restore (revision {revision})", expanded=event.id in ss.get("edit_conflicts", {})):
        conflict = ss.get("edit_conflicts", {}).get(event.id)
        if conflict:
            _offer(event, store, revision, conflict)
        else:
            _form(_opened(event, revisions, base), store, base)
        _delete(event, store, base)
    _history(event, store, revisions)


def _opened(event: Event, revisions: list[Revision], base: int) -> Event:
    """The event as it was when this analyst opened it, from the history (kept by the
    primary store, never a lagging replica): the form edits that version, so a change
    saved by someone else meanwhile is a conflict, not silently merged."""
    kept = next((r for r in revisions if r.revision == base), None)
    return (kept.event() if kept else None) or event


def _form(event: Event, store: EventStore, base: int) -> None:
    values = _values(event)
    kinds, statuses = [k.value for k in Kind], [s.value for s in Status]
    key = f"edit-{event.id}-{base}"
    with st.form(key):
        new = {
            "title": st.text_input("Title", values["title"], max_chars=300, key=f"{key}-title"),
            "kind": st.selectbox("Kind", kinds, index=kinds.index(values["kind"]), key=f"{key}-kind",
                                 format_func=lambda k: KINDS[k]["label"]),
            "status": st.selectbox("Status", statuses, index=statuses.index(values["status"]),
                                   key=f"{key}-status"),
            "date": st.text_input("Date (2024-01-02, 2024-01, 2024 or 2023-12/2024-02)", values["date"],
                                  key=f"{key}-date"),
            "date_note": st.text_input("Date note", values["date_note"], key=f"{key}-date_note"),
            "tags": st.text_input("Tags (comma-separated)", values["tags"], key=f"{key}-tags"),
            "description": st.text_area("Description", values["description"], key=f"{key}-description"),
        }
        why = st.text_input("Why (kept with the change)", max_chars=500, key=f"{key}-why")
        if not st.form_submit_button("Save the correction"):
            return
    mine = [(name, text) for name, text in new.items() if text != values[name]]
    if not mine:
        st.info("Nothing changed; nothing was saved.")
        return
    _save(event, store, base, mine, why)


def _save(event: Event, store: EventStore, base: int, mine: list[tuple[str, str]], why: str) -> None:
    ss = st.session_state
    try:
        after = edited(event, mine)
        change = Change("edit", why.strip(), _who())
    except GeodataError as exc:
        st.error(plain(f"Nothing was saved: {exc}"))
        return
    try:
        saved = _write(store, [after], change, {event.id: base})
    except ConflictError:
        ss.setdefault("edit_conflicts", {})[event.id] = {"mine": mine, "why": why}
        st.rerun()
    if saved:
        ss["edit_opened"].pop(event.id, None)
        now = store.event_revisions([event.id]).get(event.id)
        ss.edit_message = f"Saved {event.id} as revision {now} by {change.who}."
        st.rerun()


def _offer(event: Event, store: EventStore, revision: int, conflict: dict) -> None:
    """Someone saved this event after this analyst opened it: show what they did and
    offer their version or this analyst's changes applied on top of it."""
    ss = st.session_state
    theirs = store.history(event.id)[-1]
    event = theirs.event() or event  # their version, as the primary store holds it
    st.warning(plain(f"{theirs.who} changed this event ({theirs.action}, {theirs.at}"
                     + (f": {theirs.why}" if theirs.why else "") + ") after you opened it. "
                     "Nothing of yours was saved. Their version is shown above; your changes:"))
    now = _values(event)
    st.dataframe(pd.DataFrame([{"field": name, "theirs": now.get(name, ""), "yours": text}
                               for name, text in conflict["mine"]]), hide_index=True, width="stretch")
    left, right = st.columns(2)
    if left.button("Keep their version (drop my changes)", key=f"theirs-{event.id}"):
        ss["edit_conflicts"].pop(event.id)
        ss["edit_opened"][event.id] = revision
        st.rerun()
    if right.button("Apply my changes to their version", key=f"mine-{event.id}"):
        ss["edit_conflicts"].pop(event.id)
        ss["edit_opened"][event.id] = revision
        _save(event, store, revision, conflict["mine"], conflict["why"])


def _delete(event: Event, store: EventStore, base: int) -> None:
    with st.form(f"delete-{event.id}-{base}"):
        why = st.text_input("Why delete it (required; it stays in the history and can be restored)",
                            max_chars=500)
        if not st.form_submit_button("Delete this event"):
            return
    if not why.strip():
        st.error("Nothing was deleted: say why.")
        return
    try:
        change = Change("delete", why.strip(), _who())
        done = _write(store, [], change, {event.id: base}, delete=[event.id])
    except ConflictError:
        st.error(plain("Nothing was deleted: someone changed this event after you opened it; "
                       "look at their version first."))
        st.session_state["edit_opened"].pop(event.id, None)
        return
    except GeodataError as exc:
        st.error(plain(f"Nothing was deleted: {exc}"))
        return
    if done:
        st.session_state.selected = None
        st.session_state.edit_message = f"Deleted {event.id} (restore it from the deleted events below the table)."
        st.rerun()


def history_frame(revisions: list[Revision]) -> pd.DataFrame:
    return pd.DataFrame([{"revision": r.revision, "when": r.at or "before history was kept",
                          "who": r.who, "action": r.action, "changed": ", ".join(r.changes),
                          "why": r.why} for r in revisions])


def _history(event: Event, store: EventStore, revisions: list[Revision]) -> None:
    st.markdown("**History**")
    st.dataframe(history_frame(revisions), hide_index=True, width="stretch")
    _compare(event.id, revisions)
    earlier = [r for r in revisions[:-1] if r.action != "delete"]
    if earlier:
        _restore_form(event.id, store, earlier, "Restore revision")


def _compare(event_id: str, revisions: list[Revision]) -> None:
    """What one revision changed, field by field, against the revision before it."""
    if len(revisions) < 2:
        return
    by_number = {r.revision: r for r in revisions}
    numbers = sorted(by_number, reverse=True)[:-1]  # the first has nothing before it
    number = st.selectbox("What a revision changed", numbers, key=f"compare-{event_id}",
                          format_func=lambda n: f"{n}: {by_number[n].action} by {by_number[n].who}")
    previous = max(n for n in by_number if n < number)
    rows = field_changes(by_number[previous].data, by_number[number].data)
    st.dataframe(pd.DataFrame(rows, columns=["field", f"revision {previous}", f"revision {number}"]),
                 hide_index=True, width="stretch")


def _restore_form(event_id: str, store: EventStore, revisions: list[Revision], label: str) -> None:
    by_number = {r.revision: r for r in revisions}
    with st.form(f"restore-{event_id}-{max(by_number)}"):
        number = st.selectbox(label, sorted(by_number, reverse=True),
                              format_func=lambda n: f"{n}: {by_number[n].action} by {by_number[n].who}")
        why = st.text_input("Why restore it", max_chars=500, key=f"restore-why-{event_id}")
        if not st.form_submit_button("Restore"):
            return
    current = store.event_revisions([event_id]).get(event_id, 0)
    _restore(store, by_number[number], current, why.strip() or f"revision {number} restored")


def _restore(store: EventStore, revision: Revision, current: int, why: str) -> None:
    """Make ``revision``'s record current again (``current``: the stored revision, 0 for
    a deleted event), as a new revision."""
    record = revision.event()
    if record is None:
        st.error(plain(f"Revision {revision.revision} of {revision.id} no longer validates; "
                       "restore another one (python -m geodata history shows them)."))
        return
    try:
        done = _write(store, [record], Change("restore", why, _who()), {revision.id: current})
    except GeodataError as exc:  # a conflict too: someone restored or edited it meanwhile
        st.error(plain(f"Nothing was restored: {exc}"))
        return
    if done:
        st.session_state.edit_message = f"Restored {revision.id} as it was in revision {revision.revision}."
        st.session_state.selected = revision.id
        st.rerun()


def deleted_events(store: EventStore) -> None:
    """The deleted (hidden) events, each restorable."""
    gone = store.deleted()
    if not gone:
        return
    with st.expander(f"Deleted events ({len(gone)})"):
        records = {r.id: r.event() for r in gone}
        st.dataframe(pd.DataFrame([{"id": r.id, "title": records[r.id].title if records[r.id] else "",
                                    "deleted": r.at, "by": r.who, "why": r.why} for r in gone]),
                     hide_index=True, width="stretch")
        by_id = {r.id: r for r in gone}
        with st.form("restore-deleted"):
            event_id = st.selectbox("Event to restore", list(by_id))
            why = st.text_input("Why restore it", max_chars=500, key="restore-deleted-why")
            if not st.form_submit_button("Restore the event"):
                return
        _restore(store, by_id[event_id], 0, why.strip() or "restored after deletion")


def message() -> None:
    """What the last change did, shown once after the page reran."""
    text = st.session_state.pop("edit_message", None)
    if text:
        st.success(plain(text))

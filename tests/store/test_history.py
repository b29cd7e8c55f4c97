"""Edits with history on both backends: every change is a revision with who, when, what
and why; a deletion hides an event without losing it; any revision can be restored; two
analysts editing the same event never overwrite each other silently."""

from __future__ import annotations

import threading

import pytest

from geodata.events.catalogue import Catalogue
from geodata.events.edits import edited, merged
from geodata.events.filters import EventFilter
from geodata.store import Change, ConflictError, StoreError, open_store

KHARKIV = "strike-kharkiv-2024-01-02"


@pytest.fixture
def seeded(store_url):
    store = open_store(store_url, create=True, seed=True)
    yield store
    store.close()


def _edit(store, event_id, who, why, expected=None, **fields):
    before = store.event(event_id)
    after = edited(before, [(k, v) for k, v in fields.items()])
    rev = store.event_revisions([event_id])[event_id] if expected is None else expected
    store.put(Catalogue({}, [after]), change=Change("edit", why, who), expected={event_id: rev})
    return after


def test_an_edit_is_a_new_revision_with_who_when_what_and_why(seeded):
    _edit(seeded, KHARKIV, "alice", "title from the source", title="Strike on Kharkiv (corrected)")
    history = seeded.history(KHARKIV)
    assert (history[0].action, history[0].why) == ("import", "the seed catalogue")
    assert [(r.revision, r.action, r.who) for r in history][-1] == (2, "edit", "alice")
    last = history[-1]
    assert last.why == "title from the source" and last.changes == ["title"]
    assert last.at.startswith("20") and last.at.endswith("+00:00")
    assert history[0].event().title != last.event().title == "Strike on Kharkiv (corrected)"
    assert seeded.event(KHARKIV).title == "Strike on Kharkiv (corrected)"
    assert seeded.event_revisions([KHARKIV]) == {KHARKIV: 2}


def test_the_second_of_two_edits_of_the_same_revision_is_a_conflict_and_writes_nothing(seeded):
    seen = seeded.event_revisions([KHARKIV])[KHARKIV]
    _edit(seeded, KHARKIV, "alice", "first", expected=seen, title="Alice's title")
    with pytest.raises(ConflictError, match=f"revision {seen + 1} stored, you edited revision {seen}"):
        _edit(seeded, KHARKIV, "bob", "second", expected=seen, title="Bob's title")
    assert seeded.event(KHARKIV).title == "Alice's title"
    assert [r.who for r in seeded.history(KHARKIV)][-1] == "alice"


def test_concurrent_editors_of_one_event_each_either_land_or_see_a_conflict(seeded):
    seen = seeded.event_revisions([KHARKIV])[KHARKIV]
    outcome: dict[str, str] = {}

    def edit(name: str) -> None:
        try:
            _edit(seeded, KHARKIV, name, "race", expected=seen, title=f"{name}'s title")
            outcome[name] = "saved"
        except ConflictError:
            outcome[name] = "conflict"

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("ann", "ben", "cat", "dan")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [n for n, o in outcome.items() if o == "saved"]
    assert len(winners) == 1 and sorted(outcome.values()).count("conflict") == 3
    assert seeded.event(KHARKIV).title == f"{winners[0]}'s title"
    assert len(seeded.history(KHARKIV)) == seen + 1


def test_a_deleted_event_is_hidden_everywhere_kept_in_history_and_restored(seeded):
    total = seeded.count()
    record = seeded.event(KHARKIV)
    seeded.put(Catalogue({}, []), change=Change("delete", "duplicate of another report", "alice"),
               delete=[KHARKIV])
    assert seeded.event(KHARKIV) is None and seeded.count() == total - 1
    assert KHARKIV not in {e.id for e in seeded.events(EventFilter.build(kinds=["strike"]))}
    deleted = seeded.deleted()
    assert [(r.id, r.action, r.who, r.why) for r in deleted] == [
        (KHARKIV, "delete", "alice", "duplicate of another report")]
    assert deleted[0].event() == record  # the record as it was deleted
    with pytest.raises(StoreError, match="not stored \\(it was deleted; see its history\\)"):
        seeded.put(Catalogue({}, []), change=Change("delete", "again"), delete=[KHARKIV])

    seeded.put(Catalogue({}, [deleted[0].event()]), change=Change("restore", "was not a duplicate", "bob"),
               expected={KHARKIV: 0})
    assert seeded.event(KHARKIV) == record and seeded.count() == total
    assert [r.action for r in seeded.history(KHARKIV)] == ["import", "delete", "restore"]
    assert seeded.event_revisions([KHARKIV]) == {KHARKIV: 3} and seeded.deleted() == []


def test_restoring_an_earlier_revision_makes_it_current_as_a_new_revision(seeded):
    original = seeded.event(KHARKIV)
    _edit(seeded, KHARKIV, "alice", "wrong fix", title="A wrong title")
    first = seeded.history(KHARKIV)[0]
    seeded.put(Catalogue({}, [first.event()]), change=Change("restore", "undo", "bob"),
               expected={KHARKIV: 2})
    assert seeded.event(KHARKIV) == original
    assert [(r.revision, r.action) for r in seeded.history(KHARKIV)] == [(1, "import"), (2, "edit"), (3, "restore")]


def test_a_merge_keeps_both_citations_and_hides_the_duplicate_in_one_change(seeded):
    keep, drop = seeded.event(KHARKIV), seeded.event("strike-campaign-kp-missiles-2023-12-2024-02")
    before = seeded.revision()
    seeded.put(Catalogue({}, [merged(keep, drop)]), change=Change("merge", "same strike", "alice"),
               expected={keep.id: 1, drop.id: 1}, delete=[drop.id])
    assert seeded.revision() == before + 1  # one write
    kept = seeded.event(KHARKIV)
    assert {c.id for c in kept.sources} >= {c.id for c in drop.sources}
    assert seeded.event(drop.id) is None
    assert [r.action for r in seeded.history(drop.id)] == ["import", "merge"]


def test_a_failed_change_leaves_no_revision_behind(seeded):
    with pytest.raises(StoreError):
        seeded.put(Catalogue({}, [seeded.event(KHARKIV)]), change=Change("delete", "x"), delete=["no-such-event"])
    assert [r.revision for r in seeded.history(KHARKIV)] == [1]


def test_a_change_must_say_who_in_printable_text():
    with pytest.raises(StoreError, match="who: give at most 500 printable characters"):
        Change("edit", "why", "eve\nmallory")
    with pytest.raises(StoreError, match="action 'rename' is not one of"):
        Change("rename", "", "eve")

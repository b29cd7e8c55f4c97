"""The details panel's corrections (AppTest): an edit is saved as a revision with the
analyst's name and reason, the history lists it, a second analyst's save over a change
made meanwhile is refused and offered the other's version, and a deleted event can be
restored."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geodata.events.catalogue import Catalogue
from geodata.events.edits import edited
from geodata.store import Change, open_store
from tests.dashboard.conftest import APP

KHARKIV = "strike-kharkiv-2024-01-02"


@pytest.fixture
def page(seeded_db, monkeypatch):
    monkeypatch.setenv("GEODATA_DB", seeded_db)
    monkeypatch.setenv("GEODATA_ANALYST", "Alice Analyst")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["event"] = KHARKIV
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _input(at, label: str):
    return next(w for w in at.text_input if w.label.startswith(label))


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def _shown(text: str) -> str:
    """A message as the reader sees it (plain() escapes Markdown and breaks links)."""
    return text.replace("\\", "").replace("\u200b", "")


def _history(at) -> list[dict]:
    frame = next(d.value for d in at.dataframe if list(d.value.columns)[:3] == ["revision", "when", "who"])
    return frame.to_dict("records")


def test_a_correction_is_saved_with_the_analysts_name_and_reason(page, seeded_db):
    at = page
    _input(at, "Title").set_value("Missile strike on Kharkiv, corrected")
    _input(at, "Why (kept").set_value("title as the source gives it")
    _button(at, "Save the correction").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("revision 2 by Alice Analyst" in s.value for s in at.success)
    store = open_store(seeded_db)
    assert store.event(KHARKIV).title == "Missile strike on Kharkiv, corrected"
    last = store.history(KHARKIV)[-1]
    assert (last.who, last.action, last.why, last.changes) == (
        "Alice Analyst", "edit", "title as the source gives it", ["title"])
    assert _history(at)[-1] | {"when": None} == {
        "revision": 2, "when": None, "who": "Alice Analyst", "action": "edit", "changed": "title",
        "why": "title as the source gives it"}
    compared = next(d.value for d in at.dataframe if list(d.value.columns) == ["field", "revision 1", "revision 2"])
    assert compared.to_dict("records") == [{"field": "title", "revision 1": "North Korean Hwasong-11 missile hits Kharkiv",
                                            "revision 2": "Missile strike on Kharkiv, corrected"}]


def test_a_bad_date_is_refused_in_one_line_and_nothing_is_saved(page, seeded_db):
    at = page
    _input(at, "Date (").set_value("2024-02-30")
    _button(at, "Save the correction").click().run()
    assert not at.exception
    assert [_shown(e.value) for e in at.error] == [
        "Nothing was saved: date '2024-02-30': day is out of range for month; give 2024-01-02, "
        "2024-01, 2024 or 2023-12/2024-02"]
    assert len(open_store(seeded_db).history(KHARKIV)) == 1


def test_a_save_after_someone_elses_change_is_offered_their_version(page, seeded_db):
    at = page
    store = open_store(seeded_db)  # Bob saves first, from his own session
    bob = edited(store.event(KHARKIV), [("date_note", "from the mayor's statement")])
    store.put(Catalogue({}, [bob]), change=Change("edit", "source checked", "Bob"), expected={KHARKIV: 1})

    _input(at, "Title").set_value("Alice's title")
    _button(at, "Save the correction").click().run()
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "Bob changed this event" in warning and "Nothing of yours was saved" in warning
    assert open_store(seeded_db).event(KHARKIV).title != "Alice's title"

    _button(at, "Apply my changes to their version").click().run()
    assert not at.exception
    now = open_store(seeded_db).event(KHARKIV)
    assert now.title == "Alice's title" and now.date_note == "from the mayor's statement"
    assert [r.who for r in open_store(seeded_db).history(KHARKIV)][1:] == ["Bob", "Alice Analyst"]


def test_keeping_their_version_writes_nothing(page, seeded_db):
    at = page
    store = open_store(seeded_db)
    bob = edited(store.event(KHARKIV), [("title", "Bob's title")])
    store.put(Catalogue({}, [bob]), change=Change("edit", "", "Bob"), expected={KHARKIV: 1})
    _input(at, "Title").set_value("Alice's title")
    _button(at, "Save the correction").click().run()
    _button(at, "Keep their version (drop my changes)").click().run()
    assert not at.exception and not at.warning
    assert open_store(seeded_db).event(KHARKIV).title == "Bob's title"
    assert len(open_store(seeded_db).history(KHARKIV)) == 2


def test_a_deleted_event_leaves_the_map_and_can_be_restored(page, seeded_db):
    at = page
    _input(at, "Why delete it").set_value("duplicate of a wire report")
    _button(at, "Delete this event").click().run()
    assert not at.exception
    assert open_store(seeded_db).event(KHARKIV) is None
    assert any("34 of 34 events" in m.value for m in at.markdown)
    gone = next(d.value for d in at.dataframe if "deleted" in d.value.columns)
    assert gone.to_dict("records")[0] | {"deleted": None} == {
        "id": KHARKIV, "title": open_store(seeded_db).history(KHARKIV)[0].event().title,
        "deleted": None, "by": "Alice Analyst", "why": "duplicate of a wire report"}
    _button(at, "Restore the event").click().run()
    assert not at.exception and not at.error, [_shown(e.value) for e in at.error]
    assert open_store(seeded_db).event(KHARKIV) is not None
    assert any("35 of 35 events" in m.value for m in at.markdown)
    assert [r.action for r in open_store(seeded_db).history(KHARKIV)] == ["import", "delete", "restore"]


def test_the_page_reads_from_the_read_url_and_writes_to_the_primary(seeded_db, tmp_path, monkeypatch):
    """GEODATA_DB_READ (a replica): counts come from it, corrections go to GEODATA_DB."""
    import shutil

    replica = tmp_path / "replica.sqlite"
    shutil.copyfile(seeded_db, replica)
    lagging = open_store(str(replica))
    lagging.put(Catalogue({}, []), change=Change("delete", "only on the replica", "test"), delete=[KHARKIV])
    lagging.close()
    monkeypatch.setenv("GEODATA_DB", seeded_db)
    monkeypatch.setenv("GEODATA_DB_READ", str(replica))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["event"] = "strike-campaign-kp-missiles-2023-12-2024-02"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("34 of 34 events" in m.value for m in at.markdown)  # what the replica holds
    _input(at, "Date note").set_value("as the campaign summary gives it")
    _button(at, "Save the correction").click().run()
    assert not at.exception and not at.error, [_shown(e.value) for e in at.error]
    assert open_store(seeded_db).event("strike-campaign-kp-missiles-2023-12-2024-02").date_note \
        == "as the campaign summary gives it"
    assert open_store(str(replica)).history("strike-campaign-kp-missiles-2023-12-2024-02")[-1].action == "import"


def test_an_earlier_revision_is_restored_from_the_history(page, seeded_db):
    at = page
    original = open_store(seeded_db).event(KHARKIV)
    _input(at, "Title").set_value("A wrong title")
    _button(at, "Save the correction").click().run()
    restore = next(s for s in at.selectbox if s.label == "Restore revision")
    assert restore.options == ["1: import by " + open_store(seeded_db).history(KHARKIV)[0].who]
    _input(at, "Why restore it").set_value("the old title was right")
    _button(at, "Restore").click().run()
    assert not at.exception and not at.error, [_shown(e.value) for e in at.error]
    assert open_store(seeded_db).event(KHARKIV) == original
    last = open_store(seeded_db).history(KHARKIV)[-1]
    assert (last.revision, last.action, last.who, last.why) == (3, "restore", "Alice Analyst", "the old title was right")


def test_a_delete_without_a_reason_deletes_nothing(page, seeded_db):
    at = page
    _button(at, "Delete this event").click().run()
    assert not at.exception
    assert [_shown(e.value) for e in at.error] == ["Nothing was deleted: say why."]
    assert open_store(seeded_db).event(KHARKIV) is not None

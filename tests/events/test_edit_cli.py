"""``python -m geodata edit / delete / merge / restore / history``: corrections an analyst
makes by command line, each a revision with who, when, what and why; bad input is one
line naming the problem, and the store is unchanged."""

from __future__ import annotations

import json

from geodata.store import open_store

KHARKIV = "strike-kharkiv-2024-01-02"
CAMPAIGN = "strike-campaign-kp-missiles-2023-12-2024-02"


def _one_line_error(result, text: str) -> None:
    assert result.returncode == 2, result.stderr
    assert text in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_edit_then_history_lists_who_when_what_and_why(cli, seeded_db):
    done = cli("edit", KHARKIV, "--set", "title=Strike on Kharkiv, corrected", "--set", "date=2024-01",
               "--set", "tags=verified, night", "--analyst", "Alice Analyst", "--reason", "checked the source",
               "--db", seeded_db)
    assert done.returncode == 0, done.stderr
    assert f"event {KHARKIV}: revision 2 (edit by Alice Analyst: checked the source)" in done.stderr
    event = open_store(seeded_db).event(KHARKIV)
    assert (event.title, event.date_precision.value, event.tags) == (
        "Strike on Kharkiv, corrected", "month", ["verified", "night"])
    lines = cli("history", KHARKIV, "--db", seeded_db).stdout.splitlines()
    assert lines[-1].split("\t")[2:] == [
        "Alice Analyst", "edit [date_end, date_precision, date_start, tags, title]: checked the source"]
    changes = cli("history", KHARKIV, "--changes", "--db", seeded_db).stdout.splitlines()
    assert "    date_precision: day -> month" in changes
    assert "    tags: [] -> [\"verified\", \"night\"]" in changes
    records = [json.loads(line) for line in cli("history", KHARKIV, "--json", "--db", seeded_db).stdout.splitlines()]
    assert records[0]["record"]["date_start"] == "2024-01-02" and records[1]["record"]["date_start"] == "2024-01-01"


def test_an_edit_of_a_revision_someone_else_changed_writes_nothing(cli, seeded_db):
    assert cli("edit", KHARKIV, "--set", "date_note=as the source says", "--analyst", "alice", "--db", seeded_db).returncode == 0
    late = cli("edit", KHARKIV, "--set", "title=Bob's title", "--revision", "1", "--analyst", "bob", "--db", seeded_db)
    _one_line_error(late, "changed by someone else meanwhile (revision 2 stored, you edited revision 1)")
    assert open_store(seeded_db).event(KHARKIV).title != "Bob's title"


def test_bad_edits_are_one_line_and_change_nothing(cli, seeded_db):
    before = open_store(seeded_db).revision()
    for args, message in (
            (["--set", "id=other"], "--set id: not a field you can edit (it identifies the event)"),
            (["--set", "kind=spaceship"], "kind: Input should be"),
            (["--set", "date=2024-13-45"], "date '2024-13-45': month must be in 1..12"),
            (["--set", "systems=Not-A-Missile"], "unknown weapon system 'Not-A-Missile'"),
            (["--set", "place={oops"], "place: not valid JSON"),
            (["--set", "title=x", "--analyst", "a\tb"], "who: give at most 500 printable characters")):
        _one_line_error(cli("edit", KHARKIV, *args, "--db", seeded_db), message)
    _one_line_error(cli("edit", "no-such-event", "--set", "title=x", "--db", seeded_db),
                    "event no-such-event: not in")
    assert open_store(seeded_db).revision() == before


def test_delete_hides_the_event_from_exports_and_restore_brings_it_back(cli, seeded_db, tmp_path):
    assert cli("delete", KHARKIV, "--reason", "a duplicate", "--analyst", "alice", "--db", seeded_db).returncode == 0
    out = tmp_path / "after.geojson"
    assert cli("export", str(out), "--db", seeded_db).returncode == 0
    assert KHARKIV not in out.read_text() and len(json.loads(out.read_text())["features"]) == 34
    listed = cli("history", "--deleted", "--db", seeded_db).stdout
    assert listed.startswith(f"{KHARKIV}\t2\t") and "alice\tdelete: a duplicate" in listed
    _one_line_error(cli("edit", KHARKIV, "--set", "title=x", "--db", seeded_db),
                    "(it was deleted: see `history` and `restore`)")
    _one_line_error(cli("restore", KHARKIV, "--revision", "9", "--db", seeded_db),
                    "--revision 9: event strike-kharkiv-2024-01-02 has revisions 1 to 2")
    back = cli("restore", KHARKIV, "--revision", "2", "--reason", "not a duplicate", "--db", seeded_db)
    assert back.returncode == 0, back.stderr
    assert open_store(seeded_db).count() == 35
    assert "restore: not a duplicate" in cli("history", KHARKIV, "--db", seeded_db).stdout


def test_merge_moves_the_duplicates_citations_and_hides_it(cli, seeded_db):
    store = open_store(seeded_db)
    drop_sources = {c.id for c in store.event(CAMPAIGN).sources}
    done = cli("merge", KHARKIV, CAMPAIGN, "--analyst", "alice", "--db", seeded_db)
    assert done.returncode == 0, done.stderr
    store = open_store(seeded_db)
    assert store.event(CAMPAIGN) is None and {c.id for c in store.event(KHARKIV).sources} >= drop_sources
    assert f"merge: {CAMPAIGN} merged into {KHARKIV}" in cli("history", CAMPAIGN, "--db", seeded_db).stdout
    transfer = next(e.id for e in store.events() if e.kind.value == "transfer")
    _one_line_error(cli("merge", KHARKIV, transfer, "--db", seeded_db), "are not duplicates")


def test_merge_points_the_links_to_the_duplicate_at_the_event_it_was_merged_into(cli, seeded_db):
    belgorod, voronezh = "launch-site-belgorod-2023-12-2024-02", "launch-site-voronezh-2023-12-2024-02"
    done = cli("merge", belgorod, voronezh, "--reason", "one launch area", "--analyst", "alice", "--db", seeded_db)
    assert done.returncode == 0, done.stderr
    store = open_store(seeded_db)
    campaign = store.event(CAMPAIGN)
    assert [link.target for link in campaign.links] == [belgorod, "launch-site-kursk-2023-12-2024-02"]
    assert [e.id for e in store.linking(voronezh)] == []
    assert CAMPAIGN in {e.id for e in store.linking(belgorod)}
    last = store.history(CAMPAIGN)[-1]
    assert (last.action, last.who, last.why, last.changes) == ("merge", "alice", "one launch area", ["links"])


def test_a_deleted_event_stays_deleted_when_its_dataset_is_imported_again(cli, seeded_db, tmp_path):
    exported = tmp_path / "all.geojson"
    assert cli("export", str(exported), "--db", seeded_db).returncode == 0
    assert cli("delete", KHARKIV, "--reason", "wrong", "--db", seeded_db).returncode == 0
    again = cli("import", str(exported), "--db", seeded_db)
    assert again.returncode == 0, again.stderr
    assert "1 events deleted in the store were left deleted (give --restore-deleted" in again.stderr
    assert open_store(seeded_db).event(KHARKIV) is None
    back = cli("import", str(exported), "--restore-deleted", "--db", seeded_db)
    assert back.returncode == 0, back.stderr
    assert open_store(seeded_db).event(KHARKIV) is not None
    assert [r.action for r in open_store(seeded_db).history(KHARKIV)][-2:] == ["delete", "import"]


def test_a_deleted_dataset_row_stays_deleted_on_the_next_import_of_the_dataset(cli, seeded_db, tmp_path):
    from tests.io.acled_fixture import acled_row, write_acled

    dataset = write_acled(tmp_path / "acled.csv", [acled_row(), acled_row(event_id_cnty="UKR9")])
    assert cli("import", str(dataset), "--db", seeded_db).returncode == 0
    dropped = sorted(e.id for e in open_store(seeded_db).events() if e.id.startswith("acled-"))[0]
    assert cli("delete", dropped, "--reason", "duplicate row", "--db", seeded_db).returncode == 0
    again = cli("import", str(dataset), "--db", seeded_db)
    assert "0 new, 0 updated, 1 unchanged, 0 rejected" in again.stderr
    assert "1 events deleted in the store were left deleted" in again.stderr
    assert open_store(seeded_db).event(dropped) is None
    back = cli("import", str(dataset), "--restore-deleted", "--db", seeded_db)
    assert "1 new, 0 updated, 1 unchanged" in back.stderr and open_store(seeded_db).event(dropped)


def test_a_delete_without_a_reason_and_a_history_without_an_event_are_one_line(cli, seeded_db):
    before = open_store(seeded_db).revision()
    _one_line_error(cli("delete", KHARKIV, "--reason", "  ", "--db", seeded_db),
                    "--reason: say why the event is deleted")
    _one_line_error(cli("history", "--db", seeded_db), "give an event ID, or --deleted")
    _one_line_error(cli("history", KHARKIV, "--deleted", "--db", seeded_db), "give an event ID, or --deleted")
    assert open_store(seeded_db).revision() == before and open_store(seeded_db).event(KHARKIV)

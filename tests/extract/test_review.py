"""From a report to stored events: matching stored events, corroboration, row edits,
all-or-nothing writes, and `python -m geodata add-report`. Texts are our own words."""

from datetime import date

import pytest

from geodata.events.corroborate import compare, corroborate, CorroborationError, find_matches
from geodata.events.model import Event, Source, Status
from geodata.extract.report import Extractor
from geodata.extract.review import NEW, Review, ReviewError, RowEditor, report_source, review, store_accepted
from geodata.store import Store

KHARKIV = {"name": "Kharkiv", "lat": 49.98, "lon": 36.25, "country": "UA", "geo_precision": 1, "radius_km": 10}
REPORT = """Missile hits Kharkiv, officials count the dead

KHARKIV, Ukraine (Test Wire) — A North Korean KN-23 missile struck Kharkiv on January 2, 2024, \
killing five people, regional officials said.
"""


def event(**changes) -> Event:
    record = {"id": "strike-new", "kind": "strike", "title": "Strike: Kharkiv", "date": "2024-01-02",
              "place": KHARKIV, "systems": ["kn-23"], "status": "reported",
              "sources": [{"id": "report-x", "evidence": "Says a missile hit Kharkiv."}]}
    return Event.model_validate({**record, **changes})


def source(publisher: str = "Test Wire") -> Source:
    return Source(id="report-x", publisher=publisher, title="A report", published=date(2024, 1, 3))


@pytest.fixture(scope="module")
def extractor(geocoder):
    return Extractor(geocoder)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "events.sqlite")  # seeded with the 35 seed events
    yield s
    s.close()


def test_same_kind_close_date_and_place_is_a_match():
    stored = event(id="strike-stored", sources=[{"id": "seed-004", "evidence": "x"}])
    match = compare(stored, event(date="2024-01-04"))
    assert match is not None and match.days_apart == 2 and match.distance_km == 0


@pytest.mark.parametrize("changes, why", [
    ({"date": "2024-01-09"}, "a week apart"),
    ({"place": {**KHARKIV, "name": "Odesa", "lat": 46.48, "lon": 30.72}}, "another city"),
    ({"systems": ["iskander-m"]}, "another named system"),
    ({"kind": "incident"}, "another kind"),
])
def test_what_is_not_the_same_event(changes, why):
    stored = event(id="strike-stored")
    assert compare(stored, event(**changes)) is None, why


def test_an_unnamed_north_korean_missile_fits_a_named_one():
    stored = event(id="strike-stored")
    assert compare(stored, event(systems=["kp-ballistic-missile"])) is not None


def test_matches_are_ranked_nearest_first():
    near = event(id="strike-near")
    far = event(id="strike-far", place={**KHARKIV, "lat": 50.3, "lon": 36.9, "radius_km": 80})
    assert [m.event.id for m in find_matches(event(), [far, near])] == ["strike-near", "strike-far"]


def test_corroboration_cites_the_report_and_keeps_both_figures():
    stored = event(id="strike-stored", sources=[{"id": "seed-004", "evidence": "x"}],
                   casualties={"killed": 3}, quantities=[{"value": 2, "unit": "missiles"}])
    new = event(casualties={"killed": 5}, quantities=[{"value": 3, "unit": "missile"}],
                attribution=[{"claimant": "Regional officials", "basis": "official_statement"}])
    merged = corroborate(stored, new, source(), {"seed-004": "UN panel"})
    assert [c.id for c in merged.sources] == ["seed-004", "report-x"]
    assert merged.status == Status.CORROBORATED
    assert merged.casualties.killed == 3 and merged.quantities[0].value == 2  # nothing overwritten
    differ = {d.field: [(v.source, v.value) for v in d.values] for d in merged.discrepancies}
    assert differ == {"killed": [("seed-004", "3"), ("report-x", "5")],
                      "quantity": [("seed-004", "2 missiles"), ("report-x", "3 missile")]}
    assert merged.attribution[0].claimant == "Regional officials"
    assert merged.attribution[0].source == "report-x"


def test_a_second_report_from_the_same_publisher_does_not_corroborate():
    stored = event(id="strike-stored", sources=[{"id": "seed-004", "evidence": "x"}])
    merged = corroborate(stored, event(), source("UN panel"), {"seed-004": "UN panel"})
    assert merged.status == Status.REPORTED


def test_a_report_cannot_be_cited_twice():
    stored = event(id="strike-stored")
    with pytest.raises(CorroborationError, match="already cites report-x"):
        corroborate(stored, event(), source(), {})


def test_a_retold_strike_is_offered_as_corroboration_and_stored_only_on_accept(extractor, store):
    published = date(2024, 1, 3)
    src = report_source(REPORT, published, "Test Wire")
    assert src.title == "Missile hits Kharkiv, officials count the dead"
    found = extractor.extract(REPORT, published, "Test Wire", source_id=src.id)
    pending = review(found, src, store)
    rows = pending.rows()
    strike = next(r for r in rows if r["kind"] == "strike" and r["place"].lower() == "kharkiv")
    assert strike["store_as"] == "strike-kharkiv-2024-01-02"
    assert store.revision() == 1 and src.id not in store.sources()  # nothing written yet

    for row in rows:
        row["accept"] = row is strike
    stored = store_accepted(pending, rows, store, extractor.geocoder)
    assert stored.corroborated == ["strike-kharkiv-2024-01-02"] and stored.added == []
    seed_event = store.event("strike-kharkiv-2024-01-02")
    assert [c.id for c in seed_event.sources] == ["seed-004", src.id]
    assert seed_event.status == Status.CONFIRMED  # a media retelling does not lower or raise it
    killed = next(d for d in seed_event.discrepancies if d.field == "killed")
    assert [v.value for v in killed.values] == ["at least 3", "5"]
    assert store.count() == 35

    again = review(extractor.extract(REPORT, published, "Test Wire", source_id=src.id), src, store)
    assert "strike-kharkiv-2024-01-02" in again.done
    assert all(e.kind != "strike" or e.place.name.lower() != "kharkiv" for e in again.events)


def _one_row(extractor, store, **edits):
    published = date(2024, 1, 3)
    src = report_source(REPORT, published, "Test Wire")
    pending = review(extractor.extract(REPORT, published, "Test Wire", source_id=src.id), src, store)
    rows = pending.rows()
    for row in rows:
        row["accept"] = False
    row = next(r for r in rows if r["kind"] == "strike")
    row.update({"accept": True, "store_as": NEW, **edits})
    return pending, rows


def test_an_edited_place_is_geocoded_again(extractor, store):
    pending, rows = _one_row(extractor, store, place="Odesa", title="Strike on Odesa (edited)")
    stored = store_accepted(pending, rows, store, extractor.geocoder)
    saved = store.event(stored.added[0])
    assert saved.title == "Strike on Odesa (edited)"
    assert saved.place.name == "Odesa" and abs(saved.place.lat - 46.48) < 0.2 and saved.place.country == "UA"
    assert saved.sources[0].id == stored.source and store.count() == 36


@pytest.mark.parametrize("edits, message", [
    ({"date": "2 Jan"}, r"row \d+.*date.*not a date"),
    ({"date": ""}, r"row \d+, date: empty"),
    ({"systems": "KN-23, Zircon-X"}, r"row \d+.*systems.*unknown weapon system 'Zircon-X'"),
    ({"place": "Qwxzyplk"}, r"row \d+, place: 'Qwxzyplk' is not in the gazetteer"),
    ({"quantity": 4, "unit": ""}, r"row \d+, unit: a quantity needs its unit"),
    ({"killed": 2.5}, r"row \d+, killed: 2.5 is not a whole number"),
    ({"kind": "transfer"}, r"row \d+.*needs an origin and a destination"),
    ({"kind": "bombing"}, r"row \d+, kind: 'bombing' is not one of"),
    ({"title": ""}, r"row \d+.*title"),
    ({"store_as": "strike-nowhere"}, r"row \d+, store_as: no stored event 'strike-nowhere'"),
    ({"store_as": "launch-site-belgorod-2023-12-2024-02"}, r"row \d+, store_as: .* is a launch_site"),
])
def test_a_bad_edit_names_row_and_field_and_stores_nothing(extractor, store, edits, message):
    pending, rows = _one_row(extractor, store, **edits)
    before = store.revision()
    with pytest.raises(ReviewError, match=message):
        store_accepted(pending, rows, store, extractor.geocoder)
    assert store.revision() == before and store.count() == 35
    assert pending.source.id not in store.sources()


def test_nothing_accepted_is_an_error_not_a_silent_no_op(extractor, store):
    pending, rows = _one_row(extractor, store)
    for row in rows:
        row["accept"] = False
    with pytest.raises(ReviewError, match="no row is accepted"):
        store_accepted(pending, rows, store, extractor.geocoder)


def test_report_source_needs_a_publisher():
    with pytest.raises(ReviewError, match="publisher"):
        report_source(REPORT, date(2024, 1, 3), "  ")


def test_cli_add_report_lists_then_stores_what_is_accepted(cli, seeded_db, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    db = seeded_db
    args = ["add-report", str(report), "--published", "2024-01-03", "--publisher", "Test Wire", "--db", db]
    listed = cli(*args)
    assert listed.returncode == 0, listed.stderr
    assert "stored as corroboration of strike-kharkiv-2024-01-02" in listed.stdout
    assert "nothing stored" in listed.stdout
    assert Store(db).count() == 35 and not any(s.startswith("report-") for s in Store(db).sources())

    bad = cli(*args, "--accept", "strike-nope")
    assert bad.returncode == 2 and "no candidate strike-nope" in bad.stderr

    done = cli(*args, "--accept", "all")
    assert done.returncode == 0, done.stderr
    assert "corroborated 1" in done.stdout
    assert any(c.id.startswith("report-") for c in Store(db).event("strike-kharkiv-2024-01-02").sources)

    again = cli(*args, "--accept", "all")
    assert "already stored from this report: strike-kharkiv-2024-01-02" in again.stdout


@pytest.mark.parametrize("args, message", [
    (["--published", "3 Jan 2024"], "--published '3 Jan 2024' is not a date"),
    (["--published", "2024-01-03", "--publisher", ""], "publisher"),
])
def test_cli_add_report_bad_input(cli, tmp_path, args, message):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    out = cli("add-report", str(report), "--publisher", "Test Wire", *args, "--db", str(tmp_path / "x.sqlite"))
    assert out.returncode == 2 and message in out.stderr


def test_a_route_with_an_unstated_origin_is_kept_or_completed_by_the_analyst(geocoder, store):
    src = source()
    shipment = Event.model_validate({
        "id": "transfer-new", "kind": "transfer", "title": "Shells to Russia", "date": "2024-02",
        "origin": {"name": "not stated in the report"},
        "destination": {"name": "Russia", "lat": 61.5, "lon": 105.3, "country": "RU", "geo_precision": 4},
        "status": "reported", "sources": [{"id": src.id, "evidence": "Says shells reached Russia."}]})
    pending = Review(src, [shipment], [[]])
    rows = pending.rows()
    assert rows[0]["origin"] == "not stated in the report" and rows[0]["store_as"] == NEW
    rows[0]["accept"] = True
    kept = RowEditor(geocoder, src).event(1, rows[0], shipment)
    assert kept.origin.name == "not stated in the report" and not kept.origin.located
    rows[0]["origin"] = "North Korea"
    completed = RowEditor(geocoder, src).event(1, rows[0], shipment)
    assert completed.origin.country == "KP" and completed.origin.located
    assert store_accepted(pending, rows, store, geocoder).added == ["transfer-new"]
    assert store.event("transfer-new").origin.country == "KP"


def test_strikes_a_report_lists_on_several_days_are_stored_each_with_its_own_id(cli, seeded_db, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("Russia fired North Korean KN-23 missiles at Sumy on 6 February and 8 February, the governor "
                      "said.", encoding="utf-8")
    done = cli("add-report", str(report), "--published", "2025-02-10", "--publisher", "Test Wire", "--db", seeded_db,
               "--accept", "all")
    assert done.returncode == 0, done.stderr
    stored = [e for e in Store(seeded_db).events() if any(s.id.startswith("report-") for s in e.sources)]
    assert sorted(str(e.date_start) for e in stored) == ["2025-02-06", "2025-02-08"]

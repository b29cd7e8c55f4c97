"""The importer core, with any reader: idempotent re-import, provenance, dry run,
all or nothing, rejects, geocoding with the row's stated units, links."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from geodata.io.datasets import DatasetError, event_id, import_dataset
from geodata.io.readers.base import DatasetInfo, PlaceText, Row, RowError
from tests.io.acled_fixture import acled_row, empty_store, write_acled  # noqa: F401


@pytest.fixture
def acled(tmp_path):
    return write_acled(tmp_path / "acled.csv", [
        acled_row(),
        acled_row(event_id_cnty="UKR900002", event_date="05/02/2024", location="Sumy",
                  admin1="Sumy", latitude="50.9077", longitude="34.7981"),
    ])


def test_importing_the_same_file_twice_adds_nothing(empty_store, acled, geocoder):
    first = import_dataset(empty_store, acled, geocoder=geocoder)
    assert (first.new, first.updated, first.unchanged) == (2, 0, 0)
    revision = empty_store.revision()
    again = import_dataset(empty_store, acled, geocoder=geocoder)
    assert (again.new, again.updated, again.unchanged, again.rejected) == (0, 0, 2, 0)
    assert empty_store.revision() == revision  # nothing was written at all
    assert empty_store.count() == 2


def test_a_changed_row_updates_its_event_and_the_summary_says_so(empty_store, acled, geocoder, tmp_path):
    import_dataset(empty_store, acled, geocoder=geocoder)
    changed = write_acled(tmp_path / "acled-v2.csv", [
        acled_row(fatalities="5"),
        acled_row(event_id_cnty="UKR900002", event_date="05/02/2024", location="Sumy",
                  admin1="Sumy", latitude="50.9077", longitude="34.7981"),
    ])
    summary = import_dataset(empty_store, changed, geocoder=geocoder)
    assert (summary.new, summary.updated, summary.unchanged) == (0, 2, 0)  # a new file: new citation
    assert empty_store.event("acled-ukr900001").casualties.killed == 5
    assert any(line.startswith("acled-ukr900001: ") and "casualties" in line for line in summary.updates)
    assert "updated acled-ukr900001" in "\n".join(summary.lines())
    assert empty_store.count() == 2


def test_every_event_cites_the_file_with_its_hash_row_and_the_datasets_reference(empty_store, acled, geocoder):
    summary = import_dataset(empty_store, acled, geocoder=geocoder)
    sha = hashlib.sha256(acled.read_bytes()).hexdigest()
    source = empty_store.sources()[f"dataset-acled-{sha[:12]}"]
    assert summary.source_id == source.id
    assert source.publisher.startswith("Armed Conflict Location & Event Data")
    assert source.title == "ACLED: acled.csv"
    assert source.published == date(2024, 2, 5)  # the newest row date
    assert "newest event date" in source.published_reasoning
    assert str(source.url) == "https://acleddata.com/"
    assert sha in source.note
    citation = empty_store.event("acled-ukr900002").sources[0]
    assert citation.id == source.id
    assert citation.evidence == (f"row 2 of acled.csv (sha256 {sha[:12]}…): ACLED UKR900002; "
                                 "reported by Example Daily; Regional Wire")


def test_a_dry_run_writes_nothing(empty_store, acled, geocoder, tmp_path):
    revision = empty_store.revision()
    summary = import_dataset(empty_store, acled, dry_run=True, rejects=tmp_path / "rej.csv",
                             geocoder=geocoder)
    assert (summary.new, summary.events) == (2, 2)
    assert empty_store.revision() == revision and empty_store.count() == 0
    assert empty_store.sources() == {}
    assert not (tmp_path / "rej.csv").exists()
    assert "dry run: nothing was written" in summary.lines()[-1]


def test_one_bad_row_stores_nothing_and_the_error_names_row_and_field(empty_store, tmp_path, geocoder):
    path = write_acled(tmp_path / "acled.csv", [acled_row(), acled_row(event_id_cnty="UKR2",
                                                                       longitude="200")])
    with pytest.raises(DatasetError, match=r"acled.csv: row 2 \(UKR2\): place: coordinates .* "
                                           r"outside .*nothing was stored"):
        import_dataset(empty_store, path, geocoder=geocoder)
    assert empty_store.count() == 0 and empty_store.revision() == 0


def test_skip_invalid_writes_the_rejects_and_imports_the_rest(empty_store, tmp_path, geocoder):
    path = write_acled(tmp_path / "acled.csv", [
        acled_row(),
        acled_row(event_id_cnty="UKR2", event_date="=HYPERLINK(\"x\")"),
        acled_row(event_id_cnty="UKR3", fatalities="many"),
        acled_row(),  # the id again
    ])
    rejects = tmp_path / "rejects.csv"
    summary = import_dataset(empty_store, path, rejects=rejects, geocoder=geocoder)
    assert (summary.events, summary.rejected, empty_store.count()) == (1, 3, 1)
    with rejects.open(encoding="utf-8", newline="") as f:
        got = list(csv.DictReader(f))
    assert [(r["row"], r["native_id"]) for r in got] == [("2", "UKR2"), ("3", "UKR3"), ("4", "UKR900001")]
    assert got[0]["event_date"] == "'=HYPERLINK(\"x\")"  # a formula is text
    assert got[0]["reason"].startswith("'event_date: ") or got[0]["reason"].startswith("event_date: ")
    assert got[1]["reason"] == "fatalities: 'many' is not a number"
    assert got[2]["reason"] == "id 'UKR900001' is also the id of row 1"
    assert got[1]["notes"] == "Invented: a missile struck a depot."
    assert "rejected rows (first 3):" in "\n".join(summary.lines())


def test_a_rejects_file_may_not_be_the_store_or_the_input(empty_store, acled, geocoder):
    with pytest.raises(Exception, match="must not be overwritten"):
        import_dataset(empty_store, acled, rejects=acled, geocoder=geocoder)
    with pytest.raises(Exception, match="must not be overwritten"):
        import_dataset(empty_store, acled, rejects=empty_store.path, geocoder=geocoder)
    assert empty_store.count() == 0


# -- places without coordinates, links: a reader written for the test ---------------------

class ListReader:
    """Rows given in the test, as any reader would give them."""

    format = "listed"

    def __init__(self, rows: list[Row | RowError]):
        self._rows = rows

    def sniff(self, path: Path) -> bool:
        return False

    def describe(self, path: Path) -> DatasetInfo:
        return DatasetInfo("Listed", "Test Publisher")

    def rows(self, path: Path) -> Iterator[Row | RowError]:
        yield from self._rows


def row(number: int, native: str, place: PlaceText | None, **fields) -> Row:
    base = {"kind": "strike", "title": f"Strike {native}", "date": "2024-05-01"}
    return Row(number, native, {**base, **fields}, place=place, link=f"https://example.org/{native}")


@pytest.fixture
def anyfile(tmp_path):
    path = tmp_path / "listed.txt"
    path.write_text("the rows are given by the test reader\n")
    return path


def test_places_without_coordinates_are_geocoded_within_their_stated_units(empty_store, anyfile, geocoder):
    reader = ListReader([
        row(1, "a", PlaceText("Kharkiv", admin1="Kharkiv Oblast", country="Ukraine")),
        # a province the gazetteer does not know: the country still constrains
        row(2, "b", PlaceText("Kharkiv", admin1="Atlantis Oblast", country="UA")),
        # a town not in the stated province: the province, as an area, said so
        row(3, "c", PlaceText("Zzyzxville", admin1="Kharkiv Oblast", country="UA")),
    ])
    summary = import_dataset(empty_store, anyfile, reader, geocoder=geocoder)
    a, b, c = (empty_store.event(f"listed-{x}") for x in "abc")
    assert a.place.country == "UA" and a.place.geo_precision == 1 and abs(a.place.lat - 49.99) < 0.1
    assert b.place.country == "UA" and abs(b.place.lon - a.place.lon) < 0.01
    assert c.place.geo_status == "fallback" and c.place.geo_precision == 3
    assert summary.approximate == {"Zzyzxville": 1}
    assert a.sources[0].evidence.endswith("https://example.org/a")


def test_a_place_that_does_not_resolve_is_rejected_and_counted(empty_store, anyfile, geocoder, tmp_path):
    reader = ListReader([row(1, "a", PlaceText("Qwzxqv")), row(2, "b", PlaceText("Qwzxqv")),
                         row(3, "c", PlaceText("Kyiv", country="Atlantis"))])
    summary = import_dataset(empty_store, anyfile, reader, geocoder=geocoder,
                             rejects=tmp_path / "r.csv")
    assert summary.unresolved == {"Qwzxqv": 2, "Kyiv": 1}
    assert "place 'Kyiv': unknown country 'Atlantis'" in summary.reasons[2]
    assert "places not found (rows rejected): Qwzxqv (2); Kyiv (1)" in "\n".join(summary.lines())


def test_links_point_at_events_of_the_same_file_and_fail_with_their_target(empty_store, anyfile, geocoder, tmp_path):
    place = PlaceText("Kursk", country="RU")
    launch = row(1, "launch-1", place, kind="launch_site", title="Launch area")
    strike = row(2, "strike-1", PlaceText("Kharkiv", country="UA"),
                 links=[{"relation": "launched_from", "target": "launch-1"}])
    summary = import_dataset(empty_store, anyfile, ListReader([strike, launch]), geocoder=geocoder)
    assert summary.events == 2
    assert empty_store.event("listed-strike-1").links[0].target == "listed-launch-1"
    # the launch row rejected: the strike that links to it is rejected too, and says why
    bad_launch = RowError(1, "launch_place: empty", native_id="launch-2")
    strike2 = row(2, "strike-2", PlaceText("Kharkiv", country="UA"),
                  links=[{"relation": "launched_from", "target": "launch-2"}])
    summary = import_dataset(empty_store, anyfile, ListReader([bad_launch, strike2]),
                             geocoder=geocoder, rejects=tmp_path / "r.csv")
    assert summary.rejected == 2 and summary.events == 0
    assert "links: listed-launch-2 is not in the file or the store" in summary.reasons[1]


def test_event_ids_are_the_datasets_own_as_slugs_and_never_collide():
    assert event_id("acled", "UKR12345") == "acled-ukr12345"
    assert event_id("cir", "UW0067") == "cir-uw0067"
    one, two = event_id("timemap", "A/B"), event_id("timemap", "A-B")
    assert one != two and one.startswith("timemap-a-b-") and two == "timemap-a-b"
    long = event_id("mapped-x", "n" * 300)
    assert len(long) <= 100 and long == event_id("mapped-x", "n" * 300)
    assert event_id("listed", "Київ").startswith("listed-")

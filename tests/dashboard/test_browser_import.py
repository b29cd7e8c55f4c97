"""The Import page in a real browser (Debian chromium, remote requests blocked): upload an
ACLED CSV, see what would be stored, import it, and find its events on the map."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.dashboard.test_browser import (_count_text, _drawn, _idle, _map, _running, _upload, _visit,  # noqa: F401
                                          browser_type_launch_args, offline_page)  # fixtures
from tests.dashboard.conftest import ROOT

ACLED_HEADER = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
                "sub_event_type,actor1,actor2,admin1,admin2,admin3,location,latitude,longitude,"
                "geo_precision,source,notes,fatalities,timestamp,country")


def _acled_row(i: int, place: str, lat: float, lon: float, notes: str) -> str:
    return (f"UKR9{i:04d},14 March 2024,2024,1,Political violence,Explosions/Remote violence,"
            f"Shelling/artillery/missile attack,Military Forces of Russia (2000-),,Kharkiv,,,"
            f"{place},{lat},{lon},1,Test Wire,\"{notes}\",0,1710500000,Ukraine")


@pytest.fixture(scope="module")
def import_app(tmp_path_factory):
    db = tmp_path_factory.mktemp("import") / "events.sqlite"
    subprocess.run([sys.executable, "-c", f"from geodata.store import Store; Store({str(db)!r})"],
                   cwd=ROOT, check=True)  # a seeded store of its own: this test writes to it
    yield from _running(str(db))


def test_an_acled_file_is_checked_imported_and_found_on_the_map(import_app, offline_page, tmp_path):
    page = offline_page
    csv_file = tmp_path / "acled_test.csv"
    csv_file.write_text("\n".join([
        ACLED_HEADER,
        _acled_row(1, "Kharkiv", 49.9935, 36.2304, "A KN-23 missile hit the city {{x}}."),
        _acled_row(2, "Chuhuiv", 49.8353, 36.6880, "Shelling of the town."),
    ]) + "\n", encoding="utf-8")
    _visit(page, f"{import_app}/import")
    _upload(page, csv_file)
    page.get_by_role("button", name="Check the file").click()
    page.get_by_text("The first events as they will be stored").wait_for(timeout=60_000)
    _idle(page)
    summary = page.locator("[data-testid='stText']").first.inner_text()
    assert "would import 2 of 2 rows" in summary and "format acled" in summary
    page.get_by_role("button", name="Import 2 events").click()
    page.get_by_text("Imported 2 new and 0 updated events").wait_for(timeout=60_000)
    page.get_by_role("link", name="See this dataset's events on the map").click()
    page.wait_for_url("**source=dataset-acled-**", timeout=60_000)
    _idle(page)
    assert _drawn(_map(page), 2) == 2
    assert _count_text(page).startswith("2 of ")
    assert page.blocked == [], f"requests that needed the internet: {page.blocked[:5]}"


@pytest.fixture(scope="module")
def refusing_app(tmp_path_factory):
    db = tmp_path_factory.mktemp("refuse") / "events.sqlite"
    subprocess.run([sys.executable, "-c", f"from geodata.store import Store; Store({str(db)!r})"],
                   cwd=ROOT, check=True)
    yield from _running(str(db))


def _check_upload(page, app: str, path) -> None:
    _visit(page, f"{app}/import")
    _upload(page, path)
    page.get_by_role("button", name="Check the file").click()


def test_an_unreadable_upload_is_one_line_on_the_page_and_stores_nothing(refusing_app, offline_page, tmp_path):
    page = offline_page
    upload = tmp_path / "garbage.csv"
    upload.write_bytes(b"\x00\x01\x02 not a dataset\n")
    _check_upload(page, refusing_app, upload)
    alert = page.locator("[data-testid='stAlert']").filter(has_text="Nothing was stored")
    alert.wait_for(timeout=60_000)
    shown = alert.inner_text().replace("\u200b", "").strip()
    assert shown.startswith("Cannot import the file: ") and "format not recognised" in shown
    assert len(shown.splitlines()) == 1 and "Traceback" not in page.inner_text("body")
    _visit(page, refusing_app)
    assert _count_text(page) == "35 of 35 events"
    assert page.blocked == []


def test_a_bad_row_is_named_with_its_field_and_blocks_the_import(refusing_app, offline_page, tmp_path):
    page = offline_page
    upload = tmp_path / "bad_date.csv"
    upload.write_text(ACLED_HEADER + "\n" + _acled_row(1, "Kharkiv", 49.99, 36.23, "x").replace(
        "14 March 2024", "31/31/2024") + "\n", encoding="utf-8")
    _check_upload(page, refusing_app, upload)
    page.get_by_text("rejected rows (first 1):").wait_for(timeout=60_000)
    body = page.inner_text("body")
    assert "would import 0 of 1 rows" in body
    assert "row 1 (UKR90001): event_date: '31/31/2024' is not a date" in body
    assert page.get_by_role("button", name="Nothing new to import").is_disabled()
    _visit(page, refusing_app)
    assert _count_text(page) == "35 of 35 events"
    assert page.blocked == []

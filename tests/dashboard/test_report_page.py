"""The "Add report" page through Streamlit's AppTest: extraction shown for review,
nothing stored before accept, accepted events stored and found on the map page, bad
input refused with a message, hostile text escaped."""

import re
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from geodata.events.filters import EventFilter
from geodata.extract.review import ACCEPT_AT
from geodata.store import Store
from dashboard.testing import plain
from tests.dashboard.conftest import APP, PAYLOADS, map_features

REPORT = """Missile hits Kharkiv, officials count the dead

KHARKIV, Ukraine (Test Wire) — A North Korean KN-23 missile struck Kharkiv on January 2, 2024, \
killing five people, regional officials said. The missile was fired from the Belgorod region of \
Russia, prosecutors said.
"""


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    path = str(tmp_path / "events.sqlite")
    Store(path).close()  # seeded
    monkeypatch.setenv("GEODATA_DB", path)
    return path


def report_page(text: str = REPORT, publisher: str = "Test Wire", extract: bool = True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("report_page.py").run()
    assert not at.exception, [e.value for e in at.exception]
    at.text_area(key="w_report_text").set_value(text)
    at.text_input(key="w_publisher").set_value(publisher)
    at.date_input(key="w_published").set_value(date(2024, 1, 3))
    if extract:
        submit(at)
    return at


def submit(at: AppTest) -> None:
    next(b for b in at.button if b.label == "Extract").click().run()
    assert not at.exception, [e.value for e in at.exception]


def marked_text(at: AppTest) -> str:
    return next(h.proto.body for h in at.get("html") if "gd-report" in h.proto.body)


def test_extraction_is_shown_for_review_and_nothing_is_stored(db):
    at = report_page()
    assert any("candidate events**" in m.value for m in at.markdown)
    html = marked_text(at)
    assert '<mark class="gd-place"' in html and ">Kharkiv</mark>" in html
    assert '<mark class="gd-date"' in html and ">January 2, 2024</mark>" in html
    assert '<mark class="gd-system"' in html and ">KN-23</mark>" in html
    places = map_features(at)
    assert {f["properties"]["t"] for f in places} >= {"Kharkiv → Kharkiv"}
    assert all(f["properties"]["k"] == "place" for f in places)
    rows = at.data_editor[0].value
    strike = rows[rows["kind"] == "strike"].iloc[0]
    assert strike["store_as"] == "strike-kharkiv-2024-01-02"
    assert bool(strike["accept"]) == (strike["confidence"] >= ACCEPT_AT)  # weak rows start unticked
    assert list(rows["confidence"]) == sorted(rows["confidence"], reverse=True)
    assert "struck Kharkiv" in strike["evidence"]
    assert Store(db).revision() == 1  # as seeded: nothing written before accept


def test_accepted_events_are_stored_and_found_on_the_map(db):
    at = report_page()
    at.button(key="w_accept_all").click().run()
    assert at.data_editor[0].value["accept"].all()
    store_button = at.button(key="w_store")
    assert store_button.label.startswith("Store ") and not store_button.disabled
    store_button.click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert re.match(r"Stored \d+ new events and added the report to [1-9]\d* stored events as corroboration",
                    plain(at.success[0].value))
    store = Store(db)
    source = next(s for s in store.sources() if s.startswith("report-"))
    assert source in {c.id for c in store.event("strike-kharkiv-2024-01-02").sources}

    at.switch_page("map_page.py")
    at.query_params["source"] = source
    at.run()
    count = next(m.value for m in at.markdown if " events**" in m.value)
    total = store.count()
    stored = store.count(EventFilter.build(sources=[source]))
    assert count.startswith(f"**{stored} of {total} events**") and stored >= 1
    assert "strike-kharkiv-2024-01-02" in {f["properties"]["id"] for f in map_features(at)}


def test_reject_all_leaves_nothing_to_store(db):
    at = report_page()
    at.button(key="w_reject_all").click().run()
    assert not at.data_editor[0].value["accept"].any()
    assert at.button(key="w_store").disabled


@pytest.mark.parametrize("text, publisher, message", [
    ("", "Test Wire", "the pasted text is empty"),
    (REPORT, "", "publisher: say who published the report"),
    ("Это сообщение написано по-русски, а не по-английски, и его нельзя прочитать.", "Test Wire",
     "does not look like English"),
    ("A missile struck Kharkiv on Tuesday, officials said. " + "\x00\x01\x02\x03" * 5, "Test Wire",
     "control characters"),
])
def test_bad_input_gets_a_message_and_nothing_is_stored(db, text, publisher, message):
    at = report_page(text, publisher)
    errors = [plain(e.value) for e in at.error]
    assert errors and message in errors[0] and "Nothing was stored" in errors[0]
    assert not at.data_editor
    assert Store(db).revision() == 1


def test_hostile_report_text_is_escaped(db):
    text = REPORT + " ".join(f"The officials said {p} was not a place." for p in PAYLOADS)
    at = report_page(text)
    html = marked_text(at)
    assert "<img" not in html and "<script" not in html and "<svg" not in html
    assert "&lt;img src=x onerror=" in html and "&lt;/script&gt;" in html


def test_template_syntax_in_a_report_and_its_publisher_is_shown_as_text(db):
    publisher = "Wire {# {{citation needed}} {% raw %}"
    text = REPORT + " ".join(f"The officials said {p} was not a place." for p in PAYLOADS)
    at = report_page(text, publisher)  # asserts no exception
    assert "{{citation needed}}" in marked_text(at)
    places = map_features(at)
    assert places and all(f["properties"]["src"][0][0] == publisher for f in places)

"""A correction in headless Chromium (remote requests blocked), as an analyst makes one:
open the selected event's panel, change its title (hostile text included), give a reason,
save; the page shows the new title as plain text and the store keeps both revisions."""

from __future__ import annotations

import os
import shutil

import pytest

from geodata.store import open_store
from tests.dashboard.test_browser import (_idle, _map, _running, _visit,  # noqa: F401
                                          browser_type_launch_args, offline_page)

KHARKIV = "strike-kharkiv-2024-01-02"
HOSTILE = "Kharkiv strike <img src=x onerror=alert(1)> {{citation needed}}"


@pytest.fixture(scope="module")
def edit_db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("edit") / "events.sqlite"
    shutil.copyfile(os.environ["GEODATA_SEED_COPY"], path)
    return str(path)


@pytest.fixture(scope="module")
def edit_app(edit_db):
    yield from _running(edit_db)


def test_a_correction_saved_in_the_panel_is_a_revision_shown_as_text(edit_app, edit_db, offline_page):
    page = offline_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _visit(page, f"{edit_app}/?event={KHARKIV}")
    _map(page)
    sidebar_name = page.get_by_label("Your name (kept with every change you make)")
    sidebar_name.fill("Browser Analyst")
    sidebar_name.press("Enter")
    _idle(page)
    page.get_by_text("Correct, delete or restore (revision 1)").click()
    page.get_by_label("Title", exact=True).fill(HOSTILE)
    page.get_by_label("Why (kept with the change)").fill("title as the source gives it")
    page.get_by_role("button", name="Save the correction").click()
    page.wait_for_function("() => document.body.innerText.includes('as revision 2 by Browser Analyst')",
                           timeout=60_000)
    _idle(page)
    assert HOSTILE in page.inner_text("body")  # the title, as text
    assert dialogs == [] and page.locator("img[src='x']").count() == 0
    assert page.get_by_text("Correct, delete or restore (revision 2)").count() == 1
    history = open_store(edit_db).history(KHARKIV)
    assert [(r.revision, r.who, r.action, r.why) for r in history][-1] == (
        2, "Browser Analyst", "edit", "title as the source gives it")
    assert history[-1].event().title == HOSTILE
    assert page.blocked == []

"""The dashboard driven through Streamlit's AppTest: filters, counts, the URL, the map's
features, clicks (simulated) and the details panel."""

import re
from datetime import date
from unittest.mock import patch

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geodata.events.catalogue import load_seeds
from geodata.events.filters import EventFilter
from geodata.io.export import geojson_text
from geodata.store import Store
from dashboard.testing import map_args, plain
from tests.dashboard.conftest import APP, PAYLOADS, PUBLISHER, map_features

SEED_EVENTS = 35


def count_line(at) -> str:
    return next(m.value for m in at.markdown if " events**" in m.value)


def test_opens_on_the_seed_catalogue_with_offline_assets(app):
    at = app()
    assert count_line(at).startswith(f"**{SEED_EVENTS} of {SEED_EVENTS} events**")
    args = map_args(at)
    assert args["js_links"] and args["css_links"]
    assert all(link.startswith("/app/static/") for link in args["js_links"] + args["css_links"])
    assert "cdn" not in args["script"] + args["header"] + args["feature_group"]
    features = map_features(at)
    assert len(features) == SEED_EVENTS
    assert {f["properties"]["k"] for f in features} >= {"strike", "launch_site", "transfer", "deployment",
                                                        "incident", "meeting", "agreement"}


def test_kind_filter_changes_count_map_and_table(app):
    at = app()
    at.multiselect(key="w_kinds").set_value(["strike"]).run()
    assert count_line(at).startswith(f"**7 of {SEED_EVENTS} events**")
    features = map_features(at)
    assert len(features) == 7 and {f["properties"]["k"] for f in features} == {"strike"}
    assert at.query_params["kind"] == "strike"
    table = at.dataframe[0].value
    assert len(table) == 7 and set(table["kind"]) == {"Strikes"}


def test_system_filter_by_canonical_id_matches_every_alias(app):
    at = app()
    at.multiselect(key="w_systems").set_value(["s-400"]).run()
    features = map_features(at)
    assert [f["properties"]["id"] for f in features] == ["transfer-ru-air-defence-to-kp-2024"]
    assert count_line(at).startswith("**1 of")


def test_date_range_and_precision_filters(app):
    at = app()
    at.date_input(key="w_dates").set_value((date(2024, 8, 1), date(2024, 8, 31))).run()
    ids = {f["properties"]["id"] for f in map_features(at)}
    assert {"strike-2024-08-05", "strike-2024-08-06", "strike-north-of-kyiv-2024-08-18"} <= ids
    assert "strike-kharkiv-2024-01-02" not in ids
    at.selectbox(key="w_precision").set_value(2).run()
    assert [f["properties"]["id"] for f in map_features(at)] == ["strike-north-of-kyiv-2024-08-18"]


def test_a_shared_link_opens_the_same_view(app):
    at = app({"kind": "strike", "system": "Hwasong-11", "since": "2024-01-01", "until": "2024-03-31"})
    assert sorted(f["properties"]["id"] for f in map_features(at)) == [
        "strike-2024-02-27", "strike-campaign-kp-missiles-2023-12-2024-02", "strike-kharkiv-2024-01-02"]
    assert at.multiselect(key="w_systems").value == ["kn-23"]
    assert not at.warning


def test_a_malformed_link_is_ignored_field_by_field(app):
    at = app({"kind": "strike,airstrike", "since": "last tuesday", "system": "KN-24",
              "prec": "9", "zoom": "4", "source": "no-such-source"})
    warnings = " ".join(plain(w.value) for w in at.warning)
    for field in ("kind=strike,airstrike", "since=last tuesday", "prec=9", "“zoom”", "source=no-such-source"):
        assert field in warnings
    # the good field still applies
    ids = {f["properties"]["id"] for f in map_features(at)}
    assert ids == {"transfer-kn23-kn24-to-russia", "deployment-kp-missile-specialists-to-russia"}


def test_reset_clears_filters_and_the_link(app):
    at = app({"kind": "strike"})
    assert count_line(at).startswith("**7 of")
    next(b for b in at.button if b.label == "Reset filters").click().run()
    assert count_line(at).startswith(f"**{SEED_EVENTS} of")
    assert "kind" not in at.query_params


def test_clicking_an_event_on_the_map_shows_its_details_and_sources(app):
    clicked = {"last_active_drawing": {"type": "Feature",
                                       "properties": {"id": "strike-kharkiv-2024-01-02"}}}
    with patch("streamlit_folium.st_folium", return_value=clicked):
        at = app()
    texts = [t.value for t in at.text]
    assert "North Korean Hwasong-11 missile hits Kharkiv" in texts
    sources = next(d.value for d in at.dataframe if "publisher" in d.value.columns)
    cited = next(e for e in load_seeds().events if e.id == "strike-kharkiv-2024-01-02").sources
    assert list(sources["evidence"]) == [c.evidence for c in cited]
    assert at.query_params["event"] == "strike-kharkiv-2024-01-02"


def test_range_rings_of_a_system_around_its_launch_areas(app):
    at = app()
    at.selectbox(key="w_ring").set_value("kn-23").run()
    script = map_args(at)["feature_group"]
    assert script.count('"radius_km": 690.0') + script.count('"radius_km":690.0') == 3
    assert "690 km from Belgorod" in script


def test_export_is_the_same_as_the_command_line(seed_db):
    store = Store(seed_db, seed=False)
    f = EventFilter.build(kinds=["strike"], systems=["KN-23"])
    text = geojson_text(store, f)
    assert text.count('"type":"Feature"') == 3


def test_hostile_text_reaches_the_page_only_as_data(hostile_db, monkeypatch):
    monkeypatch.setenv("GEODATA_DB", hostile_db)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    script = map_args(at)["feature_group"]
    assert "</script>" not in script and "<img" not in script  # tojson escapes < and >
    assert not any(p in m.value for m in at.markdown for p in PAYLOADS)
    # template syntax in the data reaches the map as the very same text
    features = {f["properties"]["id"]: f["properties"] for f in map_features(at)}
    assert [features[f"hostile-{i}"]["t"] for i in range(len(PAYLOADS))] == [
        f"{p} title {i}" for i, p in enumerate(PAYLOADS)]
    assert all(f["src"][0][0] == PUBLISHER for f in features.values())


def test_an_empty_precision_in_the_link_gets_a_notice_not_a_crash(app):
    at = app({"prec": "", "kind": "strike"})  # the fixture asserts no exception
    assert any("“prec=”" in plain(w.value) for w in at.warning)
    assert count_line(at).startswith(f"**7 of {SEED_EVENTS} events**")


def test_a_link_with_since_alone_applies_and_keeps_it_one_sided(app):
    at = app({"since": "2024-08-01"})
    ids = {f["properties"]["id"] for f in map_features(at)}
    assert "strike-2024-08-05" in ids and "strike-kharkiv-2024-01-02" not in ids
    assert not at.warning
    assert at.query_params["since"] == "2024-08-01" and "until" not in at.query_params
    shown = at.date_input(key="w_dates").value
    assert shown[0] == date(2024, 8, 1) and shown[1] >= shown[0]  # the other end: the catalogue's last day
    at.selectbox(key="w_precision").set_value(1).run()  # another filter: the range stays one-sided
    assert at.query_params["since"] == "2024-08-01" and "until" not in at.query_params


def test_a_link_with_until_alone_applies_and_keeps_it_one_sided(app):
    at = app({"until": "2024-01-31"})
    ids = {f["properties"]["id"] for f in map_features(at)}
    assert "strike-kharkiv-2024-01-02" in ids and "strike-2024-08-05" not in ids
    assert not at.warning
    assert at.query_params["until"] == "2024-01-31" and "since" not in at.query_params


def test_a_moved_end_of_a_one_sided_range_enters_the_link(app):
    at = app({"since": "2024-08-01"})
    at.date_input(key="w_dates").set_value((date(2024, 8, 1), date(2024, 8, 10))).run()
    assert (at.query_params["since"], at.query_params["until"]) == ("2024-08-01", "2024-08-10")


def test_the_widest_precision_in_a_link_is_kept(app):
    at = app({"prec": "4"})
    assert not at.warning and at.query_params["prec"] == "4"
    assert at.selectbox(key="w_precision").value == 4


def test_a_date_the_picker_cannot_show_gets_a_notice(app):
    at = app({"since": "0001-01-01"})
    assert any("since=0001-01-01" in plain(w.value) for w in at.warning)


MARKDOWN_PAYLOADS = {"kind": "![x](http://203.0.113.24/a.png)", "ring": "[text](http://203.0.113.24/)",
                     "status": ":red[alarm] :material/home: $x^2$ <b>bold</b> www.example.com a@example.com",
                     "![y](http://203.0.113.24/k.png)": "1"}


def shown_as_plain_text(body: str) -> bool:
    """Every ASCII punctuation mark of the Markdown body is backslash-escaped: nothing
    in it can become a link, an image, HTML, a colour or a formula."""
    escaped = False
    for char in body:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char.isascii() and not char.isalnum() and not char.isspace():
            return False
    return not re.search(r":[^\s:\\]+\\?:", body.replace("\u200b", " "))  # no :emoji: shortcode left


def test_link_text_in_notices_is_plain_text_not_markdown(app):
    at = app(MARKDOWN_PAYLOADS)
    bodies = [w.value for w in at.warning]
    assert len(bodies) == 4
    for body in bodies:
        assert shown_as_plain_text(body), body
    shown = " ".join(plain(b) for b in bodies)
    for key, value in MARKDOWN_PAYLOADS.items():
        assert (value if value != "1" else key) in shown


def test_a_store_path_in_an_error_is_plain_text(tmp_path, monkeypatch):
    bad = tmp_path / "[x](http:" / "203.0.113.24" / "a.png)"
    bad.mkdir(parents=True)
    monkeypatch.setenv("GEODATA_DB", str(bad))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception and at.error
    assert all(shown_as_plain_text(e.value) for e in at.error), [e.value for e in at.error]


def test_a_cache_root_that_is_a_file_gives_a_one_line_warning_not_a_crash(app, tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GEODATA_CACHE", str(blocker))
    at = app()
    assert count_line(at).startswith(f"**{SEED_EVENTS} of {SEED_EVENTS} events**")
    notes = [plain(w.value) for w in at.warning if "snapshot cache" in plain(w.value)]
    assert len(notes) == 1 and str(blocker) in notes[0] and "\n" not in notes[0]


def test_a_cache_folder_that_cannot_be_written_gives_a_one_line_warning(app, tmp_path, monkeypatch):
    (tmp_path / "snapshots").write_text("a file where the snapshot folder goes")
    monkeypatch.setenv("GEODATA_CACHE", str(tmp_path))
    at = app()
    assert count_line(at).startswith(f"**{SEED_EVENTS} of {SEED_EVENTS} events**")
    notes = [plain(w.value) for w in at.warning]
    assert len(notes) == 1 and notes[0].startswith("No snapshot cache: ") and "snapshots" in notes[0]


def test_a_damaged_snapshot_in_the_cache_is_made_again(app, tmp_path, monkeypatch):
    monkeypatch.setenv("GEODATA_CACHE", str(tmp_path))
    app()
    (snapshot,) = (tmp_path / "snapshots").glob("columns-*.npz")
    snapshot.write_bytes(snapshot.read_bytes()[:100])  # truncated
    st.cache_resource.clear()  # a new server process, as after a restart
    at = app()
    assert count_line(at).startswith(f"**{SEED_EVENTS} of {SEED_EVENTS} events**")
    assert not at.warning


def test_a_stored_row_that_no_longer_validates_is_skipped_with_a_notice(seed_db, tmp_path, monkeypatch):
    import shutil
    import sqlite3

    poisoned = tmp_path / "poisoned.sqlite"
    shutil.copy(seed_db, poisoned)
    with sqlite3.connect(poisoned) as db:  # a quantity stored as null, as Infinity once was
        seq, data = db.execute("SELECT seq, data FROM event_data WHERE data LIKE '%\"quantities\":[{%' "
                               "ORDER BY seq LIMIT 1").fetchone()
        db.execute("UPDATE event_data SET data = ? WHERE seq = ?",
                   (re.sub(r'"value":[0-9.]+', '"value":null', data, count=1), seq))
    monkeypatch.setenv("GEODATA_DB", str(poisoned))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    notes = [plain(w.value) for w in at.warning if "do not validate" in plain(w.value)]
    assert len(notes) == 1 and "python -m geodata check" in notes[0]
    assert len(map_features(at)) == SEED_EVENTS - 1


def test_the_tag_filter_narrows_the_map(tmp_path, monkeypatch):
    from geodata.events.catalogue import Catalogue
    from geodata.events.model import Event, Source

    store = Store(tmp_path / "tags.sqlite", seed=False)
    source = Source(id="log", publisher="Air Force", title="Log", published="2024-01-03")
    store.put(Catalogue({"log": source}, [Event.model_validate({
        "id": f"tagged-{i}", "kind": "strike", "title": f"strike {i}", "date": "2024-01-02",
        "status": "reported", "tags": tags, "sources": [{"id": "log", "evidence": "row"}],
        "place": {"name": "Kyiv", "lat": 50.45, "lon": 30.52, "geo_precision": 1, "country": "UA"}})
        for i, tags in enumerate((["Ballistic"], ["drone"], []))]))
    store.close()
    monkeypatch.setenv("GEODATA_DB", str(tmp_path / "tags.sqlite"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["tag"] = "BALLISTIC"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert count_line(at).startswith("**1 of 3 events**")
    assert at.query_params["tag"] == ["ballistic"] or at.query_params["tag"] == "ballistic"


def test_a_blur_in_the_link_coarsens_the_map_and_stays_in_the_link(app):
    exact = {f["properties"]["id"]: f["geometry"] for f in map_features(app())
             if f["properties"].get("gp") == 1}
    at = app({"blur": "25"})
    coarse = {f["properties"]["id"]: f for f in map_features(at)}
    assert exact and all(coarse[i]["properties"]["gp"] >= 2 and coarse[i]["geometry"] != g
                         for i, g in exact.items())
    assert at.query_params["blur"] in ("25", ["25"])
    bad = app({"blur": "-3"})
    assert any("blur" in plain(w.value) for w in bad.warning)

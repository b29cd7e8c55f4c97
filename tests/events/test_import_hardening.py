"""Import of GeoJSON from sources we do not control: every refusal is one line naming
the feature and field, nothing is stored unless all of the file is valid, memory stays
bounded for any file size, and a stored source is never silently rewritten."""

import json
import os
import tracemalloc

import pytest

from geodata.events.catalogue import Catalogue
from geodata.events.model import Event, Source
from geodata.io.geojson import GeoJSONError, read_catalogue
from geodata.io.importer import import_geojson
from geodata.io.jsonstream import MAX_FEATURE_CHARS, iter_features
from geodata.store import Store

SOURCE = {"id": "wire-1", "publisher": "Wire", "title": "A report", "published": "2024-01-02",
          "published_precision": "day", "language": "en", "evidence": "says so"}


def feature(fid="imported-one", geometry="auto", **props):
    base = {"id": fid, "kind": "strike", "title": "Imported", "date_start": "2024-01-02",
            "date_end": "2024-01-02", "date_precision": "day", "status": "reported",
            "place": {"name": "Kharkiv", "lat": 49.98, "lon": 36.25, "geo_precision": 1},
            "sources": [dict(SOURCE)]}
    base.update(props)
    if geometry == "auto":
        place = base.get("place") or {}
        geometry = {"type": "Point", "coordinates": [place.get("lon"), place.get("lat")]}
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": base}


def collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "events.sqlite", seed=False)
    s.put(Catalogue({"wire-1": Source.model_validate({k: v for k, v in SOURCE.items() if k != "evidence"})},
                    [Event.model_validate({**{k: v for k, v in feature("kept")["properties"].items()},
                                           "sources": [{"id": "wire-1", "evidence": "x"}]})]))
    yield s
    s.close()


def write(tmp_path, text, name="in.geojson", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def refused(store, path, message):
    before = (store.revision(), store.sources(), store.events())
    with pytest.raises(GeoJSONError) as info:
        import_geojson(store, path)
    assert message in str(info.value), str(info.value)
    assert "\n" not in str(info.value)
    assert (store.revision(), store.sources(), store.events()) == before
    return str(info.value)


# -- item 2: non-finite and absurd numbers ------------------------------------------

@pytest.mark.parametrize("literal", ["Infinity", "-Infinity", "NaN"])
def test_import_refuses_nan_and_infinity_literals_naming_the_feature(store, tmp_path, literal):
    text = collection(feature("ev-a"), feature("ev-b", quantities=[{"value": 1, "unit": "missiles"}]))
    path = write(tmp_path, text.replace('"value": 1,', f'"value": {literal},'))
    refused(store, path, f"feature 2: {literal} is not a number JSON allows")


@pytest.mark.parametrize("number, message", [
    ("1e400", "feature 1 (id imported-one): quantities.0.value: Input should be a finite number"),
    ("1e12", "quantities.0.value: Input should be less than or equal to 1000000000"),
])
def test_import_refuses_huge_quantities(store, tmp_path, number, message):
    text = collection(feature(quantities=[{"value": 7, "unit": "missiles"}])).replace('"value": 7', f'"value": {number}')
    refused(store, write(tmp_path, text), message)


def test_import_refuses_a_radius_beyond_half_the_earth(store, tmp_path):
    place = {"name": "Kharkiv", "lat": 49.98, "lon": 36.25, "geo_precision": 1, "radius_km": 2_000_000}
    refused(store, write(tmp_path, collection(feature(place=place))), "place.radius_km")


# -- item 12: deep nesting, long numbers (CLI: one line, exit 2) --------------------

@pytest.mark.parametrize("payload, message", [
    ("[" * 5000 + "]" * 5000, "nested too deeply"),
    ("1" + "0" * 5000, "a number with 5001 digits (at most 30)"),
])
def test_cli_import_of_hostile_json_is_one_line(cli, seeded_db, tmp_path, payload, message):
    text = collection(feature(casualties={"killed": 1})).replace('"killed": 1', f'"killed": {payload}')
    path = write(tmp_path, text)
    result = cli("import", str(path), "--db", seeded_db)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "feature 1" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


# -- item 13: a byte order mark --------------------------------------------------------

def test_import_accepts_a_utf8_byte_order_mark(store, tmp_path):
    path = write(tmp_path, collection(feature()), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    summary = import_geojson(store, path)
    assert (summary.added, summary.replaced) == (1, 0)


# -- item 14: non-regular files, size caps, bounded memory --------------------------

def test_import_refuses_non_regular_files_at_once(cli, tmp_path):
    fifo = tmp_path / "fifo.geojson"
    os.mkfifo(fifo)
    for target in ("/dev/zero", str(fifo), str(tmp_path)):
        result = cli("import", target, "--db", str(tmp_path / "cli.sqlite"))
        assert result.returncode == 2 and "not a regular file" in result.stderr, result.stderr


def test_import_caps_the_size_of_one_feature(store, tmp_path):
    text = collection(feature(description="x" * (MAX_FEATURE_CHARS + 10)))
    refused(store, write(tmp_path, text), "feature 1: longer than 2,000,000 characters")


def test_reading_features_holds_one_feature_at_a_time(tmp_path):
    """A 40 MB file is read in a few MB (json.load of it holds well over 100 MB)."""
    one = json.dumps(feature(description="d" * 3000))
    path = tmp_path / "big.geojson"
    with path.open("w", encoding="utf-8") as out:
        out.write('{"type": "FeatureCollection", "features": [\n')
        out.write(",\n".join([one] * 12_000))
        out.write("\n]}\n")
    assert path.stat().st_size > 40_000_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_features(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 12_000
    assert peak < 12_000_000, f"peak {peak / 1e6:.1f} MB"


def test_a_large_import_is_stored_in_batches_in_one_transaction(store, tmp_path):
    features = [feature(f"event-{i}") for i in range(250)]
    features[-1]["properties"]["kind"] = "airstrike"   # the last batch fails ...
    path = write(tmp_path, collection(*features))
    refused(store, path, "feature 250 (id event-249): kind")
    features[-1]["properties"]["kind"] = "strike"
    path = write(tmp_path, collection(*features))
    summary = import_geojson(store, path, batch_size=40)
    assert (summary.added, summary.events) == (250, 250) and store.count() == 251


# -- item 16: strict numbers, ids, geometry -------------------------------------------

@pytest.mark.parametrize("lat, field", [("49.98", "place.lat"), (True, "place.lat")])
def test_import_refuses_a_latitude_that_is_not_a_number(store, tmp_path, lat, field):
    place = {"name": "Kharkiv", "lat": lat, "lon": 36.25, "geo_precision": 1}
    refused(store, write(tmp_path, collection(feature(place=place, geometry=None))),
            f"feature 1 (id imported-one): {field}: Input should be a valid number")


def test_feature_id_and_properties_id_must_agree(store, tmp_path):
    f = feature("one")
    f["properties"]["id"] = "two"
    message = refused(store, write(tmp_path, collection(f)), "differ; give one id")
    assert "'one'" in message and "'two'" in message


def test_either_id_alone_is_accepted(store, tmp_path):
    only_feature = feature("from-feature")
    del only_feature["properties"]["id"]
    only_props = feature("from-properties")
    del only_props["id"]
    import_geojson(store, write(tmp_path, collection(only_feature, only_props)))
    assert store.event("from-feature") and store.event("from-properties")


def test_missing_or_different_geometry_is_recomputed_and_reported(store, tmp_path):
    moved = feature("moved", geometry={"type": "Point", "coordinates": [0.0, 0.0]})
    missing = feature("missing", geometry=None)
    same = feature("same")
    summary = import_geojson(store, write(tmp_path, collection(same, moved, missing)))
    assert summary.notes == [
        "feature 2 (id moved): geometry differs from its places; recomputed from them",
        "feature 3 (id missing): has no geometry; computed from its places"]
    stored = {r.id: json.loads(r.geometry) for r in store.rows()}
    assert stored["moved"] == {"type": "Point", "coordinates": [36.25, 49.98]}


# -- item 10: a stored source is never silently rewritten -----------------------------

def test_an_identical_source_is_reused_without_a_note(store, tmp_path):
    summary = import_geojson(store, write(tmp_path, collection(feature())))
    assert summary.conflicts == [] and summary.new_sources == 0
    assert set(store.sources()) == {"wire-1"}


def test_a_conflicting_source_is_kept_under_a_new_id_and_reported(store, tmp_path):
    stored = store.sources()["wire-1"]
    changed = {**SOURCE, "publisher": "Another wire", "published_precision": "month",
               "published": "2024-01-01"}
    f = feature(sources=[changed], quantities=[{"value": 3, "unit": "missiles", "source": "wire-1"}])
    path = write(tmp_path, collection(f))
    summary = import_geojson(store, path)
    assert summary.conflicts == [
        "source wire-1: differs from the stored one (publisher: 'Wire' vs 'Another wire'); kept as "
        "a new source wire-1-2, cited by the imported events; the stored wire-1 is unchanged"]
    assert store.sources()["wire-1"] == stored
    assert store.sources()["wire-1-2"].publisher == "Another wire"
    event = store.event("imported-one")
    assert [c.id for c in event.sources] == ["wire-1-2"] and event.quantities[0].source == "wire-1-2"
    assert [c.id for c in store.event("kept").sources] == ["wire-1"]
    again = import_geojson(store, path)  # the same file again: the earlier copy is reused
    assert "kept as wire-1-2 by an earlier import; reused" in again.conflicts[0]
    assert set(store.sources()) == {"wire-1", "wire-1-2"}


def test_a_source_given_twice_differently_in_one_file_is_refused(store, tmp_path):
    other = {**SOURCE, "id": "fresh", "title": "First"}
    path = write(tmp_path, collection(feature("ev-a", sources=[other]),
                                      feature("ev-b", sources=[{**other, "title": "Second"}])))
    refused(store, path, "feature 2 (id ev-b): source fresh differs from the one given in feature 1")


def test_cli_import_prints_the_summary_and_one_line_per_conflict(cli, seeded_db, tmp_path):
    db = seeded_db
    first = write(tmp_path, collection(feature("ev-a")), "first.geojson")
    assert cli("import", str(first), "--db", db).returncode == 0
    second = write(tmp_path, collection(feature("ev-b", sources=[{**SOURCE, "title": "Other"}],
                                                geometry=None)), "second.geojson")
    result = cli("import", str(second), "--db", db)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("imported 1 events from") and "1 new sources" in lines[0]
    assert lines[1].startswith("source wire-1: differs from the stored one (title:")
    assert lines[2] == "feature 1 (id ev-b): has no geometry; computed from its places"


def test_read_catalogue_still_reads_a_small_file(tmp_path):
    catalogue = read_catalogue(write(tmp_path, collection(feature())))
    assert [e.id for e in catalogue.events] == ["imported-one"] and set(catalogue.sources) == {"wire-1"}

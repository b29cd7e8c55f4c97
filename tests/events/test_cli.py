"""python -m geodata export / import / systems, as a user runs them."""

import json

import geopandas as gpd
import pytest


@pytest.fixture
def db(seeded_db):
    return seeded_db


def test_export_with_filters_writes_exactly_the_matching_events(cli, db, tmp_path):
    out = tmp_path / "kn23.geojson"
    result = cli("export", str(out), "--system", "KN-23", "--kind", "strike",
                 "--since", "2024-01-01", "--until", "2024-03-31", "--db", db)
    assert result.returncode == 0, result.stderr
    ids = sorted(f["id"] for f in json.loads(out.read_text())["features"])
    assert ids == ["strike-2024-02-27", "strike-campaign-kp-missiles-2023-12-2024-02",
                   "strike-kharkiv-2024-01-02"]
    assert "exported 3 of" in result.stderr


def test_export_formats_by_extension_and_flag(cli, db, tmp_path):
    for name, extra in (("all.csv", []), ("all.gpkg", []), ("all.txt", ["--format", "csv"])):
        result = cli("export", str(tmp_path / name), "--db", db, *extra)
        assert result.returncode == 0, result.stderr
    assert len(gpd.read_file(tmp_path / "all.gpkg")) >= 30
    assert (tmp_path / "all.txt").read_text().startswith("id,kind,title")


def test_export_then_import_into_a_new_store_round_trips(cli, seeded_db, tmp_path):
    first, second = seeded_db, str(tmp_path / "b.sqlite")
    assert cli("init", "--seed", "--db", second).returncode == 0
    exported = tmp_path / "seed.geojson"
    assert cli("export", str(exported), "--db", first).returncode == 0
    result = cli("import", str(exported), "--db", second)
    assert result.returncode == 0, result.stderr
    assert "0 new" in result.stderr  # the new store was seeded with the same events: replaced
    again = tmp_path / "again.geojson"
    assert cli("export", str(again), "--db", second).returncode == 0
    assert again.read_bytes() == exported.read_bytes()


def test_a_bad_import_names_the_feature_and_leaves_the_store_untouched(cli, db, tmp_path):
    exported = tmp_path / "seed.geojson"
    cli("export", str(exported), "--db", db)
    data = json.loads(exported.read_text())
    data["features"][0]["properties"]["title"] = "Changed by a good feature"
    data["features"][5]["properties"]["date_precision"] = "fortnight"
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(data))
    result = cli("import", str(bad), "--db", db)
    assert result.returncode == 2
    assert f"feature 6 (id {data['features'][5]['id']}): date_precision:" in result.stderr
    assert "Traceback" not in result.stderr
    after = tmp_path / "after.geojson"
    cli("export", str(after), "--db", db)
    assert after.read_bytes() == exported.read_bytes()


@pytest.mark.parametrize("args, message", [
    (["--kind", "airstrike"], "unknown kind 'airstrike'"),
    (["--system", "Scud-Z"], "unknown weapon system 'Scud-Z'"),
    (["--since", "last year"], "is not a date: use YYYY-MM-DD"),
    (["--country", "Ukraine"], "ISO 3166 alpha-2"),
    (["--min-precision", "9"], "give 1 (town) to 4 (country)"),
])
def test_bad_filters_exit_2_and_write_nothing(cli, db, tmp_path, args, message):
    out = tmp_path / "out.geojson"
    result = cli("export", str(out), "--db", db, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not out.exists()


def test_unknown_extension_and_bad_store_files(cli, db, tmp_path):
    result = cli("export", str(tmp_path / "out.xlsx"), "--db", db)
    assert result.returncode == 2 and "cannot tell the format" in result.stderr
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database " * 100)
    result = cli("export", str(tmp_path / "o.geojson"), "--db", str(notes))
    assert result.returncode == 2 and "not an event store" in result.stderr
    assert notes.read_text() == "not a database " * 100


def test_systems_lists_canonical_ids_and_aliases(cli):
    out = cli("systems").stdout
    assert "kn-23" in out and "Hwasong-11" in out and "Triumf" in out


def _store_intact(cli, db, tmp_path):
    check = cli("export", str(tmp_path / "check.csv"), "--db", db)
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg"])
def test_export_refuses_to_overwrite_the_store(cli, db, tmp_path, fmt):
    assert cli("export", str(tmp_path / "first.csv"), "--db", db).returncode == 0  # creates it
    before = open(db, "rb").read()
    link = tmp_path / "link.sqlite"
    link.symlink_to(db)
    (tmp_path / "sub").mkdir()
    for target in (db, str(tmp_path / "sub" / ".." / "events.sqlite"), str(link)):
        result = cli("export", target, "--format", fmt, "--db", db)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert "the event store" in result.stderr or "symbolic link" in result.stderr
        assert open(db, "rb").read() == before
    _store_intact(cli, db, tmp_path)


def test_export_refuses_a_directory_a_device_and_an_overlong_name(cli, db, tmp_path):
    for target, message in ((tmp_path, "is a directory"), ("/dev/null", "not a regular file"),
                            (tmp_path / ("x" * 300 + ".csv"), "name is too long")):
        result = cli("export", str(target), "--format", "csv", "--db", db)
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr

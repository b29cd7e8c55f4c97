"""python -m geodata import, as a user runs it: detection, dry run, errors, profiles."""

from __future__ import annotations

import pytest

from tests.io.acled_fixture import acled_row, write_acled


@pytest.fixture
def db(seeded_db):
    return seeded_db


@pytest.fixture
def acled(tmp_path):
    return write_acled(tmp_path / "export.csv", [acled_row(), acled_row(event_id_cnty="UKR9")])


def test_import_detects_acled_dry_runs_then_imports_once(cli, db, acled, tmp_path):
    dry = cli("import", str(acled), "--db", db, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would import 2 of 2 rows" in dry.stderr and "format acled" in dry.stderr
    assert "dry run: nothing was written" in dry.stderr
    seeded = tmp_path / "seeded.csv"
    assert cli("export", str(seeded), "--db", db, "--format", "csv").returncode == 0
    assert "acled-" not in seeded.read_text() and len(seeded.read_text().splitlines()) == 36
    first = cli("import", str(acled), "--db", db)
    assert first.returncode == 0 and "2 new, 0 updated, 0 unchanged, 0 rejected" in first.stderr
    again = cli("import", str(acled), "--db", db)
    assert "0 new, 0 updated, 2 unchanged" in again.stderr
    tagged = tmp_path / "tagged.csv"
    found = cli("export", str(tagged), "--db", db, "--format", "csv", "--tag", "shelling/artillery/missile attack")
    assert found.returncode == 0, found.stderr
    rows = tagged.read_text().splitlines()[1:]
    assert len(rows) == 2 and all(row.startswith("acled-") for row in rows)
    event_id = rows[0].split(",")[0]
    assert "\timport: imported from export.csv" in cli("history", event_id, "--db", db).stdout


def test_import_errors_are_one_line_exit_2(cli, db, acled, tmp_path):
    bad = write_acled(tmp_path / "bad.csv", [acled_row(event_date="31/31/2024")])
    for args, message in [
        ((str(bad),), "row 1 (UKR900001): event_date: '31/31/2024' is not a date"),
        ((str(acled), "--format", "kmz2"), "unknown format 'kmz2'"),
        ((str(acled), "--map", "date=event_date,colour=x"), "unknown target field 'colour'"),
        ((str(acled), "--save-profile", "x"), "--save-profile saves a --map mapping"),
        ((str(acled), "--map", "date=event_date", "--format", "acled"), "do not also give --format"),
        ((str(tmp_path / "none.csv"),), "no such file"),
        ((str(acled), "--profile", "nothing-here"), "no profile 'nothing-here'"),
    ]:
        result = cli("import", *args, "--db", db)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_skip_invalid_writes_rejects_and_imports_the_rest(cli, db, tmp_path):
    path = write_acled(tmp_path / "a.csv", [acled_row(), acled_row(event_id_cnty="UKR2", latitude="x")])
    result = cli("import", str(path), "--db", db, "--skip-invalid", str(tmp_path / "rejects.csv"))
    assert result.returncode == 0 and "1 new" in result.stderr and "1 rejected" in result.stderr
    assert "latitude: 'x' is not a number" in (tmp_path / "rejects.csv").read_text()


def test_a_mapping_is_saved_as_a_profile_and_reused(cli, db, tmp_path, monkeypatch):
    monkeypatch.setenv("GEODATA_PROFILES", str(tmp_path / "profiles"))
    path = tmp_path / "mine.csv"
    path.write_text("ref,when,where,nation\nr1,2024-02-03,Kharkiv,UA\n", encoding="utf-8")
    first = cli("import", str(path), "--db", db, "--map", "id=ref,date=when,place=where,country=nation",
                "--default-kind", "strike", "--save-profile", "mine")
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "profiles" / "mine.yaml").exists() and "1 new" in first.stderr
    again = cli("import", str(path), "--db", db, "--profile", "mine")
    assert again.returncode == 0 and "1 unchanged" in again.stderr


def test_our_geojson_export_is_still_imported_by_default(cli, db, tmp_path):
    out = tmp_path / "out.geojson"
    assert cli("export", str(out), "--db", db).returncode == 0
    other = str(tmp_path / "other.sqlite")
    assert cli("init", "--db", other).returncode == 0
    dry = cli("import", str(out), "--db", other, "--dry-run")
    assert dry.returncode == 0 and "dry run: nothing was written" in dry.stderr
    result = cli("import", str(out), "--db", other)
    assert result.returncode == 0 and "imported" in result.stderr

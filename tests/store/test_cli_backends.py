"""Every command opens the store its --db names on either backend, and none creates one
by accident: a mistyped --db is a one-line error that says how to create a store."""

from __future__ import annotations

import pytest

from geodata.store import NoStoreError, open_store
from tests.store.test_backends import cli


@pytest.mark.parametrize("command", [
    ["export", "{tmp}/out.geojson"],
    ["export", "{tmp}/out.csv", "--format", "csv"],
    ["map", "{tmp}/map.html"],
    ["import", "{tmp}/in.geojson"],
    ["add-report", "{tmp}/report.txt", "--published", "2024-01-03", "--publisher", "Wire"],
    ["check"],
])
def test_every_command_refuses_a_missing_store_and_creates_none(store_url, tmp_path, command):
    (tmp_path / "in.geojson").write_text('{"type": "FeatureCollection", "features": []}')
    (tmp_path / "report.txt").write_text("Missiles struck Kharkiv on 2 January 2024.")
    result = cli(*[part.format(tmp=tmp_path) for part in command], "--db", store_url)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "no event store here; create one with python -m geodata init --seed --db" in result.stderr
    with pytest.raises(NoStoreError):
        open_store(store_url)
    assert not (tmp_path / "out.geojson").exists() and not (tmp_path / "map.html").exists()


def test_an_export_imported_into_a_new_store_of_either_backend_round_trips(new_url, tmp_path):
    first, second = new_url(), new_url()
    assert cli("init", "--seed", "--db", first).returncode == 0
    exported, again = tmp_path / "seed.geojson", tmp_path / "again.geojson"
    assert cli("export", str(exported), "--db", first).returncode == 0
    assert cli("init", "--db", second).returncode == 0
    result = cli("import", str(exported), "--db", second)
    assert result.returncode == 0, result.stderr
    assert cli("export", str(again), "--db", second).returncode == 0
    assert again.read_bytes() == exported.read_bytes()

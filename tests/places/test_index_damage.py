"""A damaged gazetteer index (truncated, garbled or missing files, a corrupt meta.json)
is found when it is opened and rebuilt with a one-line notice, never a traceback; a
cache root that is not a folder is named in one line."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from geodata.errors import GeodataError
from geodata.places import cache, manifest
from geodata.places.gazetteer import Gazetteer
from geodata.places.manifest import DamagedIndex, check_folder
from tests.places.test_index import tiny_inputs  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parents[2]


def _truncate(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def _garble_header(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.write(b"\xde\xad\xbe\xef" * 8)


def _garble_tail(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.seek(-16, os.SEEK_END)
        handle.write(b"\xff" * 16)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


DAMAGE = {
    "truncated": _truncate,
    "garbled header": _garble_header,
    "garbled end": _garble_tail,
    "emptied": _empty,
    "deleted": Path.unlink,
}


@pytest.fixture
def tiny_index(tiny_inputs, tmp_path):  # noqa: F811
    root = tmp_path / "cache"
    folder = cache.index_folder(root)
    return root, folder


@pytest.mark.parametrize("file", ["lat.npy", "names.offsets.npy", "exact.hash.npy", "fuzzy.key.npy"])
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_index_file_is_found_on_open_and_rebuilt(tiny_index, capsys, file, damage):
    root, folder = tiny_index
    DAMAGE[damage](folder / file)
    with pytest.raises(DamagedIndex, match=file.replace(".", r"\.")):
        check_folder(folder)
    gazetteer = Gazetteer.open(root)
    assert gazetteer.exact("Kursk"), "the rebuilt index answers"
    check_folder(gazetteer.folder)  # and is whole again
    notice = capsys.readouterr().err.strip().splitlines()
    assert len(notice) == 1 and "damaged" in notice[0] and "rebuilding" in notice[0], notice


@pytest.mark.parametrize("damage", ["not json", "a list", "no manifest", "deleted", "empty"])
def test_a_corrupt_meta_json_is_rebuilt(tiny_index, capsys, damage):
    root, folder = tiny_index
    meta = folder / "meta.json"
    if damage == "not json":
        meta.write_text('{"types": [')
    elif damage == "a list":
        meta.write_text("[1, 2]")
    elif damage == "no manifest":
        data = json.loads(meta.read_text())
        del data["files"]
        meta.write_text(json.dumps(data))
    elif damage == "deleted":
        meta.unlink()
    else:
        meta.write_text("")
    gazetteer = Gazetteer.open(root)
    assert gazetteer.exact("Kursk")
    assert "rebuilding" in capsys.readouterr().err


def test_an_extra_or_missing_manifest_entry_is_damage(tiny_index):
    _, folder = tiny_index
    (folder / "lon.npy").rename(folder / "lon.moved")
    with pytest.raises(DamagedIndex, match="lon.npy: missing"):
        check_folder(folder)


def test_a_same_size_array_of_another_shape_is_damage(tiny_index):
    _, folder = tiny_index
    path = folder / "population.npy"
    data = np.load(path)
    size = path.stat().st_size
    np.save(path, data.astype(np.float64).reshape(-1, 1))  # int64 -> float64 (N, 1): same bytes
    assert path.stat().st_size == size
    with pytest.raises(DamagedIndex, match="population.npy"):
        check_folder(folder)


def _rewrite_manifest(folder: Path) -> None:
    meta = json.loads((folder / "meta.json").read_text())
    meta["files"] = manifest.describe(folder)
    (folder / "meta.json").write_text(json.dumps(meta))


def test_the_full_check_finds_damage_in_the_middle_of_a_file(tiny_index, monkeypatch):
    """Opening reads only sizes, headers and the ends of files (fast); ``index --verify``
    hashes every byte."""
    _, folder = tiny_index
    monkeypatch.setattr(manifest, "_ENDS", 16)
    _rewrite_manifest(folder)
    path = folder / "fuzzy.hash.npy"
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size - 100)
        handle.write(b"\x00\x01\x02\x03")
    check_folder(folder)  # sizes, headers and ends are intact
    with pytest.raises(DamagedIndex, match="fuzzy.hash.npy: contents differ"):
        check_folder(folder, full=True)


def test_a_damaged_copy_of_the_real_index_is_rebuilt_by_the_cli(gazetteer, tmp_path):
    """End to end on a copy of the real index (the shared one is never touched): a
    truncated names table, then `geocode Kyiv` answers after one notice."""
    copy = tmp_path / "cache"
    shutil.copytree(gazetteer.folder, copy / gazetteer.folder.name)
    _truncate(copy / gazetteer.folder.name / "names.blob.npy")
    env = dict(os.environ, GEODATA_CACHE=str(copy))
    result = subprocess.run([sys.executable, "-m", "geodata", "geocode", "Kyiv"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Kyiv  50.4" in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "names.blob.npy" in lines[0] and "rebuilding" in lines[0], lines
    assert "Traceback" not in result.stderr
    check_folder(copy / gazetteer.folder.name)


@pytest.mark.parametrize("kind", ["a regular file", "/etc/hostname", "under a file"])
def test_a_cache_root_that_is_not_a_folder_is_one_line(tmp_path, kind):
    file = tmp_path / "cache-file"
    file.write_text("not a folder")
    root = {"a regular file": str(file), "/etc/hostname": "/etc/hostname",
            "under a file": str(file / "cache")}[kind]
    if kind == "/etc/hostname" and not Path(root).is_file():
        pytest.skip("no /etc/hostname here")
    env = dict(os.environ, GEODATA_CACHE=root)
    result = subprocess.run([sys.executable, "-m", "geodata", "geocode", "Kyiv"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "GEODATA_CACHE" in lines[0] and root in lines[0], lines
    assert "not a folder" in lines[0] or "is a file" in lines[0]
    assert file.read_text() == "not a folder"


def test_cache_root_error_is_a_geodata_error(tmp_path, monkeypatch):
    file = tmp_path / "f"
    file.write_text("x")
    monkeypatch.setenv("GEODATA_CACHE", str(file))
    with pytest.raises(GeodataError, match="GEODATA_CACHE"):
        cache.index_folder()


def test_index_verify_rebuilds_an_index_damaged_in_the_middle(tiny_index, capsys, monkeypatch):
    root, folder = tiny_index
    monkeypatch.setattr(manifest, "_ENDS", 16)  # the tiny index's files are a few hundred bytes
    _rewrite_manifest(folder)
    path = folder / "fuzzy.hash.npy"
    assert path.stat().st_size > 300
    with path.open("r+b") as handle:
        handle.seek(path.stat().st_size - 100)
        handle.write(b"\x00\x01\x02\x03")
    Gazetteer.open(root)  # an ordinary start does not hash everything
    assert capsys.readouterr().err == ""
    gazetteer = Gazetteer.open(root, verify=True)
    assert "fuzzy.hash.npy: contents differ" in capsys.readouterr().err
    check_folder(gazetteer.folder, full=True)

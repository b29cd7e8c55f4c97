"""Writing a result file: the target is checked in one place (geodata.atomic), and an
OS error becomes one line naming the path, never a traceback."""

import errno
import os
import stat
from pathlib import Path

import pytest

from geodata.atomic import replaced_on_success
from geodata.errors import GeodataError


def _write(path: Path, text: str = "new", **kwargs) -> None:
    with replaced_on_success(path, **kwargs) as tmp:
        tmp.write_text(text)


def test_a_protected_file_is_never_replaced_under_any_spelling(tmp_path):
    store = tmp_path / "events.sqlite"
    store.write_text("precious")
    (tmp_path / "sub").mkdir()
    spellings = [store, tmp_path / "sub" / ".." / "events.sqlite",
                 Path(os.path.relpath(store))]
    os.link(store, tmp_path / "hard.sqlite")
    spellings.append(tmp_path / "hard.sqlite")
    for target in spellings:
        with pytest.raises(GeodataError, match="the event store|protected|would overwrite"):
            _write(target, protect=[store])
    assert store.read_text() == "precious"


def test_a_symlink_directory_or_device_is_refused(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("kept")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with pytest.raises(GeodataError, match="symbolic link"):
        _write(link)
    assert real.read_text() == "kept" and link.is_symlink()
    with pytest.raises(GeodataError, match="is a directory"):
        _write(tmp_path)
    with pytest.raises(GeodataError, match="not a regular file"):
        _write(Path("/dev/null"))
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(GeodataError, match="not a regular file"):
        _write(fifo)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_an_over_long_name_is_one_line(tmp_path):
    with pytest.raises(GeodataError, match="name is too long") as info:
        _write(tmp_path / ("x" * 300 + ".geojson"))
    assert "\n" not in str(info.value)
    _write(tmp_path / ("y" * 240 + ".csv"))  # long but legal: the temporary name still fits
    assert (tmp_path / ("y" * 240 + ".csv")).read_text() == "new"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_permission_denied_names_the_path(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(GeodataError, match=r"locked.*permission denied"):
            _write(locked / "out.csv")
    finally:
        locked.chmod(0o700)


@pytest.mark.parametrize("code, message", [
    (errno.ENOSPC, "disk is full"), (errno.EDQUOT, "disk quota"),
    (errno.EROFS, "read-only file system"), (errno.EACCES, "permission denied"),
    (errno.EIO, "cannot write"),
])
def test_os_errors_while_writing_become_one_line(tmp_path, code, message):
    target = tmp_path / "out.geojson"
    target.write_text("old")
    with pytest.raises(GeodataError, match=message) as info:
        with replaced_on_success(target):
            raise OSError(code, os.strerror(code))
    assert str(target) in str(info.value) and "\n" not in str(info.value)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"]  # no temporary left


def test_an_error_about_another_file_is_left_alone(tmp_path):
    with pytest.raises(FileNotFoundError):
        with replaced_on_success(tmp_path / "out.csv"):
            open(tmp_path / "missing-input.csv")

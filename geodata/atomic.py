"""Write a file completely or not at all, and only where a result file may go.

Every command that writes a result (export, geocode-csv, caches) goes through
``replaced_on_success``: the checks on the target live here once. A target that is a
protected file (the event store, the input), a directory, a symbolic link or a device
is refused before anything is written, and an OS error (full disk, read-only file
system, over-long name, no permission) becomes one line naming the path."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from geodata.errors import GeodataError

# what the temporary name adds to the target's: a dot, a dot and mkstemp's 8 characters
_TEMP_EXTRA = 10
_NAME_MAX = 255  # when the folder does not exist yet to ask its file system

REASONS = {  # errno -> what a user reads; the CLI uses it for any OS error
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EFBIG: "the file is too large for its file system",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EISDIR: "is a directory",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ENOTDIR: "a folder on its path is a file",
    errno.EEXIST: "a folder on its path is a file",
    errno.ELOOP: "too many symbolic links on its path",
}


class TargetError(GeodataError):
    """The file to write cannot or must not be written."""


def oserror_message(path: Path, exc: OSError) -> str:
    """One line for an OS error met while writing ``path``."""
    reason = REASONS.get(exc.errno) or f"cannot write: {exc.strerror or exc}"
    return f"{path}: {reason}; nothing was written"


def check_target(path: Path, protect: Iterable[Path | str] = ()) -> None:
    """Refuse a target that must not be replaced, before any work is done."""
    for kept in protect:
        if _same_file(path, Path(kept)):
            raise TargetError(f"{path}: is the same file as {kept}, which must not be "
                              "overwritten (the event store or the input); name another file")
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise TargetError(oserror_message(path, exc)) from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise TargetError(f"{path}: is a symbolic link; give the file it points to, or "
                              "another name")
        if stat.S_ISDIR(info.st_mode):
            raise TargetError(f"{path}: is a directory; give a file name")
        if not stat.S_ISREG(info.st_mode):
            raise TargetError(f"{path}: is not a regular file (a device, pipe or socket); "
                              "give a file name")
    name_max = _name_max(path.parent)
    if len(os.fsencode(path.name)) > name_max:
        raise TargetError(f"{path}: the file name is too long (at most {name_max} bytes)")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist: compare where they would be
        return os.path.realpath(a) == os.path.realpath(b)


def _about_target(exc: OSError, path: Path, tmp: Path | None) -> bool:
    """Whether ``exc`` is about writing ``path``: no file named (a write or flush),
    the temporary, the target or a folder made for it."""
    if exc.filename is None:
        return True
    named = os.path.abspath(os.fsdecode(exc.filename))
    target = os.path.abspath(path)
    return named in (target, os.path.abspath(tmp) if tmp else None) \
        or target.startswith(named.rstrip(os.sep) + os.sep)


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return _NAME_MAX


def _temporary(path: Path) -> Path:
    """A new empty file beside ``path``; its name fits wherever ``path``'s does."""
    room = _name_max(path.parent) - _TEMP_EXTRA
    stem = os.fsencode(path.name)[:max(room - len(os.fsencode(path.suffix)), 1)]
    prefix = "." + os.fsdecode(stem).rstrip("\udcff\udc80") + "."
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=path.suffix, dir=path.parent)
    os.close(fd)
    return Path(name)


@contextmanager
def replaced_on_success(path: Path, protect: Iterable[Path | str] = ()) -> Iterator[Path]:
    """A temporary path beside ``path``: renamed onto ``path`` (with the usual
    permissions) when the block succeeds, removed when it fails, so a reader never
    finds a half-written file where it expects a result. ``protect`` names files that
    ``path`` must not be (under any spelling, link or hard link)."""
    path = Path(path)
    check_target(path, list(protect))
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temporary(path)
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        if not _about_target(exc, path, tmp):
            raise  # about another file (an input): the caller says what it means
        raise TargetError(oserror_message(path, exc)) from None
    finally:
        if tmp is not None and os.path.lexists(tmp):
            os.unlink(tmp)

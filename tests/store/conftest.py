"""The store's tests run once per backend: ``store_url`` is a fresh SQLite file, or a
fresh schema in the PostgreSQL database at $GEODATA_TEST_PG (default: the one
scripts/postgres.sh makes), dropped after the test. Without a reachable server the
PostgreSQL runs are skipped with one reason, unless GEODATA_REQUIRE_PG=1 (CI), where
they fail."""

from __future__ import annotations

import os
import uuid

import pytest

from geodata.events.synthetic import synthetic_catalogue

PG_ENV, REQUIRE_ENV = "GEODATA_TEST_PG", "GEODATA_REQUIRE_PG"
DEFAULT_PG = "postgresql://geodata:geodata@127.0.0.1:5432/geodata_test"
_reachable: list = []  # [None] when reachable, else [reason]


def pg_base() -> str:
    return os.environ.get(PG_ENV) or DEFAULT_PG


def _pg_problem() -> str | None:
    """Why the PostgreSQL tests cannot run (None: they can), checked once."""
    if not _reachable:
        try:
            import psycopg

            with psycopg.connect(pg_base(), autocommit=True, connect_timeout=3) as admin:
                # shared by every test schema (search_path ends in public)
                admin.execute("CREATE EXTENSION IF NOT EXISTS postgis")
                admin.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
            _reachable.append(None)
        except Exception as exc:  # noqa: BLE001 - any failure means: no server to test on
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            _reachable.append(f"no PostgreSQL with PostGIS reachable at ${PG_ENV} "
                              f"({first}); run scripts/postgres.sh to test the team store")
    return _reachable[0]


def pg_schema_url(schema: str) -> str:
    separator = "&" if "?" in pg_base() else "?"
    return f"{pg_base()}{separator}options=-csearch_path%3D{schema},public"


@pytest.fixture
def pg_url():
    """A URL for a fresh schema in the test database, dropped afterwards."""
    problem = _pg_problem()
    if problem:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {problem}")
        pytest.skip(problem)
    import psycopg

    schemas = []

    def make() -> str:
        schema = "geodata_t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(pg_base(), autocommit=True) as admin:
            admin.execute(f"CREATE SCHEMA {schema}")
        schemas.append(schema)
        return pg_schema_url(schema)

    yield make
    with psycopg.connect(pg_base(), autocommit=True) as admin:
        for schema in schemas:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def new_url(request, tmp_path):
    """Make URLs of places where no store is yet, on the backend of this run."""
    if request.param == "sqlite":
        names = iter(range(1000))
        return lambda: str(tmp_path / f"store-{next(names)}.sqlite")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store_url(new_url):
    return new_url()


@pytest.fixture(scope="session")
def synthetic():
    return synthetic_catalogue(1200, seed=5)


@pytest.fixture
def empty(store_url):
    from geodata.store import open_store

    store = open_store(store_url, create=True)
    yield store
    store.close()


@pytest.fixture
def filled(empty, synthetic):
    empty.put(synthetic)
    return empty


def pytest_terminal_summary(terminalreporter):
    """One line saying the PostgreSQL runs were skipped, and why."""
    if _reachable and _reachable[0]:
        terminalreporter.write_line(f"PostgreSQL store tests skipped: {_reachable[0]}")

import pytest

from geodata.events.synthetic import synthetic_catalogue
from geodata.store import Store


@pytest.fixture(scope="session")
def synthetic():
    return synthetic_catalogue(3000, seed=3)


@pytest.fixture
def empty_store(tmp_path):
    store = Store(tmp_path / "events.sqlite", seed=False)
    yield store
    store.close()


@pytest.fixture
def synthetic_store(empty_store, synthetic):
    empty_store.put(synthetic)
    return empty_store

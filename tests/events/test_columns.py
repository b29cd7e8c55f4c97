"""The columnar snapshot answers exactly what the store's SQL answers."""

import pytest

from geodata.events.columns import ARRAYS, Columns
from geodata.events.filters import EventFilter
from geodata.events.mapview import map_view

FILTERS = [
    {}, {"kinds": ["strike"]}, {"kinds": ["transfer", "deployment"]}, {"systems": ["Hwasong-11"]},
    {"since": "2024-01-01", "until": "2024-03-31"}, {"countries": ["KP"]}, {"statuses": ["confirmed"]},
    {"max_geo_precision": 2}, {"text": "near kharkiv"}, {"bbox": [30, 45, 40, 53]},
    {"bbox": [170, -10, -170, 10]}, {"sources": ["synthetic-3"], "kinds": ["strike"]},
]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory, synthetic):
    from geodata.store import Store

    store = Store(tmp_path_factory.mktemp("columns") / "s.sqlite", seed=False)
    store.put(synthetic)
    return store, Columns.load(store)


def _same(ours, theirs) -> bool:
    """Equal rows, floats to 1e-6 (sums in another order differ in the last digits)."""
    key = lambda row: tuple(round(v, 2) if isinstance(v, float) else v for v in row)  # noqa: E731
    ours, theirs = sorted(ours, key=key), sorted(theirs, key=key)
    return len(ours) == len(theirs) and all(
        a == pytest.approx(b, abs=1e-6) if isinstance(a, float) else a == b
        for x, y in zip(ours, theirs) for a, b in zip(x, y))


@pytest.mark.parametrize("arguments", FILTERS)
def test_mask_counts_bins_routes_and_months_match_sql(snapshot, arguments):
    store, columns = snapshot
    f = EventFilter.build(**arguments)
    keep = columns.mask(f, store)
    assert int(keep.sum()) == store.count(f)
    assert _same(columns.grid_bins(keep, 1.5), store.grid_bins(f, 1.5))
    assert _same(columns.route_totals(keep, 1.5), [(*r[:6], r[6] or None) for r in store.route_totals(f, 1.5)])
    assert columns.monthly(keep) == [tuple(r) for r in store.monthly_counts(f)]


def test_dates_are_the_stored_dates(snapshot, synthetic):
    store, columns = snapshot
    by_seq = dict(store.db.execute("SELECT seq, date_start FROM events"))
    for i in (0, 17, len(columns) - 1):
        assert columns.start[i] == __import__("datetime").date.fromisoformat(by_seq[int(columns.seq[i])]).toordinal()


def test_map_view_is_the_same_with_or_without_the_snapshot(snapshot):
    store, columns = snapshot
    f = EventFilter.build(kinds=["strike", "transfer", "deployment"])
    assert store.count(f) > 1000
    with_columns, without = (map_view(store, f, detail_limit=1000, columns=columns),
                             map_view(store, f, detail_limit=1000))
    assert with_columns.aggregated and without.aggregated
    assert (with_columns.total, with_columns.cell_deg) == (without.total, without.cell_deg)
    assert sum(len(v) for v in with_columns.layers.values()) == sum(len(v) for v in without.layers.values())


def test_the_snapshot_is_cached_per_revision_and_remade_after_a_write(snapshot, tmp_path, synthetic):
    store, columns = snapshot
    first = Columns.cached(store, tmp_path)
    assert list(tmp_path.glob("columns-*.npz")) and len(first) == len(columns)
    again = Columns.cached(store, tmp_path)
    assert (again.seq == first.seq).all() and (again.start == first.start).all()
    store.put(type(synthetic)({}, [synthetic.events[0]]))  # a write: a new revision
    after = Columns.cached(store, tmp_path)
    assert after.revision == store.revision() and len(list(tmp_path.glob("columns-*.npz"))) == 1


def _identical(a: Columns, b: Columns) -> bool:
    import numpy as np

    return all(np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True)
               and getattr(a, name).dtype == getattr(b, name).dtype for name in ARRAYS)


def _damaged(path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "garbage":
        path.write_bytes(b"not a zip at all" * 100)
    elif how == "wrong arrays":
        import numpy as np

        with open(path, "wb") as handle:
            np.savez(handle, seq=np.arange(3), kind=np.zeros(2))
    elif how == "short arrays":
        import numpy as np

        with np.load(path) as saved:
            arrays = {k: saved[k][:-1] if k == "lat" else saved[k] for k in saved.files}
        with open(path, "wb") as handle:
            np.savez(handle, **arrays)
    elif how == "object arrays":
        import numpy as np

        with np.load(path) as saved:
            arrays = {k: saved[k] for k in saved.files}
        arrays["kind"] = np.array([{"x": 1}] * len(arrays["kind"]), dtype=object)
        with open(path, "wb") as handle:
            np.savez(handle, **arrays)


@pytest.mark.parametrize("how", ["truncated", "empty", "garbage", "wrong arrays", "short arrays", "object arrays"])
def test_a_damaged_snapshot_file_is_made_again_not_fatal(snapshot, tmp_path, how):
    store, _ = snapshot
    fresh = Columns.load(store)
    Columns.cached(store, tmp_path)
    (path,) = tmp_path.glob("columns-*.npz")
    _damaged(path, how)
    again = Columns.cached(store, tmp_path)
    assert _identical(again, fresh)
    assert _identical(Columns.cached(store, tmp_path), fresh)  # the remade file reads back


def test_a_cache_folder_that_is_a_file_gives_no_cache_and_a_note_not_a_crash(snapshot, tmp_path):
    store, _ = snapshot
    fresh = Columns.load(store)
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    for folder in (blocker, blocker / "snapshots"):
        again = Columns.cached(store, folder)
        assert _identical(again, fresh)
        assert again.cache_note and "\n" not in again.cache_note and str(blocker) in again.cache_note
    assert blocker.read_text() == "a file where the cache folder should be"
    assert Columns.cached(store, tmp_path / "fine").cache_note is None

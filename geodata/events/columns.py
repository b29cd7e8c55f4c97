"""A columnar snapshot of the store for filtering and aggregating millions of events.

SQLite answers one filter on a million events in seconds (every GROUP BY sorts); the
same columns as NumPy arrays answer in milliseconds. The snapshot is read once per
store revision (about 4 s for a million events, ~60 MB; then kept as an .npz file in
the cache folder, read in milliseconds) by whoever serves many filters (the
dashboard); filters on linked tables (systems, tags, sources, countries, text)
still ask the store for the matching rows, then everything else is array arithmetic.

The .npz file is only a cache: one that cannot be read back exactly as written
(truncated, garbage, other arrays) is made again, and a cache folder that cannot be
written (a file in its place, read-only, full) means no cache, said in ``cache_note``.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from geodata.atomic import oserror_message, replaced_on_success
from geodata.errors import GeodataError
from geodata.events.filters import EventFilter, conditions
from geodata.events.model import Kind, Status
from geodata.store import EventStore

KINDS = [k.value for k in Kind]


def _nan(value: float | None) -> float:
    return np.nan if value is None else value

STATUSES = [s.value for s in Status]
ARRAYS = {"seq": np.int64, "kind": np.uint8, "status": np.uint8, "start": np.int32, "end": np.int32,
          "month": np.int32, "precision": np.uint8, "lon": np.float64, "lat": np.float64,
          "olon": np.float64, "olat": np.float64, "weight": np.float64}
# what a damaged .npz file raises while it is read
_UNREADABLE = (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error)


def _read(path: Path) -> dict[str, np.ndarray] | None:
    """The arrays of a snapshot file, or None when it is missing or is not exactly what
    ``cached`` writes (then it is removed, to be made again)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except FileNotFoundError:
        return None
    except _UNREADABLE:
        arrays = None
    if arrays is not None and _complete(arrays):
        return arrays
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # cannot remove it: it is written over or ignored again next time
    return None


def _complete(arrays: dict[str, np.ndarray]) -> bool:
    """Every column, one-dimensional, of its type and of one length, with codes that
    name a kind and a status."""
    if set(arrays) != set(ARRAYS):
        return False
    n = len(arrays["seq"])
    if any(a.ndim != 1 or a.dtype != ARRAYS[name] or len(a) != n for name, a in arrays.items()):
        return False
    return n == 0 or (int(arrays["kind"].max()) < len(KINDS) and int(arrays["status"].max()) < len(STATUSES))


@dataclass
class Columns:
    revision: int
    seq: np.ndarray          # int64, ascending
    kind: np.ndarray         # uint8 index into KINDS
    status: np.ndarray       # uint8 index into STATUSES
    start: np.ndarray        # int32 date ordinal
    end: np.ndarray          # int32 date ordinal
    month: np.ndarray        # int32 year * 12 + month - 1 of the start
    precision: np.ndarray    # uint8, 0 = unknown
    lon: np.ndarray          # float64, NaN = not located (a route's destination)
    lat: np.ndarray
    olon: np.ndarray         # a route's origin, NaN for other events
    olat: np.ndarray
    weight: np.ndarray       # first quantity, NaN if none
    cache_note: str | None = field(default=None, compare=False)  # why there is no .npz cache

    @classmethod
    def load(cls, store: EventStore) -> Columns:
        rows = store.column_rows()
        n = len(rows)
        kind_code = {k: i for i, k in enumerate(KINDS)}
        status_code = {s: i for i, s in enumerate(STATUSES)}

        def column(i: int, dtype, convert=None) -> np.ndarray:
            values = (r[i] for r in rows) if convert is None else (convert(r[i]) for r in rows)
            return np.fromiter(values, dtype=dtype, count=n)

        # julian day numbers: only differences and comparisons with date ordinals matter
        offset = date(2000, 1, 1).toordinal() - 2451544  # julianday(2000-01-01) = 2451544.5
        a = ARRAYS
        return cls(
            revision=store.revision(), seq=column(0, a["seq"]), kind=column(1, a["kind"], kind_code.__getitem__),
            status=column(2, a["status"], status_code.__getitem__),
            start=column(3, a["start"]) + offset, end=column(4, a["end"]) + offset,
            month=column(5, a["month"]), precision=column(6, a["precision"]),
            lon=column(7, a["lon"], _nan), lat=column(8, a["lat"], _nan),
            olon=column(9, a["olon"], _nan), olat=column(10, a["olat"], _nan),
            weight=column(11, a["weight"], _nan))

    @classmethod
    def cached(cls, store: EventStore, folder: Path) -> Columns:
        """The snapshot from an .npz file for this store and revision, read in
        milliseconds; made (and older ones removed) when missing or damaged. When the
        folder cannot hold it, the snapshot is made from the store every time and
        ``cache_note`` says why, in one line."""
        tag = hashlib.sha256(store.key.encode()).hexdigest()[:16]
        path = folder / f"columns-{tag}-{store.revision()}.npz"
        arrays = _read(path)
        if arrays is not None:
            return cls(revision=store.revision(), **arrays)
        columns = cls.load(store)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for stale in folder.glob(f"columns-{tag}-*.npz"):
                stale.unlink(missing_ok=True)
            with replaced_on_success(path) as tmp:
                with open(tmp, "wb") as handle:
                    np.savez(handle, **{name: getattr(columns, name) for name in ARRAYS})
        except OSError as exc:
            columns.cache_note = f"No snapshot cache: {oserror_message(folder, exc)}"
        except GeodataError as exc:
            columns.cache_note = f"No snapshot cache: {exc}"
        return columns

    def __len__(self) -> int:
        return len(self.seq)

    def mask(self, f: EventFilter, store: EventStore) -> np.ndarray:
        """Which events the filter keeps: the rules of filters.RULES, the same the
        store's SQL reads; rules on link tables and text ask the store for the seqs."""
        keep = np.ones(len(self), dtype=bool)
        linked = {}
        for rule, value in conditions(f):
            if rule.op in ("any", "contains"):
                linked[rule.field] = getattr(f, rule.field)
            elif rule.op == "bbox":
                west, south, east, north = value
                in_lon = (self.lon >= west) & (self.lon <= east) if west <= east else (
                    (self.lon >= west) | (self.lon <= east))
                keep &= in_lon & (self.lat >= south) & (self.lat <= north)
            else:
                array, value = self._column(rule.column, value)
                if rule.op == "in":
                    keep &= np.isin(array, value)
                elif rule.op == ">=":
                    keep &= array >= value
                else:  # "<=": 0 is an unknown precision, which never passes
                    keep &= (array <= value) & ((array >= 1) if rule.column == "geo_precision" else True)
        if linked:
            seqs = np.fromiter(store.seqs(EventFilter(**linked)), dtype=np.int64)
            keep &= np.isin(self.seq, seqs, assume_unique=True)
        return keep

    def _column(self, column: str, value):
        """The array a rule's column is held in, and the rule's value in its units."""
        if column == "kind":
            return self.kind, [KINDS.index(v) for v in value]
        if column == "status":
            return self.status, [STATUSES.index(v) for v in value]
        if column in ("date_start", "date_end"):
            array = self.start if column == "date_start" else self.end
            return array, date.fromisoformat(value).toordinal()
        if column == "geo_precision":
            return self.precision, value
        raise ValueError(f"no array for the filter column {column!r}")

    def _cells(self, lon: np.ndarray, lat: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray]:
        return (np.floor((lon + 180) / cell).astype(np.int64), np.floor((lat + 90) / cell).astype(np.int64))

    def grid_bins(self, keep: np.ndarray, cell: float) -> list[tuple]:
        """(kind, mean lon, mean lat, count, coarsest precision) per cell, for events that
        are not routes: what ``Store.grid_bins`` computes, in milliseconds."""
        sel = keep & ~np.isnan(self.lon) & np.isnan(self.olon)
        if not sel.any():
            return []
        kind, lon, lat, precision = self.kind[sel], self.lon[sel], self.lat[sel], self.precision[sel]
        x, y = self._cells(lon, lat, cell)
        keys = (kind.astype(np.int64) * 100_000 + x) * 100_000 + y
        unique, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        mean_lon = np.bincount(inverse, weights=lon) / counts
        mean_lat = np.bincount(inverse, weights=lat) / counts
        coarsest = np.zeros(len(unique), dtype=np.uint8)
        np.maximum.at(coarsest, inverse, precision)
        kinds = unique // 100_000 // 100_000
        return [(KINDS[int(k)], float(a), float(b), int(n), int(p) or None)
                for k, a, b, n, p in zip(kinds, mean_lon, mean_lat, counts, coarsest)]

    def route_totals(self, keep: np.ndarray, cell: float) -> list[tuple]:
        """(kind, origin lon, lat, destination lon, lat, count, summed weight) per pair of
        cells: what ``Store.route_totals`` computes."""
        sel = keep & ~np.isnan(self.lon) & ~np.isnan(self.olon)
        if not sel.any():
            return []
        kind = self.kind[sel]
        olon, olat, lon, lat = self.olon[sel], self.olat[sel], self.lon[sel], self.lat[sel]
        ox, oy = self._cells(olon, olat, cell)
        dx, dy = self._cells(lon, lat, cell)
        stacked = np.stack([kind.astype(np.int64), ox, oy, dx, dy], axis=1)
        unique, inverse, counts = np.unique(stacked, axis=0, return_inverse=True, return_counts=True)
        inverse = inverse.ravel()
        means = [np.bincount(inverse, weights=v) / counts for v in (olon, olat, lon, lat)]
        weight = np.nan_to_num(self.weight[sel])
        sums = np.bincount(inverse, weights=weight)
        return [(KINDS[int(u[0])], float(a), float(b), float(c), float(d), int(n), float(w) or None)
                for u, a, b, c, d, n, w in zip(unique, *means, counts, sums)]

    def monthly(self, keep: np.ndarray) -> list[tuple[str, str, int]]:
        """(YYYY-MM, kind, count) of the start dates: the timeline."""
        keys = self.month[keep].astype(np.int64) * 16 + self.kind[keep]
        unique, counts = np.unique(keys, return_counts=True)
        return sorted((f"{m // 12:04d}-{m % 12 + 1:02d}", KINDS[int(k)], int(n))
                      for m, k, n in zip(unique // 16, unique % 16, counts))

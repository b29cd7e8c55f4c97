"""Disk-backed lookup tables that load in microseconds and cost no memory until read.

A Python dict of the 1.4 million GeoNames names takes seconds to unpickle and hundreds of
megabytes; these tables are plain NumPy arrays saved as ``.npy`` files and opened with
``mmap_mode='r'``, so a cold start only maps them and the OS pages in what a query reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np


def load_array(path: Path) -> np.ndarray:
    """Memory-map a saved array, as a plain ndarray: indexing a ``np.memmap`` costs
    a Python-level call per access, several times the lookup itself."""
    return np.asarray(np.load(path, mmap_mode="r"))


def stable_hash(key: str) -> int:
    """A 64-bit hash that is the same in every process (unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


class HashIndex:
    """Many-to-many map from string keys to rows of payload columns.

    Entries are sorted by the 64-bit hash of their key; a lookup is two binary
    searches. Keys are not stored: a collision (odds ~1e-7 at our size) merges two
    keys' entries, which callers tolerate because they re-rank what they get.
    """

    def __init__(self, hashes: np.ndarray, columns: dict[str, np.ndarray]):
        self.hashes = hashes
        self.columns = columns

    @classmethod
    def build(cls, keys: Sequence[str], columns: dict[str, Sequence]) -> HashIndex:
        hashes = np.fromiter((stable_hash(k) for k in keys), dtype=np.uint64, count=len(keys))
        order = np.argsort(hashes, kind="stable")
        return cls(hashes[order], {name: np.asarray(col)[order] for name, col in columns.items()})

    def span(self, key: str) -> tuple[int, int]:
        """The [start, stop) rows stored under ``key``; empty when it is absent."""
        h = np.uint64(stable_hash(key))
        hashes = self.hashes
        start = int(hashes.searchsorted(h, side="left"))
        stop, end = start, len(hashes)
        while stop < end and hashes[stop] == h:  # most keys hold a few rows: a step beats
            stop += 1                             # a second binary search
        return start, stop

    def spans(self, keys: Iterable[str]) -> np.ndarray:
        """Row numbers stored under any of ``keys`` (one vectorised search)."""
        h = np.fromiter((stable_hash(k) for k in keys), dtype=np.uint64)
        starts = np.searchsorted(self.hashes, h, side="left")
        stops = np.searchsorted(self.hashes, h, side="right")
        hit = stops > starts
        if not hit.any():
            return np.empty(0, dtype=np.int64)
        return np.concatenate([np.arange(a, b) for a, b in zip(starts[hit], stops[hit])])

    def save(self, folder: Path, name: str) -> None:
        np.save(folder / f"{name}.hash.npy", self.hashes)
        for col, values in self.columns.items():
            np.save(folder / f"{name}.{col}.npy", values)

    @classmethod
    def load(cls, folder: Path, name: str, columns: Iterable[str]) -> HashIndex:
        return cls(
            load_array(folder / f"{name}.hash.npy"),
            {col: load_array(folder / f"{name}.{col}.npy") for col in columns},
        )


class StringTable:
    """An array of strings stored as one UTF-8 blob plus offsets."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray):
        self.blob = blob
        self.offsets = offsets

    @classmethod
    def build(cls, strings: Iterable[str]) -> StringTable:
        encoded = [s.encode() for s in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        return self.blob[self.offsets[i] : self.offsets[i + 1]].tobytes().decode()

    def save(self, folder: Path, name: str) -> None:
        np.save(folder / f"{name}.blob.npy", self.blob)
        np.save(folder / f"{name}.offsets.npy", self.offsets)

    @classmethod
    def load(cls, folder: Path, name: str) -> StringTable:
        return cls(load_array(folder / f"{name}.blob.npy"), load_array(folder / f"{name}.offsets.npy"))

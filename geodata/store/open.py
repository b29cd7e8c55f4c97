"""Opening a store by its one setting (``--db`` or ``$GEODATA_DB``): a path or
``sqlite:///path`` for the embedded store, ``postgresql://...`` for a team's; and
``$GEODATA_DB_READ``, a read-only URL (a replica behind a pooler) for the reads."""

from __future__ import annotations

import os
from pathlib import Path

from geodata.store.base import READ_ENV, EventStore, SqlStore, default_url, is_postgres


def open_store(url: str | os.PathLike | None = None, read_url: str | os.PathLike | None = None,
               *, create: bool = False, seed: bool = False) -> EventStore:
    """The store ``url`` names (default: ``$GEODATA_DB``, else the embedded default).

    A missing store is a NoStoreError that says how to create one, unless ``create``
    (``seed``: filled from seeds/). Reads go to ``read_url`` when given; without
    ``url`` or ``read_url``, ``$GEODATA_DB_READ`` is the read URL (an explicit ``--db``
    is never read through a replica of another store)."""
    if read_url is None and url is None:
        read_url = os.environ.get(READ_ENV) or None
    primary = _open(url if url is not None else default_url(), create=create, seed=seed)
    if not read_url:
        return primary
    try:
        reader = _open(read_url, create=False, seed=False)
    except BaseException:
        primary.close()
        raise
    return SplitStore(primary, reader)


def _open(url: str | os.PathLike, *, create: bool, seed: bool) -> SqlStore:
    if is_postgres(url):
        from geodata.store.postgres import PostgresStore

        return PostgresStore(str(url), create=create, seed=seed)
    from geodata.store.sqlite import Store

    return Store(Path(url) if isinstance(url, os.PathLike) else url, create=create, seed=seed)


class SplitStore:
    """Writes to the primary, reads from a read-only copy (a streaming replica). The
    reads may lag the writes by the replica's delay; ``revision`` is the replica's, so
    what is cached by revision always matches what was read."""

    # writes, and what an editor reads to write (the revision it edits, the history it
    # restores from): from the primary, so a lagging replica never causes a false conflict
    _PRIMARY = frozenset({"put", "put_batches", "history", "deleted", "event_revisions", "linking"})

    def __init__(self, primary: SqlStore, reader: SqlStore):
        self.primary, self.reader = primary, reader
        self.label = f"{primary.label} (reads: {reader.label})"
        self.key = reader.key

    def __getattr__(self, name: str):
        return getattr(self.primary if name in self._PRIMARY else self.reader, name)

    def files(self) -> list:
        return [*self.primary.files(), *self.reader.files()]

    def close(self) -> None:
        self.primary.close()
        self.reader.close()

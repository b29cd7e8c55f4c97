"""The store's errors: one line each, for the CLI and the pages to show as they are."""

from __future__ import annotations

from geodata.errors import GeodataError


class StoreError(GeodataError):
    """The store cannot be used (not a store, newer schema, unwritable, busy, full)."""


class NoStoreError(StoreError):
    """Nothing is stored at the given place: the message says how to create a store."""


class ConflictError(StoreError):
    """An event was changed by another writer since the revision the writer edited."""

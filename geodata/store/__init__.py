"""The event store: one interface (EventStore), two backends chosen by one setting.

``--db`` or ``$GEODATA_DB``: a path or ``sqlite:///path`` is the embedded SQLite store
(sqlite.py, the default); ``postgresql://user@host/db`` is a team's PostgreSQL/PostGIS
store (postgres.py). Both run the same SQL (base.py) with one where-builder reading
filters.RULES. Nothing outside this package runs SQL.

``open_store`` is how commands and the dashboard open a store: a missing one is an
error saying how to create it (``python -m geodata init --seed``). ``Store`` is the
SQLite class, which creates (and seeds) a missing file unless ``create=False``.
"""

from geodata.store.base import (ACTIONS, ANALYST_ENV, DB_ENV, INIT_HINT, MAX_REASON_LENGTH,
                                READ_ENV, SCHEMA_VERSION, Change, ConflictError, EventRow,
                                EventStore, NoStoreError, Revision, StoreError, analyst,
                                default_path, default_url, is_postgres, row_problem)
from geodata.store.open import SplitStore, open_store
from geodata.store.sqlite import BUSY_TIMEOUT_ENV, DEFAULT_BUSY_TIMEOUT, Store, default_busy_timeout

__all__ = ["ACTIONS", "ANALYST_ENV", "MAX_REASON_LENGTH", "BUSY_TIMEOUT_ENV", "Change", "Revision", "analyst", "DB_ENV", "DEFAULT_BUSY_TIMEOUT", "INIT_HINT", "READ_ENV",
           "SCHEMA_VERSION", "ConflictError", "EventRow", "EventStore", "NoStoreError",
           "SplitStore", "Store", "StoreError", "default_busy_timeout", "default_path",
           "default_url", "is_postgres", "open_store", "row_problem"]

"""The event store: one interface (EventStore), two backends chosen by one setting.

``--db`` or ``$GEODATA_DB``: a path or ``sqlite:///path`` is the embedded SQLite store
(sqlite.py, the default); ``postgresql://user@host/db`` is a team's PostgreSQL/PostGIS
store (postgres.py). Both run the same SQL (base.py) with one where-builder reading
filters.RULES. Nothing outside this package runs SQL.

``open_store`` is how commands and the dashboard open a store: a missing one is an
error saying how to create it (``python -m geodata init --seed``). ``Store`` is the
SQLite class, which creates (and seeds) a missing file unless ``create=False``.
"""

from geodata.store.base import (DB_ENV, INIT_HINT, READ_ENV, SCHEMA_VERSION, EventRow, EventStore,
                                default_path, default_url, is_postgres, row_problem)
from geodata.store.errors import ConflictError, NoStoreError, StoreError
from geodata.store.history import ACTIONS, ANALYST_ENV, MAX_REASON_LENGTH, Change, Revision, analyst
from geodata.store.open import SplitStore, open_store
from geodata.store.sqlite import BUSY_TIMEOUT_ENV, DEFAULT_BUSY_TIMEOUT, Store, default_busy_timeout

__all__ = ["ACTIONS", "ANALYST_ENV", "BUSY_TIMEOUT_ENV", "DB_ENV", "DEFAULT_BUSY_TIMEOUT",
           "INIT_HINT", "MAX_REASON_LENGTH", "READ_ENV", "SCHEMA_VERSION", "Change",
           "ConflictError", "EventRow", "EventStore", "NoStoreError", "Revision", "SplitStore",
           "Store", "StoreError", "analyst", "default_busy_timeout", "default_path",
           "default_url", "is_postgres", "open_store", "row_problem"]

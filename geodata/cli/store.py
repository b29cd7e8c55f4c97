"""``python -m geodata init``: create an event store (explicitly: no command creates
one by accident at a mistyped --db); ``python -m geodata check``: list the stored rows
that no longer validate.

Reads skip such rows (and log them) so one bad row never breaks a page or an export;
``check`` is how a user finds them all: one line per row, exit 1 if any."""

from __future__ import annotations

import argparse
import sys

from geodata.store import DB_ENV, NoStoreError, StoreError, default_url, open_store


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """``--db``: a path, ``sqlite:///path`` or ``postgresql://user@host/db``."""
    parser.add_argument("--db", metavar="URL",
                        help=f"the event store: a file path, sqlite:///PATH or "
                             f"postgresql://USER@HOST/DB (default: ${DB_ENV}, else "
                             "~/.local/share/geodata/events.sqlite); create one with "
                             "python -m geodata init")


def register(commands: argparse._SubParsersAction) -> None:
    i = commands.add_parser("init", help="create an event store (optionally with the seed catalogue)",
                            description="Create an empty event store at --db (a file, or a "
                                        "PostgreSQL database with PostGIS), or one filled from "
                                        "seeds/ with --seed. A store that is already there is "
                                        "never changed: that is an error, or nothing with "
                                        "--exist-ok.")
    add_db_option(i)
    i.add_argument("--seed", action="store_true",
                   help="fill the new store with the seed catalogue (geocodes its places: "
                        "builds the gazetteer index first if needed)")
    i.add_argument("--exist-ok", action="store_true",
                   help="a store already there is fine: leave it as it is and exit 0")
    i.set_defaults(run=run_init)

    c = commands.add_parser("check", help="list stored events and sources that no longer validate",
                            description="Validate every stored event and source; print one line "
                                        "per invalid row (id: field: problem). Exit 1 if any, "
                                        "0 if all are valid. The store is only read.")
    add_db_option(c)
    c.set_defaults(run=run_check)


class StoreExistsError(StoreError):
    """init where a store already is."""


def run_init(args: argparse.Namespace) -> int:
    url = args.db or default_url()
    try:
        store = open_store(url)
    except NoStoreError:
        store = None
    if store is not None:
        count = store.count()
        store.close()
        if args.exist_ok:
            print(f"{store.label}: an event store is already here ({count} events); left as it is",
                  file=sys.stderr)
            return 0
        raise StoreExistsError(f"{store.label}: an event store is already here ({count} events); "
                               "nothing was changed (give --exist-ok to accept it)")
    store = open_store(url, create=True, seed=args.seed)
    count = store.count()
    store.close()
    print(f"{store.label}: created an event store with {count} events"
          + (" from seeds/" if args.seed else ""), file=sys.stderr)
    return 0


def run_check(args: argparse.Namespace) -> int:
    store = open_store(args.db)
    bad_events = bad_sources = 0
    for row_id, problem in store.invalid_rows():
        print(f"{row_id}: {problem}")
        if row_id.startswith("source "):
            bad_sources += 1
        else:
            bad_events += 1
    events, sources = store.count(), len(store.sources()) + bad_sources
    if bad_events or bad_sources:
        print(f"{bad_events} of {events} events and {bad_sources} of {sources} sources do not "
              "validate: reads skip them; correct and re-import them, or remove them",
              file=sys.stderr)
        return 1
    print(f"{store.label}: {events} events and {sources} sources: all valid", file=sys.stderr)
    return 0

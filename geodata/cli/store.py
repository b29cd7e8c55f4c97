"""``python -m geodata check``: list the stored rows that no longer validate.

Reads skip such rows (and log them) so one bad row never breaks a page or an export;
this command is how a user finds them all: one line per row, exit 1 if any."""

from __future__ import annotations

import argparse
import sys

from geodata.cli.events import add_db_option
from geodata.store import Store


def register(commands: argparse._SubParsersAction) -> None:
    c = commands.add_parser("check", help="list stored events and sources that no longer validate",
                            description="Validate every stored event and source; print one line "
                                        "per invalid row (id: field: problem). Exit 1 if any, "
                                        "0 if all are valid. The store is only read.")
    add_db_option(c)
    c.set_defaults(run=run_check)


def run_check(args: argparse.Namespace) -> int:
    store = Store(args.db, create=False)
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
    print(f"{store.path}: {events} events and {sources} sources: all valid", file=sys.stderr)
    return 0

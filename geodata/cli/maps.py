"""The map command: the filtered events as a map to take into a briefing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geodata.cli.events import add_blur_option, add_filter_options, filter_from
from geodata.cli.store import add_db_option
from geodata.events.blur import check_blur_km
from geodata.maps.briefing import DEFAULT_TITLE, MAX_TITLE
from geodata.store import open_store


def register(commands: argparse._SubParsersAction) -> None:
    m = commands.add_parser(
        "map", help="draw the filtered events as a map: standalone HTML or PNG",
        description="Draw the events that match every given filter as a map for a briefing: "
                    "OUT.html is one file that works offline (the dashboard's layers, popups "
                    "and legend), OUT.png an image; both carry the title, the filters and "
                    "period, the count, the data attribution and the sources cited.")
    m.add_argument("output", type=Path, metavar="OUT", help="OUT.html or OUT.png")
    m.add_argument("--title", metavar="TEXT",
                   help=f"one line, at most {MAX_TITLE} characters (default: {DEFAULT_TITLE})")
    add_filter_options(m)
    add_blur_option(m)
    add_db_option(m)
    m.set_defaults(run=run_map)


def run_map(args: argparse.Namespace) -> int:
    from geodata.maps.output import write_map

    f = filter_from(args)
    blur_km = check_blur_km(args.blur_km)
    store = open_store(args.db)
    count = write_map(store, f, args.output, args.title, blur_km=blur_km)
    print(f"drew {count} of {store.count()} events to {args.output}", file=sys.stderr)
    return 0

"""Commands for events: export, import, systems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geodata import systems
from geodata.events.filters import EventFilter
from geodata.io.export import export
from geodata.io.importer import import_geojson
from geodata.store import DB_ENV, Store


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, metavar="PATH",
                        help=f"the event store (default: ${DB_ENV}, else "
                             "~/.local/share/geodata/events.sqlite; created and seeded on first use)")


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", action="append", default=[], metavar="K",
                        help="strike, launch_site, transfer, deployment, incident, meeting, "
                             "agreement, test or production (repeatable)")
    parser.add_argument("--system", action="append", default=[], metavar="S",
                        help="weapon system, any alias: KN-23, Hwasong-11, S-400 ... (repeatable)")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="events that end on or after")
    parser.add_argument("--until", metavar="YYYY-MM-DD", help="events that start on or before")
    parser.add_argument("--country", action="append", default=[], metavar="CC",
                        help="events with a place in this country (ISO alpha-2; repeatable)")
    parser.add_argument("--source", action="append", default=[], metavar="ID",
                        help="events citing this source id (repeatable)")
    parser.add_argument("--status", action="append", default=[], metavar="S",
                        help="reported, corroborated, confirmed or disputed (repeatable)")
    parser.add_argument("--min-precision", metavar="N",
                        help="events at least this precise: 1 town, 2 near, 3 region, 4 country")
    parser.add_argument("--search", metavar="TEXT", help="text in title, description or places")
    parser.add_argument("--bbox", metavar="W,S,E,N",
                        help="events whose point (a route's destination) lies in this box, degrees")


def filter_from(args: argparse.Namespace) -> EventFilter:
    return EventFilter.build(kinds=args.kind, systems=args.system, since=args.since,
                             until=args.until, countries=args.country, sources=args.source,
                             statuses=args.status, max_geo_precision=args.min_precision,
                             text=args.search, bbox=args.bbox and args.bbox.split(","))


def register(commands: argparse._SubParsersAction) -> None:
    e = commands.add_parser("export", help="export filtered events (GeoJSON, CSV, GeoPackage)",
                            description="Export the events that match every given filter.")
    e.add_argument("output", type=Path, metavar="OUT")
    e.add_argument("--format", choices=("geojson", "csv", "gpkg", "kml", "parquet"),
                   help="default: from OUT's extension (.geojson/.json, .csv, .gpkg)")
    add_filter_options(e)
    add_db_option(e)
    e.set_defaults(run=run_export)

    i = commands.add_parser("import", help="import events from GeoJSON in our schema",
                            description="Add the events of a GeoJSON file written by "
                                        "'export' (same ids are replaced). The whole file is "
                                        "validated first: on any error nothing is stored. A "
                                        "stored source is never rewritten: one that differs is "
                                        "kept under a new id, and the summary says so.")
    i.add_argument("file", type=Path, metavar="FILE")
    add_db_option(i)
    i.set_defaults(run=run_import)

    s = commands.add_parser("systems", help="list the weapon systems and their aliases")
    s.set_defaults(run=run_systems)


def run_export(args: argparse.Namespace) -> int:
    f = filter_from(args)
    store = Store(args.db)
    count = export(store, f, args.output, args.format)
    print(f"exported {count} of {store.count()} events to {args.output}", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace) -> int:
    store = Store(args.db)
    summary = import_geojson(store, args.file)
    for line in summary.lines(args.file, store.count()):
        print(line, file=sys.stderr)
    return 0


def run_systems(args: argparse.Namespace) -> int:
    for system in systems.catalogue():
        reach = f"{system.nominal_range_km:g} km" if system.nominal_range_km else "range n/a"
        print(f"{system.id:22} {system.name} [{system.category}, {system.origin}, {reach}]")
        print(f"{'':22} aliases: {', '.join(system.aliases)}")
    return 0

"""Commands for events: export, import, systems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geodata import systems
from geodata.errors import GeodataError
from geodata.events.blur import MAX_BLUR_KM, MIN_BLUR_KM, check_blur_km
from geodata.events.filters import EventFilter
from geodata.events.model import Kind
from geodata.io.export import export
from geodata.cli.store import add_db_option
from geodata.io.importer import import_geojson
from geodata.store import open_store

SNIFF_BYTES = 65_536


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
    parser.add_argument("--tag", action="append", default=[], metavar="TAG",
                        help="events with this tag, ignoring case (repeatable)")


def add_blur_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--blur-km", metavar="N",
                        help="coarsen coordinates before publishing: every place snapped to the "
                             "centre of an N km grid cell, its radius enlarged by half the cell's "
                             f"diagonal, pins become areas ({MIN_BLUR_KM:g} to {MAX_BLUR_KM:g}); the store "
                             "keeps the reported coordinates")


def filter_from(args: argparse.Namespace) -> EventFilter:
    return EventFilter.build(kinds=args.kind, systems=args.system, since=args.since,
                             until=args.until, countries=args.country, sources=args.source,
                             statuses=args.status, max_geo_precision=args.min_precision,
                             text=args.search, bbox=args.bbox and args.bbox.split(","),
                             tags=args.tag)


def register(commands: argparse._SubParsersAction) -> None:
    e = commands.add_parser("export", help="export filtered events (GeoJSON, CSV, GeoPackage)",
                            description="Export the events that match every given filter.")
    e.add_argument("output", type=Path, metavar="OUT")
    e.add_argument("--format", choices=("geojson", "csv", "gpkg", "kml", "parquet"),
                   help="default: from OUT's extension (.geojson/.json, .csv, .gpkg)")
    add_filter_options(e)
    add_blur_option(e)
    add_db_option(e)
    e.set_defaults(run=run_export)

    i = commands.add_parser(
        "import", help="import a dataset: ACLED, UCDP GED, CIR, our GeoJSON, any CSV with --map",
        description="Add the events of a dataset file. The format is detected (or give "
                    "--format); any other CSV or GeoJSON is read through a column mapping "
                    "(--map or a saved --profile). Each event keeps the dataset's own id, so "
                    "importing the same file again adds nothing and a changed row updates its "
                    "event; every event cites the file (name, sha256, row). The whole file is "
                    "checked first: on any error nothing is stored, unless --skip-invalid.")
    i.add_argument("file", type=Path, metavar="FILE")
    i.add_argument("--format", metavar="F",
                   help="geojson (our export), acled, ucdp, cir, ... or mapped (with --map or "
                        "--profile); default: detected from the file")
    i.add_argument("--dry-run", action="store_true",
                   help="check every row and print the summary; write nothing")
    i.add_argument("--restore-deleted", action="store_true",
                   help="bring back events that were deleted in the store since they were "
                        "imported (by default they stay deleted)")
    i.add_argument("--skip-invalid", type=Path, metavar="REJECTS.csv",
                   help="import the valid rows and write the rejected ones (row, id, reason, "
                        "the original cells) to this CSV")
    i.add_argument("--map", metavar="TARGET=COLUMN,...",
                   help="read any CSV/GeoJSON: e.g. date=event_date,place=location,lat=y,lon=x "
                        "(targets: id, date, date_start, date_end, kind, title, description, "
                        "place, admin1, country, lat, lon, system, quantity, unit, killed, "
                        "injured, link, source)")
    i.add_argument("--default-kind", metavar="K", choices=[k.value for k in Kind],
                   help="the kind of every row when no column gives it (with --map)")
    i.add_argument("--profile", metavar="NAME",
                   help="a saved mapping ($GEODATA_PROFILES or ~/.config/geodata/profiles/NAME.yaml)")
    i.add_argument("--save-profile", metavar="NAME", help="save the --map mapping under this name")
    add_db_option(i)
    i.set_defaults(run=run_import)

    s = commands.add_parser("systems", help="list the weapon systems and their aliases")
    s.set_defaults(run=run_systems)


def run_export(args: argparse.Namespace) -> int:
    f = filter_from(args)
    blur_km = check_blur_km(args.blur_km)
    store = open_store(args.db)
    count = export(store, f, args.output, args.format, blur_km=blur_km)
    print(f"exported {count} of {store.count()} events to {args.output}", file=sys.stderr)
    return 0


class ImportOptionError(GeodataError):
    """Import options that do not fit together."""


def is_our_geojson(path: Path) -> bool:
    """Whether ``path`` looks like our own export (a FeatureCollection whose features
    carry our date_precision and sources): the default for such files."""
    if not path.is_file():
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES).decode("utf-8", "ignore")
    except OSError:
        return False
    return '"FeatureCollection"' in head and '"date_precision"' in head and '"sources"' in head


def _mapped_reader(args: argparse.Namespace):
    from geodata.io import profiles
    from geodata.io.readers.mapped import MappedReader

    if args.profile:
        profile = profiles.load(args.profile)
        if args.map:
            profile = profiles.build(profiles.parse_map(args.map),
                                     **profile.model_dump(exclude={"columns"}))
    else:
        profile = profiles.build(profiles.parse_map(args.map))
    if args.default_kind:
        profile = profile.model_copy(update={"kind": Kind(args.default_kind)})
    name = args.save_profile or args.profile
    if args.save_profile:
        saved = profiles.save(args.save_profile, profile)
        print(f"saved profile {args.save_profile} to {saved}", file=sys.stderr)
    return MappedReader(profile, name)


def run_import(args: argparse.Namespace) -> int:
    from geodata.io.datasets import check_input, import_dataset

    check_input(args.file)
    mapped = bool(args.map or args.profile)
    if args.save_profile and not args.map:
        raise ImportOptionError("--save-profile saves a --map mapping: give --map too")
    if args.default_kind and not mapped:
        raise ImportOptionError("--default-kind goes with --map or --profile")
    if args.format == "mapped" and not mapped:
        raise ImportOptionError("--format mapped needs --map or --profile")
    if mapped and args.format not in (None, "mapped"):
        raise ImportOptionError(f"--map/--profile read any CSV or GeoJSON; do not also give "
                                f"--format {args.format}")
    ours = not mapped and (args.format == "geojson" or args.format is None
                           and is_our_geojson(args.file))
    if ours:
        return _import_ours(args)
    reader = _mapped_reader(args) if mapped else args.format
    store = open_store(args.db)
    summary = import_dataset(store, args.file, reader, dry_run=args.dry_run,
                             restore_deleted=args.restore_deleted,
                             rejects=args.skip_invalid, progress=None)
    for line in summary.lines():
        print(line, file=sys.stderr)
    return 0


def _import_ours(args: argparse.Namespace) -> int:
    if args.skip_invalid:
        raise ImportOptionError("--skip-invalid is for dataset files; our GeoJSON export is "
                                "imported whole or not at all")
    store = open_store(args.db)
    if args.dry_run:
        from geodata.io.importer import _scan

        scan = _scan(args.file)
        print(f"would import {len(scan.ids)} events and {len(scan.sources)} sources from "
              f"{args.file}; dry run: nothing was written", file=sys.stderr)
        return 0
    summary = import_geojson(store, args.file, restore_deleted=args.restore_deleted)
    for line in summary.lines(args.file, store.count()):
        print(line, file=sys.stderr)
    return 0


def run_systems(args: argparse.Namespace) -> int:
    for system in systems.catalogue():
        reach = f"{system.nominal_range_km:g} km" if system.nominal_range_km else "range n/a"
        print(f"{system.id:22} {system.name} [{system.category}, {system.origin}, {reach}]")
        print(f"{'':22} aliases: {', '.join(system.aliases)}")
    return 0

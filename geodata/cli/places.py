"""Commands for places: geocode, geocode-csv, index."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geodata.places import added
from geodata.places.batch import geocode_csv
from geodata.places.cache import cache_root
from geodata.places.geocoder import Candidate, OfflineGeocoder
from geodata.places.gazetteer import Gazetteer

PRECISION_LABEL = {1: "town or site", 2: "near a place / part of a region", 3: "region",
                   4: "country"}


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _add_backend_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--country", metavar="CC",
                        help="only places in this country (ISO code such as UA, or a name); "
                             "nothing outside it is returned")
    parser.add_argument("--admin1", metavar="PROVINCE",
                        help="only places in this province (oblast, krai, region; misspellings "
                             "repaired); nothing outside it is returned")
    parser.add_argument("--backend", choices=("offline", "nominatim"), default="offline",
                        help="offline gazetteer (default) or OpenStreetMap Nominatim (online, "
                             "1 request/s, cached)")
    parser.add_argument("--user-agent", help="identifying user agent for --backend nominatim "
                                             "(or set GEODATA_USER_AGENT)")


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("geocode", help="resolve one place name to coordinates",
                            description="Print the best match for a place name, or exit 1 when "
                                        "nothing matches.")
    p.add_argument("name", help='a place name: "Kharkiv", "Kursk region", "north of Kyiv", '
                                '"Pokrovsk, Donetsk Oblast, Ukraine"')
    p.add_argument("--context", action="append", default=[], metavar="PLACE",
                   help="another place named in the same text (repeatable): nearby "
                        "candidates win")
    p.add_argument("--limit", type=_positive_int, default=1,
                   help="print up to this many ranked candidates (default 1)")
    p.add_argument("--json", action="store_true", help="print JSON (a list when --limit > 1)")
    _add_backend_options(p)
    p.set_defaults(run=run_geocode)

    c = commands.add_parser("geocode-csv", help="geocode every row of a CSV file",
                            description="Join the named columns of each row into one place "
                                        "string and write the rows back with lat, lon and "
                                        "geo_* columns. Unmatched rows are kept and marked.")
    c.add_argument("input", type=Path, help="CSV file with a header row (UTF-8)")
    c.add_argument("output", type=Path, help="CSV file to write (replaced if it exists)")
    c.add_argument("--columns", required=True, metavar="COL[,COL...]",
                   type=lambda s: [c for c in s.split(",")],
                   help="header names of the columns that make the place, most specific "
                        "first, e.g. town,province,country")
    c.add_argument("--delimiter", help="field delimiter: one character, or \\t or tab for a tab "
                                       "(default: detected)")
    c.add_argument("--limit", type=_positive_int, default=5,
                   help="an ambiguous row lists up to this many places it may be in "
                        "geo_alternatives (default 5)")
    c.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    _add_backend_options(c)
    c.set_defaults(run=run_geocode_csv)

    i = commands.add_parser("index", help="build the gazetteer index now (else built on first use)")
    i.add_argument("--rebuild", action="store_true", help="rebuild even if it is current")
    i.add_argument("--verify", action="store_true",
                   help="hash every file of the index against its build (a second or so) and "
                        "rebuild it if damaged; every start checks sizes, headers and file ends")
    i.add_argument("--add", action="append", default=[], type=Path, metavar="FILE",
                   help="add the populated places of a GeoNames country dump (UA.txt, the "
                        "19-column tab-separated format) or of a CSV with name,lat,lon,country"
                        "[,admin1] columns, then rebuild (repeatable)")
    i.add_argument("--remove", action="append", default=[], metavar="NAME",
                   help="take an added file out again, by its name, then rebuild")
    i.set_defaults(run=run_index)


def make_resolver(args: argparse.Namespace):
    if args.backend == "nominatim":
        from geodata.places.nominatim import CachedNominatim

        return CachedNominatim(args.user_agent)
    return OfflineGeocoder()


def _describe(c: Candidate) -> str:
    where = ", ".join(p for p in (c.admin1, c.country) if p)
    lines = [f"{c.name}  {c.lat:.5f}, {c.lon:.5f}",
             f"  {where} | precision {int(c.precision)} ({PRECISION_LABEL[int(c.precision)]}), "
             f"within ~{c.radius_km:.0f} km | score {c.score:.2f} | {c.match} match | {c.id}"
             + ("" if c.status == "ok" else f" | {c.status}")]
    return "\n".join(lines)


def _notes(query: str, c: Candidate) -> list[str]:
    if c.match == "fuzzy":
        return [f"note: no place is spelled {query!r}; matched the similar name {c.matched!r}"]
    if c.match == "fallback":
        return [f"note: no such place inside what {query!r} states; answered with {c.name}, "
                "the most specific stated unit (an area, not a pin)"]
    if c.status == "ambiguous":
        return [f"note: {len(c.alternatives)} places of that name are about as likely; answered "
                f"with {c.name}, the area that holds them (not a pin); --limit lists them"]
    if c.relation:
        return [f"note: a relative place: an area of ~{c.radius_km:.0f} km radius "
                f"{c.relation} {c.anchor}, not a point"]
    return []


def run_geocode(args: argparse.Namespace) -> int:
    resolver = make_resolver(args)
    found = resolver.candidates(args.name, country=args.country, admin1=args.admin1,
                                context=args.context, limit=args.limit)
    if not found:
        where = " in ".join(p for p in ("", args.admin1, args.country) if p)
        print(f"no place matches {args.name!r}{where}", file=sys.stderr)
        return 1
    for note in _notes(args.name, found[0]):
        print(note, file=sys.stderr)
    if args.json:
        data = [c.as_dict() for c in found]
        print(json.dumps(data[0] if args.limit == 1 else data, ensure_ascii=False, indent=1))
    else:
        print("\n".join(_describe(c) for c in found))
    return 0


def run_geocode_csv(args: argparse.Namespace) -> int:
    resolver = make_resolver(args)
    progress = None
    if not args.no_progress:
        from tqdm import tqdm

        progress = lambda total: (lambda rows: tqdm(rows, total=total, unit="row",  # noqa: E731
                                                    file=sys.stderr, desc="geocoding"))
    summary = geocode_csv(args.input, args.output, args.columns, resolver,
                          country=args.country, admin1=args.admin1, delimiter=args.delimiter,
                          alternatives=args.limit, progress=progress)
    if summary.replaced_columns:
        print(f"note: replaced the input's own {', '.join(summary.replaced_columns)} columns",
              file=sys.stderr)
    print(summary.text(), file=sys.stderr)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def run_index(args: argparse.Namespace) -> int:
    root = cache_root()
    if args.add:
        from geodata.places.build import province_codes

        codes = province_codes()
        for path in args.add:  # every file checked before any is copied
            added.read_records(path, codes)
        for path in args.add:
            target, count = added.add(path, root, codes)
            print(f"added {count:,} populated places from {path} (kept as {target})", file=sys.stderr)
    for name in args.remove:
        print(f"removed {added.remove(name, root)}", file=sys.stderr)
    gazetteer = Gazetteer.open(rebuild=args.rebuild, verify=args.verify)
    meta = gazetteer.meta
    print(f"gazetteer index: {gazetteer.folder}" + (" (verified)" if args.verify else ""))
    print(f"  {meta['places']} places, {meta['names']} names, {meta['fuzzy_keys']} spellings "
          f"for misspelling repair; built in {meta['build_seconds']} s")
    if meta.get("added_files"):
        print(f"  with added places from {', '.join(meta['added_files'])}")
    return 0

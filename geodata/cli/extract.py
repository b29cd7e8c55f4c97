"""``python -m geodata extract``: places, dates, systems and candidate events of a report."""

from __future__ import annotations

import argparse
import json
import stat
import sys
from datetime import date
from pathlib import Path

from geodata.cli.store import add_db_option
from geodata.errors import GeodataError
from geodata.extract.text import MAX_BYTES, decode, too_large


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("extract", help="extract places, dates, systems and events from a report",
                            description="Read a plain-text (or HTML) report in English and print the "
                                        "place, date, system and quantity mentions it makes and the "
                                        "candidate events they support. Nothing is stored.")
    p.add_argument("file", help="UTF-8 text or HTML file, or - for standard input")
    p.add_argument("--published", metavar="YYYY-MM-DD",
                   help="publication date that relative dates resolve against (default: today)")
    p.add_argument("--publisher", metavar="NAME")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run_extract)

    p = commands.add_parser(
        "add-report", help="review a report's candidate events and store the accepted ones",
        description="Extract candidate events from a report and show, for each, whether it repeats "
                    "a stored event (then it is stored as corroboration: the report becomes one more "
                    "source, differing figures become discrepancies) or is new. Nothing is stored "
                    "unless --accept names the events to store; all of them are written in one "
                    "transaction, or none.")
    p.add_argument("file", help="UTF-8 text or HTML file, or - for standard input")
    p.add_argument("--published", metavar="YYYY-MM-DD", required=True,
                   help="publication date; relative dates in the report resolve against it")
    p.add_argument("--publisher", metavar="NAME", required=True)
    p.add_argument("--title", metavar="TEXT", help="headline (default: the report's first line)")
    p.add_argument("--url", metavar="URL")
    p.add_argument("--accept", metavar="ID,...", default="",
                   help="candidate ids to store, comma-separated, or 'all'")
    p.add_argument("--new", metavar="ID,...", default="",
                   help="store these accepted candidates as new events even when they match a stored one")
    add_db_option(p)
    p.set_defaults(run=run_add_report)


def _published(value: str | None) -> date | None:
    from geodata.extract.dates import check_published

    if not value:
        return None
    try:
        return check_published(date.fromisoformat(value))
    except ValueError:
        raise GeodataError(f"--published {value!r} is not a date: use YYYY-MM-DD") from None
    except GeodataError as exc:
        raise GeodataError(f"--published {exc}") from None


def _read(name: str) -> str:
    """The report's text from a file or standard input, each way it can fail named."""
    if name == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:  # only the first MAX_BYTES + 1 were read: no size to give
            raise too_large("standard input")
        return decode(data, "standard input")
    path = Path(name)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise GeodataError(f"{name}: is a directory, not a report; give a text or HTML file")
        if not stat.S_ISREG(info.st_mode):
            raise GeodataError(f"{name}: is not a regular file (a device, pipe or socket); give a "
                               "text or HTML file, or - for standard input")
        if info.st_size > MAX_BYTES:
            raise too_large(name, info.st_size)
        with path.open("rb") as handle:
            return decode(handle.read(MAX_BYTES + 1), name)
    except FileNotFoundError:
        raise GeodataError(f"{name}: no such file") from None
    except PermissionError:
        raise GeodataError(f"{name}: permission denied") from None
    except OSError as exc:
        raise GeodataError(f"{name}: cannot read: {exc.strerror or exc}") from None


def run_extract(args: argparse.Namespace) -> int:
    published = _published(args.published)
    from geodata.extract.report import Extractor

    found = Extractor().extract(_read(args.file), published, args.publisher)
    if args.json:
        # allow_nan=False: never the non-JSON 'Infinity' (figures are bounded at extraction)
        print(json.dumps(found.as_json(), ensure_ascii=False, indent=1, default=str, allow_nan=False))
        return 0
    print(f"{len(found.places)} place mentions, {len(found.dates)} dates, {len(found.systems)} "
          f"system mentions, {len(found.quantities)} quantities, {len(found.events)} candidate events")
    for p in found.places:
        where = f"{p.candidate.name} ({p.candidate.country}, precision {int(p.candidate.precision)})" \
            if p.candidate else "not resolved"
        print(f"  place  {p.start:>6}  {p.text!r} -> {where}")
    for d in found.dates:
        print(f"  date   {d.start:>6}  {d.text!r} -> {d.date_start}..{d.date_end} ({d.precision.value})")
    for e, c in zip(found.events, found.candidates):
        where = (e.get("place") or e.get("destination") or {}).get("name")
        print(f"  event  {e['kind']:<11} {e.get('date_start', '')} {where} {', '.join(e['systems'])}  "
              f"(confidence {c.confidence:.2f}, {len(c.evidence)} sentences)")
    return 0


def _ids(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def run_add_report(args: argparse.Namespace) -> int:
    from geodata.extract.report import Extractor
    from geodata.extract.review import NEW, report_source, review, store_accepted
    from geodata.store import open_store

    from geodata.extract.text import prepare

    text, published = prepare(_read(args.file), args.file), _published(args.published)
    source = report_source(text, published, args.publisher, args.title, args.url)
    extractor = Extractor()
    found = extractor.extract(text, published, source.publisher, source_id=source.id)
    store = open_store(args.db)
    pending = review(found, source, store)
    rows = pending.rows()
    ids = {row["id"] for row in rows}
    accept = ids if args.accept.strip() == "all" else set(_ids(args.accept))
    for option, named in (("--accept", accept), ("--new", set(_ids(args.new)))):
        unknown = sorted(named - ids)
        if unknown:
            raise GeodataError(f"{option}: no candidate {', '.join(unknown)} in this report "
                               "(run without --accept to list them)")
    for row in rows:
        row["accept"] = row["id"] in accept
        if row["id"] in _ids(args.new):
            row["store_as"] = NEW
    print(f"{source.id}: {source.publisher}, {source.published}, {source.title!r}")
    if pending.done:
        print(f"  already stored from this report: {', '.join(pending.done)}")
    for row, matches in zip(rows, pending.matches):
        where = row["place"] or f"{row['origin']} -> {row['destination']}"
        mark = "+" if row["accept"] else " "
        print(f"{mark} {row['id']:<22} {row['kind']:<11} {row['date']:<10} {where}  {row['systems']}  "
              f"confidence {row['confidence']:.2f}")
        for match in matches:
            chosen = "stored as corroboration of" if row["store_as"] == match.event.id else "also near"
            print(f"      {chosen} {match.describe()}")
    if not accept:
        print(f"{len(rows)} candidate events; nothing stored (pass --accept ID,... or --accept all)")
        return 0
    stored = store_accepted(pending, rows, store, extractor.geocoder)
    print(f"stored {len(stored.added)} new events and corroborated {len(stored.corroborated)} "
          f"with source {stored.source} in {store.path}")
    return 0

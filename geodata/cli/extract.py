"""``python -m geodata extract``: places, dates, systems and candidate events of a report."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from geodata.errors import GeodataError
from geodata.extract.text import MAX_BYTES, decode


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


def _read(name: str) -> str:
    if name == "-":
        return decode(sys.stdin.buffer.read(MAX_BYTES + 1), "standard input")
    path = Path(name)
    if not path.is_file():
        raise GeodataError(f"{name}: no such file")
    with path.open("rb") as handle:
        return decode(handle.read(MAX_BYTES + 1), name)


def run_extract(args: argparse.Namespace) -> int:
    try:
        published = date.fromisoformat(args.published) if args.published else None
    except ValueError:
        raise GeodataError(f"--published {args.published!r} is not a date: use YYYY-MM-DD") from None
    from geodata.extract.report import Extractor

    found = Extractor().extract(_read(args.file), published, args.publisher)
    if args.json:
        print(json.dumps(found.as_json(), ensure_ascii=False, indent=1, default=str))
        return 0
    print(f"{len(found.places)} place mentions, {len(found.dates)} dates, {len(found.systems)} "
          f"system mentions, {len(found.quantities)} quantities, {len(found.events)} candidate events")
    for p in found.places:
        where = f"{p.candidate.name} ({p.candidate.country}, precision {int(p.candidate.precision)})" \
            if p.candidate else "not resolved"
        print(f"  place  {p.start:>6}  {p.text!r} -> {where}")
    for d in found.dates:
        print(f"  date   {d.start:>6}  {d.text!r} -> {d.date_start}..{d.date_end} ({d.precision.value})")
    for e in found.events:
        where = (e.get("place") or e.get("destination") or {}).get("name")
        print(f"  event  {e['kind']:<11} {e.get('date_start', '')} {where} {', '.join(e['systems'])}")
    return 0

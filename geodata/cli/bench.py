"""``python -m geodata bench``: print speed and memory figures next to the peers'."""

from __future__ import annotations

import argparse
import importlib

BENCHES = ("places", "events", "extract", "imports", "store")  # modules of geodata.bench, imported when run (heavy)


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("bench", help="measure speed and memory against peer tools",
                            description="Print benchmark figures, ours next to the peer "
                                        "tool's measured in the same run, and the ratios.")
    p.add_argument("--quick", action="store_true", help="smaller samples (a smoke run)")
    p.add_argument("--only", choices=tuple(BENCHES), action="append",
                   help="run only this benchmark (repeatable; default: all)")
    p.set_defaults(run=run_bench)


def run_bench(args: argparse.Namespace) -> int:
    from geodata.bench.places import report

    for name in args.only or BENCHES:
        heading, figures = importlib.import_module(f"geodata.bench.{name}").run(quick=args.quick)
        print(report(heading, figures), end="\n\n", flush=True)
    return 0

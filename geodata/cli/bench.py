"""``python -m geodata bench``: print speed and memory figures next to the peers'."""

from __future__ import annotations

import argparse

from geodata.bench import places


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("bench", help="measure speed and memory against peer tools",
                            description="Print benchmark figures, ours next to the peer "
                                        "tool's measured in the same run, and the ratios.")
    p.add_argument("--quick", action="store_true", help="smaller samples (a smoke run)")
    p.set_defaults(run=run_bench)


def run_bench(args: argparse.Namespace) -> int:
    meta, figures = places.run(quick=args.quick)
    print(places.report(meta, figures))
    return 0

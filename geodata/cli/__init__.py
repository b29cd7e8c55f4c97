"""The command line: ``python -m geodata COMMAND ...``.

Each command lives in a module of this package that registers its sub-parser; every
command returns an exit status. Errors a user can fix (``GeodataError``) are printed
as one line without a traceback: exit 1 means "nothing found", 2 "bad input".
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from geodata import __version__
from geodata.errors import GeodataError
from geodata.cli import bench, events, extract, places, store

EXIT_NOT_FOUND, EXIT_BAD_INPUT = 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geodata",
        description="Sourced, geocoded events of the North Korea–Russia weapons pipeline.")
    parser.add_argument("--version", action="version", version=f"geodata {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (places, events, extract, store, bench):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except GeodataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `python -m geodata ... | head`
        return 0

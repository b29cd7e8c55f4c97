"""The command line: ``python -m geodata COMMAND ...``.

Each command lives in a module of this package that registers its sub-parser; every
command returns an exit status. Errors a user can fix (``GeodataError``) are printed
as one line without a traceback: exit 1 means "nothing found", 2 "bad input". An OS
error or MemoryError that a command did not explain is still one line and exit 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from geodata import __version__
from geodata.atomic import REASONS
from geodata.errors import GeodataError
from geodata.cli import bench, edits, events, extract, maps, places, store

EXIT_NOT_FOUND, EXIT_BAD_INPUT = 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geodata",
        description="Sourced, geocoded events of the North Korea–Russia weapons pipeline.")
    parser.add_argument("--version", action="version", version=f"geodata {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (places, events, maps, extract, store, edits, bench):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    stdout, sys.stdout = sys.stdout, _Stdout(sys.stdout)
    try:
        status = args.run(args)
        sys.stdout.flush()  # a full disk behind stdout shows here, not as a traceback at exit
        return status
    except GeodataError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `python -m geodata ... | head`
        _drop_stdout(stdout)
        return 0
    except _StdoutError as exc:
        _drop_stdout(stdout)
        return _fail(f"cannot write to standard output: {exc.args[0].strerror or exc.args[0]}")
    except OSError as exc:  # what no command turned into a GeodataError: still one line
        return _fail(describe_oserror(exc))
    except MemoryError:
        return _fail("out of memory: the input is too large for this machine")
    finally:
        sys.stdout = stdout


class _StdoutError(Exception):
    """Writing standard output failed (args[0]: the OSError)."""


class _Stdout:
    """sys.stdout that says so when a write fails: an OSError from a write has no file
    name, and "disk is full" must not be blamed on a file the user named."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _StdoutError(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _StdoutError(exc) from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def describe_oserror(exc: OSError) -> str:
    """'PATH: reason' for an OS error, in the words a user knows ("disk is full")."""
    reason = REASONS.get(exc.errno) or str(exc.strerror or exc)
    reason = reason.removeprefix("the ")
    reason = reason[:1].lower() + reason[1:]
    return f"{os.fsdecode(exc.filename)}: {reason}" if exc.filename is not None else reason


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _drop_stdout(stream) -> None:
    """Point stdout at /dev/null so what is still buffered cannot fail again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's capture): nothing is flushed at exit

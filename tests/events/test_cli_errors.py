"""Whatever escapes a command is one line and exit 2, never a traceback (issue 9, item 12):
an OS error (full disk, standard output to /dev/full), running out of memory."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pytest

from geodata import cli

ROOT = Path(__file__).resolve().parents[2]


def test_standard_output_to_a_full_device_is_one_line_exit_2():
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "geodata", "systems"], cwd=ROOT, stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr == "error: cannot write to standard output: No space left on device\n"


def test_a_closed_pipe_is_quiet():
    process = subprocess.Popen([sys.executable, "-m", "geodata", "systems"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 0
    assert stderr == ""


def failing(exc: BaseException):
    def run(args):
        raise exc
    return run


@pytest.mark.parametrize("exc, line", [
    (OSError(errno.ENOSPC, "No space left on device", "out.csv"), "error: out.csv: disk is full"),
    (PermissionError(errno.EACCES, "Permission denied", "/etc/x"), "error: /etc/x: permission denied"),
    (OSError(errno.EIO, "Input/output error"), "error: input/output error"),
    (MemoryError(), "error: out of memory: the input is too large for this machine"),
])
def test_an_error_escaping_a_command_is_one_line_exit_2(monkeypatch, capsys, exc, line):
    from geodata.cli import events

    monkeypatch.setattr(events, "run_systems", failing(exc))
    assert cli.main(["systems"]) == 2
    assert capsys.readouterr().err == line + "\n"

"""geocode-csv with the CSV files and output targets a careless user or an attacker
gives it: RFC 4180 quoting, unclosed quotes, bad delimiters, and outputs that cannot or
must not be written. Each case is one line on stderr, exit 2, and no output file."""

import csv
import errno
import os
from pathlib import Path

import pytest

from geodata.errors import GeodataError
from geodata.places import batch
from geodata.places.batch import geocode_csv
from geodata.places.geocoder import Candidate, GeoPrecision


class _Fixed:
    """A resolver that knows two towns, so these tests need no gazetteer."""

    PLACES = {"kharkiv": (49.98, 36.25), "kyiv": (50.45, 30.52)}

    def candidates(self, query, *, country=None, context=(), limit=5):
        point = self.PLACES.get(query.split(",")[0].strip().lower())
        if point is None:
            return []
        return [Candidate(query=query, name=query.split(",")[0], lat=point[0], lon=point[1],
                          country="UA", admin1=None, feature_type="populated_place",
                          precision=GeoPrecision.TOWN, score=1.0, radius_km=5.0, match="exact",
                          matched=query.lower(), id="test:1", population=1, coords_source="test")]

    def country_code(self, text):
        return text


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_geocode_csv_reads_a_bare_quote_inside_a_field_as_data(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('town,note\nKharkiv,a 5" shell\nKyiv,"said ""hello"""\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    summary = geocode_csv(src, out, ["town"], _Fixed())
    assert summary.rows == 2 and summary.statuses["ok"] == 2
    rows = _rows(out)
    assert rows[1][:2] == ["Kharkiv", 'a 5" shell']
    assert rows[2][:2] == ["Kyiv", 'said "hello"']
    # written back quoted as RFC 4180 says: the field in quotes, its quote doubled
    assert '"a 5"" shell"' in out.read_text(encoding="utf-8")


def test_geocode_csv_bare_quote_with_the_cli(cli, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('town,note\nKharkiv,a 5" shell\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    result = cli("geocode-csv", str(src), str(out), "--columns", "town", "--no-progress")
    assert result.returncode == 0, result.stderr
    assert _rows(out)[1][:2] == ["Kharkiv", 'a 5" shell']


@pytest.mark.parametrize("text, line", [
    ('town,note\n"Kharkiv,a\nKyiv,x\nLviv,y\n', 2),
    ('town,note\nKyiv,x\nKharkiv,"unclosed\nLviv,y\n', 3),
    ('town,note\nKyiv,"two\nlines",\nKharkiv,x\nLviv,"open\n', 5),
])
def test_geocode_csv_unclosed_quote_names_its_line_and_writes_nothing(tmp_path, text, line):
    src = tmp_path / "in.csv"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    with pytest.raises(GeodataError, match=rf"line {line}: a quoted field is never closed"):
        geocode_csv(src, out, ["town"], _Fixed())
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]


def test_geocode_csv_unclosed_quote_with_the_cli(cli, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('town,note\n"Kharkiv,a\nKyiv,x\nLviv,y\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    result = cli("geocode-csv", str(src), str(out), "--columns", "town", "--no-progress")
    assert result.returncode == 2
    assert "line 2: a quoted field is never closed" in result.stderr
    assert "rows" not in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_geocode_csv_text_after_a_closing_quote_names_its_line(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('town,note\nKyiv,x\n"Kharkiv" Oblast,y\n', encoding="utf-8")
    with pytest.raises(GeodataError, match=r"line 3: .*after the closing quote"):
        geocode_csv(src, tmp_path / "out.csv", ["town"], _Fixed())


@pytest.mark.parametrize("delimiter, message", [
    ("ab", "one character"),
    ("", "one character"),
    ('"', "cannot be the quote"),
    ("\n", "cannot be a line break"),
])
def test_geocode_csv_refuses_a_delimiter_that_is_not_one_character(cli, tmp_path, delimiter, message):
    src = tmp_path / "in.csv"
    src.write_text("town\nKyiv\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = cli("geocode-csv", str(src), str(out), "--columns", "town", "--no-progress",
                 "--delimiter", delimiter)
    assert result.returncode == 2
    assert "--delimiter" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_geocode_csv_refuses_to_write_onto_its_input_under_another_name(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("town\nKyiv\n", encoding="utf-8")
    os.link(src, tmp_path / "hardlink.csv")
    with pytest.raises(GeodataError, match="must not be overwritten"):
        geocode_csv(src, tmp_path / "hardlink.csv", ["town"], _Fixed())
    assert src.read_text() == "town\nKyiv\n"


def _targets(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    folder = tmp_path / "folder"
    folder.mkdir()
    (tmp_path / "a-file").write_text("x")
    return {
        "a directory": (folder, "is a directory"),
        "an over-long name": (tmp_path / ("x" * 300 + ".csv"), "too long"),
        "a device": (Path("/dev/full"), "not a regular file"),
        "a path through a file": (tmp_path / "a-file" / "out.csv", "is a file"),
    }


@pytest.mark.parametrize("target", ["a directory", "an over-long name", "a device",
                                    "a path through a file"])
def test_geocode_csv_to_an_unwritable_target_is_one_line(cli, tmp_path, target):
    src = tmp_path / "in.csv"
    src.write_text("town\nKyiv\n", encoding="utf-8")
    out, message = _targets(tmp_path)[target]
    result = cli("geocode-csv", str(src), str(out), "--columns", "town", "--no-progress")
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert src.read_text() == "town\nKyiv\n"


@pytest.mark.parametrize("code, message", [(errno.ENOSPC, "disk is full"),
                                           (errno.EROFS, "read-only file system")])
def test_geocode_csv_full_disk_or_read_only_is_one_line_and_leaves_no_file(tmp_path, monkeypatch,
                                                                          code, message):
    """A write that fails half-way (full disk, file system remounted read-only) is named,
    and neither the output nor a temporary file is left behind."""
    src = tmp_path / "in.csv"
    src.write_text("town\n" + "Kyiv\n" * 5000, encoding="utf-8")
    out = tmp_path / "out.csv"
    real_writer = csv.writer

    class Failing:
        def __init__(self, handle, dialect):
            self._writer, self._rows = real_writer(handle, dialect), 0

        def writerow(self, row):
            self._rows += 1
            if self._rows > 100:
                raise OSError(code, os.strerror(code))
            return self._writer.writerow(row)

    monkeypatch.setattr(batch.csv, "writer", Failing)
    with pytest.raises(GeodataError, match=message):
        geocode_csv(src, out, ["town"], _Fixed())
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


@pytest.mark.parametrize("given", ["\\t", "tab", "\t"])
def test_geocode_csv_takes_a_tab_delimiter_as_a_shell_passes_it(tmp_path, given):
    src = tmp_path / "in.tsv"
    src.write_text("town\tnote\nKyiv\ta, b\n", encoding="utf-8")
    out = tmp_path / "out.tsv"
    assert geocode_csv(src, out, ["town"], _Fixed(), delimiter=given).statuses["ok"] == 1
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("Kyiv\ta, b\t50.45")

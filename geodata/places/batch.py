"""Geocode every row of a spreadsheet (CSV), keeping every row.

Analysts keep place lists as "town, province, country" columns. Each row's named
columns are joined into one query; the row is written back with the coordinates and
how sure we are. Rows that do not resolve stay in the output, marked, so the file
can be fixed by hand and run again. The output is written to a temporary file and
renamed, so an error half-way never leaves a truncated result.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from geodata.atomic import replaced_on_success
from geodata.errors import GeodataError
from geodata.places.geocoder import Candidate
from geodata.places.query import QueryError

OUTPUT_COLUMNS = ("lat", "lon", "geo_country", "geo_admin1", "geo_precision", "geo_name",
                  "geo_score", "geo_match", "geo_alternatives", "geo_status")
# geo_status of rows that got coordinates: a point, or an area that says why it is one
LOCATED = ("ok", "ambiguous", "fallback")


class CsvError(GeodataError):
    """The CSV cannot be read as asked; the message names the file, line or column."""


class Resolver(Protocol):
    """What a geocoding backend offers: the offline geocoder and Nominatim both do."""

    def candidates(self, query: str, *, country=None, admin1=None, context=(),
                   limit: int = 5) -> list[Candidate]: ...

    def country_code(self, text: str) -> str: ...


@dataclass
class BatchSummary:
    rows: int = 0
    statuses: Counter = field(default_factory=Counter)
    matches: Counter = field(default_factory=Counter)
    precisions: Counter = field(default_factory=Counter)
    replaced_columns: list[str] = field(default_factory=list)

    def text(self) -> str:
        located = sum(self.statuses[s] for s in LOCATED)
        lines = [f"{self.rows} rows: {located} geocoded, {self.rows - located} not"]
        unsure = [f"{self.statuses[s]} {s}" for s in LOCATED[1:] if self.statuses[s]]
        if unsure:
            lines.append(f"  of the geocoded, areas rather than pins: {', '.join(unsure)}")
        if self.rows - located:
            lines.append("  not geocoded: " + ", ".join(
                f"{n} {s}" for s, n in sorted(self.statuses.items()) if s not in LOCATED))
        if located:
            lines.append("  by match: " + ", ".join(f"{n} {m}" for m, n in self.matches.most_common()))
            lines.append("  by precision: " + ", ".join(
                f"{n} at {p}" for p, n in sorted(self.precisions.items())))
        return "\n".join(lines)


def _open_text(path: Path):
    try:
        return path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise CsvError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CsvError(f"{path}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise CsvError(f"{path}: cannot open: {exc.strerror}") from None


def _not_utf8(path: Path) -> CsvError:
    """The error for a file that is not UTF-8, naming its first bad line (decoding
    happens in buffered chunks, so the reader's own line count is not where it failed)."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                byte = line[exc.start:exc.start + 1]
                return CsvError(f"{path}: line {number}: not UTF-8 text (byte {byte!r}); is it "
                                "a CSV? Save it as 'CSV UTF-8'")
    return CsvError(f"{path}: not UTF-8 text")


def check_delimiter(delimiter: str) -> str:
    """A field delimiter the CSV module can use: one character, not the quote or a line
    break. "\\t" and "tab" (what a shell passes for a tab) are a tab."""
    delimiter = {"\\t": "\t", "tab": "\t"}.get(delimiter, delimiter)
    if len(delimiter) != 1:
        raise CsvError(f"--delimiter {delimiter!r}: a delimiter is one character, such as , ; | "
                       "or a tab")
    if delimiter == '"':
        raise CsvError("--delimiter '\"': the delimiter cannot be the quote character")
    if delimiter in "\r\n":
        raise CsvError(f"--delimiter {delimiter!r}: the delimiter cannot be a line break")
    return delimiter


def _dialect(path: Path, delimiter: str | None) -> type[csv.Dialect]:
    """RFC 4180 CSV (fields in double quotes, a quote inside doubled; a quote inside an
    unquoted field is data) with the given or detected delimiter. Only the delimiter is
    detected: a sniffed quoting style can make valid files unwritable."""
    if delimiter is not None:
        delimiter = check_delimiter(delimiter)
    with _open_text(path) as handle:
        try:
            sample = handle.read(65536)
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
    if "\x00" in sample:
        raise CsvError(f"{path}: contains NUL bytes: a binary file, not a CSV")
    if not sample.strip():
        raise CsvError(f"{path}: is empty")
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","  # one column, or too irregular to guess: the standard comma

    class Rfc4180(csv.excel):
        pass

    Rfc4180.delimiter = delimiter
    Rfc4180.strict = True  # an unclosed quote is an error, not the rest of the file as one field
    return Rfc4180


def _unclosed_quote_line(path: Path, delimiter: str, first: int) -> int:
    """The line of the quote that opens the field left open at the end of the file,
    reading from ``first``, the first line of the record the reader failed on."""
    in_quotes = after_quote = False
    field_start, opened = True, first
    with _open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            if number < first:
                continue
            for ch in line:
                if in_quotes:
                    in_quotes = ch != '"'
                    after_quote = not in_quotes
                elif after_quote and ch == '"':  # a doubled quote inside the field
                    in_quotes, after_quote = True, False
                elif ch in (delimiter, "\n", "\r"):
                    field_start, after_quote = True, False
                elif field_start and ch == '"':
                    in_quotes, field_start, opened = True, False, number
                else:
                    field_start = after_quote = False
    return opened


def _csv_error(path: Path, exc: csv.Error, line: int, first: int, delimiter: str) -> CsvError:
    """One line for a CSV the reader cannot parse, naming the line."""
    text = str(exc)
    if "unexpected end of data" in text:
        opened = _unclosed_quote_line(path, delimiter, first)
        return CsvError(f"{path}: line {opened}: a quoted field is never closed (a \" without its "
                        "closing \"); fix the quoting")
    if "expected after" in text:
        return CsvError(f"{path}: line {line}: text after the closing quote of a quoted field; "
                        "quote the whole field and double any quote inside it")
    return CsvError(f"{path}: line {line}: {text}")


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def _alternative(c: Candidate) -> str:
    where = ", ".join(p for p in (c.admin1, c.country) if p)
    return f"{c.name} ({where}) {c.lat:.5f} {c.lon:.5f}"


def _result_cells(found: list[Candidate], alternatives: int) -> list[str]:
    if not found:
        return [""] * (len(OUTPUT_COLUMNS) - 1) + ["unmatched"]
    c = found[0]
    shown = "; ".join(_alternative(a) for a in c.alternatives[:alternatives])
    if len(c.alternatives) > alternatives:
        shown += f"; and {len(c.alternatives) - alternatives} more"
    return [f"{c.lat:.5f}", f"{c.lon:.5f}", c.country, c.admin1 or "", str(int(c.precision)),
            c.name, f"{c.score:.3f}", c.match, shown, c.status]


def geocode_csv(src: Path, dest: Path, columns: Sequence[str], resolver: Resolver, *,
                country: str | None = None, admin1: str | None = None,
                delimiter: str | None = None, alternatives: int = 5,
                progress: Callable[[int], object] | None = None) -> BatchSummary:
    """Geocode ``src`` row by row into ``dest``; ``progress(total)`` wraps the row loop
    (e.g. a tqdm factory) when given. ``country``/``admin1`` bound every row, as a row's
    own province and country columns do; an ambiguous row lists up to ``alternatives``
    of the places it may be."""
    src, dest = Path(src), Path(dest)
    columns = [c.strip() for c in columns if c.strip()]
    if not columns:
        raise CsvError("--columns names no column")
    if country:
        country = resolver.country_code(country)
    constraints = {"country": country, **({"admin1": admin1} if admin1 else {})}
    dialect = _dialect(src, delimiter)
    summary = BatchSummary()
    reader = None
    done = 0  # lines read up to the last complete record: where a failing record begins
    try:
        with replaced_on_success(dest, protect=[src]) as tmp, _open_text(src) as inp, \
                tmp.open("w", encoding="utf-8", newline="") as out:
            reader = csv.reader(inp, dialect)
            writer = csv.writer(out, dialect)
            header = next(reader)
            done = reader.line_num
            missing = [c for c in columns if c not in header]
            if missing:
                raise CsvError(f"{src}: no column named {', '.join(map(repr, missing))}; "
                               f"its columns are: {', '.join(header)}")
            doubled = [c for c in columns if header.count(c) > 1]
            if doubled:
                raise CsvError(f"{src}: column {doubled[0]!r} appears twice in the header")
            positions = [header.index(c) for c in columns]
            summary.replaced_columns = [c for c in OUTPUT_COLUMNS if c in header]
            keep = [i for i, name in enumerate(header) if name not in OUTPUT_COLUMNS]
            writer.writerow([header[i] for i in keep] + list(OUTPUT_COLUMNS))
            cache: dict[str, list[str]] = {}
            rows = progress(max(_count_lines(src) - 1, 0))(reader) if progress else reader
            for row in rows:
                done = reader.line_num
                if not row:  # a blank line: keep it blank
                    writer.writerow([])
                    continue
                summary.rows += 1
                cells = _geocode_row(row, header, positions, resolver, constraints, alternatives,
                                     cache)
                summary.statuses[cells[-1].split(":")[0]] += 1
                if cells[-1] in LOCATED:
                    summary.matches[cells[OUTPUT_COLUMNS.index("geo_match")]] += 1
                    summary.precisions[int(cells[OUTPUT_COLUMNS.index("geo_precision")])] += 1
                writer.writerow([row[i] if i < len(row) else "" for i in keep] + cells)
    except UnicodeDecodeError:
        raise _not_utf8(src) from None
    except csv.Error as exc:
        raise _csv_error(src, exc, reader.line_num if reader else 1, done + 1,
                         dialect.delimiter) from None
    except StopIteration:
        raise CsvError(f"{src}: has no header row") from None
    return summary


def _geocode_row(row: list[str], header: list[str], positions: list[int], resolver: Resolver,
                 constraints: dict, alternatives: int, cache: dict) -> list[str]:
    if len(row) > len(header):
        return [""] * (len(OUTPUT_COLUMNS) - 1) + [
            f"error: {len(row)} fields but the header has {len(header)}; check the quoting"]
    query = ", ".join(v for i in positions if i < len(row) and (v := row[i].strip()))
    if not query:
        return [""] * (len(OUTPUT_COLUMNS) - 1) + ["empty"]
    if query not in cache:
        try:
            found = resolver.candidates(query, limit=1, **constraints)
            cache[query] = _result_cells(found, alternatives)
        except QueryError as exc:
            cache[query] = [""] * (len(OUTPUT_COLUMNS) - 1) + [f"invalid: {exc}"]
    return cache[query]

"""What the CSV readers share: streaming rows with their numbers, header checks, the
date forms datasets use, and weapon systems found in free text by alias.

One home for each: every CSV format reports a missing column, a ragged row or a
date it cannot read in the same words, and finds "Iskander-M/KN-23" the same way.
"""

from __future__ import annotations

import calendar

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path

from geodata import systems
from geodata.errors import GeodataError
from geodata.io.readers.base import DatasetInfo, Row, RowError

SNIFF_BYTES = 65_536        # enough for any header line we recognise
MAX_CELL = 131_072          # csv's own field limit: a longer cell is a broken file


class DatasetFileError(GeodataError):
    """The file as a whole cannot be read as the format (not CSV, missing columns)."""


def header(path: Path) -> list[str] | None:
    """The first CSV row of ``path``, stripped and lower-cased; None when it is not text."""
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
        text = head.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    first = text.splitlines()[0] if text else ""
    try:
        return [c.strip().lower() for c in next(csv.reader([first]))]
    except (csv.Error, StopIteration):
        return None


def csv_rows(path: Path, required: Iterable[str], what: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {lower-cased column: cell}) for each data row; row 1 is the first row
    after the header. A missing column stops the file; a ragged row is a RowError."""
    try:
        f = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise DatasetFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with f:
        reader = csv.reader(f)
        number = 0
        try:
            names = [c.strip().lower() for c in next(reader, [])]
            missing = [c for c in required if c not in names]
            if missing:
                raise DatasetFileError(f"{path}: not a {what} file: missing column(s) "
                                       f"{', '.join(missing)}")
            twice = sorted({n for n in names if n and names.count(n) > 1})
            if twice:
                raise DatasetFileError(f"{path}: column(s) {', '.join(twice)} appear twice in "
                                       "the header")
            for number, cells in enumerate(reader, 1):
                if not any(c.strip() for c in cells):
                    continue  # a blank line
                row = dict(zip(names, cells))
                if len(cells) != len(names):
                    yield number, RowError(number, f"{len(cells)} cells, the header has "
                                                   f"{len(names)}", cells=row)  # type: ignore
                    continue
                yield number, row
        except UnicodeDecodeError as exc:
            raise DatasetFileError(f"{path}: row {number + 1}: not UTF-8 text ({exc.reason}); "
                                   "save the file as UTF-8") from None
        except csv.Error as exc:
            raise DatasetFileError(f"{path}: row {number + 1}: not CSV ({exc})") from None


def cell(row: dict[str, str], name: str) -> str:
    """A cell's text, stripped ('' when absent)."""
    return (row.get(name) or "").strip()


def number(row: dict[str, str], name: str, *, integer: bool = False) -> float | int | None:
    """A numeric cell, or None when empty; a ValueError naming the column otherwise."""
    text = cell(row, name)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name}: {text[:40]!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{name}: {text[:40]!r} is not a finite number")
    if integer:
        if value != int(value):
            raise ValueError(f"{name}: {text[:40]!r} is not a whole number")
        return int(value)
    return value


_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


# "14 March 2024" / "14-Mar-2024": how ACLED's own export tool writes event_date
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})$")
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | {
    m.lower(): i for i, m in enumerate(calendar.month_abbr) if m} | {"sept": 9}


def parse_day(text: str, name: str, *, order: str = "dmy") -> date:
    """A day given as YYYY-MM-DD, dd/mm/yyyy (mm/dd/yyyy when ``order`` is "mdy") or
    "14 March 2024", a time after it ignored; a ValueError naming the column otherwise."""
    text = text.strip()
    try:
        if (match := _DAY_MONTH_NAME.match(text)) and match[2].lower() in _MONTHS:
            return date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
        if match := _ISO.match(text):
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
        if match := _DMY.match(text):
            first, second, year = (int(g) for g in match.groups())
            day, month = (first, second) if order == "dmy" else (second, first)
            return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{name}: {text[:40]!r} is not a date ({exc})") from None
    form = "dd/mm/yyyy" if order == "dmy" else "mm/dd/yyyy"
    raise ValueError(f"{name}: {text[:40]!r} is not a date: use YYYY-MM-DD, {form} or "
                     "14 March 2024")


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis saying so."""
    text = " ".join(text.split()) if limit <= 300 else text.strip()
    return text if len(text) <= limit else text[:limit - 1] + "…"


# -- weapon systems in free text ---------------------------------------------------

_ONE_OF = re.compile(r"^\s*(?:/|\bor\b|,\s*or\b)\s*$", re.IGNORECASE)
_HEDGES = re.compile(r"\b(likely|probably|possibly|presumably|perhaps|maybe|unconfirmed)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _system_pattern() -> tuple[re.Pattern, dict[str, str]]:
    """One regex of every alias that names a system (aliases in all lower case, such as
    "shells", are common words and are not looked for in running text)."""
    names: dict[str, str] = {}
    for system in systems.catalogue():
        for alias in (system.name, *system.aliases):
            if alias != alias.lower():
                names[alias.casefold()] = system.id
    ordered = sorted(names, key=len, reverse=True)
    pattern = r"(?<![\w-])(" + "|".join(re.escape(a) for a in ordered) + r")(?![\w])"
    return re.compile(pattern, re.IGNORECASE), names


def find_systems(text: str) -> tuple[list[str], list[str]]:
    """(certain, possible) system ids named in ``text``. Names joined by "/" or "or"
    ("Iskander-M/KN-23") mean one of them: possible. A hedged text ("likely S-300")
    makes every name in it possible. A system named for certain anywhere is certain."""
    if not text:
        return [], []
    pattern, names = _system_pattern()
    matches = list(pattern.finditer(text))
    certain: list[str] = []
    possible: list[str] = []
    hedged = bool(_HEDGES.search(text)) and not any(_ONE_OF.match(text[a.end():b.start()])
                                                   for a, b in zip(matches, matches[1:]))
    group: list[str] = []

    def close() -> None:
        target = possible if len(set(group)) > 1 or hedged else certain
        target.extend(s for s in group if s not in target)
        group.clear()

    for i, match in enumerate(matches):
        if group and not _ONE_OF.match(text[matches[i - 1].end():match.start()]):
            close()
        group.append(names[match.group(1).casefold()])
    if group:
        close()
    return certain, [s for s in possible if s not in certain]


class CsvReader:
    """What the CSV formats share: a header that tells the format, the dataset they come
    from, one row at a time with a row that cannot be mapped given back as a RowError that
    names it. A format sets the class attributes and maps one row (``row``)."""

    format = ""
    label = ""                           # "ACLED CSV", for messages
    id_column = ""                       # the dataset's own id
    signature: frozenset[str] = frozenset()   # columns that tell the format
    required: tuple[str, ...] = ()       # columns a file must have
    info: DatasetInfo

    def sniff(self, path: Path) -> bool:
        names = header(path)
        return bool(names) and self.signature <= set(names)

    def describe(self, path: Path) -> DatasetInfo:
        return self.info

    def rows(self, path: Path) -> Iterator[Row | RowError]:
        for n, row in csv_rows(path, self.required, self.label):
            if isinstance(row, RowError):
                yield row
                continue
            try:
                yield self.row(n, row)
            except ValueError as exc:
                yield RowError(n, str(exc), native_id=cell(row, self.id_column) or None, cells=row)

    @staticmethod
    def row(n: int, row: dict[str, str]) -> Row:
        raise NotImplementedError

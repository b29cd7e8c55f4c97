"""Denser places where the user has them: GeoNames country dumps (UA.txt, RU.txt ...) or a
CSV of name,lat,lon,country,admin1, built into the index beside cities500.

cities500 lists places of 500 people or more, so many villages a front-line report names
are missing and fall back to their province. An analyst who has the GeoNames dump of a
country (the standard 19-column tab-separated file) or a list of their own adds it with
``python -m geodata index --add FILE``: it is checked line by line, copied into the cache
folder (``added/``), and the index is rebuilt with it, under the same constraints and
ranking as every other place. Removing the file from there (``index --remove NAME``)
takes it out again.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from geodata.errors import GeodataError
from geodata.places.sources import NameRank, PlaceRecord

ADDED_DIR = "added"
GEONAMES_FIELDS = 19        # geonameid, name, asciiname, alternatenames, lat, lon, class, code,
                            # country, cc2, admin1..4, population, elevation, dem, tz, modified
CSV_COLUMNS = ("name", "lat", "lon", "country")  # and optionally admin1
# GeoNames feature class P: cities, towns, villages; the rest (streams, hills, farms) would
# turn words into places
POPULATED = "P"
# A section of a populated place (feature code PPLX: a neighbourhood such as a city's
# district) is kept with its own type, so that it never stands for the region around
# its city (see bounds._part_of_city).
SECTION_CODE, SECTION_TYPE = "PPLX", "section_of_populated_place"
_CODE_LIKE = re.compile(r"^[A-Z0-9]{2,4}$")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$")


class AddedPlacesError(GeodataError):
    """A file of places that cannot be added; the message names the file and line."""


def added_folder(root: Path) -> Path:
    return root / ADDED_DIR


def added_files(root: Path) -> list[Path]:
    folder = added_folder(root)
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


def _number(text: str, low: float, high: float, what: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise AddedPlacesError(f"{where}: {what} {text[:40]!r} is not a number") from None
    if not low <= value <= high:  # also refuses nan and inf
        raise AddedPlacesError(f"{where}: {what} {value} is outside {low:g}..{high:g}")
    return value


def _country(text: str, where: str) -> str:
    code = text.strip().upper()
    if not (len(code) == 2 and code.isascii() and code.isalpha()):
        raise AddedPlacesError(f"{where}: country {text[:20]!r} is not an ISO 3166 code such as UA")
    return code


def _open(path: Path) -> io.TextIOWrapper:
    if not path.exists():
        raise AddedPlacesError(f"{path}: no such file")
    if not path.is_file():
        raise AddedPlacesError(f"{path}: not a regular file")
    return path.open(encoding="utf-8-sig", newline="")


def _is_geonames(first_line: str) -> bool:
    return first_line.count("\t") == GEONAMES_FIELDS - 1


def _geonames_records(path: Path) -> Iterator[PlaceRecord]:
    with _open(path) as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            where = f"{path.name}, line {number}"
            fields = line.split("\t")
            if len(fields) != GEONAMES_FIELDS:
                raise AddedPlacesError(f"{where}: {len(fields)} tab-separated fields; a GeoNames "
                                       f"dump line has {GEONAMES_FIELDS}")
            if fields[6] != POPULATED:
                continue
            if not fields[0].isdigit():
                raise AddedPlacesError(f"{where}: geonameid {fields[0][:20]!r} is not a number")
            name = fields[1].strip()
            if not name:
                raise AddedPlacesError(f"{where}: the place has no name")
            lat = _number(fields[4], -90, 90, "latitude", where)
            lon = _number(fields[5], -180, 180, "longitude", where)
            population = int(fields[14]) if fields[14].isdigit() else 0
            names = [(name, NameRank.PRIMARY)] + [
                (alt, NameRank.ALTERNATE) for alt in fields[3].split(",")
                if alt and alt != name and not _CODE_LIKE.match(alt)]
            yield PlaceRecord(id=f"geonames:{fields[0]}", name=name, kind="place",
                              type=SECTION_TYPE if fields[7] == SECTION_CODE else "populated_place",
                              country=_country(fields[8], where),
                              admin1=fields[10], lat=lat, lon=lon, population=population,
                              coords_source=f"GeoNames dump {path.name}", names=names)


def _csv_records(path: Path, admin1_code: Callable[[str, str], str | None]) -> Iterator[PlaceRecord]:
    with _open(path) as handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise AddedPlacesError(f"{path.name}: is empty") from None
        except csv.Error as exc:
            raise AddedPlacesError(f"{path.name}, line 1: {exc}") from None
        missing = [c for c in CSV_COLUMNS if c not in header]
        if missing:
            raise AddedPlacesError(f"{path.name}: no column {', '.join(missing)}; a CSV of places "
                                   "needs name,lat,lon,country (and may have admin1)")
        at = {c: header.index(c) for c in (*CSV_COLUMNS, "admin1") if c in header}
        try:
            for row in reader:
                where = f"{path.name}, line {reader.line_num}"
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) < len(header):
                    raise AddedPlacesError(f"{where}: {len(row)} fields; the header has {len(header)}")
                name = row[at["name"]].strip()
                if not name:
                    raise AddedPlacesError(f"{where}: name is empty")
                country = _country(row[at["country"]], where)
                province = row[at["admin1"]].strip() if "admin1" in at else ""
                code = ""
                if province:
                    code = admin1_code(province, country)
                    if code is None:
                        raise AddedPlacesError(f"{where}: admin1 {province[:60]!r} is not a province "
                                               f"of {country} the gazetteer knows")
                yield PlaceRecord(
                    id=f"added:{path.stem.lower()}:{reader.line_num}", name=name, kind="place",
                    type="populated_place", country=country, admin1=code,
                    lat=_number(row[at["lat"]], -90, 90, "lat", where),
                    lon=_number(row[at["lon"]], -180, 180, "lon", where),
                    coords_source=f"added file {path.name}", names=[(name, NameRank.PRIMARY)])
        except csv.Error as exc:
            raise AddedPlacesError(f"{path.name}, line {reader.line_num}: {exc}") from None


def read_records(path: Path, admin1_code: Callable[[str, str], str | None]) -> Iterator[PlaceRecord]:
    """The populated places of one file, checked line by line."""
    with _open(path) as handle:
        first = handle.readline()
    if _is_geonames(first.rstrip("\r\n")):
        return _geonames_records(path)
    return _csv_records(path, admin1_code)


def add(path: Path, root: Path, admin1_code: Callable[[str, str], str | None]) -> tuple[Path, int]:
    """Check every line of ``path``, then copy it into the cache folder; returns the copy
    and the number of places it adds. The index is rebuilt by the caller."""
    path = Path(path)
    count = sum(1 for _ in read_records(path, admin1_code))
    if count == 0:
        raise AddedPlacesError(f"{path}: holds no populated place (GeoNames feature class P, or "
                               "rows of name,lat,lon,country)")
    name = path.name if _SAFE_NAME.match(path.name) else re.sub(r"[^A-Za-z0-9._-]", "_", path.name)[:100]
    folder = added_folder(root)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    partial = folder / f".{name}.partial"
    shutil.copyfile(path, partial)
    os.replace(partial, target)
    return target, count


def remove(name: str, root: Path) -> Path:
    target = added_folder(root) / name
    if not _SAFE_NAME.match(name) or not target.is_file():
        known = ", ".join(p.name for p in added_files(root)) or "none"
        raise AddedPlacesError(f"no added file named {name!r} (added: {known})")
    target.unlink()
    return target

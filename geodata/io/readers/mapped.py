"""Any CSV or GeoJSON, read through a column mapping (geodata.io.profiles).

The mapping names which column gives which of our fields; what it does not name is
not read. Without an id column an event's id is a hash of its row, so re-importing
the same rows adds nothing (a changed row is then a new event: map an id to update).
GeoJSON features give their properties as columns and a Point geometry as lat/lon.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from geodata import systems
from geodata.events.model import Kind, parse_partial_date
from geodata.io.jsonstream import iter_features
from geodata.io.profiles import Profile
from geodata.io.readers.base import DatasetInfo, PlaceText, Row, RowError
from geodata.io.readers.common import DatasetFileError, cell, clip, csv_rows, find_systems, number, parse_day


def _is_geojson(path: Path) -> bool:
    if path.suffix.lower() in (".geojson", ".json"):
        return True
    try:
        with open(path, "rb") as f:
            return f.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    except OSError:
        return False


class MappedReader:
    format = "mapped"

    def __init__(self, profile: Profile, name: str | None = None):
        self.profile = profile
        self.columns = {k: v.lower() for k, v in profile.columns.items()}
        self.id_prefix = f"mapped-{name}" if name else "mapped"

    def sniff(self, path: Path) -> bool:
        return False  # a mapping is always asked for, never guessed

    def describe(self, path: Path) -> DatasetInfo:
        p = self.profile
        return DatasetInfo(p.dataset or path.stem[:200], p.publisher or "publisher not stated",
                           str(p.url) if p.url else None)

    def rows(self, path: Path) -> Iterator[Row | RowError]:
        if _is_geojson(path):
            source = self._features(path)
        else:
            source = csv_rows(path, sorted(set(self.columns.values())), "mapped CSV (as --map says)")
        for n, row in source:
            if isinstance(row, RowError):
                yield row
                continue
            try:
                yield self.row(n, row)
            except ValueError as exc:
                native = cell(row, self.columns["id"]) if "id" in self.columns else None
                yield RowError(n, str(exc), native_id=native or None, cells=row)

    def _features(self, path: Path) -> Iterator[tuple[int, dict[str, str]]]:
        for n, feature in enumerate(iter_features(path), 1):
            props = feature.get("properties") if isinstance(feature, dict) else None
            if not isinstance(props, dict):
                yield n, RowError(n, "properties: not an object")
                continue
            row = {str(k).lower(): "" if v is None else (v if isinstance(v, str) else json.dumps(v))
                   for k, v in props.items()}
            if n == 1:
                missing = sorted(set(self.columns.values()) - set(row))
                if missing:
                    raise DatasetFileError(f"{path}: feature 1 has no propert(y/ies) "
                                           f"{', '.join(missing)} named by the mapping")
            geometry = feature.get("geometry")
            if "lat" not in self.columns and isinstance(geometry, dict):
                if geometry.get("type") != "Point":
                    yield n, RowError(n, f"geometry: a {geometry.get('type')}; only Points are "
                                         "read (map lat and lon to columns instead)", cells=row)
                    continue
                coordinates = geometry.get("coordinates")
                if (not isinstance(coordinates, list) or len(coordinates) < 2
                        or not all(isinstance(c, (int, float)) and not isinstance(c, bool)
                                   for c in coordinates[:2])):
                    yield n, RowError(n, "geometry: coordinates are not two numbers", cells=row)
                    continue
                row["geometry.lon"], row["geometry.lat"] = str(coordinates[0]), str(coordinates[1])
            yield n, row

    def _get(self, row: dict[str, str], target: str) -> str:
        column = self.columns.get(target)
        return cell(row, column) if column else ""

    def _date(self, text: str, name: str) -> str:
        try:
            parse_partial_date(text)
            return text.strip()
        except ValueError:
            return parse_day(text, name, order=self.profile.date_order).isoformat()

    def row(self, n: int, row: dict[str, str]) -> Row:
        get = lambda target: self._get(row, target)  # noqa: E731
        native = get("id") or hashlib.sha1(json.dumps(row, sort_keys=True).encode()).hexdigest()[:16]
        fields: dict = {"status": "reported"}
        if get("date"):
            fields["date"] = self._date(get("date"), self.columns["date"])
        elif get("date_start"):
            fields["date_start"] = parse_day(get("date_start"), self.columns["date_start"],
                                             order=self.profile.date_order).isoformat()
            end = get("date_end")
            fields["date_end"] = parse_day(end, self.columns["date_end"], order=self.profile.date_order
                                           ).isoformat() if end else fields["date_start"]
            fields["date_precision"] = "day"
        else:
            raise ValueError(f"{self.columns.get('date') or self.columns.get('date_start')}: empty (no date)")
        value = get("kind")
        kind = self.profile.kinds.get(value.lower()) if value else self.profile.kind
        if kind is None and value:
            try:
                kind = Kind(value.lower())
            except ValueError:
                raise ValueError(f"{self.columns['kind']}: {value[:60]!r} is not a kind "
                                 f"({', '.join(k.value for k in Kind)}); map it in the profile's "
                                 "kinds") from None
        if kind is None:
            raise ValueError("kind: no kind column and no kind in the profile")
        fields["kind"] = kind.value
        unmapped: dict[str, str] = {}
        named = get("system")
        if named:
            certain, possible = find_systems(named)
            whole = systems.catalogue().find(named)
            if whole is not None and whole.id not in certain:
                certain.append(whole.id)
            if not certain and not possible:
                unmapped[self.columns["system"]] = clip(named, 60)
            fields["systems"], fields["possible_systems"] = certain, [s for s in possible if s not in certain]
        if get("quantity"):
            fields["quantities"] = [{"value": number(row, self.columns["quantity"]),
                                     "unit": clip(get("unit") or "items", 300)}]
        killed = number(row, self.columns["killed"], integer=True) if get("killed") else None
        injured = number(row, self.columns["injured"], integer=True) if get("injured") else None
        if killed is not None or injured is not None:
            fields["casualties"] = {k: v for k, v in (("killed", killed), ("injured", injured))
                                    if v is not None}
        lat_column = self.columns.get("lat", "geometry.lat")
        lon_column = self.columns.get("lon", "geometry.lon")
        lat, lon = number(row, lat_column), number(row, lon_column)
        name = get("place") or get("admin1") or get("country")
        place = PlaceText(name=clip(name, 300) if name else "", admin1=get("admin1") or None,
                          country=get("country") or None, lat=lat, lon=lon,
                          geo_precision=self.profile.geo_precision if lat is not None else None)
        fields["title"] = clip(get("title") or f"{kind.value.replace('_', ' ')} at "
                               f"{name or 'an unnamed place'}", 300)
        if get("description"):
            fields["description"] = clip(get("description"), 5000)
        said = get("source")
        return Row(n, native, fields, place=place, link=get("link") or None,
                   evidence=f"reported by {clip(said, 300)}" if said else None,
                   unmapped=unmapped, cells=row)

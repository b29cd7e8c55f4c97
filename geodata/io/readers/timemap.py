"""TimeMap exports (Bellingcat / Forensic Architecture): export_events.json with
export_sources.json and export_associations.json beside it, or the folder holding them.

An event gives its id, a date as MM/DD/YYYY (and a time), a location name and the
coordinates as strings. Coordinates are parsed strictly: "49.85" is a number, "49,85"
or "n/a" is refused naming the event and field, never guessed. Associations become
tags (filterable), and the weapon associations decide the kind once, in WEAPON_KINDS
(a civilian-harm event hit by artillery or a missile is a strike; small arms, a mine or
an unknown weapon is an incident); an association we cannot map is reported. Sources
are the dataset's evidence: their URLs go into the event's text and the first is the
row's link, so every imported event shows where the dataset's authors saw it.

Files are streamed (geodata.io.jsonstream's bounded window): the events one at a time;
of the sources only each id's URLs are kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from geodata.errors import GeodataError
from geodata.io.jsonstream import GeoJSONError, _Reader, open_regular
from geodata.io.readers.base import DatasetInfo, PlaceText, Row, RowError

FORMAT = "timemap"
EVENTS, SOURCES, ASSOCIATIONS = "export_events.json", "export_sources.json", "export_associations.json"
MAX_ASSOCIATIONS = 10_000      # an export's filter tree has tens
MAX_URLS_PER_SOURCE = 10
MAX_URLS_PER_EVENT = 20        # listed in the text; the count of the rest is said
MAX_TITLE = 300
MAX_TEXT = 5000                # the event model's Text
GENERIC_TITLES = frozenset({"unknown", "undefined", "other", "none", "n/a"})

# The one mapping from TimeMap weapon associations to our kinds. A weapon that strikes
# from a distance makes the event a strike; anything else (or no weapon) an incident.
STRIKE = "strike"
INCIDENT = "incident"
WEAPON_KINDS = {
    "he rocket artillery": STRIKE, "he artillery inc mortars": STRIKE,
    "cluster munitions": STRIKE, "incendiary munitions": STRIKE, "cruise missile": STRIKE,
    "ballistic missile": STRIKE, "thermobaric munition": STRIKE, "air strike": STRIKE,
    "anti-air missile": STRIKE, "loitering munition": STRIKE, "artillery": STRIKE,
    "missile": STRIKE, "drone": STRIKE, "airstrike": STRIKE, "shelling": STRIKE,
    "unknown": INCIDENT, "small arms": INCIDENT, "vehicle mounted weapon": INCIDENT,
    "land mines": INCIDENT,
}
WEAPON_BRANCHES = frozenset({"weapon system", "weapon", "weapons", "munition", "munitions"})

_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$")
_DECIMAL = re.compile(r"^[+-]?\d{1,3}(?:\.\d{1,15})?$")
_URL = re.compile(r"^https?://\S{1,2000}$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


class TimeMapError(GeodataError):
    """A TimeMap export that cannot be read; the message names the file and the event."""


class _Items(_Reader):
    """The jsonstream window, naming an item of a list or object (not a 'feature')."""

    what = "event"

    def error(self, problem: str) -> GeoJSONError:
        label = f"{self.what} {self.feature}: " if self.feature else ""
        return TimeMapError(f"{self.path}: {label}{problem}")


def _stream(path: Path, what: str, shapes: str = "[") -> Iterator[tuple[int, str | None, object]]:
    """Each item of the top-level list (key None) or, where ``shapes`` allows '{', object
    (key) in ``path``."""
    with open_regular(path) as handle:
        reader = _Items(path, handle)
        reader.what = what
        reader.fill()
        opener = reader.expect(shapes, f"a list of {what}s")
        closer = "]" if opener == "[" else "}"
        number = 0
        if reader.peek() == closer:
            reader.pos += 1
        else:
            while True:
                number += 1
                reader.feature = number
                key = None
                if opener == "{":
                    key = reader.value()
                    if not isinstance(key, str):
                        raise reader.error("not JSON: a key must be text")
                    reader.expect(":", "':'")
                yield number, key, reader.value()
                if reader.expect("," + closer, f"',' or '{closer}'") == closer:
                    break
        reader.feature = 0
        if reader.peek():
            raise reader.error(f"text after the {what}s at {reader.where()}")


def export_files(path: Path) -> tuple[Path, Path, Path]:
    """The export's three files: ``path`` is their folder or the events file."""
    if path.is_dir():
        folder = path
    elif path.name == EVENTS:
        folder = path.parent
    else:
        raise TimeMapError(f"{path}: no {EVENTS} here; give a TimeMap export's folder or "
                           "its events file")
    return folder / EVENTS, folder / SOURCES, folder / ASSOCIATIONS


def _associations(path: Path) -> dict[str, tuple[str, str | None]]:
    """id -> (tag, weapon kind or None when it is not a weapon association)."""
    if not path.exists():
        return {}
    items = {}
    for number, _, item in _stream(path, "association"):
        if number > MAX_ASSOCIATIONS:
            raise TimeMapError(f"{path}: more than {MAX_ASSOCIATIONS:,} associations; is it a "
                               "TimeMap export?")
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise TimeMapError(f"{path}: association {number}: needs an id")
        title = item.get("title")
        paths = [p for p in item.get("filter_paths") or [] if isinstance(p, str) and p.strip()]
        title = title.strip() if isinstance(title, str) and title.strip() else (paths or [item["id"]])[-1]
        branch = paths[0].strip() if len(paths) > 1 else None
        weapon = branch is not None and branch.casefold() in WEAPON_BRANCHES
        tag = f"{branch}: {title}" if branch and title.casefold() in GENERIC_TITLES else title
        kind = WEAPON_KINDS.get(title.casefold(), "unmapped") if weapon else None
        items[item["id"]] = (tag[:100], kind)
    return items


def _sources(path: Path) -> dict[str, tuple[str, ...]]:
    """source id -> its web addresses (HIDDEN and other non-URLs are left out)."""
    if not path.exists():
        return {}
    urls: dict[str, tuple[str, ...]] = {}
    for number, key, item in _stream(path, "source", "[{"):
        if not isinstance(item, dict):
            raise TimeMapError(f"{path}: source {number}: not an object")
        sid = item.get("id") if key is None else key
        if not isinstance(sid, str):
            raise TimeMapError(f"{path}: source {number}: needs an id")
        paths = item.get("paths") or []
        urls[sid] = tuple(p.strip() for p in paths if isinstance(p, str)
                          and _URL.match(p.strip()))[:MAX_URLS_PER_SOURCE] if isinstance(paths, list) else ()
    return urls


def _text(number: int, event: dict, field: str) -> str:
    value = event.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RowError(number, f"{field}: must be text, not {type(value).__name__}")
    return value.strip()


def _day(number: int, event: dict) -> tuple[str, str | None]:
    text = _text(number, event, "date")
    match = _DATE.match(text)
    if not match:
        raise RowError(number, f"date: {text[:40]!r} is not a date as MM/DD/YYYY")
    month, day, year = map(int, match.groups())
    try:
        when = date(year, month, day)
    except ValueError:
        raise RowError(number, f"date: {text!r} is not a day of the calendar (MM/DD/YYYY)") from None
    time = _text(number, event, "time")
    if time and not _TIME.match(time):
        raise RowError(number, f"time: {time[:40]!r} is not a time as HH:MM")
    return when.isoformat(), time if time and time not in ("00:00", "0:00") else None


def coordinate(number: int, event: dict, field: str, bound: int) -> float | None:
    """A TimeMap coordinate: a decimal number (as text or a JSON number) within
    ±bound; empty is none; anything else is refused naming the field."""
    value = event.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise RowError(number, f"{field}: {value!r} is not a number")
    text = value.strip() if isinstance(value, str) else repr(value)
    if not _DECIMAL.match(text):
        raise RowError(number, f"{field}: {text[:40]!r} is not a decimal number (such as 49.85)")
    result = float(text)
    if not -bound <= result <= bound:
        raise RowError(number, f"{field}: {text} is outside -{bound}..{bound}")
    return result


def _title(location: str, description: str, native_id: str) -> str:
    first = _SENTENCE_END.split(description, maxsplit=1)[0] if description else ""
    if len(first) > 160:
        first = first[:160].rsplit(" ", 1)[0] + "…"
    title = ": ".join(p for p in (location, first) if p) or f"TimeMap event {native_id}"
    return title if len(title) <= MAX_TITLE else title[:MAX_TITLE - 1] + "…"


def _evidence(native_id: str, urls: list[str]) -> str:
    """What the event rests on: the TimeMap id and the dataset's source URLs (as many as
    fit a citation's text)."""
    text = f"TimeMap event {native_id[:200]}"
    shown: list[str] = []
    for url in urls[:MAX_URLS_PER_EVENT]:
        if len(text) + sum(len(u) + 3 for u in shown) + len(url) + 40 > MAX_TEXT:
            break
        shown.append(url)
    if not shown:
        return text + " (the export lists no public source)"
    more = f" and {len(urls) - len(shown)} more" if len(urls) > len(shown) else ""
    return f"{text}; sources: " + " ; ".join(shown) + more


def cells(event: object) -> dict[str, str]:
    """The event as the export gives it, for a rejects file."""
    if not isinstance(event, dict):
        return {"event": json.dumps(event, ensure_ascii=False)[:10_000]}
    return {str(k)[:100]: (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))[:10_000]
            for k, v in event.items()}


def _ids(number: int, event: dict, field: str) -> list[str]:
    value = event.get(field) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RowError(number, f"{field}: must be a list of ids")
    return value


class TimeMapReader:
    """A TimeMap export (see the module docstring)."""

    format = FORMAT

    def sniff(self, path: Path) -> bool:
        return (path.is_dir() and (path / EVENTS).is_file()) or path.name == EVENTS

    def describe(self, path: Path) -> DatasetInfo:
        folder = export_files(path)[0].parent
        return DatasetInfo(name=f"TimeMap export {folder.name}"[:300],
                           publisher="TimeMap export (Bellingcat / Forensic Architecture format)")

    def rows(self, path: Path) -> Iterator[Row | RowError]:
        events, sources_file, associations_file = export_files(path)
        if not events.is_file():
            raise TimeMapError(f"{path}: no {EVENTS} here; give a TimeMap export's folder or "
                               "its events file")
        associations = _associations(associations_file)
        sources = _sources(sources_file)
        seen: dict[str, int] = {}
        for number, _, event in _stream(events, "event"):
            try:
                yield self._row(number, event, associations, sources, seen)
            except RowError as exc:
                native_id = event.get("id") if isinstance(event, dict) else None
                yield RowError(exc.number, exc.problem, cells=cells(event),
                               native_id=native_id if isinstance(native_id, str) else None)

    def _row(self, number: int, event: object, associations: dict, sources: dict,
             seen: dict[str, int]) -> Row:
        if not isinstance(event, dict):
            raise RowError(number, "not an event object")
        native_id = event.get("id")
        if isinstance(native_id, (int, float)) and not isinstance(native_id, bool):
            native_id = str(native_id)
        if not isinstance(native_id, str) or not native_id.strip():
            raise RowError(number, "id: missing (every TimeMap event has one)")
        native_id = native_id.strip()
        if native_id in seen:
            raise RowError(number, f"id: {native_id!r} is given twice (first at event {seen[native_id]})")
        seen[native_id] = number
        day, time = _day(number, event)
        lat = coordinate(number, event, "latitude", 90)
        lon = coordinate(number, event, "longitude", 180)
        if (lat is None) != (lon is None):
            raise RowError(number, "latitude/longitude: give both or neither")
        location = _text(number, event, "location")
        description = _text(number, event, "description")
        if lat is None and not location:
            raise RowError(number, "location: no place name and no coordinates")
        place = PlaceText(name=(location or f"{lat}, {lon}")[:300], lat=lat, lon=lon,
                          geo_precision=1 if lat is not None else None)

        unmapped: dict[str, str] = {}
        tags, kinds = [], []
        for aid in _ids(number, event, "associations"):
            if aid not in associations:
                unmapped["associations"] = aid[:80]
                continue
            tag, kind = associations[aid]
            tags.append(tag)
            if kind == "unmapped":
                unmapped["weapon association"] = tag
            elif kind:
                kinds.append(kind)
        if str(event.get("graphic", "")).strip().upper() == "TRUE":
            tags.append("graphic")
        urls: list[str] = []
        for sid in _ids(number, event, "sources"):
            if sid not in sources:
                unmapped.setdefault("sources", sid[:80])
            urls.extend(u for u in sources.get(sid, ()) if u not in urls)

        fields = {
            "kind": STRIKE if STRIKE in kinds else INCIDENT,
            "title": _title(location, description, native_id),
            "description": description or None,
            "date": day,
            "tags": list(dict.fromkeys(tags)),
            "status": "reported",
        }
        if time:
            fields["date_note"] = f"At {time} (time as the export gives it)."
        return Row(number=number, native_id=native_id, fields=fields, place=place,
                   link=urls[0] if urls else None, unmapped=unmapped,
                   evidence=_evidence(native_id, urls), cells=cells(event))


READER = TimeMapReader()

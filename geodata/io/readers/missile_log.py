"""The daily missile-attack log compiled from Ukraine's Air Force reports ("Massive
Missile Attacks on Ukraine": time_start, time_end, model, launch_place, target,
launched, destroyed, ...).

The log names places only ("Kursk oblast and Bryansk oblast and Millerovo", "Odesa
oblast", "south"), so each row becomes place *names* for the importer's geocoder: one
``launch_site`` Row per launch area and one ``strike`` Row for the target, linked
``launched_from`` each launch area. A direction ("south", "front line") or "Ukraine"
is the country, at country precision: never a made-up point. A model such as
"Iskander-M/KN-23" means one of the two: both go to ``possible_systems`` (a KN-23
filter finds the row, marked possible), and ``systems`` only holds models named alone.
Model names are read through the log's weapons table (missiles_and_uavs.csv) when it
lies beside the log, else through the catalogue's aliases; an unknown model leaves the
event without a system and is reported as unmapped. The log has no row ids: a row's
id is its period and model ("202604041800-202604050800-shahed-136-131"), stable when
rows are added above or below it.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geodata import systems
from geodata.errors import GeodataError
from geodata.io.readers.base import DatasetInfo, PlaceText, Row, RowError

FORMAT = "missile-log"
COLUMNS = ("time_start", "time_end", "model", "launch_place", "target", "launched", "destroyed")
WEAPONS_TABLE = "missiles_and_uavs.csv"
MAX_TABLE_BYTES = 5_000_000       # the weapons table is a few KB: anything larger is not it
MAX_HEADER_CHARS = 65_536         # what sniff reads to find the header
MAX_TITLE = 300                   # the event model's ShortText
MAX_PLACE_NAME = 200              # the geocoder's query limit
UKRAINE = PlaceText(name="Ukraine", country="UA", geo_precision=4)
CLAIMANT = "Air Force of the Armed Forces of Ukraine"

# Where the log names an Air Force sector or the whole country instead of a place: the
# honest place is the country (precision 4), the words stay in the description.
DIRECTIONS = frozenset({"ukraine", "north", "south", "east", "west", "center", "centre",
                        "south-east", "southeast", "south-west", "southwest", "north-east",
                        "northeast", "north-west", "northwest", "front line", "frontline"})
_PROVINCE = re.compile(r"(?:\b(?:oblast|region|krai|kray|republic)|^crimea)$", re.IGNORECASE)
_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T]([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?)?$")
_NUMBER = re.compile(r"^\d{1,10}(?:\.\d{1,6})?$")
_FACEBOOK_POST = re.compile(r"^[A-Za-z0-9.]{1,80}/posts/[A-Za-z0-9]{1,200}$")
_LEADING_NUMBER = re.compile(r"^\d")
_PREFIX = re.compile(r"^(.*?)\d[\w]*$")
# Counts the log gives, and how each reads in a quantity's item.
COUNTS = (("launched", "launched"), ("destroyed", "destroyed (shot down)"),
          ("not_reach_goal", "did not reach their targets (lost to countermeasures)"))


class MissileLogError(GeodataError):
    """A file that cannot be read as the missile log, or its weapons table."""


def split_list(text: str) -> list[str]:
    """'Kursk oblast and Bryansk oblast and Millerovo' -> its parts, in order, once each."""
    parts = [p.strip(" ,") for p in re.split(r"(?:^|\s)and(?=\s|$)", text.strip()) if p.strip(" ,")]
    return list(dict.fromkeys(parts))


def place_texts(text: str) -> list[PlaceText]:
    """The places one list names. 'Chauda, Crimea' and 'Dnipropetrovsk oblast, Dnipro
    Raion' are one place with its province (a constraint); 'X, Y' of two towns or two
    provinces is two places."""
    places: list[PlaceText] = []
    for part in split_list(text):
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        province = [bool(_PROVINCE.search(p)) for p in pieces]
        if len(pieces) == 2 and province.count(True) == 1:
            name, admin1 = (pieces[0], pieces[1]) if province[1] else (pieces[1], pieces[0])
            places.append(PlaceText(name=name, admin1=admin1))
        else:
            places.extend(PlaceText(name=p) for p in pieces)
    return places


def is_direction(text: str) -> bool:
    return text.strip().casefold() in DIRECTIONS


def alternatives(model: str) -> list[str]:
    """'Iskander-M/KN-23' -> ['Iskander-M', 'KN-23']; 'Shahed-136/131' -> ['Shahed-136',
    'Shahed-131'] (a bare number takes the first name's prefix)."""
    names = [n.strip() for n in model.split("/") if n.strip()]
    prefix = _PREFIX.match(names[0]) if names else None
    return [prefix.group(1) + n if prefix and i and _LEADING_NUMBER.match(n) else n
            for i, n in enumerate(names)]


@dataclass
class WeaponsTable:
    """The log's own weapons table: model -> the names it also gives (S-300 for the
    log's 'C-300', Kh-101/Kh-555 for 'X-101/X-555') and its category (UAV ...)."""

    rows: dict[str, dict[str, str]]

    @classmethod
    def beside(cls, log: Path) -> WeaponsTable:
        path = log.with_name(WEAPONS_TABLE)
        if not path.is_file():
            return cls({})
        if path.stat().st_size > MAX_TABLE_BYTES:
            raise MissileLogError(f"{path}: larger than {MAX_TABLE_BYTES:,} bytes; is it the "
                                  "log's weapons table?")
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                if "model" not in (reader.fieldnames or ()):
                    raise MissileLogError(f"{path}: no 'model' column; is it the log's weapons table?")
                return cls({systems.system_key(r["model"] or ""): r for r in reader if r.get("model")})
        except (UnicodeDecodeError, csv.Error) as exc:
            raise MissileLogError(f"{path}: not a UTF-8 CSV table ({exc})") from None

    def row(self, model: str) -> dict[str, str] | None:
        return self.rows.get(systems.system_key(model))

    def names(self, model: str) -> list[str]:
        row = self.row(model)
        return [row[k].strip() for k in ("name", "name_NATO") if row and (row.get(k) or "").strip()]

    def category(self, model: str) -> str | None:
        row = self.row(model)
        return (row.get("category") or "").strip().lower() or None if row else None


@dataclass
class ModelSystems:
    certain: list[str]
    possible: list[str]
    unknown: list[str]       # names neither the table nor the catalogue knows


def model_systems(model: str, table: WeaponsTable) -> ModelSystems:
    """Systems a model names: a name alone is certain, 'A/B' is one of A or B (possible),
    'A and B' is both."""
    catalogue = systems.catalogue()
    certain: list[str] = []
    possible: list[str] = []
    unknown: list[str] = []
    for part in split_list(model):
        alts = alternatives(part)
        named = [alternatives(n) for n in table.names(part)]
        for i, alt in enumerate(alts):
            names = [alt, *table.names(alt)]
            names += [n[i] for n in named if len(n) == len(alts)]
            found = next((s for s in map(catalogue.find, names) if s), None)
            if found is None:
                unknown.append(alt)
            elif len(alts) == 1:
                certain.append(found.id)
            else:
                possible.append(found.id)
    certain = list(dict.fromkeys(certain))
    possible = [s for s in dict.fromkeys(possible) if s not in certain]
    return ModelSystems(certain, possible, list(dict.fromkeys(unknown)))


def _unit(model: str, table: WeaponsTable) -> str:
    category = table.category(model) or table.category(split_list(model)[0] if model else "")
    if category is None:
        lowered = model.lower()
        category = "uav" if any(w in lowered for w in ("uav", "shahed", "drone")) else "missile"
    if "uav" in category:
        return "drones"
    return "bombs" if "bomb" in category else "missiles"


def _open_regular(path: Path):
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise MissileLogError(f"{path}: not a regular file (a directory, device or pipe)")
        return open(path, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise MissileLogError(f"{path}: no such file") from None
    except OSError as exc:
        raise MissileLogError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _when(number: int, column: str, value: str) -> tuple[str, str | None]:
    match = _TIME.match(value.strip())
    if not match:
        raise RowError(number, f"{column}: {value[:40]!r} is not a date (YYYY-MM-DD or "
                               "YYYY-MM-DD HH:MM)")
    day, hour, minute = match.groups()
    try:
        date.fromisoformat(day)
    except ValueError:
        raise RowError(number, f"{column}: {day!r} is not a day of the calendar") from None
    return day, f"{int(hour):02d}:{minute}" if hour else None


def _count(number: int, column: str, value: str | None) -> float | None:
    text = (value or "").strip()
    if not text:
        return None
    if not _NUMBER.match(text):
        raise RowError(number, f"{column}: {text[:40]!r} is not a count (a whole number, "
                               "such as 12 or 12.0)")
    count = float(text)
    if not count.is_integer():
        raise RowError(number, f"{column}: {text!r} is not a whole number")
    return count


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def row_key(start: str, end: str, model: str) -> str:
    """The row's id: its period and model, as a slug of at most ~80 characters."""
    digits = [re.sub(r"\D", "", t) for t in (start, end)]
    slug = re.sub(r"[^a-z0-9]+", "-", model.lower()).strip("-")
    if not slug.isascii() or len(slug) > 32 or not slug:
        digest = hashlib.sha1(model.encode("utf-8")).hexdigest()[:8]
        slug = (re.sub(r"[^a-z0-9-]", "", slug)[:23].strip("-") + "-" + digest).strip("-")
    return f"{digits[0]}-{digits[1]}-{slug}"


def _cells(record: dict) -> dict[str, str]:
    """The log's row as it stands, for a rejects file (extra cells under '')."""
    return {str(k or ""): (v if isinstance(v, str) else ",".join(v or ()))[:10_000]
            for k, v in record.items()}


def _link(source: str) -> str | None:
    source = source.strip()
    if source.startswith(("https://", "http://")) and len(source) <= 2000:
        return source
    if _FACEBOOK_POST.match(source):  # the Air Force's posts, as 'kpszsu/posts/pfbid...'
        return "https://www.facebook.com/" + source
    return None


class MissileLogReader:
    """The Air Force missile-attack log (see the module docstring)."""

    format = FORMAT

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() != ".csv" or not path.is_file():
            return False
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader([handle.readline(MAX_HEADER_CHARS)]), [])
        except (OSError, UnicodeDecodeError, csv.Error):
            return False
        return set(COLUMNS) <= {h.strip() for h in header}

    def describe(self, path: Path) -> DatasetInfo:
        return DatasetInfo(name="Massive Missile Attacks on Ukraine (daily log)",
                           publisher="compiled from the reports of the " + CLAIMANT)

    def rows(self, path: Path) -> Iterator[Row | RowError]:
        table = WeaponsTable.beside(path)
        seen: dict[str, int] = {}
        with _open_regular(path) as handle:
            reader = csv.DictReader(handle)
            try:
                missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
                if missing:
                    raise MissileLogError(f"{path}: not the missile-attack log: no column "
                                          f"{', '.join(missing)}")
                for number, record in enumerate(reader, start=1):
                    try:
                        yield from self._rows(number, record, table, seen)
                    except RowError as exc:
                        yield RowError(exc.number, exc.problem, cells=_cells(record))
            except UnicodeDecodeError:
                raise MissileLogError(f"{path}: not UTF-8 text (after row "
                                      f"{reader.line_num}); save the CSV as UTF-8") from None
            except csv.Error as exc:
                raise MissileLogError(f"{path}: line {reader.line_num}: not CSV: {exc}") from None

    def _rows(self, number: int, record: dict, table: WeaponsTable,
              seen: dict[str, int]) -> Iterator[Row]:
        if None in record:
            raise RowError(number, f"more cells than the {len(record) - 1} columns of the header")
        text = {k: (v or "").strip() for k, v in record.items()}
        start_day, start_time = _when(number, "time_start", text["time_start"])
        end_day, end_time = _when(number, "time_end", text["time_end"] or text["time_start"])
        if (end_day, end_time or "") < (start_day, start_time or ""):
            raise RowError(number, f"time_end {text['time_end']!r} is before time_start "
                                   f"{text['time_start']!r}")
        model = text["model"]
        if len(model) > MAX_PLACE_NAME or len(text["target"]) > 2000 or len(text["launch_place"]) > 2000:
            raise RowError(number, "model, target or launch_place is too long to be a name list")
        counts = {c: _count(number, c, text.get(c)) for c, _ in COUNTS}
        key = row_key(f"{start_day} {start_time or ''}", f"{end_day} {end_time or ''}",
                      model or "unknown")
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:  # two rows with one period and model: the later ones numbered
            key = f"{key}-{seen[key]}"

        found = model_systems(model, table) if model else ModelSystems([], [], [])
        unmapped = {"model": ", ".join(found.unknown) or model} if found.unknown or not model else {}
        period = (f"{start_day} {start_time or ''}".strip() + " to " +
                  f"{end_day} {end_time or ''}".strip())
        dates = {"date_start": start_day, "date_end": end_day, "date_precision": "day",
                 "date_note": f"The Air Force report covers {period} (Kyiv time, as the log "
                              "gives it)."}
        attribution = [{"claimant": CLAIMANT, "basis": "official_statement"}]
        link = _link(text.get("source", ""))
        evidence = _clip(f"Missile-attack log row {number} ({period}, {model or 'no model'})"
                         + (f", from the Air Force post {text['source']}" if text.get("source")
                            else ""), 5000)
        cells = _cells(record)

        launches: list[tuple[str, PlaceText]] = []
        for place in place_texts(text["launch_place"]):
            if is_direction(place.name) or len(place.name) > MAX_PLACE_NAME:
                unmapped["launch_place"] = place.name[:80]
                continue
            launches.append((f"{key}-launch-{len(launches) + 1}", place))

        targets = split_list(text["target"])
        named = [p for p in place_texts(text["target"]) if not is_direction(p.name)]
        if len(named) == 1 and len(targets) == 1 and len(named[0].name) <= MAX_PLACE_NAME:
            target, where = named[0], text["target"]
        else:  # several areas, a sector or nothing: the country, honestly imprecise
            target, where = UKRAINE, text["target"] or "Ukraine (no target named)"
        unit = _unit(model, table)
        quantities = [{"value": value, "unit": unit, "qualifier": "exact",
                       "item": _clip(f"{model or 'weapons'} {words}", MAX_TITLE)}
                      for (column, words) in COUNTS if (value := counts[column]) is not None]
        what = model or "unnamed weapons"
        launched = counts["launched"]
        title = (f"{what} attack on {where}" +
                 (f": {launched:g} launched" if launched is not None else "") +
                 (f", {counts['destroyed']:g} destroyed" if counts["destroyed"] is not None else ""))
        from_text = "; ".join(p.name + (f", {p.admin1}" if p.admin1 else "") for _, p in launches)
        description = (f"Air Force report, {period}: {what} aimed at {where}"
                       + (f", launched from {from_text}" if from_text else "") + ". "
                       + "; ".join(f"{c.replace('_', ' ')}: {counts[c]:g}" for c, _ in COUNTS
                                   if counts[c] is not None)
                       + ("." if any(v is not None for v in counts.values()) else "")
                       + (f" Target named by the log: {text['target']}." if target is UKRAINE
                          and text["target"] else ""))

        # One model (or one 'A/B' choice) is what every launch area launched; with several
        # models and several areas the log does not say which came from where: possible.
        several = len(split_list(model)) > 1 and len(launches) > 1
        launch_systems = {"systems": [] if several else found.certain,
                          "possible_systems": list(dict.fromkeys(
                              [*found.certain, *found.possible] if several else found.possible))}
        for native_id, place in launches:
            yield Row(number=number, native_id=native_id, place=place, link=link,
                      evidence=evidence, cells=cells, fields={
                "kind": "launch_site",
                "title": _clip(f"{place.name}: launch area of {what} ({start_day})", MAX_TITLE),
                "description": _clip(f"Named by the Air Force report of {period} as a launch "
                                     f"area of {what} aimed at {where}.", 5000),
                **dates, **launch_systems, "attribution": attribution, "status": "reported",
            })
        yield Row(number=number, native_id=key, place=target, link=link, unmapped=unmapped,
                  evidence=evidence, cells=cells, fields={
            "kind": "strike",
            "title": _clip(title, MAX_TITLE),
            "description": _clip(description, 5000),
            **dates, "systems": found.certain, "possible_systems": found.possible,
            "quantities": quantities, "attribution": attribution, "status": "reported",
            "links": [{"relation": "launched_from", "target": native_id} for native_id, _ in launches],
        })




READER = MissileLogReader()

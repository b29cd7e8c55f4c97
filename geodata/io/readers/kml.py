"""KML and KMZ (Google My Maps, Google Earth, GeoConfirmed-style exports, and ours).

Each Placemark is a Row: its name is the title; TimeStamp / TimeSpan (or a date field
of its ExtendedData, "Дата": 2024.01.23) the date; its Point the place. A LineString or
Polygon is placed at its representative point (a point on it or inside it) with the
precision its extent allows (a 30 km line is not a town), and the description says so;
a route kind (transfer, deployment) keeps a line's ends as origin and destination. With
no geometry the name is left for the geocoder ("Харьковской области"). ExtendedData
fields (Data and SimpleData) are read by name: ours (kind, status, date_*, place,
system_ids, tags ...) restore an exported event; a link, weapon or date field of other
maps is mapped where we can, the rest reported. A description is HTML: it is turned into
plain text by the standard library's parser, never rendered.

Safety: the file is parsed by expat as a stream (bounded memory: one Placemark held at
a time, each capped) and any DTD, entity declaration or external entity is refused, so
no "billion laughs" or external file can be expanded (what defusedxml guards against,
without the dependency). A KMZ is a zip: doc.kml (or its first .kml) is streamed out of
it, refused past MAX_UNCOMPRESSED bytes or a compression ratio above MAX_RATIO.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from geodata import systems
from geodata.errors import GeodataError
from geodata.events.model import Kind, Status, parse_partial_date
from geodata.io.readers.base import DatasetInfo, PlaceText, Row, RowError

FORMAT = "kml"
CHUNK = 1 << 16
MAX_PLACEMARK_CHARS = 1_000_000     # text held for one Placemark
MAX_DEPTH = 200                     # nesting of elements; KML nests a dozen deep
MAX_COORDINATES = 100_000           # points in one Placemark's geometry
MAX_UNCOMPRESSED = 1 << 30          # bytes streamed out of a KMZ
MAX_RATIO = 100                     # uncompressed / compressed: KML text compresses ~10x
MAX_TITLE = 300
MAX_TEXT = 5000
ROUTE_KINDS = frozenset({Kind.TRANSFER.value, Kind.DEPLOYMENT.value})

DATE_FIELDS = ("date", "event_date", "дата", "дата события", "дата події", "fecha", "datum")
LINK_FIELDS = ("link", "url", "source", "source_url", "ссылка", "посилання", "источник",
               "джерело", "sources")
WEAPON_FIELDS = ("weapon", "weapons", "system", "munition", "arms/munition",
                 "средства поражения", "засоби ураження", "оружие", "зброя")
PLACE_FIELDS = ("place_name", "location", "place", "город", "місто", "населенный пункт")
# Text that reads as a strike, when the map does not state a kind.
_STRIKE_WORDS = re.compile(r"\b(?:strikes?|struck|shell(?:ing|ed)|missiles?|air ?strikes?|"
                           r"bomb(?:ing|ed)?|drone attack)\b|удар|обстр[еі]л|ракет|авиабомб|"
                           r"прил[её]т|атак", re.IGNORECASE)
_DOTTED = re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$|^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_WHEN = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_URL = re.compile(r"https?://[^\s<>\"']{1,2000}")


class KmlError(GeodataError):
    """A KML or KMZ file that cannot be read safely; the message names file and line."""


# ------------------------------------------------------------------ HTML -> text ----

class _PlainText(HTMLParser):
    BLOCKS = frozenset({"p", "div", "li", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4",
                        "h5", "h6", "blockquote", "pre", "section", "article"})
    SKIP = frozenset({"script", "style", "head", "template", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "br" or tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(html: str) -> str:
    """An HTML description as plain text: tags dropped (script and style with their
    content), entities decoded, <br> and blocks as line breaks, at most one blank line."""
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip()


# -------------------------------------------------------------- streaming XML ----

def _refuse_dtd(*_args) -> None:
    raise KmlError("has a DOCTYPE (a DTD can define entities that expand without bound); "
                   "KML needs none: remove it")


def _refuse_entity(*_args) -> None:
    raise KmlError("declares or uses an external entity; KML needs none: remove it")


class _Placemarks:
    """Expat handlers that collect one Placemark at a time into ``done``."""

    TEXT = frozenset({"name", "description", "when", "begin", "end", "value", "SimpleData",
                      "coordinates"})

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.folders: list[str | None] = []
        self.document_name: str | None = None
        self.current: dict | None = None
        self.text: list[str] | None = None
        self.size = 0
        self.data_name: str | None = None
        self.done: list[dict] = []
        self.count = 0

    def start(self, tag: str, attrs: dict) -> None:
        local = tag.rsplit(" ", 1)[-1]
        self.stack.append(local)
        if len(self.stack) > MAX_DEPTH:
            raise KmlError(f"elements nested more than {MAX_DEPTH} deep; is it KML?")
        if local == "Folder":
            self.folders.append(None)
        elif local == "Placemark":
            self.count += 1
            self.current = {"number": self.count, "id": attrs.get("id"), "data": {},
                            "geometry": [], "folders": [f for f in self.folders if f],
                            "too_large": False}
            self.size = 0
        elif local in ("Data", "SimpleData"):
            self.data_name = attrs.get("name")
        if local in self.TEXT or (local == "name" and len(self.stack) >= 2):
            self.text = []

    def chars(self, data: str) -> None:
        if self.text is None:
            return
        if self.current is not None:
            self.size += len(data)
            if self.size > MAX_PLACEMARK_CHARS:
                self.current["too_large"] = True
                self.text = None
                return
        elif sum(map(len, self.text)) > 1000:  # a folder's or document's name
            return
        self.text.append(data)

    def end(self, tag: str) -> None:
        local = self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        text = "".join(self.text) if self.text is not None else None
        if local in self.TEXT:
            self.text = None
        pm = self.current
        if local == "Folder":
            self.folders.pop()
        elif local == "name" and pm is None and parent == "Folder" and text and self.folders:
            self.folders[-1] = text.strip()[:100]
        elif local == "name" and pm is None and parent == "Document" and text:
            self.document_name = self.document_name or text.strip()[:300]
        elif pm is None:
            return
        elif local == "Placemark":
            self.done.append(pm)
            self.current = None
        elif text is None:
            return
        elif local in ("name", "description") and parent == "Placemark":
            pm[local] = text
        elif local == "when":
            pm.setdefault("when", text.strip())
        elif local in ("begin", "end"):
            pm[local] = text.strip()
        elif local in ("value", "SimpleData") and self.data_name:
            pm["data"].setdefault(self.data_name.strip(), text)  # as given: ours are exact
        elif local == "coordinates":
            shape = next((s for s in reversed(self.stack) if s in ("Point", "LineString", "LinearRing")), None)
            inner = "innerBoundaryIs" in self.stack
            if shape and not inner:
                pm["geometry"].append((shape, text))


def _parser(handlers: _Placemarks) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_entity
    parser.StartElementHandler = handlers.start
    parser.EndElementHandler = handlers.end
    parser.CharacterDataHandler = handlers.chars
    return parser


def placemarks(stream: BinaryIO, label: str) -> Iterator[dict]:
    """Each Placemark of the KML byte stream, as a dict of its raw parts."""
    handlers = _Placemarks()
    parser = _parser(handlers)
    try:
        while True:
            chunk = stream.read(CHUNK)
            parser.Parse(chunk, not chunk)
            yield from handlers.done
            handlers.done.clear()
            if not chunk:
                break
    except expat.ExpatError as exc:
        raise KmlError(f"{label}: not well-formed XML at line {exc.lineno}, column "
                       f"{exc.offset + 1}: {expat.ErrorString(exc.code)}") from None
    except KmlError as exc:
        raise KmlError(f"{label}: line {parser.CurrentLineNumber}: {exc}") from None
    except RecursionError:
        raise KmlError(f"{label}: nested too deeply") from None


# --------------------------------------------------------------------- files ----

class _Capped:
    """A zip member's stream that refuses to inflate past the caps (zip bombs)."""

    def __init__(self, raw: BinaryIO, compressed: int, label: str):
        self.raw, self.compressed, self.label, self.total = raw, max(compressed, 1), label, 0

    def read(self, size: int) -> bytes:
        chunk = self.raw.read(size)
        self.total += len(chunk)
        if self.total > MAX_UNCOMPRESSED:
            raise KmlError(f"{self.label}: inflates past {MAX_UNCOMPRESSED:,} bytes; refused")
        if self.total > 10 * CHUNK and self.total > MAX_RATIO * self.compressed:
            raise KmlError(f"{self.label}: inflates more than {MAX_RATIO} times (a zip bomb?); "
                           "refused")
        return chunk


def _kml_member(archive: zipfile.ZipFile, path: Path) -> zipfile.ZipInfo:
    names = [i for i in archive.infolist() if not i.is_dir() and i.filename.lower().endswith(".kml")]
    member = next((i for i in names if i.filename.lower() == "doc.kml"), names[0] if names else None)
    if member is None:
        raise KmlError(f"{path}: a KMZ holds doc.kml; this zip has no .kml file")
    if member.flag_bits & 0x1:
        raise KmlError(f"{path}: {member.filename} is encrypted")
    if member.file_size > MAX_UNCOMPRESSED:
        raise KmlError(f"{path}: {member.filename} is {member.file_size:,} bytes uncompressed "
                       f"(at most {MAX_UNCOMPRESSED:,})")
    return member


def _open_stream(path: Path) -> Iterator[tuple[BinaryIO, str]]:
    try:
        if not path.is_file():
            raise KmlError(f"{path}: not a regular file (a directory, device or pipe, or "
                           "missing); give a .kml or .kmz file")
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                member = _kml_member(archive, path)
                label = f"{path}!{member.filename}"
                with archive.open(member) as raw:
                    yield _Capped(raw, member.compress_size, label), label
        else:
            with path.open("rb") as raw:
                yield raw, str(path)
    except (zipfile.BadZipFile, NotImplementedError, EOFError) as exc:
        raise KmlError(f"{path}: a damaged KMZ ({exc})") from None
    except OSError as exc:
        raise KmlError(f"{path}: cannot read: {exc.strerror or exc}") from None


def stream_placemarks(path: Path) -> Iterator[dict]:
    for stream, label in _open_stream(path):
        yield from placemarks(stream, label)


# ------------------------------------------------------------ placemark -> row ----

def _field(data: dict[str, str], names: tuple[str, ...]) -> tuple[str, str] | None:
    folded = {k.casefold(): k for k in data}
    for name in names:
        key = folded.get(name)
        if key is not None and data[key].strip():
            return key, data[key].strip()
    return None


def _day(text: str) -> tuple[date, date, str] | None:
    """A KML time (xsd gYear, gYearMonth, date or dateTime) or a dotted date."""
    text = text.strip()
    match = _WHEN.match(text)
    if match:
        try:
            start, end, precision = parse_partial_date(match.group(1))
            return start, end, precision.value
        except ValueError:
            return None
    dotted = _DOTTED.match(text)
    if dotted:
        y, m, d = dotted.group(1, 2, 3) if dotted.group(1) else dotted.group(6, 5, 4)
        try:
            day = date(int(y), int(m), int(d))
        except ValueError:
            return None
        return day, day, "day"
    return None


def _dates(pm: dict, number: int) -> dict:
    data = pm["data"]
    ours = [data.get(k) for k in ("date_start", "date_end", "date_precision")]
    if all(ours):
        return {"date_start": ours[0].strip()[:10], "date_end": ours[1].strip()[:10],
                "date_precision": ours[2].strip()}
    given = [("TimeStamp", pm.get("when")), ("TimeSpan begin", pm.get("begin")),
             ("TimeSpan end", pm.get("end"))]
    found = _field(data, DATE_FIELDS)
    if found:
        given.append(found)
    parsed = {}
    for name, text in given:
        if text:
            value = _day(text)
            if value is None:
                raise RowError(number, f"{name}: {text[:40]!r} is not a date (YYYY-MM-DD, "
                                       "YYYY-MM, YYYY or DD.MM.YYYY)")
            parsed[name] = value
    first = parsed.get("TimeStamp") or parsed.get("TimeSpan begin") or parsed.get("TimeSpan end") \
        or (parsed.get(found[0]) if found else None)
    if first is None:
        raise RowError(number, "no date: give a TimeStamp, a TimeSpan or a date field in "
                               "ExtendedData")
    last = parsed.get("TimeSpan end", first) if "TimeStamp" not in parsed else first
    start, end = first[0], last[1]
    if end < start:
        raise RowError(number, f"TimeSpan: end {last[1]} is before begin {start}")
    if first[2] == last[2] and first[2] != "day":
        return {"date_start": start.isoformat(), "date_end": end.isoformat(), "date_precision": first[2]}
    return {"date_start": start.isoformat(), "date_end": end.isoformat(), "date_precision": "day"}


def _points(number: int, text: str) -> list[tuple[float, float]]:
    points = []
    for token in text.split():
        parts = token.split(",")
        if len(parts) not in (2, 3):
            raise RowError(number, f"coordinates: {token[:40]!r} is not lon,lat[,alt]")
        try:
            lon, lat = float(parts[0]), float(parts[1])
        except ValueError:
            raise RowError(number, f"coordinates: {token[:40]!r} is not lon,lat[,alt]") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also refuses nan
            raise RowError(number, f"coordinates: {token[:40]!r} is off the globe (lon "
                                   "-180..180, lat -90..90)")
        points.append((lon, lat))
        if len(points) > MAX_COORDINATES:
            raise RowError(number, f"coordinates: more than {MAX_COORDINATES:,} points")
    if not points:
        raise RowError(number, "coordinates: empty")
    return points


def _precision_for_extent(km: float) -> int:
    """How precise a point standing for a drawn shape is: within 5 km a town, 50 km a
    district, 300 km a region, else a country."""
    return 1 if km <= 5 else 2 if km <= 50 else 3 if km <= 300 else 4


def _ours(data: dict, key: str) -> object:
    """One of our exported JSON columns, or None when absent or not JSON."""
    text = data.get(key)
    if not text or len(text) > 100_000:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _place_text(name: str, given: object, lonlat: tuple[float, float] | None,
                precision: int | None) -> PlaceText:
    """A place from our exported place JSON where it agrees, else from the geometry."""
    extra = {}
    if isinstance(given, dict):
        extra = {k: given[k] for k in ("admin1", "country") if isinstance(given.get(k), str)}
        if isinstance(given.get("name"), str) and given["name"].strip():
            name = given["name"]
        if isinstance(given.get("geo_precision"), int) and lonlat is not None:
            precision = given["geo_precision"]
    if lonlat is None:
        return PlaceText(name=name[:300], **extra)
    return PlaceText(name=name[:300], lon=lonlat[0], lat=lonlat[1],
                     geo_precision=precision if precision in (1, 2, 3, 4) else 1, **extra)


def _native_id(pm: dict, title: str, dates: dict) -> str:
    given = (pm["data"].get("id") or "").strip() or pm.get("id")
    if given and given.strip():
        return given.strip()[:200]
    shape = "|".join(t for _, t in pm["geometry"])
    digest = hashlib.sha1("\x1f".join((title, dates["date_start"], shape.strip(),
                                       (pm.get("description") or "")[:500])).encode("utf-8",
                                                                                   "replace"))
    return "pm-" + digest.hexdigest()[:16]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def placemark_row(pm: dict) -> Row:
    """One Placemark as a Row (see the module docstring)."""
    number, data = pm["number"], pm["data"]
    if pm["too_large"]:
        raise RowError(number, f"placemark longer than {MAX_PLACEMARK_CHARS:,} characters")
    name = " ".join((pm.get("name") or "").split())
    if "description" in data:     # ours: the exact text (the <description> is HTML)
        description = data["description"]
    else:
        description = html_to_text(pm.get("description") or "")
    title = data.get("title") or name or _clip(description.split("\n", 1)[0], 120) \
        or f"Placemark {number}"
    dates = _dates(pm, number)
    unmapped: dict[str, str] = {}

    kind = data.get("kind", "").strip()
    if kind and kind not in {k.value for k in Kind}:
        unmapped["kind"] = kind[:80]
        kind = ""
    if not kind:
        kind = "strike" if _STRIKE_WORDS.search(f"{title}\n{description}") else "incident"
    status = data.get("status", "").strip()
    if status not in {s.value for s in Status}:
        if status:
            unmapped["status"] = status[:80]
        status = "reported"

    title = title if data.get("title") else title.strip()   # ours exactly as exported
    fields: dict = {"kind": kind, "title": _clip(title, MAX_TITLE), "status": status,
                    **dates}
    system_ids = _ours(data, "system_ids")
    if isinstance(system_ids, list):
        fields["systems"] = [s for s in system_ids if isinstance(s, str)]
    weapon = _field(data, WEAPON_FIELDS)
    if weapon:
        for value in re.split(r"[,;/]", weapon[1]):
            found = systems.catalogue().find(value.strip()) if value.strip() else None
            if found:
                fields.setdefault("systems", []).append(found.id)
            elif value.strip():
                unmapped[weapon[0]] = value.strip()[:80]
    possible = _ours(data, "possible_system_ids")  # our export: ids, and names beside them
    if not isinstance(possible, list):
        possible = _ours(data, "possible_systems")
    if isinstance(possible, list):
        found = (systems.catalogue().find(v) for v in possible if isinstance(v, str))
        fields["possible_systems"] = list(dict.fromkeys(s.id for s in found if s))
    value = _ours(data, "tags")
    if isinstance(value, list):
        fields["tags"] = [v for v in value if isinstance(v, str)]
    tags = fields.get("tags", []) + [f for f in pm["folders"] if f not in fields.get("tags", [])]
    if tags:
        fields["tags"] = tags[:50]
    if data.get("date_note"):
        fields["date_note"] = data["date_note"]

    link = None
    found_link = _field(data, LINK_FIELDS)
    if found_link:
        match = _URL.search(found_link[1])
        link = match.group(0) if match else None
    notes = []
    place = origin = destination = None
    place_name = (_field(data, PLACE_FIELDS) or (None, None))[1] if "place" not in data else None
    if pm["geometry"]:
        from shapely.geometry import LineString, MultiPoint, Polygon

        from pyproj import Geod

        shapes = [(kind_, _points(number, text)) for kind_, text in pm["geometry"]]
        points = [p for _, pts in shapes for p in pts]
        if kind in ROUTE_KINDS and len(points) >= 2:
            origin = _place_text(data.get("origin_name") or "origin", _ours(data, "origin"),
                                 points[0], 1)
            destination = _place_text(data.get("destination_name") or "destination",
                                      _ours(data, "destination"), points[-1], 1)
        elif len(points) == 1:
            place = _place_text(place_name or name or title, _ours(data, "place"), points[0], 1)
        else:
            kind_, first = shapes[0]
            shape = (Polygon(first) if kind_ == "LinearRing" and len(first) >= 4 and len(shapes) == 1
                     else LineString(first) if len(shapes) == 1 and len(first) >= 2
                     else MultiPoint(points))
            centre = shape.representative_point()
            lons, lats = zip(*points)
            distances = Geod(ellps="WGS84").inv([centre.x] * len(points), [centre.y] * len(points),
                                                lons, lats)[2]
            extent = max(distances) / 1000
            precision = _precision_for_extent(extent)
            drawn = {"LineString": "a line", "LinearRing": "an area"}.get(kind_, "several shapes")
            notes.append(f"Drawn in the file as {drawn} of {len(points)} points: placed at its "
                         f"representative point, {extent:.0f} km from its farthest point.")
            place = _place_text(place_name or name or title, _ours(data, "place"),
                                (centre.x, centre.y), precision)
    else:
        given = _ours(data, "place")
        if isinstance(given, dict) and isinstance(given.get("lat"), (int, float)) \
                and isinstance(given.get("lon"), (int, float)):
            place = _place_text(place_name or name, given, (given["lon"], given["lat"]),
                                given.get("geo_precision"))
        elif (place_name or name).strip():
            place = _place_text(place_name or name, given, None, None)
    if notes:
        description = "\n\n".join(p for p in (description, *notes) if p)
    if description:
        fields["description"] = _clip(description, MAX_TEXT)
    native_id = _native_id(pm, title, dates)
    return Row(number=number, native_id=native_id, fields=fields, place=place, origin=origin,
               destination=destination, link=link, unmapped=unmapped, cells=cells(pm),
               evidence=_clip(f"KML placemark {number} ({name or native_id})"
                              + (f": {link}" if link else ""), MAX_TEXT))


def cells(pm: dict) -> dict[str, str]:
    """The Placemark's own parts, for a rejects file."""
    given = {"name": pm.get("name") or "", "when": pm.get("when") or "",
             "begin": pm.get("begin") or "", "end": pm.get("end") or "",
             "coordinates": " ".join(t.strip() for _, t in pm["geometry"])[:10_000],
             "description": (pm.get("description") or "")[:10_000]}
    return {**given, **{k: v[:10_000] for k, v in pm["data"].items()}}


class KmlReader:
    """KML and KMZ (see the module docstring)."""

    format = FORMAT

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() in (".kml", ".kmz"):
            return path.is_file()
        try:
            with path.open("rb") as handle:
                head = handle.read(2048)
        except OSError:
            return False
        return b"<kml" in head

    def describe(self, path: Path) -> DatasetInfo:
        name = None
        for stream, _label in _open_stream(path):
            handlers = _Placemarks()
            parser = _parser(handlers)
            try:
                for _ in range(64):  # the document's name comes first
                    chunk = stream.read(CHUNK)
                    parser.Parse(chunk, not chunk)
                    if handlers.document_name or handlers.count or not chunk:
                        break
            except (expat.ExpatError, KmlError):
                pass
            name = handlers.document_name
        return DatasetInfo(name=_clip(f"{path.name}: {name}" if name else path.name, 300),
                           publisher="KML file")

    def rows(self, path: Path) -> Iterator[Row | RowError]:
        seen: dict[str, int] = {}
        for pm in stream_placemarks(path):
            try:
                row = placemark_row(pm)
                if row.native_id in seen:
                    raise RowError(pm["number"], f"id {row.native_id!r} is given twice (first "
                                                 f"at placemark {seen[row.native_id]})")
                seen[row.native_id] = pm["number"]
                yield row
            except RowError as exc:
                yield RowError(exc.number, exc.problem, cells=cells(pm),
                               native_id=pm.get("id") or pm["data"].get("id"))


READER = KmlReader()

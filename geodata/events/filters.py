"""What an analyst narrows the catalogue by. One filter object serves the store's SQL,
the exports and the dashboard, so all of them always show the same set."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from geodata import systems
from geodata.errors import GeodataError
from geodata.events.geometry import representative_point
from geodata.events.model import MAX_TAG_LENGTH, MAX_TAGS, Event, Kind, Status, tag_key

MAX_SEARCH_LENGTH = 200  # characters of free text to search for


class FilterError(GeodataError):
    """A filter value that names nothing: the message names the field and the value."""


@dataclass(frozen=True)
class EventFilter:
    """Every field narrows; an empty field does not filter.

    Dates select events whose period overlaps [since, until]. ``max_geo_precision``
    keeps events at least that precise (1 town ... 4 country). ``text`` matches a
    case-insensitive substring of title, description or place names. ``systems``
    finds an event naming the system as certain or as one of its possible systems
    ("Iskander-M/KN-23"): a possible match is still a match, and the record says
    "possibly". ``tags`` match whole tags, ignoring case.
    """

    kinds: frozenset[Kind] = frozenset()
    systems: frozenset[str] = frozenset()
    since: date | None = None
    until: date | None = None
    countries: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    statuses: frozenset[Status] = frozenset()
    max_geo_precision: int | None = None
    text: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    tags: frozenset[str] = frozenset()  # tag_key()s

    @classmethod
    def build(cls, *, kinds: Iterable[str] = (), systems: Iterable[str] = (),
              since: date | str | None = None, until: date | str | None = None,
              countries: Iterable[str] = (), sources: Iterable[str] = (),
              statuses: Iterable[str] = (), max_geo_precision: int | str | None = None,
              text: str | None = None, bbox: Iterable[float] | None = None,
              tags: Iterable[str] = ()) -> EventFilter:
        """Validate user-given values (any system alias, dates as YYYY-MM-DD)."""
        since, until = _date("since", since), _date("until", until)
        if since and until and since > until:
            raise FilterError(f"since {since} is after until {until}")
        precision = None
        if max_geo_precision not in (None, ""):
            try:
                precision = int(max_geo_precision)
            except (TypeError, ValueError):
                precision = 0
            if not 1 <= precision <= 4:
                raise FilterError(f"precision {max_geo_precision!r}: give 1 (town) to 4 (country)")
        text = (text or "").strip() or None
        if text and len(text) > MAX_SEARCH_LENGTH:
            raise FilterError(f"search text is too long ({len(text)} characters; "
                              f"at most {MAX_SEARCH_LENGTH})")
        return cls(
            kinds=frozenset(_enum("kind", Kind, v) for v in kinds),
            systems=frozenset(_system(v) for v in systems),
            since=since, until=until,
            countries=frozenset(_country(v) for v in countries),
            sources=frozenset(_source(v) for v in sources),
            statuses=frozenset(_enum("status", Status, v) for v in statuses),
            max_geo_precision=precision, text=text, bbox=_bbox(bbox),
            tags=_tags(tags),
        )

    def matches(self, event: Event) -> bool:
        """The same test as the store's SQL, on one event (for small in-memory sets):
        both read RULES."""
        return all(_TESTS[rule.op](_EVENT_VALUES[rule.column](event), value)
                   for rule, value in conditions(self))


@dataclass(frozen=True)
class Rule:
    """One filter field: the stored value it reads (``column``) and how it compares
    (``op``). The store's SQL (SQLite and PostgreSQL), the snapshot's arrays
    (events/columns.py) and ``EventFilter.matches`` all read RULES, so each rule is
    written once here; each reader only knows how to evaluate the six operators.

    Operators: ``in`` (the value is one of), ``>=`` / ``<=`` (an unknown value never
    passes), ``any`` (the event's link table holds any of the values), ``contains``
    (case-insensitive substring of the search text), ``bbox`` (the representative
    point lies in west, south, east, north; west > east crosses the antimeridian)."""

    field: str   # EventFilter attribute
    column: str  # the stored column or link table it reads
    op: str


RULES = (
    Rule("kinds", "kind", "in"),
    Rule("statuses", "status", "in"),
    Rule("since", "date_end", ">="),        # periods overlapping [since, until]
    Rule("until", "date_start", "<="),
    Rule("max_geo_precision", "geo_precision", "<="),
    Rule("bbox", "point", "bbox"),
    Rule("systems", "systems", "any"),      # certain or possible systems
    Rule("tags", "tags", "any"),
    Rule("sources", "sources", "any"),
    Rule("countries", "countries", "any"),
    Rule("text", "search", "contains"),
)


def conditions(f: EventFilter) -> list[tuple[Rule, object]]:
    """(rule, value) for every field ``f`` sets, with the value as stored: sorted
    strings for sets, ISO dates, lower-cased text, the bbox tuple."""
    found = []
    for rule in RULES:
        value = getattr(f, rule.field)
        if not value:
            continue
        if isinstance(value, frozenset):
            value = sorted(getattr(v, "value", v) for v in value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, str):
            value = value.lower()
        found.append((rule, value))
    return found


# how EventFilter.matches reads each column from an event, and evaluates each operator
_EVENT_VALUES = {
    "kind": lambda e: e.kind.value,
    "status": lambda e: e.status.value,
    "date_start": lambda e: e.date_start.isoformat(),
    "date_end": lambda e: e.date_end.isoformat(),
    "geo_precision": lambda e: e.geo_precision,
    "point": lambda e: representative_point(e),
    "systems": lambda e: {*e.systems, *e.possible_systems},
    "tags": lambda e: {tag_key(t) for t in e.tags},
    "sources": lambda e: {c.id for c in e.sources},
    "countries": lambda e: {p.country for p in e.places if p.country},
    "search": lambda e: search_text(e),
}
_TESTS = {
    "in": lambda have, want: have in want,
    ">=": lambda have, want: have is not None and have >= want,
    "<=": lambda have, want: have is not None and have <= want,
    "any": lambda have, want: not have.isdisjoint(want),
    "contains": lambda have, want: want in have,
    "bbox": lambda have, want: _inside(want, have),
}


def search_text(event: Event) -> str:
    """What free-text search looks in, lower-cased."""
    parts = [event.title, event.description or "", *(p.name for p in event.places)]
    return " ".join(parts).lower()


def _inside(bbox: tuple[float, float, float, float], point: tuple[float, float] | None) -> bool:
    if point is None:
        return False
    (west, south, east, north), (lon, lat) = bbox, point
    in_lon = west <= lon <= east if west <= east else (lon >= west or lon <= east)
    return in_lon and south <= lat <= north


def _bbox(value: Iterable[float] | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        west, south, east, north = (float(v) for v in value)
    except (TypeError, ValueError):
        raise FilterError("bbox: give west, south, east, north in degrees") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise FilterError(f"bbox {value!r}: longitudes in -180..180, latitudes in -90..90, "
                          "south <= north")
    return west, south, east, north


def _date(field: str, value: date | str | None) -> date | None:
    if value in (None, "") or isinstance(value, date):
        return value or None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise FilterError(f"{field} {value!r} is not a date: use YYYY-MM-DD") from None


def _enum(field: str, enum, value: str):
    try:
        return enum(str(value).strip().lower())
    except ValueError:
        raise FilterError(f"unknown {field} {value!r}: choose from "
                          f"{', '.join(e.value for e in enum)}") from None


def _system(value: str) -> str:
    system = systems.catalogue().find(value)
    if system is None:
        raise FilterError(f"unknown weapon system {value!r}: see python -m geodata systems")
    return system.id


def _tags(values: Iterable[str]) -> frozenset[str]:
    keys = frozenset(tag_key(str(v)) for v in values)
    if "" in keys:
        raise FilterError("tag: empty tag")
    if len(keys) > MAX_TAGS or any(len(k) > MAX_TAG_LENGTH for k in keys):
        raise FilterError(f"tag: at most {MAX_TAGS} tags of up to {MAX_TAG_LENGTH} characters")
    return keys


def _country(value: str) -> str:
    code = str(value).strip().upper()
    if len(code) != 2 or not (code.isascii() and code.isalpha()):
        raise FilterError(f"country {value!r}: give an ISO 3166 alpha-2 code such as UA")
    return code


def _source(value: str) -> str:
    value = str(value).strip()
    if not value:
        raise FilterError("source: empty source id")
    return value

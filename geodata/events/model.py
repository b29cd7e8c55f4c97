"""The event record: what a report says happened, where, when, how sure, says who.

Borrowed from ACLED (time and geo precision) and TimeMap (sources on every event), and
extended for weapons-transfer work: origin and destination, systems from one catalogue,
quantities with their qualifiers, who claims what on which basis, and discrepancies
between sources recorded instead of resolved silently.

Validation happens here, once, for every way an event can arrive: the seed YAML, an
imported GeoJSON feature, the store, report extraction.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from geodata import systems

# Sane bounds, one home each: a figure beyond them is a typo or an attack, never a report.
MAX_QUANTITY = 1_000_000_000       # items, troops, shells ... in one event
MAX_CASUALTIES = 10_000_000        # killed or injured in one event
MAX_RADIUS_KM = 20_038             # half the Earth's circumference: no place is vaguer

# Numbers are numbers: a file's "49.98" (a string) or true is refused, not converted;
# an int is a float where a float is asked. Infinity and NaN are refused everywhere
# (_Model: allow_inf_nan=False), so nothing stored can fail to read back.
Number = Annotated[float, Field(strict=True)]
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_CASUALTIES)]

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,99}$")]
Text = Annotated[str, Field(min_length=1, max_length=5000)]
ShortText = Annotated[str, Field(min_length=1, max_length=300)]
MAX_TAGS = 50                      # labels on one event (TimeMap associations, ...)
MAX_TAG_LENGTH = 100
Tag = Annotated[str, Field(min_length=1, max_length=MAX_TAG_LENGTH)]


class Kind(StrEnum):
    STRIKE = "strike"
    LAUNCH_SITE = "launch_site"
    TRANSFER = "transfer"
    DEPLOYMENT = "deployment"
    INCIDENT = "incident"
    MEETING = "meeting"
    AGREEMENT = "agreement"
    TEST = "test"
    PRODUCTION = "production"


ROUTE_KINDS = frozenset({Kind.TRANSFER, Kind.DEPLOYMENT})


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class Status(StrEnum):
    REPORTED = "reported"          # one source says so
    CORROBORATED = "corroborated"  # independent sources agree
    CONFIRMED = "confirmed"        # physical evidence examined (debris, inspection)
    DISPUTED = "disputed"          # sources contradict each other, or it is denied


class Qualifier(StrEnum):
    EXACT = "exact"
    ABOUT = "about"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    UP_TO = "up_to"
    FEWER_THAN = "fewer_than"


class Basis(StrEnum):
    DEBRIS_DOCUMENTED = "debris_documented"
    ON_SITE_INSPECTION = "on_site_inspection"
    OFFICIAL_STATEMENT = "official_statement"
    INTELLIGENCE_ASSESSMENT = "intelligence_assessment"
    ANALYST_ASSESSMENT = "analyst_assessment"
    IMAGERY_ANALYSIS = "imagery_analysis"
    STATE_MEDIA = "state_media"
    MEDIA_REPORT = "media_report"


class LinkRelation(StrEnum):
    LAUNCHED_FROM = "launched_from"  # a strike -> the launch area it came from
    SAME_AS = "same_as"
    PART_OF = "part_of"              # one strike -> the campaign it belongs to


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False,
                              allow_inf_nan=False)


class Source(_Model):
    """A report the catalogue cites."""

    id: Slug
    publisher: ShortText
    title: ShortText                  # the headline
    published: date
    published_precision: DatePrecision = DatePrecision.DAY
    published_reasoning: Text | None = None  # how the date was inferred, when not printed
    url: HttpUrl | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")] = "en"
    note: Text | None = None


class GeoStatus(StrEnum):
    OK = "ok"
    AMBIGUOUS = "ambiguous"
    FALLBACK = "fallback"


class PlaceRef(_Model):
    """A place as the report names it, and where the geocoder put it."""

    name: ShortText                      # as reported: "north of Kyiv", "Kurusk"
    query: ShortText | None = None       # what to geocode when the name is misleading
    gazetteer_id: ShortText | None = None  # pin the gazetteer entry (skips ranking)
    lat: Annotated[Number, Field(ge=-90, le=90)] | None = None
    lon: Annotated[Number, Field(ge=-180, le=180)] | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    admin1: ShortText | None = None
    geo_precision: Annotated[int, Field(strict=True, ge=1, le=4)] | None = None
    radius_km: Annotated[Number, Field(ge=0, le=MAX_RADIUS_KM)] | None = None
    # how sure the geocoder was: "ambiguous" (an area holding several places of that
    # name), "fallback" (the stated province or country: the town was not found in it)
    geo_status: GeoStatus | None = None

    @model_validator(mode="after")
    def _coordinates_together(self) -> PlaceRef:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        if self.lat is not None and self.geo_precision is None:
            raise ValueError("a located place needs its geo_precision")
        return self

    @property
    def located(self) -> bool:
        return self.lat is not None


class Quantity(_Model):
    value: Annotated[Number, Field(ge=0, le=MAX_QUANTITY)]
    unit: ShortText                      # missiles, troops, containers, shells, systems
    qualifier: Qualifier = Qualifier.EXACT
    item: ShortText | None = None        # what was counted, in our words
    source: Slug | None = None           # the source giving this figure, when they differ


class Casualties(_Model):
    killed: Count | None = None
    killed_qualifier: Qualifier = Qualifier.EXACT
    injured: Count | None = None
    injured_qualifier: Qualifier = Qualifier.EXACT
    note: ShortText | None = None        # "dozens injured"


class Attribution(_Model):
    claimant: ShortText                  # "Defence Intelligence of Ukraine", "UN Panel of Experts"
    basis: Basis
    source: Slug | None = None
    note: Text | None = None


class Citation(_Model):
    """A source cited by an event, with what it contributes in our own words."""

    id: Slug
    evidence: Text


class DiscrepantValue(_Model):
    source: Slug
    value: ShortText


class Discrepancy(_Model):
    field: ShortText                     # "quantity", "date_start", "killed" ...
    values: list[DiscrepantValue] = Field(min_length=2)
    note: Text | None = None


class Link(_Model):
    relation: LinkRelation
    target: Slug


def tag_key(tag: str) -> str:
    """How tags compare (stored, filtered): white space collapsed, case ignored."""
    return " ".join(tag.split()).casefold()


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(text: str) -> tuple[date, date, DatePrecision]:
    """'2024' / '2024-01' / '2024-01-02' -> (first day, last day, precision)."""
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is None:
        return date(year, 1, 1), date(year, 12, 31), DatePrecision.YEAR
    if day is None:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), DatePrecision.MONTH
    return date(year, month, day), date(year, month, day), DatePrecision.DAY


def expand_date(data: dict) -> dict:
    """Accept ``date: 2024-01`` or an ISO interval ``date: 2023-12/2024-02`` in place of
    date_start/date_end/date_precision: the form an analyst writes in the seed YAML."""
    when = data.pop("date")
    first, _, last = str(when).partition("/")
    start, end, precision = parse_partial_date(first)
    if last:
        _, end, last_precision = parse_partial_date(last)
        if last_precision != precision:
            raise ValueError(f"date {when!r}: both ends need the same precision")
    return {**data, "date_start": start, "date_end": end, "date_precision": precision}


class Event(_Model):
    id: Slug
    kind: Kind
    title: ShortText
    description: Text | None = None
    date_start: date
    date_end: date
    date_precision: DatePrecision
    date_note: Text | None = None        # how the date was read or inferred
    place: PlaceRef | None = None
    origin: PlaceRef | None = None
    destination: PlaceRef | None = None
    systems: list[str] = Field(default_factory=list)
    # "one of these": a report naming "Iskander-M/KN-23" says the weapon was one of
    # them, not which. Filtering by either finds the event; labels say "possibly".
    possible_systems: list[str] = Field(default_factory=list)
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)  # short labels
    quantities: list[Quantity] = Field(default_factory=list)
    casualties: Casualties | None = None
    attribution: list[Attribution] = Field(default_factory=list)
    status: Status
    sources: list[Citation] = Field(min_length=1)
    discrepancies: list[Discrepancy] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _date_shorthand(cls, data):
        if isinstance(data, dict) and "date" in data:
            if any(k in data for k in ("date_start", "date_end", "date_precision")):
                raise ValueError("give either date or date_start/date_end/date_precision")
            return expand_date(dict(data))
        if isinstance(data, dict) and "date_start" in data and data.get("date_end") is None:
            start = data["date_start"]
            if isinstance(start, str):
                data = {**data, "date_start": date.fromisoformat(start)}
            data = {**data, "date_end": data["date_start"]}
        return data

    @field_validator("systems", "possible_systems")
    @classmethod
    def _canonical_systems(cls, value: list[str]) -> list[str]:
        out = []
        for name in value:
            system = systems.catalogue().find(name)
            if system is None:
                raise ValueError(f"unknown weapon system {name!r}: add it to geodata/data/systems.yaml")
            if system.id not in out:
                out.append(system.id)
        return out

    @field_validator("tags")
    @classmethod
    def _clean_tags(cls, value: list[str]) -> list[str]:
        """Tags with runs of white space as one space, each once (compared ignoring case:
        the tag filter does)."""
        out, seen = [], set()
        for tag in value:
            tag = " ".join(tag.split())
            if not tag:
                raise ValueError("a tag is empty")
            if tag_key(tag) not in seen:
                seen.add(tag_key(tag))
                out.append(tag)
        return out

    @model_validator(mode="after")
    def _consistent(self) -> Event:
        if self.date_end < self.date_start:
            raise ValueError(f"date_end {self.date_end} is before date_start {self.date_start}")
        if self.date_precision != DatePrecision.DAY:
            expected = {
                DatePrecision.MONTH: (self.date_start.replace(day=1), self.date_end.replace(
                    day=calendar.monthrange(self.date_end.year, self.date_end.month)[1])),
                DatePrecision.YEAR: (self.date_start.replace(month=1, day=1),
                                     self.date_end.replace(month=12, day=31)),
            }[self.date_precision]
            if (self.date_start, self.date_end) != expected:
                raise ValueError(f"{self.date_precision} precision: dates must span whole "
                                 f"{self.date_precision}s (got {self.date_start}..{self.date_end})")
        if self.kind in ROUTE_KINDS:
            if self.origin is None or self.destination is None:
                raise ValueError(f"a {self.kind} needs an origin and a destination")
        elif self.place is None:
            raise ValueError(f"a {self.kind} needs a place (a country will do when the report "
                             "gives no more)")
        both = sorted(set(self.systems) & set(self.possible_systems))
        if both:
            raise ValueError(f"possible_systems: {', '.join(both)} is also among the systems "
                             "(certain); give it in one of the two")
        cited = {c.id for c in self.sources}
        if len(cited) != len(self.sources):
            raise ValueError("a source is cited twice")
        for d in self.discrepancies:
            stray = {v.source for v in d.values} - cited
            if stray:
                raise ValueError(f"discrepancy on {d.field}: {sorted(stray)} not among the event's sources")
        for link in self.links:
            if link.target == self.id:
                raise ValueError("an event cannot link to itself")
        return self

    @property
    def places(self) -> list[PlaceRef]:
        return [p for p in (self.place, self.origin, self.destination) if p is not None]

    @property
    def geo_precision(self) -> int | None:
        """The coarsest precision among the event's places: how far to trust its geometry."""
        values = [p.geo_precision for p in self.places if p.geo_precision is not None]
        return max(values) if values else None

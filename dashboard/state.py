"""The filter state and the URL query string, both ways.

A view is a link: every filter lives in the query string (``?kind=strike&system=kn-23
&since=2024-01-01``), and so does the map's view (``c=lat,lon&z=5``). A malformed field is dropped with a notice naming it and the
reason, and the other fields still apply; nothing in a URL can crash the page. What
this module accepts is exactly what the sidebar's widgets can show (dates inside the
date picker's bounds, a precision among its options), so loading a link into the
widgets never fails. Notices are plain text: whoever shows them must not render them
as Markdown or HTML (they quote the link, which anyone can write).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from pydantic import TypeAdapter, ValidationError

from geodata import systems
from geodata.errors import GeodataError
from geodata.events.blur import check_blur_km
from geodata.events.filters import EventFilter
from geodata.events.labels import PRECISION_LABEL
from geodata.events.model import Slug
from geodata.maps.style import ZOOM_MAX, ZOOM_MIN  # the map's own zoom bounds

LIST_FIELDS = {"kind": "kinds", "system": "systems", "country": "countries",
               "source": "sources", "status": "statuses", "tag": "tags"}
MAX_PARAM_LENGTH = 2000
MAX_NOTICES = 8           # then one line says how many more fields were ignored
QUOTED_CHARS = 80         # how much of a key or value a notice quotes
NOTICE_CHARS = 400
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2100, 12, 31)  # the date picker's bounds
PRECISIONS = tuple(PRECISION_LABEL)                         # the precision selector's options
CENTRE_DECIMALS = 4                                         # ~10 m: enough for a shared view
_EVENT_ID = TypeAdapter(Slug)


@dataclass
class ViewState:
    kinds: list[str] = field(default_factory=list)
    systems: list[str] = field(default_factory=list)   # canonical ids
    since: date | None = None
    until: date | None = None
    countries: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)     # a dataset's labels, compared ignoring case
    precision: int | None = None                       # keep events at least this precise
    text: str = ""
    ring: str | None = None                             # system id for range rings
    event: str | None = None                            # the selected event
    blur_km: float | None = None                        # coarsened coordinates for publishing
    centre: tuple[float, float] | None = None           # the map's (lat, lon) ...
    zoom: int | None = None                             # ... and zoom, as the viewer left them

    def event_filter(self, bbox=None) -> EventFilter:
        return EventFilter.build(kinds=self.kinds, systems=self.systems, since=self.since,
                                 until=self.until, countries=self.countries, sources=self.sources,
                                 statuses=self.statuses, tags=self.tags,
                                 max_geo_precision=self.precision, text=self.text, bbox=bbox)

    def to_query(self) -> dict[str, str]:
        query = {key: ",".join(getattr(self, attr)) for key, attr in LIST_FIELDS.items()
                 if getattr(self, attr)}
        for key, value in (("since", self.since), ("until", self.until)):
            if value:
                query[key] = value.isoformat()
        if self.precision:
            query["prec"] = str(self.precision)
        for key, value in (("q", self.text), ("ring", self.ring), ("event", self.event)):
            if value:
                query[key] = value
        if self.blur_km:
            query["blur"] = f"{self.blur_km:g}"
        if self.centre:
            query["c"] = ",".join(f"{v:.{CENTRE_DECIMALS}f}" for v in self.centre)
        if self.zoom is not None:
            query["z"] = str(self.zoom)
        return query


def map_centre(lat: float, lon: float) -> tuple[float, float]:
    """A map centre as the link keeps it: latitude within the map, longitude folded into
    -180..180 (Leaflet reports 190 after a pan across the antimeridian)."""
    lon = (lon + 180) % 360 - 180
    return (round(max(-90.0, min(90.0, lat)), CENTRE_DECIMALS), round(lon, CENTRE_DECIMALS))


class _Ignored(Exception):
    """A field of the link that cannot apply; the message says why."""


def _quoted(text: str) -> str:
    """A bounded, one-line piece of the link for a notice."""
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= QUOTED_CHARS else text[:QUOTED_CHARS] + "…"


def _filter(**filter_args) -> EventFilter:
    try:
        return EventFilter.build(**filter_args)
    except GeodataError as exc:
        raise _Ignored(str(exc)) from None


def _date(key: str, raw: str) -> date:
    value = getattr(_filter(**{key: raw}), key)
    if not DATE_MIN <= value <= DATE_MAX:
        raise _Ignored(f"give a date from {DATE_MIN} to {DATE_MAX}")
    return value


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _Ignored(f"{_quoted(text)!r} is not a number") from None
    if not math.isfinite(value):
        raise _Ignored(f"{_quoted(text)!r} is not a number")
    return value


def _centre(values: list[str]) -> tuple[float, float]:
    if len(values) != 2:
        raise _Ignored("give the map centre as latitude,longitude")
    lat, lon = (_number(v) for v in values)
    if not -90 <= lat <= 90:
        raise _Ignored("latitude must be from -90 to 90")
    if not -180 <= lon <= 180:
        raise _Ignored("longitude must be from -180 to 180")
    return round(lat, CENTRE_DECIMALS), round(lon, CENTRE_DECIMALS)


def _zoom(raw: str) -> int:
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or not ZOOM_MIN <= int(text) <= ZOOM_MAX:
        raise _Ignored(f"give a whole zoom level from {ZOOM_MIN} to {ZOOM_MAX}")
    return int(text)


def _apply(state: ViewState, key: str, raw: str, known_sources: set[str]) -> None:
    """Set the field ``key`` of ``state`` from ``raw``, or raise _Ignored."""
    if len(raw) > MAX_PARAM_LENGTH:
        raise _Ignored(f"longer than {MAX_PARAM_LENGTH} characters")
    values = [v.strip() for v in raw.split(",") if v.strip()]
    if not values:
        raise _Ignored("empty value")
    if key in LIST_FIELDS:
        attr = LIST_FIELDS[key]
        if attr == "sources":
            unknown = [v for v in values if v not in known_sources]
            if unknown:
                raise _Ignored(f"unknown source {_quoted(unknown[0])!r}")
        chosen = getattr(_filter(**{attr: values}), attr)
        setattr(state, attr, sorted(str(getattr(v, "value", v)) for v in chosen))
    elif key in ("since", "until"):
        setattr(state, key, _date(key, raw))
    elif key == "prec":
        precision = _filter(max_geo_precision=raw.strip()).max_geo_precision
        if precision not in PRECISIONS:
            raise _Ignored(f"give one of {', '.join(map(str, PRECISIONS))}")
        state.precision = precision
    elif key == "q":
        state.text = _filter(text=raw).text or ""
    elif key == "ring":
        system = systems.catalogue().find(raw)
        if system is None or not system.nominal_range_km:
            raise _Ignored("not a system with a known range")
        state.ring = system.id
    elif key == "blur":
        try:
            state.blur_km = check_blur_km(raw.strip())
        except GeodataError as exc:
            raise _Ignored(str(exc).replace("--blur-km ", "")) from None
    elif key == "c":
        state.centre = _centre(values)
    elif key == "z":
        state.zoom = _zoom(raw)
    elif key == "event":
        try:
            state.event = _EVENT_ID.validate_python(raw.strip())
        except ValidationError:
            raise _Ignored("not an event id") from None
    else:
        raise _Ignored("not a filter this page knows")


def from_query(params: Mapping[str, str | Sequence[str]],
               known_sources: set[str]) -> tuple[ViewState, list[str]]:
    """The state a query string asks for, and a notice for every field ignored.

    A value may be a list (a key given several times, as ``st.query_params.get_all``
    gives it): the last one applies, and a notice says so.
    """
    state, notices = ViewState(), []
    for key, given in params.items():
        key = str(key)
        values = [given] if isinstance(given, str) else [str(v) for v in given] or [""]
        raw = values[-1]
        if len(set(values)) > 1:
            notices.append(f"“{_quoted(key)}” is given {len(values)} times in the link: "
                           "the last one applies.")
        try:
            _apply(state, key, raw, known_sources)
        except _Ignored as why:
            shown = f"{_quoted(key)}={_quoted(raw)}" if key in LIST_FIELDS or key in _SCALARS else _quoted(key)
            notices.append(f"Ignored “{shown}” in the link: {why}.")
    if state.since and state.until and state.since > state.until:
        notices.append("Ignored “since” and “until” in the link: since is after until.")
        state.since = state.until = None
    notices = [n if len(n) <= NOTICE_CHARS else n[:NOTICE_CHARS - 1] + "…" for n in notices]
    if len(notices) > MAX_NOTICES + 1:
        more = len(notices) - MAX_NOTICES
        notices = notices[:MAX_NOTICES] + [f"… and {more} more fields in the link were ignored."]
    return state, notices


_SCALARS = ("since", "until", "prec", "q", "ring", "event", "blur", "c", "z")

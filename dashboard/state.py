"""The filter state and the URL query string, both ways.

A view is a link: every filter lives in the query string (``?kind=strike&system=kn-23
&since=2024-01-01``). A malformed field is dropped with a notice naming it and the
reason, and the other fields still apply; nothing in a URL can crash the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from geodata import systems
from geodata.errors import GeodataError
from geodata.events.filters import EventFilter

LIST_FIELDS = {"kind": "kinds", "system": "systems", "country": "countries",
               "source": "sources", "status": "statuses"}
MAX_PARAM_LENGTH = 2000


@dataclass
class ViewState:
    kinds: list[str] = field(default_factory=list)
    systems: list[str] = field(default_factory=list)   # canonical ids
    since: date | None = None
    until: date | None = None
    countries: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    precision: int | None = None                       # keep events at least this precise
    text: str = ""
    ring: str | None = None                             # system id for range rings
    event: str | None = None                            # the selected event

    def event_filter(self, bbox=None) -> EventFilter:
        return EventFilter.build(kinds=self.kinds, systems=self.systems, since=self.since,
                                 until=self.until, countries=self.countries, sources=self.sources,
                                 statuses=self.statuses, max_geo_precision=self.precision,
                                 text=self.text, bbox=bbox)

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
        return query


def from_query(params: Mapping[str, str], known_sources: set[str]) -> tuple[ViewState, list[str]]:
    """The state a query string asks for, and a notice for every field ignored."""
    state, notices = ViewState(), []

    def check(key: str, raw: str, **filter_args) -> bool:
        try:
            EventFilter.build(**filter_args)
            return True
        except GeodataError as exc:
            notices.append(f"Ignored “{key}={raw[:80]}” in the link: {exc}.")
            return False

    for key, raw in params.items():
        raw = str(raw)
        if len(raw) > MAX_PARAM_LENGTH:
            notices.append(f"Ignored “{key}” in the link: longer than {MAX_PARAM_LENGTH} characters.")
            continue
        values = [v.strip() for v in raw.split(",") if v.strip()]
        if key in LIST_FIELDS:
            attr = LIST_FIELDS[key]
            if attr == "sources":
                unknown = [v for v in values if v not in known_sources]
                if unknown:
                    notices.append(f"Ignored “{key}={raw[:80]}” in the link: unknown source {unknown[0]!r}.")
                    continue
            if check(key, raw, **{attr: values}):
                built = EventFilter.build(**{attr: values})
                chosen = getattr(built, attr)
                setattr(state, attr, sorted(str(getattr(v, "value", v)) for v in chosen))
        elif key in ("since", "until"):
            if check(key, raw, **{key: raw}):
                setattr(state, key, date.fromisoformat(raw.strip()))
        elif key == "prec":
            if check(key, raw, max_geo_precision=raw):
                state.precision = int(raw)
        elif key == "q":
            if check(key, raw, text=raw):
                state.text = raw.strip()
        elif key == "ring":
            system = systems.catalogue().find(raw)
            if system is None or not system.nominal_range_km:
                notices.append(f"Ignored “ring={raw[:80]}” in the link: not a system with a known range.")
            else:
                state.ring = system.id
        elif key == "event":
            state.event = raw[:200]
        else:
            notices.append(f"Ignored “{key}” in the link: not a filter this page knows.")
    if state.since and state.until and state.since > state.until:
        notices.append("Ignored “since” and “until” in the link: since is after until.")
        state.since = state.until = None
    return state, notices

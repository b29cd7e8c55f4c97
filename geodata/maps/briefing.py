"""What a map taken into a briefing says about itself: a title, the active filters and
period, the event count, the data attribution and the sources cited. Built once, drawn
by the standalone HTML (as text, by geodata-map.js) and by the PNG (as text, by
matplotlib): text from data is never markup in either."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

from geodata import systems
from geodata.errors import GeodataError
from geodata.events.filters import EventFilter
from geodata.events.labels import PRECISION_LABEL
from geodata.events.mapview import MapView
from geodata.events.model import Source
from geodata.maps.style import KINDS
from geodata.store import Store

DEFAULT_TITLE = "North Korea–Russia weapons pipeline"
MAX_TITLE = 120            # characters: one line of a printed page
MAX_SOURCES_LISTED = 200   # beyond this the briefing says how many more
ATTRIBUTION = [
    "Basemap: Natural Earth country outlines (public domain), via world-atlas 2.0.2.",
    "Places: GeoNames gazetteer (CC BY 4.0, geonames.org) and the sources' own places.",
    "Events: the geodata catalogue, each event from the sources cited below.",
]
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class TitleError(GeodataError):
    """A map title that cannot be printed as one line."""


def check_title(title: str | None) -> str:
    """The title to print: the default when none is given; refused when it has control
    characters (a line break, a tab) or is longer than MAX_TITLE."""
    if title is None or not title.strip():
        return DEFAULT_TITLE
    title = title.strip()
    if _CONTROL.search(title):
        raise TitleError("--title: has a control character (a line break or tab); give one line of text")
    if len(title) > MAX_TITLE:
        raise TitleError(f"--title: is {len(title)} characters long; at most {MAX_TITLE}")
    return title


def one_line(text: str) -> str:
    """Data text as one printable line (line breaks and control characters as spaces)."""
    return _CONTROL.sub(" ", str(text))


@dataclass(frozen=True)
class Briefing:
    title: str
    lines: list[str]        # the active filters and the period
    count: str
    attribution: list[str]
    sources: list[tuple[str, str, str]]   # publisher, headline, published date
    sources_heading: str
    sources_more: str = ""

    def info(self) -> dict:
        """For the standalone page's script (as JSON)."""
        return asdict(self)


def filter_lines(f: EventFilter, sources: dict[str, Source], span: tuple[str, str] | None) -> list[str]:
    """The filter in words, one line per field that narrows, the period always."""
    if f.since or f.until:
        period = f"Period: {f.since or 'any date'} to {f.until or 'any date'} (events overlapping it)"
    else:
        period = "Period: all dates" + (f" (the catalogue spans {span[0]} to {span[1]})" if span else "")
    lines = [period]
    catalogue = systems.catalogue()
    named = [
        ("Kinds", [KINDS[k.value]["label"] for k in sorted(f.kinds)]),
        ("Weapon systems", [catalogue.systems[s].name if s in catalogue.systems else s
                            for s in sorted(f.systems)]),
        ("Countries", sorted(f.countries)),
        ("Sources", [f"{sources[s].publisher}: {sources[s].title}" if s in sources else s
                     for s in sorted(f.sources)]),
        ("Status", sorted(s.value for s in f.statuses)),
        ("Tags", sorted(f.tags)),
    ]
    lines += [f"{name}: {', '.join(one_line(v) for v in values)}" for name, values in named if values]
    if f.max_geo_precision:
        lines.append(f"Precision: {PRECISION_LABEL[f.max_geo_precision]} or better")
    if f.text:
        lines.append(f"Search: “{one_line(f.text)}”")
    if f.bbox:
        lines.append("Box (W, S, E, N): " + ", ".join(f"{v:g}" for v in f.bbox))
    if len(lines) == 1:
        lines.append("Filters: none (every event in the catalogue)")
    return lines


def cited_sources(store: Store, f: EventFilter, view: MapView,
                  sources: dict[str, Source]) -> list[Source]:
    """The sources the filtered events cite, newest first. A detailed view reads its
    events; an aggregated one (thousands of events) asks the store, per source, whether
    any filtered event cites it (with a source filter given, among those sources)."""
    if not view.aggregated:
        ids = {c.id for row in store.rows(f) for c in row.event.sources}
    else:
        candidates = f.sources or frozenset(sources)
        ids = {s for s in candidates if store.count(replace(f, sources=frozenset({s})))}
    found = [sources[s] for s in ids if s in sources]
    return sorted(found, key=lambda s: (s.published, s.publisher, s.title), reverse=True)


def build(store: Store, f: EventFilter, view: MapView, title: str | None = None) -> Briefing:
    """The briefing text for the map of ``view`` (the events matching ``f``)."""
    sources = store.sources()
    cited = cited_sources(store, f, view, sources)
    count = f"{view.total:,} events of {store.count():,} in the catalogue"
    if view.total > view.located:
        count += f"; {view.total - view.located:,} without coordinates are not drawn"
    if view.aggregated:
        count += f"; aggregated on a {view.cell_deg:g}° grid"
    listed = cited[:MAX_SOURCES_LISTED]
    more = (f"… and {len(cited) - len(listed):,} more sources (export the events to list them all)"
            if len(cited) > len(listed) else "")
    return Briefing(
        title=check_title(title), lines=filter_lines(f, sources, store.date_range()), count=count,
        attribution=ATTRIBUTION,
        sources=[(one_line(s.publisher), one_line(s.title), s.published.isoformat()) for s in listed],
        sources_heading=f"Sources cited ({len(cited):,})", sources_more=more)

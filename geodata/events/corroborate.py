"""Is a new event one the catalogue already has? And if so, what does the new source add?

A report often retells an event that is already stored. Storing it again would count
one strike twice on the map and in every export, so a candidate is compared with the
stored events of the same kind: close dates, places within their uncertainty of each
other, and no contradicting weapon system. A match is offered as corroboration: the
report becomes one more source of the stored event, and a figure that differs (how
many missiles, how many killed) is recorded as a discrepancy instead of overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from geopy.distance import great_circle

from geodata import systems
from geodata.errors import GeodataError
from geodata.events.filters import EventFilter
from geodata.events.labels import figure_label
from geodata.events.model import (ROUTE_KINDS, Citation, DatePrecision,
                                  DiscrepantValue, Discrepancy, Event, PlaceRef, Quantity, Source,
                                  Status)

DAYS_APART = 3        # a day-precision date may be off by this much between two reports
NEAR_KM = 50          # added to the two places' radii: both reports name the same town


class CorroborationError(GeodataError):
    """A corroboration that cannot be recorded (the event already cites the report ...)."""


@dataclass(frozen=True)
class Conflict:
    """A figure the new report gives differently."""

    field: str        # "quantity", "killed", "injured", "date_start"
    stored: str
    new: str


@dataclass(frozen=True)
class Match:
    event: Event
    score: float                 # 0..1, higher is closer
    distance_km: float | None    # between the main places, None when one is not located
    days_apart: int
    conflicts: tuple[Conflict, ...]

    def describe(self) -> str:
        where = f"{self.distance_km:.0f} km" if self.distance_km is not None else "same country"
        when = "same dates" if not self.days_apart else f"{self.days_apart} d apart"
        differs = f"; differs on {', '.join(c.field for c in self.conflicts)}" if self.conflicts else ""
        return f"{self.event.id} ({self.event.title}): {where}, {when}{differs}"


def _days_apart(a: Event, b: Event) -> int:
    return max(0, (a.date_start - b.date_end).days, (b.date_start - a.date_end).days)


def _place_distance(a: PlaceRef | None, b: PlaceRef | None) -> tuple[bool, float | None]:
    """(could be the same place, distance in km when both are located)."""
    if a is None or b is None:
        return False, None
    if not (a.located and b.located):
        return bool(a.country and a.country == b.country), None
    km = great_circle((a.lat, a.lon), (b.lat, b.lon)).km
    return km <= (a.radius_km or 0) + (b.radius_km or 0) + NEAR_KM, km


def _unit_key(unit: str) -> str:
    unit = unit.strip().lower()
    return unit[:-1] if unit.endswith("s") else unit


def _describe(q: Quantity) -> str:
    return f"{figure_label(q.value, q.qualifier)} {q.unit}"


def _casualty(event: Event, name: str) -> str | None:
    """'at least 3', '5' or None: a casualty figure as the report gives it."""
    c = event.casualties
    if c is None or getattr(c, name) is None:
        return None
    return figure_label(getattr(c, name), getattr(c, f"{name}_qualifier"))


def conflicts(stored: Event, new: Event) -> tuple[Conflict, ...]:
    """Figures both events give, and give differently."""
    found = []
    for q in new.quantities:
        same_unit = [s for s in stored.quantities if _unit_key(s.unit) == _unit_key(q.unit)]
        if same_unit and all((s.value, s.qualifier) != (q.value, q.qualifier) for s in same_unit):
            found.append(Conflict("quantity", _describe(same_unit[0]), _describe(q)))
    for name in ("killed", "injured"):
        old, now = _casualty(stored, name), _casualty(new, name)
        if old and now and old != now:
            found.append(Conflict(name, old, now))
    if (stored.date_precision == new.date_precision == DatePrecision.DAY
            and stored.date_start != new.date_start):
        found.append(Conflict("date_start", stored.date_start.isoformat(), new.date_start.isoformat()))
    return tuple(found)


def _identified(event: Event) -> set[str]:
    catalogue = systems.catalogue()
    return {s for s in event.systems if not catalogue.systems[s].unidentified}


def compare(stored: Event, new: Event) -> Match | None:
    """A Match when the two can be the same event, else None."""
    if stored.kind != new.kind or stored.id == new.id:
        return None
    days = _days_apart(stored, new)
    if days > DAYS_APART:
        return None
    if _identified(stored) and _identified(new) and not _identified(stored) & _identified(new):
        return None  # two named systems that differ; "a North Korean missile" fits any
    roles = ("origin", "destination") if new.kind in ROUTE_KINDS else ("place",)
    distances = []
    for role in roles:
        near, km = _place_distance(getattr(stored, role), getattr(new, role))
        if not near:
            return None
        distances.append(km)
    known = [d for d in distances if d is not None]
    distance = max(known) if known else None
    shared_system = bool(set(stored.systems) & set(new.systems))
    score = (1.0 - 0.5 * min(1.0, (distance or 0) / 500) - 0.3 * days / (DAYS_APART + 1)
             - (0 if shared_system else 0.2))
    return Match(stored, round(max(0.0, score), 3), distance, days, conflicts(stored, new))


def candidates_filter(new: Event) -> EventFilter:
    """The stored events worth comparing: same kind, dates within reach."""
    reach = timedelta(days=DAYS_APART)
    return EventFilter(kinds=frozenset({new.kind}), since=new.date_start - reach,
                       until=new.date_end + reach)


def find_matches(new: Event, stored: list[Event], limit: int = 3) -> list[Match]:
    """The stored events the new one may repeat, best first."""
    found = [m for m in (compare(s, new) for s in stored) if m is not None]
    return sorted(found, key=lambda m: (-m.score, m.event.id))[:limit]


def corroborate(stored: Event, new: Event, source: Source, publishers: dict[str, str]) -> Event:
    """``stored`` with ``source`` cited as one more report of it.

    What the new report adds goes in without replacing what is there: its systems, a
    quantity in a unit not yet given, casualties when none were, its claimant. Figures
    it gives differently become discrepancies (each value with its source). A reported
    event becomes corroborated once a second publisher tells it; ``publishers`` maps the
    stored event's source ids to their publishers."""
    if any(c.id == source.id for c in stored.sources):
        raise CorroborationError(f"event {stored.id} already cites {source.id}")
    citation = next((c for c in new.sources if c.id == source.id), None)
    evidence = citation.evidence if citation else f"Retold by {source.publisher}."
    first = stored.sources[0].id
    discrepancies = list(stored.discrepancies)
    for conflict in conflicts(stored, new):
        value = DiscrepantValue(source=source.id, value=conflict.new)
        same = next((i for i, d in enumerate(discrepancies) if d.field == conflict.field), None)
        if same is None:
            discrepancies.append(Discrepancy(field=conflict.field, values=[
                DiscrepantValue(source=first, value=conflict.stored), value]))
        else:
            d = discrepancies[same]
            discrepancies[same] = d.model_copy(update={"values": [*d.values, value]})
    units = {_unit_key(q.unit) for q in stored.quantities}
    quantities = [*stored.quantities, *(q.model_copy(update={"source": source.id}) for q in new.quantities
                                        if _unit_key(q.unit) not in units)]
    claimants = {a.claimant for a in stored.attribution}
    attribution = [*stored.attribution, *(a.model_copy(update={"source": source.id}) for a in new.attribution
                                          if a.claimant not in claimants)]
    status = stored.status
    if status == Status.REPORTED and source.publisher not in {publishers.get(c.id) for c in stored.sources}:
        status = Status.CORROBORATED
    update = {
        "sources": [*stored.sources, Citation(id=source.id, evidence=evidence)],
        "systems": list(dict.fromkeys([*stored.systems, *new.systems])),
        "quantities": quantities, "attribution": attribution, "discrepancies": discrepancies,
        "status": status,
    }
    if stored.casualties is None and new.casualties is not None:
        update["casualties"] = new.casualties
    return Event.model_validate({**stored.model_dump(), **update})

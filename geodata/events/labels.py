"""Plain-text labels for showing an event to a person: dates at their precision,
places with their precision, quantities with qualifiers. Plain text only: whoever
displays them escapes them (or sets them as text, never as HTML)."""

from __future__ import annotations

from datetime import date

from geodata import systems
from geodata.events.model import DatePrecision, Event, GeoStatus, PlaceRef, Qualifier, Quantity

PRECISION_LABEL = {1: "town or site", 2: "near a place / part of a region", 3: "region",
                   4: "country only"}
_QUALIFIER = {Qualifier.EXACT: "", Qualifier.ABOUT: "about ", Qualifier.MORE_THAN: "more than ",
              Qualifier.AT_LEAST: "at least ", Qualifier.UP_TO: "up to ",
              Qualifier.FEWER_THAN: "fewer than "}


def _one(day: date, precision: DatePrecision) -> str:
    if precision == DatePrecision.DAY:
        return f"{day.day} {day:%b %Y}"
    return f"{day:%b %Y}" if precision == DatePrecision.MONTH else str(day.year)


def date_label(event: Event) -> str:
    """'2 Jan 2024', 'Dec 2023 – Feb 2024', '2024' ..., with the precision in words."""
    first = _one(event.date_start, event.date_precision)
    last = _one(event.date_end, event.date_precision)
    span = first if first == last else f"{first} – {last}"
    return f"{span} ({event.date_precision.value} precision)"


def place_label(ref: PlaceRef | None) -> str:
    if ref is None:
        return ""
    where = ", ".join(p for p in (ref.admin1, ref.country) if p and p != ref.name)
    text = f"{ref.name} ({where})" if where else ref.name
    if ref.geo_precision:
        text += f", precision {ref.geo_precision}: {PRECISION_LABEL[ref.geo_precision]}"
        if ref.geo_precision > 1 and ref.radius_km:
            text += f", within ~{ref.radius_km:,.0f} km"
    if ref.geo_status in GEO_STATUS_LABEL:
        text += f" ({GEO_STATUS_LABEL[ref.geo_status]})"
    return text


GEO_STATUS_LABEL = {
    GeoStatus.AMBIGUOUS: "ambiguous: several places of that name; shown as the area holding them",
    GeoStatus.FALLBACK: "the named place was not found there; shown as the stated area",
}


def figure_label(value: float, qualifier: Qualifier) -> str:
    """'more than 3,000,000', 'at least 3', '12.5'."""
    number = f"{value:,.0f}" if value == int(value) else f"{value:,}"
    return f"{_QUALIFIER[qualifier]}{number}"


def quantity_label(q: Quantity) -> str:
    text = f"{figure_label(q.value, q.qualifier)} {q.unit}"
    if q.item:
        text += f" ({q.item})"
    return text + (f" [{q.source}]" if q.source else "")


def systems_label(event: Event) -> str:
    """'KN-23 (Hwasong-11Ga)', and for a source that names one of several systems
    ('Iskander-M/KN-23'): 'possibly Iskander-M … or KN-23 …'."""
    catalogue = systems.catalogue()
    named = ", ".join(catalogue.systems[s].name for s in event.systems)
    possible = " or ".join(catalogue.systems[s].name for s in event.possible_systems)
    return "; ".join(p for p in (named, possible and f"possibly {possible}") if p)


def casualties_label(event: Event) -> str:
    c = event.casualties
    if c is None:
        return ""
    parts = []
    if c.killed is not None:
        parts.append(f"{_QUALIFIER[c.killed_qualifier]}{c.killed} killed")
    if c.injured is not None:
        parts.append(f"{_QUALIFIER[c.injured_qualifier]}{c.injured} injured")
    if c.note:
        parts.append(c.note)
    return "; ".join(parts)


def attribution_labels(event: Event) -> list[str]:
    return [f"{a.claimant} ({a.basis.value.replace('_', ' ')})" for a in event.attribution]


def discrepancy_labels(event: Event) -> list[str]:
    return [f"{d.field}: " + " vs ".join(f"{v.value} [{v.source}]" for v in d.values)
            for d in event.discrepancies]

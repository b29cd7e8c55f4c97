"""Coarsen coordinates before publishing, as some OSINT teams do: every located place is
snapped to the centre of a grid cell N km wide, and its uncertainty radius grows by the
half-diagonal of that cell, so the published area still holds the true place. A pin
becomes an area ("near", precision 2 at least): after blurring it is no longer a town.

Only what is written out is blurred (an export, a map); the store keeps the reported
coordinates.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator

from geodata.errors import GeodataError
from geodata.events.geometry import event_geometry
from geodata.events.model import Event, PlaceRef
from geodata.store import EventRow

KM_PER_DEGREE_LAT = 111.32
MIN_BLUR_KM = 0.1    # finer than this is no coarsening
MAX_BLUR_KM = 500.0  # coarser than a region: the point would say nothing


def check_blur_km(value: object) -> float | None:
    """The grid size in km, or None for no blurring; a GeodataError names a bad value."""
    if value is None or value == "":
        return None
    try:
        km = float(value)
    except (TypeError, ValueError):
        raise GeodataError(f"--blur-km {str(value)[:40]!r}: give a number of kilometres") from None
    if not (MIN_BLUR_KM <= km <= MAX_BLUR_KM):  # also refuses nan and inf
        raise GeodataError(f"--blur-km {value}: give a grid size from {MIN_BLUR_KM:g} to "
                           f"{MAX_BLUR_KM:g} km")
    return km


def _cell_centre(value: float, step: float, low: float, high: float) -> float:
    centre = (math.floor(value / step) + 0.5) * step
    return min(high, max(low, centre))


def blur_point(lat: float, lon: float, km: float) -> tuple[float, float]:
    """The centre of the N km grid cell holding (lat, lon)."""
    lat_step = km / KM_PER_DEGREE_LAT
    lat = _cell_centre(lat, lat_step, -90.0, 90.0)
    lon_step = min(360.0, km / (KM_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 1e-6)))
    lon = _cell_centre(lon + 180.0, lon_step, 0.0, 360.0) - 180.0
    return round(lat, 5), round(lon, 5)


def blur_place(ref: PlaceRef, km: float) -> PlaceRef:
    if not ref.located:
        return ref
    lat, lon = blur_point(ref.lat, ref.lon, km)
    return ref.model_copy(update={
        "lat": lat, "lon": lon, "gazetteer_id": None,
        "geo_precision": max(ref.geo_precision or 2, 2),
        "radius_km": round((ref.radius_km or 0.0) + km * math.sqrt(2) / 2, 1)})


def blur_event(event: Event, km: float) -> Event:
    updates = {role: blur_place(ref, km) for role in ("place", "origin", "destination")
               if (ref := getattr(event, role)) is not None}
    return event.model_copy(update=updates)


def blurred_rows(rows: Iterable[EventRow], km: float | None) -> Iterator[EventRow]:
    """The rows as an export writes them, with every place coarsened (or as they are)."""
    if not km:
        yield from rows
        return
    for row in rows:
        event = row.event or Event.model_validate_json(row.data)
        blurred = blur_event(event, km)
        geometry = event_geometry(blurred)
        yield EventRow(row.id, json.dumps(geometry, separators=(",", ":")) if geometry else None,
                       blurred.model_dump_json(exclude_none=True), blurred)

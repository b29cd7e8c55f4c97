"""Event geometries as RFC 7946 GeoJSON: points for located events, geodesic lines
for transfers and deployments.

A straight line in lon/lat between Rajin and Moscow is not the route's shape on a
map, and a line that crosses the antimeridian would wrap the whole world; routes are
densified along the geodesic and split into a MultiLineString at ±180°.
"""

from __future__ import annotations

from pyproj import Geod

from geodata.events.model import Event, PlaceRef, ROUTE_KINDS

_GEOD = Geod(ellps="WGS84")
SEGMENT_KM = 50.0
MAX_POINTS = 128


def _position(lon: float, lat: float) -> list[float]:
    return [round(lon, 5), round(lat, 5)]


def point(ref: PlaceRef) -> dict:
    return {"type": "Point", "coordinates": _position(ref.lon, ref.lat)}


def _split_at_antimeridian(points: list[tuple[float, float]]) -> list[list[list[float]]]:
    parts = [[_position(*points[0])]]
    for (lon0, lat0), (lon1, lat1) in zip(points, points[1:]):
        if abs(lon1 - lon0) > 180:  # crossed ±180: end here, start again on the other side
            edge = 180.0 if lon0 > 0 else -180.0
            span = (lon1 + 360 if lon0 > 0 else lon1 - 360) - lon0
            lat = lat0 + (lat1 - lat0) * (edge - lon0) / span
            parts[-1].append(_position(edge, lat))
            parts.append([_position(-edge, lat)])
        parts[-1].append(_position(lon1, lat1))
    return parts


def route(origin: PlaceRef, destination: PlaceRef, segment_km: float = SEGMENT_KM,
          max_points: int = MAX_POINTS) -> dict:
    """The geodesic from origin to destination, one vertex every ``segment_km``."""
    _, _, metres = _GEOD.inv(origin.lon, origin.lat, destination.lon, destination.lat)
    inner = min(max_points - 2, int(metres / 1000 / segment_km))
    middle = _GEOD.npts(origin.lon, origin.lat, destination.lon, destination.lat, inner) if inner else []
    points = [(origin.lon, origin.lat), *middle, (destination.lon, destination.lat)]
    parts = _split_at_antimeridian(points)
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    return {"type": "MultiLineString", "coordinates": parts}


def event_geometry(event: Event) -> dict | None:
    """The event's geometry, or None when its places are not located."""
    if event.kind in ROUTE_KINDS:
        if event.origin.located and event.destination.located:
            if (event.origin.lat, event.origin.lon) == (event.destination.lat, event.destination.lon):
                return point(event.origin)
            return route(event.origin, event.destination)
        return None
    return point(event.place) if event.place is not None and event.place.located else None


def representative_point(event: Event) -> tuple[float, float] | None:
    """(lon, lat) to index and aggregate an event by: its place, or its route's destination."""
    ref = event.destination if event.kind in ROUTE_KINDS else event.place
    if ref is None or not ref.located:
        return None
    return ref.lon, ref.lat

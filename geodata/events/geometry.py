"""Event geometries as RFC 7946 GeoJSON: points for located events, geodesic lines
for transfers and deployments.

A straight line in lon/lat between Rajin and Moscow is not the route's shape on a
map, and a line that crosses the antimeridian would wrap the whole world; routes are
densified along the geodesic and split into a MultiLineString at ±180°.
"""

from __future__ import annotations

from functools import lru_cache

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


# -- Country-level flows -------------------------------------------------------------
#
# A transfer or deployment reported only as "North Korea -> Russia" has no known route:
# its stored geometry runs between the two countries' centres (Russia's is in empty
# Siberia), and a geodesic between them looks like a route nobody reported. The map
# therefore draws such a flow (geo_precision 4 at either end) as a thin straight arrow
# between the countries' *anchors*, and keeps real geodesic routes for known ends
# (ports, crossings, towns, regions: precision 1-3). Stored geometry and exports keep
# the reported places; only the drawing changes.
#
# The rule, in one place: a country end is drawn at that country's anchor nearest the
# other end. Anchors are the capital and, for a country that spans a continent, its
# main populated gateway on the far side (Russia: Moscow for flows from the west and
# south, Vladivostok for flows from Korea, China and Japan), so an arrow never points
# into an empty interior. A country without anchors keeps its stored point.
# Anchors are (name, lon, lat), WGS84, from GeoNames.
COUNTRY_ANCHORS: dict[str, tuple[tuple[str, float, float], ...]] = {
    "RU": (("Moscow", 37.6176, 55.7558), ("Vladivostok", 131.8855, 43.1155)),
    "KP": (("Pyongyang", 125.7625, 39.0392),),
    "KR": (("Seoul", 126.9780, 37.5665),),
    "UA": (("Kyiv", 30.5234, 50.4501),),
    "BY": (("Minsk", 27.5615, 53.9045),),
    "CN": (("Beijing", 116.4074, 39.9042),),
    "IR": (("Tehran", 51.3890, 35.6892),),
    "JP": (("Tokyo", 139.6917, 35.6895),),
    "US": (("Washington", -77.0369, 38.9072),),
}
COUNTRY_PRECISION = 4
SCHEMATIC = "schematic"   # what a country-level flow's drawing is called in its properties


def country_level(origin: PlaceRef, destination: PlaceRef) -> bool:
    """True when either end of a flow is known only to its country."""
    return COUNTRY_PRECISION in (origin.geo_precision, destination.geo_precision)


def _choices(ref: PlaceRef) -> list[tuple[str, float, float]]:
    if ref.geo_precision == COUNTRY_PRECISION and ref.country in COUNTRY_ANCHORS:
        return list(COUNTRY_ANCHORS[ref.country])
    return [(ref.name, ref.lon, ref.lat)]


def flow_ends(origin: PlaceRef, destination: PlaceRef) -> tuple[tuple[str, float, float],
                                                                tuple[str, float, float]]:
    """The two points a country-level flow is drawn between, as (name, lon, lat): each
    country end at its anchor nearest the other end (the closest pair of anchors)."""
    pairs = [(a, b) for a in _choices(origin) for b in _choices(destination)]
    return min(pairs, key=lambda p: _GEOD.inv(p[0][1], p[0][2], p[1][1], p[1][2])[2])


def schematic_line(start: tuple[float, float], end: tuple[float, float]) -> dict:
    """A straight two-point line (straight on the map, not a geodesic: it shows a
    direction, not a path). The end's longitude is unwrapped so that the line takes the
    short way across ±180° (Leaflet draws longitudes past 180 on the next world copy)."""
    (lon0, lat0), (lon1, lat1) = start, end
    if lon1 - lon0 > 180:
        lon1 -= 360
    elif lon0 - lon1 > 180:
        lon1 += 360
    return {"type": "LineString", "coordinates": [_position(lon0, lat0), _position(lon1, lat1)]}


def flow_drawing(origin: PlaceRef, destination: PlaceRef) -> tuple[dict, str | None]:
    """What the map draws for a located flow: (geometry, note). A country-level flow is
    a straight schematic line between anchors and the note names them; a flow with known
    ends is its geodesic route and the note is None."""
    if not country_level(origin, destination):
        return route(origin, destination), None
    (a_name, a_lon, a_lat), (b_name, b_lon, b_lat) = flow_ends(origin, destination)
    note = (f"country-level: no route reported; drawn from {a_name} to {b_name} "
            "to show the direction only")
    return schematic_line((a_lon, a_lat), (b_lon, b_lat)), note


@lru_cache(maxsize=1)
def _country_centres() -> dict[tuple[float, float], str]:
    """Every country's centre (what the geocoder gives for a country: the atlas centre,
    or the supplement's own point where it gives one): how an aggregated route end,
    which has only coordinates, is known to be a country."""
    from geodata.places.sources import country_centres, supplement_records

    centres = dict(country_centres())
    centres.update({r.country: (r.lat, r.lon) for r in supplement_records()
                    if r.kind == "country" and r.lat is not None})
    return {(round(lon, 2), round(lat, 2)): code for code, (lat, lon) in centres.items()}


def end_place(lon: float, lat: float, name: str) -> PlaceRef:
    """An aggregated route end as a place: a country (precision 4) when it lies on a
    country's centre, else a point."""
    country = _country_centres().get((round(lon, 2), round(lat, 2)))
    if country:
        return PlaceRef(name=name, lon=lon, lat=lat, geo_precision=COUNTRY_PRECISION, country=country)
    return PlaceRef(name=name, lon=lon, lat=lat, geo_precision=1)

"""What the geocoder answers with: a candidate, its precision, and the scored place it
comes from. Its own module so that ranking (geocoder), the stated bounds (bounds) and
the trust rules (trust) share one definition without importing each other in a circle.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from enum import IntEnum

from geodata.places.gazetteer import Hit, Place
from geodata.places.sources import OBLAST_SETTLEMENT_TYPE, SETTLEMENT_TYPE, NameRank

# How a name matched, as a candidate reports it, by how strongly the name belongs to the
# place (see geocoder._name_rank).
MATCH_NAME = {NameRank.PRIMARY: "exact", NameRank.ALIAS: "alias",
              NameRank.ALTERNATE: "alternate", NameRank.BASE: "base"}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; geopy's objects cost more than the ranking itself here."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


class GeoPrecision(IntEnum):
    """ACLED's geo_precision, plus 4 for country only."""

    TOWN = 1     # a town, village or site
    NEAR = 2     # near a place, or part of a region
    REGION = 3   # a region or province
    COUNTRY = 4  # the country only


@dataclass(frozen=True)
class Candidate:
    """One answer for a place name, with everything needed to judge it."""

    query: str
    name: str
    lat: float
    lon: float
    country: str
    admin1: str | None
    feature_type: str
    precision: GeoPrecision
    score: float
    radius_km: float
    match: str             # exact | alias | alternate | base | transliteration | translation
                           # | fuzzy | fallback
    matched: str           # the normalised name that matched
    id: str                # gazetteer id: geonames:N, region:ISO, admin1:CC.CODE, site:slug,
                           # country:CC
    population: int
    coords_source: str
    relation: str | None = None   # "north of", "200 km from" ... for relative places
    anchor: str | None = None     # the place a relative phrase is anchored on
    status: str = "ok"            # ok | ambiguous (an area; see alternatives) | fallback
    alternatives: tuple[Candidate, ...] = ()  # the places an ambiguous answer could be

    def as_dict(self) -> dict:
        data = asdict(self)
        data["precision"] = int(self.precision)
        data["score"] = round(self.score, 3)
        data["lat"], data["lon"] = round(self.lat, 5), round(self.lon, 5)
        data["radius_km"] = round(self.radius_km, 1)
        return data


@dataclass
class Scored:
    """A place found for a name, with its ranking score: what trust rules judge before
    it becomes a candidate."""

    place: Place
    hit: Hit
    tier: str
    score: float
    precision: GeoPrecision
    rank: NameRank  # how strongly the name belongs to the place (see geocoder._name_rank)


def precision_of(place: Place) -> GeoPrecision:
    """The precision a place answers at when named itself."""
    if place.kind == "country":
        return GeoPrecision.COUNTRY
    if place.kind in ("region", "district") or place.type in ("area", OBLAST_SETTLEMENT_TYPE):
        return GeoPrecision.REGION
    if place.type == SETTLEMENT_TYPE:  # known only to its hromada
        return GeoPrecision.NEAR
    return GeoPrecision.TOWN


def candidate_for(query: str, place: Place, score: float, match: str, matched: str,
                  precision: GeoPrecision, **extra) -> Candidate:
    """The candidate answering ``query`` with ``place`` (score capped at 1)."""
    return Candidate(
        query=query, name=place.name, lat=place.lat, lon=place.lon, country=place.country,
        admin1=place.admin1, feature_type=place.type, precision=precision,
        score=min(1.0, score), radius_km=place.radius_km, match=match, matched=matched,
        id=place.id, population=place.population, coords_source=place.coords_source,
        **extra,
    )

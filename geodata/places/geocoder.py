"""The offline geocoder: ranked candidates for a place name, behind geopy's interface.

Ranking, in order of weight: how the name matched (main name > alias > alternate >
transliteration variant > misspelling), hints in the query or from the caller
(country, "town, province, country" parts, feature words such as "port"), context
(the other places of the same report: a candidate near them wins), and last the
place's prominence (population). A domain prior prefers Ukraine, Russia and North
Korea, the countries this product is about, by a small margin.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from enum import IntEnum

from geopy.distance import geodesic
from geopy.exc import GeocoderQueryError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from geodata.places.features import COUNTRY, FAMILY_OF_TYPE, REGION, family_of_word, split_feature
from geodata.places.gazetteer import Gazetteer, Hit, Place
from geodata.places.normalize import name_key
from geodata.places.query import ParsedQuery, QueryError, Relation, parse_query, validate
from geodata.places.sources import NameRank

FOCUS_COUNTRIES = ("UA", "RU", "KP")
_RANK_QUALITY = {NameRank.PRIMARY: 1.0, NameRank.ALIAS: 1.0, NameRank.ALTERNATE: 0.85,
                 NameRank.BASE: 0.7}
_MATCH_NAME = {NameRank.PRIMARY: "exact", NameRank.ALIAS: "alias",
               NameRank.ALTERNATE: "alternate", NameRank.BASE: "base"}
_QUALITY_WEIGHT, _PROMINENCE_WEIGHT = 0.65, 0.35
_CONTEXT_BONUS, _CONTEXT_REACH_KM = 0.25, 500.0
_FOCUS_BONUS = 0.1
_BASE_FACTOR = 0.85  # a match of the name without its feature word
_BARE_REGION_FACTOR = 0.92


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
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
    match: str             # exact | alias | alternate | base | transliteration | fuzzy | fallback
    matched: str           # the normalised name that matched
    id: str                # gazetteer id: geonames:N, region:ISO, site:slug, country:CC
    population: int
    coords_source: str
    relation: str | None = None   # "north of", "200 km from" ... for relative places
    anchor: str | None = None     # the place a relative phrase is anchored on

    def as_dict(self) -> dict:
        data = asdict(self)
        data["precision"] = int(self.precision)
        data["score"] = round(self.score, 3)
        data["lat"], data["lon"] = round(self.lat, 5), round(self.lon, 5)
        data["radius_km"] = round(self.radius_km, 1)
        return data


@dataclass
class _Scored:
    place: Place
    hit: Hit
    tier: str
    score: float
    precision: GeoPrecision


class _Context:
    """What the caller knows besides the name: hints and nearby places."""

    def __init__(self, countries: frozenset[str] = frozenset(), family: str | None = None):
        self.countries = countries
        self.region_rows: set[int] = set()
        self.points: list[Place] = []
        self.family = family


def _family(place: Place) -> str | None:
    if place.kind == "site":
        return FAMILY_OF_TYPE.get(place.type)
    return {"region": REGION, "country": COUNTRY}.get(place.kind)


def _precision(place: Place) -> GeoPrecision:
    if place.kind == "country":
        return GeoPrecision.COUNTRY
    if place.kind == "region" or place.type == "area":
        return GeoPrecision.REGION
    return GeoPrecision.TOWN


def _prominence(place: Place) -> float:
    if place.kind == "place":
        return min(1.0, math.log10(place.population + 1) / 7)
    return {"site": 0.9, "region": 0.85, "country": 1.0}[place.kind]


class OfflineGeocoder(Geocoder):
    """geopy-compatible geocoder over the offline gazetteer; never touches the network.

    ``geocode``/``reverse`` follow geopy (``Location`` or None, a list with
    ``exactly_one=False``); ``candidates`` is the richer call our code uses.
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, min_score: float = 0.5,
                 focus_countries: Sequence[str] = FOCUS_COUNTRIES):
        super().__init__(user_agent="geodata-offline")
        self.gazetteer = gazetteer or Gazetteer.open()
        self.min_score = min_score
        self.focus_countries = frozenset(focus_countries)
        self._countries = self.gazetteer.meta["countries"]
        self._context_cache: dict[str, Place | None] = {}
        self._iso3 = {v["iso3"]: k for k, v in self._countries.items()}

    # -- geopy interface -------------------------------------------------------------

    def geocode(self, query, *, exactly_one: bool = True, timeout=DEFAULT_SENTINEL,
                country_codes: str | Sequence[str] | None = None, context: Iterable[str] = (),
                limit: int | None = None):
        if isinstance(query, dict):  # geopy's structured query: most specific part first
            order = ("street", "city", "county", "state", "country")
            query = ", ".join(str(query[k]) for k in order if query.get(k))
        try:
            found = self.candidates(query, country=country_codes, context=context,
                                    limit=1 if exactly_one else (limit or 10))
        except QueryError as exc:
            raise GeocoderQueryError(str(exc)) from exc
        locations = [self._location(c) for c in found]
        if exactly_one:
            return locations[0] if locations else None
        return locations or None

    def reverse(self, query, *, exactly_one: bool = True, timeout=DEFAULT_SENTINEL):
        point = Point(query)
        row, distance = self.gazetteer.nearest(point.latitude, point.longitude)
        place = self.gazetteer.place(row)
        candidate = self._candidate(str(query), place, 1.0, "reverse", place.name,
                                    _precision(place))
        location = self._location(replace(candidate, lat=point.latitude, lon=point.longitude))
        location.raw["distance_km"] = round(distance, 3)
        return location if exactly_one else [location]

    def _location(self, c: Candidate) -> Location:
        country = self._countries.get(c.country, {}).get("name", c.country)
        parts = [c.name] + [p for p in (c.admin1, country) if p and p != c.name]
        return Location(", ".join(parts), (c.lat, c.lon), c.as_dict())

    # -- our interface ---------------------------------------------------------------

    def country_code(self, text: str) -> str:
        """An ISO alpha-2 code for a code ("ua", "UKR") or name ("Ukraine"); QueryError if none."""
        text = validate(text, "country")
        if code := self._code_country(text):
            return code
        for hit in self.gazetteer.exact(text):
            place = self.gazetteer.place(hit.row)
            if place.kind == "country":
                return place.country
        raise QueryError(f"unknown country {text!r}: give an ISO 3166 code such as UA or RU, "
                         "or a country name")

    def _code_country(self, text: str) -> str | None:
        """The alpha-2 code for an ISO alpha-2 or alpha-3 code, any case; else None."""
        upper = text.strip().upper()
        if upper in self._countries:
            return upper
        return self._iso3.get(upper)

    def candidates(self, query: str, *, country: str | Sequence[str] | None = None,
                   context: Iterable[str] = (), limit: int = 5) -> list[Candidate]:
        """Ranked candidates for ``query``, best first; empty when nothing matches.

        ``country``: ISO code(s) or names the place must be in (a strong preference,
        not a filter). ``context``: other place names from the same text, or feature
        words ("port"), that make nearby or matching candidates win.
        """
        parsed = parse_query(query)
        codes = [country] if isinstance(country, str) else list(country or [])
        ctx = _Context(frozenset(self.country_code(c) for c in codes))
        self._read_context(ctx, context)
        self._read_hints(ctx, parsed.hints)
        scored = self._rank(parsed.name, ctx)
        code = parsed.name.upper() == parsed.name and self._code_country(parsed.name)
        if code and not parsed.relation:  # "US", "UKR": a code typed in capitals
            row = self.gazetteer.row_of(f"country:{code}")
            scored = [s for s in scored if s.place.row != row]
            place = self.gazetteer.place(row)
            scored.insert(0, _Scored(place, Hit(row, NameRank.ALIAS, 1.0, name_key(parsed.name)),
                                     "code", 1.0, GeoPrecision.COUNTRY))
        if parsed.relation:
            found = [self._relative(parsed, s) for s in scored[:limit]]
        else:
            found = [self._candidate(parsed.text, s.place, s.score, s.tier, s.hit.matched,
                                     s.precision) for s in scored[:limit]]
        if not found and parsed.hints:
            found = self._fallback(parsed, ctx)
        return found

    def by_id(self, place_id: str, query: str | None = None) -> Candidate:
        """The gazetteer entry with this id (``geonames:N``, ``region:UA-63`` ...), as a
        candidate: how a curated record pins a place instead of ranking names."""
        row = self.gazetteer.row_of(place_id)
        if row is None:
            raise QueryError(f"no gazetteer entry has the id {place_id!r}")
        place = self.gazetteer.place(row)
        return self._candidate(query or place.name, place, 1.0, "id", place_id, _precision(place))

    # -- ranking ---------------------------------------------------------------------

    def _best(self, name: str, ctx: _Context | None = None) -> Place | None:
        try:
            scored = self._rank(parse_query(name).name, ctx or _Context())
        except QueryError:
            return None
        return scored[0].place if scored else None

    def _read_context(self, ctx: _Context, context: Iterable[str]) -> None:
        for text in context:
            family = family_of_word(name_key(text)) if isinstance(text, str) else None
            if family:
                ctx.family = ctx.family or family
                continue
            if text not in self._context_cache:  # a report resolves the same names many times
                self._context_cache[text] = self._best(text)
            if (place := self._context_cache[text]) is not None:
                ctx.points.append(place)

    def _read_hints(self, ctx: _Context, hints: Sequence[str]) -> None:
        """Comma parts after the name: a country, a region, or a nearby place."""
        for hint in hints:
            if code := self._code_country(hint):
                ctx.countries |= {code}
                continue
            place = self._best(hint)
            if place is None:
                continue
            if place.kind == "country":
                ctx.countries |= {place.country}
            elif place.kind == "region":
                ctx.region_rows.add(place.row)
            else:
                ctx.points.append(place)

    def _lookup(self, key: str) -> tuple[list[Hit], str]:
        """Hits of the strictest tier that has any."""
        g = self.gazetteer
        if hits := g.exact(key):
            return hits, "exact"
        if hits := g.loose(key):
            return hits, "transliteration"
        return g.fuzzy(key, min_similarity=0.83 if len(key) <= 6 else 0.8), "fuzzy"

    def _rank(self, name: str, ctx: _Context) -> list[_Scored]:
        key = name_key(name)
        if not key:
            return []
        key = key.removeprefix("the ") if key.startswith("the ") and len(key) > 4 else key
        base, word_family = split_feature(key)
        family = word_family or ctx.family
        hits, tier = self._lookup(key)
        found = [(hit, tier, 1.0) for hit in hits]
        if base != key:  # "Vostochny spaceport": also the places named just "Vostochny",
            base_hits, base_tier = self._lookup(base)  # as weaker matches than the full name
            found += [(hit, base_tier, _BASE_FACTOR) for hit in base_hits]
        best: dict[int, _Scored] = {}
        for hit, tier, factor in found:
            scored = self._score(hit, tier, family, ctx, factor)
            if word_family != REGION and scored.place.kind == "region":
                # "Nampo", "Kyiv": the city before the region of the same name
                scored.score *= _BARE_REGION_FACTOR
            if scored.score >= self.min_score and (
                hit.row not in best or scored.score > best[hit.row].score
            ):
                best[hit.row] = scored
        return sorted(best.values(), key=lambda s: (-s.score, -s.place.population, s.place.row))

    def _score(self, hit: Hit, tier: str, family: str | None, ctx: _Context,
               factor: float = 1.0) -> _Scored:
        place = self.gazetteer.place(hit.row)
        quality = _RANK_QUALITY[hit.rank] * factor
        if tier != "exact":
            quality *= 0.95 * hit.similarity
        score = _QUALITY_WEIGHT * quality + _PROMINENCE_WEIGHT * _prominence(place)
        precision = _precision(place)
        if family:
            if _family(place) == family:
                score += 0.1
            else:
                score *= 0.8
                if family == REGION and place.kind in ("place", "site"):
                    precision = GeoPrecision.NEAR  # "Pokrovsk district": around the town
        if ctx.countries:
            score = score + 0.1 if place.country in ctx.countries else score * 0.6
        if ctx.region_rows:
            in_region = place.row in ctx.region_rows or int(self.gazetteer.region[place.row]) in ctx.region_rows
            score = score + 0.15 if in_region else score * 0.85
        others = [p for p in ctx.points if p.row != place.row]  # a place is no context for itself
        if others:
            nearest = min(_haversine_km(p.lat, p.lon, place.lat, place.lon) for p in others)
            score += _CONTEXT_BONUS * max(0.0, 1 - nearest / _CONTEXT_REACH_KM)
        if place.country in self.focus_countries:
            score += _FOCUS_BONUS
        match = _MATCH_NAME[hit.rank] if tier == "exact" else tier
        if factor < 1.0:
            match = "base"
        return _Scored(place, hit, match, score, precision)

    # -- building answers ------------------------------------------------------------

    def _candidate(self, query: str, place: Place, score: float, match: str, matched: str,
                   precision: GeoPrecision, **extra) -> Candidate:
        return Candidate(
            query=query, name=place.name, lat=place.lat, lon=place.lon, country=place.country,
            admin1=place.admin1, feature_type=place.type, precision=precision,
            score=min(1.0, score), radius_km=place.radius_km, match=match, matched=matched,
            id=place.id, population=place.population, coords_source=place.coords_source,
            **extra,
        )

    def _relative(self, parsed: ParsedQuery, anchor: _Scored) -> Candidate:
        """A place given relative to ``anchor``: an area, never a pin on the anchor."""
        rel: Relation = parsed.relation
        place = anchor.place
        precision = GeoPrecision.NEAR if anchor.precision == GeoPrecision.TOWN else GeoPrecision.REGION
        lat, lon = place.lat, place.lon
        if rel.relation == "offset" and rel.bearing is not None:
            distance, radius = rel.distance_km, max(10.0, 0.2 * rel.distance_km)
        elif rel.relation == "offset":  # "200 km from X": somewhere on that circle
            distance, radius = 0.0, rel.distance_km + place.radius_km
        elif rel.relation == "direction":
            distance = radius = place.radius_km + 20.0
        elif rel.relation == "part":
            distance = 0.5 * place.radius_km if rel.bearing is not None else 0.0
            radius = 0.6 * place.radius_km
        else:  # near, outskirts
            distance, radius = 0.0, place.radius_km + 15.0
        if distance and rel.bearing is not None:
            point = geodesic(kilometers=distance).destination((lat, lon), rel.bearing)
            lat, lon = point.latitude, point.longitude
        candidate = self._candidate(parsed.text, place, anchor.score * 0.95, anchor.tier,
                                    anchor.hit.matched, precision, relation=rel.phrase,
                                    anchor=place.name)
        return replace(candidate, lat=lat, lon=lon, radius_km=radius,
                       name=f"{rel.phrase} {place.name}", feature_type="relative")

    def _fallback(self, parsed: ParsedQuery, ctx: _Context) -> list[Candidate]:
        """The name is unknown but its hints are not: answer with the most specific
        hint, at that hint's precision, marked as a fallback."""
        g = self.gazetteer
        rows = sorted(ctx.region_rows) or [g.row_of(f"country:{c}") for c in sorted(ctx.countries)]
        out = []
        for row in rows:
            if row is None:
                continue
            place = g.place(row)
            out.append(self._candidate(parsed.text, place, 0.5, "fallback", name_key(parsed.name),
                                       _precision(place)))
        return out[:1]

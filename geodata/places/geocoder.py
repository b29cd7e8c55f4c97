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
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from enum import IntEnum

import numpy as np
from geopy.distance import geodesic
from geopy.exc import GeocoderQueryError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point
from rapidfuzz.distance import DamerauLevenshtein

from geodata.places.added import SECTION_TYPE
from geodata.places.build import FUZZY_MIN_LEN, KINDS
from geodata.places.features import COUNTRY, FAMILY_OF_TYPE, REGION, family_of_word, split_feature
from geodata.places.gazetteer import Gazetteer, Hit, Place
from geodata.places.normalize import loose_key, name_key
from geodata.places.query import ParsedQuery, QueryError, Relation, parse_query, validate
from geodata.places.sources import NameRank
from geodata.places.words import english_words

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
# A town-level answer is given only when it clearly wins: a rival inside the same
# constraints, scoring within this margin and farther apart than both their extents,
# makes the answer "ambiguous" (an area holding them all, with the alternatives).
# The margin is 0.05 * log10 of a population ratio, so 0.05 asks the winner to be about
# ten times the rival's size; chosen on the development part of the CIR rows.
AMBIGUITY_MARGIN = 0.05
AMBIGUITY_MIN_KM = 25.0
# A city of this size is what a text means by its name (Blagoveshchensk on the Amur,
# Pokrovsk in Donetsk Oblast); namesake villages do not make it ambiguous.
AMBIGUITY_MAX_POPULATION = 50_000
# cities500 lists villages of 500 people or more: a village whose name at least this many
# listed places of its country share (Ivanivka, Serhiivka) most likely has unlisted
# namesakes too, so its name alone does not pin it. Chosen on the development part.
COMMON_NAME_PLACES = 5
VILLAGE_POPULATION = 5_000
# Misspelling repair needs evidence: outside any constraint only for names of at least
# this many letters that are not all capitals (acronyms), and only against a place's
# main name or alias (a misspelling of an alternate name is two guesses in a row).
FREE_FUZZY_MIN_LETTERS = 6
# Transliteration variants likewise need a few letters, and neither applies to a common
# English word ("Region", "Angry"): in running text such words are words.
FREE_REPAIR_MIN_LETTERS = 4
# Acronym-shaped words (all capitals, this short) match only a prominent place exactly:
# "KYIV" in a dateline, never "TASS" (a Hungarian village) or "IMO".
ACRONYM_MAX_LETTERS = 5
ACRONYM_MIN_POPULATION = 50_000
# A province hint is repaired towards a region name at least this alike (normalised
# Damerau-Levenshtein): two edits in eight letters ("Belograd", "Dagastan").
REGION_SIMILARITY = 0.75
# A place named only as a district or town hint ("X, Rechytsa district, Belarus") is an
# area this wide around that town: about the size of a Ukrainian or Belarusian raion.
DISTRICT_RADIUS_KM = 30.0
# A district named after its town by a Slavic adjective ("Belgorodsky District",
# "Oleshkivskyi raion", "Pokrovskyi rayon"): the word, the adjective's endings, and how
# much of the town's name (loose keys) the adjective's stem must share.
_DISTRICT_WORD = re.compile(r"^(?P<adjective>.+?) (?:district|raion|rayon|r n)$")
_ADJECTIVE_ENDING = re.compile(r"(?:s[kc](?:yi|yy|iy|ii|ij|y|i|oy|oi|aya|a|e))$")
DISTRICT_STEM_MIN = 4
# Such a district (a raion, often merged into larger ones since 2020) reaches this far
# from the town it is named after, which need not be its centre.
NAMED_DISTRICT_RADIUS_KM = 50.0
# English adjectives that begin Slavic place names in translation ("New Korotych" for
# Novyi Korotych): their Ukrainian and Russian forms in each gender, tried inside the
# stated bounds only when the name itself matches nothing there.
_TRANSLATED_ADJECTIVES: dict[str, tuple[str, ...]] = {
    "new": ("novyi", "nova", "nove", "novyy", "novaya", "novoye", "novo"),
    "old": ("staryi", "stara", "stare", "staryy", "staraya", "staroye", "staro"),
    "upper": ("verkhnii", "verkhnia", "verkhnie", "verkhniy", "verkhnyaya", "verkhneye"),
    "lower": ("nyzhnii", "nyzhnia", "nyzhnie", "nizhniy", "nizhnyaya", "nizhneye"),
    "great": ("velykyi", "velyka", "velyke", "bolshoy", "bolshaya", "bolshoye"),
    "big": ("velykyi", "velyka", "velyke", "bolshoy", "bolshaya", "bolshoye"),
    "little": ("malyi", "mala", "male", "malyy", "malaya", "maloye"),
    "small": ("malyi", "mala", "male", "malyy", "malaya", "maloye"),
}
# A village named after a person ("Imeni Chkalova", "im. Telmana", and its short form
# "Chkalova"): such names repeat across the country, many of them too small to be listed.
_NAMED_AFTER = re.compile(r"^(?:imeni|im) (?P<person>.+)$")
# Regions that are cities inside a larger region (Kyiv in Kyiv Oblast, Sevastopol in
# Crimea, Moscow in Moscow Oblast): their places count as inside the surrounding one.
CITY_REGION_TYPES = frozenset({"city", "federal_city", "special_city", "metropolitan_city",
                                "special_self_governing_city"})


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
    id: str                # gazetteer id: geonames:N, region:ISO, site:slug, country:CC
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
class _Scored:
    place: Place
    hit: Hit
    tier: str
    score: float
    precision: GeoPrecision
    rank: NameRank  # how strongly the name belongs to the place (see _name_rank)


class _Context:
    """What the caller knows besides the name. Stated countries and regions are
    constraints (an answer outside them is never returned); nearby places and feature
    words are preferences."""

    def __init__(self, countries: frozenset[str] = frozenset(), family: str | None = None):
        self.countries = countries
        self.region_rows: set[int] = set()
        self.unit_rows: set[int] = set()   # rows of the stated units themselves
        self.units: list[Place] = []       # stated regions, most specific first: the fallback
        self.points: list[Place] = []
        self.stated_places: list[Place] = []  # a district or town named as a hint
        self.stated_radius_km = DISTRICT_RADIUS_KM  # how far around it the fallback reaches
        self.family = family

    @property
    def constrained(self) -> bool:
        return bool(self.countries or self.region_rows)


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


def _name_rank(hit: Hit, place: Place, key: str) -> NameRank:
    """An alternate name that only respells the place's own name ("Novooleksiivka" for
    Novooleksiyivka) claims the place as strongly as the main name; one that is another
    name (a former name, a neighbour's name) stays weaker, so a place called that
    today wins over one that was once called that."""
    if hit.rank == NameRank.ALTERNATE and key and loose_key(place.name) == loose_key(key):
        return NameRank.PRIMARY
    return hit.rank


def _how(s: _Scored) -> tuple[str, NameRank]:
    """How a name matched, for comparing rivals: the lookup tier (exact, transliteration,
    fuzzy, base) and how strongly the matched name belongs to the place."""
    tier = "exact" if s.tier in _MATCH_NAME.values() and s.tier != "base" else s.tier
    return tier, s.rank


# What the reported score gives up for weaker evidence, so that it says how far to trust
# a point (the bench prints the share within 25 km above each score on the development
# rows): a repaired spelling, and bounds that leave more namesakes possible.
_TIER_TRUST = {"transliteration": 0.95, "translation": 0.95, "fuzzy": 0.9, "base": 0.9}
_BOUNDS_TRUST = {"province": 1.0, "country": 0.95, "none": 0.9}


def _confidence(s: _Scored, ctx: _Context) -> float:
    """The score a caller sees: the ranking score (capped at 1) times the trust of how
    the name matched and of how tightly the caller bounded it. Ranking is unchanged."""
    bounds = "province" if ctx.region_rows else "country" if ctx.countries else "none"
    return min(1.0, s.score) * _TIER_TRUST.get(s.tier, 1.0) * _BOUNDS_TRUST[bounds]


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
        self._region_keys: list[tuple[str, int, str]] | None = None  # see _similar_regions
        self._city_of: dict[int, Place | None] = {}  # see _part_of_city

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
                   admin1: str | Sequence[str] | None = None, context: Iterable[str] = (),
                   limit: int = 5) -> list[Candidate]:
        """Ranked candidates for ``query``, best first; empty when nothing matches.

        ``country`` (ISO codes or names) and ``admin1`` (province names), like the
        parts of "town, province, country", are constraints: no answer outside them is
        returned; when no place of that name lies inside, the answer is the most
        specific stated unit, marked ``fallback``. When rivals inside the constraints
        are as likely and far apart, the answer is the area holding them, marked
        ``ambiguous``, with the rivals as its alternatives. ``context``: other place
        names from the same text, or feature words ("port"): preferences only.
        """
        parsed = parse_query(query)
        codes = [country] if isinstance(country, str) else list(country or [])
        ctx = _Context(frozenset(self.country_code(c) for c in codes))
        for name in [admin1] if isinstance(admin1, str) else list(admin1 or []):
            rows = self.region_rows(validate(name, "province"), ctx.countries)
            if not rows:
                where = f" in {', '.join(sorted(ctx.countries))}" if ctx.countries else ""
                raise QueryError(f"unknown province {name!r}{where}")
            self._add_regions(ctx, rows)
        self._read_context(ctx, context)
        self._read_hints(ctx, parsed.hints)
        scored = self._rank(parsed.name, ctx)
        code = parsed.name.upper() == parsed.name and self._code_country(parsed.name)
        if code and not parsed.relation and (not ctx.countries or code in ctx.countries):
            row = self.gazetteer.row_of(f"country:{code}")  # "US", "UKR": a code in capitals
            scored = [s for s in scored if s.place.row != row]
            place = self.gazetteer.place(row)
            scored.insert(0, _Scored(place, Hit(row, NameRank.ALIAS, 1.0, name_key(parsed.name)),
                                     "code", 1.0, GeoPrecision.COUNTRY, NameRank.ALIAS))
        if parsed.relation:
            found = [self._relative(parsed, s) for s in scored[:limit]]
        else:
            found = self._answers(parsed, scored, ctx, limit)
        if not found and ctx.constrained:
            if not parsed.relation and (town := self._district_town(parsed.name, ctx)):
                ctx.stated_places.insert(0, town)  # "Belgorodsky District": around Belgorod
                ctx.stated_radius_km = NAMED_DISTRICT_RADIUS_KM
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
        """Comma parts after the name: countries and provinces (constraints, misspellings
        repaired), then anything else (a district, a nearby town) as a preference."""
        rest = []
        for hint in hints:
            if code := self._country_named(hint):
                ctx.countries |= {code}
            else:
                rest.append(hint)
        others = []
        for hint in rest:
            rows = self.region_rows(hint, ctx.countries)
            if rows:
                self._add_regions(ctx, rows)
            else:
                others.append(hint)
        for hint in others:  # a district or a nearby place: context, if inside the bounds
            try:
                scored = self._rank(parse_query(hint).name, ctx, repair=False)
            except QueryError:
                continue
            place = scored[0].place if scored else self._district_town(hint, ctx)
            if place is not None and not scored:
                ctx.stated_radius_km = NAMED_DISTRICT_RADIUS_KM
            if place is not None:
                ctx.points.append(place)
                ctx.stated_places.append(place)

    def _district_town(self, text: str, ctx: _Context) -> Place | None:
        """The town a district is named after, inside the stated province: "Oleshkivskyi
        raion" -> Oleshky. Only with a district word and a province to search (a bare
        adjective is as often a village's own name), the most populous town whose name
        the adjective's stem spells, give or take the letters Slavic endings change."""
        match = _DISTRICT_WORD.match(name_key(text))
        if not match or not ctx.region_rows:
            return None
        adjective = match["adjective"]
        stem = loose_key(_ADJECTIVE_ENDING.sub("", adjective))
        if stem == loose_key(adjective) or len(stem) < DISTRICT_STEM_MIN:
            return None
        g = self.gazetteer
        rows = np.flatnonzero(np.isin(g.region, list(ctx.region_rows))
                              & (g.kind == KINDS.index("place")))
        best: Place | None = None
        for row in rows.tolist():
            town = loose_key(g.names[row])
            shared = len(os.path.commonprefix([stem, town]))
            if shared >= DISTRICT_STEM_MIN and shared >= len(town) - 2 and shared >= len(stem) - 3:
                place = g.place(row)
                if best is None or place.population > best.population:
                    best = place
        return best

    def _add_regions(self, ctx: _Context, rows: list[int]) -> None:
        ctx.region_rows |= set(rows)
        ctx.unit_rows |= set(rows)
        ctx.units[:0] = [self.gazetteer.place(r) for r in rows]
        if not ctx.countries:
            ctx.countries = frozenset(self.gazetteer.place(r).country for r in rows)

    def _country_named(self, text: str) -> str | None:
        """The country a hint names: a code, a name, or a misspelled name ("Belaurs")."""
        if code := self._code_country(text):
            return code
        g = self.gazetteer
        key = name_key(text)
        for hits in (g.exact(key), g.loose(key), g.fuzzy(key, min_similarity=0.8)):
            codes = {g.place(h.row).country for h in hits if g.place(h.row).kind == "country"}
            if len(codes) == 1:
                return codes.pop()
        return None

    def region_rows(self, text: str, countries: frozenset[str]) -> list[int]:
        """Rows of the first-level regions a province hint names, within ``countries``:
        exact names and base names ("Belgorod" for Belgorod Oblast) first, then
        transliterations, then misspellings ("Belogrod", "Kurks Oblast", "Dagastan"),
        of which only a single best one is taken."""
        g = self.gazetteer
        key = name_key(text)
        if not key:
            return []
        base, family = split_feature(key)
        if family not in (None, REGION):
            return []

        def regions(hits: list[Hit]) -> list[Hit]:
            return [h for h in hits if g.place(h.row).kind == "region"
                    and (not countries or g.place(h.row).country in countries)]

        keys = [key] if base == key else [key, base]
        for lookup in (g.exact, g.loose):
            for k in keys:  # the full name first: "Kyiv Oblast" is not also the city of Kyiv
                rows = sorted({h.row for h in regions(lookup(k))})
                if rows:
                    return rows
        hits = [h for k in keys for h in regions(g.fuzzy(k, min_similarity=REGION_SIMILARITY))]
        if not hits:  # two edits of different kinds ("Belograd"): the index's one-deletion
            hits = self._similar_regions(keys, countries)  # variants miss them; regions are few
        if not hits:
            return []
        top = max(h.similarity for h in hits)
        rows = {h.row for h in hits if h.similarity == top}
        return sorted(rows) if len(rows) == 1 else []

    def _similar_regions(self, keys: list[str], countries: frozenset[str]) -> list[Hit]:
        """Regions (of ``countries``, or all) whose name or base name ("belgorod" of
        Belgorod Oblast) is at least REGION_SIMILARITY alike one of ``keys``: a scan of
        a few hundred names, so any misspelling within that similarity is found."""
        if self._region_keys is None:
            g = self.gazetteer
            self._region_keys = []
            for row in np.flatnonzero(g.kind == KINDS.index("region")).tolist():
                key = name_key(g.names[row])
                for k in {key, split_feature(key)[0]}:
                    if len(k) >= FUZZY_MIN_LEN:
                        self._region_keys.append((k, row, g.country[row].decode()))
        hits = []
        for key in keys:
            if len(key) < FUZZY_MIN_LEN:
                continue
            for k, row, country in self._region_keys:
                if countries and country not in countries:
                    continue
                similarity = DamerauLevenshtein.normalized_similarity(key, k)
                if similarity >= REGION_SIMILARITY:
                    hits.append(Hit(row, NameRank.PRIMARY, similarity, k))
        return hits

    def _inside(self, place: Place, ctx: _Context) -> bool:
        """Whether a place satisfies the stated constraints. The stated units themselves
        are not answers for the name: in "Oryol, Oryol, Russia" the name is the city."""
        if place.row in ctx.unit_rows:
            return False
        if ctx.countries and place.country not in ctx.countries:
            return False
        if not ctx.region_rows:
            return True
        region = place.row if place.kind == "region" else int(self.gazetteer.region[place.row])
        if region in ctx.region_rows:
            return True
        if region >= 0 and self.gazetteer.place(region).type not in CITY_REGION_TYPES:
            return False
        if region >= 0 and self._part_of_city(place, region):
            return False  # Kyiv Oblast holds Kyiv, not Kyiv's neighbourhoods
        # a city region (Kyiv) or a place with no region: inside when within the extent
        # of a stated region (Kyiv Oblast surrounds Kyiv)
        return any(haversine_km(u.lat, u.lon, place.lat, place.lon) <= u.radius_km
                   for u in ctx.units if u.row in ctx.region_rows)

    def _part_of_city(self, place: Place, region: int) -> bool:
        """Whether ``place`` is a part of the city a city region is (a neighbourhood: a
        section of a populated place, or a place of that region within the city's own
        extent) rather than the city itself or a town of the region beyond the city
        (Zelenograd of Moscow). A part never answers for the region around the city:
        "Obolon, Kyiv Oblast" is no district of Kyiv, whose province is not stated."""
        if region not in self._city_of:  # the city: the region's most populous place
            g = self.gazetteer
            rows = np.flatnonzero((g.region == region) & (g.kind == KINDS.index("place")))
            self._city_of[region] = (g.place(int(rows[np.argmax(g.population[rows])]))
                                     if len(rows) else None)
        city = self._city_of[region]
        if city is None or place.row == city.row or place.kind == "region":
            return False
        return (place.type == SECTION_TYPE
                or haversine_km(city.lat, city.lon, place.lat, place.lon) <= city.radius_km)

    def _lookup(self, key: str, ctx: _Context, repair: bool = True) -> tuple[list[Hit], str]:
        """Hits of the strictest tier that has any inside the constraints: an exact
        namesake abroad (an Angolan "Kunje") must not hide the transliterated one inside
        the stated province ("Kunie"). Unconstrained, misspelling repair needs more
        evidence (see FREE_FUZZY_MIN_LETTERS). ``repair=False``: exact and transliterated
        names only."""
        g = self.gazetteer
        free = not ctx.constrained

        def inside(hits: list[Hit]) -> list[Hit]:
            return hits if free else [h for h in hits if self._inside(g.place(h.row), ctx)]

        if hits := inside(g.exact(key)):
            return hits, "exact"
        if free and (len(key.replace(" ", "")) < FREE_REPAIR_MIN_LETTERS or key in english_words()):
            return [], "exact"  # "I'm" is no Jimma, "Region" no Megion
        if hits := inside(g.loose(key)):
            return hits, "transliteration" if repair else "exact"
        first, _, rest = key.partition(" ")
        if not free and rest and first in _TRANSLATED_ADJECTIVES:  # "New Korotych"
            hits = [h for form in _TRANSLATED_ADJECTIVES[first] for h in inside(g.loose(f"{form} {rest}"))]
            if hits:
                return hits, "translation"
        if not repair or free and len(key.replace(" ", "")) < FREE_FUZZY_MIN_LETTERS:
            return [], "fuzzy"
        hits = inside(g.fuzzy(key, min_similarity=0.83 if len(key) <= 6 else 0.8))
        if free:
            hits = [h for h in hits if h.rank in (NameRank.PRIMARY, NameRank.ALIAS)]
        return hits, "fuzzy"

    def _rank(self, name: str, ctx: _Context, repair: bool = True) -> list[_Scored]:
        """Scored places for a name, best first, inside the context's constraints.
        ``repair=False``: exact and transliterated names only."""
        key = name_key(name)
        if not key:
            return []
        key = key.removeprefix("the ") if key.startswith("the ") and len(key) > 4 else key
        acronym = name.isupper() and len(key.replace(" ", "")) <= ACRONYM_MAX_LETTERS
        base, word_family = split_feature(key)
        family = word_family or ctx.family
        if acronym:
            found = [(hit, "exact", 1.0) for hit in self.gazetteer.exact(key)
                     if self._prominent(hit.row)]
        else:
            hits, tier = self._lookup(key, ctx, repair)
            found = [(hit, tier, 1.0) for hit in hits]
            if base != key:  # "Vostochny spaceport": also the places named just "Vostochny",
                base_hits, base_tier = self._lookup(base, ctx, repair)  # weaker than the full name
                found += [(hit, base_tier, _BASE_FACTOR) for hit in base_hits]
        best: dict[int, _Scored] = {}
        for hit, tier, factor in found:
            if ctx.constrained and not self._inside(self.gazetteer.place(hit.row), ctx):
                continue
            scored = self._score(hit, tier, family, ctx, factor, key)
            if word_family != REGION and scored.place.kind == "region":
                # "Nampo", "Kyiv": the city before the region of the same name
                scored.score *= _BARE_REGION_FACTOR
            if scored.score >= self.min_score and (
                hit.row not in best or scored.score > best[hit.row].score
            ):
                best[hit.row] = scored
        return sorted(best.values(), key=lambda s: (-s.score, -s.place.population, s.place.row))

    def _prominent(self, row: int) -> bool:
        place = self.gazetteer.place(row)
        return place.kind != "place" or place.population >= ACRONYM_MIN_POPULATION

    def _score(self, hit: Hit, tier: str, family: str | None, ctx: _Context,
               factor: float = 1.0, key: str = "") -> _Scored:
        place = self.gazetteer.place(hit.row)
        rank = _name_rank(hit, place, key)
        quality = _RANK_QUALITY[rank] * factor
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
            nearest = min(haversine_km(p.lat, p.lon, place.lat, place.lon) for p in others)
            score += _CONTEXT_BONUS * max(0.0, 1 - nearest / _CONTEXT_REACH_KM)
        if place.country in self.focus_countries:
            score += _FOCUS_BONUS
        match = _MATCH_NAME[hit.rank] if tier == "exact" else tier
        if factor < 1.0:
            match = "base"
        return _Scored(place, hit, match, score, precision, rank)

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

    def _answers(self, parsed: ParsedQuery, scored: list[_Scored], ctx: _Context,
                 limit: int) -> list[Candidate]:
        """The ranked answers; the first is "ambiguous" (an area holding the rivals, not
        a pin) when a town-level winner does not clearly win."""
        found = [self._candidate(parsed.text, s.place, _confidence(s, ctx), s.tier,
                                 s.hit.matched, s.precision) for s in scored[:limit]]
        key = name_key(parsed.name)
        rivals = self._rivals(scored) or self._region_namesakes(scored, key, ctx)
        area: Place | None = None
        if not rivals:
            named_after = self._weak_named_after(scored[0] if scored else None, key, ctx)
            if not named_after and not self._common_name(scored[0] if scored else None, key):
                return found
            # the listed namesakes inside the bounds, however unlike: the analyst's choices
            rivals = [s for s in scored[1:] if s.place.kind == scored[0].place.kind
                      and s.precision == GeoPrecision.TOWN]
            if named_after:  # unlisted namesakes may lie anywhere inside the bounds
                area = self._bounds_unit(ctx, [s.place for s in (scored[0], *rivals)])
        alternatives = tuple(self._candidate(parsed.text, s.place, _confidence(s, ctx), s.tier,
                                             s.hit.matched, s.precision, status="alternative")
                             for s in [scored[0], *rivals])
        area = area or self._common_unit([s.place for s in (scored[0], *rivals)], ctx)
        top = scored[0]
        answer = self._candidate(parsed.text, area, _confidence(top, ctx), top.tier, top.hit.matched,
                                 _precision(area), status="ambiguous", alternatives=alternatives)
        return [answer, *alternatives][:limit]

    @staticmethod
    def _rivals(scored: list[_Scored]) -> list[_Scored]:
        """Town-level namesakes as likely as the town-level winner and far from it:
        matched the same way (a port named by its base name does not rival a cosmodrome
        named in full), so that only size and context tell them apart."""
        if not scored or scored[0].precision != GeoPrecision.TOWN:
            return []
        first = scored[0]
        top = first.place
        if top.population >= AMBIGUITY_MAX_POPULATION:
            return []
        rivals = []
        for s in scored[1:]:
            if s.score < first.score - AMBIGUITY_MARGIN:
                break
            if (s.precision != GeoPrecision.TOWN or s.place.kind != top.kind
                    or _how(s) != _how(first)):
                continue
            apart = haversine_km(top.lat, top.lon, s.place.lat, s.place.lon)
            if apart > max(AMBIGUITY_MIN_KM, top.radius_km + s.place.radius_km):
                rivals.append(s)
        return rivals

    def _common_name(self, top: _Scored | None, key: str) -> bool:
        """A name too common in the answer's country to pin from the name alone: a small
        village's, or the asked name when the answer bears it only as another name
        (a "Mykolaivka" found as the former name of a differently named town)."""
        if top is None or top.precision != GeoPrecision.TOWN or top.place.kind != "place":
            return False
        by_other_name = top.rank == NameRank.ALTERNATE
        if top.place.population >= VILLAGE_POPULATION and not by_other_name:
            return False
        g = self.gazetteer
        names = {name_key(top.place.name), key} if by_other_name else {name_key(top.place.name)}
        namesakes = {h.row for n in names for h in g.exact(n)
                     if g.place(h.row).kind == "place" and g.place(h.row).country == top.place.country}
        return len(namesakes) >= COMMON_NAME_PLACES

    def _region_namesakes(self, scored: list[_Scored], key: str, ctx: _Context) -> list[_Scored]:
        """The towns a region's name may mean when its capital has another name: "Rostov"
        is the base name of Rostov Oblast, whose capital (Rostov-on-Don) bears it only as
        another name, and also a name of a town elsewhere (Rostov in Yaroslavl Oblast).
        Unless a stated province decides, either town (or the region) is meant: the
        rivals of the first such town, or none when the name is no such region's."""
        if not scored or scored[0].precision != GeoPrecision.TOWN:
            return []
        g = self.gazetteer
        regions = {h.row for h in g.exact(key) if g.place(h.row).kind == "region"
                   and h.row not in ctx.unit_rows
                   and g.place(h.row).type not in CITY_REGION_TYPES}
        if not regions:
            return []
        towns = [s for s in scored if s.precision == GeoPrecision.TOWN and s.place.kind == "place"]
        region_names = {loose_key(split_feature(name_key(g.names[r]))[0]) for r in regions}
        if not any(int(g.region[s.place.row]) in regions and s.rank == NameRank.ALTERNATE
                   and loose_key(s.place.name) not in region_names for s in towns):
            return []  # the capital is called so (Kursk, Zaporizhzhia): the city
        inside = {int(g.region[s.place.row]) in regions for s in towns}
        if inside != {True, False}:
            return []
        return [s for s in towns if s is not scored[0]]

    def _weak_named_after(self, top: _Scored | None, key: str, ctx: _Context) -> bool:
        """Whether a town answer is a name after a person too weakly matched to pin.
        Such a name ("Imeni Chkalova", its short form "Chkalova", "Lenina") is a pin only
        when the query spells the place's own name (no "imeni" dropped or added), a
        province bounds it, and no other listed place in that province bears the name in
        any of its forms; otherwise unlisted namesakes are as likely."""
        if top is None or top.precision != GeoPrecision.TOWN or top.place.kind != "place":
            return False
        match = _NAMED_AFTER.match(key)
        person = match["person"] if match else key
        forms = {person, f"imeni {person}", f"im {person}"}
        g = self.gazetteer
        holders = {h.row for form in forms for h in g.exact(form) if g.place(h.row).kind == "place"}
        if not match and not any(g.exact(f"{word} {person}") for word in ("imeni", "im")):
            return False  # not a name after a person
        if name_key(top.place.name) != key or not ctx.region_rows:
            return True
        return len([r for r in holders if self._inside(g.place(r), ctx)]) != 1

    def _bounds_unit(self, ctx: _Context, places: list[Place]) -> Place:
        """The most specific stated unit (province, then country), else the unit holding
        ``places``: where unlisted namesakes of a name may lie."""
        if ctx.units:
            return ctx.units[0]
        if len(ctx.countries) == 1 and (row := self.gazetteer.row_of(f"country:{next(iter(ctx.countries))}")) is not None:
            return self.gazetteer.place(row)
        return self._common_unit(places, ctx)

    def _common_unit(self, places: list[Place], ctx: _Context) -> Place:
        """The smallest unit holding all ``places``: their region, else their country,
        else the most specific stated unit, else the first place's country."""
        g = self.gazetteer
        regions = {int(g.region[p.row]) for p in places}
        if len(regions) == 1 and (region := regions.pop()) >= 0:
            return g.place(region)
        countries = {p.country for p in places}
        if len(countries) > 1 and ctx.units:
            return ctx.units[0]
        for code in sorted(countries):
            row = g.row_of(f"country:{code}")
            if row is not None:
                return g.place(row)
        return places[0]

    def _fallback(self, parsed: ParsedQuery, ctx: _Context) -> list[Candidate]:
        """The name is unknown inside its constraints but they are not: answer with the
        most specific stated unit, at that unit's precision, marked as a fallback."""
        g = self.gazetteer
        if ctx.stated_places:  # "Zheleznodorozhny Rayon, Rostov-on-Don": around the town
            place = ctx.stated_places[0]
            found = self._candidate(parsed.text, place, 0.5, "fallback", name_key(parsed.name),
                                    GeoPrecision.NEAR, status="fallback")
            return [replace(found, radius_km=max(place.radius_km, ctx.stated_radius_km))]
        units = ctx.units or [g.place(row) for c in sorted(ctx.countries)
                              if (row := g.row_of(f"country:{c}")) is not None]
        if not units:
            return []
        place = units[0]
        return [self._candidate(parsed.text, place, 0.5, "fallback", name_key(parsed.name),
                                _precision(place), status="fallback")]

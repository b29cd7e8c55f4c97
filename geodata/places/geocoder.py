"""The offline geocoder: ranked candidates for a place name, behind geopy's interface.

Ranking, in order of weight: how the name matched (main name > alias > alternate >
transliteration variant > misspelling), hints in the query or from the caller
(country, "town, province, country" parts, feature words such as "port"), context
(the other places of the same report: a candidate near them wins), and last the
place's prominence (population). A domain prior prefers Ukraine, Russia and North
Korea, the countries this product is about, by a small margin.

What the caller states is read in ``bounds`` (constraints and preferences, and whether
a place lies inside them); whether the winner is a pin, an ambiguous area or a fallback
is decided in ``trust``; the answer types are in ``candidate``. The names other modules
import from here (``Candidate``, ``GeoPrecision``, ``haversine_km``, the thresholds)
stay importable from here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import replace

from geopy.distance import geodesic
from geopy.exc import GeocoderQueryError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from geodata.places.bounds import CITY_REGION_TYPES, DISTRICT_RADIUS_KM, REGION_SIMILARITY, BoundsMixin, Context
from geodata.places.candidate import (MATCH_NAME, Candidate, GeoPrecision, Scored, candidate_for,
                                      haversine_km, precision_of)
from geodata.places.features import (COUNTRY, DISTRICT_STEM_MIN, FAMILY_OF_TYPE, NAMED_DISTRICT_RADIUS_KM, REGION,
                                     split_feature)
from geodata.places.gazetteer import Gazetteer, Hit, Place
from geodata.places.normalize import loose_key, name_key
from geodata.places.query import ParsedQuery, QueryError, Relation, parse_query
from geodata.places.sources import (ADMIN1_TYPE, DISTRICT_TYPE, SETTLEMENT_TYPE, NameRank, continent_names,
                                    national_capital)
from geodata.places.trust import (AMBIGUITY_MARGIN, AMBIGUITY_MAX_POPULATION, AMBIGUITY_MIN_KM,
                                  COMMON_NAME_PLACES, VILLAGE_POPULATION, TrustMixin)
from geodata.places.words import english_words

# The public names; those defined in bounds, trust and candidate stay importable from here.
__all__ = [
    "ACRONYM_MAX_LETTERS", "ACRONYM_MIN_POPULATION", "AMBIGUITY_MARGIN", "AMBIGUITY_MAX_POPULATION",
    "AMBIGUITY_MIN_KM", "CITY_REGION_TYPES", "COMMON_NAME_PLACES", "DISTRICT_RADIUS_KM",
    "DISTRICT_STEM_MIN", "FOCUS_COUNTRIES", "FREE_FUZZY_MIN_LETTERS", "FREE_REPAIR_MIN_LETTERS",
    "NAMED_DISTRICT_RADIUS_KM", "REGION_SIMILARITY", "VILLAGE_POPULATION", "Candidate",
    "GeoPrecision", "OfflineGeocoder", "haversine_km",
]

FOCUS_COUNTRIES = ("UA", "RU", "KP")
_RANK_QUALITY = {NameRank.PRIMARY: 1.0, NameRank.ALIAS: 1.0, NameRank.ALTERNATE: 0.85,
                 NameRank.BASE: 0.7}
_QUALITY_WEIGHT, _PROMINENCE_WEIGHT = 0.65, 0.35
_CONTEXT_BONUS, _CONTEXT_REACH_KM = 0.25, 500.0
_FOCUS_BONUS = 0.1
_BASE_FACTOR = 0.85  # a match of the name without its feature word
_BARE_REGION_FACTOR = 0.92
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


def _family(place: Place) -> str | None:
    if place.kind == "site":
        return FAMILY_OF_TYPE.get(place.type)
    return {"region": REGION, "district": REGION, "country": COUNTRY}.get(place.kind)


def _name_rank(hit: Hit, place: Place, key: str) -> NameRank:
    """An alternate name that only respells the place's own name ("Novooleksiivka" for
    Novooleksiyivka) claims the place as strongly as the main name; one that is another
    name (a former name, a neighbour's name) stays weaker, so a place called that
    today wins over one that was once called that."""
    if hit.rank == NameRank.ALTERNATE and key and loose_key(place.name) == loose_key(key):
        return NameRank.PRIMARY
    return hit.rank


def _prominence(place: Place) -> float:
    """A town by its people; a site, region, district or country at least as a large
    city (a district, being smaller, less so), and one holding more people (Texas,
    Sichuan) as much as they weigh."""
    by_people = min(1.0, math.log10(place.population + 1) / 7)
    if place.kind == "place":
        return by_people
    return max(by_people, {"site": 0.9, "region": 0.85, "district": 0.75, "country": 1.0}[place.kind])


class OfflineGeocoder(BoundsMixin, TrustMixin, Geocoder):
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
        self._continents = frozenset(name_key(n) for n in continent_names())
        self._countries = self.gazetteer.meta["countries"]
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
        candidate = candidate_for(str(query), place, 1.0, "reverse", place.name,
                                  precision_of(place))
        location = self._location(replace(candidate, lat=point.latitude, lon=point.longitude))
        location.raw["distance_km"] = round(distance, 3)
        return location if exactly_one else [location]

    def _location(self, c: Candidate) -> Location:
        country = self._countries.get(c.country, {}).get("name", c.country)
        parts = [c.name] + [p for p in (c.admin1, country) if p and p != c.name]
        return Location(", ".join(parts), (c.lat, c.lon), c.as_dict())

    # -- our interface ---------------------------------------------------------------

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
        if parsed.relation and self.gazetteer.exact(name_key(whole := f"{parsed.relation.phrase} {parsed.name}")):
            parsed = replace(parsed, name=whole, relation=None)  # "Western Sahara" is a name, not a part of one
        ctx = self._stated_bounds(parsed, country, admin1, context)
        scored = self._rank(parsed.name, ctx)
        code = parsed.name.upper() == parsed.name and self._code_country(parsed.name)
        if code and not parsed.relation and (not ctx.countries or code in ctx.countries):
            row = self.gazetteer.row_of(f"country:{code}")  # "US", "UKR": a code in capitals
            scored = [s for s in scored if s.place.row != row]
            place = self.gazetteer.place(row)
            scored.insert(0, Scored(place, Hit(row, NameRank.ALIAS, 1.0, name_key(parsed.name)),
                                    "code", 1.0, GeoPrecision.COUNTRY, NameRank.ALIAS))
        if parsed.relation:
            found = [self._relative(parsed, s) for s in scored[:limit]]
        else:
            found = [_as_district(c) for c in self._answers(parsed, scored, ctx, limit)]
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
        return candidate_for(query or place.name, place, 1.0, "id", place_id, precision_of(place))

    # -- ranking ---------------------------------------------------------------------

    def _lookup(self, key: str, ctx: Context, repair: bool = True) -> tuple[list[Hit], str]:
        """Hits of the strictest tier that has any inside the constraints: an exact
        namesake abroad (an Angolan "Kunje") must not hide the transliterated one inside
        the stated province ("Kunie"). Unconstrained, misspelling repair needs more
        evidence (see FREE_FUZZY_MIN_LETTERS). ``repair=False``: exact and transliterated
        names only."""
        g = self.gazetteer
        free = not ctx.constrained

        def inside(hits: list[Hit]) -> list[Hit]:
            return hits if free else [h for h in hits if self._inside(g.place(h.row), ctx)]

        if free and key in self._continents:
            return [], "exact"  # "Africa" is no village in Puebla
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

    def _rank(self, name: str, ctx: Context, repair: bool = True) -> list[Scored]:
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
        best: dict[int, Scored] = {}
        g = self.gazetteer
        holding_namesakes: set[int] = set()
        bigger_namesake = False
        if any(g.kind[hit.row] != 0 for hit, _, _ in found):  # only a region's rank needs these
            # a town inside called so today (not Montana City, once "Montana", in the state)
            holding_namesakes = {int(g.region[hit.row]) for hit, _, _ in found
                                 if g.kind[hit.row] == 0 and hit.rank <= NameRank.ALIAS}
            bigger_namesake = any(g.kind[hit.row] == 0 and g.population[hit.row] >= AMBIGUITY_MAX_POPULATION
                                  or g.place(hit.row).kind == "country" for hit, _, _ in found)
        # a country's own name, with nothing stated around it, is the country, not a small
        # town elsewhere that context would lift ("deploying to Poland" beside Pittsburgh
        # is no village in Ohio)
        country_named = not ctx.constrained and any(
            tier == "exact" and factor == 1.0 and hit.rank <= NameRank.ALIAS and g.place(hit.row).kind == "country"
            for hit, tier, factor in found)
        # likewise a national capital's own name: "Washington and London" is no town in
        # England, though London lies nearer (a town a fifth its size or less yields)
        capital = 0 if ctx.constrained else max(
            (int(g.population[hit.row]) for hit, tier, factor in found if tier == "exact" and factor == 1.0
             and hit.rank <= NameRank.ALIAS and self._is_national_capital(hit.row)), default=0)
        for hit, tier, factor in found:
            if ctx.constrained and not self._inside(g.place(hit.row), ctx):
                continue
            if country_named and g.kind[hit.row] == 0 and g.population[hit.row] < AMBIGUITY_MAX_POPULATION:
                continue
            if capital and g.kind[hit.row] == 0 and g.population[hit.row] * 5 <= capital:
                continue
            scored = self._score(hit, tier, family, ctx, factor, key)
            if word_family != REGION and scored.place.kind in ("region", "district") and (
                    scored.place.type not in (ADMIN1_TYPE, DISTRICT_TYPE) or hit.row in holding_namesakes
                    or bigger_namesake):
                # "Nampo", "Kyiv", "New York", "Washington": the city (or the country: Mexico)
                # before the region of the same name; not a town elsewhere (Delaware, Ohio;
                # Dorset, Vermont for the English county)
                scored.score *= _BARE_REGION_FACTOR
            if scored.score >= self.min_score and (
                hit.row not in best or scored.score > best[hit.row].score
            ):
                best[hit.row] = scored
        return sorted(best.values(), key=lambda s: (-s.score, -s.place.population, s.place.row))

    def _is_national_capital(self, row: int) -> bool:
        place = self.gazetteer.place(row)
        capital = national_capital(place.country) if place.kind == "place" else None
        return capital is not None and name_key(capital) == name_key(place.name) \
            and place.population >= AMBIGUITY_MAX_POPULATION

    @staticmethod
    def _context_km(place: Place, ctx: Context) -> list[float]:
        """How far a place lies from each place named with it, measured from its extent:
        Brisbane is no distance from Queensland. A place is no context for itself."""
        return [max(0.0, haversine_km(p.lat, p.lon, place.lat, place.lon) - place.radius_km)
                for p in ctx.points if p.row != place.row]

    def _prominent(self, row: int) -> bool:
        place = self.gazetteer.place(row)
        return place.kind != "place" or place.population >= ACRONYM_MIN_POPULATION

    def _score(self, hit: Hit, tier: str, family: str | None, ctx: Context,
               factor: float = 1.0, key: str = "") -> Scored:
        place = self.gazetteer.place(hit.row)
        rank = _name_rank(hit, place, key)
        quality = _RANK_QUALITY[rank] * factor
        if tier != "exact":
            quality *= 0.95 * hit.similarity
        score = _QUALITY_WEIGHT * quality + _PROMINENCE_WEIGHT * _prominence(place)
        precision = precision_of(place)
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
        if distances := self._context_km(place, ctx):
            score += _CONTEXT_BONUS * max(0.0, 1 - min(distances) / _CONTEXT_REACH_KM)
        if place.country in self.focus_countries:
            score += _FOCUS_BONUS
        match = MATCH_NAME[hit.rank] if tier == "exact" else tier
        if factor < 1.0:
            match = "base"
        return Scored(place, hit, match, score, precision, rank)

    # -- building answers ------------------------------------------------------------

    def _relative(self, parsed: ParsedQuery, anchor: Scored) -> Candidate:
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
        candidate = candidate_for(parsed.text, place, anchor.score * 0.95, anchor.tier,
                                  anchor.hit.matched, precision, relation=rel.phrase,
                                  anchor=place.name)
        return replace(candidate, lat=lat, lon=lon, radius_km=radius,
                       name=f"{rel.phrase} {place.name}", feature_type="relative")


def _as_district(c: Candidate) -> Candidate:
    """A town answering for a larger unit named after it ("Sudzha district" where the
    gazetteer has no such raion, "the Pokrovsk area") is an area as wide as such a
    district around it, not the town's few kilometres."""
    if c.precision == GeoPrecision.NEAR and c.radius_km < NAMED_DISTRICT_RADIUS_KM and \
            c.feature_type != SETTLEMENT_TYPE:  # (a village placed at its hromada has that extent)
        return replace(c, radius_km=NAMED_DISTRICT_RADIUS_KM)
    return c

"""The bounds a caller states for a place name, and whether a place lies inside them.

Countries and provinces (given as arguments or as the "town, province, country" parts of
the query, misspellings repaired) are constraints: no answer outside them is returned.
A district or nearby town named as a hint, the other places of the same text and feature
words ("port") are preferences. The stated units are also what an unknown name falls
back to (see trust).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
from rapidfuzz.distance import DamerauLevenshtein

from geodata.places.added import SECTION_TYPE
from geodata.places.build import FUZZY_MIN_LEN, KINDS
from geodata.places.candidate import Scored, haversine_km
from geodata.places.features import (NAMED_DISTRICT_RADIUS_KM, REGION, district_stem, family_of_word, split_feature,
                                     stem_spells)
from geodata.places.gazetteer import Gazetteer, Hit, Place
from geodata.places.normalize import loose_key, name_key
from geodata.places.query import ParsedQuery, QueryError, parse_query, validate
from geodata.places.sources import ADMIN1_TYPE, NameRank, us_state_abbreviations

# A province hint is repaired towards a region name at least this alike (normalised
# Damerau-Levenshtein): two edits in eight letters ("Belograd", "Dagastan").
REGION_SIMILARITY = 0.75
# A place named only as a district or town hint ("X, Rechytsa district, Belarus") is an
# area this wide around that town: about the size of a Ukrainian or Belarusian raion.
DISTRICT_RADIUS_KM = 30.0
# Regions that are cities inside a larger region (Kyiv in Kyiv Oblast, Sevastopol in
# Crimea, Moscow in Moscow Oblast): their places count as inside the surrounding one.
CITY_REGION_TYPES = frozenset({"city", "federal_city", "special_city", "metropolitan_city",
                                "special_self_governing_city"})



class Context:
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


class BoundsMixin:
    """The geocoder's reading of stated bounds. Needs from the geocoder: ``gazetteer``,
    its country table (``_countries``, ``_iso3``) and ``_rank`` (to read a hint or a
    context name as a place)."""

    gazetteer: Gazetteer
    _countries: dict[str, dict]
    _iso3: dict[str, str]
    _rank: Callable[..., list[Scored]]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._context_cache: dict[str, Place | None] = {}  # see _read_context
        self._region_keys: list[tuple[str, int, str]] | None = None  # see _similar_regions
        self._city_of: dict[int, Place | None] = {}  # see _part_of_city

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

    def _stated_bounds(self, parsed: ParsedQuery, country: str | Sequence[str] | None,
                       admin1: str | Sequence[str] | None, context: Iterable[str]) -> Context:
        """Everything the caller states besides the name: ``country`` and ``admin1``
        arguments (QueryError for an unknown one), the context names and words, then
        the query's own hints."""
        codes = [country] if isinstance(country, str) else list(country or [])
        ctx = Context(frozenset(self.country_code(c) for c in codes))
        for name in [admin1] if isinstance(admin1, str) else list(admin1 or []):
            rows = self.region_rows(validate(name, "province"), ctx.countries)
            if not rows:
                where = f" in {', '.join(sorted(ctx.countries))}" if ctx.countries else ""
                raise QueryError(f"unknown province {name!r}{where}")
            self._add_regions(ctx, rows)
        self._read_context(ctx, context)
        self._read_hints(ctx, parsed.hints)
        return ctx

    def _best(self, name: str, ctx: Context | None = None) -> Place | None:
        """The best place for a context name, or None (an unusable name is no context)."""
        try:
            scored = self._rank(parse_query(name).name, ctx or Context())
        except QueryError:
            return None
        return scored[0].place if scored else None

    def _read_context(self, ctx: Context, context: Iterable[str]) -> None:
        """The caller's context: feature words set the wanted family, other names add
        the place they name as a nearby point (preferences, never constraints)."""
        for text in context:
            family = family_of_word(name_key(text)) if isinstance(text, str) else None
            if family:
                ctx.family = ctx.family or family
                continue
            if text not in self._context_cache:  # a report resolves the same names many times
                self._context_cache[text] = self._best(text)
            if (place := self._context_cache[text]) is not None:
                ctx.points.append(place)

    def _read_hints(self, ctx: Context, hints: Sequence[str]) -> None:
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

    def _district_town(self, text: str, ctx: Context) -> Place | None:
        """The town a district is named after, inside the stated province: "Oleshkivskyi
        raion" -> Oleshky. Only with a district word and a province to search (a bare
        adjective is as often a village's own name), the most populous town whose name
        the adjective's stem spells, give or take the letters Slavic endings change."""
        stem = district_stem(name_key(text))
        if stem is None or not ctx.region_rows:
            return None
        g = self.gazetteer
        rows = np.flatnonzero(np.isin(g.region, list(ctx.region_rows))
                              & (g.kind == KINDS.index("place")))
        best: Place | None = None
        for row in rows.tolist():
            if stem_spells(stem, loose_key(g.names[row])):
                place = g.place(row)
                if best is None or place.population > best.population:
                    best = place
        return best

    def _add_regions(self, ctx: Context, rows: list[int]) -> None:
        """Stated provinces: constraints and the most specific units (the fallback);
        their countries bound the name too when no country was stated."""
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
        if (state := us_state_abbreviations().get(text.strip())) and (not countries or "US" in countries):
            text, countries = state, frozenset({"US"})  # "Columbia, S.C."
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
        if not countries:  # a repair across the world only towards the curated regions, whose
            # spellings we know: "Atlantis Oblast" is no misspelling of Colombia's Atlántico
            hits = [h for h in hits if g.place(h.row).type != ADMIN1_TYPE]
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

    def _inside(self, place: Place, ctx: Context) -> bool:
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


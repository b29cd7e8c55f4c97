"""When an answer is a pin, and when it is not: the trust rules over ranked places.

A town-level winner is returned as a point only when nothing inside the stated bounds
makes it doubtful: rivals as likely and far apart, a name too common in its country,
a name after a person too weakly matched, or a region's name whose capital is called
otherwise. Then the answer is "ambiguous": an area holding the places it could be, with
them as its alternatives. A name unknown inside bounds that are known falls back to the
most specific stated unit. The score a caller sees says how far to trust the point.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from geodata.places.bounds import CITY_REGION_TYPES, Context
from geodata.places.build import centroid
from geodata.places.candidate import (MATCH_NAME, Candidate, GeoPrecision, Scored, candidate_for,
                                      haversine_km, precision_of)
from geodata.places.features import split_feature
from geodata.places.gazetteer import Gazetteer, Place
from geodata.places.normalize import loose_key, name_key
from geodata.places.query import ParsedQuery
from geodata.places.sources import APPROXIMATE_TYPES, SETTLEMENT_TYPE, NameRank

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
# A place named in the same text this near a namesake backs that namesake (see _support)
CONTEXT_NEAR_KM = 50.0
# cities500 lists villages of 500 people or more: a village whose name at least this many
# listed places of its country share (Ivanivka, Serhiivka) most likely has unlisted
# namesakes too, so its name alone does not pin it. Chosen on the development part.
COMMON_NAME_PLACES = 5
VILLAGE_POPULATION = 5_000
# A village named after a person ("Imeni Chkalova", "im. Telmana", and its short form
# "Chkalova"): such names repeat across the country, many of them too small to be listed.
_NAMED_AFTER = re.compile(r"^(?:imeni|im) (?P<person>.+)$")


def _village_level(s: Scored) -> bool:
    """A town-level answer, or a village known to its hromada (katottg.py): both name one
    settlement, so namesakes of either kind rival each other."""
    return s.precision == GeoPrecision.TOWN or s.place.type == SETTLEMENT_TYPE


def _how(s: Scored) -> tuple[str, NameRank]:
    """How a name matched, for comparing rivals: the lookup tier (exact, transliteration,
    fuzzy, base) and how strongly the matched name belongs to the place."""
    tier = "exact" if s.tier in MATCH_NAME.values() and s.tier != "base" else s.tier
    return tier, s.rank


# What the reported score gives up for weaker evidence, so that it says how far to trust
# a point (the bench prints the share within 25 km above each score on the development
# rows): a repaired spelling, and bounds that leave more namesakes possible.
_TIER_TRUST = {"transliteration": 0.95, "translation": 0.95, "fuzzy": 0.9, "base": 0.9}
_BOUNDS_TRUST = {"province": 1.0, "country": 0.95, "none": 0.9}


def _confidence(s: Scored, ctx: Context) -> float:
    """The score a caller sees: the ranking score (capped at 1) times the trust of how
    the name matched and of how tightly the caller bounded it. Ranking is unchanged."""
    bounds = "province" if ctx.region_rows else "country" if ctx.countries else "none"
    return min(1.0, s.score) * _TIER_TRUST.get(s.tier, 1.0) * _BOUNDS_TRUST[bounds]


def _area_around(places: list[Place], names: list[str]) -> Place:
    """An area holding ``places`` that no gazetteer unit holds: centred on the spherical
    mean of their points (right across the antimeridian too), reaching the farthest of
    their extents."""
    lat, lon, _ = centroid(np.array([p.lat for p in places]), np.array([p.lon for p in places]))
    radius = max(haversine_km(lat, lon, p.lat, p.lon) + p.radius_km for p in places)
    top = places[0]
    return replace(top, row=-1, id="area:" + "+".join(dict.fromkeys(p.country for p in places)),
                   name=" or ".join(names), kind="country", type="area", admin1=None, admin1_code="",
                   lat=lat, lon=lon, population=0, radius_km=radius,
                   coords_source="derived: the middle of the places the name may mean")


class TrustMixin:
    """The geocoder's trust rules. Needs from the geocoder: ``gazetteer`` and the
    inside-the-bounds check (``_inside``, see bounds)."""

    gazetteer: Gazetteer
    focus_countries: frozenset[str]
    _inside: Callable[[Place, Context], bool]
    _context_km: Callable[[Place, Context], list[float]]

    def _answers(self, parsed: ParsedQuery, scored: list[Scored], ctx: Context,
                 limit: int) -> list[Candidate]:
        """The ranked answers; the first is "ambiguous" (an area holding the rivals, not
        a pin) when a town-level winner does not clearly win."""
        scored = self._beside_context(scored, ctx)
        found = [candidate_for(parsed.text, s.place, _confidence(s, ctx), s.tier,
                               s.hit.matched, s.precision) for s in scored[:limit]]
        key = name_key(parsed.name)
        rivals = (self._rivals(scored, ctx) or self._region_namesakes(scored, key, ctx)
                  or self._areas_alike(scored))
        area: Place | None = None
        if not rivals:
            named_after = self._weak_named_after(scored[0] if scored else None, key, ctx)
            if not named_after and not self._common_name(scored[0] if scored else None, key, ctx):
                return found
            # the listed namesakes inside the bounds, however unlike: the analyst's choices
            rivals = [s for s in scored[1:] if s.place.kind == scored[0].place.kind and _village_level(s)]
            if named_after:  # unlisted namesakes may lie anywhere inside the bounds
                area = self._bounds_unit(ctx, [s.place for s in (scored[0], *rivals)])
        alternatives = tuple(candidate_for(parsed.text, s.place, _confidence(s, ctx), s.tier,
                                           s.hit.matched, s.precision, status="alternative")
                             for s in [scored[0], *rivals])
        area = area or self._common_unit([s.place for s in (scored[0], *rivals)], ctx)
        top = scored[0]
        answer = candidate_for(parsed.text, area, _confidence(top, ctx), top.tier, top.hit.matched,
                               precision_of(area), status="ambiguous", alternatives=alternatives)
        return [answer, *alternatives][:limit]

    def _rivals(self, scored: list[Scored], ctx: Context) -> list[Scored]:
        """Town-level namesakes as likely as the town-level winner and far from it:
        matched the same way (a port named by its base name does not rival a cosmodrome
        named in full), so that only size and context tell them apart. A namesake that
        none of the places named with it lies by (_support) does not rival one that some do."""
        if not scored or not _village_level(scored[0]):
            return []
        first = scored[0]
        top = first.place
        if top.population >= AMBIGUITY_MAX_POPULATION:
            return []
        backed = self._support(top, ctx) > 0
        rivals = []
        for s in scored[1:]:
            if s.score < first.score - AMBIGUITY_MARGIN:
                continue
            if (not _village_level(s) or s.place.kind != top.kind
                    or _how(s) != _how(first)) or backed and not self._support(s.place, ctx):
                continue
            apart = haversine_km(top.lat, top.lon, s.place.lat, s.place.lon)
            if apart > max(AMBIGUITY_MIN_KM, top.radius_km + s.place.radius_km):
                rivals.append(s)
        return rivals

    def _support(self, place: Place, ctx: Context) -> int:
        """How many of the places named with a name lie by this namesake of it."""
        return sum(km <= CONTEXT_NEAR_KM for km in self._context_km(place, ctx))

    def _beside_context(self, scored: list[Scored], ctx: Context) -> list[Scored]:
        """``scored`` with the village-level namesakes that more of the places named with
        it lie by (_support) first, when the winner is a small town: "Solone" named with
        Pokrovsk, Udachne and Zvirove is a village by them, not a town 170 km away that
        only one of the names is near. Context agreement, not size, tells small places apart."""
        if len(scored) < 2 or not _village_level(scored[0]) or \
                scored[0].place.population >= AMBIGUITY_MAX_POPULATION or not ctx.points:
            return scored
        first = scored[0]
        alike = [s for s in scored if _village_level(s) and s.place.kind == first.place.kind
                 and _how(s) == _how(first)]
        support = {id(s): self._support(s.place, ctx) for s in alike}
        most = max(support.values())
        if most <= support[id(first)]:
            return scored
        best = sorted((s for s in alike if support[id(s)] == most),  # the nearest middle first
                      key=lambda s: sum(haversine_km(p.lat, p.lon, s.place.lat, s.place.lon) for p in ctx.points))
        return [*best, *[s for s in scored if all(s is not b for b in best)]]

    @staticmethod
    def _areas_alike(scored: list[Scored]) -> list[Scored]:
        """Areas of the winner's name and level as likely as an area-level winner, matched
        the same way and at least a tenth its size, as AMBIGUITY_MARGIN asks of towns:
        first-level regions of other countries ("Punjab": India's and Pakistan's; not
        Uruguay's Florida beside the US state) and second-level divisions apart from it
        ("Jackson County": one in each of 24 states). No country or province decides."""
        if not scored or scored[0].place.kind not in ("region", "district") \
                or scored[0].precision != GeoPrecision.REGION:
            return []
        first = scored[0]
        top = first.place

        def alike(s: Scored) -> bool:
            if s.place.kind != top.kind or s.score < first.score - AMBIGUITY_MARGIN or _how(s) != _how(first) \
                    or s.place.population * 10 < top.population:
                return False
            if top.kind == "region":
                return s.place.country != top.country
            return haversine_km(top.lat, top.lon, s.place.lat, s.place.lon) > top.radius_km + s.place.radius_km
        return [s for s in scored[1:] if alike(s)]

    def _common_name(self, top: Scored | None, key: str, ctx: Context) -> bool:
        """A name too common in the answer's country to pin from the name alone: a small
        village's, or the asked name when the answer bears it only as another name
        (a "Mykolaivka" found as the former name of a differently named town). Where
        the index lists every settlement of the country (Ukraine: katottg.py) and a
        province bounds the name, it is common only when another place of the
        province bears it."""
        if top is None or top.place.kind != "place" or not (
                _village_level(top) or top.place.type in APPROXIMATE_TYPES):
            return False
        by_other_name = top.rank == NameRank.ALTERNATE
        if top.place.population >= VILLAGE_POPULATION and not by_other_name:
            return False
        g = self.gazetteer
        names = {name_key(top.place.name), key} if by_other_name else {name_key(top.place.name)}
        if ctx.region_rows and top.place.country in g.complete_countries:
            # every settlement of the province is listed, however it is romanised
            inside = {h.row for n in names for h in g.loose(n)
                      if g.place(h.row).kind == "place" and self._inside(g.place(h.row), ctx)}
            return len(inside) > 1
        namesakes = {h.row for n in names for h in g.exact(n)
                     if g.place(h.row).kind == "place" and g.place(h.row).country == top.place.country
                     and g.place(h.row).type not in APPROXIMATE_TYPES}  # (as cities500 lists them)
        return len(namesakes) >= COMMON_NAME_PLACES

    def _region_namesakes(self, scored: list[Scored], key: str, ctx: Context) -> list[Scored]:
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
        # a town outside the focus countries known by the name only in another language
        # (Auriol, "Oryol") is no rival; a former Soviet name (Dovzhansk, "Sverdlovsk") is
        towns = [s for s in towns if s.place.country in self.focus_countries or s.rank != NameRank.ALTERNATE]
        inside = {int(g.region[s.place.row]) in regions for s in towns}
        if inside != {True, False}:
            return []
        return [s for s in towns if s is not scored[0]]

    def _weak_named_after(self, top: Scored | None, key: str, ctx: Context) -> bool:
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

    def _bounds_unit(self, ctx: Context, places: list[Place]) -> Place:
        """The most specific stated unit (province, then country), else the unit holding
        ``places``: where unlisted namesakes of a name may lie."""
        if ctx.units:
            return ctx.units[0]
        if len(ctx.countries) == 1 and (row := self.gazetteer.row_of(f"country:{next(iter(ctx.countries))}")) is not None:
            return self.gazetteer.place(row)
        return self._common_unit(places, ctx)

    def _common_unit(self, places: list[Place], ctx: Context) -> Place:
        """The smallest unit holding all ``places``: their region, else their country,
        else the most specific stated unit, else an area around them all named by their
        countries ("India or Pakistan" for "Punjab": neither country holds both)."""
        g = self.gazetteer
        regions = {int(g.region[p.row]) for p in places}
        if len(regions) == 1 and (region := regions.pop()) >= 0:
            return g.place(region)
        countries = list(dict.fromkeys(p.country for p in places))
        if len(countries) > 1 and ctx.units:
            return ctx.units[0]
        units = [g.place(row) for code in countries if (row := g.row_of(f"country:{code}")) is not None]
        if len(units) == 1:
            return units[0]
        return _area_around(places, [u.name for u in units] or countries)

    def _fallback(self, parsed: ParsedQuery, ctx: Context) -> list[Candidate]:
        """The name is unknown inside its constraints but they are not: answer with the
        most specific stated unit, at that unit's precision, marked as a fallback."""
        g = self.gazetteer
        if ctx.stated_places:  # "Zheleznodorozhny Rayon, Rostov-on-Don": around the town
            place = ctx.stated_places[0]
            found = candidate_for(parsed.text, place, 0.5, "fallback", name_key(parsed.name),
                                  GeoPrecision.NEAR, status="fallback")
            return [replace(found, radius_km=max(place.radius_km, ctx.stated_radius_km))]
        units = ctx.units or [g.place(row) for c in sorted(ctx.countries)
                              if (row := g.row_of(f"country:{c}")) is not None]
        if not units:
            return []
        place = units[0]
        return [candidate_for(parsed.text, place, 0.5, "fallback", name_key(parsed.name),
                              precision_of(place), status="fallback")]

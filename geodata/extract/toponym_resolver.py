"""Placing a report's toponyms: each name resolved once against the gazetteer with the
whole report as context, then held to what the text states around it.

The finder (geodata.extract.toponyms) says which words are place names; this stage says
where they are: the names around a mention's first occurrence and its sentence's feature
cue ("ships" for a port, "launch pad" for a cosmodrome) are the context of its one
answer; a province or country stated after a name is a constraint on it ("Pokrovsk,
Donetsk region"); a former name is the same place; a small town far from everything
else the report names is left unplaced rather than pinned on a namesake.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import replace
from functools import lru_cache

from rapidfuzz.fuzz import ratio

from geodata.extract.place_mention import LIST_GAP, PlaceMention, former_name
from geodata.extract.toponyms import CITY_DISTRICT
from geodata.extract.text import fold
from geodata.places.geocoder import AMBIGUITY_MAX_POPULATION, Candidate, GeoPrecision, OfflineGeocoder, haversine_km
from geodata.places.query import QueryError
from geodata.places.bounds import CITY_REGION_TYPES
from geodata.places.normalize import name_key
from geodata.places.words import english_words
from geodata.places.sources import DISTRICT_TYPE

# "Pokrovsk, Donetsk region", "Plekhovo ... in the Kursk region": the larger place after a name
# (past list items the gazetteer does not know: "Plekhovo, Vorozhba, Martynovka in the Kursk region")
_CONTAINER_GAP = re.compile(r"(?:(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)[A-Z][\w'’-]*)*"
                            r"(?:,\s*|\s+in\s+(?:the\s+)?|\s+\()")
_CONTEXT_MENTIONS = 12  # mentions either side whose names are context for a name
_RESOLVED_MAX = 50_000  # remembered (name, context) answers per finder
# A town this far from the extent of every other place of its report, in a country none of
# them lies in, is a stray (see _unpin_strays); chosen on the development parts.
STRAY_KM = 1000.0
STRAY_MIN_OTHERS = 2


class ToponymResolver:
    """Resolves a report's mentions in place; one per gazetteer (remembers answers per name
    and context)."""

    def __init__(self, geocoder: OfflineGeocoder):
        self.geocoder = geocoder
        # (name, context, country, admin1) -> best candidate: the geocoder's answer depends on
        # nothing else, so reports that repeat a name among the same neighbours rank it once
        self._resolved: OrderedDict[tuple, Candidate | None] = OrderedDict()

    def resolve(self, text: str, mentions: list[PlaceMention], sentences: list[tuple[int, int]]) -> None:
        """Each distinct name (with its sentence's feature cue) once, with the names around
        its first mention as context: a long text about many reports gets the places of
        its own story, not those of the first forty names (and ranking stays cheap)."""
        keys = [m.key for m in mentions]
        cache: dict[tuple[str, str | None], Candidate | None] = {}
        starts = [a for a, _ in sentences]
        uncued: list[PlaceMention] = []
        for j, mention in enumerate(mentions):
            if mention.qualifier:
                continue  # placed where it was found
            i = max(0, bisect_right(starts, mention.start) - 1)
            cue = feature_cue(text[sentences[i][0]:sentences[i][1]], mention.start - sentences[i][0]) \
                if sentences else None
            key = (mention.key, cue)
            if key not in cache:
                near = keys[max(0, j - _CONTEXT_MENTIONS):j + _CONTEXT_MENTIONS]
                context = [n for n in dict.fromkeys(near) if n != mention.key] + ([cue] if cue else [])
                cache[key] = self.best(mention.key, tuple(context))
            mention.candidate = cache[key]
            if cue is None:
                uncued.append(mention)
        # one sense per report: a name its sentence gives no cue for is what the report's cued
        # mentions of it all are ("tankers loaded at Vostochny ... The direct route from
        # Vostochny is faster": the port, not the cosmodrome a bare name is taken for)
        cued: dict[str, dict[str, Candidate]] = {}
        for (name, cue), candidate in cache.items():
            if cue is not None and candidate is not None:
                cued.setdefault(name, {})[candidate.id] = candidate
        for mention in uncued:
            senses = list(cued.get(mention.key, {}).values())
            if len(senses) == 1 and mention.candidate is not None:
                mention.candidate = senses[0]
        self._constrain(text, mentions)
        for a, b in zip(mentions, mentions[1:]):
            if former_name(text, a, b):
                b.candidate = a.candidate  # an earlier name of the same place, not a namesake
        _unpin_strays(mentions)
        _unpin_city_districts(text, mentions, self.geocoder)
        _place_in_named_cities(text, mentions, self.geocoder)
        _unpin_foreign_respellings(text, mentions)
        # a district the gazetteer does not know and no city of its text holds is no place
        mentions[:] = [m for m in mentions if m.candidate is not None or not CITY_DISTRICT.match(m.key)
                       or self.best(m.key, ()) is not None]

    def _constrain(self, text: str, mentions: list[PlaceMention]) -> None:
        """A name followed by its province or country ("Pokrovsk, Donetsk region", "the
        villages of A, B and C in the Kursk region") is resolved inside it: the stated
        larger place is a constraint, not a preference."""
        container: PlaceMention | None = None
        placed: dict[str, Candidate] = {}
        for here, after in reversed(list(zip(mentions, mentions[1:]))):
            c = after.candidate
            if c is not None and c.precision >= 3 and not after.relation and \
                    _CONTAINER_GAP.fullmatch(text, here.end, after.start):
                container = after
            elif container is None or not LIST_GAP.fullmatch(text, here.end, after.start):
                container = None
            if container is None or here.candidate is not None and here.candidate.precision >= 3 \
                    and here.candidate.feature_type != DISTRICT_TYPE and here.candidate.status != "ambiguous":
                continue  # nothing stated around it, or itself a province or country (a county lies in one)
            outer = container.candidate
            inside = here.candidate is not None and here.candidate.country == outer.country and (
                outer.precision == 4 or here.candidate.admin1 == outer.admin1)
            if not inside:
                here.candidate = self.best(here.key, (), outer.country,
                                           outer.name if outer.precision == 3 else None) or here.candidate
                placed[here.key] = here.candidate
        for m in mentions:  # one place per name in a report: its other mentions are inside too
            if m.key in placed and m.candidate is not None and m.candidate.precision < 3:
                m.candidate = placed[m.key]

    def best(self, name: str, context: tuple[str, ...], country: str | None = None,
             admin1: str | None = None) -> Candidate | None:
        """The geocoder's best candidate for a name in a context (and inside a country or
        province when the text states one), remembered (bounded)."""
        key = (name, context, country, admin1)
        if key in self._resolved:
            self._resolved.move_to_end(key)
            return self._resolved[key]
        try:
            found = self.geocoder.candidates(name, context=list(context), country=country, admin1=admin1, limit=1)
        except QueryError:  # a province the geocoder does not take as one: no answer inside it
            found = []
        self._resolved[key] = best = found[0] if found else None
        if len(self._resolved) > _RESOLVED_MAX:
            self._resolved.popitem(last=False)
        return best


def _unpin_strays(mentions: list[PlaceMention]) -> None:
    """A town far from every other place a report names, in a country no other of its
    places lies in, is most likely a namesake of a place the gazetteer lacks ("Haram
    district" in a story from Cairo is no Norwegian village): no pin rather than a wrong
    one. A city a text means by its name anywhere (AMBIGUITY_MAX_POPULATION) stays, and
    a report needs STRAY_MIN_OTHERS other places to say where it is."""
    places = {m.candidate.id: m.candidate for m in mentions if m.candidate is not None and not m.implied}
    strays = set()
    for c in places.values():
        if c.precision > GeoPrecision.NEAR or c.population >= AMBIGUITY_MAX_POPULATION:
            continue
        others = [o for o in places.values() if o.id != c.id]
        if len(others) >= STRAY_MIN_OTHERS and all(o.country != c.country for o in others) and \
                all(haversine_km(c.lat, c.lon, o.lat, o.lon) - o.radius_km > STRAY_KM for o in others):
            strays.add(c.id)
    for m in mentions:
        if m.candidate is not None and m.candidate.id in strays:
            m.candidate = None


def _unpin_foreign_respellings(text: str, mentions: list[PlaceMention]) -> None:
    """A village found only by another name (a GeoNames alternate: "Plekhovo" is a Russian
    spelling of Plekhiv, Poltava Oblast) in a country other than that of the region the
    paragraph last named ("... in the Kursk region") is most likely a village the gazetteer
    lacks in that region: no pin rather than one across the border."""
    region: PlaceMention | None = None
    for m in mentions:
        c = m.candidate
        if region is not None and "\n\n" in text[region.end:m.start]:
            region = None  # a new paragraph
        if c is not None and c.precision == GeoPrecision.REGION and not m.implied:
            region = m
        elif c is not None and region is not None and c.precision == GeoPrecision.TOWN and c.match == "alternate" \
                and c.population < AMBIGUITY_MAX_POPULATION and c.country != region.candidate.country:
            m.candidate = None


_DISTRICT_WORD = re.compile(r"\s+district\b", re.I)
# a city's district this far from every town its report names is another city's namesake
CITY_DISTRICT_KM = 30.0
_CITY_POPULATION = 100_000  # a city this large has districts of its own
_SECTION_REACH_KM = 10.0     # a district's point lies this near its city's extent


def _unpin_city_districts(text: str, mentions: list[PlaceMention], geocoder: OfflineGeocoder) -> None:
    """"The Kyivskyi district" that the gazetteer knows as a section of a city is placed
    only near a town its report names: cities share their districts' names (Kyivskyi,
    Shevchenkivskyi, Industrialnyi) and the gazetteer lists only some of them, so in a
    story about Kharkiv it is no pin in Donetsk. A city named as its own region ("Kyiv
    City") counts as a town. (A raion named after its town,
    "Ostrogozhsky district", is no city's section.)"""
    districts = [m for m in mentions if m.candidate is not None and m.candidate.precision <= GeoPrecision.NEAR
                 and m.candidate.feature_type != DISTRICT_TYPE
                 and (_DISTRICT_WORD.search(m.text) or _DISTRICT_WORD.match(text, m.end)
                      or _DISTRICT_WORD.search(m.key))]  # "the Kyivskyi and Saltivskyi districts"
    if not districts:
        return
    towns = [m.candidate for m in mentions if m.candidate is not None and m not in districts and (
        m.candidate.precision == GeoPrecision.TOWN or m.candidate.feature_type in CITY_REGION_TYPES)]  # "Kyiv City"
    for m in districts:
        c = m.candidate
        if not _city_section(c, geocoder):
            continue
        if not any(t.id != c.id and haversine_km(c.lat, c.lon, t.lat, t.lon) <= CITY_DISTRICT_KM + t.radius_km
                   for t in towns):
            m.candidate = None


def _city_section(c: Candidate, geocoder: OfflineGeocoder) -> bool:
    """Whether a place lies within a larger city's extent (a section of it)."""
    g = geocoder.gazetteer
    cities = g.towns_over(_CITY_POPULATION)
    cities = cities[g.population[cities] > c.population]
    return bool((g.distances_km(c.lat, c.lon, cities) <= g.radius_km[cities] + _SECTION_REACH_KM).any())


def _place_in_named_cities(text: str, mentions: list[PlaceMention], geocoder: OfflineGeocoder) -> None:
    """A city's district left unplaced (one the gazetteer lacks, "Darnytskyi district", or
    whose namesake _unpin_city_districts took away, "Kyivskyi") lies inside the city the
    text ties it to, "Dnipro's Sobornyi district", "the Darnytskyi district of Kyiv", when
    that city has METROPOLIS_POPULATION: it is placed as an area, the city's extent, never
    at a point of its own. Not a name told beside a city without a tie ("Moscow said ...
    the Bohodukhivskyi district"), nor tied to a smaller city ("Belgorod's Shebekinsky
    district"), nor a raion named after a town near the city ("Kharkiv's Bohodukhivskyi
    district": Bohodukhiv, 55 km out), nor a common word ("the Republican district"): there
    a district is mostly the rural raion or no place, and no pin beats a wrong one. Tied to
    a city, it is no namesake in another province or beyond RAION_REACH_KM of it ("Cairo's
    Haram district" is no Norwegian village, "the Sovetsky district of Voronezh" no raion of
    the Kursk region), placed or not."""
    cities = [m for m in mentions if m.candidate is not None and not m.implied and (
        m.candidate.precision == GeoPrecision.TOWN and m.candidate.population >= METROPOLIS_POPULATION
        or m.candidate.feature_type in CITY_REGION_TYPES)]
    for m in mentions:
        if not CITY_DISTRICT.match(m.key):
            continue
        tied = [c.candidate for c in cities if c.end <= m.start and _CITYS.fullmatch(text, c.end, m.start)
                or m.end <= c.start and _OF_CITY.fullmatch(text, m.end, c.start)]
        if tied and m.candidate is not None and (m.candidate.admin1 != tied[0].admin1 or haversine_km(
                m.candidate.lat, m.candidate.lon, tied[0].lat, tied[0].lon) > RAION_REACH_KM):
            m.candidate = None  # "Beijing's Chaoyang district" is no Chaoyang in Liaoning
        if m.candidate is not None and (m.candidate.precision > GeoPrecision.NEAR
                                        or not _city_section(m.candidate, geocoder)):
            continue  # placed, and no city's section ("Sudzha district")
        name = m.key.rsplit(" ", 1)[0]
        if not tied or name.lower() in english_words() or _named_after_nearby_town(name, tied[0], geocoder):
            continue
        city = tied[0]
        if m.candidate is None or haversine_km(m.candidate.lat, m.candidate.lon, city.lat, city.lon) > \
                city.radius_km + _SECTION_REACH_KM:  # another city's namesake district
            m.candidate = replace(city, query=m.key, name=f"{m.key}, {city.name}", precision=GeoPrecision.NEAR,
                                  relation="in", anchor=city.name, feature_type="city_district")


def _named_after_nearby_town(name: str, city: Candidate, geocoder: OfflineGeocoder) -> bool:
    """Whether a district's name is the adjective of a town outside the city and within
    RAION_REACH_KM of it ("Bohodukhivskyi": Bohodukhiv; "Sudzhansky": Sudzha; "Lozivskyi":
    Lozova; "Bilotserkivskyi": Bila Tserkva), or of the city itself ("Kharkivskyi"): a raion
    of the province around the city, not a section of it. The stem need only begin as the
    town's name does and be alike its start (spellings differ), so a city district named
    like a town near the city (Moscow's Tverskoy: Tver) is taken for a raion too: left
    unplaced, the safe side of the doubt."""
    found = _ADJECTIVE.match(name)
    if found is None:
        return False
    stem = _letters(found.group(1))
    towns = (_letters(city.name), *_towns_around(geocoder, city.lat, city.lon, city.radius_km))
    return any(town[:2] == stem[:2] and ratio(stem, town[:len(stem) + 1]) >= _STEM_LIKENESS for town in towns)


@lru_cache(maxsize=64)
def _towns_around(geocoder: OfflineGeocoder, lat: float, lon: float, radius_km: float) -> tuple[str, ...]:
    """The name keys of the towns of RAION_TOWN_POPULATION outside a city's extent and
    within RAION_REACH_KM of it (remembered: a report names one city's districts again and
    again)."""
    g = geocoder.gazetteer
    towns = g.towns_over(RAION_TOWN_POPULATION)
    km = g.distances_km(lat, lon, towns)
    return tuple(_letters(g.names[int(r)])
                 for r in towns[(km <= RAION_REACH_KM) & (km > radius_km)])


METROPOLIS_POPULATION = 500_000  # a city of this size has districts a report names (Kharkiv, Dnipro, Kyiv)
RAION_REACH_KM = 250.0  # the raions around an oblast's capital are named after towns this near it
RAION_TOWN_POPULATION = 2_000  # a raion's town has this many people (Sudzha 6,900); hamlets name no raion
# "Bohodukhivskyi", "Shebekinsky", "Kryvorizkyi", "Dinskoy": a stem and the adjective's ending
_ADJECTIVE = re.compile(r"(.{3,}?)['’]?k(?:yi|iy|ii|yy|y|i|ij|oy|oi|aya)$")
_NOT_LETTER = re.compile(r"[^a-z]")


def _letters(name: str) -> str:
    """A name's letters only, folded: "Bila Tserkva" and "Bilotserkivskyi" compared letter by letter."""
    return _NOT_LETTER.sub("", name_key(name))


_STEM_LIKENESS = 70  # how alike (0-100) a stem and the start of a town's name are: Loziv- and Lozova 73
_CITYS = re.compile(r"['’]s\s+(?:the\s+)?")   # "Dnipro's Sobornyi district"
_OF_CITY = re.compile(r"\s+(?:of|in)\s+(?:the\s+(?:city\s+of\s+)?)?")  # "the Darnytskyi district of Kyiv"


# "satellite images" are about imagery, not a launch site
_CUES = (("cosmodrome", r"cosmodrome|spaceport|space (?:centre|center|launch)|launch pad|rocket|"
                        r"satellite(?!\s+(?:images?|imagery|photos?|pictures?|data|analysts?|analysis|photographs?))"),
         ("port", r"\bports?\b|harbou?r|\bships?\b|vessel|cargo|\bdocks?\b|freighter|tankers?\b|\bby sea\b|"
                  r"\bsail(?:ed|ing|s)?\b|\bshipp(?:ed|ing)\b|\bpiers?\b|\bquays?(?:side)?\b|\bwharf|\bberth|"
                  r"\bjett(?:y|ies)\b"),
         ("crossing", r"\brail|\btrains?\b|railway|border crossing"))


# substrings without which each cue's pattern cannot match: most sentences skip the search
_CUE_STEMS = {"cosmodrome": ("cosmodrome", "spaceport", "space ", "launch pad", "rocket", "satellite"),
              "port": ("port", "harbo", "ship", "vessel", "cargo", "dock", "freighter", "tanker", "by sea", "sail", "pier",
                       "quay", "wharf", "berth", "jett"),
              "crossing": ("rail", "train", "border crossing")}
_CUE_PATTERNS = {word: re.compile(pattern, re.I) for word, pattern in _CUES}


def feature_cues(sentence: str) -> list[str]:
    """The feature words the sentence's words suggest, in the order of _CUES."""
    low = fold(sentence)
    return [word for word, pattern in _CUE_PATTERNS.items()
            if any(stem in low for stem in _CUE_STEMS[word]) and pattern.search(sentence)]


def feature_cue(sentence: str, at: int = 0) -> str | None:
    """A feature word for the geocoder from the sentence: tells the Vostochny port
    ("ships", "cargo") from the Vostochny cosmodrome ("launch pad", "satellite"). Of two,
    the one told nearest the name at ``at``: "The first tanker arrived at Vostochny ...
    months after Kim and Putin met at the Vostochny Cosmodrome" is the port."""
    found = feature_cues(sentence)
    if len(found) < 2:
        return next(iter(found), None)
    return min(found, key=lambda word: min(abs(m.start() - at) for m in _CUE_PATTERNS[word].finditer(sentence)))

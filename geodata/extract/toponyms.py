"""Place names in running text: found with the gazetteer and filtered by context (where
they are is decided in geodata.extract.toponym_resolver).

Candidates are runs of capitalised words (plus a trailing feature word: "Kursk region",
"Vostochny port", "Tumangang–Khasan rail crossing"), and all-caps datelines ("SEOUL —").
The longest run that names a place wins. What only looks like a place is dropped:
people (a given name or a title before them), organisations (a run with "Institute",
"Network", "News" ...), demonyms ("Russian"), and common words that are also village
names unless a preposition says they are a place; the entity model reads the sentences
of the names the gazetteer alone cannot vouch for.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from geodata import systems
from geodata.errors import GeodataError
from geodata.extract.ner import PLACE_LABELS, Entities, Entity, entities
from geodata.extract.place_mention import LIST_GAP, PlaceMention, former_name
from geodata.extract.text import finditer_at, fold, words
from geodata.places.geocoder import Candidate, OfflineGeocoder
from geodata.places.normalize import name_key
from geodata.places.sources import ADMIN1_TYPE, DISTRICT_TYPE, national_capital, us_state_abbreviations
from geodata.places.trust import VILLAGE_POPULATION
from geodata.places.words import COMPASS_WORDS, common_word, common_words_only, english_words

_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*")
_FEATURE_WORDS = (r"(?:border|frontier) (?:region|area)s?|"
                  r"region|oblast|province|krai|territory|district|area|direction|axis|sector|front|port|seaport|"
                  r"harbou?r|cosmodrome|spaceport|rail(?:way)? crossing|border crossing|"
                  r"rail(?:way)? bridge|(?:rail(?:way)? )?station|air ?base|airfield|airport|"
                  r"shipyard|launch site")
_FEATURE_TAIL = re.compile(rf"\s+({_FEATURE_WORDS})\b")
# a site or province written as part of a name ("Sunan Airport", "Tumangang Rail Facility",
# "Kursk Oblast"): the whole run is the place's surface. Not "District", "Area", "Harbor":
# capitalised, they mostly name a neighbourhood or a venue ("Market District", "Bay Area")
_NAMED_SITE = (r"port|seaport|cosmodrome|spaceport|rail(?:way)? crossing|border crossing|rail(?:way)? bridge|"
               r"(?:rail(?:way)? )?station|air ?base|airfield|airport|shipyard|launch site|(?:rail(?:way)? )?facility")
_NAMED_FEATURE = re.compile(rf"\s+(region|oblast|province|krai|{_NAMED_SITE})", re.I)
_NAMED_SITE_WORD = re.compile(rf"(?:{_NAMED_SITE})$", re.I)
_DISTRICTS_TAIL = re.compile(r"\s+(districts)\b")  # the last of a list of a city's districts
CITY_DISTRICT = re.compile(r"^[A-Z][\w'’-]+ district$")  # one name and the word: a city's section
# a region word: the place named with it is a province, never a town ("the Pacific region")
_REGION_WORD = re.compile(r"\s(?:region|oblast|province|krai|territory)$", re.I)
_RELATION = re.compile(r"(?:(?:about|some|around|roughly|approximately)\s+)?(?:\d+(?:[.,]\d+)?\s*"
                       r"(?:km|kilomet(?:er|re)s?|miles?)\s+(?:(?:north|south)?(?:-?(?:east|west))?\s+)?"
                       r"(?:of|from)\s+|(?:north|south|east|west|north-?east|north-?west|south-?east|"
                       r"south-?west)(?:ern)?\s+(?:of\s+)?|near\s+|outskirts\s+of\s+|outside\s+)$", re.I)
_LOCATIVE = re.compile(r"(?:\b(?:in|at|near|from|to|towards|into|outside|around|across|over|of|"
                       r"via|through|between|and|city of|town of|village of|region of)\s+(?:the\s+)?)$", re.I)
_WORD_BACKWARDS = re.compile(r"[\w.']+")  # a word of a reversed string


def _last_word(before: str) -> list[str]:
    """[the last run of word characters, dots and apostrophes], or [""]: found in the
    reversed text, where it comes first."""
    m = _WORD_BACKWARDS.search(before[::-1])
    return [m.group(0)[::-1]] if m else [""]

_CONNECTORS = {"of", "on", "upon", "de", "la", "am", "an", "and"}

ORG_WORDS = set("""Network Institute Institution Agency Ministry University Research Service Services
Committee Council Office News Times Post Independent Herald Press Reuters Group Center Centre
Company Corporation Bank Party Assembly Government Embassy Intelligence Command Forces Army Navy
Corps Directorate Department Bureau Foundation Association Society Commission Panel Court
Daily Journal Tribune Gazette Telegraph Express Review Radio Television TV Channel Media
Newspaper Magazine Program Programme Project Initiative Organization Organisation Union Federation's
Studies Academy School College Laboratory Armament Conflict Bulletin Insider Monitor Observatory
LLC Ltd Inc JSC PJSC OJSC CJSC Corp Plc PLC GmbH Lines Shipping Logistics Trading Transit""".split())
_SAYING = frozenset({"said", "says", "told"})  # "said Kim": a speaker, unless a well-known place
TITLE_WORDS = _SAYING | set("""President Minister Prime Leader leader Chairman chairman Secretary General
general Gen Col Colonel Lt Admiral Mr Mrs Ms Dr Professor analyst Analyst expert Expert adviser
advisor Adviser Advisor spokesman spokesperson spokeswoman Spokesman Ambassador ambassador Director
director Deputy deputy Chief chief Commander commander Governor governor Mayor mayor Reporter
reporter Correspondent correspondent Editor editor Senator Representative Sen Rep Prosecutor
prosecutor""".split())
DEMONYMS = set("""Russian Russians Ukrainian Ukrainians Korean Koreans North-Korean South-Korean
American Americans Chinese Japanese Soviet Western European Belarusian Iranian Syrian British
French German Polish Mongolian Asian Crimean Siberian Pyongyang's""".split())
STOPWORDS = set("""The A An And But Or If In On At To Of For With By From As It Its This That These
Those There Here He She They We You I His Her Their Our My Your When While Where What Which Who Why
How After Before During Since Until Although Though However Meanwhile Moreover Also Still Yet
Some Many Most More Other Such Both Each Every All Any No Not One Two Three Four Five First Second
Last Next New Old North South East West Northern Southern Eastern Western Central According Earlier
Later Today Yesterday Tomorrow Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
February March April May June July August September October November December Jan Feb Mar Apr Jun
Jul Aug Sep Sept Oct Nov Dec Korea Korean Peninsula""".split())
# Countries and blocs written as code or acronym that do name a place.
PLACE_ACRONYMS = {"DPRK": "DPRK", "ROK": "ROK", "US": "US", "U.S.": "US", "USA": "USA", "UK": "UK",
                  "U.K.": "UK", "NK": "North Korea", "SK": "South Korea"}
# the same written with dots, which the word runs below do not join
_DOTTED = re.compile(r"(?<![\w.])(?:U\.S\.(?:A\.)?|U\.K\.|[NS]\. Korea)(?![\w])")
_DOTTED_KEYS = {"U.S.": "US", "U.S.A.": "USA", "U.K.": "UK", "N. Korea": "North Korea", "S. Korea": "South Korea"}


class ToponymFinder:
    """Finds place mentions; one per gazetteer (caches per name)."""

    def __init__(self, geocoder: OfflineGeocoder):
        self.geocoder = geocoder
        self.gazetteer = geocoder.gazetteer

    # -- is this run of words a place? -------------------------------------------------

    @lru_cache(maxsize=100_000)  # noqa: B019 (one finder lives as long as its gazetteer)
    def _plausible(self, span: str, locative: bool, initial: bool) -> bool:
        g = self.gazetteer
        if len(span) <= 2 and span not in PLACE_ACRONYMS.values() or systems.catalogue().find(span):
            return False  # a letter of "U.S.", or a weapon ("Iskander") that is also a village
        if span in PLACE_ACRONYMS:
            return True  # a country's code ("US", "DPRK"): _match_group has checked it is no shouted word
        words = span.split()
        if words[0] in _ARTICLES and all(word in STOPWORDS for word in words):
            return False  # "A New" opening a sentence is no Turkmen village
        hits = g.exact(span) or g.loose(span)
        if span.isupper() and len(span) <= 4:  # an acronym: only a main name or alias counts, spelt
            # with the same letters ("KYIV" is Kyiv; "NIS", the spy agency, is not Niš)
            hits = [h for h in hits if h.rank == 1 or h.rank == 0 and g.place(h.row).name.upper() == span]
        fuzzy = False
        if not hits and " " not in span and len(span) >= 6 and span not in STOPWORDS:
            hits, fuzzy = g.fuzzy(span, min_similarity=0.83), True
        if not hits and _FEATURE_TAIL.search(" " + span):
            found = self.geocoder.candidates(span, limit=1)  # "Kursk region", "Vostochny port"
            if not found and CITY_DISTRICT.search(span) and words[0].lower() not in english_words():
                return True  # a city's district the gazetteer lacks ("Darnytskyi district"):
                # the resolver places it inside the city its text names, or drops it
            return bool(found) and (found[0].precision >= 3 or not _REGION_WORD.search(span))
        curated = any(g.kind[h.row] != 0 and g.place(h.row).type != DISTRICT_TYPE for h in hits)
        population = max((int(g.population[h.row]) for h in hits if h.rank <= 2), default=0)
        if curated:
            return not fuzzy or len(span) >= 6
        if fuzzy:
            return population >= 100_000
        if span in STOPWORDS or span.lower() in _COMMON_LOWER:
            return locative and population >= 1000
        if " " not in span and (initial or span.lower() in english_words()):
            # "Version", "Along", "Union": English words that also name a village. A name
            # the dictionary lists as a name ("Erie", "Lombard", "Ozark") after a locative
            # word is the town there if the entity model reads it as one (see vet)
            if locative and not initial and _dictionary_name(span):
                return population >= 1000
            return population >= DICTIONARY_NAME_TOWN
        return population >= 1000 or (locative and population > 0)

    # -- finding --------------------------------------------------------------------------

    def _groups(self, text: str) -> list[list[re.Match]]:
        """Runs of capitalised tokens separated only by spaces, hyphens or dashes."""
        groups, current, last_end = [], [], 0
        for match in _tokens(text):
            word = match.group(0)
            capital = word[0].isupper()
            if current:
                start = match.start()
                gap = text[last_end:start] if start - last_end <= 3 else "\n"
                abbreviated = gap.strip() == "." and current[-1].group(0) in _NAME_ABBREVIATIONS  # "St. Louis"
                joined = (gap.strip() in ("", "-", "–") or abbreviated) and "\n" not in gap  # not an em dash
                if joined and (capital or (word in _CONNECTORS and _next_capital(text, match.end()))):
                    current.append(match)
                    last_end = match.end()
                    continue
                groups.append(current)
                current = []
            if capital:
                current, last_end = [match], match.end()
        if current:
            groups.append(current)
        return groups

    def find(self, text: str) -> list[PlaceMention]:
        mentions: list[PlaceMention] = []
        for group in self._groups(text):
            words = [m.group(0) for m in group]
            # (in capitals too: "PRIMORYE CARGO LINES LLC")
            org = next((k for k, w in enumerate(words) if _possessive(w) in ORG_WORDS or
                        w.isupper() and len(w) > 3 and w.title() in ORG_WORDS), None)
            if org is not None:
                # "Korea Defense Network", "Kyiv Independent": a name inside an organisation's
                # is not a place; its owner before it is ("Ukraine's State Emergency Service")
                owner = next((k for k in range(org - 1, -1, -1) if _possessive(words[k]) != words[k]), None)
                if owner is None:
                    continue
                group = group[:owner + 1]
            river_after = _RIVER_AFTER.match(text, group[-1].end())
            named = words + ["River"] if river_after else words  # ("the Dnipro river": not the city)
            if (any(w in _RIVER_WORDS for w in words[1:]) or river_after) \
                    and not any(self._curated(" ".join(named[k:])) for k in range(len(words))):
                continue  # "the Dnipro River delta": a river, not the town of its name (a site
                # named so stays: the "Tumen River" station)
            before = text[max(0, group[0].start() - 40):group[0].start()]
            previous = _last_word(before)
            if _title(previous[0]) and not (previous[0] in _SAYING and self._vouched(" ".join(words))):
                continue  # "President Putin", "analyst Lee", "said Kim": a person; not "said Iran"
            mentions += self._match_group(text, group)
        _share_region_word(text, mentions)
        if "." in text:
            taken = [(m.start, m.end) for m in mentions]
            for m in _DOTTED.finditer(text):
                if not any(a < m.end() and m.start() < b for a, b in taken):
                    mentions.append(PlaceMention(m.group(0), m.start(), m.end(), key=_DOTTED_KEYS[m.group(0)]))
            mentions.sort(key=lambda m: m.start)
            mentions = self._with_state_qualifiers(text, mentions)
        return mentions

    def _with_state_qualifiers(self, text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
        """A US state as news abbreviates it right after a town ("Columbia, S.C.", "London,
        Ky.") is that state, and the town lies in it (``_constrain``). Only in that place:
        elsewhere "Ill." or "Miss." is a word."""
        ends = {m.end for m in mentions}
        states = []
        for m in _state_qualifier_pattern().finditer(text):
            if m.start() in ends and (candidate := self._state(us_state_abbreviations()[m.group("abbr")])):
                states.append(PlaceMention(m.group("abbr"), m.start("abbr"), m.end("abbr"), candidate,
                                           key=candidate.name, qualifier=True))
        if not states:
            return mentions
        kept = [m for m in mentions if not any(q.start < m.end and m.start < q.end for q in states)]
        return sorted(kept + states, key=lambda m: m.start)

    @lru_cache(maxsize=64)  # noqa: B019
    def _state(self, name: str) -> Candidate | None:
        """The US state of that name, as a region (not "Washington" the city)."""
        rows = self.geocoder.region_rows(name, frozenset({"US"}))
        return self.geocoder.by_id(self.gazetteer.ids[rows[0]], name) if len(rows) == 1 else None

    def _match_group(self, text: str, group: list[re.Match]) -> list[PlaceMention]:
        out, i = [], 0
        demonymic = [_possessive(m.group(0)) in DEMONYMS or m.group(0) in COMPASS_WORDS for m in group]
        while i < len(group):
            word = group[i].group(0)
            if word in TITLE_WORDS:
                break  # "... Chairman Kim Jong-un": the rest of the run is a person
            lead: tuple[re.Match | None, bool, bool] | None = None  # read when a span needs it
            named = _named_feature(text, group, i) if word not in STOPWORDS else None
            for j in range(min(len(group), i + _NAME_WORDS_MAX), i, -1):
                if all(demonymic[i:j]):
                    continue  # "North Korean", "Russian"
                if j < len(group) and _street_follows(group, i, j):
                    continue  # "Wichita Street", "Lone Oak Drive": a street's name (not "Augusta's Highland Avenue")
                start, end = group[i].start(), group[j - 1].end()
                span = _possessive(text[start:end])
                end = start + len(span)
                if group[i].group(0) in _SAINT and _INSTITUTION_AFTER.match(text, end):
                    continue  # "St. Michael's Catholic School", "St. Paul's Cathedral": named after a saint
                tail = _FEATURE_TAIL.match(text, end) if j == len(group) else None
                if named is not None and j == named[0]:
                    tail = named[1]
                elif tail is None and j == len(group):
                    tail = _DISTRICTS_TAIL.match(text, end)  # "the Kyivskyi and Saltivskyi districts"
                if span.isupper() and len(span) > 3:
                    span_key = span.title()
                elif span in PLACE_ACRONYMS:
                    if text.startswith("$", end) or span.lower() in english_words() and _shouted(text, start, end):
                        continue  # "US$ 5", "TELL US WHY": a currency, a headline in capitals
                    span_key = PLACE_ACRONYMS[span]
                else:
                    span_key = span
                if span.split()[0] in _CONNECTORS or span.split()[-1] in _CONNECTORS:
                    continue
                if _cuts_compound(text, group, i, j) and not self._vouched(span_key):
                    continue  # "Nikolayevo" of "Nikolayevo-Darino" (not "North Korea" of "North Korea-Russia")
                if not tail and span_key in STOPWORDS and span_key not in PLACE_ACRONYMS.values():
                    continue  # (as below, before reading the words in front)
                if lead is None:
                    lead = _lead(text, group[i].start())
                relation, locative, initial = lead
                feature = " " + tail.group(1).lower() if tail else ""  # "Sunan Airport": "Sunan airport"
                feature = " district" if feature == " districts" else feature
                if tail and self._plausible(span_key + feature, locative, initial):
                    end = tail.end()
                    span_key = span_key + feature
                elif span_key in STOPWORDS and span_key not in PLACE_ACRONYMS.values() or \
                        not self._plausible(span_key, locative, initial):
                    continue
                elif tail and tail.group(1)[:1].isupper() and _NAMED_SITE_WORD.match(tail.group(1)):
                    end = tail.end()  # a facility the gazetteer does not know, at the named place
                out.append(PlaceMention(text[start:end], start, end, key=span_key,
                                        relation=(relation.group(0).strip() if relation else None)))
                i = len(group) if end == group[-1].end() else j
                break
            else:
                i += 1
        return out

    # -- the model's word on the names the gazetteer cannot vouch for -------------------

    def vet(self, text: str, mentions: list[PlaceMention], sentences: list[tuple[int, int]]) -> list[PlaceMention]:
        """The mentions left once the entity model has read the sentences of the doubtful
        ones: a name that is a well-known place (curated, a country, a city of a million,
        a name with its feature word) stays; any other needs an entity over it that is not
        a person, organisation or thing ("Lavrov", "Kirby", "Angara" the ship, "CSIS")
        and, with none at all ("RUSI", "AIS"), it is dropped."""
        # a ship's name is no place, however well known the town it spells ("the ships —
        # Angara, Lady R and Maria —": not Ankara)
        mentions = [m for m in mentions if not _VESSELS_NAMED.search(text, max(0, m.start - 80), m.start) and
                    not (_VESSEL_APPOSED.search(text, max(0, m.start - 20), m.start) and text[m.end:m.end + 1] in ",—–")]
        doubtful = [m for m in mentions if not m.qualifier and not self._vouched(m.key)]
        # a well-known name that opens a longer name ("Vladimir Putin") is read too: there
        # it may be a person's (a country stays one)
        heads = [m for m in mentions if not m.qualifier and _NAME_RUNS_ON.match(text, m.end)
                 and self._vouched(m.key) and not self._country_name(m.key)
                 and m.key not in PLACE_ACRONYMS.values()]
        if not doubtful and not heads:
            return mentions
        found = Entities(entities(text, _windows(text, doubtful + heads, sentences)))
        if heads:
            opening = {id(m) for m in heads if _opens_person(found.over(m.start, m.end), m)}
            mentions = [m for m in mentions if id(m) not in opening]
        if not doubtful:
            return mentions
        labels = {id(m): {e.label for e in found.over(m.start, m.end)} for m in doubtful}
        # one sense per report: a name the model reads as a place is a place throughout
        # (or that a noun before it makes one: "the community of X" ... "X residents"),
        # unless it reads the name as a person more often ("Farrin" once a town, sixteen
        # times a man). Not for towns of the focus countries, whose names the model often
        # takes for people's ("Hamhung")
        senses: Counter[str] = Counter()
        for m in doubtful:
            senses[m.key] += bool(labels[id(m)] & _place_labels(m.key)) - ("PERSON" in labels[id(m)])
        placed = {m.key for m in doubtful if labels[id(m)] & _place_labels(m.key)
                  and (senses[m.key] >= 0 or self._in_focus(m.key))
                  or _PLACE_NOUN.search(text, max(0, m.start - 30), m.start)
                  or _ROUTE_LEAD.search(text, max(0, m.start - 30), m.start) and self._focus_town(m.key)}
        # after "in" or "near" a name is a place whatever the model reads (small villages are
        # often labelled ORG or PERSON); a name the dictionary lists that only small towns
        # bear ("Erie", "God") only where the model reads this mention as a town ("in Erie",
        # not "in God", "the Chapel of Jesus")
        named = {id(m) for m in doubtful if self._small_dictionary_name(m.key)}
        # (not a name the model reads only as a region, sea or range and that only villages
        # abroad bear: "in the Middle East" is no hamlet in Maryland; Green Bay is a city)
        keep = {id(m) for m in doubtful if id(m) not in named and (
            m.key in placed or _SURE_LOCATIVE.search(text, max(0, m.start - 30), m.start)
            and not (labels[id(m)] == {"LOC"} and self._only_villages_abroad(m.key)))}
        keep |= {i for i in named if "GPE" in labels[i]}
        pairs = list(zip(mentions, mentions[1:]))
        keep |= {id(b) for a, b in pairs if former_name(text, a, b)}  # "Tsiolkovsky (former Uglegorsk)"
        for a, b in pairs + [(b, a) for a, b in reversed(pairs)]:
            # a list shares its places' standing: "the villages of A, B and C", "the X and Belgorod regions"
            if id(b) in labels and id(b) not in keep and (id(a) in keep or id(a) not in labels) and \
                    LIST_GAP.fullmatch(text, min(a.end, b.end), max(a.start, b.start)):
                keep.add(id(b))
        return [m for m in mentions if id(m) in keep or id(m) not in labels]

    @lru_cache(maxsize=100_000)  # noqa: B019
    def _in_focus(self, key: str) -> bool:
        """Whether a town of the geocoder's focus countries bears this name."""
        g = self.gazetteer
        return any(g.place(h.row).country in self.geocoder.focus_countries for h in g.exact(key) if h.rank <= 2)

    @lru_cache(maxsize=100_000)  # noqa: B019
    def _curated(self, key: str) -> bool:
        """Whether a curated site or region (not a GeoNames town) bears this name."""
        g = self.gazetteer
        return any(g.kind[h.row] != 0 for h in g.exact(name_key(key)))

    @lru_cache(maxsize=100_000)  # noqa: B019
    def _only_villages_abroad(self, key: str) -> bool:
        """Whether only villages outside the focus countries bear this name."""
        g = self.gazetteer
        hits = [g.place(h.row) for h in g.exact(key) if h.rank <= 2]
        return all(p.kind == "place" and p.country not in self.geocoder.focus_countries
                   and p.population < VILLAGE_POPULATION for p in hits)

    @lru_cache(maxsize=100_000)  # noqa: B019
    def _focus_town(self, key: str) -> bool:
        """Whether a settlement of the focus countries is called so today (its main name
        or an alias, not a former or foreign one)."""
        g = self.gazetteer
        return any(g.place(h.row).kind == "place" and g.place(h.row).country in self.geocoder.focus_countries
                   for h in g.exact(key) if h.rank <= 1)

    @lru_cache(maxsize=100_000)  # noqa: B019
    def _country_name(self, key: str) -> bool:
        g = self.gazetteer
        return any(g.place(h.row).kind == "country" for h in g.exact(key) if h.rank <= 2)

    @lru_cache(maxsize=100_000)  # noqa: B019
    def _small_dictionary_name(self, key: str) -> bool:
        """A dictionary's name ("Jesus", "Erie") that only towns under DICTIONARY_NAME_TOWN
        bear: a town only after a locative word and where the model reads a town (see
        _plausible and vet)."""
        g = self.gazetteer
        return _dictionary_name(key) and max(
            (int(g.population[h.row]) for h in g.exact(key) if h.rank <= 2), default=0) < DICTIONARY_NAME_TOWN

    @lru_cache(maxsize=100_000)  # noqa: B019
    def _vouched(self, key: str) -> bool:
        """Whether the gazetteer alone makes this name a place: a curated place, site,
        region or country, a main name or alias of a city of VOUCHED_POPULATION, or a
        name with a feature word ("Kursk region") that the geocoder places. Another
        country's first-level region needs the people of such a city too: small ones
        are named like people ("Michael", "Paul"), so the model reads them first, as it
        does every second-level division ("Kent", "Marion County")."""
        if key in PLACE_ACRONYMS.values() or _FEATURE_TAIL.search(" " + key):
            return True
        g = self.gazetteer
        for h in g.exact(key):
            place = g.place(h.row)
            if place.type != DISTRICT_TYPE and (place.kind != "place" and place.type != ADMIN1_TYPE
                                                or h.rank <= 1 and place.population >= VOUCHED_POPULATION):
                return True
        return False

    # -- implied countries --------------------------------------------------------------------

    def country(self, code: str, text: str = "", start: int = 0) -> PlaceMention | None:
        """The country with this ISO code as an implied place (for "North Korean troops")."""
        candidate = self._country(code)
        if candidate is None:
            return None
        return PlaceMention(text or candidate.name, start, start + len(text), candidate, key=candidate.name,
                            implied=True)

    @lru_cache(maxsize=64)  # noqa: B019
    def _country(self, code: str) -> Candidate | None:
        try:
            return self.geocoder.by_id(f"country:{code}")
        except GeodataError:
            return None

    def implied_places(self, text: str, demonyms: dict[str, str]) -> list[PlaceMention]:
        """Places told without their names, implied: "the North Korean capital" (that
        country's capital: where a meeting was held or a strike landed), "at the Kremlin"
        (Moscow) and, in a report that names North Korea, "the North" (North Korea, as
        Korean and wire reports call it: "containers moving from Russia to the North")."""
        capitals = [(m, demonyms[m.group("demonym")]) for m in _capital_pattern(tuple(demonyms)).finditer(text)]
        capitals += [(m, "RU") for m in _AT_THE_KREMLIN.finditer(text)]  # "received Choe at the Kremlin": in Moscow
        out = [PlaceMention(m.group(0), m.start(), m.end(), candidate, key=candidate.name, implied=True)
               for m, code in capitals if (candidate := self._capital(code)) is not None]
        if "North Korea" in text:
            out += [mention for m in _THE_NORTH.finditer(text)
                    if (mention := self.country("KP", m.group(0), m.start())) is not None]
        return out

    @lru_cache(maxsize=64)  # noqa: B019
    def _capital(self, code: str) -> Candidate | None:
        name = national_capital(code)
        found = self.geocoder.candidates(name, country=code, limit=1) if name else []
        return found[0] if found else None

    def demonyms(self, text: str, demonyms: dict[str, str]) -> list[PlaceMention]:
        """Each demonym ("North Korean", "Russian") as its country, implied."""
        pattern = _demonym_pattern(tuple(demonyms))
        out = []
        for m in _demonym_matches(pattern, text, tuple(demonyms)):
            mention = self.country(demonyms[m.group(0)], m.group(0), m.start())
            if mention is not None:
                out.append(mention)
        return out

@lru_cache(maxsize=1)
def _state_qualifier_pattern() -> re.Pattern:
    """", S.C.", ", Ky.": a state's abbreviation after a comma, as a whole word."""
    names = sorted(map(re.escape, us_state_abbreviations()), key=len, reverse=True)
    return re.compile(r",[ \t]*(?P<abbr>" + "|".join(names) + r")(?![\w])")


_AT_THE_KREMLIN = re.compile(r"(?<=\b(?:at|in) )the Kremlin\b")
_THE_NORTH = re.compile(r"(?<=\bthe )North\b(?![ \t]*(?-i:[A-Z])|[-’'])")  # (not "the North Atlantic", "North's")


@lru_cache(maxsize=4)
def _capital_pattern(names: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(r"\b[Tt]he\s+(?P<demonym>" + alternatives + r")\s+capital\b")


@lru_cache(maxsize=4)
def _demonym_pattern(names: tuple[str, ...]) -> re.Pattern:
    # "North Korean" before "Korean"; "Russian-made", "North Korean-supplied" count too
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")\b")


def _demonym_matches(pattern: re.Pattern, text: str, names: tuple[str, ...]) -> Iterator[re.Match]:
    """The pattern's matches, tried only at words a demonym can begin with."""
    firsts = tuple(fold(m.group(0)) if (m := re.match(r"\w+", name)) else "" for name in names)
    index = words(text)
    if "" in firsts or not index.exact:
        return pattern.finditer(text)
    return finditer_at(pattern, text, index.starting(firsts))


# what a town, site or country is labelled (LOC is a river, sea, continent or range:
# "Angara", "Asia", which the gazetteer only knows as namesake villages)
TOWN_LABELS = frozenset({"GPE", "FAC"})
# words that make the next name a place whatever the model reads ("in Plekhovo", "the
# village of Vorozhba"): small villages are often labelled ORG or PERSON
_SURE_LOCATIVE = re.compile(r"\b(?:in|near|outside|around|into)\s+(?:the\s+)?$", re.I)
# where goods go or strikes land ("carried to Tikhoretsk", "attacked Sudzha"): a name a
# settlement of the focus countries bears is a place there, whatever the model reads (it
# labels such names PERSON or PRODUCT more often than GPE)
_ROUTE_LEAD = re.compile(r"\b(?:to|from|at|towards?|via|through|across|attacked|struck|hit|shelled|bombed|"
                         r"targeted|captured|seized|stormed|liberated|recaptured|retook|capture|retake|recapture|"
                         r"(?:battles?|fight(?:ing)?|assaults?|offensive|push)\s+(?:for|on))\s+(?:the\s+)?$", re.I)
# a noun that names the place's kind ("the community of X", "a town called X"): the name is a
# place wherever else the report repeats it
_PLACE_NOUN = re.compile(r"\b(?:(?:village|town|city|settlement|region|district|province|county|community|"
                         r"municipality|area)s? of|(?:village|town|city|settlement|community) (?:called|named))"
                         r"\s+(?:the\s+)?$", re.I)
# a city this large is a place wherever its name stands (Kyiv, which the model sometimes
# reads as a person's name); smaller namesakes need the model's agreement
VOUCHED_POPULATION = 1_000_000
# a one-word name the dictionary lists, borne by no town this large, is a town only after a
# locative word and where the entity model reads it as one
DICTIONARY_NAME_TOWN = 100_000



# a capitalised word right after a name: the name may be the first word of a longer one
_NAME_RUNS_ON = re.compile(r" [A-Z][a-z]")
# ships named after their kind, alone or in a list: "the freighter Angara", "the ships — Angara,
# Lady R and Maria", "vessels such as the Angara and the Maia-1"
# (not a comma alone: "damaged two ships, Odesa governor said" names the city; "the fourth
# ship, Angara, has been" is a ship, the name set off by commas on both sides: _VESSEL_APPOSED)
_VESSELS_NAMED = re.compile(r"\b(?:ships?|vessels?|freighters?|tankers?|carriers?|boats?)\s*(?:[—–:]|named|called|"
                            r"such\s+as|including|like)?\s*(?:the\s+)?(?:[A-Z][\w'’.-]*(?:\s+[A-Z0-9][\w'’.-]*)?"
                            r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?)*$")
_VESSEL_APPOSED = re.compile(r"\b(?:ship|vessel|freighter|tanker|carrier|boat),\s*(?:the\s+)?$")


# Words either side of a doubtful name that the entity model reads (within its sentence).
# The model's cost grows with what it reads, and its label for a name rests on the words
# near it: 8 gave the same labels as whole sentences on the development reports and the
# corpora's dev articles (3 began to differ), with 43% less text read.
NER_WINDOW_WORDS = 8
_WORD = re.compile(r"\S+")


def _windows(text: str, mentions: list[PlaceMention], sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The pieces of text the entity model reads for these mentions: each one's sentence,
    clipped to NER_WINDOW_WORDS words either side of it, overlapping pieces joined."""
    if not sentences:
        return [(0, len(text))]
    starts = [a for a, _ in sentences]
    pieces = []
    for m in mentions:
        a, b = sentences[max(0, bisect_right(starts, m.start) - 1)]
        before = [w.start() for w in _WORD.finditer(text, a, m.start)]
        after = [w.end() for w in _WORD.finditer(text, m.end, b)]
        pieces.append((before[-NER_WINDOW_WORDS] if len(before) > NER_WINDOW_WORDS else a,
                       after[NER_WINDOW_WORDS - 1] if len(after) > NER_WINDOW_WORDS else b))
    joined: list[tuple[int, int]] = []
    for a, b in sorted(pieces):
        if joined and a <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(b, joined[-1][1]))
        else:
            joined.append((a, b))
    return joined


def _opens_person(over: list[Entity], m: PlaceMention) -> bool:
    """Whether the model reads the name as the start of a person's name that runs past it
    ("Vladimir Putin"), and nowhere as a place. (An organisation's keeps the place: the
    corpora count "Manitoba" in "Manitoba Hydro".)"""
    return not any(e.label in PLACE_LABELS for e in over) and any(
        e.label == "PERSON" and e.start <= m.start and e.end > m.end + 1 for e in over)


def _place_labels(key: str) -> frozenset[str]:
    """The entity labels that make a name a place: a facility's too ("Vostochny
    Cosmodrome"), but not for a name of common words, where a facility is a building
    ("the White House") and only a town counts ("Green Bay")."""
    return frozenset({"GPE"}) if common_words_only(key) else TOWN_LABELS


def _dictionary_name(key: str) -> bool:
    """A one-word name the dictionary lists as a name, not as a common word ("Erie",
    "Jesus", "Marshall")."""
    low = key.lower()
    return " " not in key and low in english_words() and not common_word(low)


def _possessive(word: str) -> str:
    """The word without a trailing "'s" or "'" (what re.sub(r"['’]s?$", "", word) did)."""
    last = word[-1:]
    if last == "s":
        return word[:-2] if word.endswith(("'s", "’s")) else word
    return word[:-1] if last in ("'", "’") else word


# the last word before a place that _RELATION / _LOCATIVE can end with: the patterns end
# with it and whitespace, so a lead without such a word is not searched at all
_RELATION_ENDS = ("of", "from", "near", "outside", "north", "south", "east", "west", "ern")
_LOCATIVE_ENDS = ("in", "at", "near", "from", "to", "towards", "into", "outside", "around", "across", "over",
                  "of", "via", "through", "between", "and", "the")


def _lead(text: str, start: int) -> tuple[re.Match | None, bool, bool]:
    """What the 40 characters before a name say: (relation, locative, sentence-initial)."""
    lead = text[max(0, start - 40):start]
    relation, locative = _lead_relation(lead)
    return relation, locative, not lead.strip() or lead.rstrip()[-1:] in ".!?\n\"“—"


def _lead_relation(lead: str) -> tuple[re.Match | None, bool]:
    """(the relation the words before a name state, whether they make it a locative)."""
    if not lead[-1:].isspace():
        return None, False
    last = lead.split()[-1:]
    word = fold(last[0]) if last else ""
    relation = _RELATION.search(lead) if word.endswith(_RELATION_ENDS) else None
    return relation, bool(relation or (word.endswith(_LOCATIVE_ENDS) and _LOCATIVE.search(lead)))


_PART = re.compile(r"[^\W\d_][\w'’]*")


# English combining forms of peoples' names: "Indo-Pacific", "Sino-Russian" name no place
_COMBINING_FORMS = frozenset("""Indo Sino Russo Franco Anglo Afro Euro Austro Greco Italo Judeo Nippo
Hispano Luso Turco Slavo Balto Celto Germano""".split())


def _tokens(text: str) -> Iterator[re.Match]:
    """The words of the text; a hyphenated compound of parts written alike, all capitalised
    ("Korea-Russia", "Petropavlovsk-Kamchatsky") or all in capitals ("NK-RUSSIA"), as its
    parts, joined again by the hyphen when the whole is one name: "the North Korea-Russia
    border" names both countries. A compound with a lower-case part ("Rostov-on-Don",
    "Russian-made", "Jong-un"), of mixed styles (a brand: "RBC-Ukraine") or after a
    combining form ("Indo-Pacific") stays whole."""
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        if "-" in word and _compound_of_names(word.split("-")):
            yield from _PART.finditer(text, match.start(), match.end())
        else:
            yield match


_RIVER_WORDS = frozenset({"River", "RIVER"})
_RIVER_AFTER = re.compile(r"\s+river\b")


def _cuts_compound(text: str, group: list[re.Match], i: int, j: int) -> bool:
    """Whether the words i..j of a run leave out part of a hyphenated name around them."""
    return j < len(group) and text[group[j - 1].end():group[j].start()] in ("-", "–") or \
        i > 0 and text[group[i - 1].end():group[i].start()] in ("-", "–")


def _compound_of_names(parts: list[str]) -> bool:
    if parts[0] in _COMBINING_FORMS or not all(part[:1].isupper() for part in parts):
        return False
    capitals = [part.isupper() for part in parts]
    return all(capitals) or not any(capitals)


_NAME = r"[A-Z][\w'’-]+"
# a list of names before a plural region word: "the Kursk and Voronezh regions", "Sumy,
# Kharkiv and Poltava oblasts", "the Kyivskyi and Saltivskyi districts"
_PLURAL_REGION = re.compile(r"\s+(regions|oblasts|provinces|krais|territories|districts|raions)\b", re.I)
_LISTED_NAMES = re.compile(rf"(?:{_NAME}(?:,\s*and\s+|,\s*|\s+and\s+))+{_NAME}$")
_NAME_WORD = re.compile(_NAME)
_LIST_REACH = 200  # characters before the region word a list is read in (a long run of names is no list)
_SINGULAR = {"regions": "region", "oblasts": "oblast", "provinces": "province", "krais": "krai",
             "territories": "territory", "districts": "district", "raions": "raion"}


def _share_region_word(text: str, mentions: list[PlaceMention]) -> None:
    """"the Kursk and Voronezh regions", "Sumy, Kharkiv and Poltava oblasts", "the Kyivskyi
    and Saltivskyi districts": every name of the list is looked up as a region or district,
    not as a town of its name."""
    if not mentions:
        return
    for word in _PLURAL_REGION.finditer(text):
        floor = max(0, word.start() - _LIST_REACH)
        listed = _LISTED_NAMES.search(text, floor, word.start())
        if listed is None:
            continue
        singular = _SINGULAR[word.group(1).lower()]
        for m in mentions:
            if listed.start() <= m.start and m.end <= listed.end():
                m.key = f"{m.key or m.text} {singular}"
        if singular == "district":  # a city's districts the gazetteer lacks ("the Obolonskyi and
            # Darnytskyi districts") are names too: the resolver places them inside their city or drops them
            taken = [(m.start, m.end) for m in mentions]
            mentions += [PlaceMention(n.group(0), n.start(), n.end(), key=f"{n.group(0)} district")
                         for n in _NAME_WORD.finditer(text, listed.start(), listed.end())
                         if n.group(0).lower() not in english_words()
                         and not any(a < n.end() and n.start() < b for a, b in taken)]
            mentions.sort(key=lambda m: m.start)


_FEATURE_WORDS_MAX = 3  # the most words a feature written into a name spans ("Rail Facility")


def _named_feature(text: str, group: list[re.Match], i: int) -> tuple[int, re.Match] | None:
    """(k, match) when the run's words from k on are a feature written into the name
    ("Sunan Airport", "Tumangang Rail Facility"): the name before them is tried with them
    as its feature word, after the whole run has been tried as one name."""
    for k in range(max(i + 1, len(group) - _FEATURE_WORDS_MAX), len(group)):  # (a feature ends the run)
        found = _NAMED_FEATURE.fullmatch(text, group[k - 1].end(), group[-1].end())
        if found:
            return k, found
    return None


def _title(word: str) -> bool:
    """Whether the word before a name makes it a person's: a title ("President", "analyst",
    "Gen.") or a verb of saying ("said Kim"); "said." ends a sentence instead."""
    if word.endswith("."):
        return word[:1].isupper() and len(word) <= 5 and word[:-1] in TITLE_WORDS  # "Gen.", "Col."
    return word in TITLE_WORDS


_SHOUT_WORD = re.compile(r"[A-Za-z]{2,}")


def _shouted(text: str, start: int, end: int) -> bool:
    """Whether the word next to this one is a common word in capitals: a headline written
    in capitals ("HELP US NOW"), where a word like "US" is no country code."""
    before = _SHOUT_WORD.findall(text, max(0, start - 20), start)[-1:]
    after = _SHOUT_WORD.findall(text, end, end + 20)[:1]
    return any(w.isupper() and w.lower() in english_words() for w in before + after)


def _next_capital(text: str, position: int) -> bool:
    following = _TOKEN.search(text, position)
    return bool(following) and following.start() - position <= 2 and following.group(0)[0].isupper()


_COMMON_LOWER = {w.lower() for w in STOPWORDS}
# abbreviations that open a place's name ("St. Petersburg", "Ft. Worth", "Mt. Vernon")
_NAME_ABBREVIATIONS = frozenset({"St", "Ste", "Ft", "Mt"})
_SAINT = frozenset({"St", "Ste", "Saint"})
# a saint's name owning a school, church or hospital ("St. Michael's Catholic School"), not
# a city owning anything ("St. Petersburg's Pulkovo Airport")
_INSTITUTION_AFTER = re.compile(r"['’]s\s+(?:[A-Z][\w-]*\s+){0,2}?(?:School|Church|Cathedral|Chapel|Hospital|"
                                r"University|College|Academy|Parish|Abbey|Basilica|Seminary|Catholic|Episcopal|"
                                r"Lutheran|Methodist|Orthodox|Anglican)\b")
# words after a name that make it a street's ("Wichita Street", "Lone Oak Drive"); not roads
# and highways, which news names after the towns they lead to ("the Kharkiv highway")
# the most words one place name spans ("United Kingdom of Great Britain and Northern
# Ireland"): a longer run of capitals is several names, and trying every longer span of a
# run of hundreds ("Kursk and Kursk and ...") took minutes
_NAME_WORDS_MAX = 8
_STREET_WORDS = frozenset({"Street", "St", "Avenue", "Ave", "Drive", "Boulevard", "Blvd", "Lane", "Parkway",
                           "Pkwy"})


def _street_follows(group: list[re.Match], i: int, j: int) -> bool:
    """Whether the words after the span, up to the run's first connector ("on Monday"),
    hold a street word, with no town owning the street ("Rock Hill's Main Street")."""
    if any(_possessive(m.group(0)) != m.group(0) for m in group[i:j]):
        return False
    for m in group[j:j + _NAME_WORDS_MAX]:
        word = m.group(0)
        if word in _CONNECTORS or _possessive(word) != word:
            return False
        if word in _STREET_WORDS:
            return True
    return False
_ARTICLES = frozenset({"A", "An", "The"})

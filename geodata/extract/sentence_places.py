"""Where each place stands in its sentence: a route end ("from", "to"), an aside (the
dateline, a speaker, a container of the place just named) or the place of the event."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace

from geodata.extract.text import ends_with
from geodata.extract.place_mention import PlaceMention
from geodata.places.normalize import name_key
from geodata.places.sources import national_capital

# "KYIV, Ukraine —", "MOSCOW (Reuters) —", "SEOUL, June 18 (Yonhap) --": where the story was filed
# and the wire style "Seoul, Oct 7 (EFE).-", "Moscow, June 19 (AFP):" (a place, a date, an agency)
_DATELINE = re.compile(r"\s*[A-Z][A-Z'’.\- ]{2,}(?:,[^—–\n]{1,40}?)?(?:\s*\([^)\n]{1,30}\))?\s+(?:[—–]|--?)\s|"
                       r"\s*[A-Z][\w'’.\- ]{2,30},[^—–\n(]{1,30}\([A-Z][\w ]{1,20}\)\s*(?:\.-|[—–:]|-)\s*")
# "Moscow's ally", "Kyiv's forces": a place owning something is no place of the event (but
# "Ukraine's capital", "Russia's Kursk region" say where, and the region is a mention of its own)
_POSSESSOR = re.compile(r"['’]s\s+(?!(?:capital|east|west|north|south|north-?east|north-?west|south-?east|"
                        r"south-?west|eastern|western|northern|southern|central|border|borders|territory|soil|"
                        r"coast|port|ports|region|province|oblast|city|town|village|airspace|side)\b)[a-z]")
# "the next one will take place in Moscow", "hopes to meet in Minsk": where something may happen
# (lower case: not the month May)
_HEDGED = re.compile(r"\b(?:will|would|could|might|may|shall|plans? to|planning to|hopes? to|intends? to|"
                     r"expected to|scheduled to|due to|set to)\s+(?:[\w'’-]+,?\s+){0,6}?(?:in|at|to)\s+(?:the\s+)?$")
# "Russia's war in Ukraine", "the invasion of Ukraine": the war the story is about, not where anything went
_WAR_IN = re.compile(r"\b(?:war|conflict|invasion|aggression)\s+(?:in|on|against|of)\s+(?:the\s+)?$", re.I)
# "according to Russia's RIA Novosti": a place naming a source, not where anything happened
_ACCORDING = re.compile(r"\baccording to\b[^,;.—–()\"“”]{0,50}$", re.I)
# "officials in Seoul said", "said in Brussels", "Ukraine's air force said": who speaks, not where
_SPEAKER_LEAD = re.compile(r"\b(?:officials?|authorities|diplomats?|analysts?|researchers?|experts?|sources?|"
                           r"observers?|reporters?|lawmakers|journalists|media|bloggers|commentators|"
                           r"correspondents?|spokesm[ae]n)\s+(?:in|from)\s+(?:the\s+)?$|"
                           r"\b(?:said|says|spoke|speaking|told\s+[\w ]{1,30}?)\s+in\s+$", re.I)
_SPEAKER_TAIL = re.compile(r"(?:['’]s?\s+(?:[\w-]+\s+){0,4}?|\s+(?:on\s+[A-Z]\w+\s+|(?:also|officially|publicly|first)\s+)?|"
                           # "Kharkiv prosecutor Dmytro Chubenko said", "Kyiv city officials said"
                           r"\s+(?:regional\s+|city\s+|oblast\s+|military\s+)?(?:prosecutors?|governor|mayor|police|"
                           r"officials?|administration|authorities|head|chief|spokes(?:man|woman|person))\s+"
                           r"(?:(?-i:[A-Z])[\w'’-]+\s+){0,3})?"
                           r"(?:said|says|told|tells|reported|reports|announced|"
                           r"announces|claimed|claims|estimated|estimates|stated|states|noted|notes|denied|denies|"
                           r"confirmed|confirms|believes|assessed|assesses|acknowledged|acknowledges|admitted|admits)\b")
# "In Seoul, the foreign ministry said ...": where the speaker is, not where anything happened
_OPENING_IN = re.compile(r"\s*In\s+")
_SPEAKS_NEXT = re.compile(r",\s+(?:[\w'’-]+\s+){1,5}?(?:said|says|told|reported|announced|warned|stated)\b")
# "Ukrainian and US intelligence", "UK officials": a country naming who knows, not a place
_AGENCY_TAIL = re.compile(r"\s+(?:military\s+|defen[cs]e\s+|foreign\s+|government\s+)?(?:intelligence|officials?|"
                          r"spy agency|ministry|authorities|estimates?|assessments?)\b", re.I)
_SPEAKER_TAIL_FIRST = frozenset("'’stracendb ")  # how a _SPEAKER_TAIL match begins (its verbs' first letters)
_ACCUSING = r"accuse[sd]?|warn(?:s|ed)?|condemn(?:s|ed)?"  # what a government does to another in words
# "Moscow has deployed", "Pyongyang supplied", "Russia launched": a place acting is its
# government (metonymy), the actor of the event and not where it happened
_ACTOR_TAIL = re.compile(r"\s+(?:(?:has|have|had|is|was|were|will|would|could|may|might|also|already|reportedly|"
                         r"allegedly|then|now|not|been)\s+){0,3}(?:deployed|supplied|provided|sent|sends|send|shipped|"
                         r"delivered|used|uses|launched|launches|fired|fires|attacked|attacks|struck|strikes|"
                         r"targeted|targets|continues|continued|expanded|expands|received|receives|acquired|gave|"
                         r"gives|sold|sells|transferred|exported|bought|obtained|seeks|sought|seeking|wants|"
                         r"signed|signs|agreed|agrees|pledged|pledges|vowed|vows|" + _ACCUSING + "|"
                         r"is|was|has|have|had)\b")
_CAPITAL_ACTS = re.compile(r"\s+(?:(?:is|are|was|were)\s+(?:\w+ly\s+|now\s+|still\s+)?\w+ing\b|"
                           r"(?:has|have|had)\s+(?:\w+ly\s+|since\s+|also\s+|now\s+)?(?!been\b)(?:\w+ed|said|told|"
                           r"sought|made|taken|given)\b)")
# a capital or country that accuses, warns or says is its government ("Washington and Kyiv accuse")
_SPEAKS_UP = re.compile(r"\s+(?:(?:also|have|has|had)\s+)?(?:" + _ACCUSING + r"|say|says|said|claim(?:s|ed)?|"
                        r"insist(?:s|ed)?|den(?:y|ies|ied))\b")
# a capital or country followed by any verb in the past tense acts as its government
_GOVERNMENT_VERB = re.compile(r"\s+(?:(?:has|had|also|then|again)\s+)?[a-z]{3,}ed\b")
# "Dunai in Primorsky Krai", "Kharkiv, Ukraine", "Russia's Tver Oblast": the larger place
# around one just named; or the landmark it is told by
_CONTAINER_GAP = re.compile(r",\s*|(?:\s+[a-z]+){0,2}?\s+in\s+(?:the\s+)?|['’]s\s+")  # "Tumangang yard in"
_OWNED_GAP = re.compile(r"['’]s\s+(?:the\s+)?")
_ROLE_BEFORE = re.compile(r"\b(?:from|to|into)\s+(?:the\s+)?$", re.I)  # the role word right before the owner
# an aside describing the place before: "at Dunai, a small naval facility in Primorsky Krai"
_APPOSED_IN = re.compile(r",\s*(?:a|an|the)\s+(?:[\w'’-]+\s+){0,5}?(?P<by>in|on|near|outside)\s+(?:the\s+)?")
# "Knevichi air base near Vladivostok", "Brovary, just east of the capital": where it lies
_LANDMARK_GAP = re.compile(r",?\s+(?:(?:just|some|about|[\d,.]+\s*(?:km|kilometres|kilometers|miles))\s+)?"
                           r"(?:near|outside|(?:(?:north|south)(?:-?(?:east|west))?|east|west)\s+of)\s+(?:the\s+)?")
# "Chauda (temporarily occupied Crimea)": a larger place in brackets after a name, known or not
_PAREN_CONTAINER = re.compile(r"[A-Za-z][\w'’.-]*\s+\((?:[a-z]+\s+){0,3}$")
COORDINATED = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+)")
# a list of targets may name each one's kind ("Kyiv and the southern region of Odesa") or
# narrow a country to its places ("attacks on Ukraine, including Kharkiv")
_LISTED = re.compile(r"(?:" + COORDINATED.pattern + r"(?:the\s+)?|,?\s+and\s+(?:in|on|at)\s+(?:the\s+)?|"
                     r",?\s+(?:including|notably|especially|particularly|mainly|mostly|primarily|as well as)\s+"
                     r"(?:in\s+|on\s+)?(?:the\s+)?)"
                     r"(?:the\s+(?:[a-z]+\s+)?(?:region|city|town|village|oblast|province|district|port)\s+of\s+)?")
_DISTANCE_UNITS = {"km", "kilometres", "kilometers", "miles", "mi", "metres", "meters", "m"}
_MONTH_NAMES = frozenset(calendar.month_name[1:])
# a port called at, then told unloading there (a call is else where cargo is loaded: "called at Rajin")
_CALLED_TO_UNLOAD = re.compile(r"[^.;]{0,40}?\b(?:to\s+(?:unload|offload|discharge|deliver)|unload(?:ed|ing)|"
                               r"offload(?:ed|ing)|discharg(?:ed|ing)|deliver(?:ed|ing))\b", re.I)
_TAKE = frozenset({"took", "taking", "takes", "take"})
# a ship seen or moored at a port (or a list of them), then told loading there: where cargo
# started ("ships were seen at Rajin and Chongjin, loading containers"), not where it went
_SEEN_AT = frozenset({"seen", "spotted", "sighted", "observed", "photographed", "docked", "berthed", "moored",
                      "anchored"})
_THEN_LOADING = re.compile(r"(?:(?:,\s*|\s+and\s+)(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)*,?\s+"
                           r"(?:to\s+load|loading|taking\s+on)\b")
_ORIGIN_CUES = {"from", "loaded", "loading", "called", "departed", "departing", "left", "leaving"}
_DEST_CUES = {"to", "into", "towards", "toward", "for", "unloaded", "unloading", "offloaded", "offloading",
              "discharged", "discharging", "arrived", "arriving", "reached",
              "reaching", "docked", "berthed", "moored", "reappeared", "spent", "stationed", "based", "deployed", "spotted", "seen", "sighted",
              "observed"}
_NOT_TOWARD = {"closer", "close", "nearer", "near", "next", "adjacent", "similar", "compared", "according"}
_RECIPIENT_VERBS = {"supplied", "supplying", "supplies", "provided", "providing", "helping", "helped", "armed",
                    "equipped", "sold", "gave", "given", "giving", "handed", "handing"}
_PURPOSE_VERBS = {"help", "support", "assist", "aid"}
_SERVING = {"fight", "fights", "fighting", "fought", "die", "died", "dying", "serve", "serves", "serving", "served",
            "work", "works", "working", "worked", "kill", "killed", "spy", "spying"}


def is_capital(m: PlaceMention) -> bool:
    """Whether the mention is its country's capital (which may stand for the government)."""
    c = m.candidate
    capital = national_capital(c.country) if c is not None and c.precision == 1 else None
    return capital is not None and name_key(c.name) == name_key(capital)
_BY_PARTICIPLES = {"supplied", "provided", "sent", "shipped", "delivered", "made", "produced", "manufactured",
                   "exported"}
_WORD = re.compile(r"[\w'’-]+|[,;:—–()]")
# (not "the village of Plekhovo": the name follows)
_ANAPHOR = re.compile(r"\b[Tt]he (?P<kind>city|town|village|port|capital)\b(?!['’]s\s+\w+\s+(?:said|says))"
                      r"(?!\s+of\s+[A-Z]|\s+[A-Z])")  # (nor "the capital Pyongyang")
# "the village" is no city of millions: an antecedent above this is not what it points back to
VILLAGE_MAX_POPULATION = 50_000
_SPEAKER_LEAD_ENDS = frozenset({"in", "from", "the"})
# (in every _ANAPHOR match; "The city was struck again" opens a sentence)
_ANAPHOR_WORDS = tuple(f"{the} {kind}" for the in ("the", "The") for kind in ("city", "town", "village", "port", "capital"))


def _has_anaphor(text: str, start: int, end: int) -> bool:
    return any(text.find(w, start, end) >= 0 for w in _ANAPHOR_WORDS)


@dataclass
class SentencePlace:
    mention: PlaceMention
    role: str | None = None         # "origin" | "destination" when the words before say so
    aside: bool = False             # dateline, speaker or container: not an event place
    dateline: bool = False
    container: bool = False         # "in North Korea" after a town: says where the town is

    @property
    def country(self) -> str:
        return self.mention.candidate.country

    @property
    def precision(self) -> int:
        return int(self.mention.candidate.precision)


def dateline_end(text: str, start: int, end: int) -> int:
    """Where the dateline opening the sentence at ``start`` ends (``start`` when it has none)."""
    m = _DATELINE.match(text, start, end)
    return m.end() if m else start


# "sent on to a Ministry of Defence arsenal near Tikhoretsk": the cue names the
# site, the place after it only locates the site, so the cue lies further back
_SITE_NEAR = re.compile(r"\b(?:arsenals?|depots?|bases?|facilit(?:y|ies)|sites?|storage|airfields?|yards?|"
                        r"terminals?|warehouses?|plants?|piers?|ranges?|grounds?)\s+(?:near|outside|at|in|by)\s+"
                        r"(?:the\s+)?$|\bports?\s+of\s+$", re.I)  # ("loaded ... at the North Korean port of Rajin")


def _lead_words(text: str, start: int, floor: int) -> list[str]:
    """Up to seven words before ``start`` (not before ``floor``), nearest first; fourteen
    when the place only locates a site named before it."""
    if _SITE_NEAR.search(text, max(floor, start - 40), start):
        return _WORD.findall(text, max(floor, start - 110), start)[::-1][:14]
    return _WORD.findall(text, max(floor, start - 60), start)[::-1][:7]


def _role(words: list[str]) -> str | None:
    """origin / destination from the words before a place ("from ports near", "sailed to")."""
    for i, word in enumerate(words):
        w = word.lower()
        if w in ",;:—–()" or word.isdigit() and len(word) == 4 or word in _MONTH_NAMES:
            # "from September 2023 across the bridge": the cue is the date's ("loaded 300
            # containers at Rajin" still is the loading's)
            return None
        if w in _SERVING and i:
            return None  # "distributed to forces fighting in Ukraine": where they fight, not where it went
        if w in _RECIPIENT_VERBS and all(x.lower() == "the" for x in words[:i]):
            return "destination"  # "supplied North Korea with ...": the recipient
        if w == "by":
            return "origin" if i + 1 < len(words) and words[i + 1].lower() in _BY_PARTICIPLES else None
        if w == "on" and i + 1 < len(words) and words[i + 1].lower() in _TAKE:
            return "origin"  # "took on containers at Rajin": where they were loaded
        if w in _ORIGIN_CUES:
            if w == "from" and _DISTANCE_UNITS.intersection(x.lower() for x in words[i + 1:i + 5]):
                return None  # "70 km from the city", "290 km (180 miles) from": a distance, not whence
            return "origin"
        if w in _DEST_CUES:
            if w == "to" and i + 1 < len(words) and words[i + 1].lower() in _NOT_TOWARD:
                return None  # "moving closer to Ukraine", "next to Kursk": near it, not sent there
            return "destination"
    return None


def _seen_at(lead: list[str]) -> bool:
    """Whether the words before a place tell a ship seen there ("spotted at (both) Rajin")."""
    words = [w.lower() for w in lead[:5] if w.lower() not in ("both", "the")]
    return words[:1] == ["at"] and any(w in _SEEN_AT for w in words[1:3])


def anaphors(text: str, start: int, end: int, antecedent: PlaceMention | None,
             port: PlaceMention | None = None, named: list[PlaceMention] = ()) -> list[PlaceMention]:
    """"the city", "the town": the last town named before the sentence (or its speaker's), at these words
    ("the village" only when that town is small enough to be one, "the capital" only when it
    is its country's capital); "the port": the port
    the sentence before named ("From Dunai ... trains were tracked from the port to a
    depot"), unless a town or port of this sentence (``named``) comes before it."""
    if not _has_anaphor(text, start, end):
        return []
    out = []
    for m in _ANAPHOR.finditer(text, start, end):
        # (or the town of the sentence's speaker: "Kharkiv governor Oleh Syniehubov said a
        # missile struck the city")
        town = next((n for n in reversed(named) if n.end <= m.start() and n.candidate is not None
                     and n.candidate.precision == 1 and _SPEAKER_TAIL.match(text, n.end, end)), antecedent)
        big = town is not None and town.candidate is not None and town.candidate.population > VILLAGE_MAX_POPULATION
        to = port if m["kind"] == "port" and not any(
            n.start < m.start() and n.candidate is not None and n.candidate.precision <= 2 for n in named) \
            else town if m["kind"] != "port" else None
        if to is not None and not (big and m["kind"] == "village") and \
                (m["kind"] != "capital" or is_capital(to)):  # ("the capital": only a capital named before)
            out.append(replace(to, text=m.group(0), start=m.start(), end=m.end(), relation=None, implied=True))
    return out


def sentence_places(text: str, start: int, end: int, mentions: list[PlaceMention]) -> list[SentencePlace]:
    """The sentence's located places with their route roles and whether they are asides."""
    dateline = dateline_end(text, start, end)
    out: list[SentencePlace] = []
    for m in mentions:
        if m.candidate is None:
            continue
        p = SentencePlace(m)
        prev = out[-1] if out else None
        gap = text[prev.mention.end:m.start] if prev else ""
        apposed = _APPOSED_IN.fullmatch(gap)
        if m.start < dateline:
            p.aside = p.dateline = True
        elif ends_with(text, max(start, m.start - 40), m.start, _SPEAKER_LEAD_ENDS) and \
                _SPEAKER_LEAD.search(text, max(start, m.start - 40), m.start) or \
                text[m.end:m.end + 1] in _SPEAKER_TAIL_FIRST and \
                _SPEAKER_TAIL.match(text, m.end, min(end, m.end + 60)) or \
                _ACCORDING.search(text, max(start, m.start - 60), m.start) or \
                _HEDGED.search(text, max(start, m.start - 70), m.start) or \
                _WAR_IN.search(text, max(start, m.start - 30), m.start) or \
                _POSSESSOR.match(text, m.end, min(end, m.end + 30)) or \
                m.candidate.precision == 4 and _AGENCY_TAIL.match(text, m.end, min(end, m.end + 30)) or \
                _OPENING_IN.fullmatch(text, max(start, dateline), m.start) and \
                _SPEAKS_NEXT.match(text, m.end, min(end, m.end + 60)):
            p.aside = True
        elif prev and _CONTAINER_GAP.fullmatch(gap) and (prev.aside and prev.mention.start >= dateline or
                                                          p.precision > prev.precision):
            p.aside = p.container = True
        elif prev and (_LANDMARK_GAP.fullmatch(gap) or apposed and (
                p.precision > prev.precision or apposed["by"].lower() != "in")):
            # ("Dunai, a military port near Vladivostok": a landmark whatever its size)
            p.aside = True
        elif prev and _PAREN_CONTAINER.search(text, max(start, m.start - 40), m.start):
            # "from Primorsko-Akhtarsk (Russian Federation) and Chauda (occupied Crimea)"
            p.role, p.aside = prev.role, True
        elif prev and COORDINATED.fullmatch(gap) and (prev.role or prev.aside and not prev.dateline) and \
                not (prev.container and p.precision < prev.precision):  # "Tumangang in North Korea and Khasan"
            p.role, p.aside = prev.role, prev.aside  # "from Chongjin and Hamhung", "officials in X and Y"
        else:
            floor = max(start, dateline, prev.mention.end if prev else start)
            lead = _lead_words(text, m.start, floor)
            p.role = _role(lead)
            if p.role == "origin" and [w.lower() for w in lead[:2]] == ["at", "called"] and \
                    _CALLED_TO_UNLOAD.match(text, m.end, end):
                p.role = "destination"  # "a Russian tanker called at Nampo to unload diesel": where it went
            elif p.role == "destination" and _seen_at(lead) and _THEN_LOADING.match(text, m.end, end):
                p.role = "origin"
            if p.role is None and prev and prev.role and _OWNED_GAP.fullmatch(gap) and \
                    _ROLE_BEFORE.search(text, max(start, prev.mention.start - 12), prev.mention.start):
                p.role = prev.role  # "fired from Russia's Belgorod and Kursk regions"
            elif p.role is None and prev and prev.role and prev.precision == 4 and p.precision < 4 and \
                    _OWNED_GAP.fullmatch(gap) and \
                    _role(_lead_words(text, prev.mention.start, max(start, dateline))[:3]) == prev.role:
                # "tankers loading fuel at Russia's Vostochny Port": the port is that end, its country
                # only says where the port is
                p.role, prev.role, prev.aside, prev.container = prev.role, None, True, True
            # ("fight for Moscow" is whom they serve; "a network for Pyongyang" is still where it went)
            if lead and is_capital(m) and (lead[0].lower() in _PURPOSE_VERBS or lead[0].lower() == "for" and (
                    len(lead) > 1 and lead[1].lower() in _SERVING)):
                # "troops sent to help Moscow": the capital stands for whom they serve (a
                # country they "support", a town they "defend", is still where they went)
                p.role, p.aside = None, True
        out.append(p)
    return out


def nearest(places: list[SentencePlace], start: int, end: int) -> list[SentencePlace]:
    """Places by distance from a trigger at [start, end): the words after a trigger name
    its object ("struck Kharkiv"), so a place before it counts three times as far."""
    def distance(p: SentencePlace) -> int:
        return p.mention.start - end if p.mention.start >= end else 3 * (start - p.mention.end) + 10
    return sorted(places, key=distance)


def with_coordinated(first: SentencePlace, places: list[SentencePlace], text: str) -> list[SentencePlace]:
    """``first`` and the places listed after it ("strikes on Kyiv, Kharkiv and Zaporizhzhia")."""
    out = [first]
    for p in places:
        if p.mention.start > out[-1].mention.end and _LISTED.fullmatch(text[out[-1].mention.end:p.mention.start]):
            out.append(p)
    return out


def with_coordinated_before(last: SentencePlace, places: list[SentencePlace], text: str) -> list[SentencePlace]:
    """``last`` and the places listed before it ("Kyiv, Kharkiv and Odesa were hit"), in text order."""
    out = [last]
    for p in reversed(places):
        if p.mention.end < out[0].mention.start and _LISTED.fullmatch(text[p.mention.end:out[0].mention.start]):
            out.insert(0, p)
    return out


def recipient(m: PlaceMention, text: str) -> bool:
    """Whether the place is the object of a verb of supplying ("supplied Moscow with",
    "handed Moscow"): a government that receives, not a place goods reached."""
    words = _WORD.findall(text, max(0, m.start - 20), m.start)
    return bool(words) and words[-1].lower() in _RECIPIENT_VERBS


def governing(p: SentencePlace, text: str) -> bool:
    """Whether a national capital or a country is told doing something, in the active voice
    ("Kyiv is trying to squeeze", "Kyiv has since said", "Ukraine launched drones at Tula"):
    its government, even where the war is; "Kyiv was hit", "Kyiv has been struck" are the city."""
    if not (p.precision == 4 or is_capital(p.mention)):
        return False
    return _CAPITAL_ACTS.match(text, p.mention.end, p.mention.end + 50) is not None or \
        _SPEAKS_UP.match(text, p.mention.end, p.mention.end + 40) is not None or \
        p.precision == 4 and _GOVERNMENT_VERB.match(text, p.mention.end, p.mention.end + 40) is not None


_LOCATED_IN = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$")


def acting(p: SentencePlace, text: str, places: list[SentencePlace] = ()) -> bool:
    """Whether the place is the subject of an action verb ("Moscow has deployed"), alone
    or with the places listed after it ("Pyongyang and Moscow signed"). A place after "in"
    is no subject: "a plant in Hamhung is producing missiles"."""
    if _LOCATED_IN.search(text, max(0, p.mention.start - 8), p.mention.start):
        return False
    if _ACTOR_TAIL.match(text, p.mention.end, p.mention.end + 80):
        return True
    if (p.precision == 4 or is_capital(p.mention)) and _GOVERNMENT_VERB.match(text, p.mention.end, p.mention.end + 40):
        return True  # "Moscow welcomed the invitation": the government, whatever it did
    after = [q for q in places if q.mention.start >= p.mention.end]
    return bool(after) and COORDINATED.fullmatch(text, p.mention.end, after[0].mention.start) is not None \
        and acting(after[0], text, after[1:])


_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.I)


def between(p: SentencePlace, places: list[SentencePlace], text: str) -> bool:
    """Whether the place is one of the two parties of "between X and Y"."""
    if _BETWEEN.search(text, max(0, p.mention.start - 15), p.mention.start):
        return True
    before = [q for q in places if q.mention.end <= p.mention.start]
    return bool(before) and COORDINATED.fullmatch(text, before[-1].mention.end, p.mention.start) is not None and \
        _BETWEEN.search(text, max(0, before[-1].mention.start - 15), before[-1].mention.start) is not None

"""Candidate events from a report's sentences, each tied to the words that support it.

Rules, not a model. Each trigger phrase (a strike verb, "fired from", "sent troops",
"shipped", "met", "signed", "made in" ...) gives an event whose place is the place
nearest to it in the sentence, preferring the words after it. Places that only say
where the story was filed (the dateline, "officials in Seoul said") or that contain the
place just named ("Dunai in Primorsky Krai") are not event places. A strike on a place
outside Ukraine is an incident (a failure, friendly fire, a hit on a depot in Russia).
Routes read their ends from the words before each place ("from", "to", "loaded at",
"unloaded at"), else from word order around the verb; a missing origin is the country
of a demonym in the sentence ("North Korean troops"), else "not stated".

The date is the sentence's own date nearest the trigger, leaving out when something
was said ("said on Friday"); "since X" runs from X to publication. A sentence without
a date takes the main date of the last sentence before it that has one, else of the
next two. An analyst reviews every candidate.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from geodata.events.catalogue import located_fields
from geodata.events.model import MAX_CASUALTIES, DatePrecision, Kind
from geodata.extract.dates import DateMention
from geodata.extract.mentions import QuantityMention, SystemMention
from geodata.extract.text import finditer_at, fold, folded_text
from geodata.extract.toponyms import PlaceMention
from geodata.places.query import QueryError
from geodata.extract.triggers import occurrences, sentence_triggers, trigger_starts

# with a weapon named in the sentence, these words deploy it where it was seen
_SYSTEM_SEEN = re.compile(r"\b(?:spotted|seen|observed|sighted|deployed|stationed|(?:began|begun|started) using)\b",
                          re.I)
_CLAIM_PARTS = (r"according to (?P<a>[^,.;]{3,80})",
                r"(?P<b>(?:[A-Z][\w'’.-]*\s?){1,6})\s+(?:said|says|reported|claimed|stated|told)",
                r"(?:said|reported)\s+(?P<c>(?:[A-Z][\w'’.-]*\s?){1,6})")
_CLAIM = re.compile("|".join(_CLAIM_PARTS))
_CASUALTIES = re.compile(r"(?P<n>\d{1,3}(?:,\d{3})+|\d+|dozens|one|two|three|four|five|six|seven|eight|nine|ten|several)\s+"
                         r"(?:people\s+|civilians\s+|persons\s+)?(?:were\s+)?(?P<what>killed|dead|died|"
                         r"injured|wounded|hurt)|(?P<verb>killing|injuring|wounding)\s+(?:at least\s+)?"
                         r"(?P<m>\d{1,3}(?:,\d{3})+|\d+|dozens|one|two|three|four|five|six|seven|eight|nine|ten|several)", re.I)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "several": 3, "dozens": 24}

# -- where a place stands in its sentence ---------------------------------------------
# "KYIV, Ukraine —", "MOSCOW (Reuters) —", "PYONGYANG, June 19 —": where the story was filed
_DATELINE = re.compile(r"\s*[A-Z][A-Z'’.\- ]{2,}(?:,[^—–\n]{1,40}?)?(?:\s*\([^)\n]{1,30}\))?\s+[—–]\s")
# "officials in Seoul said", "said in Brussels", "Ukraine's air force said": who speaks, not where
_SPEAKER_LEAD = re.compile(r"\b(?:officials?|authorities|diplomats?|analysts?|researchers?|experts?|sources?|"
                           r"observers?|reporters?|lawmakers|journalists|media|bloggers|commentators|"
                           r"correspondents?|spokesm[ae]n)\s+(?:in|from)\s+(?:the\s+)?$|"
                           r"\b(?:said|says|spoke|told\s+[\w ]{1,30}?)\s+in\s+$", re.I)
_SPEAKER_TAIL = re.compile(r"(?:['’]s?\s+(?:[\w-]+\s+){0,4}?|\s+)?(?:said|says|told|tells|reported|reports|announced|"
                           r"announces|claimed|claims|estimated|estimates|stated|states|noted|notes|denied|denies|"
                           r"confirmed|confirms|believes|assessed|assesses)\b")
_SPEAKER_TAIL_FIRST = frozenset("'’stracendb ")  # how a _SPEAKER_TAIL match begins (its verbs' first letters)
# "Moscow has deployed", "Pyongyang supplied", "Russia launched": a place acting is its
# government (metonymy), the actor of the event and not where it happened
_ACTOR_TAIL = re.compile(r"\s+(?:(?:has|have|had|is|was|were|will|would|could|may|might|also|already|reportedly|"
                         r"allegedly|then|now|not|been)\s+){0,3}(?:deployed|supplied|provided|sent|sends|send|shipped|"
                         r"delivered|used|uses|launched|launches|fired|fires|attacked|attacks|struck|strikes|"
                         r"targeted|targets|continues|continued|expanded|expands|received|receives|acquired|gave|"
                         r"gives|sold|sells|transferred|exported|bought|obtained|seeks|sought|seeking|wants|"
                         r"is|was|has|have|had)\b")
# "Dunai in Primorsky Krai", "Kharkiv, Ukraine", "Russia's Tver Oblast": the larger place around one just named
_CONTAINER_GAP = re.compile(r",\s*|(?:\s+[a-z]+){0,2}?\s+in\s+(?:the\s+)?|['’]s\s+")  # "Tumangang yard in"
_COORDINATED = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+)")
_ORIGIN_CUES = {"from", "loaded", "loading", "called", "departed", "departing", "left", "leaving"}
_DEST_CUES = {"to", "into", "towards", "toward", "for", "unloaded", "unloading", "arrived", "arriving", "reached",
              "reaching", "docked", "spent", "stationed", "based", "deployed", "spotted", "seen", "sighted",
              "observed"}
_RECIPIENT_VERBS = {"supplied", "supplying", "supplies", "provided", "providing", "helping", "helped", "armed",
                    "equipped", "sold", "gave", "giving"}
_BY_PARTICIPLES = {"supplied", "provided", "sent", "shipped", "delivered", "made", "produced", "manufactured",
                   "exported"}
_RECEIVING = re.compile(r"\b(?:received|receive|receiving|acquired|obtained|got|imported|bought)\b", re.I)
_ARRIVING = re.compile(r"\b(?:unloaded|unloading|docked)\b", re.I)  # "where shipments were unloaded"
_WORD = re.compile(r"[\w'’-]+|[,;:—–()]")
# transfer words that only say something moved: a transfer only when goods are named
_MOTION_ONLY = frozenset({"arrived", "moved", "taken to", "sailed"})
_GOODS = re.compile(r"\b(?:cargo|shipments?|containers?|ammunition|shells?|missiles?|rockets?|weapons?|arms|"
                    r"munitions|launchers?|equipment|supplies|goods|oil|fuel|wagons?|railcars?|vessels?|ships?|"
                    r"freighters?|trains?)\b", re.I)

# -- when -------------------------------------------------------------------------------
_REPORTED = re.compile(r"\b(?:said|says|told|announced|reported|published|released|stated|estimated|confirmed|"
                       r"added|noted|wrote|claimed|denied)(?:\s+(?:in|at|to|a|an|the|its|their|his|her|report|"
                       r"statement|summary|briefing|interview|analysis|parliament|reporters|journalists|news|"
                       r"conference|television|interviewer|post|video))*\s+(?:(?:late|early)\s+)?(?:on\s+)?$", re.I)
_ANAPHOR = re.compile(r"\bthe (?:city|town|village)\b(?!['’]s\s+\w+\s+(?:said|says))")
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas)\s")
# "have been deployed", "has sent": a state at publication, not the neighbour sentence's event
_PERFECT = re.compile(r"\b(?:has|have)\s+(?:(?:already|reportedly|allegedly|also|now|recently|so far)\s+)*"
                      r"(?:been\s+)?\w+(?:ed|sent|sold|given|taken|built)\b|"
                      r"\brecently\s+(?:been\s+)?\w+(?:ed|sent|sold|given|taken|built)\b", re.I)
# words that make what follows a possibility, a plan or a wish, not an event (up to
# three words before the trigger, in its clause)
_HEDGE = re.compile(r"\b(?:possible|possibly|potential|potentially|could|would|might|may|will|shall|plans? to|"
                    r"planning to|intends? to|intending to|ready to|willing to|expected to|hopes? to|invited "
                    r"[\w ]{1,30}? to|threatened to|threatens to|refused to|did not|does not|do not|never)"
                    r"(?:\s+[\w'’-]+){0,3}\s+$", re.I)
_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.I)
# The last word each of these lead patterns can end with (then whitespace): a lead that
# ends otherwise is not searched at all (see _ends_with).
_SPEAKER_LEAD_ENDS = frozenset({"in", "from", "the"})
_REPORTED_ENDS = frozenset("""said says told announced reported published released stated estimated confirmed
added noted wrote claimed denied in at to a an the its their his her report statement summary briefing interview
analysis parliament reporters journalists news conference television interviewer post video late early on""".split())
_SINCE_ENDS = frozenset({"since", "the"})
_ANAPHOR_WORDS = ("the city", "the town", "the village")  # in every _ANAPHOR match


def _ends_with(text: str, start: int, end: int, words: frozenset[str]) -> bool:
    """Whether text[start:end] ends with one of these words and whitespace (a necessary
    condition of the lead patterns above, and much cheaper than their search)."""
    lead = text[start:end]
    if not lead[-1:].isspace():
        return False
    last = lead.rsplit(None, 1)[-1:]
    return bool(last) and fold(last[0]) in words


_RECEIVING_STEMS = ("receiv", "acquired", "obtained", "got", "imported", "bought")  # in every _RECEIVING match
_SEEN_STEMS = ("spotted", "seen", "observed", "sighted", "deployed", "stationed", "using")  # every _SYSTEM_SEEN


def _has_any(text: str, stems: tuple[str, ...]) -> bool:
    """Whether any stem occurs in the folded text (what a case-insensitive match needs)."""
    low = fold(text)
    return any(stem in low for stem in stems)


def _has_anaphor(text: str, start: int, end: int) -> bool:
    return any(text.find(w, start, end) >= 0 for w in _ANAPHOR_WORDS)

DEMONYMS = {"North Korean": "KP", "South Korean": "KR", "Russian": "RU", "Ukrainian": "UA", "Chinese": "CN",
            "Iranian": "IR", "Belarusian": "BY", "Japanese": "JP", "American": "US"}
_DEMONYM = re.compile(r"\b(?:" + "|".join(DEMONYMS) + r")\b")
UNSTATED = "not stated in the report"
EVIDENCE_PREFIX = "Extracted from: "  # a candidate's citation: this, then its sentence

Period = tuple[date, date, DatePrecision]


@dataclass
class CandidateEvent:
    kind: Kind
    start: int                      # the supporting sentence
    end: int
    place: PlaceMention | None = None
    origin: PlaceMention | None = None
    destination: PlaceMention | None = None
    date: DateMention | None = None
    systems: list[SystemMention] = field(default_factory=list)
    quantities: list[QuantityMention] = field(default_factory=list)
    killed: int | None = None
    injured: int | None = None
    claimant: str | None = None
    period: Period | None = None    # the event's dates when they differ from the mention's ("since")
    date_note: str | None = None    # how the date was chosen when not the sentence's own
    trigger: str = ""               # the words that made it an event ("struck", "shipped")
    date_basis: str = "own"         # own | nearby (another sentence's date) | said (when it was said) | none
    evidence: list[tuple[int, int]] = field(default_factory=list)  # every supporting sentence
    confidence: float = 0.0         # 0-1, from the evidence (see geodata.extract.documents)

    @property
    def main_place(self) -> PlaceMention | None:
        return self.destination if self.kind in (Kind.TRANSFER, Kind.DEPLOYMENT) else self.place


class _Index:
    """Mentions sorted by offset, sliced by sentence with two binary searches."""

    def __init__(self, items):
        self.items = sorted(items, key=lambda x: x.start)
        self.starts = [x.start for x in self.items]

    def within(self, start: int, end: int) -> list:
        return self.items[bisect_left(self.starts, start):bisect_left(self.starts, end)]

    def last_before(self, start: int):
        i = bisect_left(self.starts, start)
        return self.items[i - 1] if i else None


_CASUALTY_STEMS = ("kill", "dead", "died", "injur", "wound", "hurt")  # in every _CASUALTIES match
_CLAIM_WORDS = ("according to", "said", "says", "reported", "claimed", "stated", "told")  # in every _CLAIM match


_CASUALTY_OPENERS = ("dozens", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                     "several", "killing", "injuring", "wounding")  # how a _CASUALTIES match begins, or a digit
_DIGITS = re.compile(r"\d+")


def _casualty_starts(sentence: str, low: str) -> list[int]:
    """Every offset where a _CASUALTIES match can begin (inside words too: it has no \\b)."""
    starts = [at for word in _CASUALTY_OPENERS for at in occurrences(low, word)]
    starts += [at for run in _DIGITS.finditer(sentence) for at in range(run.start(), run.end())]
    return sorted(starts)


def _casualty_figure(raw: str) -> int | None:
    """The count a casualty phrase gives, or None past MAX_CASUALTIES: "killing 5000-digit
    number people" is not a figure (and int() refuses strings past 4,300 digits)."""
    if raw in _NUMBERS:
        return _NUMBERS[raw]
    digits = raw.replace(",", "")
    if len(digits) > len(str(MAX_CASUALTIES)) or int(digits) > MAX_CASUALTIES:
        return None
    return int(digits)


def _casualties(sentence: str) -> tuple[int | None, int | None]:
    killed = injured = None
    low = folded_text(sentence)
    if low is not None and not any(stem in low for stem in _CASUALTY_STEMS):
        return killed, injured
    matches = _CASUALTIES.finditer(sentence) if low is None else \
        finditer_at(_CASUALTIES, sentence, _casualty_starts(sentence, low))
    for m in matches:
        value = _casualty_figure((m["n"] or m["m"]).lower())
        if value is None:
            continue
        what = (m["what"] or m["verb"]).lower()
        if what.startswith(("kill", "dead", "died")):
            killed = killed or value
        else:
            injured = injured or value
    return killed, injured


# _CLAIM's three alternatives apart: its leftmost match is theirs with the least start,
# the earlier alternative first. The middle one (names before "said") ends at one of its
# verbs and holds only word characters and spaces, so it is searched from the last other
# character before the first verb, not tried at every capital of the sentence.
_CLAIM_ALTERNATIVES = [re.compile(p) for p in _CLAIM_PARTS]
_CLAIM_VERBS = ("said", "says", "reported", "claimed", "stated", "told")  # how the middle one ends
_CLAIM_OUTSIDE = re.compile(r"[^\w'’.\-\s]")  # characters the middle alternative cannot hold


def _claimant(sentence: str) -> str | None:
    if not any(w in sentence for w in _CLAIM_WORDS):
        return None
    according, names, said = _CLAIM_ALTERNATIVES
    found = []
    if m := according.search(sentence):
        found.append((m.start(), 0, m["a"]))
    verbs = [at for verb in _CLAIM_VERBS if (at := sentence.find(verb)) >= 0]
    if verbs:
        first = min(verbs)
        last = _CLAIM_OUTSIDE.search(sentence[:first][::-1])  # the last such character, read backwards
        floor = first - last.start() if last else 0
        if m := names.search(sentence, floor):
            found.append((m.start(), 1, m["b"]))
    if m := said.search(sentence):
        found.append((m.start(), 2, m["c"]))
    return min(found)[2].strip() if found else None


# -- places in a sentence ------------------------------------------------------------------

@dataclass
class _Place:
    mention: PlaceMention
    role: str | None = None         # "origin" | "destination" when the words before say so
    aside: bool = False             # dateline, speaker or container: not an event place
    dateline: bool = False

    @property
    def country(self) -> str:
        return self.mention.candidate.country

    @property
    def precision(self) -> int:
        return int(self.mention.candidate.precision)


def _dateline_end(text: str, start: int, end: int) -> int:
    m = _DATELINE.match(text, start, end)
    return m.end() if m else start


def _lead_words(text: str, start: int, floor: int) -> list[str]:
    """Up to seven words before ``start`` (not before ``floor``), nearest first."""
    return _WORD.findall(text, max(floor, start - 60), start)[::-1][:7]


def _role(words: list[str]) -> str | None:
    """origin / destination from the words before a place ("from ports near", "sailed to")."""
    for i, word in enumerate(words):
        w = word.lower()
        if w in ",;:—–()":
            return None
        if w in _RECIPIENT_VERBS and all(x.lower() == "the" for x in words[:i]):
            return "destination"  # "supplied North Korea with ...": the recipient
        if w == "by":
            return "origin" if i + 1 < len(words) and words[i + 1].lower() in _BY_PARTICIPLES else None
        if w in _ORIGIN_CUES:
            return "origin"
        if w in _DEST_CUES:
            return "destination"
    return None


def _anaphors(text: str, start: int, end: int, antecedent: PlaceMention | None) -> list[PlaceMention]:
    """"the city", "the town": the last town named before the sentence, at these words."""
    if antecedent is None:
        return []
    return [replace(antecedent, text=m.group(0), start=m.start(), end=m.end(), relation=None, implied=True)
            for m in _ANAPHOR.finditer(text, start, end)] if _has_anaphor(text, start, end) else []


def _places(text: str, start: int, end: int, mentions: list[PlaceMention]) -> list[_Place]:
    """The sentence's located places with their route roles and whether they are asides."""
    dateline = _dateline_end(text, start, end)
    out: list[_Place] = []
    for m in mentions:
        if m.candidate is None:
            continue
        p = _Place(m)
        prev = out[-1] if out else None
        gap = text[prev.mention.end:m.start] if prev else ""
        if m.start < dateline:
            p.aside = p.dateline = True
        elif _ends_with(text, max(start, m.start - 40), m.start, _SPEAKER_LEAD_ENDS) and \
                _SPEAKER_LEAD.search(text, max(start, m.start - 40), m.start) or \
                text[m.end:m.end + 1] in _SPEAKER_TAIL_FIRST and \
                _SPEAKER_TAIL.match(text, m.end, min(end, m.end + 60)):
            p.aside = True
        elif prev and _CONTAINER_GAP.fullmatch(gap) and (prev.aside and prev.mention.start >= dateline or
                                                          p.precision > prev.precision):
            p.aside = True
        elif prev and _COORDINATED.fullmatch(gap) and (prev.role or prev.aside and not prev.dateline):
            p.role, p.aside = prev.role, prev.aside  # "from Chongjin and Hamhung", "officials in X and Y"
        else:
            floor = max(start, dateline, prev.mention.end if prev else start)
            p.role = _role(_lead_words(text, m.start, floor))
        out.append(p)
    return out


def _nearest(places: list[_Place], start: int, end: int) -> list[_Place]:
    """Places by distance from a trigger at [start, end): the words after a trigger name
    its object ("struck Kharkiv"), so a place before it counts three times as far."""
    def distance(p: _Place) -> int:
        return p.mention.start - end if p.mention.start >= end else 3 * (start - p.mention.end) + 10
    return sorted(places, key=distance)


def _with_coordinated(first: _Place, places: list[_Place], text: str) -> list[_Place]:
    """``first`` and the places listed after it ("strikes on Kyiv, Kharkiv and Zaporizhzhia")."""
    out = [first]
    for p in places:
        if p.mention.start > out[-1].mention.end and _COORDINATED.fullmatch(text[out[-1].mention.end:p.mention.start]):
            out.append(p)
    return out


# -- dates ---------------------------------------------------------------------------------

# A date the text does not give is bounded by the publication date: the event is no
# later, and dated the whole months up to it (geodata.extract.report).
UNDATED_MONTHS = 12


def months_up_to(last: date, months: int = UNDATED_MONTHS) -> tuple[date, date]:
    """The ``months`` whole months ending with the month of ``last`` (first and last day)."""
    first = last.year * 12 + last.month - months  # months since year 0
    return date(first // 12, first % 12 + 1, 1), _end_of(last, DatePrecision.MONTH)


def _end_of(day: date, precision: DatePrecision) -> date:
    if precision == DatePrecision.YEAR:
        return day.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day


@dataclass
class _When:
    mention: DateMention
    period: Period
    reported: bool                  # "said on Friday": when it was said, not when it happened
    since: bool

    @property
    def start(self) -> int:
        return self.mention.start


def _whens(text: str, dates: list[DateMention], published: date | None, floor_of) -> list[_When]:
    out = []
    for d in dates:
        lead_start = max(floor_of(d.start), d.start - 80)
        reported = _ends_with(text, lead_start, d.start, _REPORTED_ENDS) and \
            bool(_REPORTED.search(text, lead_start, d.start))
        since = _ends_with(text, max(lead_start, d.start - 12), d.start, _SINCE_ENDS) and \
            bool(_SINCE.search(text, max(lead_start, d.start - 12), d.start)) and published is not None \
            and d.date_start <= published
        period = (d.date_start, d.date_end, d.precision)
        if since:
            period = (d.date_start, max(d.date_end, _end_of(published, d.precision)), d.precision)
        out.append(_When(d, period, reported, since))
    return out


def _nearest_date(whens: list[_When], start: int, end: int, text: str) -> _When | None:
    """The date nearest a trigger in its own clause (not past "; " or ", and that")."""
    best, best_distance = None, None
    for w in whens:
        if w.reported:
            continue
        between = text[end:w.mention.start] if w.mention.start >= end else text[w.mention.end:start]
        if _CLAUSE_BREAK.search(between):
            continue
        s = w.mention.start
        distance = s - end if s >= end else 3 * (start - w.mention.end) + 10
        if best_distance is None or distance < best_distance:
            best, best_distance = w, distance
    return best


# -- building candidates ------------------------------------------------------------------

@dataclass
class _Sentence:
    start: int
    end: int
    text: str
    places: list[_Place]
    whens: list[_When]
    common: dict
    full: str = ""                  # the whole text, which offsets point into
    inherited: _When | None = None
    reported_before: _When | None = None

    def date_for(self, start: int, end: int) -> tuple[_When | None, str | None]:
        own = _nearest_date(self.whens, start, end, self.full)
        if own:
            return own, None
        said = next((w for w in self.whens if w.reported), None)
        if said:
            return said, "the date it was reported: the event is no later"
        if _PERFECT.search(self.full, max(self.start, start - 30), end):
            return None, None  # "have been deployed": true at publication, not on a neighbour's date
        if self.inherited:
            return self.inherited, "no date in the sentence; the date of a nearby sentence"
        if self.reported_before:
            return self.reported_before, "the date of an earlier statement: the event is no later"
        return None, None


def _event(kind: Kind, s: _Sentence, trigger: re.Match, **places) -> CandidateEvent:
    when, note = s.date_for(s.start + trigger.start(), s.start + trigger.end())
    period = None
    if when and (when.since or when.period != (when.mention.date_start, when.mention.date_end,
                                                 when.mention.precision)):
        period = when.period
    if when and when.since:
        note = f"from {when.mention.text!r} to publication (since)"
    basis = "none" if when is None else "own" if note is None or when.since else \
        "said" if "reported" in note or "statement" in note else "nearby"
    return CandidateEvent(kind, s.start, s.end, date=when.mention if when else None, period=period,
                          date_note=note, trigger=trigger.group(0), date_basis=basis, **places, **s.common)


def _located(s: _Sentence) -> list[_Place]:
    return [p for p in s.places if not p.aside]


def _acting(p: _Place, text: str) -> bool:
    """Whether the place is the subject of an action verb ("Moscow has deployed")."""
    return bool(_ACTOR_TAIL.match(text, p.mention.end, p.mention.end + 80))


def _fallback(s: _Sentence) -> list[_Place]:
    """The dateline's places: used only when the sentence names no other place."""
    return [p for p in s.places if p.dateline]


def _point_events(kind: Kind, s: _Sentence, trigger: re.Match, text: str) -> list[CandidateEvent]:
    """Strikes, incidents, meetings, agreements, tests, production: one place each."""
    t0, t1 = s.start + trigger.start(), s.start + trigger.end()
    places = [p for p in _located(s) if p.role != "origin" or kind not in (Kind.STRIKE, Kind.PRODUCTION)] \
        or _fallback(s)
    if kind == Kind.STRIKE:
        # a strike lands on a place in Ukraine, or on a named place elsewhere (a depot, a
        # town: an incident); a country elsewhere, or a capital that acts, is who attacks
        places = [p for p in places if (not p.aside or p.country == "UA")
                  and (p.country == "UA" or p.precision < 4 and not _acting(p, text))]
    elif kind == Kind.PRODUCTION:
        # "made in North Korea" says where a weapon comes from, not a production event to
        # map: only the place right after "made in" counts, and a country is not enough
        if trigger.group(0).lower() == "made in":
            places = [p for p in places if 0 <= p.mention.start - t1 <= 2]
        places = [p for p in places if p.precision < 4 and not _acting(p, text)]
    elif kind == Kind.MEETING:
        # "a summit between Pyongyang and Moscow", "visited North Korea": a meeting is
        # mapped where it was held, a town or a site, not at a whole country
        places = [p for p in places if p.precision < 4]
    if not places:
        return []
    ranked = _nearest(places, t0, t1)
    if kind == Kind.STRIKE and ranked[0].mention.start > t1:
        targets = _with_coordinated(ranked[0], places, text)
    else:
        targets = ranked[:1]
    out = []
    for p in targets:
        actual = Kind.INCIDENT if kind == Kind.STRIKE and p.country != "UA" else kind
        event = _event(actual, s, trigger, place=p.mention)
        if actual in (Kind.STRIKE, Kind.INCIDENT):
            event.killed, event.injured = _casualties(s.text)
        out += [event, *_also_dated(event, s)]
    return out


def _also_dated(event: CandidateEvent, s: _Sentence) -> list[CandidateEvent]:
    """The same event on the other listed days: "fired at the city on Jan. 2 and Jan. 6"."""
    out, last = [], event.date
    for w in s.whens:
        if last is None or w.mention.start <= last.end or w.reported:
            continue
        if not _COORDINATED.fullmatch(s.full[last.end:w.mention.start]):
            break
        out.append(replace(event, date=w.mention, period=None if not w.since else w.period))
        last = w.mention
    return out


def _launch_events(s: _Sentence, trigger: re.Match) -> list[CandidateEvent]:
    """Every place missiles were fired from ("fired from Kursk and Belgorod"), or the one
    nearest to "launchers were positioned in"; a launch from North Korea is a test."""
    sites = [p for p in _located(s) if p.role == "origin" or p.country == "RU" and p.role is None]
    sites = [p for p in sites if p.country != "UA" or p.role == "origin"]
    finer = [p for p in sites if p.precision <= 3] or sites
    if not trigger.group(0).lower().endswith("from") and finer:
        finer = _nearest(finer, s.start + trigger.start(), s.start + trigger.end())[:1]
    out = []
    for p in finer:
        kind = Kind.TEST if p.country == "KP" else Kind.LAUNCH_SITE
        out.append(_event(kind, s, trigger, place=p.mention))
    return out


def _route_events(kind: Kind, s: _Sentence, trigger: re.Match, text: str,
                  demonyms: list[PlaceMention], launched: bool) -> list[CandidateEvent]:
    t0, t1 = s.start + trigger.start(), s.start + trigger.end()
    if kind == Kind.TRANSFER and trigger.group(0).lower() in _MOTION_ONLY and not s.common["systems"] \
            and not s.common["quantities"] and not _GOODS.search(s.text):
        return []  # "Kim arrived at the cosmodrome": someone came to a place; nothing was transferred
    places = _located(s)
    origins = [p for p in places if p.role == "origin"]
    dests = [p for p in places if p.role == "destination"]
    unmarked = [p for p in places if p.role is None]
    # "Russia received ... from", "missiles supplied by North Korea": the subject is where it went
    receiving = _has_any(s.text, _RECEIVING_STEMS) and bool(_RECEIVING.search(s.text)) or s.text.startswith(" by ", trigger.end())
    before = [p for p in unmarked if p.mention.start < t0]
    after = [p for p in unmarked if p.mention.start >= t0]
    if receiving:
        before, after = after[::-1], before[::-1]
    if not origins and before:
        origins = [before[-1]]
    if not dests and after:
        dests = [after[0]]
    elif not dests and not origins and _ARRIVING.search(s.text) and unmarked:
        dests = [unmarked[-1]]
    if not dests and (not origins or launched):
        return []  # nothing arrives anywhere; "fired from X" is a launch, not a route
    if len(places) < 2 and all(p.role is None for p in places) and not _ARRIVING.search(s.text):
        return []  # one place and no word saying which end it is
    out = []
    for origin, destination in _legs(origins, dests, text, t0, t1, places):
        if origin is None:
            origin = _demonym_origin(demonyms, s, t0, destination)
        if origin is not None and destination is not None and \
                origin.candidate.id == destination.candidate.id:
            continue
        out.append(_event(kind, s, trigger, origin=origin, destination=destination))
    return out


def _legs(origins: list[_Place], dests: list[_Place], text: str, t0: int, t1: int, places: list[_Place] = ()):
    """(origin, destination) pairs: each listed origin to the destination nearest the
    verb (a town or province rather than its country when the sentence names one after
    the verb: "sent troops to Russia's Kursk region", "to Russia, mainly to Kursk"), or a
    chain when the text says "to A ... then to B"."""
    finest = min((p.precision for p in origins), default=None)
    starts = [p.mention for p in origins if p.precision == finest] or [None]
    if len(dests) > 1 and any("then" in text[a.mention.end:b.mention.start] for a, b in zip(dests, dests[1:])):
        chain = [d.mention for d in dests]
        return [(o, chain[0]) for o in starts] + list(zip(chain, chain[1:]))
    if not dests:
        return [(o, None) for o in starts]
    best = _nearest(dests, t0, t1)[0]
    finer = [p for p in [*dests, *places] if p.country == best.country and p.precision < best.precision
             and (p in dests or p.role is None and p.mention.start > t1)]
    if best.precision == 4 and finer:
        best = min(finer, key=lambda p: p.precision)
    return [(o, best.mention) for o in starts]


def _demonym_origin(demonyms: list[PlaceMention], s: _Sentence, t0: int,
                    destination: PlaceMention | None) -> PlaceMention | None:
    """The country of "North Korean troops" / "the North Korean ammunition", when it
    differs from the destination's."""
    near = [d for d in demonyms if s.start <= d.start < s.end and d.candidate is not None and
            (destination is None or d.candidate.country != destination.candidate.country)]
    near.sort(key=lambda d: (d.start > t0, abs(d.start - t0)))
    return near[0] if near else None


def _juche_production(s: _Sentence, country: Callable[[str], PlaceMention | None] | None) -> list[CandidateEvent]:
    """A Juche year on a part is a North Korean production date."""
    out = []
    for w in s.whens:
        if not (w.mention.text.isdigit() and len(w.mention.text) == 3):
            continue
        korean = [p for p in _located(s) if p.country == "KP"]
        place = korean[0].mention if korean else (country("KP") if country else None)
        if place is None:
            continue
        out.append(CandidateEvent(Kind.PRODUCTION, s.start, s.end, place=place, date=w.mention,
                                  date_note="a Juche-calendar marking on the weapon", **s.common))
    return out


def _prune(events: list[CandidateEvent], triggers: list[tuple[Kind, re.Match]] = ()) -> list[CandidateEvent]:
    """Within one sentence: no strike where it failed (an incident), no transfer that is a
    deployment's route, no country-wide event beside a finer one of the same kind, no
    production where someone visits or inspects a plant (a meeting), no duplicates."""
    if any(kind == Kind.MEETING for kind, _ in triggers):
        events = [e for e in events if e.kind != Kind.PRODUCTION]
    def key(e: CandidateEvent, main: PlaceMention | None):
        return (e.kind, main and main.candidate.id, e.origin and e.origin.candidate and e.origin.candidate.id,
                e.period or (e.date and (e.date.date_start, e.date.date_end)))
    mains = [e.main_place for e in events]
    incidents = {e.place.candidate.id for e in events if e.kind == Kind.INCIDENT and e.place}
    deployments = {e.destination.candidate.id for e in events if e.kind == Kind.DEPLOYMENT and e.destination}
    finer = {(e.kind, main.candidate.country) for e, main in zip(events, mains)  # kinds placed finer than a country
             if main and main.candidate and main.candidate.precision < 4}
    out, seen = [], set()
    for e, main in zip(events, mains):
        main_id = main.candidate.id if main and main.candidate else None
        if e.kind == Kind.STRIKE and main_id in incidents or e.kind == Kind.TRANSFER and main_id in deployments:
            continue
        if main and main.candidate and main.candidate.precision == 4 and (e.kind, main.candidate.country) in finer:
            continue
        if (k := key(e, main)) in seen:
            continue
        seen.add(k)
        out.append(e)
    return out


def candidate_events(text: str, sentences: list[tuple[int, int]], places: list[PlaceMention],
                     dates: list[DateMention], systems: list[SystemMention],
                     quantities: list[QuantityMention], published: date | None = None,
                     demonyms: list[PlaceMention] = (),
                     country: Callable[[str], PlaceMention | None] | None = None) -> list[CandidateEvent]:
    """Candidates in text order. ``demonyms`` (country mentions such as "North Korean")
    and ``country`` (a country's mention by ISO code) supply implied places."""
    starts = [a for a, _ in sentences]

    def sentence_start(offset: int) -> int:
        i = bisect_right(starts, offset) - 1
        return sentences[i][0] if i >= 0 else 0

    place_index, system_index, quantity_index = _Index(places), _Index(systems), _Index(quantities)
    whens = _Index(_whens(text, sorted(dates, key=lambda d: d.start), published, sentence_start))
    main = [next((w for w in whens.within(a, b) if not w.reported), None) for a, b in sentences]
    main_before = _last_before(main)
    by_sentence = trigger_starts(text, sentences)
    out: list[CandidateEvent] = []
    previous_place: PlaceMention | None = None
    antecedent: PlaceMention | None = None  # the last town named, for "the city"
    for i, (start, end) in enumerate(sentences):
        sentence = text[start:end]
        triggers = sentence_triggers(sentence, by_sentence.get(i, {}) if by_sentence is not None else None)
        sentence_systems = system_index.within(start, end)
        seeing = sentence_systems and _has_any(sentence, _SEEN_STEMS)
        for seen in _SYSTEM_SEEN.finditer(sentence) if seeing else ():
            if any(abs(m.start - start - seen.start()) < 80 for m in sentence_systems):
                triggers.append((Kind.DEPLOYMENT, seen))  # "Koksan guns were spotted near"
        here = place_index.within(start, end)
        if not triggers and not any(w.mention.text.isdigit() for w in whens.within(start, end)):
            previous_place = None
            antecedent = _last_town(here, antecedent)
            continue
        here = sorted(here + _anaphors(text, start, end, antecedent), key=lambda p: p.start)
        s = _Sentence(start, end, sentence, _places(text, start, end, here), whens.within(start, end),
                      dict(systems=sentence_systems, quantities=quantity_index.within(start, end)))
        s.inherited = main_before[i] or \
            next((m for m in main[i + 1:i + 3] if m), None)
        s.reported_before = whens.last_before(start)
        s.full = text
        found: list[CandidateEvent] = []
        launched = any(kind == Kind.LAUNCH_SITE for kind, _ in triggers)
        for kind, trigger in sorted(triggers, key=lambda kt: kt[1].start()):
            if _mere_mention(sentence, trigger):
                continue
            if kind == Kind.LAUNCH_SITE:
                found += _launch_events(s, trigger)
            elif kind in (Kind.TRANSFER, Kind.DEPLOYMENT):
                found += _route_events(kind, s, trigger, text, demonyms, launched)
            elif kind in (Kind.MEETING, Kind.AGREEMENT) and not s.places and previous_place is not None:
                found.append(_event(kind, s, trigger, place=previous_place))  # "The signing followed talks"
            else:
                found += _point_events(kind, s, trigger, text)
        found += _juche_production(s, country)
        found = _prune(found, triggers)
        claimant = _claimant(sentence) if found else None  # only sentences that give events need it
        for event in found:
            event.claimant = claimant
        previous_place = next((e.main_place for e in found if e.main_place is not None), None)
        antecedent = _last_town(here, antecedent)
        out += found
    return out


def _mere_mention(sentence: str, trigger: re.Match) -> bool:
    """A trigger that tells no event: part of an adjective ("North Korean-supplied
    missiles") or under a hedge a few words before it ("possible transfers", "could
    send troops", "invited him to visit")."""
    if sentence[trigger.start() - 1:trigger.start()] == "-":
        return True
    return bool(_HEDGE.search(sentence, max(0, trigger.start() - 40), trigger.start()))


def _last_before(items: list) -> list:
    """For each position, the last item before it that is not None."""
    out, last = [], None
    for item in items:
        out.append(last)
        last = item if item is not None else last
    return out


def _last_town(mentions: list[PlaceMention], antecedent: PlaceMention | None) -> PlaceMention | None:
    towns = [m for m in mentions if m.candidate is not None and m.candidate.precision == 1 and not m.implied]
    return towns[-1] if towns else antecedent


def _unstated() -> dict:
    return {"name": UNSTATED}


def _is_casualty_count(quantity: QuantityMention, candidate: CandidateEvent) -> bool:
    """"killing two people" is the casualty figure, not a quantity of the event."""
    counted = (candidate.killed, candidate.injured)
    return quantity.unit.lower() in ("people", "civilians") and quantity.value in counted


def event_record(candidate: CandidateEvent, text: str, source_id: str, geocoder) -> dict:
    """A candidate in the catalogue's schema (a dict for Event.model_validate)."""
    def place(mention: PlaceMention | None) -> dict | None:
        if mention is None or mention.candidate is None:
            return None
        c = mention.candidate
        name = mention.key if mention.implied else mention.text
        if mention.relation and candidate.kind not in (Kind.TRANSFER, Kind.DEPLOYMENT):
            try:
                relative = geocoder.candidates(f"{mention.relation} {mention.key}", limit=1)
            except QueryError:  # "10000000 km north of Kyiv": past the bound, so not located
                return {"name": f"{mention.relation} {name}"}
            c = relative[0] if relative else c
        return {"name": f"{mention.relation} {name}" if mention.relation else name, **located_fields(c)}

    sentence = " … ".join(" ".join(text[a:b].split()) for a, b in candidate.evidence or [(candidate.start, candidate.end)])
    main = candidate.main_place
    digest = hashlib.sha1(f"{source_id}|{candidate.kind}|{candidate.start}|{main and main.start}|"
                          f"{candidate.origin and candidate.origin.start}".encode()).hexdigest()[:8]
    record = {
        "id": f"{candidate.kind.value.replace('_', '-')}-{digest}",
        "kind": candidate.kind.value,
        "title": f"{candidate.kind.value.replace('_', ' ').capitalize()}"
                 + (f": {main.candidate.name}" if main and main.candidate else ""),
        "status": "reported",
        "systems": sorted({s.system for s in candidate.systems}),
        "quantities": [{"value": q.value, "unit": q.unit, "qualifier": q.qualifier.value}
                       for q in candidate.quantities if not _is_casualty_count(q, candidate)],
        "sources": [{"id": source_id, "evidence": EVIDENCE_PREFIX + sentence[:400]}],
    }
    if candidate.date:
        d = candidate.date
        start, end, precision = candidate.period or (d.date_start, d.date_end, d.precision)
        record.update(date_start=start, date_end=end, date_precision=precision.value,
                      date_note=f"from {d.text!r}" + (f"; {candidate.date_note}" if candidate.date_note else ""))
    if candidate.kind in (Kind.TRANSFER, Kind.DEPLOYMENT):
        record.update(origin=place(candidate.origin) or _unstated(),
                      destination=place(candidate.destination) or _unstated())
    else:
        record["place"] = place(candidate.place)
    if candidate.killed is not None or candidate.injured is not None:
        record["casualties"] = {"killed": candidate.killed, "injured": candidate.injured}
    if candidate.claimant:
        record["attribution"] = [{"claimant": candidate.claimant[:300], "basis": "media_report"}]
    return record

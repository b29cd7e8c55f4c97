"""Candidate events from a report's sentences, each tied to the words that support it.

Rules, not a model. Each trigger phrase (geodata.extract.triggers: a strike verb, "fired
from", "sent troops", "shipped", "met", "signed", "made in" ..., and losses: soldiers
killed are combat, people killed in a place a strike) gives an event whose place is the
place nearest to it in the sentence, preferring the words after it. Which places can be
event places is decided in geodata.extract.sentence_places (not the dateline, a speaker,
a news source, a possessor, a container of the place just named, a place where something
only may happen). Strikes, incidents, meetings and other one-place events are built in
geodata.extract.point_events (an air raid anywhere is a strike; troops storming a place
outside Ukraine, or a failure, an incident); transfers and deployments in
geodata.extract.routes (ends from the words before each place, "At X's port," as the
origin, goods "in return" as the transfer back, troops where they fight).

Dates (geodata.extract.event_dates, geodata.extract.sentence): the sentence's own date
nearest the trigger, leaving out when something was said ("said on Friday"); "since X"
runs from X to publication; a sentence without a date takes the main date of the last
sentence before it that has one, else of the next two. A candidate dated after
publication is a plan and is dropped. An analyst reviews every candidate.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from geodata.events.model import DatePrecision, Kind
from geodata.extract.candidate import (DEMONYMS, EVIDENCE_PREFIX, UNSTATED, CandidateEvent, MentionIndex,
                                      Period, principals)
from geodata.extract.claims import find_claimant
from geodata.extract.dates import DateMention
from geodata.extract.documents import PARTY_COUNTRIES, REPEATED_KINDS
from geodata.extract.event_dates import UNDATED_MONTHS, When, find_whens, listed_days, months_up_to
from geodata.extract.mentions import QuantityMention, SystemMention
from geodata.extract.point_events import juche_production, launch_events, point_events
from geodata.extract.records import event_record
from geodata.extract.routes import SIGHTING_STEMS, arrives, goods_named, route_events, sighting
from geodata.extract.sentence import Sentence, located, new_event
from geodata.extract.sentence_places import acting, anaphors, sentence_places
from geodata.extract.text import has_any
from geodata.extract.place_mention import PlaceMention
from geodata.extract.triggers import (ALLIED_TROOPS, KIND_PATTERNS, NORTH_KOREA_ACTS, TROOPS, combat_triggers,
                                      damage_triggers, loss_triggers, sentence_triggers, trigger_starts)
from geodata.systems import catalogue

__all__ = ["DEMONYMS", "EVIDENCE_PREFIX", "UNDATED_MONTHS", "UNSTATED", "CandidateEvent", "Period",
           "candidate_events", "event_record", "months_up_to"]

# with a weapon named in the sentence, these words deploy it where it was seen
_SYSTEM_SEEN = re.compile(r"\b(?:spotted|seen|observed|sighted|deployed|stationed|(?:began|begun|started) using)\b",
                          re.I)
# words that make what follows a possibility, a plan or a wish, not an event (up to
# three words before the trigger, in its clause)
# ("may" in lower case: "In May 2024 crates were shipped" names the month)
_HEDGE = re.compile(r"\b(?:possible|possibly|potential|potentially|could|would|might|(?-i:may)|will|shall|plans? to|"
                    r"planning to|intends? to|intending to|ready to|willing to|expected to|hopes? to|invited "
                    r"[\w ]{1,30}? to|invitation to|due to|set to|scheduled to|slated to|threatened to|threatens to|"
                    r"refused to|did not|does not|do not|never|yet to|no (?:signs?|evidence|indications?) of|"
                    r"preparations? for|preparing for|prepares? for|"
                    # talks about a thing are not the thing: "discussed sending workers to Russia"
                    r"discuss(?:ed|es|ing)?|talked about|propos(?:ed|es|ing)|offer(?:ed|s|ing)? to|"
                    r"consider(?:ed|s|ing)?|"
                    # a denial tells no event: "denied that Pyongyang had supplied weapons"
                    r"(?:denie[sd]|deny(?:ing)?|(?:rejected|rejects|dismissed|dismisses)\s+(?:the\s+)?"
                    r"(?:claims?|reports?|allegations?|accusations?))(?:\s+that)?)"
                    r"(?:\s+[\w'’-]+){0,3}\s+$", re.I)
# "KN-23s supplied by Pyongyang": a participle after its noun describes the weapon; it
# tells no transfer ("were supplied by" does)
_DESCRIBING = re.compile(r"(?:supplied|provided|delivered|sent|shipped|transferred|exported|acquired|obtained|"
                         r"received)\s+(?:by|from)\b", re.I)
_ADVERB = re.compile(r"also|then|later|since|reportedly|allegedly|\w+ly", re.I)
_PICTURE = re.compile(r"\b(?:photos?|photographs?|images?|pictures?|video|footage|handout|screenshots?|maps?)\b",
                      re.I)
# a possibility told after its noun, and a condition: no event happened
_MODAL_AFTER = re.compile(r"\s+(?:could|would|might|may)\b")
_CALLED_OFF = re.compile(r"[^.;]{0,80}?\b(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:\w+ly\s+)?"
                         r"(?:cancell?ed|called\s+off|postponed|scrapped|shelved)\b", re.I)
_CONDITION = re.compile(r"\b(?:if|unless|should)\s+(?:[\w'’-]+\s+){0,5}$", re.I)
# "the implementation of the treaty", "under the pact": an agreement named again, not signed
# here ("the treaty was signed on ..." still is)
_UNDER = re.compile(r"\bunder\s+(?:an?|the|this|that|its|their)\s+$", re.I)
_THE_AGREEMENT = re.compile(r"(?:treaty|pact|agreement|accord)\b", re.I)
_SIGNED_NOW = re.compile(r"(?:\s+\w+){0,3}?\s+(?:was|were)\s+(?:\w+ly\s+)?(?:signed|concluded|agreed)\b", re.I)
_AUXILIARY = frozenset({"was", "were", "been", "is", "are", "be", "being", "had", "has", "have", "and", "or"})
# "five days after the summit", "since the talks": a meeting named to date something else
_TIME_ANCHOR = re.compile(r"\b(?:after|before|since|following|ahead of|prior to)\s+(?:the|their|his|her|its|this|"
                          r"that|last|last year's|(?-i:[A-Z])[\w-]+['’]s?)\s+(?:[\w'’-]+\s+){0,2}$", re.I)
_ANCHOR_WORD = re.compile(r"\b(?:after|before|since|following|ahead of|prior to)\b", re.I)
# a headline drops the possessive ("Shoigu says after Kim meeting"): a name, then a noun
_HEADLINE_ANCHOR = re.compile(r"\b(?:after|before|following|ahead of)\s+[A-Z][\w-]+\s+$")
_ANCHOR_NOUNS = frozenset({"meeting", "summit", "talks", "visit"})
_SEEN_STEMS = ("spotted", "seen", "observed", "sighted", "deployed", "stationed", "using")  # every _SYSTEM_SEEN


_MORE = re.compile(r"\s+(?:(?:about|around|some|roughly|nearly|almost|over|more than)\s+)?[\d,.]+\s+"
                   r"(?:more|additional|others)\b|\s+(?:another|an additional|a further)\s", re.I)
_BULLETED = re.compile(r"\s*[-*•–—]")  # a timeline's line
# troops or goods told as more of what went before: "a further 3,000 soldiers", "the reinforcements"
_NEW_WAVE = re.compile(rf"\b(?:further|additional|fresh|second|third)\s+(?:[\d,]+\s+)?(?:[\w-]+\s+)?"
                       rf"(?:{TROOPS}|batch|wave|contingent|rotation|shipments?)\b|\breinforcements\b", re.I)
# more of the last sentence's, as the subject: "About 3,000 more were sent there"
_MORE_BEFORE = re.compile(r"\b(?:[\d,.]+\s+more|another\s+[\d,.]+|a\s+further\s+[\d,.]+)\s+"
                          r"(?:were|have\s+been|had\s+been|are\s+being)\s+$", re.I)
# a second batch told without its verb: "... and an additional 3,000 (or so) early this year"
_AND_MORE = re.compile(r"\band\s+(?:then\s+)?(?:an?\s+)?(?:additional|further|another)\s+(?:(?:about|around|some|"
                       r"roughly|nearly)\s+)?[\d,]+(?:\s+or\s+so)?|\band\s+(?:(?:about|around|some|roughly|nearly)\s+)?"
                       r"[\d,]+\s+more\b", re.I)
# a leader meeting people, not a counterpart: "met the families of soldiers", "visited troops"
_MET_NO_COUNTERPART = re.compile(r"\s+(?:with\s+)?(?:the\s+|some\s+|bereaved\s+)?(?:families|relatives|parents|widows|"
                         r"children|students|workers|residents|veterans|soldiers|troops|servicem[ae]n|wounded|"
                         r"tourists|athletes|artists|fans)\b"
                         # nor one that met a thing: "trucks met it on the quay", "met with criticism"
                         r"|\s+(?:it|the\s+(?:ship|vessel|freighter|tanker|train|convoy|cargo|trucks?|deadline|target|"
                         r"quota|demand|requirements?|criteria|standards?|expectations?)|with\s+(?:resistance|"
                         r"criticism|scepticism|skepticism|silence|protests?|condemnation|fire))\b", re.I)
_THEY = re.compile(r"\b(?:they|them)\b", re.I)
# the troops the last sentence counted, as a subject: "Most had been moved to the Kursk region"
_PART_OF_THEM = re.compile(r"\b(?:most|some|many|others|the rest|all)(?:\s+of\s+them)?\s+(?:had|have|were|was)\b", re.I)
_SUPPLY = re.compile(r"\b(?:deliver|suppl|ship|sen[dt]|provid|export|transferred|handed|receiv|import)", re.I)
# a clause that tells what went on at the time of the sentence's event, up to a trigger
_TIME_ASIDE = re.compile(r",\s+(?:just\s+|even\s+)?(?:as|while|when)\s+(?=[^,;]*$)", re.I)
_MAKES = re.compile(r"produc(?:ed|ing|es)\b|manufactur(?:ed|ing|es)\b", re.I)
_RELATIVE_AFTER = re.compile(r",\s+(?:where|which|whose)\b", re.I)
_AGAIN = re.compile(r"\b(?:again|once more|another attack)\b", re.I)
_CAPTIVES = re.compile(r"\b(?:captured|captives?|prisoners?|POWs?)\b", re.I)
_TROOPS_NAMED = re.compile(rf"\b(?:{TROOPS})\b", re.I)
_ALLIED_TROOPS_NAMED = re.compile(rf"{ALLIED_TROOPS.pattern}\s+(?:[\w-]+\s+)?(?:{TROOPS})\b", re.I)
# an official arriving somewhere is a visit ("Kozlov arrived in Pyongyang"); cargo arriving is not
_ARRIVAL = re.compile(r"(?:arrive[ds]|land(?:ed|s)|flew|flies|travell?(?:ed|s))\b", re.I)
_OFFICIAL = re.compile(r"\b(?:President|Minister|minister|Secretary|secretary|leader|delegation|envoy|diplomat|"
                       r"chief|Premier|premier|Chairman|counterpart)\b")
_IN_RETURN = re.compile(r"\W*in (?:return|exchange)\b", re.I)
_BACK = re.compile(r"\b(?:returned|returning|came back|sailed back|headed back|was back|were back)\b", re.I)
_FROM_THERE = re.compile(r"\b(?:from there|from where|thence|then|onwards?)\b", re.I)
# what North Korean weapons used in Ukraine, or a North Korean test, are told with (_country_wide)
_USED = re.compile(r"\b(?:used|using|uses|fired|launched)\b", re.I)
_TOOK_OFF = re.compile(r"(?:took|take|takes|taking)\s+off\b", re.I)
_MISSILES = re.compile(r"\b(?:ballistic\s+)?missiles?\b|\bKN-?2\d|\bHwasong", re.I)
# ("Kim" alone: its leader; "the North": Korea-desk usage, "the North's attempt to launch")
_NORTH_KOREA = re.compile(r"\b(?:North Korea|DPRK|Pyongyang|KCNA|Kim(?!\s+(?-i:[A-Z]))|"
                          r"[Tt]he North(?!\s+(?:Atlantic|Sea|Pole|Caucasus|Caucasian|Stream|said|says|told|claimed)))\b")


def _ends_known(route: CandidateEvent | None) -> bool:
    """Whether a route has both its ends, each placed."""
    return route is not None and route.origin is not None and route.destination is not None and \
        route.origin.candidate is not None and route.destination.candidate is not None


_NEW_STORY = re.compile(r"\W*(?:separately|in (?:a|another) separate \w+|meanwhile|elsewhere)\b", re.I)


def _troops_went(route: CandidateEvent) -> bool:
    """Whether a deployment is placed where it went, though not where it came from: "11,000
    troops deployed in October, who fought in the Kursk region" ("3,000 reinforcements
    sent in January" after it went there too; where they came from the report may tell
    elsewhere: geodata.extract.documents)."""
    return route.kind == Kind.DEPLOYMENT and route.destination is not None and \
        route.destination.candidate is not None


def _start_precision(route: CandidateEvent) -> int:
    start = route.origin.candidate if route.origin is not None else None
    return int(start.precision) if start is not None else 5


def _continued(e: CandidateEvent, route: CandidateEvent | None) -> CandidateEvent:
    """A leg told without its start that goes on the last sentence's route (the same kind,
    to the same country, from another): "the vessels began delivering containers to
    Vostochny as well" after "ships shuttled from Rajin to Dunai" starts at Rajin; one told
    only from the last start's country ("North Korean deliveries shifted to Vostochny") too."""
    if e.destination is None or e.destination.candidate is None or not _ends_known(route) or route.kind != e.kind:
        return e
    start = route.origin.candidate
    if e.origin is not None and not (e.origin.candidate is not None and e.origin.candidate.precision == 4
                                     and e.origin.candidate.country == start.country and start.precision < 4):
        return e
    country = e.destination.candidate.country
    if route.destination.candidate.country != country or start.country == country:
        return e
    return replace(e, origin=route.origin)


def _bound_from(route: CandidateEvent | None, arrived: When | None = None) -> PlaceMention | None:
    """Where the last sentence's ship left for a whole country or for where it does not say
    ("took on containers at Rajin, bound for Russia", "loaded containers at Rajin"): the start
    of the voyage "it berthed at Dunai" ends, unless that arrival (``arrived``) came before."""
    if route is None or route.kind != Kind.TRANSFER or route.origin is None or route.origin.candidate is None or \
            route.origin.candidate.precision == 4:
        return None
    if arrived is not None and route.date is not None and \
            arrived.period[1] < route.span[0]:
        return None  # ("loaded at Rajin on 20 February. The vessel had arrived at Dunai on 12 February")
    bound = route.destination
    return route.origin if bound is None or bound.candidate is None or bound.candidate.precision == 4 else None


def _goes_back(route: CandidateEvent | None, s: Sentence) -> bool:
    """Whether ``route`` (the last sentence's) can be sent back: both ends known, and no
    place of this sentence outside the two countries."""
    if not _ends_known(route):
        return False
    ends = {route.origin.candidate.country, route.destination.candidate.country}
    return all(p.country in ends for p in located(s))


def _country_wide(kind: Kind, s: Sentence, trigger: re.Match, sentence: str,
                  country: Callable[[str], PlaceMention | None] | None,
                  demonyms: list[PlaceMention]) -> list[CandidateEvent]:
    """An event the sentence places nowhere but whose country is plain: North Korea's
    weapons "used" by Russia were used in Ukraine ("Russia used 24 North Korean missiles
    between 30 December and 7 February"), and a test North Korea or its leader held was
    held in North Korea ("Kim oversaw the test of new drones"). Drawn as the whole country;
    a strike told without a date of its own is then background (documents._background)."""
    # (a place there would have placed it; not its capital acting: "Pyongyang conducted an ICBM launch")
    governments = [p for p in located(s) if kind == Kind.TEST and p.country == "KP" and acting(p, s.full)]
    if country is None or any(p.country == ("UA" if kind == Kind.STRIKE else "KP") and p not in governments
                              for p in located(s)):
        return []
    north_korean = any(d.candidate is not None and d.candidate.country == "KP" for d in demonyms) or \
        "KP" in principals(sentence) or bool(_NORTH_KOREA.search(sentence)) or bool(governments)
    if kind == Kind.STRIKE and north_korean and _USED.search(trigger.group(0)) and (
            s.common["systems"] or _MISSILES.search(sentence)):
        if _own_launch(sentence, trigger):
            kind, where = Kind.TEST, country("KP")  # "North Korea fired two missiles into the sea"
        else:
            where = country("UA")
    elif kind == Kind.TEST and north_korean and not any(
            p.country != "KP" and 0 <= s.start + trigger.start() - p.mention.end <= 30 for p in s.places):
        where = country("KP")  # (not "South Korea launched its fifth spy satellite; the North's ...")
    else:
        return []
    return [new_event(kind, s, trigger, place=where)] if where is not None else []


_TEST_WORDS = next(pattern for kind, pattern in KIND_PATTERNS if kind == Kind.TEST)
# North Korea right before the verb, its subject: "North Korea on Tuesday fired", "Pyongyang's military launched"
_NORTH_KOREA_FIRES = re.compile(rf"\b{NORTH_KOREA_ACTS}(?:['’]s\s+(?:military|army|forces))?"
                                r"(?:\s+(?!that\b|which\b)[\w-]+){0,3}\s+$")


def _own_launch(sentence: str, trigger: re.Match) -> bool:
    """Whether North Korea fired the missiles itself, a test: the sentence tells one ("North
    Korea fired two missiles into the East Sea"), or North Korea is the subject of "fired"
    ("North Korea on Tuesday launched two missiles at an island"), not Russia ("Russia fired
    North Korean missiles at Kharkiv", "North Korea has become a supplier and the missiles
    fired at Ukrainian cities ...")."""
    return bool(_TEST_WORDS.search(sentence)) or \
        bool(_NORTH_KOREA_FIRES.search(sentence, max(0, trigger.start() - 60), trigger.start()))


def _visitor(sentence: str, trigger: re.Match) -> bool:
    """Whether the one who arrived is a leader or an official ("Defence Minister Belousov
    landed at Sunan", "Lavrov travelled to Pyongyang"): the words before the verb name one."""
    before = sentence[max(0, trigger.start() - 80):trigger.start()]
    return bool(principals(before) or _OFFICIAL.search(before))


def _dated_here(s: Sentence, trigger: re.Match) -> bool:
    """Whether the words about a meeting give its own date ("since the meeting of Kim and
    Putin at Vostochny on 13 September 2023", "after the September 2023 summit"): told to
    date something else, it is still an event of the report's background."""
    t0, t1 = s.start + trigger.start(), s.start + trigger.end()
    return any(t0 - 25 <= w.mention.start <= t1 + 120 and not w.reported and not w.compared and
               not _ANCHOR_WORD.search(s.full, w.mention.start, max(t0, w.mention.end)) and
               "," not in s.full[t1:w.mention.start] for w in s.whens)  # ("after the summit, on May 4, ...")


def _anchor(sentence: str, trigger: re.Match) -> bool:
    """Whether a meeting word names a meeting to date something else ("five days after the summit")."""
    a = max(0, trigger.start() - 40)
    return bool(_TIME_ANCHOR.search(sentence, a, trigger.start())) or \
        trigger.group(0).lower() in _ANCHOR_NOUNS and bool(_HEADLINE_ANCHOR.search(sentence, a, trigger.start()))


def _carries_goods(e: CandidateEvent, text: str) -> bool:
    """Whether a transfer names goods between its verb and its destination: "supplied 50
    howitzers, some seen in Kursk" (not "sent troops to Kursk and provided shells")."""
    end = e.destination.start if e.destination is not None and e.destination.start > e.start else e.end
    at = text.rfind(e.trigger, e.start, end) if e.trigger else -1
    at = e.start if at < 0 else at
    return any(at <= m.start < end for m in e.systems) or goods_named(text[at:end])


def _prune(events: list[CandidateEvent], triggers: list[tuple[Kind, re.Match]] = (),
           text: str = "") -> list[CandidateEvent]:
    """Within one sentence: no strike where it failed (an incident), no transfer that is a
    deployment's route unless it carries goods of its own, no country-wide event beside a
    finer one of the same kind, no production where someone visits or inspects a plant (a
    meeting) or where a plant is struck, no duplicates."""
    struck = any(kind == Kind.STRIKE for kind, _ in triggers)
    if struck or any(kind == Kind.MEETING for kind, _ in triggers):  # (a Juche marking has no trigger)
        # (a plant visited still produces what a verb says it makes: "visited a munitions
        # factory in Kanggye, where shells for Russia are produced")
        events = [e for e in events if e.kind != Kind.PRODUCTION or not e.trigger or
                  not struck and _MAKES.match(e.trigger)]
    def key(e: CandidateEvent, main: PlaceMention | None):
        return (e.kind, main and main.candidate.id, e.origin and e.origin.candidate and e.origin.candidate.id,
                e.period or (e.date and (e.date.date_start, e.date.date_end)))
    def main_id(e: CandidateEvent) -> str | None:
        return e.main_place.candidate.id if e.main_place and e.main_place.candidate else None
    incidents = {e.place.candidate.id for e in events if e.kind == Kind.INCIDENT and e.place}
    deployments = {e.destination.candidate.id for e in events if e.kind == Kind.DEPLOYMENT and e.destination}
    events = [e for e in events if not (e.kind == Kind.STRIKE and main_id(e) in incidents or e.kind == Kind.TRANSFER
                                        and main_id(e) in deployments and not _carries_goods(e, text))]
    mains = [e.main_place for e in events]
    finer = {(e.kind, main.candidate.country) for e, main in zip(events, mains)  # kinds placed finer than a country
             if main and main.candidate and main.candidate.precision < 4}
    out, seen = [], set()
    for e, main in zip(events, mains):
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

    place_index, system_index, quantity_index = MentionIndex(places), MentionIndex(systems), MentionIndex(quantities)
    demonym_index = MentionIndex(demonyms)
    whens = MentionIndex(find_whens(text, sorted(dates, key=lambda d: d.start), published, sentence_start))
    main = [next((w for w in whens.within(a, b) if not w.reported and not w.compared), None) for a, b in sentences]
    main_before = _last_before(main)
    by_sentence = trigger_starts(text, sentences)
    out: list[CandidateEvent] = []
    previous_place: PlaceMention | None = None
    previous_route: CandidateEvent | None = None  # the last sentence's route, for "more were sent"
    last_end: PlaceMention | None = None  # where the last sentence's shipment went, for "then taken to"
    antecedent: PlaceMention | None = None  # the last town named, for "the city"
    port: PlaceMention | None = None  # the port the last sentence named, for "the port"
    front: PlaceMention | None = None  # the last region troops were sent to, for their losses
    seen: PlaceMention | None = None  # where the last sentence saw a ship or train with cargo
    bound_route: CandidateEvent | None = None  # the last sentence's ship leaving, for "it berthed at"
    # where the last sentence's ship or train went, with or without cargo ("left Vostochny and
    # docked at Rajin"), for one that "returned to Vostochny loaded with containers"
    reached: PlaceMention | None = None
    # whether the sentence names troops, not captives ("North Korea sent more troops"), and
    # whether they are allied troops ("11,000 North Korean soldiers"; not "Ukraine had captured
    # two North Korean soldiers. Most were moved ...")
    troops_named = allied_named = False
    for i, (start, end) in enumerate(sentences):
        sentence = text[start:end]
        free = not _CAPTIVES.search(sentence)
        troops_before, troops_named = troops_named, free and bool(_TROOPS_NAMED.search(sentence))
        allied_before, allied_named = allied_named, free and bool(_ALLIED_TROOPS_NAMED.search(sentence))
        triggers = sentence_triggers(sentence, by_sentence.get(i, {}) if by_sentence is not None else None)
        if not any(kind in (Kind.STRIKE, Kind.INCIDENT) for kind, _ in triggers):
            triggers += damage_triggers(sentence) or loss_triggers(sentence)
        if not any(kind == Kind.INCIDENT for kind, _ in triggers):
            triggers += combat_triggers(sentence)
        sentence_systems = system_index.within(start, end)
        seeing = sentence_systems and has_any(sentence, _SEEN_STEMS)
        for seen in _SYSTEM_SEEN.finditer(sentence) if seeing else ():
            if any(abs(m.start - start - seen.start()) < 80 for m in sentence_systems):
                triggers.append((Kind.DEPLOYMENT, seen))  # "Koksan guns were spotted near"
        here = place_index.within(start, end)
        seen_before, seen = seen, None
        reached_before, reached = reached, None
        if not triggers and not any(w.mention.text.isdigit() for w in whens.within(start, end)):
            previous_place = previous_route = last_end = bound_route = None
            if has_any(sentence, SIGHTING_STEMS):
                seen = sighting(Sentence(start, end, sentence, sentence_places(text, start, end, here), [],
                                         dict(systems=sentence_systems, quantities=[]), full=text))
            antecedent, port = _last_town(here, antecedent, text), _last_port(here)
            continue
        here = sorted(here + anaphors(text, start, end, antecedent, port, here), key=lambda p: p.start)
        s = Sentence(start, end, sentence, sentence_places(text, start, end, here), whens.within(start, end),
                      dict(systems=sentence_systems, quantities=quantity_index.within(start, end)))
        # (a timeline's bulleted line takes no date from an entry above it: "* Russia fires missiles at
        # Kharkiv" under "* 9 January: troops arrive in Kursk")
        own_line = bool(_BULLETED.match(sentence))
        s.reported_before = _unless_entry(whens.last_before(start), own_line)
        # a sentence after a dated statement goes on with it ("..., the General Staff
        # added"); only text before any date borrows a following sentence's, and not from
        # a timeline's entry ("* 6 January: ..."), which dates its own line alone
        following = next((m for m in main[i + 1:i + 3] if m), None) if s.reported_before is None else None
        s.inherited = _unless_entry(main_before[i], own_line) or _unless_entry(following, True)
        s.full = text
        s.country_of = country
        if country is not None and i:
            before = _countries_named(text, *sentences[i - 1], place_index.within(*sentences[i - 1]),
                                      demonym_index.within(*sentences[i - 1]))
            s.parties_before = tuple(m for m in map(country, sorted(before & PARTY_COUNTRIES)) if m)
        found: list[CandidateEvent] = []
        launched = any(kind == Kind.LAUNCH_SITE for kind, _ in triggers)
        for kind, trigger in sorted(triggers, key=lambda kt: kt[1].start()):
            if _mere_mention(sentence, trigger) or kind in (Kind.MEETING, Kind.AGREEMENT) and \
                    _anchor(sentence, trigger) and not _dated_here(s, trigger) or \
                    kind == Kind.MEETING and (_MET_NO_COUNTERPART.match(sentence, trigger.end()) or
                                              _ARRIVAL.match(trigger.group(0)) and not _visitor(sentence, trigger)) or \
                    kind == Kind.STRIKE and trigger.group(0).lower() == "landed" and _visitor(sentence, trigger):
                # ("Choe, who landed in the Russian capital": a visitor's plane, not a missile)
                continue
            if kind == Kind.LAUNCH_SITE:
                if not (_TOOK_OFF.match(trigger.group(0)) and not sentence_systems and not _MISSILES.search(sentence)):
                    found += launch_events(s, trigger)  # (not "Putin's plane took off from Yakutsk")
            elif kind in (Kind.TRANSFER, Kind.DEPLOYMENT) and not s.places and previous_route is not None \
                    and previous_route.kind == kind and (kind == Kind.DEPLOYMENT or goods_named(sentence)):
                # "An additional 3,000 personnel were sent in January": the same route again
                # (its end as sure as the last one's)
                found.append(replace(new_event(kind, s, trigger, origin=previous_route.origin,
                                               destination=previous_route.destination),
                                     end_guessed=previous_route.end_guessed))
            elif kind in (Kind.TRANSFER, Kind.DEPLOYMENT):
                # "From there the cargo travelled by rail to ...": the last leg's end starts this one
                arriving = kind == Kind.TRANSFER and arrives(sentence)
                # ("The vessel then made the short run to Dunai" after it loaded at Rajin for where the
                # sentence did not say: the voyage's start, as no leg ended before)
                there = last_end if _FROM_THERE.search(sentence) and last_end is not None else \
                    (seen_before or _bound_from(bound_route, main[i])) if arriving else \
                    reached_before if kind == Kind.TRANSFER and _BACK.search(sentence) else None
                lead = max(0, trigger.start() - 40), trigger.start()
                if kind == Kind.TRANSFER and (
                        previous_route is not None and previous_route.kind == Kind.DEPLOYMENT
                        and _THEY.search(sentence, *lead) or
                        allied_before and _PART_OF_THEM.search(sentence, *lead) and not goods_named(sentence)):
                    # "They were moved by rail to Kursk" after troops were sent; "Most had been
                    # moved to the Kursk region" after "11,000 North Korean soldiers were in Russia"
                    kind = Kind.DEPLOYMENT
                routes = route_events(kind, s, trigger, text, demonyms, launched, there)
                # (a route whose end only the sentence before suggests yields to "in return")
                if all(e.end_guessed for e in routes) and kind == Kind.TRANSFER and _IN_RETURN.match(sentence) and \
                        _goes_back(previous_route, s):
                    # "In return, Russia is sending food": the last route, the other way round
                    # (told as the same exchange, it has that route's date)
                    routes = [replace(previous_route, start=s.start, end=s.end, evidence=[], trigger=trigger.group(0),
                                      origin=previous_route.destination, destination=previous_route.origin,
                                      **s.common)]
                earlier = next((e for e in reversed(found) if e.kind in (Kind.TRANSFER, Kind.DEPLOYMENT)
                                and e.destination is not None), None)
                if not routes and earlier is not None and _MORE.match(sentence, trigger.end()):
                    # "deployed 11,000 troops to Russia last year and sent 3,000 more in January"
                    routes = [new_event(earlier.kind, s, trigger, origin=earlier.origin,
                                        destination=earlier.destination)]
                elif not routes and previous_route is not None and \
                        _MORE_BEFORE.search(sentence, max(0, trigger.start() - 40), trigger.start()):
                    # "North Korean troops arrived in Kursk in November. About 3,000 more were sent
                    # there in January": more of the last sentence's, a new wave
                    routes = [replace(new_event(previous_route.kind, s, trigger, origin=previous_route.origin,
                                                destination=previous_route.destination), new_wave=True)]
                if not _NEW_STORY.match(sentence):  # "Separately, a train ...": not the last route's leg
                    routes = [_continued(e, previous_route) for e in routes]
                for e in routes[:1]:
                    more = _AND_MORE.search(sentence, trigger.end())
                    if more and any(more.end() <= w.mention.start - s.start <= more.end() + 40 for w in s.whens):
                        # "sent 11,000 troops in the autumn and an additional 3,000 early this year"
                        routes.append(new_event(e.kind, s, more, origin=e.origin, destination=e.destination))
                found += routes
            elif kind in (Kind.MEETING, Kind.AGREEMENT) and not here and previous_place is not None \
                    and previous_place.candidate is not None and previous_place.candidate.precision < 4:
                # "The signing followed talks" (not "travels to Vostochny and meets Putin", where the
                # sentence names a place the gazetteer could not settle: no venue rather than the last one)
                found.append(new_event(kind, s, trigger, place=previous_place))
            else:
                rivals = [t for k, t in triggers if k == kind and t is not trigger]
                events = point_events(kind, s, trigger, text, rivals) or \
                    _country_wide(kind, s, trigger, sentence, country, demonym_index.within(start, end))
                if not events and kind == Kind.INCIDENT and front is not None and ALLIED_TROOPS.search(sentence) \
                        and all(p.precision == 4 and p.country == front.candidate.country for p in located(s)):
                    # "Zelensky said 3,000 North Korean soldiers had been killed or wounded":
                    # where they fight, the last region the report sent them to
                    events = [new_event(kind, s, trigger, place=front)]
                found += events
        found += juche_production(s, country)
        found = _each_day([e for e in _prune(found, triggers, text) if not _planned(e, published)], s)
        claimant = find_claimant(sentence) if found else None  # only sentences that give events need it
        parties = _countries_named(text, start, end, here, demonym_index.within(start, end)) if found else frozenset()
        wave = bool(_NEW_WAVE.search(sentence))
        for event in found:
            event.claimant, event.parties = claimant, parties
            event.new_wave = wave and event.kind in (Kind.DEPLOYMENT, Kind.TRANSFER)
            if event.kind == Kind.MEETING:
                _in_its_clause(event, text, start, end, here, demonym_index, whens)
            if event.kind == Kind.DEPLOYMENT and event.origin is None and country is not None:
                # (the sentence's parties, else with the last sentence's: "North Korean soldiers
                # were in Russia. Most had been moved to the Kursk region")
                before = {m.candidate.country for m in s.parties_before} if troops_before else set()
                event.origin = _sender(event, parties, country) or \
                    (_sender(event, parties | before, country) if before else None)
            elif event.kind == Kind.TRANSFER and country is not None and (
                    event.origin is None or event.origin.candidate is None):
                event.origin = _maker(event, country) or event.origin
        front = next((e.destination for e in found if e.kind == Kind.DEPLOYMENT and e.destination is not None
                      and e.destination.candidate is not None and e.destination.candidate.precision < 4), front)
        previous_place = next((e.main_place for e in found if e.main_place is not None), None)
        # (of a sentence's routes, the one with the finest start: "at the DPRK port of Rajin" is Rajin)
        previous_route = min((e for e in found if _ends_known(e) and e.kind in (Kind.TRANSFER, Kind.DEPLOYMENT)
                              or _troops_went(e)), key=_start_precision, default=None)
        last_end = next((e.destination for e in reversed(found) if e.kind == Kind.TRANSFER), None)
        bound_route = next((e for e in found if _bound_from(e) is not None), None)
        if any(kind == Kind.TRANSFER for kind, _ in triggers):
            reached = last_end or next((p.mention for p in reversed(s.places) if p.role == "destination"), None)
        antecedent, port = _last_town(here, antecedent, text), _last_port(here)
        out += found
    return out


def _each_day(events: list[CandidateEvent], s: Sentence) -> list[CandidateEvent]:
    """A strike told on several listed days ("launched North Korean missiles at Ukraine on
    December 30 and January 2") is one candidate a day: repeated attacks, not one. So is one
    told on its day as happening "again" ("The city was struck again on 7 February")."""
    out = []
    for e in events:
        own_day = e.kind in REPEATED_KINDS and e.date_basis == "own" and e.period is None and \
            e.date is not None and e.date.precision == DatePrecision.DAY
        listed = listed_days(s.whens, e.date, s.full) if own_day else []
        out += [replace(e, day_listed=True), *(replace(e, date=w.mention, day_listed=True) for w in listed)] \
            if listed or own_day and _AGAIN.search(s.text) else [e]
    return out


def _sender(event: CandidateEvent, parties: frozenset[str],
            country: Callable[[str], PlaceMention | None]) -> PlaceMention | None:
    """Where troops sent from no named place come from: the one other party of the pipeline
    the sentence names ("Pyongyang confirmed that it had deployed troops to Russia's Kursk
    region": North Korea)."""
    if event.destination is None or event.destination.candidate is None:
        return None
    senders = parties & PARTY_COUNTRIES - {event.destination.candidate.country}
    return country(next(iter(senders))) if len(senders) == 1 else None


def _maker(event: CandidateEvent, country: Callable[[str], PlaceMention | None]) -> PlaceMention | None:
    """Where weapons sent from no named place come from: the one party of the pipeline
    that makes all the systems the sentence names, when they went to another ("KN-23
    missiles delivered to Russia": North Korea). Not a leg inside a country ("moved to
    launch sites near Bryansk"): only a word of supply says so."""
    if event.destination is None or event.destination.candidate is None or not event.systems or \
            not _SUPPLY.search(event.trigger):
        return None
    makers = {catalogue().systems[m.system].origin for m in event.systems if m.system in catalogue().systems}
    maker = next(iter(makers)) if len(makers) == 1 else None
    return country(maker) if maker in PARTY_COUNTRIES and maker != event.destination.candidate.country else None


def _in_its_clause(meeting: CandidateEvent, text: str, start: int, end: int, here: list[PlaceMention],
                   demonym_index: MentionIndex, whens: MentionIndex) -> None:
    """A meeting told in a clause of its own takes its parties from that clause: "North Korea
    fired a missile ..., as Blinken visited Seoul" is no meeting of the pipeline's parties,
    nor is Kim at "a factory in Kanggye, where shells for Russia are produced". A visit told
    as the time of another event (", as Putin visited Pyongyang") takes that event's day when
    it tells none of its own."""
    at = text.find(meeting.trigger, start, end)
    aside = _TIME_ASIDE.search(text, start, at)
    told = _RELATIVE_AFTER.search(text, at, end) if at >= 0 else None
    if aside or told:
        a, b = aside.end() if aside else start, told.start() if told else end
        meeting.parties = _countries_named(text, a, b, [m for m in here if a <= m.start < b],
                                           demonym_index.within(a, b))
    then = next((w for w in reversed(whens.within(start, aside.start())) if not w.reported), None) if aside else None
    if then is not None and meeting.date_basis != "own" and not then.since:
        meeting.date, meeting.date_basis, meeting.date_note = then.mention, "own", None
        meeting.period = then.period if then.period[:2] != (then.mention.date_start, then.mention.date_end) else None


def _countries_named(text: str, start: int, end: int, places: list[PlaceMention],
                     demonyms: list[PlaceMention]) -> frozenset[str]:
    """The countries a sentence names: by place, demonym or leader."""
    return frozenset(m.candidate.country for m in [*places, *demonyms]
                     if m.candidate is not None and m.candidate.country) | principals(text[start:end])


def _mere_mention(sentence: str, trigger: re.Match) -> bool:
    """A trigger that tells no event: part of an adjective ("North Korean-supplied
    missiles", "missiles supplied by Pyongyang"), an agreement named again ("the
    treaty"), a possibility or condition ("deliveries could ...", "if attacked"), or under
    a hedge a few words before it ("possible transfers", "could send troops", "invited
    him to visit")."""
    if sentence[trigger.start() - 1:trigger.start()] == "-":
        return True
    if _MODAL_AFTER.match(sentence, trigger.end()) or _CONDITION.search(sentence, max(0, trigger.start() - 50),
                                                                          trigger.start()):
        return True  # "further deliveries could allow ...", "if either side is attacked"
    if _CALLED_OFF.match(sentence, trigger.end()):
        return True  # "talks planned for Moscow were cancelled"
    if _THE_AGREEMENT.match(sentence, trigger.start()) and (
            sentence[max(0, trigger.start() - 4):trigger.start()].lower() == "the " and
            not _SIGNED_NOW.match(sentence, trigger.end()) or _UNDER.search(sentence, max(0, trigger.start() - 12),
                                                                            trigger.start())):
        return True  # "the treaty", "under an agreement to supply ...": named again, not signed
    if _DESCRIBING.match(sentence, trigger.start()):
        before = sentence[:trigger.start()].split()
        while before and _ADVERB.fullmatch(before[-1]):
            before.pop()  # "were also shipped from": the auxiliary before the adverb tells the verb
        if before and re.fullmatch(r"[\w'’-]+", before[-1]) and before[-1].lower() not in _AUXILIARY:
            return True
        if _PICTURE.search(sentence, max(0, trigger.start() - 40), trigger.start()):
            return True  # "this satellite photo, provided by the NIS": a credit line
    return bool(_HEDGE.search(sentence, max(0, trigger.start() - 40), trigger.start()))


def _planned(event: CandidateEvent, published: date | None) -> bool:
    """An event dated by its own words after publication is a plan ("to be completed by
    2026"), not something that happened."""
    return published is not None and event.date is not None and event.date_basis == "own" and \
        event.span[0] > published


def _unless_entry(when: When | None, own_line: bool) -> When | None:
    """``when``, unless it opens a timeline's entry and the sentence is a line of its own."""
    return None if when is not None and when.entry and own_line else when


def _last_before(items: list) -> list:
    """For each position, the last item before it that is not None."""
    out, last = [], None
    for item in items:
        out.append(last)
        last = item if item is not None else last
    return out


_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$", re.I)


def _last_town(mentions: list[PlaceMention], antecedent: PlaceMention | None, text: str) -> PlaceMention | None:
    """The town "the city" next points to: the last one named, not one something came from
    ("Kharkiv was struck by missiles fired from Belgorod. ... the city's Slobidskyi district")."""
    towns = [m for m in mentions if m.candidate is not None and m.candidate.precision == 1 and not m.implied]
    towns = [m for m in towns if not _FROM.search(text, max(0, m.start - 10), m.start)] or towns
    return towns[-1] if towns else antecedent


def _last_port(mentions: list[PlaceMention]) -> PlaceMention | None:
    """The last port a sentence names: what "the port" in the next one points back to (not
    a port named further back: "visited the port of Nampo in March. ... shipped from Rajin
    to Vostochny, and trains left the port" is not Nampo)."""
    ports = [m for m in mentions if m.candidate is not None and m.candidate.feature_type == "port" and not m.implied]
    return ports[-1] if ports else None

"""Events at one place: strikes (outside Ukraine an incident unless an air raid), launch
sites, tests, meetings, agreements and production, each at the place its trigger names."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from geodata.events.model import Kind
from geodata.extract.candidate import CandidateEvent, principals
from geodata.extract.claims import casualties
from geodata.extract.mentions import SystemMention
from geodata.extract.sentence import Sentence, dateline_places, located, new_event
from geodata.extract.sentence_places import (COORDINATED, SentencePlace, acting, between, governing, nearest,
                                             with_coordinated, with_coordinated_before)
from geodata.extract.place_mention import PlaceMention
from geodata.extract.triggers import ALLIED_TROOPS
from geodata.places.candidate import haversine_km


def point_events(kind: Kind, s: Sentence, trigger: re.Match, text: str,
                 rivals: list[re.Match] = ()) -> list[CandidateEvent]:
    """Strikes, incidents, meetings, agreements, tests, production: one place each.
    ``rivals``: the sentence's other triggers of the kind (a venue is its nearest one's)."""
    t0, t1 = s.start + trigger.start(), s.start + trigger.end()
    # (where a strike was fired from, or a leader set out from for talks, is not where it
    # happened; one came back from after talks is)
    places = [p for p in located(s) if p.role != "origin" or kind not in (Kind.STRIKE, Kind.PRODUCTION, Kind.MEETING)
              or kind == Kind.MEETING and _BACK_FROM.search(text, max(s.start, p.mention.start - 60), p.mention.start)] \
        or dateline_places(s)
    if kind == Kind.STRIKE:
        # a strike lands on a place in Ukraine, or on a named place elsewhere (a depot, a
        # town: an incident); a country elsewhere, or a capital that acts, is who attacks
        places = [p for p in places if (not p.aside or p.country == "UA")
                  and (p.country == "UA" or p.precision < 4 and not acting(p, text)) and not governing(p, text)]
        if _RATE.search(s.text):
            # "fired 10,000 rounds a day along the front in Ukraine": how much, not a strike
            places = [p for p in places if p.precision < 4]
    elif kind == Kind.PRODUCTION:
        if not s.common["systems"] and not _ARMS.search(s.text):
            return []  # "gas production facilities", "a power plant": not arms
        # "made in North Korea", "produced in" say where a weapon comes from, not a production
        # event to map: only the place right after them counts, and a country is not enough
        if trigger.group(0).lower().endswith(" in"):
            places = [p for p in places if 0 <= p.mention.start - t1 <= 2]
        places = [p for p in places if p.precision < 4 and not acting(p, text)]
    elif kind == Kind.INCIDENT:
        # a failure or a loss is mapped where it happened, not at a whole country
        places = [p for p in places if p.precision < 4 and not governing(p, text)]
    elif kind == Kind.MEETING:
        # "a summit between Pyongyang and Moscow", "visited North Korea": a meeting is
        # mapped where it was held, a town or a site, not at a whole country
        # nor at a capital standing for its government ("Moscow was willing"), nor at the
        # parties of a relation ("cooperation between Pyongyang and Moscow")
        places = [p for p in places if p.precision < 4 and not acting(p, text, places)
                  and not between(p, places, text)
                  and not _WENT_HOME_TO.search(text, max(0, p.mention.start - 25), p.mention.start)
                  and min(abs(p.mention.start - t1), abs(t0 - p.mention.end)) <= _VENUE_REACH
                  and not _claimed(p, t0, t1, s.start, rivals)]
    elif kind == Kind.AGREEMENT:
        # "Pyongyang and Moscow signed a pact": the capitals are the parties, not where it
        # was signed (a country may stand for it: it is drawn as the whole country)
        places = [p for p in places if (p.precision == 4 or not acting(p, text, places)) and not _counterparty(p, text)]
        places = [p for p in places if p.precision < 4] or places  # where it was signed, when told
        if not places and _RATIFIED.search(s.text):
            # "Russia's lower house approved the treaty's ratification": the ratifying country
            places = [p for p in s.places if p.precision == 4 and not p.dateline and not _counterparty(p, text)][:1]
            if not places and s.country_of is not None and len(signers := principals(s.text)) == 1:
                # "Putin signed into law the treaty with North Korea": the signing leader's country
                mention = s.country_of(next(iter(signers)))
                places = [SentencePlace(mention)] if mention is not None else []
    elif kind == Kind.TEST:
        # "North Korea test-fired a missile from the Pyongyang area": where, if the text says;
        # a test is North Korea's, held there ("fired into the sea off Japan" is no test in
        # Japan), and "Pyongyang fired" is its government, not the city
        places = [p for p in places if p.country == "KP" and (p.precision == 4 or not acting(p, text))]
        places = [p for p in places if p.precision < 4] or places
    if kind in (Kind.MEETING, Kind.AGREEMENT):
        # "signed a treaty with Moscow", "talks with Pyongyang": the other party, not the venue;
        # "signed a treaty that ..., raising concerns in Seoul": what it does, not where
        places = [p for p in places if not _counterparty(p, text)
                  and not (p.mention.start > t1 and _VENUE_BREAK.search(text, t1, p.mention.start))]
    if not places:
        return []
    ranked = nearest(places, t0, t1)
    if kind in (Kind.STRIKE, Kind.INCIDENT) and ranked[0].mention.start > t1:
        targets = with_coordinated(ranked[0], places, text)  # "near Plekhovo, Vorozhba and Martynovka"
    elif kind == Kind.STRIKE and ranked[0].mention.end <= t0:
        targets = with_coordinated_before(ranked[0], places, text)  # "Kyiv, Kharkiv and Sumy came under attack"
    else:
        targets = ranked[:1]
    if kind == Kind.STRIKE and len(targets) == 1:
        targets = _inside(targets[0], places) or targets
    out = []
    for p in targets:
        allied = ALLIED_TROOPS.search(s.text)
        abroad = kind == Kind.STRIKE and p.country != "UA" and not _air_raid(s.text)
        assault = kind == Kind.STRIKE and p.country == "UA" and _ASSAULT.match(trigger.group(0)) \
            and _GROUND.search(s.text) and not _AIR_RAID.search(s.text) and not _FIRE.search(s.text)
        # "killed in a Ukrainian missile strike near Donetsk": Ukraine striking occupied land
        # is no Russian strike; with allied troops hit it is an incident
        ukrainian = kind == Kind.STRIKE and p.country == "UA" and not _INTERCEPTED.match(trigger.group(0)) and \
            bool(_UKRAINIAN_STRIKE.search(s.text, 0, trigger.start()))
        if (abroad or assault or ukrainian) and not allied:
            continue  # ground fighting without allied troops (ALLIED_TROOPS): the war's daily course, not this map's
        # ("a North Korean unit attacked toward Basivka")
        actual = Kind.INCIDENT if abroad or assault or ukrainian else kind
        event = new_event(actual, s, trigger, place=p.mention)
        if actual == Kind.STRIKE:
            event.systems = _clause_systems(s, trigger)
        if actual in (Kind.STRIKE, Kind.INCIDENT):
            event.killed, event.injured = casualties(s.text)
        out += [event, *_also_dated(event, s)]
    return out


# (and a second verb of striking: "hit Kyiv with Kh-101s and struck Kharkiv with KN-23s")
_STRIKE_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas)\s|\s(?:while|whereas)\s|"
                                  r"\sand\s+(?=(?:then\s+|also\s+)?(?:hit|struck|attacked|targeted|pounded|shelled)\b)")


def _clause_systems(s: Sentence, trigger: re.Match) -> list[SystemMention]:
    """The weapons of the trigger's clause when it names any ("KN-23 missiles hit Kharkiv, and
    cruise missiles hit Dnipro": no KN-23 at Dnipro); else the sentence's ("..., and one hit a school")."""
    bounds = [m.start() for m in _STRIKE_CLAUSE_BREAK.finditer(s.text)]
    a = max((x for x in bounds if x < trigger.start()), default=0)
    b = min((x for x in bounds if x >= trigger.end()), default=len(s.text))
    own = [m for m in s.common["systems"] if s.start + a <= m.start < s.start + b]
    return own if own or _OTHER_WEAPONS.search(s.text, a, b) else s.common["systems"]


_RATE = re.compile(r"\b(?:at\s+a\s+rate\s+of|(?:a|per)\s+(?:day|week|month)|daily\s+(?:average|rate))\b", re.I)
# what this map follows the production of
_ARMS = re.compile(r"\b(?:arms|weapons?|munitions?|ammunition|shells?|missiles?|rockets?|artillery|drones?|warheads?|"
                   r"launchers?|howitzers?|guns?|explosives|military|defen[cs]e)\b", re.I)
# how far from "met", "talks" a venue is named ("... to Russia's Kursk region to help rebuild
# ..., Shoigu said after talks with Kim": Kursk is where workers go, not where they talked)
_VENUE_REACH = 100
# where a traveller came back from after talks is where they were held; where they went home
# to is not
_BACK_FROM = re.compile(r"\b(?:returned|returning|returns|came\s+back|back|home)\b[^.;]{0,40}\bfrom\s+(?:the\s+)?$",
                        re.I)
_WENT_HOME_TO = re.compile(r"\b(?:returned|returning|returns|return|back|home)\s+(?:home\s+)?to\s+(?:the\s+)?$", re.I)
# a clause about the meeting or the pact, not where it was held ("talks that were held in" is)
_VENUE_BREAK = re.compile(r"\b(?:that|which|whose|raising|prompting|drawing|sparking)\b(?!\s+(?:(?:was|were|had been)"
                          r"\s+)?(?:held|hosted|signed|took\s+place)\b)", re.I)

_RATIFIED = re.compile(r"\bratif(?:y|ied|ies|ying|ication)\b|\binto\s+law\b", re.I)
_COUNTERPARTY = re.compile(r"\bwith\s+(?:the\s+)?$", re.I)




def _counterparty(p: SentencePlace, text: str) -> bool:
    """Whether the place is the other party ("a treaty with North Korea", "talks with Pyongyang")."""
    return bool(_COUNTERPARTY.search(text, max(0, p.mention.start - 12), p.mention.start))


# "drones hit a depot in Voronezh Oblast": an air raid outside Ukraine is a strike too; a
# hit there without one (troops storming a village, a stray missile) is an incident
_AIR_RAID = re.compile(r"\b(?:drones?|UAVs?|missiles?|rockets?|aircraft|jets?|bombers?|glide bombs?)\b", re.I)
# what a raid far behind the front hits: no ground fighting reaches it
# what a raid in Russia hits that this map follows: where arms are kept or flown from (a
# refinery, an oil terminal or a fuel depot is the energy war, not the weapons pipeline)
DEEP_TARGET = re.compile(r"\b(?:(?<!fuel )(?<!oil )(?<!gas )(?<!petroleum )depots?|arsenals?|ammunition|"
                         r"munitions? stores?|warehouses?|air ?bases?|airfields?)\b", re.I)
_UKRAINIAN_STRIKE = re.compile(r"\bUkrainian\s+(?:[\w-]+\s+){0,2}$|\bUkrain(?:e|ian forces)\s+(?:has\s+|had\s+)?$",
                               re.I)
_INTERCEPTED = re.compile(r"shot down|intercepted|downed", re.I)  # Ukraine's air defence: a Russian strike
_ASSAULT = re.compile(r"attack", re.I)  # "troops attacked toward Basivka": a ground assault
_FIRE = re.compile(r"\b(?:artillery|shell(?:s|ed|ing)?|mortars?|guns?|howitzers?|MLRS|rocket launchers?|bombs?)\b", re.I)
_GROUND = re.compile(r"\b(?:troops|soldiers?|servicem[ae]n|forces|units?|fighters?|battalions?|brigades?|regiments?|"
                     r"infantry|detachments?)\b", re.I)


def _inside(area: SentencePlace, places: list[SentencePlace]) -> list[SentencePlace]:
    """The finer places the sentence names inside a struck area: "an attack on Kyiv Oblast
    killed a man in Bucha district and injured two in Obukhiv district" struck the two
    districts, not the oblast's middle."""
    outer = area.mention.candidate
    if area.precision < 3 or outer.status == "ambiguous":
        return []

    def within(p: SentencePlace) -> bool:
        inner = p.mention.candidate
        if p is area or inner.status == "ambiguous" or inner.radius_km * 2 > outer.radius_km:
            return False
        if area.precision >= 4:
            return inner.country == outer.country
        return inner.country == outer.country and bool(inner.admin1) and inner.admin1 == (outer.admin1 or outer.name) \
            or haversine_km(outer.lat, outer.lon, inner.lat, inner.lon) <= outer.radius_km
    return [p for p in places if within(p)]


def _claimed(p: SentencePlace, t0: int, t1: int, offset: int, rivals: list[re.Match]) -> bool:
    """Whether another trigger stands between this one and the place: "he met Kim ahead of
    their first summit in Vladivostok in April 2019" held the summit there, not the meeting."""
    a, b = (t1, p.mention.start) if p.mention.start >= t1 else (p.mention.end, t0)
    return any(a <= offset + r.start() and offset + r.end() <= b for r in rivals)


def _air_raid(sentence: str) -> bool:
    """Whether a hit outside Ukraine came from the air: drones or missiles without troops,
    or a depot, an arsenal or an airfield hit (no ground fighting reaches those)."""
    return bool(_AIR_RAID.search(sentence)) and not _GROUND.search(sentence) or bool(DEEP_TARGET.search(sentence))


def _also_dated(event: CandidateEvent, s: Sentence) -> list[CandidateEvent]:
    """The same event on the other listed days: "fired at the city on Jan. 2 and Jan. 6"."""
    out, last = [], event.date
    for w in s.whens:
        if last is None or w.mention.start <= last.end or w.reported:
            continue
        if not COORDINATED.fullmatch(s.full[last.end:w.mention.start]):
            break
        out.append(replace(event, date=w.mention, period=None if not w.since else w.period))
        last = w.mention
    return out


_TALLY_BREAK = re.compile(r";|,?\s+and\s+(?=\d)")
_OTHER_WEAPONS = re.compile(r"\b(?:drones?|UAVs?|Shaheds?|Gerans?|decoys?|cruise|Kalibrs?|Kh-\d+\w*|guided|glide|"
                            r"bombers?|aircraft)\b", re.I)
_SPACE = re.compile(r"\b(?:satellites?|spacecraft|Soyuz|Angara-\w+|space\s+(?:launch|rocket|station))\b", re.I)
_BALLISTIC = re.compile(r"\b(?:ballistic|KN-2[345]\w*|Hwasong|Iskanders?)", re.I)


def launch_events(s: Sentence, trigger: re.Match) -> list[CandidateEvent]:
    """Every place missiles were fired from ("fired from Kursk and Belgorod"), or the one
    nearest to "launchers were positioned in"; a launch from North Korea is a test."""
    # the clause of the launch: an air force tally lists each weapon's launch area between
    # semicolons, or after "and" with a count ("..., and 117 drones from Bryansk")
    bounds = [m.start() for m in _TALLY_BREAK.finditer(s.text)]
    a = max((x for x in bounds if x < trigger.start()), default=0)
    b = min((x for x in bounds if x > trigger.end()), default=len(s.text))
    clause = s.text[a:b]
    if _OTHER_WEAPONS.search(clause) and not _BALLISTIC.search(clause):
        return []  # drones, cruise or air-launched missiles: not the ballistic missiles this map follows
    sites = [p for p in located(s) if (p.role == "origin" or p.country == "RU" and p.role is None)
             and s.start + a <= p.mention.start < s.start + b]
    sites = [p for p in sites if p.country != "UA" or p.role == "origin"]
    if _SPACE.search(clause) and not _BALLISTIC.search(clause):
        # a satellite launched from Russia fires no missile; one launched from the North is its test
        sites = [p for p in sites if p.country == "KP"]
    sites = [p for p in sites if p.role == "origin"] or sites  # "launch, from Sohae, followed the summit at Vostochny"
    finer = [p for p in sites if p.precision <= 3] or sites
    if not trigger.group(0).lower().endswith("from") and finer:
        finer = nearest(finer, s.start + trigger.start(), s.start + trigger.end())[:1]
    out = []
    for p in finer:
        kind = Kind.TEST if p.country == "KP" else Kind.LAUNCH_SITE
        out.append(new_event(kind, s, trigger, place=p.mention))
    return out



def juche_production(s: Sentence, country: Callable[[str], PlaceMention | None] | None) -> list[CandidateEvent]:
    """A Juche year on a part is a North Korean production date."""
    out = []
    for w in s.whens:
        if not (w.mention.text.isdigit() and len(w.mention.text) == 3):
            continue
        korean = [p for p in located(s) if p.country == "KP"]
        place = korean[0].mention if korean else (country("KP") if country else None)
        if place is None:
            continue
        out.append(CandidateEvent(Kind.PRODUCTION, s.start, s.end, place=place, date=w.mention,
                                  date_note="a Juche-calendar marking on the weapon", **s.common))
    return out

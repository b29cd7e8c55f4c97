"""Events are told across a report: one candidate per event, not per sentence.

A report tells one strike in its headline, its lead, a quote and a recap; each sentence
gives a sentence-level candidate (geodata.extract.events). Here candidates of the same
kind whose places are compatible (the same place, or one inside the other: Kharkiv and
Kharkiv Oblast, Kursk Oblast and Russia) and whose own dates overlap become one
candidate carrying every supporting sentence, system, quantity and claim, placed at its
finest place and dated by its own narrowest date. A candidate with no date of its own
joins one that has it. A merged candidate outside the map's scope (an event outside
THEATRE_COUNTRIES, a meeting or agreement without a party among PARTY_COUNTRIES), told
only as background, or a strike told only with weapons this map does not follow (unless
the same attack is told with weapons it follows) is dropped; each other one gets a
confidence from its evidence.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from geodata.events.model import ROUTE_KINDS, DatePrecision, Kind
from geodata.extract.candidate import CandidateEvent, principals
from geodata.extract.event_dates import months_up_to
from geodata.extract.place_mention import PlaceMention, unstated
from geodata.extract.point_events import DEEP_TARGET
from geodata.extract.sentence_places import is_capital
from geodata.extract.ports_named import PortsNamed
from geodata.places.candidate import haversine_km
from geodata.places.geocoder import FOCUS_COUNTRIES

_PRECISION_RANK = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}
# trigger words that name the event outright, and the ones that only suggest it
_STRONG = {"struck", "strike", "strikes", "hit", "hitting", "shelled", "fired", "launched", "shipped",
           "delivered", "deployed", "dispatched", "sent", "signed", "met", "summit", "unloaded", "loaded",
           "transferred", "arrived", "sailed", "exploded", "fell short", "malfunctioned", "crashed"}
_WEAK = {"plant", "factory", "factories", "production", "talks", "visit", "visited", "agreement", "agreed",
         "accord", "attack", "attacks", "impact", "received", "provided", "supplies", "supplied", "moved",
         "acquired", "obtained", "landed"}
BORROWED_SLACK_DAYS = 31
_STRIKES_SPAN_DAYS = 200  # a campaign of strikes on a whole country is told over weeks or months
# what happens at one place again and again (Kyiv is struck every month), so that a date
# borrowed from a neighbour must lie near an own date for the two to be one event
REPEATED_KINDS = frozenset({Kind.STRIKE, Kind.INCIDENT, Kind.LAUNCH_SITE})
# below this an analyst should look twice: the review leaves such rows unticked
ACCEPT_AT = 0.6
VOYAGE_DAYS = 14  # loaded in one sentence, arrived in another: a voyage between the pipeline's ports takes days


def _place_id(m: PlaceMention | None) -> str | None:
    return m.candidate.id if m is not None and m.candidate is not None else None


def _inside(fine: PlaceMention, coarse: PlaceMention) -> bool:
    """Whether ``coarse`` is ``fine`` or holds it (a country, or the province by name)."""
    a, b = fine.candidate, coarse.candidate
    if a is None or b is None:
        return False
    if a.id == b.id:
        return True
    if b.precision == 4:
        return a.country == b.country and a.precision < 4
    return b.precision == 3 and a.precision < 3 and a.country == b.country and bool(a.admin1) and \
        a.admin1 == (b.admin1 or b.name)


def _compatible_place(x: PlaceMention | None, y: PlaceMention | None) -> bool:
    if x is None or y is None:
        return x is None and y is None or (x or y).candidate is None
    return _inside(x, y) or _inside(y, x)


def _finer(x: PlaceMention | None, y: PlaceMention | None) -> PlaceMention | None:
    if x is None or x.candidate is None:
        return y
    if y is None or y.candidate is None:
        return x
    return y if y.candidate.precision < x.candidate.precision else x


def _dated(c: CandidateEvent) -> bool:
    return c.date is not None and c.date_basis in ("own", "nearby")


def _compatible_date(x: CandidateEvent, y: CandidateEvent) -> bool:
    """Own dates overlap (a day within three days); a missing date fits any, and a date
    borrowed from a neighbouring sentence yields to a date of its own (for REPEATED_KINDS
    only within a month, BORROWED_SLACK_DAYS): "the Bucha and Obukhiv districts" told
    beside the night of 4 July 2025 are no part of the strikes of 30 December 2023 an
    editor's note recalls."""
    if not (_dated(x) and _dated(y)):
        return True
    (a0, a1, _), (b0, b1, _) = x.span, y.span
    if (x.day_listed or y.day_listed) and x.date_basis == y.date_basis == "own" and \
            x.date.precision == y.date.precision == DatePrecision.DAY:
        return a0 == b0  # "fired on December 30 and January 2": two strikes, however near the days
    if {x.date_basis, y.date_basis} == {"own", "nearby"}:
        if x.new_wave or y.new_wave:
            slack = 0  # "The reinforcements were deployed to Kursk": not the troops sent before
        elif x.kind not in REPEATED_KINDS:
            return True  # one summit at Vostochny, troops staying for months: the borrowed day says little
        else:
            slack = BORROWED_SLACK_DAYS
    elif _voyage(x, y):
        slack = VOYAGE_DAYS
    else:
        slack = 3 if x.date.precision == DatePrecision.DAY and y.date.precision == DatePrecision.DAY else 0
    return (a0 - b1).days <= slack and (b0 - a1).days <= slack


def _voyage(x: CandidateEvent, y: CandidateEvent) -> bool:
    """Whether two transfers from one place are one voyage told on its two days: loaded at
    Rajin on 2 February "for Russia" (or for where the sentence does not say), and arrived in
    Dunai four days later (VOYAGE_DAYS)."""
    if x.kind != Kind.TRANSFER or unstated(x.origin) or x.origin.candidate.precision == 4 or \
            _place_id(x.origin) != _place_id(y.origin) or unstated(x.destination) and unstated(y.destination) or \
            not (_dated(x) and _dated(y) and x.date.precision == y.date.precision == DatePrecision.DAY):
        return False
    if unstated(x.destination) or unstated(y.destination):
        # (loaded first, then arrived: not "arrived at Vostochny on 5 September and left on the 8th")
        loaded, arrived = (x, y) if unstated(x.destination) else (y, x)
        return loaded.span[0] <= arrived.span[0]
    a, b = x.destination.candidate, y.destination.candidate
    # (or told in one sentence: "loaded oil at Vostochny on March 9 and unloaded it at Nampo ten days later")
    return (a.precision == 4) != (b.precision == 4) or \
        x.start == y.start and _place_id(x.destination) == _place_id(y.destination)


def _before_undated(x: CandidateEvent, y: CandidateEvent, window: tuple[date, date] | None, text: str) -> bool:
    """Whether one of two candidates has no date of its own (none, or a neighbour's within
    the months an undated event is given, UNDATED_MONTHS up to publication) and the other's
    own date ends before those months: "Kim met Putin in Vladivostok in 2019" is no part of
    a meeting there the report tells now without a date. An event named again ("the
    Vostochny summit") still is the earlier one."""
    if window is None or (x.date_basis == "own") == (y.date_basis == "own"):
        return False
    own, other = (x, y) if x.date_basis == "own" else (y, x)
    named_again = re.search(rf"\bthe\s+(?:[\w-]+\s+){{0,2}}{re.escape(other.trigger)}\b", text[other.start:other.end],
                            re.I)
    return own.date is not None and own.span[1] < window[0] and not named_again and \
        (other.date is None or other.span[1] >= window[0])


def _same_event(x: CandidateEvent, y: CandidateEvent) -> bool:
    if x.kind != y.kind or not _compatible_date(x, y):
        return False
    if x.kind in ROUTE_KINDS:
        if x.end_guessed or y.end_guessed:
            # a destination guessed from the sentence before joins only the same route
            return _place_id(x.origin) == _place_id(y.origin) and _place_id(x.destination) == _place_id(y.destination)
        if unstated(x.destination) != unstated(y.destination):
            # "From Dunai, the containers moved on by rail": the leg another sentence ends
            # ("Most of the cargo left from the port of Rajin" after "North Korea has shipped
            # containers to Russia": the port in the sender's country is where it started)
            partial, ended = (x, y) if unstated(x.destination) else (y, x)
            return not unstated(partial.origin) and partial.origin.candidate.precision < 4 and \
                not unstated(ended.origin) and _inside(partial.origin, ended.origin)
        return _compatible_place(x.destination, y.destination) and (
            x.origin is None or y.origin is None or _compatible_place(x.origin, y.origin))
    if x.kind in REPEATED_KINDS:
        # "used against Ukraine since the end of 2023" is no part of a strike on Kharkiv
        return _compatible_place(x.place, y.place) and not (_country_span(x, y) or _country_span(y, x))
    # one summit, one signing: told at the city and at its airport or palace, it is one venue
    return _compatible_place(x.place, y.place) or _within_town(x.place, y.place) or _within_town(y.place, x.place)


def _one_ended(c: CandidateEvent) -> bool:
    """A transfer one end of which the report does not state."""
    return c.kind == Kind.TRANSFER and (unstated(c.origin) or unstated(c.destination))


def _country_span(x: CandidateEvent, y: CandidateEvent) -> bool:
    """Whether ``x`` is told of a whole country or region over more than a month and ``y``
    of a finer place ("missiles used against the Kharkiv region regularly over the past
    year" is no date of the strike near Berestyn)."""
    period = x.span if _dated(x) else None
    return period is not None and (period[1] - period[0]).days > 31 and \
        x.place is not None and x.place.candidate is not None and x.place.candidate.precision >= 3 and \
        y.place is not None and y.place.candidate is not None and y.place.candidate.precision < x.place.candidate.precision


def _within_town(x: PlaceMention | None, y: PlaceMention | None) -> bool:
    """Whether ``x`` lies inside town ``y``'s extent (Sunan airport in Pyongyang)."""
    a, b = x and x.candidate, y and y.candidate
    return a is not None and b is not None and a.precision <= 2 and b.precision <= 2 and \
        haversine_km(a.lat, a.lon, b.lat, b.lon) <= b.radius_km + 10


def _better_date(x: CandidateEvent, y: CandidateEvent) -> CandidateEvent:
    """The candidate whose date to keep: an own date first, then the shorter span ("March
    12" before "this week", "April" before "the past ten weeks"), then the more precise."""
    def rank(c: CandidateEvent):
        order = {"own": 0, "said": 1, "nearby": 2, "none": 3}[c.date_basis]
        if c.date is None:
            return order, 10**9, 9
        first, last = c.span[:2]
        return order, (last - first).days, _PRECISION_RANK[c.date.precision]
    return y if rank(y) < rank(x) else x


def _join(x: CandidateEvent, y: CandidateEvent) -> CandidateEvent:
    dated = _better_date(x, y)
    visit = x.kind == Kind.MEETING and x.date_basis == y.date_basis == "own" and \
        x.date.precision == y.date.precision == DatePrecision.DAY
    if (_voyage(x, y) or visit) and x.span != y.span:
        # loaded on one day, arrived on another: the voyage spans both; a visit told on its
        # days ("began a visit on 31 October ... met Lavrov on 1 November") spans them
        (a0, a1, p), (b0, b1, q) = x.span, y.span
        first, last = (x, y) if a0 <= b0 else (y, x)
        dated = replace(first, period=(min(a0, b0), max(a1, b1), min(p, q, key=_PRECISION_RANK.get)),
                        date_note=f"to {last.date.text!r}: one {'visit' if visit else 'voyage'}")
    systems = list({m.system: m for m in [*x.systems, *y.systems]}.values())
    quantities = list({(q.value, q.unit): q for q in [*x.quantities, *y.quantities]}.values())
    return replace(
        x, place=_finer(x.place, y.place), origin=_finer(x.origin, y.origin),
        destination=_finer(x.destination, y.destination), date=dated.date, period=dated.period,
        date_note=dated.date_note, date_basis=dated.date_basis, systems=systems, quantities=quantities,
        killed=x.killed if x.killed is not None else y.killed,
        injured=x.injured if x.injured is not None else y.injured,
        claimant=x.claimant or y.claimant, parties=x.parties | y.parties,
        end_guessed=x.end_guessed and y.end_guessed, day_listed=x.day_listed or y.day_listed,
        new_wave=x.new_wave or y.new_wave,
        trigger=x.trigger if _strength(x.trigger) >= _strength(y.trigger) else y.trigger,
        evidence=sorted(set(x.evidence) | set(y.evidence)))


def merge(candidates: list[CandidateEvent], text: str, published: date | None = None,
          places: list[PlaceMention] = ()) -> list[CandidateEvent]:
    """One candidate per event told in the report (``text``), in the order first told;
    strikes told only with weapons this map does not follow are dropped (_other_weapons_only),
    unless they are part of an attack told with weapons it follows (_same_attack). A
    shipment by sea told without its port takes the one the report names (``places``:
    geodata.extract.ports_named)."""
    out: list[CandidateEvent] = []
    undated = months_up_to(published) if published is not None else None
    ports = PortsNamed(places, text, PARTY_COUNTRIES)
    # (a leg told from where it does not say first, to join the route it is on; a whole
    # country's end once joined, so that it still joins the legs told at their ports)
    for c in map(ports.start_of, candidates):
        c = replace(c, evidence=c.spans)
        # the same event: an earlier candidate of the same place first, else the nearest before
        fits = [i for i, o in enumerate(out) if _same_event(o, c) and not _before_undated(o, c, undated, text)]
        if not fits:
            out.append(c)
            continue
        same = [i for i in fits if _place_id(out[i].main_place) == _place_id(c.main_place)]
        i = (same or fits)[-1]
        out[i] = _join(out[i], c)
    out = [c for c in out if not _background(c, text) and not _out_of_scope(c) and not _at_home(c, text)]
    others = {id(c) for c in out if _other_weapons_only(c, text)}
    named = [c for c in out if c.kind == Kind.STRIKE and id(c) not in others and (
        c.systems or any(_FOLLOWED_WEAPONS.search(text, a, b) for a, b in c.evidence))]
    out = [c for c in out if id(c) not in others or _same_attack(c, named)]
    if any(c.kind == Kind.TRANSFER and not _one_ended(c) for c in out):
        out = [c for c in out if not _one_ended(c)]
    home = _troops_home(out)
    out = [replace(c, origin=home, end_guessed=True) if home is not None and c.kind == Kind.DEPLOYMENT and
           unstated(c.origin) and not unstated(c.destination) and
           c.destination.candidate.country != home.candidate.country else c for c in out]
    out = ports.ends_of(out)
    for c in out:
        c.confidence = confidence(c)
    return out


def _troops_home(candidates: list[CandidateEvent]) -> PlaceMention | None:
    """The one country the report's deployments say their troops come from ("North Korea
    sent 11,000 troops to Kursk ... Around 1,000 deminers arrived there in August"): where
    troops it tells without their origin come from too. None when its deployments start in
    two countries, or in none told as a whole country."""
    starts = [c.origin for c in candidates if c.kind == Kind.DEPLOYMENT and not unstated(c.origin)]
    countries = {m.candidate.country for m in starts}
    whole = [m for m in starts if m.candidate.precision == 4]
    return whole[0] if len(countries) == 1 and whole else None


# Weapons this map does not follow (drones, glide bombs, cruise missiles, aircraft), and
# words that may name what it does (ballistic missiles, North Korean arms, missiles,
# rockets or shells of any kind)
_OTHER_WEAPONS = re.compile(r"\b(?:drones?|UAVs?|Shaheds?|Gerans?|decoys?|glide bombs?|guided (?:aerial )?bombs?|"
                            r"KABs?|bombs?|cruise missiles?|Kalibrs?|Kh-\d+\w*|aircraft|jets?|bombers?)\b", re.I)
_FOLLOWED_WEAPONS = re.compile(r"(?<!\bno )(?<!\bwithout )\b(?:ballistic|KN-?2\d\w*|Hwasong\w*|Iskanders?|"
                               r"North Korean?|DPRK|Pyongyang|(?<!cruise )missiles?|rockets?|shells?|artillery|MLRS)\b",
                               re.I)


def _other_weapons_only(c: CandidateEvent, text: str) -> bool:
    """A strike every sentence of which names its weapons, all of them ones this map does
    not follow: "glide bombs hit Zaporizhzhia", "thirty drones were shot down over Kyiv and
    Sumy", "a drone hit a car in Belgorod" ("drones hit Odesa; no missiles were reported":
    what was not used does not count). A strike told without its weapon stays, and so does
    a raid on a depot in Russia (DEEP_TARGET: an arsenal holding North Korean shells)."""
    place = c.main_place
    if c.kind != Kind.STRIKE or place is None or place.candidate is None:
        return False
    if place.candidate.country != "UA" and any(DEEP_TARGET.search(text, a, b) for a, b in c.spans):
        return False
    return all(_OTHER_WEAPONS.search(text, a, b) and not _FOLLOWED_WEAPONS.search(text, a, b) for a, b in c.spans)


def _same_attack(c: CandidateEvent, strikes: list[CandidateEvent]) -> bool:
    """Whether a strike told with drones or cruise missiles only is part of a combined
    attack the report tells with weapons this map follows: in the same country, both dated
    to the day by their own words, a day apart at most ("KN-23s hit Kyiv overnight ...
    drones struck Kharkiv the same night"; not Ukraine's drones over Belgorod that night)."""
    if c.date_basis != "own" or c.date is None or c.date.precision != DatePrecision.DAY:
        return False
    a0, a1, _ = c.span
    country = c.main_place.candidate.country
    return any(s.date_basis == "own" and s.date is not None and s.date.precision == DatePrecision.DAY and
               s.main_place is not None and s.main_place.candidate is not None and
               s.main_place.candidate.country == country and
               (a0 - s.span[1]).days <= 1 and (s.span[0] - a1).days <= 1 for s in strikes)


def _country_or_unstated(m: PlaceMention | None) -> bool:
    """No place, a whole country, or its capital (which stands for its government)."""
    return m is None or m.candidate is None or m.candidate.precision == 4 or is_capital(m)


# a test is one day's launch, production what a plant makes: told without a date of their own
# ("the KN-23, which North Korea has tested repeatedly", "shells made in Hamhung" beside a dated
# delivery) they are what the report explains about a weapon, not an event to map
_CAPABILITIES = frozenset({Kind.TEST, Kind.PRODUCTION})
_PERFECT = re.compile(r"\b(?:have|has)\s+(?:also\s+|repeatedly\s+|regularly\s+)?(?:been\s+)?"
                      r"(?:launched|used|fired|hit|struck|targeted|employed)\b", re.I)


def _background(c: CandidateEvent, text: str) -> bool:
    """A transfer between whole countries (or their capitals: "Pyongyang has provided
    Moscow with shells") told without a date of its own (none, or a neighbour's), even
    after merging, is the relationship the report explains, not a shipment to map. So is
    a strike on a whole country without a date of its own, or on a whole country or region
    dated only by a span longer than half a year ("over the past year": the war, not one
    strike or campaign), and a strike anywhere told only in the perfect with no date at
    all, not even a neighbour's: "missiles have been used in attacks on cities including
    Kyiv, Kharkiv and Zaporizhzhia" tells where the weapon has been used, not an attack an
    analyst could place in time ("Russia fires North Korean missiles at Kharkiv" is one)."""
    if c.kind == Kind.STRIKE:  # "Russia has launched them at Ukraine": the war, not one strike
        precision = c.place.candidate.precision if c.place is not None and c.place.candidate is not None else 0
        period = c.span
        long = period is not None and (period[1] - period[0]).days > _STRIKES_SPAN_DAYS  # "over the past year"
        # (a whole region struck "regularly over the past year" is the war there too)
        used = c.date_basis == "none" and all(_PERFECT.search(text, a, b) for a, b in c.evidence)
        return used or precision == 4 and (c.date_basis in ("nearby", "none") or period is None or long) or \
            precision == 3 and long
    if c.kind in _CAPABILITIES:
        return c.date_basis in ("nearby", "none")
    return c.kind == Kind.TRANSFER and c.date_basis in ("nearby", "none") and \
        _country_or_unstated(c.origin) and _country_or_unstated(c.destination)


# Where this map follows events: the pipeline from North Korea to Russia, the war in
# Ukraine, and Belarus on its flank (the focus countries of the geocoder, and Belarus). A
# shipment from Germany to Ukraine, a strike in Syria or a plant in Kentucky is another
# story a report tells in passing. Meetings and agreements count wherever they are held (a
# summit in Beijing) when a party is North Korea, Russia or Belarus: held there, or named in
# their sentences by a place, a demonym or one of its leaders (geodata.extract.candidate.
# PRINCIPALS: "Putin met Kim in Beijing"); a town-hall meeting is not one, nor Russia with a
# third country and neither ally ("Putin met Xi", a US envoy in Moscow).
THEATRE_COUNTRIES = frozenset({*FOCUS_COUNTRIES, "BY"})
PARTY_COUNTRIES = frozenset({"KP", "RU", "BY"})
_TALKS = frozenset({Kind.MEETING, Kind.AGREEMENT})
_ALLIES = PARTY_COUNTRIES - {"RU"}  # Russia's partners in the pipeline
_INSPECTION = re.compile(r"(?:inspect|tour|visit)", re.I)  # a meeting's trigger that needs no counterpart


def _out_of_scope(c: CandidateEvent) -> bool:
    """A candidate outside the map's scope (THEATRE_COUNTRIES, PARTY_COUNTRIES). A place
    without a country (an online geocoder's answer) says nothing either way."""
    located = {m.candidate.country for m in (c.place, c.origin, c.destination)
               if m is not None and m.candidate is not None and m.candidate.country}
    if c.kind in _TALKS:
        named = located | c.parties
        # Putin with a US envoy, or US and Ukrainian delegations in Jeddah: another story,
        # unless North Korea or Belarus takes part too
        return not (PARTY_COUNTRIES & named) or bool(named - PARTY_COUNTRIES) and not (named & _ALLIES)
    return any(country not in THEATRE_COUNTRIES for country in located)


def _at_home(c: CandidateEvent, text: str) -> bool:
    """A leader inspecting or touring at home, with no one of another country named: "Kim Jong
    Un inspected a munitions factory in South Hamgyong" is no meeting of the pipeline's parties
    (a minister of no stated country touring a plant still is one)."""
    if c.kind != Kind.MEETING or not _INSPECTION.match(c.trigger):
        return False
    leaders = frozenset().union(*(principals(text[a:b]) for a, b in c.evidence))
    venue = c.place.candidate.country if c.place is not None and c.place.candidate is not None else None
    return len(leaders) == 1 and c.parties | {venue} == leaders


def _strength(trigger: str) -> float:
    word = trigger.lower().split()[0] if trigger.strip() else ""
    if word in _STRONG or trigger.lower() in _STRONG:
        return 1.0
    return 0.3 if word in _WEAK else 0.6


def confidence(c: CandidateEvent) -> float:
    """0-1 from the evidence: how plainly the words name the event, a named weapon, a date
    of its own, how finely it is placed, and how many sentences tell it."""
    main = c.main_place
    precision = int(main.candidate.precision) if main is not None and main.candidate is not None else 5
    place = {1: 1.0, 2: 0.8, 3: 0.7, 4: 0.3}.get(precision, 0.0)
    if c.kind in ROUTE_KINDS and (c.origin is None or c.origin.candidate is None or c.end_guessed):
        place *= 0.7  # one end not stated in the event's own sentences
    date = {"own": 1.0, "nearby": 0.5, "said": 0.4, "none": 0.0}[c.date_basis]
    sentences = len(c.spans)
    score = (0.1 + 0.25 * _strength(c.trigger) + 0.15 * bool(c.systems) + 0.2 * date + 0.2 * place
             + 0.1 * min(1.0, (sentences - 1) / 2))
    return round(min(1.0, max(0.0, score)), 2)

"""Routes: transfers and deployments, their origin and destination from the words before
each place ("from", "to", "loaded at"), else from word order around the verb."""

from __future__ import annotations

import re
from dataclasses import replace

from geodata.events.model import Kind
from geodata.extract.candidate import CandidateEvent, principals
from geodata.extract.documents import PARTY_COUNTRIES
from geodata.extract.sentence import Sentence, located, new_event
from geodata.extract.sentence_places import COORDINATED, SentencePlace, acting, is_capital, nearest, recipient, \
    with_coordinated
from geodata.extract.text import has_any
from geodata.extract.triggers import KIND_PATTERNS, TROOPS
from geodata.extract.place_mention import PlaceMention
from geodata.places.candidate import haversine_km

_RECEIVING = re.compile(r"\b(?:received|receive|receiving|acquired|obtained|got|imported|bought)\b", re.I)
_ARRIVING = re.compile(r"\b(?:unloaded|unloading|docked|port calls?)\b", re.I)  # "where shipments were unloaded"
# transfer words that only say something moved: a transfer only when goods are named
_MOTION_ONLY = frozenset({"arrived", "arriving", "arrives", "reached", "went", "returned", "moved", "moving",
                          "transported", "taken",
                          "taken to", "sailed",
                          "gave", "given", "giving", "flow", "flowed", "flowing", "flows", "bound for", "departed",
                          "departing", "carrying", "carried", "crossed", "crossing", "berthed", "moored", "docked",
                          "reappeared", "trips", "round trips", "voyage", "voyages", "port call", "port calls",
                          "left", "received", "handed", "handing", "travelled", "traveled", "shuttle", "shuttles",
                          "shuttled", "shuttling", "flights", "flew", "run", "journey"})
# a vessel or train named only by what it is (passenger trains, cruise ships) carries no goods:
# these words need cargo named, not only the vehicle
_CARGO_ONLY = frozenset({"arrived", "arriving", "arrives", "reached",
                         "crossed", "crossing", "berthed", "moored", "docked", "reappeared", "trips", "round trips",
                         "voyage", "voyages", "port call", "port calls", "left", "travelled", "traveled",
                         "shuttle", "shuttled", "shuttles", "shuttling", "flights", "flew", "run", "journey"})
_SHUTTLES = frozenset({"trips", "round trips", "voyages", "shuttle", "shuttles", "shuttled", "shuttling", "port calls"})
_CARGO_VESSEL = re.compile(r"\bcargo\s+(?:ships?|vessels?)\b", re.I)
# "a smaller volume has crossed the border by train": what was shipped (not trade's volume)
_VOLUME = (r"(?<!trade )(?<!passenger )volume"
           r"(?!\s+of\s+(?:trade|commerce|exports|imports|business|passengers|travell?ers|tourists|visitors))")
_FREIGHTERS = r"(?:transport|cargo)\s+(?:aircraft|planes?)"  # "Il-76 transport aircraft flew": a cargo carrier
_ARTILLERY = rf"artillery(?!\s+(?:{TROOPS}|crews|regiments?|men)\b)"  # the guns, not "artillery units"
# goods a shipment carries, named in either of the two lists below
_SHIPPED = (r"cargo|shipments?|consignments?|containers?|ammunition|shells?|missiles?|rockets?|weapons?|arms|"
            r"materiel|matériel|munitions|launchers?|equipment|supplies|goods|oil|fuel|wagons?|railcars?|crates?|"
            r"tankers?|howitzers?|"
            rf"{_VOLUME}|{_ARTILLERY}|{_FREIGHTERS}")
_CARGO = re.compile(rf"\b(?:{_SHIPPED}|freight|rail\s+traffic)\b", re.I)  # what a vehicle carries
# and the vehicles that carry it ("the ships sailed to Dunai"), rounds, air defence
_GOODS = re.compile(rf"\b(?:{_SHIPPED}|vessels?|ships?|freighters?|trains?|rounds|air[- ]defen[cs]e)\b", re.I)

# people moved without goods named: prisoners are no transfer, soldiers a deployment
_PRISONERS = re.compile(r"\b(?:prisoners?|POWs?|captives?|detainees?|bodies|remains)\b", re.I)
# people who travel on their own errand: "sent a stream of senior officials to Pyongyang" is visits
_TRAVELLERS = re.compile(r"\s+(?:[\w-]+\s+){0,4}?(?:officials|delegations?|envoys?|diplomats|ministers?|ambassadors?|"
                         r"students|tourists|athletes|journalists)\b", re.I)
_SOLDIER_WORDS = (r"soldiers?|troops|servicem[ae]n|fighters?|conscripts?|infantry|special\s+forces|commandos|"
                  r"military\s+personnel|sappers|deminers|reinforcements")
_SOLDIERS = re.compile(rf"\b(?:{_SOLDIER_WORDS})\b", re.I)

_VISIT_TO = re.compile(r"\bvisits?\s+to\s+(?:the\s+)?$", re.I)  # "a visit to Pyongyang": no shipment's end
# "drones over Pyongyang", "shipped ... through the port of Rajin": passed, not sent to
_PASSED = re.compile(r"\b(?:over|above|through|via)\s+(?:the\s+)?(?:(?:port|harbou?r)\s+of\s+)?$", re.I)
# the verbs of goods reaching a place, after "a depot near X, where ... had been"
_ARRIVAL_VERBS = frozenset({"unloaded", "offloaded", "discharged", "arrived", "delivered", "docked", "berthed",
                            "received"})
_WHERE_IT_CAME = re.compile(r"(?:\s+in\s+[^,;.]{1,40})?,\s+where\s+[^,;.]{0,60}?"
                            r"\b(?:had|have|has|were|was|had been|have been|are|is)?\s*(?:been\s+)?$", re.I)
_UNLOADED_AT = re.compile(r"\b(?:unloaded|offloaded|discharged|arrived|docked|berthed)\s+(?:at|in)\s+(?:the\s+)?"
                          r"(?:port\s+of\s+)?$", re.I)
_TRANSFER_WORDS = next(pattern for kind, pattern in KIND_PATTERNS if kind == Kind.TRANSFER)
_TANKERS = re.compile(r"\btankers?\b", re.I)
_LOADS = re.compile(r"\b(?:to (?:load|pick up|collect|take on)|loading|(?:oil|fuel|petroleum) terminal)\b", re.I)
_TAKEN_PRISONER = re.compile(rf"\b(?:captured|(?:took|taken)\s+prisoner)\s+(?:[\w-]+\s+){{0,4}}?"
                             rf"(?:{_SOLDIER_WORDS})\b|"
                             rf"\b(?:{_SOLDIER_WORDS})\s+(?:captured|taken\s+prisoner)\s+(?:in|near|by|on|at|during)\b|"
                             rf"\b(?:{_SOLDIER_WORDS})\b[^.;]{{0,40}}?\b(?:were|was|been)\s+(?:\w+ly\s+)?"
                             rf"(?:captured|taken\s+prisoner|taken\s+captive)\b", re.I)
_FOR_TALKS = re.compile(r"\bfor\s+(?:(?:a|an|the|his|her|their)\s+)?(?:[\w-]+\s+)?(?:talks|summit|visit|meeting|"
                        r"negotiations)\b", re.I)
_DELEGATION = re.compile(r"\bdelegations?\b", re.I)
# "2,000 wounded soldiers arrived in Pyongyang", "the bodies of soldiers were flown home": casualties
# carried back, not troops sent
_CASUALTIES = re.compile(rf"\b(?:wounded|injured|dead|killed|fallen)\s+(?:[\w-]+\s+)?(?:{TROOPS})\b|"
                         rf"\b(?:bodies|remains|coffins)\s+of\b", re.I)
_CAPTURED = re.compile(r"\b(?:were|was|been|being)\s+(?:\w+ly\s+)?(?:captured|seized|taken)$")
# "sent by rail": how it went, not who sent it
_MEANS = re.compile(r" by (?:the )?(?:rail|railway|train|sea|ship|ships|vessels?|road|trucks?|lorr(?:y|ies)|air|"
                    r"planes?|aircraft|ferry|barges?)\b", re.I)
_IN_RETURN = re.compile(r"\bin (?:return|exchange)\b(?:\s+for\s+(?P<paid>[^,;.]{1,80}))?", re.I)
# a new clause after the verb (", mainly in X" narrows the place, it is no new clause)
_CLAUSE_BREAK = re.compile(r"[;()]|,(?!\s*(?:primarily|mainly|mostly|largely|including|especially|particularly)\b)|"
                           r"\b(?:which|who|whose|that|where|while|when)\b")
_OWN_TROOPS = re.compile(rf"(?:['’]s)?\s+(?:{TROOPS})\b", re.I)  # "DPRK troops", "North Korea's soldiers"
_JOINED_VERB = re.compile(r"\b(?:and|but|while)\b")  # "sent troops to X and provided shells"
_PRESENT_IN = re.compile(r"\b(?:in|inside|near|around|across|(?:liberation|defen[cs]e|recapture|battles?|storming)\s+"
                         r"(?:of|for))\s+(?:the\s+)?(?:[A-Z][\w-]+['’]s\s+)?$", re.I)
_RECEIVING_STEMS = ("receiv", "acquired", "obtained", "got", "imported", "bought")  # in every _RECEIVING match


def route_events(kind: Kind, s: Sentence, trigger: re.Match, text: str,
                  demonyms: list[PlaceMention], launched: bool,
                  there: PlaceMention | None = None) -> list[CandidateEvent]:
    """The sentence's routes for one trigger; ``there`` is where "from there" points (the
    last leg's end, or where the sentence before saw the cargo: a leg with goods already
    named)."""
    t0, t1 = s.start + trigger.start(), s.start + trigger.end()
    said = trigger.group(0).lower()
    verbs = {said, said.split()[0], said.split()[-1]}  # "crossed", "round trips", "aircraft ... flew"
    if kind == Kind.TRANSFER and verbs & _CARGO_ONLY and there is None and not s.common["systems"] and \
            not _CARGO.search(s.text if verbs & _SHUTTLES else _CARGO_VESSEL.sub("", s.text)):
        # "high-speed trains made 20 round trips between Moscow and ...": no goods; "the cargo
        # ship left Vostochny and docked at Rajin": a ship sailing to load (a cargo ship's
        # round trips between two ports still carry its cargo)
        return []
    if kind == Kind.TRANSFER and said.startswith(_RECEIVING_STEMS) and not s.common["systems"] and \
            not goods_named(re.split(r"[,;]", s.text[trigger.end():trigger.end() + 80])[0]):
        return []  # "Pyongyang received compensation from Moscow for its troops": no goods received
    if kind == Kind.TRANSFER and not s.common["systems"] and not goods_named(s.text):
        if verbs & _MOTION_ONLY and not s.common["quantities"] and there is None:
            return []  # "Kim arrived at the cosmodrome": someone came to a place; nothing was transferred
        if _PRISONERS.search(s.text):
            return []  # "prisoners were transferred to Kyiv": people in custody, not arms
        if _SOLDIERS.search(s.text):
            kind = Kind.DEPLOYMENT  # "a soldier said he had been sent to Kursk": troops, told by a pronoun
    if kind == Kind.TRANSFER and not s.common["systems"] and not _CARGO.search(s.text) and _SOLDIERS.search(s.text):
        kind = Kind.DEPLOYMENT  # "landing ships moved the troops to Vladivostok": the ships carry no goods
    if kind == Kind.TRANSFER and _TRAVELLERS.match(s.text, trigger.end()):
        return []  # "sent Foreign Minister Lavrov to Pyongyang", "sent officials": visits, not arms
    if kind == Kind.DEPLOYMENT and _CASUALTIES.search(s.text):
        return []
    if kind == Kind.DEPLOYMENT and said.startswith("returned"):
        return []  # soldiers who returned somewhere went home, they were not sent there
    if kind == Kind.DEPLOYMENT and _DELEGATION.search(s.text, trigger.start(), trigger.end() + 40):
        return []  # "sent a delegation of senior officers to Kursk": a visit, not troops
    if kind == Kind.TRANSFER and not _CARGO.search(s.text) and not s.common["systems"] and (
            principals(s.text[:trigger.start()]) or _FOR_TALKS.search(s.text)):
        # "Kim Jong Un's armoured train arrived at Vostochny", "Kim's train departed ... for talks
        # with Putin": a leader travelling, no shipment
        return []
    if kind == Kind.DEPLOYMENT and (_CAPTURED.search(said) or _TAKEN_PRISONER.search(s.text, 0, trigger.end() + 8)):
        # "the soldiers were captured on 9 January and held in Kyiv", "captured two soldiers; both
        # were taken to Kyiv", "soldiers captured in Kursk": prisoners, not sent there
        return []
    places = located(s, t0)
    origins = [p for p in places if p.role == "origin"]
    dests = [p for p in places if p.role == "destination"]
    if kind == Kind.TRANSFER and not any(p.mention.start > t1 for p in dests):
        # "sent troops to Russia's Kursk region and provided the Russian army with shells": an
        # end told before this verb, after another one it is joined to, is that verb's
        dests = [p for p in dests if p.mention.start > t0 or not _TRANSFER_WORDS.search(text, s.start, p.mention.start)
                 or not _JOINED_VERB.search(text, p.mention.end, t0)]
    unmarked = [p for p in places if p.role is None]
    if kind == Kind.DEPLOYMENT:
        # "for the deployment of DPRK troops", "North Korea's soldiers": a country naming whose
        # troops they are is where they come from, whatever word stands before it
        owners = [p for p in s.places if p.precision == 4 and _OWN_TROOPS.match(text, p.mention.end)]
        if owners:
            dests = [p for p in dests if p not in owners]
            unmarked = [p for p in unmarked if p not in owners]
            origins = origins or [replace(owners[0], role="origin")]
        # troops go where the words after the verb send them ("sent troops to X"); a "to"
        # before it belongs to another verb, and a country named without a cue
        # ("troops to support Russia's war against Ukraine") is no destination
        # (nor to a place someone paid "a visit" to; for goods, a ship's "visits to Rajin" are calls)
        dests = [p for p in dests if p.mention.start > t0
                 and not _VISIT_TO.search(text, max(s.start, p.mention.start - 20), p.mention.start)]
        unmarked = [p for p in unmarked if p.mention.start < t0 or p.precision < 4]
    # "Russia received ... from", "missiles supplied by North Korea": the subject is where it went
    # (the receiving verb in the trigger's own clause: "sent shells while receiving oil" is still sent)
    lead = s.text[max(0, trigger.start() - 30):trigger.end()].rsplit(",", 1)[-1]
    receiving = has_any(lead, _RECEIVING_STEMS) and bool(_RECEIVING.search(lead)) or \
        s.text.startswith(" by ", trigger.end()) and not _MEANS.match(s.text, trigger.end())
    before = [p for p in unmarked if p.mention.start < t0]
    if kind == Kind.DEPLOYMENT:  # "soldiers fighting in Kursk say troops sent ...": where someone is, not a start
        before = [p for p in before if not _PRESENT_IN.search(text, max(s.start, p.mention.start - 30), p.mention.start)]
    after = [p for p in unmarked if p.mention.start >= t0 and not _PASSED.search(text, max(s.start, p.mention.start - 30),
                                                                                p.mention.start)]
    if receiving:
        before, after = after[::-1], before[::-1]
    if not origins and all(p.precision == 4 for p in dests):
        # "round trips between Rajin and Dunai"; "traffic between Tumangang and Khasan, ... into
        # Russia": the two towns, finer than the country, the one in it the end
        pair = _between(unmarked, text)
        if pair is not None and dests and pair[0][0].country == dests[0].country != pair[1][0].country:
            pair = pair[1], pair[0]  # "between Khasan and Tumangang, ... shells into Russia"
        if pair is not None and (not dests or pair[1][0].country == dests[0].country):
            origins, dests = pair
        before = [p for p in before if p not in origins]
        after = [p for p in after if p not in dests]
    if not origins and there is not None:
        origins = [SentencePlace(there, role="origin")]
    if not dests and before and verbs & _ARRIVAL_VERBS and \
            _WHERE_IT_CAME.fullmatch(text, before[-1].mention.end, t0):
        # "an arsenal near Tikhoretsk, where North Korean shells had been unloaded": the place
        # the relative clause tells of is where the goods arrived
        dests, before = [before[-1]], before[:-1]
    if not origins and before:
        origins = [before[-1]]
    present = []  # "troops fighting in Russia's Kursk region": where troops are is where they were sent
    if kind == Kind.DEPLOYMENT and not dests:
        present = [p for p in after if _PRESENT_IN.search(text, max(s.start, p.mention.start - 20), p.mention.start)]
        if all(p.precision == 4 for p in after):
            present = []  # "fighting in Ukraine": the war, not where they were sent
        dests = present[:1]
    if kind == Kind.DEPLOYMENT:  # troops go to a place in the verb's clause, not "..., which Washington confirmed"
        after = [p for p in after if not _CLAUSE_BREAK.search(text, t1, p.mention.start)]
    if len(dests) > 1 and dests[0].mention.start < t0 and dests[-1].mention.start > t1:
        # "shells unloaded at Dunai were sent to Tikhoretsk": a place reached before this
        # verb is where this leg starts
        reached = max((p for p in dests if p.mention.start < t0), key=lambda p: p.mention.start)
        if all(o.mention.start < reached.mention.start for o in origins):
            origins = [reached]  # "shipped from Najin to Dunai and then moved by rail to Tikhoretsk"
        dests = [p for p in dests if p.mention.start > t1]
    if len(dests) > 1 and not origins and dests[0].mention.start < dests[1].mention.start and \
            _UNLOADED_AT.search(text, max(s.start, dests[0].mention.start - 30), dests[0].mention.start) and \
            not _TRANSFER_WORDS.search(text, dests[0].mention.end, dests[1].mention.start) and \
            not _VISIT_TO.search(text, max(s.start, dests[1].mention.start - 20), dests[1].mention.start):
        # "unloaded at Dunai and dispatched to an arsenal near Tikhoretsk": where it was
        # unloaded is where the next leg starts (a verb of its own, "and then moved by rail
        # to", tells that leg itself; "announced on a visit to Pyongyang" tells none)
        origins, dests = [dests[0]], dests[1:]
    if not dests and after:
        dests = [after[0]]
    elif not dests and not origins and _ARRIVING.search(s.text) and unmarked:
        dests = [unmarked[-1]]
    if not dests and (not origins or launched or kind == Kind.DEPLOYMENT):
        return []  # nothing arrives anywhere; "fired from X" is a launch, not a route; troops sent nowhere named
    if len(places) < 2 and all(p.role is None for p in places) and not _ARRIVING.search(s.text) and there is None \
            and not present and not receiving and not (kind == Kind.TRANSFER and origins and not dests and
                                                       _party_before(s, origins[0].mention)):
        # one place and no word saying which end it is ("Russia received": the verb says;
        # "North Korea shipped" after a sentence on its support to Moscow: the sender)
        return []
    out = []
    for origin, destination in _legs(origins, dests, text, t0, t1, places):
        if origin is None:
            origin = _demonym_origin(demonyms, s, t0, destination)
            if origin is not None and destination is not None and (
                    _LOADS.search(s.text) or _TANKERS.search(s.text) and origin.candidate.country == "KP"):
                # "North Korean tankers made 43 trips to Vostochny to load oil": the
                # carriers' country is where the cargo went (North Korea buys fuel and sells
                # none: its tankers at a port came to load)
                origin, destination = destination, origin
        origin, destination = _government(origin, s), _government(destination, s)
        guessed = False
        if destination is None and origin is not None:
            destination = _other_party(demonyms, places, s, origin, text)
            if destination is None and all(p.role is None for p in places):
                destination = _party_before(s, origin)
                guessed = destination is not None
        if destination is None and (origin is None or origin.candidate.precision == 4):
            # "North Korea accused the South of sending drones": from a whole country to nowhere the
            # text says tells nothing to map ("shells loaded at Rajin" still tells where they left)
            continue
        if kind == Kind.DEPLOYMENT and origin is not None and destination is not None and \
                _in_own_country(origin, destination):
            # "deployed by Russia to its Kursk region": who sent them, not where they came from
            origin = _demonym_origin(demonyms, s, t0, destination)
        if origin is not None and destination is not None and (
                _one_town(origin, destination) or kind == Kind.TRANSFER and (_in_own_country(
                    origin, destination) or origin.candidate.country == "UA")):
            # "from Russia ... supplies Moscow": no shipment inside one country named as a whole, nor
            # within one town ("seen at Rajin ... berthed at another pier in Rajin"); and
            # none from Ukraine ("fragments were transferred to a storage facility in Kharkiv Oblast";
            # "hit Kharkiv ..., days after a ship unloaded shells at Dunai": the strike's city)
            continue
        if kind == Kind.DEPLOYMENT and origin is None and destination is not None and \
                _troops_of(demonyms, s, t0) == destination.candidate.country:
            continue  # "North Korean soldiers at a ceremony in Pyongyang": at home, not sent abroad
        event = new_event(kind, s, trigger, origin=origin, destination=destination)
        out.append(replace(event, end_guessed=guessed))
    if kind == Kind.TRANSFER and _paid_in_goods(s.text, trigger.end()):
        out += [replace(e, origin=e.destination, destination=e.origin) for e in out
                if e.origin is not None and e.destination is not None]
    return out


# "The Maria was photographed at Rajin's Pier 3 on Sept. 3 with 120 containers on deck. By
# Sept. 5 it was berthed at Slavyanka": where a ship or train was seen with cargo, and the
# next sentence telling it (by a pronoun) arriving somewhere
SIGHTING_STEMS = ("photograph", "pictured", "seen", "spotted", "observed", "imaged", "loaded", "loading", "docked",
                  "moored", "anchored", "berthed")  # (in every _SIGHTED_AT match: a sentence worth trying)
_SIGHTED_AT = re.compile(r"\b(?:photographed|pictured|seen|spotted|observed|imaged|loaded|loading|docked|moored|"
                         r"anchored|berthed)\s+(?:[\w'’-]+\s+){0,2}?(?:at|in|off)\s+(?:the\s+)?(?:port\s+of\s+)?$",
                         re.I)
_IT_ARRIVES = re.compile(r"\b(?:it|the\s+(?:ship|vessel|freighter|tanker|train))\s+(?:(?:had|has|was|were|had been|"
                         r"was\s+later|later|then)\s+)?(?:berthed|docked|moored|arrived|anchored|unloading|unloaded|"
                         r"reappeared|made\s+the\s+(?:[\w-]+\s+){0,2}?(?:run|journey))\b", re.I)


def sighting(s: Sentence) -> PlaceMention | None:
    """The town or port where the sentence sees a ship or train with goods on it."""
    if not (s.common["systems"] or _CARGO.search(s.text)):  # (cargo, not only the freighter)
        return None
    return next((p.mention for p in located(s) if p.precision <= 2 and
                 _SIGHTED_AT.search(s.full, max(s.start, p.mention.start - 60), p.mention.start)), None)


def arrives(sentence: str) -> bool:
    """Whether the sentence tells the ship or train just seen arriving ("it was berthed at")."""
    return bool(_IT_ARRIVES.search(sentence))


def _government(m: PlaceMention | None, s: Sentence) -> PlaceMention | None:
    """A capital told acting ("Pyongyang sent troops", "Moscow has shipped") or supplied
    ("handed Moscow launchers") is its government: drawn as its country, not pinned on the
    city ("shipped to Moscow by rail" is the city)."""
    if m is None or m.candidate is None or s.country_of is None or not is_capital(m) or \
            not (acting(SentencePlace(m), s.full) or recipient(m, s.full)):
        return m
    return s.country_of(m.candidate.country) or m


def _one_town(a: PlaceMention, b: PlaceMention) -> bool:
    """The same place, or two in one town of one country (Rajin and the port of Rajin; not
    Tumangang and Khasan, 3 km apart across the border)."""
    x, y = a.candidate, b.candidate
    return x.id == y.id or x.country == y.country and x.precision <= 2 and y.precision <= 2 and \
        haversine_km(x.lat, x.lon, y.lat, y.lon) <= max(x.radius_km, y.radius_km)


def _in_own_country(a: PlaceMention, b: PlaceMention) -> bool:
    """A whole country and a place inside it, either way round."""
    x, y = a.candidate, b.candidate
    return x.country == y.country and 4 in (int(x.precision), int(y.precision))


def goods_named(sentence: str) -> bool:
    """Whether goods are named, not only how someone travelled ("arrived by train")."""
    return any(not sentence[max(0, m.start() - 3):m.start()].lower().endswith("by ")
               for m in _GOODS.finditer(sentence))


def _paid_in_goods(sentence: str, after: int) -> bool:
    """Whether goods went back the other way: "sent shells, receiving oil in return",
    "in exchange for fuel" (not "in exchange for sending troops": that is no transfer)."""
    m = _IN_RETURN.search(sentence, after)
    if m is None:
        return False
    words = m.group("paid") or sentence[after:m.start()]
    return bool(_GOODS.search(words))


_THROUGH = re.compile(r"\b(?:through|via)\s+(?:the\s+)?(?:(?:port|harbou?r)\s+of\s+)?$", re.I)


def _legs(origins: list[SentencePlace], dests: list[SentencePlace], text: str, t0: int, t1: int,
          places: list[SentencePlace] = ()):
    """(origin, destination) pairs: each listed origin to the destination nearest the
    verb (a town or province rather than its country when the sentence names one after
    the verb: "sent troops to Russia's Kursk region", "to Russia, mainly to Kursk"), or a
    chain when the text says "to A ... then to B"."""
    through = [p for p in places if p.role is None and _THROUGH.search(text, max(0, p.mention.start - 30),
                                                                       p.mention.start)]
    # (a port of the sending country told before the verb, or one the goods went through:
    # "North Korea has shipped shells to Russia, mostly through the port of Rajin")
    finer_origins = [p for p in places if p.role is None and (p.mention.start < t0 or p in through) and origins and
                     p.country == origins[0].country and p.precision < origins[0].precision]
    if not origins and dests:
        # a place of another country the goods went through: "North Korean munitions are
        # arriving in Russia through the port of Rajin" (not "to Kursk via Belgorod")
        origins = [p for p in through if p.country != dests[0].country][:1]
    if len(origins) == 1 and origins[0].precision == 4 and finer_origins:
        origins = [min(finer_origins, key=lambda p: p.precision)]  # "At North Korea's Rajin Port, North Korea sent"
    finest = min((p.precision for p in origins), default=None)
    starts = [p.mention for p in origins if p.precision == finest] or [None]
    if len(dests) > 1 and any("then" in text[a.mention.end:b.mention.start] for a, b in zip(dests, dests[1:])):
        # stages of the chain; ends joined by "and" are one stage ("to Khasan, then on to
        # arsenals in Bryansk and Kursk": Khasan -> Bryansk and Khasan -> Kursk)
        stages = [[dests[0].mention]]
        for a, b in zip(dests, dests[1:]):
            if COORDINATED.fullmatch(text, a.mention.end, b.mention.start):
                stages[-1].append(b.mention)
            else:
                stages.append([b.mention])
        return [(o, end) for o in starts for end in stages[0]] + \
            [(a, b) for before, after in zip(stages, stages[1:]) for a in before for b in after]
    if not dests:
        return [(o, None) for o in starts]
    best = nearest(dests, t0, t1)[0]
    finer = [p for p in [*dests, *places] if p.country == best.country and p.precision < best.precision
             and (p in dests or p.role is None and p.mention.start > t1)]
    if best.precision == 4 and finer:
        best = min(finer, key=lambda p: p.precision)
    # "stationed in Ussuriysk, Khabarovsk and Blagoveshchensk": one leg to each
    ends = with_coordinated(best, [p for p in [*dests, *places] if p.role != "origin"], text) \
        if best.mention.start > t1 else [best]
    return [(o, end.mention) for end in ends for o in starts]


_BETWEEN = re.compile(r"\b(?:between|linking|connecting)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,4}$", re.I)
_AND = re.compile(r"\s+and\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?")  # "and the Russian port of"
# the first end's country between them: "between Tumangang in North Korea and Khasan"
_QUALIFIED_AND = re.compile(r"(?:\s+in\s+(?:the\s+)?|,\s*)(?-i:[A-Z][\w'’-]*)(?:\s+(?-i:[A-Z][\w'’-]*)){0,2},?"
                            + _AND.pattern, re.I)

# an aside on the first end: "between Chongjin, a port city on the North's coast, and Vladivostok"
_APPOSED_AND = re.compile(r",\s*(?:a|an|the)\s+[^,;.()]{1,60}," + _AND.pattern, re.I)


def _between(places: list[SentencePlace], text: str) -> tuple[list[SentencePlace], list[SentencePlace]] | None:
    """([A], [B]) for "between A and B" of two towns or ports: a route from the first
    ("trade between Russia and North Korea" is a relation, not a route). A country that
    qualifies an end is skipped: "between the North Korean port of Rajin and Russia's Dunai"."""
    towns = [p for p in places if p.precision < 4]
    for a, b in zip(towns, towns[1:]):
        gap = (a.mention.end, b.mention.start)
        joined = _AND.fullmatch(text, *gap) or _QUALIFIED_AND.fullmatch(text, *gap) or \
            _APPOSED_AND.fullmatch(text, *gap)
        if joined and _BETWEEN.search(text, max(0, a.mention.start - 40), a.mention.start):
            return [a], [b]
    return None


_SPEAKS = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:media|officials?|ministry|sources?|intelligence|agency|"
                     r"authorities|government|said|says|reported|claimed)\b", re.I)


_FLAG = re.compile(r"[-\s](?:flagged|registered)\b", re.I)  # "a Russian-flagged ship": its registry, not a party


def _other_party(demonyms: list[PlaceMention], places: list[SentencePlace], s: Sentence,
                 origin: PlaceMention, text: str) -> PlaceMention | None:
    """Where a shipment from one party went when no place says so: the other party the
    sentence names, as a country ("Russian forces", "Russia's war"): "73 freight cars at
    Tumangang ... bound for Russian forces". Never a country that only speaks ("Ukrainian
    intelligence said") or flags a ship: only the pipeline's parties."""
    if origin.candidate is None:
        return None
    named = [d for d in demonyms if s.start <= d.start < s.end and d.candidate is not None
             and not _SPEAKS.match(text, d.end) and not _FLAG.match(text, d.end)] + \
        [p.mention for p in places if p.precision == 4 and p.role is None]
    others = [m for m in named if m.candidate.country in PARTY_COUNTRIES and m.candidate.country != origin.candidate.country]
    return min(others, key=lambda m: m.start) if len({m.candidate.country for m in others}) == 1 else None


def _party_before(s: Sentence, origin: PlaceMention) -> PlaceMention | None:
    """The other party of the pipeline, when the sentence before names exactly one: "...
    its military support to Moscow. North Korea reportedly shipped more than ..." (only
    for a country or its capital told as the sender: "trips from North Korea" or "from
    Rajin" may have gone anywhere)."""
    if origin.candidate is None or origin.candidate.country not in PARTY_COUNTRIES or \
            not (origin.candidate.precision == 4 or is_capital(origin)):
        return None
    others = [m for m in s.parties_before if m.candidate.country != origin.candidate.country]
    return others[0] if len(others) == 1 else None


_TROOPS_AFTER = re.compile(rf"\s+(?:[\w-]+\s+)?(?:{TROOPS})\b", re.I)


def _troops_of(demonyms: list[PlaceMention], s: Sentence, t0: int) -> str | None:
    """The country of the troops a deployment trigger names ("North Korean soldiers"): the
    demonym nearest before it in the sentence."""
    before = [d for d in demonyms if s.start <= d.start < t0 and d.candidate is not None and
              _TROOPS_AFTER.match(s.full, d.end)]
    return before[-1].candidate.country if before else None


def _demonym_origin(demonyms: list[PlaceMention], s: Sentence, t0: int,
                    destination: PlaceMention | None) -> PlaceMention | None:
    """The country of "North Korean troops" / "the North Korean ammunition", when it
    differs from the destination's: a party of the pipeline, not "Ukrainian soldiers say"
    nor "290 km from the Ukrainian border"."""
    near = [d for d in demonyms if s.start <= d.start < s.end and d.candidate is not None and
            d.candidate.country in PARTY_COUNTRIES and
            (destination is None or d.candidate.country != destination.candidate.country)]
    near.sort(key=lambda d: (d.start > t0, abs(d.start - t0)))
    return near[0] if near else None

"""Candidate events from a report's sentences, each tied to the words that support it.

Rules, not a model: a sentence with a strike verb and a Ukrainian place is a strike; one
saying missiles were fired or launched from Russian places gives launch areas; weapons
or troops sent, supplied or received between countries give transfers and deployments;
friendly fire or a missile exploding in the air is an incident; met/summit/talks a
meeting; signed/treaty an agreement; a launch of a satellite or test a test. The date is
the sentence's own, else the nearest before it in the report; the claimant is who the
sentence says "said" or "according to". An analyst reviews every candidate.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from dataclasses import dataclass, field

from geodata.events.model import Kind
from geodata.extract.dates import DateMention
from geodata.extract.mentions import QuantityMention, SystemMention
from geodata.extract.toponyms import PlaceMention

_KIND_PATTERNS: list[tuple[Kind, re.Pattern]] = [
    (Kind.INCIDENT, re.compile(r"friendly[- ]fire|blew up (?:its|their) own|mistakenly (?:struck|hit)|"
                               r"exploded (?:in the air|mid-?air)|malfunction|deviated from", re.I)),
    (Kind.LAUNCH_SITE, re.compile(r"(?:fired|launched|launching)\b[^.]{0,80}?\bfrom\b|launch (?:sites?|areas?|positions?)"
                                  r"|locations where\b[^.]{0,80}\b(?:fired|launched)", re.I)),
    (Kind.STRIKE, re.compile(r"\b(?:struck|strikes?|hit|hitting|attack(?:ed|s)?|shelled|bombard\w*|"
                             r"slammed|fired (?:at|into|on)|targeted|barrage|impact)\b", re.I)),
    (Kind.DEPLOYMENT, re.compile(r"\b(?:troops|soldiers|servicemen|specialists|personnel|engineers|"
                                 r"officers|workers)\b[^.]{0,80}\b(?:sent|deployed|dispatched|arrived|"
                                 r"stationed|moved|transferred)|(?:sent|deployed|dispatched)\b[^.]{0,60}"
                                 r"\b(?:troops|soldiers|specialists|personnel|engineers|officers)\b", re.I)),
    (Kind.TRANSFER, re.compile(r"\b(?:supplied|supplies|supplying|delivered|deliver(?:y|ies)|shipped|"
                               r"shipments?|shipping|sent|sending|transferred|transfers?|provided|"
                               r"providing|received|exported|handed over|acquired|obtained)\b", re.I)),
    (Kind.AGREEMENT, re.compile(r"\b(?:signed|treaty|pact|agreement|agreed|accord)\b", re.I)),
    (Kind.MEETING, re.compile(r"\b(?:met|meet(?:ing|s)?|summit|talks|visit(?:ed)?)\b", re.I)),
    (Kind.TEST, re.compile(r"\b(?:test[- ]?(?:launch|fire|fired|flight)|launched (?:a|its|the) "
                           r"(?:\w+ )?satellite|satellite launch|launch attempt)\b", re.I)),
    (Kind.PRODUCTION, re.compile(r"\b(?:produced|production|manufactur\w+|factory|factories|plant)\b", re.I)),
]
_CLAIM = re.compile(r"according to (?P<a>[^,.;]{3,80})|(?P<b>(?:[A-Z][\w'’.-]*\s?){1,6})\s+(?:said|says|"
                    r"reported|claimed|stated|told)|(?:said|reported)\s+(?P<c>(?:[A-Z][\w'’.-]*\s?){1,6})")
_CASUALTIES = re.compile(r"(?P<n>\d+|dozens|one|two|three|four|five|six|seven|eight|nine|ten|several)\s+"
                         r"(?:people\s+|civilians\s+|persons\s+)?(?:were\s+)?(?P<what>killed|dead|died|"
                         r"injured|wounded|hurt)|(?P<verb>killing|injuring|wounding)\s+(?:at least\s+)?"
                         r"(?P<m>\d+|dozens|one|two|three|four|five|six|seven|eight|nine|ten|several)", re.I)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "several": 3, "dozens": 24}


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


def _casualties(sentence: str) -> tuple[int | None, int | None]:
    killed = injured = None
    for m in _CASUALTIES.finditer(sentence):
        raw = (m["n"] or m["m"]).lower()
        value = int(raw) if raw.isdigit() else _NUMBERS[raw]
        what = (m["what"] or m["verb"]).lower()
        if what.startswith(("kill", "dead", "died")):
            killed = killed or value
        else:
            injured = injured or value
    return killed, injured


def _claimant(sentence: str) -> str | None:
    m = _CLAIM.search(sentence)
    if not m:
        return None
    return (m["a"] or m["b"] or m["c"]).strip()


def _countries(places: list[PlaceMention]) -> list[PlaceMention]:
    return [p for p in places if p.candidate is not None]


def _route(sentence: str, offset: int, places: list[PlaceMention]):
    """(origin, destination) from "from X to Y", "X sent ... to Y", "Y received ... from X"."""
    located = _countries(places)
    if not located:
        return None, None
    origin = destination = None
    for p in located:
        lead = sentence[max(0, p.start - offset - 12):p.start - offset].lower()
        if re.search(r"\bfrom\s+(?:the\s+)?$", lead):
            origin = origin or p
        elif re.search(r"\b(?:to|into|towards|for)\s+(?:the\s+)?$", lead):
            destination = destination or p
    receiving = re.search(r"\b(?:received|acquired|obtained|got)\b", sentence, re.I)
    if origin is None and located[0] is not destination:
        origin = located[0] if not receiving else None
    if destination is None:
        rest = [p for p in located if p is not origin]
        if receiving and rest:
            destination = rest[0] if rest[0].start < receiving.start() + offset else None
            destination = destination or rest[0]
        elif rest:
            destination = rest[0]
    if receiving and origin is None:
        origin = next((p for p in located if p is not destination), None)
    return origin, destination


def candidate_events(text: str, sentences: list[tuple[int, int]], places: list[PlaceMention],
                     dates: list[DateMention], systems: list[SystemMention],
                     quantities: list[QuantityMention]) -> list[CandidateEvent]:
    out: list[CandidateEvent] = []
    place_index, date_index = _Index(places), _Index(dates)
    system_index, quantity_index = _Index(systems), _Index(quantities)
    for start, end in sentences:
        sentence = text[start:end]
        here = place_index.within(start, end)
        kinds = [kind for kind, pattern in _KIND_PATTERNS if pattern.search(sentence)] if here else []
        if not kinds:
            continue
        sentence_dates = date_index.within(start, end)
        date = sentence_dates[0] if sentence_dates else date_index.last_before(start)
        common = dict(start=start, end=end, date=date, systems=system_index.within(start, end),
                      quantities=quantity_index.within(start, end), claimant=_claimant(sentence))
        for kind in kinds:
            if kind == Kind.LAUNCH_SITE:
                launch = [p for p in here if p.candidate and p.candidate.country == "RU"
                          and p.candidate.precision <= 3]
                out += [CandidateEvent(kind, place=p, **common) for p in launch]
            elif kind in (Kind.STRIKE, Kind.INCIDENT):
                targets = [p for p in here if p.candidate and (p.candidate.country == "UA" or kind == Kind.INCIDENT)]
                if not targets:
                    continue
                precise = sorted(targets, key=lambda p: p.candidate.precision)[0]
                killed, injured = _casualties(sentence)
                out.append(CandidateEvent(kind, place=precise, killed=killed, injured=injured, **common))
            elif kind in (Kind.TRANSFER, Kind.DEPLOYMENT):
                origin, destination = _route(sentence, start, here)
                if origin and destination and origin.candidate.country != destination.candidate.country:
                    out.append(CandidateEvent(kind, origin=origin, destination=destination, **common))
            elif here:
                precise = sorted((p for p in here if p.candidate), key=lambda p: p.candidate.precision)
                if precise:
                    out.append(CandidateEvent(kind, place=precise[0], **common))
            if kind in (Kind.INCIDENT, Kind.DEPLOYMENT) and out and out[-1].start == start:
                break  # the incident or deployment is the sentence's event, not also a strike/transfer
    return out


def event_record(candidate: CandidateEvent, text: str, source_id: str, geocoder) -> dict:
    """A candidate in the catalogue's schema (a dict for Event.model_validate)."""
    def place(mention: PlaceMention | None) -> dict | None:
        if mention is None or mention.candidate is None:
            return None
        c = mention.candidate
        if mention.relation and candidate.kind not in (Kind.TRANSFER, Kind.DEPLOYMENT):
            relative = geocoder.candidates(f"{mention.relation} {mention.key}", limit=1)
            c = relative[0] if relative else c
        return {"name": f"{mention.relation} {mention.text}" if mention.relation else mention.text,
                "gazetteer_id": c.id, "lat": round(c.lat, 5), "lon": round(c.lon, 5), "country": c.country,
                "admin1": c.admin1, "geo_precision": int(c.precision), "radius_km": round(c.radius_km, 1)}

    sentence = " ".join(text[candidate.start:candidate.end].split())
    main = candidate.main_place
    digest = hashlib.sha1(f"{source_id}|{candidate.kind}|{candidate.start}|{main and main.start}".encode()).hexdigest()[:8]
    record = {
        "id": f"{candidate.kind.value.replace('_', '-')}-{digest}",
        "kind": candidate.kind.value,
        "title": f"{candidate.kind.value.replace('_', ' ').capitalize()}"
                 + (f": {main.candidate.name}" if main and main.candidate else ""),
        "status": "reported",
        "systems": sorted({s.system for s in candidate.systems}),
        "quantities": [{"value": q.value, "unit": q.unit, "qualifier": q.qualifier.value}
                       for q in candidate.quantities],
        "sources": [{"id": source_id, "evidence": f"Extracted from: {sentence[:400]}"}],
    }
    if candidate.date:
        d = candidate.date
        record.update(date_start=d.date_start, date_end=d.date_end, date_precision=d.precision.value,
                      date_note=f"from {d.text!r}")
    if candidate.kind in (Kind.TRANSFER, Kind.DEPLOYMENT):
        record.update(origin=place(candidate.origin), destination=place(candidate.destination))
    else:
        record["place"] = place(candidate.place)
    if candidate.killed is not None or candidate.injured is not None:
        record["casualties"] = {"killed": candidate.killed, "injured": candidate.injured}
    if candidate.claimant:
        record["attribution"] = [{"claimant": candidate.claimant[:300], "basis": "media_report"}]
    return record

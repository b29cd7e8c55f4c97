"""A candidate event as a record in the catalogue's schema."""

from __future__ import annotations

import hashlib

from geodata.events.catalogue import located_fields
from geodata.events.model import Kind
from geodata.extract.candidate import UNSTATED, EVIDENCE_PREFIX, CandidateEvent
from geodata.extract.mentions import QuantityMention
from geodata.extract.place_mention import PlaceMention
from geodata.places.query import QueryError


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
            # (not a namesake elsewhere: "near Plekhovo in the Kursk region", which the gazetteer
            # knows only as the region, is no circle around Plekhiv in Poltava Oblast)
            c = relative[0] if relative and relative[0].country == c.country and \
                (c.precision < 3 or relative[0].admin1 == c.admin1) else c
        return {"name": f"{mention.relation} {name}" if mention.relation else name, **located_fields(c)}

    sentence = " … ".join(" ".join(text[a:b].split()) for a, b in candidate.spans)
    main = candidate.main_place
    # (strikes a sentence tells on several listed days differ only by their day)
    day = f"|{candidate.date.start}" if candidate.day_listed and candidate.date is not None else ""
    digest = hashlib.sha1(f"{source_id}|{candidate.kind}|{candidate.start}|{main and main.start}|"
                          f"{candidate.origin and candidate.origin.start}{day}".encode()).hexdigest()[:8]
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

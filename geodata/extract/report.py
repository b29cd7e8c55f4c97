"""Extract everything from one report: the entry point for the CLI and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError

from geodata.events.model import DatePrecision, Event
from geodata.extract.dates import DateMention, find_dates
from geodata.extract.documents import merge
from geodata.extract.events import DEMONYMS, CandidateEvent, candidate_events, event_record, months_up_to
from geodata.extract.mentions import QuantityMention, SystemMention, find_quantities, find_systems
from geodata.extract.text import prepare, sentences
from geodata.extract.place_mention import PlaceMention
from geodata.extract.toponym_resolver import ToponymResolver
from geodata.extract.toponyms import ToponymFinder
from geodata.places.geocoder import OfflineGeocoder


@dataclass
class Extraction:
    text: str
    published: date
    publisher: str | None
    places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    systems: list[SystemMention] = field(default_factory=list)
    quantities: list[QuantityMention] = field(default_factory=list)
    candidates: list[CandidateEvent] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)  # records in the catalogue's schema

    def as_json(self) -> dict:
        return {
            "published": self.published.isoformat(), "publisher": self.publisher,
            "places": [p.as_dict() for p in self.places], "dates": [d.as_dict() for d in self.dates],
            "systems": [s.as_dict() for s in self.systems],
            "quantities": [q.as_dict() for q in self.quantities],
            "events": [{**record, "confidence": c.confidence, "evidence": [
                {"start": a, "end": b} for a, b in c.spans] + [
                {"start": m.start, "end": m.end} for m in (c.place, c.origin, c.destination, c.date)
                if m is not None]} for record, c in zip(self.events, self.candidates)],
        }


# A candidate whose text gives no date of its own is dated "date not stated": the
# publication date is only its upper bound. The Event model needs a span of whole months,
# so it gets the UNDATED_MONTHS (geodata.extract.events) months up to the publication month (the month itself
# runs past publication: whole months), flagged in its date note and its confidence.
# It is written as date_start/date_end/date_precision like every other candidate, so a
# reader of `extract --json` finds the same keys on every candidate.
def _date_not_stated(record: dict, published: date) -> None:
    record.pop("date", None)
    first, last = months_up_to(published)
    record.update(date_start=first, date_end=last,
                  date_precision=DatePrecision.MONTH.value,
                  date_note=f"date not stated; before {published.isoformat()} (publication)")


class _RememberedLookups:
    """The geocoder's ``candidates(query, limit=...)`` remembered per query: event
    records look up the same relative places ("50 km north of Kursk") in report after
    report, and the answer depends on the query alone."""

    _MAX = 20_000

    def __init__(self, geocoder: OfflineGeocoder):
        self.geocoder = geocoder
        self._answers: dict[tuple[str, int], list] = {}

    def candidates(self, query: str, *, limit: int = 5) -> list:
        key = (query, limit)
        if key not in self._answers:
            if len(self._answers) >= self._MAX:
                self._answers.clear()
            self._answers[key] = self.geocoder.candidates(query, limit=limit)
        return list(self._answers[key])


def _outside_dates(quantities: list[QuantityMention], dates: list[DateMention]) -> list[QuantityMention]:
    """The quantities whose number is no day of a date ("On 12 June Russian missiles ...",
    "SEOUL, Dec 10 - North Korean troops ..." count no missiles or troops)."""
    return [q for q in quantities if not any(d.start <= q.start < d.end for d in dates)]


class Extractor:
    """Holds the gazetteer-backed finders; reuse one for many reports."""

    def __init__(self, geocoder: OfflineGeocoder | None = None):
        self.geocoder = geocoder or OfflineGeocoder()
        self.toponyms = ToponymFinder(self.geocoder)
        self.resolver = ToponymResolver(self.geocoder)
        self._lookups = _RememberedLookups(self.geocoder)

    def extract(self, text: str, published: date | None = None, publisher: str | None = None,
                source_id: str = "new-report") -> Extraction:
        text = prepare(text)
        published = published or date.today()
        spans = sentences(text)
        places = self.toponyms.vet(text, self.toponyms.find(text), spans)
        self.resolver.resolve(text, places, spans)
        dates = find_dates(text, published)
        found = Extraction(text, published, publisher, places, dates, find_systems(text),
                           _outside_dates(find_quantities(text), dates))
        # (places told without their names, "the North Korean capital", "the North", place
        # events; they are no toponyms of the text)
        told = sorted([*places, *self.toponyms.implied_places(text, DEMONYMS)], key=lambda m: m.start)
        candidates = candidate_events(text, spans, told, found.dates, found.systems, found.quantities,
                                      published, self.toponyms.demonyms(text, DEMONYMS), self.toponyms.country)
        for candidate in merge(candidates, text, published, told):
            record = event_record(candidate, text, source_id, self._lookups)
            if candidate.date_basis == "none" or "date_start" not in record:
                _date_not_stated(record, published)
            try:
                Event.model_validate(record)
            except ValidationError:
                continue  # e.g. a route without a located end: not a usable candidate
            found.candidates.append(candidate)
            found.events.append(record)
        return found

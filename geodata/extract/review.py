"""From an extracted report to stored events, through the analyst's review.

The analyst sees each candidate as one editable row (kind, title, date, places,
systems, figures, who claims it, and whether to store it as a new event or as
corroboration of a stored one), accepts or rejects it, and only then is anything
written: the accepted rows are re-validated, places whose name was edited are
geocoded again, and everything goes to the store in one transaction with the report
as a new source. The dashboard's "Add report" page and ``python -m geodata
add-report`` both go through here.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError

from geodata.errors import GeodataError
from geodata.events.catalogue import Catalogue, located_fields
from geodata.events.corroborate import (CorroborationError, Match, candidates_filter, corroborate,
                                        find_matches)
from geodata.events.model import (ROUTE_KINDS, Basis, DatePrecision, Event, Kind, PlaceRef, Source,
                                  parse_partial_date)
from geodata.extract.documents import ACCEPT_AT
from geodata.extract.events import EVIDENCE_PREFIX
from geodata.extract.report import Extraction
from geodata.places.geocoder import OfflineGeocoder
from geodata.places.query import QueryError
from geodata.store import Change, Store

NEW = "new event"
COLUMNS = ("accept", "kind", "title", "date", "place", "origin", "destination", "systems",
           "quantity", "unit", "killed", "injured", "claimed_by", "store_as", "evidence", "id", "confidence")


class ReviewError(GeodataError):
    """A reviewed row that cannot be stored; the message names the row and the field."""


def report_source(text: str, published: date, publisher: str, title: str | None = None,
                  url: str | None = None) -> Source:
    """The report as a catalogue source. Its id comes from the text, so the same report
    pasted twice is recognised as the same source."""
    digest = hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:10]
    headline = (title or "").strip() or _first_line(text)
    try:
        return Source(id=f"report-{digest}", publisher=(publisher or "").strip(),
                      title=headline[:300] or "(untitled report)", published=published,
                      url=(url or "").strip() or None)
    except ValidationError as exc:
        raise ReviewError(_describe_error(exc, "report")) from None


def _first_line(text: str, width: int = 120) -> str:
    """The report's first line as a headline, cut at a word when it is a paragraph."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= width else line[:width].rsplit(" ", 1)[0] + "…"


def _describe_error(exc: ValidationError, where: str) -> str:
    problems = []
    for e in exc.errors():
        field = ".".join(str(part) for part in e["loc"]) or "record"
        problems.append(f"{field}: {e['msg'].removeprefix('Value error, ')}")
    return f"{where}: " + "; ".join(problems)


def date_text(event: Event) -> str:
    """The shortest form the date column accepts back: 2024-01-02, 2024-01, 2024-01/2024-03."""
    width = {DatePrecision.DAY: 10, DatePrecision.MONTH: 7, DatePrecision.YEAR: 4}[event.date_precision]
    first, last = event.date_start.isoformat()[:width], event.date_end.isoformat()[:width]
    return first if first == last else f"{first}/{last}"


def _figure(value) -> float | None:
    """A number from an edited cell (None, NaN, '' and '12' all arrive here)."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    number = float(value)
    if not math.isfinite(number):  # "1e400", inf: no count; int() of it would crash
        raise ValueError(f"{value!r} is not a finite number")
    return number


@dataclass
class Review:
    """An extraction ready for review: the source it would become, the candidates as
    events, and the stored events each one may repeat."""

    source: Source
    events: list[Event]
    matches: list[list[Match]]
    done: list[str] = field(default_factory=list)  # stored events that already hold a candidate
    confidence: list[float] = field(default_factory=list)  # per event, 0-1 (review() sorts by it)

    def rows(self) -> list[dict]:
        """One editable row per candidate, in COLUMNS order, most confident first; ticked
        when its confidence reaches ACCEPT_AT (the analyst looks twice at the rest), and
        stored as corroboration of the best match when there is one."""
        out = []
        sure = self.confidence or [1.0] * len(self.events)
        for event, matches, confidence in zip(self.events, self.matches, sure):
            quantity = event.quantities[0] if event.quantities else None
            out.append({
                "accept": confidence >= ACCEPT_AT, "kind": event.kind.value, "title": event.title, "date": date_text(event),
                "place": event.place.name if event.place else "",
                "origin": event.origin.name if event.origin else "",
                "destination": event.destination.name if event.destination else "",
                "systems": ", ".join(event.systems),
                "quantity": quantity.value if quantity else None, "unit": quantity.unit if quantity else "",
                "killed": event.casualties.killed if event.casualties else None,
                "injured": event.casualties.injured if event.casualties else None,
                "claimed_by": event.attribution[0].claimant if event.attribution else "",
                "store_as": matches[0].event.id if matches else NEW,
                "evidence": event.sources[0].evidence.removeprefix(EVIDENCE_PREFIX),
                "id": event.id, "confidence": confidence,
            })
        return out

    def store_as_options(self) -> list[str]:
        return [NEW, *dict.fromkeys(m.event.id for ms in self.matches for m in ms)]


def review(extraction: Extraction, source: Source, store: Store) -> Review:
    """Candidates validated as events, each with the stored events it may repeat.

    When the report was added before, the candidates it already gave (stored as new
    events, or as corroboration of a stored one) are left out and listed in
    ``Review.done``: adding a report twice never doubles anything."""
    done: list[str] = []
    events, matches, sure = [], [], []
    confidence = [c.confidence for c in extraction.candidates]
    if len(confidence) != len(extraction.events):
        confidence = [1.0] * len(extraction.events)
    for record, certainty in zip(extraction.events, confidence):
        event = Event.model_validate(record)
        found = find_matches(event, store.events(candidates_filter(event)))
        holder = event.id if store.event(event.id) is not None else next(
            (m.event.id for m in found if any(c.id == source.id for c in m.event.sources)), None)
        if holder:
            done.append(holder)
            continue
        events.append(event)
        matches.append([m for m in found if all(c.id != source.id for c in m.event.sources)])
        sure.append(certainty)
    order = sorted(range(len(events)), key=lambda i: -sure[i])  # stable: text order among equals
    return Review(source, [events[i] for i in order], [matches[i] for i in order], done,
                  [sure[i] for i in order])


class RowEditor:
    """Turns an edited row back into an event, re-geocoding edited place names."""

    def __init__(self, geocoder: OfflineGeocoder, source: Source):
        self.geocoder = geocoder
        self.source = source

    def event(self, number: int, row: dict, original: Event) -> Event:
        where = f"row {number}"
        record = original.model_dump(exclude_none=True)
        self._date(record, row, original, where)
        kind = self._kind(row, where)
        record["kind"] = kind.value
        record["title"] = str(row.get("title") or "").strip()
        names = {role: str(row.get(role) or "").strip() for role in ("place", "origin", "destination")}
        for role, name in names.items():
            self._place(record, role, name, getattr(original, role), where,
                        context=[n for r, n in names.items() if r != role and n])
        if kind in ROUTE_KINDS:
            record.pop("place", None)
        else:
            for role in ("origin", "destination"):
                record.pop(role, None)
        record["systems"] = [s.strip() for s in str(row.get("systems") or "").split(",") if s.strip()]
        self._figures(record, row, original, where)
        claimant = str(row.get("claimed_by") or "").strip()
        if claimant and claimant != (original.attribution[0].claimant if original.attribution else ""):
            record["attribution"] = [{"claimant": claimant, "basis": Basis.MEDIA_REPORT.value,
                                      "source": self.source.id}]
        elif not claimant:
            record.pop("attribution", None)
        try:
            return Event.model_validate(record)
        except ValidationError as exc:
            raise ReviewError(_describe_error(exc, where)) from None

    @staticmethod
    def _date(record: dict, row: dict, original: Event, where: str) -> None:
        for name in ("date_start", "date_end", "date_precision"):
            record.pop(name)
        record["date"] = str(row.get("date") or "").strip()
        if not record["date"]:
            raise ReviewError(f"{where}, date: empty; give YYYY-MM-DD, YYYY-MM, YYYY or an interval a/b")
        try:
            for part in record["date"].split("/", 1):
                parse_partial_date(part)
        except ValueError as exc:
            raise ReviewError(f"{where}, date: {exc}") from None
        if record["date"] != date_text(original):
            record["date_note"] = "set by the analyst"

    @staticmethod
    def _kind(row: dict, where: str) -> Kind:
        try:
            return Kind(str(row.get("kind") or "").strip())
        except ValueError:
            raise ReviewError(f"{where}, kind: {row.get('kind')!r} is not one of "
                              f"{', '.join(k.value for k in Kind)}") from None

    def _place(self, record: dict, role: str, name: str, original: PlaceRef | None, where: str,
               context: list[str]) -> None:
        """An edited name is geocoded again (the row's other places as context); an
        unchanged one keeps the place as extracted."""
        if not name:
            record.pop(role, None)
            return
        if original is not None and name == original.name:
            return
        try:
            hits = self.geocoder.candidates(name, context=context, limit=1)
        except QueryError as exc:
            raise ReviewError(f"{where}, {role}: {exc}") from None
        if not hits:
            raise ReviewError(f"{where}, {role}: {name!r} is not in the gazetteer; try another "
                              "spelling, the province (\"Kharkiv Oblast\") or the country")
        record[role] = {"name": name, **located_fields(hits[0])}

    @staticmethod
    def _figures(record: dict, row: dict, original: Event, where: str) -> None:
        try:
            value, killed, injured = (_figure(row.get(k)) for k in ("quantity", "killed", "injured"))
        except (TypeError, ValueError, OverflowError):
            raise ReviewError(f"{where}: quantity, killed and injured must be finite numbers") from None
        quantities = record.get("quantities", [])
        if value is None:
            quantities = quantities[1:] if original.quantities else quantities
        else:
            unit = str(row.get("unit") or "").strip()
            if not unit:
                raise ReviewError(f"{where}, unit: a quantity needs its unit (missiles, troops, shells ...)")
            first = {"qualifier": "exact", **(quantities[0] if quantities else {}), "value": value, "unit": unit}
            quantities = [first, *quantities[1:]]
        record["quantities"] = quantities
        for name, figure in (("killed", killed), ("injured", injured)):
            if figure is not None and figure != int(figure):
                raise ReviewError(f"{where}, {name}: {figure:g} is not a whole number")
        if killed is None and injured is None:
            record.pop("casualties", None)
        else:
            record["casualties"] = {**record.get("casualties", {}),
                                    "killed": None if killed is None else int(killed),
                                    "injured": None if injured is None else int(injured)}


def plan(review_: Review, rows: list[dict], store: Store, geocoder: OfflineGeocoder) -> Catalogue:
    """The catalogue to write for the accepted rows: new events, and stored events with
    the report added as a source. Raises ReviewError naming the first bad row."""
    editor = RowEditor(geocoder, review_.source)
    publishers = {s.id: s.publisher for s in store.sources().values()}
    new_events: list[Event] = []
    updated: dict[str, Event] = {}
    for number, (row, original) in enumerate(zip(rows, review_.events), start=1):
        if not row.get("accept"):
            continue
        event = editor.event(number, row, original)
        target = str(row.get("store_as") or NEW).strip()
        if target == NEW:
            if store.event(event.id) is not None:
                raise ReviewError(f"row {number}: this report's event {event.id} is already stored")
            new_events.append(event)
            continue
        if target in updated:
            raise ReviewError(f"row {number}, store_as: another accepted row already corroborates "
                              f"{target}; store one of them as a new event or reject it")
        stored = store.event(target)
        if stored is None:
            raise ReviewError(f"row {number}, store_as: no stored event {target!r}")
        if stored.kind != event.kind:
            raise ReviewError(f"row {number}, store_as: {target} is a {stored.kind.value}, "
                              f"the row a {event.kind.value}")
        try:
            updated[target] = corroborate(stored, event, review_.source, publishers)
        except CorroborationError as exc:
            raise ReviewError(f"row {number}, store_as: {exc}") from None
    return Catalogue({review_.source.id: review_.source}, [*new_events, *updated.values()])


@dataclass(frozen=True)
class Stored:
    source: str
    added: list[str]
    corroborated: list[str]


def store_accepted(review_: Review, rows: list[dict], store: Store, geocoder: OfflineGeocoder) -> Stored:
    """Validate every accepted row, then write them all in one transaction (or nothing)."""
    if not any(row.get("accept") for row in rows):
        raise ReviewError("no row is accepted: tick accept on the events to store")
    catalogue = plan(review_, rows, store, geocoder)
    known = {e.id for e in review_.events}
    added = [e.id for e in catalogue.events if e.id in known]
    corroborated = [e.id for e in catalogue.events if e.id not in known]
    store.put(catalogue, note=("added_report", review_.source.id),
              change=Change("import", f"added from the report {review_.source.id}"))
    return Stored(review_.source.id, added, corroborated)

"""One sentence as the event rules see it: its places, dates and mentions, and how an
event told in it is dated."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geodata.events.model import Kind
from geodata.extract.candidate import CandidateEvent
from geodata.extract.event_dates import PERFECT, When, nearest_date
from geodata.extract.sentence_places import SentencePlace


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    places: list[SentencePlace]
    whens: list[When]
    common: dict
    full: str = ""                  # the whole text, which offsets point into
    inherited: When | None = None
    reported_before: When | None = None

    def date_for(self, start: int, end: int) -> tuple[When | None, str | None]:
        own = nearest_date(self.whens, start, end, self.full)
        if own:
            return own, None
        said = next((w for w in self.whens if w.reported), None)
        if said:
            return said, "the date it was reported: the event is no later"
        if PERFECT.search(self.full, max(self.start, start - 30), min(self.end, end + 60)):
            return None, None  # "have been deployed": true at publication, not on a neighbour's date
        if self.inherited:
            return self.inherited, "no date in the sentence; the date of a nearby sentence"
        if self.reported_before:
            return self.reported_before, "the date of an earlier statement: the event is no later"
        return None, None


def new_event(kind: Kind, s: Sentence, trigger: re.Match, **places) -> CandidateEvent:
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


def located(s: Sentence) -> list[SentencePlace]:
    return [p for p in s.places if not p.aside]


def dateline_places(s: Sentence) -> list[SentencePlace]:
    """The dateline's places: used only when the sentence names no other place."""
    return [p for p in s.places if p.dateline]

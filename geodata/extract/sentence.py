"""One sentence as the event rules see it: its places, dates and mentions, and how an
event told in it is dated."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from datetime import timedelta

from geodata.events.model import DatePrecision, Kind
from geodata.extract.candidate import CandidateEvent
from geodata.extract.date_rules import OFFSET, offset_days
from geodata.extract.dates import DateMention
from geodata.extract.event_dates import PERFECT, When, nearest_date
from geodata.extract.place_mention import PlaceMention
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
    # the pipeline's parties the sentence before names, as countries: where a shipment goes
    # that this sentence tells without a destination ("North Korea shipped more than ...")
    parties_before: tuple[PlaceMention, ...] = ()
    # the country for an ISO code, as a mention: a government told by its capital
    # ("Pyongyang sent troops") is drawn as its country, not pinned on the city
    country_of: Callable[[str], PlaceMention | None] | None = None

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


# an event the sentence counts its day from: "fired at Kyiv on Thursday, a week after a
# missile strike on Lviv" (the Lviv strike, a week before that Thursday)
_COUNTED_FROM = re.compile(OFFSET + r"\s+(?:(?:a|an|the|its|their)\s+)?(?:[\w-]+\s+){0,3}$", re.I)


# a deed named as what someone is thanked, praised or blamed for: done before they were
_THANKED_FOR = re.compile(r"\b(?:thank\w*|prais\w*|commend\w*|award\w*|honou?r\w*|condemn\w*|blam\w*|punish\w*|"
                          r"sanction\w*|criticis\w*|criticiz\w*)\b[^.;]{0,30}\bfor\s+$", re.I)


def _counted(s: Sentence, at: int, when: When) -> tuple[When, str | None]:
    """The day of an event the sentence counts its own day from (_COUNTED_FROM), with its
    note; else ``when`` as it is."""
    counted = _COUNTED_FROM.search(s.full, max(s.start, at - 60), at)
    if counted is None or when.mention.precision != DatePrecision.DAY or \
            when.mention.date_start != when.mention.date_end or counted.start() <= when.mention.start < counted.end():
        return when, None
    day = when.mention.date_start - timedelta(days=offset_days(counted))
    mention = DateMention(s.full[counted.start():counted.end("dir")], counted.start(), counted.end("dir"), day, day,
                          DatePrecision.DAY)
    return replace(when, mention=mention, period=(day, day, DatePrecision.DAY), since=False), \
        f"counted from {when.mention.text!r}"


def new_event(kind: Kind, s: Sentence, trigger: re.Match, **places) -> CandidateEvent:
    when, note = s.date_for(s.start + trigger.start(), s.start + trigger.end())
    own = when is not None and note is None
    said = note is not None and ("reported" in note or "statement" in note)
    if own and trigger.group(0).split()[0].lower().endswith("ing") and \
            _THANKED_FOR.search(s.full, max(s.start, s.start + trigger.start() - 40), s.start + trigger.start()):
        # "Putin thanked Kim for sending troops to Kursk during a call on Tuesday": the
        # sending came before the day of the thanks
        own, said, note = False, True, "the date of what was said of it: the event is no later"
    elif own:
        when, note = _counted(s, s.start + trigger.start(), when)
    period = None
    if when and (when.since or when.period != (when.mention.date_start, when.mention.date_end,
                                                 when.mention.precision)):
        period = when.period
    # (a "since" date runs to publication, so it holds for the neighbour that borrows it: own)
    basis = "none" if when is None else "own" if own or when.since else "said" if said else "nearby"
    if when and when.since:
        note = f"from {when.mention.text!r} to publication (since)" + (f"; {note}" if note else "")
    return CandidateEvent(kind, s.start, s.end, date=when.mention if when else None, period=period,
                          date_note=note, trigger=trigger.group(0), date_basis=basis, **places, **s.common)


def located(s: Sentence, at: int | None = None) -> list[SentencePlace]:
    """The sentence's places that are no aside; with ``at`` (an offset in the text) inside
    brackets, only those in the same brackets: "the volume of shells (NK had shipped 20,000
    containers since August 2023) means they are found from Kupiansk to Zaporizhzhia"."""
    places = [p for p in s.places if not p.aside]
    if at is None:
        return places
    inner = _bracketed(s.full, s.start, s.end, at)
    return places if inner is None else [p for p in places if inner[0] <= p.mention.start < inner[1]]


def _bracketed(text: str, start: int, end: int, at: int) -> tuple[int, int] | None:
    """The span of the brackets of text[start:end] that hold offset ``at``, if any."""
    opened = text.rfind("(", start, at)
    if opened < 0 or text.find(")", opened, at) >= 0:
        return None
    closed = text.find(")", at, end)
    return (opened, closed) if closed >= 0 else None


def dateline_places(s: Sentence) -> list[SentencePlace]:
    """The dateline's places: used only when the sentence names no other place."""
    return [p for p in s.places if p.dateline]

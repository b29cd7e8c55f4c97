"""A candidate event as the sentence rules give it, before document merging and review."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date

from geodata.events.model import DatePrecision, Kind
from geodata.extract.dates import DateMention
from geodata.extract.mentions import QuantityMention, SystemMention
from geodata.extract.place_mention import PlaceMention

DEMONYMS = {"North Korean": "KP", "South Korean": "KR", "Russian": "RU", "Ukrainian": "UA", "Chinese": "CN",
            "Iranian": "IR", "Belarusian": "BY", "Japanese": "JP", "American": "US",
            "DPRK": "KP", "KPA": "KP", "North Koreans": "KP"}
# ("DPRK troops", "DPRK-flagged tankers", "the KPA's 11th Corps": the acronym as an adjective;
# "thousands of North Koreans": the people)
# The leaders and government seats that stand for the countries whose meetings this map
# follows (office holders of 2023-2025; their names make a country a party to a meeting or
# agreement, see geodata.extract.documents)
PRINCIPALS = {"Putin": "RU", "Lavrov": "RU", "Shoigu": "RU", "Belousov": "RU", "Gerasimov": "RU",
              "Mishustin": "RU", "Kremlin": "RU", "Kim Jong Un": "KP", "Kim Jong-un": "KP", "Kim Jong-Un": "KP",
              "Kim Yo Jong": "KP", "Choe Son Hui": "KP", "No Kwang Chol": "KP", "Pak Jong Chon": "KP",
              "Lukashenko": "BY", "Lukashenka": "BY",
              # the legislatures that ratify ("the State Duma voted to ratify it")
              "State Duma": "RU", "Duma": "RU", "Federation Council": "RU", "Supreme People's Assembly": "KP"}


def _spelling(name: str) -> str:
    """A leader's name however romanised or typeset: "Choe Son-hui", "Choe Son Hui", "People’s"."""
    return re.sub(r"[\s-]+", " ", name).lower().replace("’", "'")


_PRINCIPAL_COUNTRY = {_spelling(name): country for name, country in PRINCIPALS.items()}
PRINCIPAL_NAME = (r"\b(?:" + "|".join(re.escape(name).replace(r"\ ", r"[\s-]+").replace("'", "['’]") for name in
                                         sorted(_PRINCIPAL_COUNTRY, key=len, reverse=True)) + r")\b")
_PRINCIPAL = re.compile(PRINCIPAL_NAME, re.I)


def principals(sentence: str) -> frozenset[str]:
    """The countries whose leaders (PRINCIPALS) the sentence names."""
    return frozenset(_PRINCIPAL_COUNTRY[_spelling(m.group(0))] for m in _PRINCIPAL.finditer(sentence))


UNSTATED = "not stated in the report"
EVIDENCE_PREFIX = "Extracted from: "  # a candidate's citation: this, then its sentence

Period = tuple[date, date, DatePrecision]


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
    period: Period | None = None    # the event's dates when they differ from the mention's ("since")
    date_note: str | None = None    # how the date was chosen when not the sentence's own
    trigger: str = ""               # the words that made it an event ("struck", "shipped")
    date_basis: str = "own"         # own | nearby (another sentence's date) | said (when it was said) | none
    evidence: list[tuple[int, int]] = field(default_factory=list)  # every supporting sentence
    confidence: float = 0.0         # 0-1, from the evidence (see geodata.extract.documents)
    parties: frozenset[str] = frozenset()  # countries its sentences name, by place or demonym
    end_guessed: bool = False       # an end its own sentences do not tell (geodata.extract.routes, documents)
    day_listed: bool = False        # one of the days its sentence lists: another day is another event
    new_wave: bool = False          # told as more of the same ("reinforcements"): another date, another event

    @property
    def span(self) -> Period | None:
        """The event's days: its period when set, else its date mention's."""
        if self.date is None:
            return None
        return self.period or (self.date.date_start, self.date.date_end, self.date.precision)

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Where the text tells it: every supporting sentence, or its own before merging."""
        return self.evidence or [(self.start, self.end)]

    @property
    def main_place(self) -> PlaceMention | None:
        return self.destination if self.kind in (Kind.TRANSFER, Kind.DEPLOYMENT) else self.place


class MentionIndex:
    """Mentions sorted by offset, sliced by sentence with two binary searches."""

    def __init__(self, items):
        self.items = sorted(items, key=lambda x: x.start)
        self.starts = [x.start for x in self.items]

    def within(self, start: int, end: int) -> list:
        return self.items[bisect_left(self.starts, start):bisect_left(self.starts, end)]

    def last_before(self, start: int):
        i = bisect_left(self.starts, start)
        return self.items[i - 1] if i else None

"""A place named in a report: its words, where they are, and what the gazetteer says it is,
and how two mentions stand to each other in the text (a list, a former name). Its own
module so that finding (geodata.extract.toponyms), placing
(geodata.extract.toponym_resolver) and the event rules share one definition."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geodata.places.candidate import Candidate


@dataclass
class PlaceMention:
    text: str
    start: int
    end: int
    candidate: Candidate | None = None
    relation: str | None = None   # "north of", "200 km from" ... when the text says so
    key: str = ""                 # the name looked up ("Seoul" for the dateline "SEOUL")
    implied: bool = False         # a country implied by a demonym ("North Korean"), not a toponym
    qualifier: bool = False       # a state abbreviated after a town ("Columbia, S.C."): placed by its position

    def as_dict(self) -> dict:
        c = self.candidate
        return {"text": self.text, "start": self.start, "end": self.end,
                "name": c.name if c else None, "lat": round(c.lat, 5) if c else None,
                "lon": round(c.lon, 5) if c else None, "country": c.country if c else None,
                "admin1": c.admin1 if c else None, "precision": int(c.precision) if c else None,
                "score": round(c.score, 3) if c else None, "id": c.id if c else None,
                "relation": self.relation}


def unstated(m: PlaceMention | None) -> bool:
    """No place, or a name the gazetteer could not settle."""
    return m is None or m.candidate is None


# the words between two items of a list of names: ", ", ", and ", " or "
LIST_GAP = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")


# "Tsiolkovsky (former Uglegorsk)", "Dnipro, formerly Dnipropetrovsk": the second name is
# the first place's earlier one, whatever its namesakes elsewhere
_FORMER = re.compile(r"\s*[(,]\s*(?:former(?:ly)?|previously)(?:\s+(?:known\s+as|called|named))?\s+", re.I)


def former_name(text: str, first: PlaceMention, second: PlaceMention) -> bool:
    """Whether the second mention is given as the first place's former name."""
    return second.start - first.end < 40 and bool(_FORMER.fullmatch(text, first.end, second.start))

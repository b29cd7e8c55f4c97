"""The ports a report names, for shipments by sea it tells without theirs.

"Imagery of Rajin showed containers stacked on the pier. Freighters unloaded them at
Vostochny and at Dunai": the legs start at Rajin, the one port the report names in North
Korea, though their sentence does not say so. A shipment "to Russia" in a report that
names one Russian port, and tells no other shipment there, ends at it. Each such end is
marked guessed (CandidateEvent.end_guessed): the review shows it with less confidence.
A report naming two ports of a country leaves that country's ends as they are.
"""

from __future__ import annotations

import re
from dataclasses import replace

from geodata.events.model import Kind
from geodata.extract.candidate import CandidateEvent
from geodata.extract.place_mention import LIST_GAP, PlaceMention, unstated
from geodata.extract.toponym_resolver import feature_cues

# cargo put off a ship was put on somewhere (a ship told only arriving may be coming back empty)
_UNLOADED = re.compile(r"\b(?:un|off)load(?:ed|ing)\b|\bdischarg(?:ed|ing)\b", re.I)


class PortsNamed:
    """Every mention of each port a report names, by country and port, in text order (a
    town listed with a port is one too: "exports from Vostochny and Nakhodka" names two);
    ``parties``: the countries between which the pipeline's shipments go."""

    def __init__(self, places: list[PlaceMention], text: str, parties: frozenset[str]):
        self.text, self.parties = text, parties
        named = [m for m in places if m.candidate is not None and not m.implied]
        port = [m.candidate.feature_type == "port" for m in named]
        self.ports: dict[str, dict[str, list[PlaceMention]]] = {}
        for i, m in enumerate(named):
            listed = any(port[j] and named[j].candidate.precision == m.candidate.precision == 1 and
                         LIST_GAP.fullmatch(text, *((named[j].end, m.start) if j < i else (m.end, named[j].start)))
                         for j in (i - 1, i + 1) if 0 <= j < len(named))
            if port[i] or listed:
                self.ports.setdefault(m.candidate.country, {}).setdefault(m.candidate.id, []).append(m)

    def only_in(self, country: str) -> list[PlaceMention]:
        """The mentions of the one port named in ``country`` (none when it names two)."""
        found = self.ports.get(country, {})
        return next(iter(found.values())) if len(found) == 1 else []

    def only_elsewhere(self, country: str) -> list[PlaceMention]:
        """The mentions of the one port named in the parties' countries other than ``country``."""
        found = [named for other, ports in self.ports.items() if other in self.parties and other != country
                 for named in ports.values()]
        return found[0] if len(found) == 1 else []

    def start_of(self, c: CandidateEvent) -> CandidateEvent:
        """Cargo told unloaded, or shipped to a whole country, without where it was loaded
        was loaded at the one port named in the other party's country. Not a ship told only
        arriving at a port: it may be coming back empty. For each sentence's candidate,
        before they are joined, so that the leg joins the route it is on; ends_of marks it."""
        if c.kind != Kind.TRANSFER or not unstated(c.origin) or unstated(c.destination) or \
                not self._by_sea(c) or \
                not (_UNLOADED.search(self.text, c.start, c.end) or c.destination.candidate.precision == 4):
            return c
        start = self.only_elsewhere(c.destination.candidate.country)
        return replace(c, origin=start[0]) if start else c

    def ends_of(self, candidates: list[CandidateEvent]) -> list[CandidateEvent]:
        """A shipment by sea told only to or from a whole country starts or ends at the one
        port named in that country. Not when another shipment of the report is told at that
        port ("North Korea had shipped 20,000 containers ... From December the ships sailed
        from Rajin to Vostochny instead" keeps the total's countries), nor when its own
        sentences name the port in another part ("a tanker left Nampo on 2 June and called
        at Vostochny" does not say the fuel went to Nampo). Such an end, and a start from
        start_of, is marked guessed. For the report's candidates once joined."""
        told = [{(end, getattr(c, end).candidate.id) for end in ("origin", "destination")
                 if not unstated(getattr(c, end))} if c.kind == Kind.TRANSFER else set() for c in candidates]
        return [self._placed(c, set().union(*told[:i], *told[i + 1:])) for i, c in enumerate(candidates)]

    def _placed(self, c: CandidateEvent, taken: set[tuple[str, str]]) -> CandidateEvent:
        if c.kind != Kind.TRANSFER or not self._by_sea(c):
            return c
        ends = {}
        for end in ("origin", "destination"):
            m = getattr(c, end)
            port = self.only_in(m.candidate.country) if not unstated(m) and m.candidate.precision == 4 else []
            if port and (end, port[0].candidate.id) not in taken and not any(_told_in(c, p) for p in port):
                ends[end] = port[0]
        given = not unstated(c.origin) and not unstated(c.destination) and not _told_in(c, c.origin) and \
            c.origin in self.only_elsewhere(c.destination.candidate.country)
        return replace(c, **ends, end_guessed=True) if ends or given else c

    def _by_sea(self, c: CandidateEvent) -> bool:
        """Whether a shipment starts or ends at a port, or its sentences speak of ships or
        ports and not of trains."""
        if any(not unstated(m) and m.candidate.feature_type == "port" for m in (c.origin, c.destination)):
            return True
        cues = [feature_cues(self.text[a:b]) for a, b in c.spans]
        return any("port" in found for found in cues) and not any("crossing" in found for found in cues)


def _told_in(c: CandidateEvent, m: PlaceMention) -> bool:
    return any(a <= m.start < b for a, b in c.spans)

"""Weapon systems and quantities named in report text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Iterator
from functools import lru_cache

from geodata import systems
from geodata.events.model import MAX_QUANTITY, Qualifier
from geodata.extract.text import Words, finditer_at, fold, words


@dataclass(frozen=True)
class SystemMention:
    text: str
    start: int
    end: int
    system: str  # canonical id

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "system": self.system}


@dataclass(frozen=True)
class QuantityMention:
    text: str
    start: int
    end: int
    value: float
    unit: str
    qualifier: Qualifier

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "value": self.value,
                "unit": self.unit, "qualifier": self.qualifier.value}


@lru_cache(maxsize=1)
def _system_pattern() -> tuple[re.Pattern, dict[str, str], tuple[str, ...] | None]:
    """One alternation of every alias, longest first; codes such as KN-23 match in any
    case, words ('shells', 'Iskander') only as whole words."""
    owner: dict[str, str] = {}
    for system in systems.catalogue():
        for alias in (system.name, *system.aliases):
            owner.setdefault(alias.lower(), system.id)
    generic = {"shells", "shell", "artillery ammunition"}  # too common alone to name a system
    aliases = sorted((a for a in owner if a not in generic), key=len, reverse=True)
    # (a plural counts: "North Korean KN-23s", "two Iskanders")
    pattern = r"(?<![\w-])(" + "|".join(re.escape(a).replace(r"\-", r"[-‐–]?\s?") for a in aliases) + \
        r")(?:['’]?s)?(?![\w-])"
    # an alias begins with its first word: a match begins at a word that starts so
    firsts = tuple(fold(re.match(r"\w*", a).group(0)) for a in aliases)
    return re.compile(pattern, re.IGNORECASE), owner, (None if "" in firsts else firsts)


def _system_matches(text: str) -> Iterator[re.Match]:
    """The alias pattern's matches, tried only at words an alias can begin with."""
    pattern, _, firsts = _system_pattern()
    index = words(text)
    if firsts is None or not index.exact:
        return pattern.finditer(text)
    return finditer_at(pattern, text, index.starting(firsts))


def find_systems(text: str) -> list[SystemMention]:
    _, owner, _ = _system_pattern()
    out = []
    for match in _system_matches(text):
        key = re.sub(r"[‐–]", "-", match.group(1).lower())
        system = owner.get(key) or systems.catalogue().find(match.group(1))
        if system is not None:
            out.append(SystemMention(match.group(1), match.start(1), match.end(1),
                                     system if isinstance(system, str) else system.id))
    return out


_QUALIFIERS = {"more than": Qualifier.MORE_THAN, "over": Qualifier.MORE_THAN,
               "upward of": Qualifier.MORE_THAN, "upwards of": Qualifier.MORE_THAN,
               "in excess of": Qualifier.MORE_THAN, "at least": Qualifier.AT_LEAST,
               "about": Qualifier.ABOUT, "around": Qualifier.ABOUT, "approximately": Qualifier.ABOUT,
               "roughly": Qualifier.ABOUT, "some": Qualifier.ABOUT, "nearly": Qualifier.ABOUT,
               "almost": Qualifier.ABOUT, "an estimated": Qualifier.ABOUT, "up to": Qualifier.UP_TO,
               "fewer than": Qualifier.FEWER_THAN, "less than": Qualifier.FEWER_THAN}
_UNITS = r"""(?:ballistic\s+|short-range\s+|cruise\s+|artillery\s+|North\s+Korean\s+|Russian\s+|military\s+)*
    (?P<unit>missiles?|troops|soldiers|personnel|specialists|engineers|workers|officers|shells|rounds|
    containers|launchers|systems|rockets|guns|howitzers|vehicles|tons|tonnes|people|civilians|drones|
    wagons|railcars|ships|vessels|shipments)\b"""
_WORDS = {"dozens": (24, Qualifier.AT_LEAST), "hundreds": (200, Qualifier.AT_LEAST),
          "thousands": (2000, Qualifier.AT_LEAST), "millions": (2_000_000, Qualifier.AT_LEAST),
          "a dozen": (12, Qualifier.ABOUT), "one": (1, Qualifier.EXACT), "two": (2, Qualifier.EXACT),
          "three": (3, Qualifier.EXACT), "four": (4, Qualifier.EXACT), "five": (5, Qualifier.EXACT),
          "six": (6, Qualifier.EXACT), "seven": (7, Qualifier.EXACT), "eight": (8, Qualifier.EXACT),
          "nine": (9, Qualifier.EXACT), "ten": (10, Qualifier.EXACT), "twenty": (20, Qualifier.EXACT)}
_QUANTITY = re.compile(
    rf"(?:(?P<q>{'|'.join(map(re.escape, sorted(_QUALIFIERS, key=len, reverse=True)))})\s+(?:the\s+)?)?"
    rf"(?:(?<![\w.,-])(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)\s*(?P<mult>million|thousand|billion)?"
    rf"|\b(?P<w>{'|'.join(map(re.escape, _WORDS))}))\s+(?:of\s+)?(?:[\w-]+\s+){{0,4}}?{_UNITS}",
    re.IGNORECASE | re.VERBOSE)
_MULTIPLIER = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_QUALIFIER_FIRSTS = tuple({q.split()[0] for q in _QUALIFIERS})
_WORD_FIRSTS = {w.split()[0] for w in _WORDS}


def _quantity_starts(index: Words) -> list[int]:
    """Where a quantity can begin: a number, a number word, or a qualifier, which may end
    a longer word ("moreover 3 ships" reads "over 3 ships", as the pattern always has)."""
    starts = [p for w in _WORD_FIRSTS for p in index.positions.get(w, ())] + index.numbers
    for qualifier in _QUALIFIER_FIRSTS:
        starts += index.ending(qualifier)
    return sorted(set(starts))


def find_quantities(text: str) -> list[QuantityMention]:
    out = []
    index = words(text)
    matches = finditer_at(_QUANTITY, text, _quantity_starts(index)) if index.exact else _QUANTITY.finditer(text)
    for m in matches:
        if m["w"]:
            value, qualifier = _WORDS[m["w"].lower()]
        else:
            value = float(m["n"].replace(",", "")) * _MULTIPLIER.get((m["mult"] or "").lower(), 1)
            qualifier = Qualifier.EXACT
        if m["q"]:
            qualifier = _QUALIFIERS[m["q"].lower()]
        if 1900 <= value <= 2100 and not m["q"] and not m["mult"]:
            continue  # a year, not a count
        if not value <= MAX_QUANTITY:
            continue  # "a 400-digit number of shells" is no figure (and would be inf)
        unit = m["unit"].lower()
        out.append(QuantityMention(m.group(0), m.start(), m.end(), value, unit, qualifier))
    return out

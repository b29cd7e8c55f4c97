"""Parse what a user or a report calls a place into its parts.

"Kharkiv, Kharkiv Oblast, Ukraine" is a name with two hints; "north of Kyiv" and
"200 km from Blagoveshchensk" are a relation to an anchor place; "the Kursk region"
is a base name with a feature word (handled by ``features.split_feature`` later, on
the normalised key). Input is validated here, once, for every caller.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from geodata.errors import GeodataError

MAX_QUERY_LENGTH = 200
# A relative place is an area around a point offset from its anchor, its radius a fifth
# of the distance. Past 2,000 km that area (400 km across its radius) is as wide as a
# large region, so "near a place" would overstate what is known; reports give such
# distances for ranges and routes ("a missile with a 2,500 km range"), not for where
# something happened. (Half the Earth's circumference, 20,038 km, is the physical limit.)
MAX_RELATIVE_DISTANCE_KM = 2_000

BEARINGS = {
    "north": 0, "north-east": 45, "east": 90, "south-east": 135,
    "south": 180, "south-west": 225, "west": 270, "north-west": 315,
}
_DIRECTION = r"(?P<dir>(?:north|south)(?:[- ]?(?:east|west))?|east|west)(?:ern|erly|ward)?"
_KM_PER_UNIT = {"k": 1.0, "m": 1.609344, "n": 1.852}  # by the unit's first letter
_UNIT = (r"(?P<unit>km|kms|kilomet(?:er|re)s?|mi|miles?|nm|nautical miles?)\.?")
_APPROX = r"(?:(?:about|around|some|approximately|approx\.?|roughly|nearly|almost|~)\s*)?"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (relation, re.compile(pattern, re.IGNORECASE))
    for relation, pattern in (
        # "200 km north of X", "about 30 miles from X", "50km NE of X" is not supported
        ("offset", rf"^{_APPROX}(?P<dist>\d+(?:[.,]\d+)?)\s*{_UNIT}\s+(?:to the\s+)?"
                   rf"(?:{_DIRECTION}\s+)?(?:of|from|outside(?: of)?)\s+(?P<anchor>.+)$"),
        # "north of X", "to the south-east of X"
        ("direction", rf"^(?:just\s+|to the\s+|the\s+)*{_DIRECTION}\s+of\s+(?P<anchor>.+)$"),
        # "northern Kharkiv Oblast", "eastern Ukraine"
        ("part", r"^(?:the\s+)?(?P<dir>north|south|east|west|central|"
                 r"(?:north|south)[- ]?(?:east|west))(?:ern|ral)\s+(?P<anchor>.+)$"),
        # "near X", "outskirts of X", "in the vicinity of X"
        ("near", r"^(?:near(?:by)?|close to|around|outside(?: of)?|on the outskirts of|"
                 r"the outskirts of|outskirts of|in the vicinity of|vicinity of)\s+(?P<anchor>.+)$"),
    )
)


class QueryError(GeodataError, ValueError):
    """The query cannot be a place name (empty, binary, too long ...)."""


@dataclass(frozen=True)
class Relation:
    """A place given relative to an anchor: lower precision, a radius, never a pin."""

    relation: str                 # offset | direction | part | near
    bearing: float | None = None  # degrees clockwise from north; None: no direction
    distance_km: float | None = None
    phrase: str = ""              # the words of the relation as written


@dataclass(frozen=True)
class ParsedQuery:
    text: str                     # the query as given, stripped
    name: str                     # the place name to look up (anchor, if relative)
    hints: tuple[str, ...] = ()   # further comma- or bracket-separated parts
    relation: Relation | None = None


def validate(text: object, what: str = "place name") -> str:
    """The stripped text, or a QueryError that says what is wrong with it."""
    if isinstance(text, bytes):
        raise QueryError(f"{what} must be text, not bytes")
    if not isinstance(text, str):
        raise QueryError(f"{what} must be text, not {type(text).__name__}")
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise QueryError(f"{what} is empty")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"{what} is too long ({len(text)} characters; at most {MAX_QUERY_LENGTH})")
    bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cs", "Co") or c == "\ufffd"]
    if bad:
        raise QueryError(f"{what} contains control or binary characters ({bad[0]!r}); "
                         f"is it text?")
    if not any(c.isalpha() for c in text):
        raise QueryError(f"{what} {text!r} contains no letters")
    return text


def _bearing(direction: str | None) -> float | None:
    if direction is None:
        return None
    direction = re.sub(r"(ern|erly|ward)$", "", direction.lower())
    direction = re.sub(r"^(north|south)[- ]?(east|west)$", r"\1-\2", direction)
    return BEARINGS.get(direction)  # "central" has no bearing


def _number(digits: str) -> float:
    """'1,200' is twelve hundred, '2.5' (or, in report text, '2,5') two and a half; any
    length of digits (inf past a float's range, which no bound accepts)."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", digits):
        return float(digits.replace(",", ""))
    return float(digits.replace(",", "."))


def parse_relation(text: str) -> tuple[str, Relation | None]:
    """Split "north of Kyiv" into ("Kyiv", Relation(direction, 0°))."""
    for relation, pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groupdict()
        distance = None
        anchor = match["anchor"].strip()
        if groups.get("dist"):
            factor = _KM_PER_UNIT[groups["unit"][0].lower()]
            distance = _number(groups["dist"]) * factor
            if not distance <= MAX_RELATIVE_DISTANCE_KM:
                raise QueryError(f"{text!r}: {groups['dist']} {groups['unit']} is too far from "
                                 f"{anchor} for a place given relative to it (at most "
                                 f"{MAX_RELATIVE_DISTANCE_KM:,} km)")
        phrase = text[: match.start("anchor")].strip()
        return anchor, Relation(relation, _bearing(groups.get("dir")), distance, phrase)
    return text, None


# parts split at commas, semicolons and brackets; not at a thousands comma ("1,200 km")
_PARTS = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))|[;()\[\]]")


def parse_query(text: object) -> ParsedQuery:
    text = validate(text)
    parts = [p.strip() for p in _PARTS.split(text) if p.strip()]
    if not parts or not any(c.isalpha() for c in parts[0]):
        raise QueryError(f"place name {text!r} has no name before its first comma")
    name, relation = parse_relation(parts[0])
    return ParsedQuery(text=text, name=name, hints=tuple(parts[1:]), relation=relation)

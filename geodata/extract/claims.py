"""Who says so and how many were hurt: the casualty figures and claimant of a sentence."""

from __future__ import annotations

import re

from geodata.events.model import MAX_CASUALTIES
from geodata.extract.date_rules import MONTHS, WEEKDAYS
from geodata.extract.text import finditer_at, folded_text
from geodata.extract.triggers import occurrences

# (a claimant's dots end abbreviations: "the U.S. government", "Gen. Smith", "Lt. Col.")
_CLAIM_PARTS = (r"(?i:according to) (?P<a>(?:[^,.;]|(?<=\b[A-Z])\.|(?<=\b[A-Z][a-z])\.(?=\s+[A-Z])|"
                r"(?<=\b[A-Z][a-z]{2})\.(?=\s+[A-Z])){3,80})",
                r"(?P<b>(?:[A-Z][\w'’.-]*\s?){1,6})\s+(?:said|says|reported|claimed|stated|told)",
                r"(?:said|reported)\s+(?P<c>(?:[A-Z][\w'’.-]*\s?){1,6})")
_CLAIM = re.compile("|".join(_CLAIM_PARTS))
_CASUALTIES = re.compile(r"(?P<n>\d{1,3}(?:,\d{3})+|\d+|dozens|one|two|three|four|five|six|seven|eight|nine|ten|several)\s+"
                         r"(?:people\s+|civilians\s+|persons\s+)?(?:were\s+)?(?P<what>killed|dead|died|"
                         r"injured|wounded|hurt)|(?P<verb>killing|injuring|wounding)\s+(?:at least\s+)?"
                         r"(?P<m>\d{1,3}(?:,\d{3})+|\d+|dozens|one|two|three|four|five|six|seven|eight|nine|ten|several)", re.I)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "several": 3, "dozens": 24}


_CASUALTY_STEMS = ("kill", "dead", "died", "injur", "wound", "hurt")  # in every _CASUALTIES match
_CLAIM_WORDS = ("according to", "said", "says", "reported", "claimed", "stated", "told")  # in every _CLAIM match


_CASUALTY_OPENERS = ("dozens", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                     "several", "killing", "injuring", "wounding")  # how a _CASUALTIES match begins, or a digit
_DIGITS = re.compile(r"\d+")


def _casualty_starts(sentence: str, low: str) -> list[int]:
    """Every offset where a _CASUALTIES match can begin (inside words too: it has no \\b)."""
    starts = [at for word in _CASUALTY_OPENERS for at in occurrences(low, word)]
    starts += [at for run in _DIGITS.finditer(sentence) for at in range(run.start(), run.end())]
    return sorted(starts)


def _casualty_figure(raw: str) -> int | None:
    """The count a casualty phrase gives, or None past MAX_CASUALTIES: "killing 5000-digit
    number people" is not a figure (and int() refuses strings past 4,300 digits)."""
    if raw in _NUMBERS:
        return _NUMBERS[raw]
    digits = raw.replace(",", "")
    if len(digits) > len(str(MAX_CASUALTIES)) or int(digits) > MAX_CASUALTIES:
        return None
    return int(digits)


def casualties(sentence: str) -> tuple[int | None, int | None]:
    killed = injured = None
    low = folded_text(sentence)
    if low is not None and not any(stem in low for stem in _CASUALTY_STEMS):
        return killed, injured
    matches = _CASUALTIES.finditer(sentence) if low is None else \
        finditer_at(_CASUALTIES, sentence, _casualty_starts(sentence, low))
    for m in matches:
        value = _casualty_figure((m["n"] or m["m"]).lower())
        if value is None:
            continue
        what = (m["what"] or m["verb"]).lower()
        if what.startswith(("kill", "dead", "died")):
            killed = killed or value
        else:
            injured = injured or value
    return killed, injured


# _CLAIM's three alternatives apart: its leftmost match is theirs with the least start,
# the earlier alternative first. The middle one (names before "said") ends at one of its
# verbs and holds only word characters and spaces, so it is searched from the last other
# character before the first verb, not tried at every capital of the sentence.
_CLAIM_ALTERNATIVES = [re.compile(p) for p in _CLAIM_PARTS]
_CLAIM_VERBS = ("said", "says", "reported", "claimed", "stated", "told")  # how the middle one ends
_CLAIM_OUTSIDE = re.compile(r"[^\w'’.\-\s]")  # characters the middle alternative cannot hold


def find_claimant(sentence: str) -> str | None:
    if not any(w in sentence for w in _CLAIM_WORDS) and "according to" not in sentence.lower():
        return None
    according, names, said = _CLAIM_ALTERNATIVES
    found = []
    if m := according.search(sentence):
        found.append((m.start(), 0, m["a"]))
    verbs = [at for verb in _CLAIM_VERBS if (at := sentence.find(verb)) >= 0]
    if verbs:
        first = min(verbs)
        last = _CLAIM_OUTSIDE.search(sentence[:first][::-1])  # the last such character, read backwards
        floor = first - last.start() if last else 0
        if m := names.search(sentence, floor):
            found.append((m.start(), 1, m["b"]))
    if m := said.search(sentence):
        found.append((m.start(), 2, m["c"]))
    found = [(at, k, _without_time(who)) for at, k, who in found]
    found = [f for f in found if f[2]]
    if not found:
        return None
    who = min(found)[2]
    return who[:-1] if who.endswith(".") and who[-2:-1].islower() else who  # "said Oleh Syniehubov."


_DAY_WORDS = frozenset({"today", "yesterday", "tonight"})
_TIME_LEADS = frozenset({"on", "in", "late", "early", "last", "this"})  # before a day or month only


def _without_time(words: str) -> str:
    """The claimant without the time that may open it ("On Friday Zelensky", "In May
    Zelensky"), and nothing when it is only a time ("said Friday", "reported Jan. 5"), not
    who said it: a month's name followed by a name is a person ("Jan Lipavsky", "August
    Pradetto"), a lead word before anything else part of a name ("Early Warning Systems")."""
    parts, timed = words.split(), False

    def word(k: int) -> str:
        return parts[k].rstrip(".,").lower() if k < len(parts) else ""
    while parts:
        first, following = word(0), parts[1] if len(parts) > 1 else ""
        if first in _TIME_LEADS and (word(1) in WEEKDAYS or word(1) in MONTHS or word(1) in _DAY_WORDS) or \
                first in _DAY_WORDS or first in WEEKDAYS or \
                first in MONTHS and (timed or not following or following[0].isdigit()):
            parts, timed = parts[1:], True
            continue
        break
    return " ".join(parts).strip()

"""Date expressions in report text, resolved against the publication date.

The rules that read one expression are geodata.extract.date_rules; this module finds
them in a text and lets each tell the others what they leave open: a year written once
holds for the dates after it in its sentence or under a timeline's year heading, "two
days later" counts from the last day named, "overnight" yields to a day its sentence
names, and "on 6 and 8 February" is two days.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta

from geodata.events.model import DatePrecision
from geodata.extract.date_rules import (MONTH_NAMED, NAMED_DAY, NEEDS, NEIGHBOUR_DAY, NIGHT, OFFSET, PREPOSITION,
                                        RULES, neighbour_shift, offset_days, rule_starts)
from geodata.extract.text import ReportError, finditer_at, words

# Publication dates a report may give: the years the date patterns read (19xx, 20xx)
# up to tomorrow (a report dated in a time zone ahead of ours); outside, "last year" and
# "in three days" could fall off the calendar and no report about this subject exists.
EARLIEST_PUBLISHED = date(1900, 1, 1)


def latest_published() -> date:
    return date.today() + timedelta(days=1)


def check_published(published: date) -> date:
    """The publication date, or a ReportError saying which dates are accepted."""
    latest = latest_published()
    if not EARLIEST_PUBLISHED <= published <= latest:
        raise ReportError(f"{published.isoformat()} is not a publication date this tool accepts: "
                          f"give one from {EARLIEST_PUBLISHED.isoformat()} to {latest.isoformat()} "
                          "(tomorrow)")
    return published


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    date_start: date
    date_end: date
    precision: DatePrecision

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end,
                "resolved_start": self.date_start.isoformat(), "resolved_end": self.date_end.isoformat(),
                "precision": self.precision.value}


# a day followed by one of these names a thing: "the 11 February plant", "May 1 Street"
_NAMED_AFTER_A_DAY = re.compile(r"\s+(?:plant|factory|works|enterprise|complex|street|avenue|square|stadium|"
                                r"brigade|division)\b", re.I)


def find_dates(text: str, published: date) -> list[DateMention]:
    """Every date expression, longest first where they overlap, in text order."""
    taken = bytearray(len(text))
    found: list[DateMention] = []
    index = words(text)
    for i, ((pattern, resolve), needs) in enumerate(zip(RULES, NEEDS)):
        if needs and not any(word in index.positions for word in needs):
            continue
        for match in finditer_at(pattern, text, rule_starts(text, index, i)):
            # a Juche year is the number itself, not the words that introduce it; a date's
            # span leaves out the preposition before it ("on Friday" -> "Friday")
            start, end = match.span("j") if "j" in match.groupdict() else match.span()
            lead = PREPOSITION.match(text, start, end)
            if lead:
                start = lead.end()
            if any(taken[start:end]):
                continue
            try:
                resolved = resolve(match, published)
            except (ValueError, OverflowError):  # "last year" said in year 1, "in 1e30 days"
                continue  # off the calendar: no date rather than a wrong one
            if not resolved or _NAMED_AFTER_A_DAY.match(text, end):
                continue  # (not "the 11 February plant": a factory named after a day)
            taken[start:end] = b"\x01" * (end - start)
            found.append(DateMention(text[start:end], start, end, *resolved))
    found = _anchor(text, _carry_year(text, _night_yields(text, sorted(found, key=lambda d: d.start)), published))
    return sorted(found + _shared_month_days(text, found), key=lambda d: d.start)


# the days listed with a day of a month that share it: "on 6 and 8 February", "on 3, 5 and 9
# February" (before it, after "on" or "of"); "February 6 and 8", "Feb. 3, 5 and 9" (after it, ending
# where a clause goes on: "February 6 and 8 missiles" may be eight missiles)
_DAYS_BEFORE = re.compile(r"\b(?:on|of)\s+((?:\d{1,2},\s*)*\d{1,2}),?\s+and\s+$", re.I)
_DAY_FIRST = re.compile(r"\d{1,2}\s+[A-Z]")  # "8 February", "8 Feb. 2025": the day before its month
# where a list of days ends and its clause goes on, not a new clause ("... and on 8 February
# prosecutors identified ...")
LIST_ENDS = re.compile(r"[,.;:)]|\s*$|\s+(?:in|at|on|against|near|when|while|as|respectively|with|from|"
                       r"and|or|but|killing|wounding|hitting|striking)\b")
_DAYS_AFTER = re.compile(r"((?:,\s*\d{1,2})*,?\s+and\s+\d{1,2})(?![\d:.]\d|\s*[-\u2013])")
_MONTH_FIRST = re.compile(r"[A-Z][a-z]+\.?\s+\d{1,2}$")  # "February 6", "Feb. 6": the month first


def _shared_month_days(text: str, found: list[DateMention]) -> list[DateMention]:
    """Each day listed with a day that names its month ("6 and 8 February" and "February 6 and
    8" are 6 February too), in that month and year."""
    out = []
    for d in found:
        if d.precision != DatePrecision.DAY or d.date_start != d.date_end:
            continue
        if _DAY_FIRST.match(d.text):
            listed = _DAYS_BEFORE.search(text, max(0, d.start - 30), d.start)
        elif _MONTH_FIRST.match(d.text):
            listed = _DAYS_AFTER.match(text, d.end)
            listed = listed if listed and LIST_ENDS.match(text, listed.end()) else None
        else:
            continue
        if listed is None:
            continue
        at = listed.start(1)
        for number in re.finditer(r"\d{1,2}", listed.group(1)):
            try:
                day = d.date_start.replace(day=int(number.group(0)))
            except ValueError:  # "31 and 1 March": no 31st here
                continue
            start = at + number.start()
            out.append(DateMention(number.group(0), start, start + len(number.group(0)), day, day, DatePrecision.DAY))
    return out


_YEAR_WRITTEN = re.compile(r"\b(?:19|20)\d\d\b")
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z\"“]|\n\s*\n|[.!?]\s*\n")  # (or a new line: "• Air: In July")


_YEAR_HEADING = re.compile(r"^[ \t#*]*((?:19|20)\d\d)[ \t]*:?[ \t]*$", re.M)


def _carry_year(text: str, found: list[DateMention], published: date) -> list[DateMention]:
    """A month or day told without its year after one told with it, in the same sentence,
    falls in the year that puts it nearest that date (and not after publication): "on 2
    January 2024 ..., and on 7 February" is 7 February 2024, not the February before
    publication; "on Jan. 4, 2024 he said it was fired on Dec. 30" is 30 December 2023. Under
    a timeline's year heading, such a date is in that year."""
    out: list[DateMention] = []
    written: DateMention | None = None  # the last date with its year written
    headings = [(m.start(), int(m.group(1))) for m in _YEAR_HEADING.finditer(text)]
    for d in found:
        if written is not None and _SENTENCE_BREAK.search(text, written.end, d.start):
            written = None
        heading = next((year for at, year in reversed(headings) if at < d.start), None)
        yearless = d.precision in (DatePrecision.DAY, DatePrecision.MONTH) and \
            d.date_start.year == d.date_end.year and MONTH_NAMED.search(d.text)
        if _YEAR_WRITTEN.search(d.text):
            written = d
        elif yearless and written is None and heading is not None:
            # a timeline's year heading ("2023" on a line of its own) holds for the lines under it
            d = _in_year(d, heading) or d
        elif yearless and written is not None:
            year = written.date_end.year
            options = [o for o in (_in_year(d, y) for y in (year - 1, year, year + 1))
                       if o is not None and o.date_start <= published]
            if options:
                # (inside a span of years, the year it ends: "from 2023 to 2024 ... in May")
                d = min(options, key=lambda o: (_days_apart(o, written), abs((written.date_end - o.date_end).days)))
        out.append(d)
    return out


def _days_apart(a: DateMention, b: DateMention) -> int:
    """Days between two spans, 0 when they overlap ("July" after "in 2025" is in 2025)."""
    return max(0, (a.date_start - b.date_end).days, (b.date_start - a.date_end).days)


def _in_year(d: DateMention, year: int) -> DateMention | None:
    try:
        return DateMention(d.text, d.start, d.end, d.date_start.replace(year=year), d.date_end.replace(year=year),
                           d.precision)
    except ValueError:  # 29 February
        return None


_A_DAY_NAMED = re.compile(NAMED_DAY)  # a date or weekday, not "today" or "2 days ago"


def _night_yields(text: str, found: list[DateMention]) -> list[DateMention]:
    """"Overnight" is the night before publication only where its sentence names no day
    (a date or a weekday, not "today" or "this week"): "on January 2nd, ... its overnight
    attack" is the night of January 2nd."""
    named = [d for d in found if d.precision == DatePrecision.DAY and d.date_start == d.date_end
             and _A_DAY_NAMED.search(d.text)]
    starts = [d.start for d in named]

    def named_day_near(d: DateMention) -> bool:
        for o in named[bisect_left(starts, d.start - 200):bisect_left(starts, d.start + 200)]:
            if not re.search(r"[.!?]\s", text[min(o.end, d.end):max(o.start, d.start)]):
                return True
        return False
    return [d for d in found if " ".join(d.text.lower().split()) not in NIGHT or not named_day_near(d)]


_ANCHORED = re.compile(OFFSET.replace("ago|", ""), re.I)
_NEIGHBOUR = re.compile(NEIGHBOUR_DAY, re.I)


# "a week before Kim boarded his train": counted from an event told after it, whose day is
# not given here (a date after it is its own mention: "two days before 13 September")
_BEFORE_AN_EVENT = re.compile(r"\s+(?:the\s+|his\s+|her\s+|their\s+|its\s+)?[A-Za-z]")


def _anchor(text: str, found: list[DateMention]) -> list[DateMention]:
    """"Two days earlier" counts from the last day named before it, when there is one;
    "the next day" and "that day" only from such a day (without one they are no date);
    "a week before Kim boarded" from an event whose day this does not tell: no date."""
    out: list[DateMention] = []
    last_day: DateMention | None = None  # the last single day named so far
    last: DateMention | None = None  # the last date of any kind named so far
    for d in found:
        m = _ANCHORED.fullmatch(d.text)
        neighbour = _NEIGHBOUR.fullmatch(d.text)
        if m and last_day is None and m["dir"].lower() in ("later", "earlier"):
            # "docked at Najin in January 2024 ... returned two days later": no day to count
            # from, so the span named before it; with none, no date (not days from publication)
            if last is not None:
                out.append(DateMention(d.text, d.start, d.end, last.date_start, last.date_end, last.precision))
            continue
        if m and m["dir"].lower() in ("before", "after") and _BEFORE_AN_EVENT.match(text, d.end) \
                and not any(o.start > d.end and o.start - d.end < 12 for o in found):
            continue
        if neighbour and last_day is None:
            continue
        if (m or neighbour) and last_day is not None:
            shift = offset_days(m) if m else neighbour_shift(neighbour)
            try:
                day = last_day.date_start + timedelta(days=shift)
            except (ValueError, OverflowError):  # off the calendar
                if neighbour:
                    continue
                day = None  # keep it unanchored
            if day is not None:
                d = DateMention(d.text, d.start, d.end, day, day, DatePrecision.DAY)
        out.append(d)
        last = d
        if d.precision == DatePrecision.DAY and d.date_start == d.date_end:
            last_day = d
    return out

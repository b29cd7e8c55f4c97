"""How a report writes a date, one rule per way, each with how it resolves against the
publication date: absolute ("January 2, 2024", "2 Jan 2024"), partial ("Jan. 2", "on the
7th", "the 29th of last month"), relative ("last March", "this past May", "in October",
"last fall", "last year", "on Friday", "yesterday", "last week", "in recent weeks", "over
the past three months"), ranges ("between December last year and this February") and Juche
years ("113" marks 2024). Each gives its precision, never more than said. geodata.extract.
dates finds them in a text and relates them to one another.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from geodata.events.model import DatePrecision
from geodata.extract.text import preceded_by

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
_MONTH = r"(?P<{name}>(?-i:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec))\.?"
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{name}>(?:19|20)\d\d)"
SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2)}
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
JUCHE_OFFSET = 1911


def _m(name: str) -> str:
    return _MONTH.format(name=name)


def _d(name: str) -> str:
    return _DAY.format(name=name)


def _y(name: str) -> str:
    return _YEAR.format(name=name)


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _past_month(month: int, published: date, last: bool) -> int:
    """The year of the named month: the latest one before publication ("last March"
    said in May 2024 is March 2024), or the one of the year before when "last" names the
    publication month itself."""
    year = published.year
    if month > published.month or (last and month == published.month):
        year -= 1
    return year


# (pattern, resolver) in priority order; a resolver gets the match and the publication date
RULES: list[tuple[re.Pattern, callable]] = []
# for each rule, the (folded) words its matches can begin with, and whether a number can
# begin one: find_dates tries a pattern only there (see text.finditer_at)
_STARTS: list[tuple[frozenset[str], bool]] = []
_MONTH_WORDS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept",
                "sep", "oct", "nov", "dec")
_FULL_MONTH_WORDS = _MONTH_WORDS[:12]
_WEEKDAY_WORDS = tuple(WEEKDAYS)


# and (folded) words one of which every match holds: without them the rule is skipped
NEEDS: list[frozenset[str]] = []
# and, for a rule that begins with a word before those (a lead: "in" 2024, "on" Friday),
# (the lead words, whether a number leads, whether the lead is optional)
_LEADS: list[tuple[frozenset[str], bool, bool] | None] = []


def rule(pattern: str, words: tuple[str, ...] = (), numbers: bool = False, needs: tuple[str, ...] = (),
         lead: tuple[str, ...] = (), lead_numbers: bool = False, lead_optional: bool = False):
    """Register a pattern whose matches begin with one of ``words`` or with a number, or
    with one of ``lead`` (or a number: ``lead_numbers``) and whitespace before those, and
    hold one of ``needs`` as a whole word when given."""
    def register(func):
        RULES.append((re.compile(pattern, re.IGNORECASE), func))
        _STARTS.append((frozenset(words), numbers))
        NEEDS.append(frozenset(needs))
        _LEADS.append((frozenset(lead), lead_numbers, lead_optional) if lead or lead_numbers else None)
        return func
    return register


def rule_starts(text: str, index, i: int) -> list[int]:
    """Where rule ``i`` can match in the text (a superset: the pattern decides)."""
    first_words, numbers = _STARTS[i]
    found = index.at(first_words, numbers)
    if _LEADS[i] is None:
        return found
    lead, lead_numbers, optional = _LEADS[i]
    leads = preceded_by(text, found, lead, lead_numbers)
    return sorted(set(leads + found)) if optional else leads


# "between 10 and 20 September 2024", "from 3 to 5 March": days of one month
@rule(rf"\b(?:between|from)\s+(?P<d1>[12]\d|3[01]|0?[1-9])\s+(?:and|to|until|till|through|[-–])\s+"
      rf"(?P<b>{_d('d2')}\s+{_m('m')}(?:,?\s+{_y('y')})?)(?!\w)", words=("between", "from"))
def _day_pair(m, published, first_month: int | None = None):
    """Day ``d1`` (of ``first_month``, else of the last day's month) to the last day ``b``."""
    last = parse_one(m["b"].rstrip("."), published)  # ("18-19 October." ends a sentence)
    if not last or last[2] != DatePrecision.DAY:
        return None
    month = first_month or last[0].month
    first = _day(last[0].year - (month > last[0].month), month, int(m["d1"]))
    return (first[0], last[1], DatePrecision.DAY) if first and first[0] < last[0] else None


# "October 18-19, 2023", "18–19 October 2023": a range of days written with a dash; the
# year, told after the last day, is the first day's too
_DASH = r"\s*[-–]\s*"


@rule(rf"\b(?P<mw>{_m('m')})\s+(?P<d1>[12]\d|3[01]|0?[1-9]){_DASH}(?P<d2>[12]\d|3[01]|0?[1-9])\b(?!\s*[-–:/]?\d)"
      rf"(?:,?\s+{_y('y')}\b)?", words=_MONTH_WORDS)
def _month_days(m, published):
    return _day_pair({"d1": m["d1"], "b": f"{m['mw']} {m['d2']}" + (f", {m['y']}" if m["y"] else "")}, published)


# ("Sept. 30-Oct. 2, 2023": across the turn of a month)
@rule(rf"\b{_m('m1')}\s+(?P<d1>[12]\d|3[01]|0?[1-9]){_DASH}(?P<b>{_m('m2')}\s+{_d('d2')}(?:,?\s+{_y('y')})?)\b",
      words=_MONTH_WORDS)
def _month_day_to_month_day(m, published):
    return _day_pair(m, published, MONTHS[m["m1"].lower()])


@rule(rf"\b(?P<d1>[12]\d|3[01]|0?[1-9]){_DASH}(?P<b>{_d('d2')}\s+{_m('m')}(?:,?\s+{_y('y')})?)(?!\w)", numbers=True)
def _days_month(m, published):
    return _day_pair(m, published)


# the first end stays within the clause ("Oct. 8" aside) and holds no other "between"
# ("a rail link between X and Y. ... between September and November")
@rule(rf"\bbetween\s+(?P<a>(?:(?!\bbetween\b)(?:[^.;]|\.(?=\s\d))){{1,40}}?),?\s+and\s+"
      rf"(?P<b>(?:this|last|next)\s+\w+|{_m('bm')}(?:\s+{_d('bd')})?(?:,?\s+{_y('by')})?|"
      rf"{_d('bd2')}\s+{_m('bm2')}(?:,?\s+{_y('by2')})?|(?P<bday>[12]\d|3[01]|0?[1-9])\b(?!\s*[-\w%]))(?!\w)",
      words=("between",))
def _between(m, published):
    first = parse_one(m["a"], published)
    if m["bday"]:  # "between Oct. 8 and 13": the same month (not "between 10 and 12 missiles")
        if not first or first[2] != DatePrecision.DAY or int(m["bday"]) <= first[0].day:
            return None
        end = _day(first[0].year, first[0].month, int(m["bday"]))
        return (first[0], end[1], DatePrecision.DAY) if end else None
    second = parse_one(m["b"], published)
    if first and second and first[0] > second[1] and not re.search(r"\b(?:19|20)\d\d\b", m["a"]):
        # "from 7 September to 1 October 2023": the first end is of the year the last names
        for year in (second[1].year, second[1].year - 1):
            first = parse_one(f"{m['a']} {year}", published) or first
            if first[0] <= second[1]:
                break
    if first and second and first[0] <= second[1]:
        precision = first[2] if first[2] == second[2] else DatePrecision.MONTH
        return first[0], second[1], precision
    return None


_PART_OF_YEAR = r"(?:late|early|mid-?)\s*(?:19|20)\d\d\b"  # "from late 2023 to early 2025"


# "from 7 September to 1 October 2023", "from Sept. 7 until Oct. 1", "from August 2023 to
# March 2025": one span, read as "between ... and ..." is
@rule(rf"\bfrom\s+(?P<a>{_d('ad')}\s+{_m('am')}(?:,?\s+{_y('ay')})?|{_m('am2')}\s+{_d('ad2')}(?:,?\s+{_y('ay2')})?|"
      rf"{_m('am3')}\s+{_y('ay3')}|{_PART_OF_YEAR})"
      rf",?\s+(?:to|until|till|through|[-–])\s+"
      rf"(?P<b>{_m('bm')}(?:\s+{_d('bd')})?(?:,?\s+{_y('by')})?|{_PART_OF_YEAR}|"
      rf"{_d('bd2')}\s+{_m('bm2')}(?:,?\s+{_y('by2')})?|(?P<bday>[12]\d|3[01]|0?[1-9])\b(?!\s*[-\w%]))(?!\w)",
      words=("from",))
def _from_to(m, published):
    return _between(m, published)


_FULL_MONTH = (r"(?-i:January|February|March|April|May|June|July|August|September|October|November|"
               r"December)")


# "in January and February 2025", "from March to May": the months between, of the year the
# last one names (the first month after the last is the year before: "from November to February")
@rule(rf"\b(?:in|from|during|between)\s+(?P<a>{_FULL_MONTH})\s+(?:and|to|through|until|till|[-–])\s+"
      rf"(?P<b>{_FULL_MONTH}(?:,?\s+{_y('y')})?)\b", words=_FULL_MONTH_WORDS,
      lead=("in", "from", "during", "between"))
def _month_pair(m, published):
    second = parse_one(m["b"], published)
    if not second:
        return None
    first_month = MONTHS[m["a"].lower()]
    year = second[0].year - (first_month > second[0].month)
    return _month_span(year, first_month)[0], second[1], DatePrecision.MONTH


# "June 19 last year", "19 June this year": a day of the year the words name
@rule(rf"\b{_m('m')}\s+{_d('d')},?\s+(?P<which>last|this)\s+year\b", words=_MONTH_WORDS)
def _month_day_of_year(m, published):
    return _day(published.year - (m["which"].lower() == "last"), MONTHS[m["m"].lower()], int(m["d"]))


@rule(rf"\b{_d('d')}\s+{_m('m')},?\s+(?P<which>last|this)\s+year\b", numbers=True)
def _day_month_of_year(m, published):
    return _day(published.year - (m["which"].lower() == "last"), MONTHS[m["m"].lower()], int(m["d"]))


@rule(rf"\b{_m('m')}\s+{_d('d')},?\s+{_y('y')}\b", words=_MONTH_WORDS)
def _month_day_year(m, published):
    return _day(int(m["y"]), MONTHS[m["m"].lower()], int(m["d"]))


@rule(rf"\b{_d('d')}\s+{_m('m')},?\s+{_y('y')}\b", numbers=True)
def _day_month_year(m, published):
    return _day(int(m["y"]), MONTHS[m["m"].lower()], int(m["d"]))


@rule(r"\b(?P<y>(?:19|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)\b", numbers=True)
def _iso(m, published):
    return _day(int(m["y"]), int(m["mo"]), int(m["d"]))


@rule(r"\b(?P<y2>(?:19|20)\d\d)\.\s?(?P<mo>1[0-2]|0?[1-9])\.\s?(?P<d>[12]\d|3[01]|0?[1-9])\b", numbers=True)
def _dotted(m, published):
    return _day(int(m["y2"]), int(m["mo"]), int(m["d"]))


@rule(rf"\b(?:the\s+)?{_d('d')}\s+of\s+(?P<which>last|this)\s+month\b", numbers=True,
      lead=("the",), lead_optional=True, needs=("month",))
def _day_of_month(m, published):
    first = published.replace(day=1)
    month_start = (first - timedelta(days=1)).replace(day=1) if m["which"].lower() == "last" else first
    return _day(month_start.year, month_start.month, int(m["d"]))


# ("late August 2023": the month, its part in the words, so that "from late August 2023" runs on)
@rule(rf"\b(?:(?:early|late|mid)(?:\s+|-))?{_m('m')}\s+{_y('y')}\b", words=(*_MONTH_WORDS, "early", "late", "mid"))
def _month_year(m, published):
    return (*_month_span(int(m["y"]), MONTHS[m["m"].lower()]), DatePrecision.MONTH)


# "... recaptured in April.\n2. About 3,000 ...": a sentence ending in a month (a full
# name takes no abbreviating stop), then a number
_MONTH_ENDS_SENTENCE = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|"
                                  r"November|December)\.\s")


@rule(rf"\b{_m('m')}\s+{_d('d')}\b(?!\s*(?:km|kilomet|miles|%|percent))", words=_MONTH_WORDS)
def _month_day(m, published):
    if _MONTH_ENDS_SENTENCE.match(m.group(0)):
        return None
    month, day = MONTHS[m["m"].lower()], int(m["d"])
    year = published.year if (month, day) <= (published.month, published.day) else published.year - 1
    return _day(year, month, day)


# days of the calendar a report names instead of a date ("on the morning of Christmas Day")
HOLIDAYS = {"christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1), "new year's eve": (12, 31)}


@rule(r"\b(?P<h>Christmas\s+(?:Day|Eve)|New\s+Year['’]s\s+(?:Day|Eve))(?:,?\s+" + _y("y") + r"\b)?",
      words=("christmas", "new"))
def _holiday(m, published):
    month, day = HOLIDAYS[re.sub(r"\s+", " ", m["h"]).lower().replace("’", "'")]
    if m["y"]:
        return _day(int(m["y"]), month, day)
    year = published.year if (month, day) <= (published.month, published.day) else published.year - 1
    return _day(year, month, day)


@rule(rf"\b{_d('d')}\s+{_m('m')}\b", numbers=True)
def _day_month(m, published):
    month, day = MONTHS[m["m"].lower()], int(m["d"])
    year = published.year if (month, day) <= (published.month, published.day) else published.year - 1
    return _day(year, month, day)


@rule(r"\bon\s+the\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)\b", words=("on",))
def _on_the_nth(m, published):
    day = int(m["d"])
    month = published if day <= published.day else (published.replace(day=1) - timedelta(days=1))
    return _day(month.year, month.month, day)


@rule(rf"\b(?P<which>last|this past|this|past|early|late|mid-?)(?:\s+|(?<=-)){_m('m')}\b(?!\s+\d)",
      words=("last", "this", "past", "early", "late", "mid"))
def _relative_month(m, published):
    month = MONTHS[m["m"].lower()]
    return (*_month_span(_past_month(month, published, m["which"].lower() == "last"), month),
            DatePrecision.MONTH)


@rule(rf"\b{_m('m')}\s+(?P<which>last|this)\s+year\b", words=_MONTH_WORDS)
def _month_of_year(m, published):
    year = published.year - (1 if m["which"].lower() == "last" else 0)
    return (*_month_span(year, MONTHS[m["m"].lower()]), DatePrecision.MONTH)


# "early 2025", "late last year", "mid-2024", "the first half of 2024", "the start of the year": the part of a
# named year the words say (early: January to April, mid: May to August, late: September
# to December; the end of a year: its December, its beginning: January)
_YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "middle": (5, 8), "late": (9, 12), "end": (12, 12),
               "beginning": (1, 1), "start": (1, 1), "first half": (1, 6), "second half": (7, 12)}


@rule(r"\b(?:the\s+)?(?P<part>early|mid|late|(?:end|beginning|start|middle|first half|second half)\s+of)"
      r"(?:\s+|-)(?:(?P<y>(?:19|20)\d\d)\b|(?P<which>last|this|next|the)\s+year\b)",
      words=("the", "early", "mid", "late", "end", "beginning", "start", "middle", "first", "second"))
def _part_of_year(m, published):
    first, last = _YEAR_PARTS[m["part"].lower().removesuffix(" of").strip()]
    # ("since the start of the year": the year of publication)
    year = int(m["y"]) if m["y"] else published.year + {"last": -1, "this": 0, "the": 0, "next": 1}[m["which"].lower()]
    return date(year, first, 1), _month_span(year, last)[1], DatePrecision.MONTH


# "the autumn of 2024", "autumn 2024", "the fall of last year": a named year's season (a
# winter runs from its December into the next year)
@rule(r"\b(?:the\s+)?(?P<s>spring|summer|fall|autumn|winter)\s+(?:of\s+)?(?:(?P<y>(?:19|20)\d\d)\b|"
      r"(?P<which>last|this)\s+year\b)", words=("the", *SEASONS))
def _season_of_year(m, published):
    first, last = SEASONS[m["s"].lower()]
    year = int(m["y"]) if m["y"] else published.year - (m["which"].lower() == "last")
    end_year = year + 1 if last < first else year
    return date(year, first, 1), _month_span(end_year, last)[1], DatePrecision.MONTH


@rule(r"\b(?P<which>last|this past|this)\s+(?P<s>spring|summer|fall|autumn|winter)\b", words=("last", "this"))
def _season(m, published):
    first, last = SEASONS[m["s"].lower()]
    year = published.year - 1 if m["which"].lower() == "last" else published.year
    if m["which"].lower() != "last" and date(year, first, 1) > published:
        year -= 1
    start = date(year, first, 1)
    end_year = year + 1 if last < first else year
    return start, _month_span(end_year, last)[1], DatePrecision.MONTH


# "since the turn of the year": the year's first month
@rule(r"\bthe\s+turn\s+of\s+the\s+year\b", words=("the",), needs=("turn",))
def _turn_of_year(m, published):
    return (*_month_span(published.year, 1), DatePrecision.MONTH)


@rule(r"\b(?P<which>last|this|next|current)\s+year\b", words=("last", "this", "next", "current"))
def _year(m, published):
    year = published.year + {"last": -1, "this": 0, "current": 0, "next": 1}[m["which"].lower()]
    return date(year, 1, 1), date(year, 12, 31), DatePrecision.YEAR


@rule(r"\bend\s+of\s+(?:the|this)\s+year\b", words=("end",))
def _end_of_year(m, published):
    return (*_month_span(published.year, 12), DatePrecision.MONTH)


# "since the summer", "to the autumn": the latest such season that has begun
@rule(r"(?<=\bthe )(?P<s>spring|summer|fall|autumn|winter)\b", words=tuple(SEASONS))
def _the_season(m, published):
    first, last = SEASONS[m["s"].lower()]
    year = published.year if date(published.year, first, 1) <= published else published.year - 1
    end_year = year + 1 if last < first else year
    return date(year, first, 1), _month_span(end_year, last)[1], DatePrecision.MONTH


# Time told from the day of writing: "yesterday", "overnight", "this week", "in recent
# weeks", "over the past three months". Each is the span the words cover, never a day
# they do not name: "overnight" is the night before publication (two days), "recent"
# and "few" stretch to _FEW units, months are whole months.
_FEW = {"days": 7, "weeks": 3, "months": 3}
NIGHT = frozenset({"overnight", "last night"})
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_NUMBER = "|".join(_NUMBER_WORDS)
# a day named after "on", "into" or "to" ("overnight into Thursday", "overnight on May 2",
# "on the 7th", "on 2 May") dates it instead; "overnight on 3 regions" names none
_MONTH_NAME = (r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December|"
               r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b")
NAMED_DAY = (rf"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|{_MONTH_NAME}|"
              rf"\d{{1,2}}(?:st|nd|rd|th)\b|\d{{1,2}}\s+(?:of\s+)?{_MONTH_NAME}|\d{{4}}-\d\d-\d\d")
# a word capitalised just before, on the same line, makes "Today" part of a name: "USA Today"
# (not a sentence's last word: "... in Kursk. Yesterday")
_NAME_BEFORE = re.compile(r"[A-Z][\w'’-]*[ \t]+$")


@rule(r"\b(?P<w>(?:the\s+day\s+before\s+)?yesterday|today|tonight|overnight|last\s+night|"
      r"this\s+(?:morning|afternoon|evening))\b"
      rf"(?!\s+(?:on|into|to)\s+(?:the\s+)?(?:{NAMED_DAY}))",
      words=("yesterday", "today", "tonight", "overnight", "last", "this", "the"))
def _day_of_writing(m, published):
    if m["w"][0].isupper() and _NAME_BEFORE.search(m.string, max(0, m.start() - 40), m.start()):
        return None  # "USA Today", "[News Today]"
    word = " ".join(m["w"].lower().split())
    if word.endswith("yesterday"):
        day = published - timedelta(days=2 if word.startswith("the day before") else 1)
        return day, day, DatePrecision.DAY
    if word in NIGHT:
        return published - timedelta(days=1), published, DatePrecision.DAY
    return published, published, DatePrecision.DAY


# "the past 7 days", "the last two weeks", "the past few months" (before "last week", so
# that "the last week" is the seven days up to publication, not the calendar week before)
@rule(rf"\bthe\s+(?:past|last)\s+(?:(?P<n>\d{{1,3}}|{_NUMBER}|few|several|couple(?:\s+of)?)\s+)?"
      r"(?P<u>days?|weeks?|months?)\b(?!\s+(?:of|before|after)\b)",
      words=("the",), needs=("day", "days", "week", "weeks", "month", "months"))
def _past_span(m, published):
    unit = m["u"].lower().rstrip("s") + "s"
    n = m["n"] and " ".join(m["n"].lower().split())
    if not n:
        count = _FEW[unit] if m["u"].lower().endswith("s") else 1  # "the past weeks": a few
    elif n.isdigit():
        count = int(n)
    else:
        count = _NUMBER_WORDS.get(n) or (2 if n.startswith("couple") else _FEW[unit])
    return _span_back(count, unit, published) if count else None


# "a year ago", "two months ago": that month (a month's span, not a day the words do not name)
@rule(rf"\b(?P<n>\d{{1,2}}|a|an|{_NUMBER})\s+(?P<u>months?|years?)\s+ago\b", numbers=True,
      words=("a", "an", *_NUMBER_WORDS))
def _months_ago(m, published):
    n = int(m["n"]) if m["n"].isdigit() else {**_NUMBER_WORDS, "a": 1, "an": 1}[m["n"].lower()]
    months = published.year * 12 + published.month - 1 - n * (12 if m["u"].lower().startswith("year") else 1)
    return (*_month_span(months // 12, months % 12 + 1), DatePrecision.MONTH)


# "over the past year", "in the last year": the twelve whole months up to publication
@rule(r"\bthe\s+(?:past|last)\s+year\b(?!\s+(?:of|before|after)\b)", words=("the",), needs=("year",))
def _past_year(m, published):
    first = published.year * 12 + published.month - 12
    return date(first // 12, first % 12 + 1, 1), _month_span(published.year, published.month)[1], DatePrecision.MONTH


@rule(r"\b(?P<which>this|last)\s+week\b(?!\s+of\b)", words=("this", "last"))
def _week(m, published):
    monday = published - timedelta(days=published.weekday())
    if m["which"].lower() == "this":
        return monday, published, DatePrecision.DAY
    return monday - timedelta(days=7), monday - timedelta(days=1), DatePrecision.DAY


# "over the weekend", "this weekend", "last weekend": the last Saturday and Sunday up to
# publication (not "the weekend of May 3", which names its day)
@rule(r"\b(?:the|this|last|past)\s+weekend\b(?!\s+of\b)", words=("the", "this", "last", "past"),
      needs=("weekend",))
def _weekend(m, published):
    weekday = published.weekday()  # Monday 0 ... Sunday 6
    saturday = published if weekday == 5 else published - timedelta(days=(weekday + 1) % 7 + 1)
    return saturday, min(saturday + timedelta(days=1), published), DatePrecision.DAY


# "in recent weeks", "recently" (not "the recently appointed governor": an adjective's adverb)
@rule(r"\b(?:recent\s+(?P<u>days|weeks|months)|(?<!\bthe )(?<!\ba )(?<!\ban )recently)\b",
      words=("recent", "recently"))
def _recent(m, published):
    unit = (m["u"] or "months").lower()
    return _span_back(_FEW[unit], unit, published)


def _span_back(count: int, unit: str, published: date):
    """The ``count`` days or weeks up to and including publication, or the ``count``
    whole months before its month and that month."""
    if unit == "months":
        first = published.year * 12 + published.month - 1 - count
        return date(first // 12, first % 12 + 1, 1), _month_span(published.year, published.month)[1], \
            DatePrecision.MONTH
    days = count * (7 if unit == "weeks" else 1)
    return published - timedelta(days=days - 1), published, DatePrecision.DAY


@rule(r"\b(?P<which>last|this)\s+month\b", words=("last", "this"))
def _month(m, published):
    first = published.replace(day=1)
    start = (first - timedelta(days=1)).replace(day=1) if m["which"].lower() == "last" else first
    return (*_month_span(start.year, start.month), DatePrecision.MONTH)


_PART_OF = "|".join(f"(?<={w} )" for w in ("end", "beginning", "start", "middle", "half", "part", "weeks", "days"))


@rule(r"\b(?:in|on|from|since|until|by|throughout|during|through|(?:" + _PART_OF + r")of)\s+(?P<m>" + _FULL_MONTH +
      r")\b(?!\s+\d)",
      words=_FULL_MONTH_WORDS, lead=("in", "on", "from", "since", "until", "by", "throughout", "during", "through",
                                     "of"))  # "at the end of December", "the first half of December"
def _in_month(m, published):
    month = MONTHS[m["m"].lower()]
    return (*_month_span(_past_month(month, published, False), month), DatePrecision.MONTH)


# ("Wednesday, October 16, 2024", "Wednesday 16 October": the date after it says which Wednesday)
@rule(r"\b(?:on\s+|last\s+)?(?P<wd>(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b"
      rf"(?!,?\s+(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?:{_MONTH_NAME}))",
      words=_WEEKDAY_WORDS, lead=("on", "last"), lead_optional=True)
def _weekday(m, published):
    back = (published.weekday() - WEEKDAYS[m["wd"].lower()]) % 7
    if back == 0 and m.group(0).lower().startswith("last"):
        back = 7  # "last Thursday", written on a Thursday: a week ago
    day = published - timedelta(days=back)
    return day, day, DatePrecision.DAY


_COUNTS = {**_NUMBER_WORDS, "a": 1}
OFFSET = (rf"\b(?P<n>\d{{1,2}}|a|{_NUMBER})\s+(?P<u>days?|weeks?)\s+"
           r"(?P<dir>ago|earlier|before|later|after)\b")


def offset_days(m) -> int:
    """Signed days of "two days earlier" / "a week later"."""
    n = int(m["n"]) if m["n"].isdigit() else _COUNTS[m["n"].lower()]
    days = n * (7 if m["u"].lower().startswith("week") else 1)
    return days if m["dir"].lower() in ("later", "after") else -days


# "the next day", "the day before", "that day": a day told from the last day named before
# it (see _anchor); with none named, no date
NEIGHBOUR_DAY = (r"\b(?:the\s+(?P<which>next|following|previous|preceding)\s+day|the\s+day\s+(?P<ba>before|after)"
                  r"|(?P<same>that|the\s+same)\s+day)\b(?!\s+(?:of|in)\b)")
_NEIGHBOUR_SHIFT = {"next": 1, "following": 1, "after": 1, "previous": -1, "preceding": -1, "before": -1}


def neighbour_shift(m) -> int:
    return 0 if m["same"] else _NEIGHBOUR_SHIFT[(m["which"] or m["ba"]).lower()]


@rule(NEIGHBOUR_DAY, words=("the", "that"), needs=("day",))
def _neighbour_day(m, published):
    return published, published, DatePrecision.DAY  # a placeholder: _anchor dates it or drops it


@rule(OFFSET, words=("day", "days", "week", "weeks"), lead=tuple(_COUNTS), lead_numbers=True)
def _relative_days(m, published):
    """From publication here; "earlier"/"later" are re-anchored on the date before them
    in find_dates."""
    day = published + timedelta(days=offset_days(m))
    return day, day, DatePrecision.DAY


@rule(r"(?:\bJuche(?:\s+year)?\s+|\b(?:markings?|mark|marked|inscriptions?|stamped|reading|read|dated)\s+"
      r"(?:(?:of|dated)\s+)?[\"“']?)(?P<j>1[01]\d)\b",
      words=("juche", "marking", "markings", "mark", "marked", "inscription", "inscriptions", "stamped", "reading",
             "read", "dated"))
def _juche(m, published):
    year = int(m["j"]) + JUCHE_OFFSET
    return date(year, 1, 1), date(year, 12, 31), DatePrecision.YEAR


@rule(r"(?<![\d,.$€£])\b(?:in|since|by|during|of|until|from)\s+(?P<y>(?:19|20)\d\d)\b(?!\d|,\d)",
      numbers=True, lead=("in", "since", "by", "during", "of", "until", "from"))
def _bare_year(m, published):
    year = int(m["y"])
    return date(year, 1, 1), date(year, 12, 31), DatePrecision.YEAR


# a year naming an event: "the 2023 summit", "its 2019 visit" (not "the 2000 soldiers": a count)
@rule(r"(?:(?<=\bthe )|(?<=\bits )|(?<=\btheir )|(?<=\bhis )|(?<=\bher ))(?P<y>(?:19|20)\d\d)"
      r"(?=\s+(?:[a-z-]+\s+){0,2}(?:summit|visit|treaty|agreement|pact|deal|talks|meeting|trip|tour|launch|test|"
      r"parade|offensive|campaign|deployment|attack|strike|war|exercises?|drills?)\b)", numbers=True)
def _year_of_a_thing(m, published):
    year = int(m["y"])
    return date(year, 1, 1), date(year, 12, 31), DatePrecision.YEAR


PREPOSITION = re.compile(r"(?:on|in|since|from|until|by|during|throughout|through|of)\s+", re.I)


def _day(year: int, month: int, day: int):
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value, value, DatePrecision.DAY


MONTH_NAMED = re.compile(_m("m"))  # a month named (alone: "between September and November")


def parse_one(text: str, published: date) -> tuple[date, date, DatePrecision] | None:
    """The first date expression that fills ``text`` (used for range ends)."""
    text = text.strip()
    for pattern, resolve in RULES[1:]:
        match = pattern.fullmatch(text)
        if match:
            return resolve(match, published)
    if match := MONTH_NAMED.fullmatch(text):  # "between September and November"
        month = MONTHS[match["m"].lower()]
        return (*_month_span(_past_month(month, published, False), month), DatePrecision.MONTH)
    return None

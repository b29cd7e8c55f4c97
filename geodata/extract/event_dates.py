"""When a sentence says its event happened: the nearest date of its own, not when it was
said; "since X" runs to publication; an undated event spans the months up to publication."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from geodata.events.model import DatePrecision
from geodata.extract.candidate import Period
from geodata.extract.dates import LIST_ENDS, DateMention
from geodata.extract.sentence_places import dateline_end
from geodata.extract.text import ends_with

_REPORTED = re.compile(r"\b(?:said|says|told|announced|reported|published|released|stated|estimated|confirmed|"
                       r"added|noted|wrote|claimed|denied)(?:\s+(?:in|at|to|a|an|the|its|their|his|her|report|"
                       r"statement|summary|briefing|interview|analysis|parliament|reporters|journalists|news|"
                       r"conference|television|interviewer|post|video|TV|televised|radio|press|podcast))*\s+"
                       r"(?:(?:late|early|earlier|later)\s+)?(?:on\s+)?$", re.I)
# (", as Washington and Kyiv accuse ...": a new clause, not "such as Kharkiv" nor "as early as")
# (", and toured an exhibition": the same subject goes on with a verb in the past; its date holds)
# (not "and wounded soldiers arrived": the verb is followed by its object or a preposition)
# (", and had used them against Kyiv": the same subject goes on in the pluperfect)
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but)\s(?!(?:then\s+|also\s+|later\s+)?(?:[a-z]+ed|was|were|had)\s+"
                           r"(?:a|an|the|his|her|its|their|to|in|at|on|with|by|from|for|into|over|about|\d)\b|"
                           r"(?:had|has|have)\s+(?:also\s+|since\s+|then\s+)?(?:[a-z]+ed|sent|given|taken|built)\b)|"
                           r",\s+(?:while|whereas)\s|,\s+as\s+(?=(?-i:[A-Z])|the\b|its\b|their\b)")
# a date that opens its sentence before a comma, or a timeline's line before a colon or dash,
# dates every clause of it ("On 6 January 2025, two missiles were launched ...; one was shot
# down, and the other hit Kyiv"; "July 2023: Shoigu attends the parade ..., and tours ...")
_LINE_OPENS = re.compile(r"(?:^|\n)[ \t]*(?:[-*•–][ \t]*)?(?:(?:On|In)[ \t]+)?$")
_HEADS_LINE = re.compile(r"[ \t]*(?::|[-–—][ \t])")
_SENTENCE_OPENS = re.compile(r"\s*(?:(On|In|During)\s+)?")  # ("On 3 May 2024 missiles hit": no comma needed)
_HEADS_SENTENCE = re.compile(r",\s")
# "between Chongjin, a port city on the north-east coast, and Vladivostok": an aside on a
# name, whose closing ", and" joins two names, not two clauses
_APPOSITION = re.compile(r",\s*(?:a|an|the)\s+[^,;.()]{1,60},")
# (", where they entered combat in December" goes on with the same subject: its date counts)
# (", which began on 4 June" tells when the event itself took place)
_RELATIVE = re.compile(r",\s+(?:where|which|whose|when)\s+(?!(?:they|he|she|it|its|their)\b)"
                       r"(?!(?:began|begun|started|ended|took\s+place|was\s+held|were\s+held|lasted|opened|"
                       r"concluded|came)\b)")
# a state told in the present: "troops fight", "soldiers are deployed", "are fighting"
_PRESENT = re.compile(r"\b(?:are|is|remain|remains)\s+(?:\w+ly\s+)?(?:\w+ed|\w+ing)\b|"
                      r"\b(?:fight|serve|operate)\b", re.I)
# "have been deployed", "has sent": a state at publication, not the neighbour sentence's event
PERFECT = re.compile(r"\b(?:has|have)\s+(?:(?:already|reportedly|allegedly|also|now|recently|so far)\s+)*"
                      r"(?:been\s+)?\w+(?:ed|sent|sold|given|taken|built)\b|"
                      r"\brecently\s+(?:been\s+)?\w+(?:ed|sent|sold|given|taken|built)\b", re.I)
_SINCE = re.compile(r"\b(?:since|from|starting)\s+(?:the\s+)?$", re.I)

# "from 7 September to 1 October": a span the date rules read whole; "from 7 September" alone runs on
_RANGE_IN = re.compile(r"\b(?:to|until|till|through)\b|[-–]")  # "from 7 September to 1 October": read whole
# (its end a date: not "since last autumn to meet Russian orders")
_RANGE_AFTER = re.compile(r"\s*(?:to|until|till|through|[-–])\s*(?:the\s+)?(?:\d|(?-i:[A-Z])|"
                          r"(?:early|mid|late|last|this|next|end|beginning|start|middle|present|now|today)\b)", re.I)
# "the deadliest attack on Kyiv since Russia began using them at the end of 2023": a date
# the event is compared with, not its own
# ("the most intense since 2022"; not "most launches since January": the greater part of them)
_COMPARED_SINCE = re.compile(r"(?:\b(?:deadliest|largest|biggest|worst|heaviest|longest|highest|greatest|strongest|"
                             r"first|only)|\bthe\s+most)\b.*\bsince\b", re.I | re.S)
_REPORTED_ENDS = frozenset("""said says told announced reported published released stated estimated confirmed
added noted wrote claimed denied in at to a an the its their his her report statement summary briefing interview
analysis parliament reporters journalists news conference television interviewer post video tv televised radio press
podcast late early earlier later on""".split())
_SINCE_ENDS = frozenset({"since", "from", "starting", "the"})
# a record of that day, not a span from it: "imagery from February 8 showed ..."
_RECORD_FROM = re.compile(r"\b(?:imagery|images?|photos?|photographs?|pictures?|footage|videos?|data|reports?|"
                          r"statements?|figures|records?|documents?)\s+(?:taken\s+|dated\s+)?from\s+(?:the\s+)?$", re.I)

# A date the text does not give is bounded by the publication date: the event is no
# later, and dated the whole months up to it (geodata.extract.report).
UNDATED_MONTHS = 12


def months_up_to(last: date, months: int = UNDATED_MONTHS) -> tuple[date, date]:
    """The ``months`` whole months ending with the month of ``last`` (first and last day),
    none before the calendar's first month."""
    first = max(12, last.year * 12 + last.month - months)  # months since year 0
    return date(first // 12, first % 12 + 1, 1), end_of(last, DatePrecision.MONTH)


def end_of(day: date, precision: DatePrecision) -> date:
    if precision == DatePrecision.YEAR:
        return day.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day


@dataclass
class When:
    mention: DateMention
    period: Period
    reported: bool                  # "said on Friday": when it was said, not when it happened
    since: bool
    compared: bool = False          # "the first time ... since 1990": no event's date
    heads: bool = False             # opens its sentence or timeline line: dates all of it (_LINE_OPENS)
    entry: bool = False             # opens a timeline's line ("* 6 January: ..."): that line's alone

    @property
    def start(self) -> int:
        return self.mention.start


def find_whens(text: str, dates: list[DateMention], published: date | None, floor_of) -> list[When]:
    out = []
    for d in dates:
        floor = floor_of(d.start)
        lead_start = max(floor, d.start - 80)
        # "SEOUL, Oct 18 (Reuters) -": a wire dateline's date is when the story was filed
        reported = ends_with(text, lead_start, d.start, _REPORTED_ENDS) and \
            bool(_REPORTED.search(text, lead_start, d.start)) or \
            d.end <= dateline_end(text, floor, min(len(text), floor + 120))
        since = ends_with(text, max(lead_start, d.start - 12), d.start, _SINCE_ENDS) and \
            bool(_SINCE.search(text, max(lead_start, d.start - 12), d.start)) and published is not None \
            and not _RECORD_FROM.search(text, max(lead_start, d.start - 40), d.start) \
            and d.date_start <= published and not _RANGE_AFTER.match(text, d.end) and not _RANGE_IN.search(d.text)
        period = (d.date_start, d.date_end, d.precision)
        if since:
            period = (d.date_start, max(d.date_end, end_of(published, d.precision)), d.precision)
        entry = bool(_LINE_OPENS.search(text, max(0, d.start - 12), d.start)) and bool(_HEADS_LINE.match(text, d.end))
        heads = entry or (opens := _SENTENCE_OPENS.fullmatch(text, floor, d.start)) is not None and (
            bool(_HEADS_SENTENCE.match(text, d.end)) or bool(opens.group(1)))
        out.append(When(d, period, reported, since, _compared(text, d.start), heads, entry))
    return out


def _compared(text: str, at: int) -> bool:
    """Whether the date at ``at`` ends "the first time ... since" in its sentence: the
    date an event is compared with ("the first time Russian ships entered North Korean
    waters since 1990"), not its own."""
    lead = text[max(0, at - 150):at]
    lead = lead[lead.rfind(". ") + 1:]
    return bool(_SINCE.search(lead)) and bool(_COMPARED_SINCE.search(lead))


_UNTIL = re.compile(r"\b(?:until|till)\s+$", re.I)
_POSSESSIVE = re.compile(r"['’]s\b")


def _first_since(whens: list[When], w: When, text: str, floor: int) -> bool:
    """Whether ``w`` is the first date after the last "since" before it: the date a record is
    compared with ("the most missiles since March at Kyiv last week" was last week)."""
    since = text.lower().rfind("since", floor, w.mention.start)
    return since >= 0 and not any(o is not w and since < o.mention.start < w.mention.start for o in whens)


def _breaks(between: str, going_on: str) -> bool:
    """Whether a clause ends in ``between``; ``going_on`` is the text after it, which says
    whether a closing ", and" goes on with the same subject's verb."""
    return any(m.start() < len(between) for m in _CLAUSE_BREAK.finditer(between + going_on))


def nearest_date(whens: list[When], start: int, end: int, text: str) -> When | None:
    """The date nearest a trigger in its own clause (not past "; ", ", and that" nor into
    a relative clause after it: "deployed in Kursk, where Ukraine seized land in August").
    A trigger in the present tense ("as troops fight in Kursk") is dated by no earlier
    date but a "since" one: the sentence's earlier date is another verb's ("signed in June")."""
    best, best_distance = None, None
    present = bool(_PRESENT.search(text, start, end))
    for w in whens:
        if w.reported:
            continue
        if _POSSESSIVE.match(text, w.mention.end) and not 0 <= start - w.mention.end <= 40:
            continue  # "discussed implementing last year's treaty": the treaty's date, not the talks'
        after = w.mention.start >= end
        between = _APPOSITION.sub("", text[end:w.mention.start] if after else text[w.mention.end:start])
        if _UNTIL.search(text, max(0, w.mention.start - 8), w.mention.start):
            continue  # "the city known until last year as": when a name held, not the event's day
        if w.heads and not after and "\n" not in text[w.mention.end:start]:
            pass  # the date opening the sentence or line: no clause of it breaks it off
        elif _breaks(between, "" if after else text[start:end + 20]) or after and (
                _COMPARED_SINCE.search(text, max(0, start - 30), w.mention.start) and
                _first_since(whens, w, text, max(0, start - 30)) or
                _RELATIVE.search(between)) or \
                present and not after and not w.since or w.compared:
            continue
        s = w.mention.start
        distance = s - end if s >= end else 3 * (start - w.mention.end) + 10
        if best_distance is None or distance < best_distance:
            best, best_distance = w, distance
    return best


# between two days of a list: "on December 30 and January 2", "on 6 January, 8 January and again on 12 January"
_DAY_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:(?:again|also)\s+)?(?:on\s+)?", re.I)


def listed_days(whens: list[When], first: DateMention, text: str) -> list[When]:
    """The other days listed with the day ``first`` (each joined to the next by a comma or "and")."""
    def day(w: When) -> bool:
        return w.mention.precision == DatePrecision.DAY and not (w.reported or w.since or w.compared)
    ordered = sorted(whens, key=lambda w: w.mention.start)
    at = next((i for i, w in enumerate(ordered) if w.mention is first), None)
    if at is None:
        return []
    listed = []
    for step in (-1, 1):
        i = at
        while 0 <= i + step < len(ordered):
            a, b = sorted((ordered[i], ordered[i + step]), key=lambda w: w.mention.start)
            if not (day(ordered[i + step]) and _DAY_LIST_GAP.fullmatch(text, a.mention.end, b.mention.start)):
                break
            i += step
            listed.append(ordered[i])
    # the last day of a list ends it: "on 6 February and on 8 February prosecutors identified
    # the debris" tells of the 8th something else
    if listed and listed[-1].mention.start > first.start and not LIST_ENDS.match(text, listed[-1].mention.end):
        listed.pop()
    return listed

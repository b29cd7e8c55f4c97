"""Extraction from reports written to break it: absurd figures, dates at the ends of the
calendar, impossible distances, files that are not reports, reports past the size
limit. Never a traceback, never a non-finite or absurd number in a candidate, and
`extract --json` always prints valid JSON. Texts are our own words."""

import json
import math
from datetime import date, timedelta

import pytest

from geodata.events.model import MAX_CASUALTIES, MAX_QUANTITY
from geodata.extract.dates import find_dates
from geodata.extract.mentions import find_quantities
from geodata.extract.report import Extractor
from geodata.extract.review import ReviewError, store_accepted
from geodata.extract.text import MAX_BYTES, ReportError, decode, prepare
from geodata.store import Store
from tests.extract.test_review import _one_row

PUBLISHED = date(2024, 5, 8)
HUGE = "9" * 5000


@pytest.fixture(scope="module")
def extractor(geocoder):
    return Extractor(geocoder)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "events.sqlite")
    yield s
    s.close()


def _strict_json(text: str):
    def refuse(constant):
        raise AssertionError(f"not JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


def _numbers(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif isinstance(value, list):
        for v in value:
            yield from _numbers(v)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


# -- item 12: 5,000-digit numbers; item 2: extract --json stays JSON ---------------------

def test_a_5000_digit_casualty_figure_is_dropped_not_a_traceback(extractor):
    found = extractor.extract(f"A KN-23 missile struck Kharkiv on Friday, killing {HUGE} people, "
                              "the governor said.", PUBLISHED)
    assert found.events, "the strike itself is still a candidate"
    for record in found.events:
        casualties = record.get("casualties") or {}
        assert casualties.get("killed") is None


@pytest.mark.parametrize("figure, kept", [("12", 12), (f"{MAX_CASUALTIES + 1}", None),
                                          ("20,000,000", None)])
def test_a_casualty_figure_past_the_bound_is_dropped(extractor, figure, kept):
    found = extractor.extract(f"A KN-23 missile struck Kharkiv on Friday, killing {figure} people, "
                              "the governor said.", PUBLISHED)
    assert [(r.get("casualties") or {}).get("killed") for r in found.events] == [kept]


@pytest.mark.parametrize("text", ["7" * 400 + " shells", "3 billion shells", "1e400 shells",
                                  f"{MAX_QUANTITY * 2:,} shells"])
def test_an_absurd_quantity_is_not_a_mention(text):
    for mention in find_quantities(f"Russia received {text} from North Korea, officials said."):
        assert math.isfinite(mention.value) and mention.value <= MAX_QUANTITY, mention


def test_extract_json_is_valid_json_for_absurd_numbers(cli, tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(f"A KN-23 missile struck Kharkiv on Friday, killing {HUGE} people, the governor "
                      f"said. North Korea shipped {'7' * 400} artillery shells to Russia, officials "
                      "said.\n", encoding="utf-8")
    result = cli("extract", str(report), "--published", "2024-05-08", "--json")
    assert result.returncode == 0, result.stderr
    data = _strict_json(result.stdout)
    assert data["events"]
    for number in _numbers(data):
        assert math.isfinite(number) and abs(number) <= MAX_QUANTITY


# -- item 12: --published at the ends of the calendar ------------------------------

@pytest.mark.parametrize("published, phrase", [
    (date(1, 1, 1), "last year"), (date(1, 1, 1), "two days ago"), (date(1, 1, 1), "last month"),
    (date(1, 1, 1), "last winter"), (date(1, 1, 1), "on Friday"), (date(1, 1, 1), "yesterday"),
    (date(1, 1, 1), "over the past three months"), (date(1, 1, 1), "last week"),
    (date(9999, 12, 31), "next year"), (date(9999, 12, 31), "in three days"),
    (PUBLISHED, f"{'9' * 30} days ago"),
])
def test_a_relative_date_off_the_calendar_is_dropped(published, phrase):
    text = f"Russia fired missiles at Kharkiv {phrase}, the governor said."
    for mention in find_dates(text, published):
        assert date.min <= mention.date_start <= mention.date_end <= date.max


def test_a_relative_date_after_an_anchor_off_the_calendar_is_dropped():
    text = "A missile hit Kharkiv on 30 December. Two days later another one hit Kyiv."
    assert [d.text for d in find_dates(text, date(9999, 12, 31))] == ["30 December"]


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31", "1899-12-31",
                                       (date.today() + timedelta(days=2)).isoformat()])
def test_published_outside_the_accepted_range_is_one_line(cli, tmp_path, published):
    report = tmp_path / "report.txt"
    report.write_text("Russia fired missiles at Kharkiv last year and will next year, the governor "
                      "said.\n", encoding="utf-8")
    result = cli("extract", str(report), "--published", published)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--published" in lines[0] and "1900-01-01" in lines[0], lines


def test_published_tomorrow_is_accepted(cli, tmp_path):
    """A report dated in a time zone ahead of ours."""
    report = tmp_path / "report.txt"
    report.write_text("Russia fired missiles at Kharkiv last year, the governor said.\n")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert cli("extract", str(report), "--published", tomorrow).returncode == 0


@pytest.mark.parametrize("text", [
    "Russia fired missiles at Kharkiv last year and will fire more next year, the governor said.",
    "Russia fired missiles at Kharkiv yesterday, killing two people.",
    "Russia fired missiles at Kharkiv, killing two people, the governor said.",  # date not stated
])
def test_extraction_at_the_ends_of_the_calendar_does_not_fail(extractor, text):
    for published in (date(1, 1, 1), date(9999, 12, 31)):
        for record in extractor.extract(text, published).events:
            assert date.min <= record["date_start"] <= record["date_end"] <= date.max


# -- item 15: a relative distance past the bound is not located ---------------------

def test_an_absurd_relative_distance_in_a_report_is_not_located(extractor):
    found = extractor.extract("A missile struck a village 10000000 km north of Kyiv on Friday, the "
                              "governor said.", PUBLISHED)
    assert found.events
    for record in found.events:
        place = record.get("place") or {}
        if "north of Kyiv" in place.get("name", ""):
            assert "lat" not in place and "lon" not in place, place


def test_a_sane_relative_distance_in_a_report_is_still_located(extractor):
    found = extractor.extract("A missile struck a village 100 km north of Kyiv on Friday, the "
                              "governor said.", PUBLISHED)
    place = found.events[0]["place"]
    assert place["name"] == "100 km north of Kyiv" and place["lat"] > 51


# -- item 13: what extract is given ---------------------------------------------------

def test_extract_on_a_directory_says_so(cli, tmp_path):
    result = cli("extract", str(tmp_path))
    assert result.returncode == 2
    assert "is a directory" in result.stderr and "no such file" not in result.stderr


def test_extract_on_a_device_says_it_is_not_a_regular_file(cli):
    result = cli("extract", "/dev/zero")
    assert result.returncode == 2
    assert "not a regular file" in result.stderr


def test_extract_on_a_missing_file_says_no_such_file(cli, tmp_path):
    result = cli("extract", str(tmp_path / "nope.txt"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_extract_without_permission_says_so(tmp_path, monkeypatch):
    from pathlib import Path

    from geodata.cli import extract as cli_extract
    from geodata.errors import GeodataError

    report = tmp_path / "secret.txt"
    report.write_text("text")

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(GeodataError, match="permission denied"):
        cli_extract._read(str(report))


# -- item 14: the report size limit ----------------------------------------------------

def test_a_report_past_the_size_limit_is_refused_naming_the_limit(cli, tmp_path):
    report = tmp_path / "big.txt"
    report.write_bytes(b"The governor said. " * (MAX_BYTES // 19 + 1))
    result = cli("extract", str(report))
    assert result.returncode == 2
    assert "too large" in result.stderr and "at most 1 MB" in result.stderr


def test_the_size_limit_is_the_same_for_bytes_and_text():
    with pytest.raises(ReportError, match="at most 1 MB"):
        decode(b"x" * (MAX_BYTES + 1))
    with pytest.raises(ReportError, match="at most 1 MB"):
        prepare("x" * (MAX_BYTES + 1))


# -- the review of an extraction: edited figures ----------------------------------------

@pytest.mark.parametrize("edits", [{"killed": float("inf")}, {"killed": "1e400"},
                                   {"quantity": float("inf"), "unit": "shells"},
                                   {"injured": float("-inf")}, {"killed": HUGE}])
def test_an_infinite_or_huge_edited_figure_is_one_line(extractor, store, edits):
    pending, rows = _one_row(extractor, store, **edits)
    with pytest.raises(ReviewError, match=r"row \d+"):
        store_accepted(pending, rows, store, extractor.geocoder)
    assert store.count() == 35


def test_text_without_sentence_ends_is_read_in_bounded_time(extractor):
    """200 KB with no full stop (a list, a table, an attack) took over a minute and
    gigabytes as one sentence; it is read in sentence-sized pieces."""
    import time

    from geodata.extract.text import MAX_SENTENCE_CHARS, sentences

    text = "the missile from North Korea was fired by Russia at Kharkiv and Kyiv and the " * 2600
    spans = sentences(text)
    assert max(end - start for start, end in spans) <= MAX_SENTENCE_CHARS
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")
    started = time.perf_counter()
    found = extractor.extract(text, PUBLISHED)
    assert time.perf_counter() - started < 20
    assert found.places


def test_a_report_past_the_limit_gives_its_real_size_or_none(cli, tmp_path):
    report = tmp_path / "big.txt"
    report.write_bytes(b"The governor said. " * 200_000)  # 3.8 MB
    from_file = cli("extract", str(report))
    assert "3,800,000 bytes" in from_file.stderr
    from_stdin = cli("extract", "-", input=report.read_text())
    assert from_stdin.returncode == 2 and "standard input is too large (at most 1 MB" in from_stdin.stderr


def test_a_time_before_an_event_whose_day_is_not_told_is_no_date():
    """"a week before Kim boarded his train" counts from a day the text does not give:
    not a week before publication."""
    text = "The shipments began less than a week before Kim Jong Un boarded his armoured train for Russia."
    assert find_dates(text, date(2023, 10, 14)) == []
    dated = find_dates("He arrived on 10 September. Two days later the talks began.", date(2023, 10, 14))
    assert [(d.text, d.date_start) for d in dated][-1] == ("Two days later", date(2023, 9, 12))


@pytest.mark.parametrize("text, span", [
    ("Between 10 and 20 September 2024, satellite images show 14 trains.", (date(2024, 9, 10), date(2024, 9, 20))),
    ("Trains crossed from 7 September to 1 October 2023.", (date(2023, 9, 7), date(2023, 10, 1))),
    ("Ships called between 28 December and 3 January 2024.", (date(2023, 12, 28), date(2024, 1, 3))),
])
def test_a_span_whose_year_or_month_is_told_once_covers_both_ends(text, span):
    assert [(d.date_start, d.date_end) for d in find_dates(text, date(2025, 1, 1))] == [span]


def test_between_two_counts_is_no_span():
    assert [d.text for d in find_dates("It fired between 10 and 20 missiles in May 2024.", date(2025, 1, 1))] \
        == ["May 2024"]

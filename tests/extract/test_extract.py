"""Extraction from report text written for these tests (our own words)."""

import json
from datetime import date

import pytest

from geodata.extract.dates import find_dates
from geodata.extract.mentions import find_quantities, find_systems
from geodata.extract.report import Extractor
from geodata.extract.text import ReportError, decode, prepare

PUBLISHED = date(2024, 5, 8)

REPORT = """SEOUL — North Korean leader Kim Jong Un watched a test, and analysts at the Korea Defense \
Network said Russian forces keep firing his missiles. Russia's army fired Hwasong-11 missiles from the \
Kurusk and Belgorod regions between December last year and this February, Ukrainian prosecutors said.

A KN-23 missile struck Kharkiv on Jan. 2, killing at least three people and injuring dozens, according \
to the UN panel of experts.

North Korea shipped more than 3 million artillery shells to Russia through the port of Vostochny near \
Nakhodka, the intelligence service said on Friday.
"""


@pytest.fixture(scope="module")
def extractor(geocoder):
    return Extractor(geocoder)


@pytest.fixture(scope="module")
def found(extractor):
    return extractor.extract(REPORT, PUBLISHED, "Test Wire")


@pytest.mark.parametrize("text, start, end, precision", [
    ("on the 29th of last month", date(2024, 4, 29), date(2024, 4, 29), "day"),
    ("between December last year and this February", date(2023, 12, 1), date(2024, 2, 29), "month"),
    ("last fall", date(2023, 9, 1), date(2023, 11, 30), "month"),
    ("this past May", date(2024, 5, 1), date(2024, 5, 31), "month"),
    ("Last March", date(2024, 3, 1), date(2024, 3, 31), "month"),
    ("Jan. 2", date(2024, 1, 2), date(2024, 1, 2), "day"),
    ("January 2, 2024", date(2024, 1, 2), date(2024, 1, 2), "day"),
    ("on Friday", date(2024, 5, 3), date(2024, 5, 3), "day"),
    ("in October", date(2023, 10, 1), date(2023, 10, 31), "month"),
    ("last year", date(2023, 1, 1), date(2023, 12, 31), "year"),
])
def test_dates_resolve_against_the_publication_date(text, start, end, precision):
    [found] = find_dates(f"It happened {text}.", PUBLISHED)
    assert found.text.lower().endswith(text.lower().removeprefix("on ").removeprefix("in ")) or found.text == text
    assert (found.date_start, found.date_end, found.precision.value) == (start, end, precision)


def test_a_juche_year_is_the_number_itself():
    [found] = find_dates('The actuators carried a production marking of "113".', PUBLISHED)
    assert (found.text, found.date_start.year, found.precision.value) == ("113", 2024, "year")


def test_systems_and_quantities():
    text = "Moscow got more than 100 KN-23 and KN-24 missiles, over 13,000 containers and an S-400 Triumf battery."
    assert [(s.text, s.system) for s in find_systems(text)] == [
        ("KN-23", "kn-23"), ("KN-24", "kn-24"), ("S-400 Triumf", "s-400")]
    quantities = [(q.value, q.unit, q.qualifier.value) for q in find_quantities(text)]
    assert quantities == [(100, "missiles", "more_than"), (13000, "containers", "more_than")]


def test_places_are_found_and_traps_rejected(found):
    by_text = {p.text: p for p in found.places}
    assert by_text["SEOUL"].candidate.name == "Seoul"  # an all-caps dateline
    assert by_text["Kurusk"].candidate.id == "geonames:538560"  # a misspelling of Kursk
    assert by_text["Kharkiv"].candidate.country == "UA"
    assert "Russia" in by_text and "Russia's" not in by_text  # the possessive is not in the span
    for trap in ("Kim", "Kim Jong Un", "Korea Defense Network", "Korea", "Russian", "North Korean", "UN"):
        assert trap not in by_text, trap
    assert by_text["Vostochny"].candidate.id == "site:port-vostochny"  # ships, Nakhodka: the port


def test_offsets_point_into_the_text(found):
    for mention in [*found.places, *found.dates, *found.systems, *found.quantities]:
        assert found.text[mention.start:mention.end] == mention.text


def test_events_with_places_dates_systems_and_casualties(found):
    kinds = [e["kind"] for e in found.events]
    strike = next(e for e in found.events if e["kind"] == "strike" and e["place"]["name"] == "Kharkiv")
    assert (strike["date_start"], strike["date_precision"]) == (date(2024, 1, 2), "day")
    assert strike["systems"] == ["kn-23"] and strike["casualties"] == {"killed": 3, "injured": 24}
    launches = sorted(e["place"]["name"] for e in found.events if e["kind"] == "launch_site")
    assert launches == ["Belgorod", "Kurusk"]
    transfer = next(e for e in found.events if e["kind"] == "transfer")
    assert (transfer["origin"]["country"], transfer["destination"]["country"]) == ("KP", "RU")
    assert transfer["quantities"][0]["value"] == 3_000_000
    assert "strike" in kinds


def test_extraction_is_deterministic(extractor, found):
    again = extractor.extract(REPORT, PUBLISHED, "Test Wire")
    assert again.as_json() == found.as_json()


@pytest.mark.parametrize("data, message", [
    (b"", "is empty"),
    (b"   \n\n ", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "NUL bytes"),
    ("Kyïv".encode("latin-1") + b" was struck", "not UTF-8"),
    ("Росія завдала удару по Харкову балістичною ракетою".encode(), "does not look like English"),
    (b"x" * (5 * 1024 * 1024 + 1), "too large"),
])
def test_bad_reports_are_refused(data, message):
    with pytest.raises(ReportError, match=message):
        prepare(decode(data))


def test_html_is_stripped_to_text(extractor):
    html = ("<html><head><script>var x = 'Moscow';</script></head><body><p>A missile struck "
            "<b>Kharkiv</b> on Jan. 2, the city&#39;s mayor said.</p></body></html>")
    found = extractor.extract(html, PUBLISHED)
    assert "<b>" not in found.text and "Moscow" not in found.text
    assert [p.text for p in found.places] == ["Kharkiv"]


def test_cli_extract_json(cli, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    result = cli("extract", str(path), "--published", "2024-05-08", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"places", "dates", "systems", "quantities", "events"}
    place = next(p for p in data["places"] if p["text"] == "Kharkiv")
    assert {"start", "end", "name", "lat", "lon", "country", "admin1", "precision", "score"} <= set(place)
    assert data["events"][0]["evidence"][0]["end"] > data["events"][0]["evidence"][0]["start"]


def test_cli_extract_bad_input(cli, tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\x00\x00")
    result = cli("extract", str(binary))
    assert result.returncode == 2 and "NUL bytes" in result.stderr and "Traceback" not in result.stderr
    assert cli("extract", str(tmp_path / "missing.txt")).returncode == 2
    bad_date = cli("extract", str(binary), "--published", "yesterday")
    assert bad_date.returncode == 2 and "--published 'yesterday'" in bad_date.stderr

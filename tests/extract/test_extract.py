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
    # told from the day of writing (published Wednesday 8 May 2024): the span the words cover
    ("yesterday", date(2024, 5, 7), date(2024, 5, 7), "day"),
    ("the day before yesterday", date(2024, 5, 6), date(2024, 5, 6), "day"),
    ("overnight", date(2024, 5, 7), date(2024, 5, 8), "day"),
    ("this week", date(2024, 5, 6), date(2024, 5, 8), "day"),
    ("last week", date(2024, 4, 29), date(2024, 5, 5), "day"),
    ("in recent weeks", date(2024, 4, 18), date(2024, 5, 8), "day"),
    ("in the past two weeks", date(2024, 4, 25), date(2024, 5, 8), "day"),
    ("in the last week", date(2024, 5, 2), date(2024, 5, 8), "day"),
    ("in the past weeks", date(2024, 4, 18), date(2024, 5, 8), "day"),
    ("in the past three months", date(2024, 2, 1), date(2024, 5, 31), "month"),
    ("recently", date(2024, 2, 1), date(2024, 5, 31), "month"),
    # parts and seasons of a named year
    ("in early 2023", date(2023, 1, 1), date(2023, 4, 30), "month"),
    ("in mid-2023", date(2023, 5, 1), date(2023, 8, 31), "month"),
    ("late last year", date(2023, 9, 1), date(2023, 12, 31), "month"),
    ("the end of 2023", date(2023, 12, 1), date(2023, 12, 31), "month"),
    ("in the first half of 2023", date(2023, 1, 1), date(2023, 6, 30), "month"),
    ("in the autumn of 2023", date(2023, 9, 1), date(2023, 11, 30), "month"),
    ("in the fall of last year", date(2023, 9, 1), date(2023, 11, 30), "month"),
    ("in winter 2023", date(2023, 12, 1), date(2024, 2, 29), "month"),
    ("in mid-October", date(2023, 10, 1), date(2023, 10, 31), "month"),
    ("a year ago", date(2023, 5, 1), date(2023, 5, 31), "month"),
    ("two months ago", date(2024, 3, 1), date(2024, 3, 31), "month"),
    ("in the past year", date(2023, 6, 1), date(2024, 5, 31), "month"),
    ("from 7 September to 1 October 2023", date(2023, 9, 7), date(2023, 10, 1), "day"),
])
def test_dates_resolve_against_the_publication_date(text, start, end, precision):
    [found] = find_dates(f"It happened {text}.", PUBLISHED)
    assert found.text.lower().endswith(text.lower().removeprefix("on ").removeprefix("in ").removeprefix("from ")) or \
        found.text == text
    assert (found.date_start, found.date_end, found.precision.value) == (start, end, precision)


@pytest.mark.parametrize("text, day", [("Wednesday, October 16, 2023", date(2023, 10, 16)),
                                       ("Monday 2 October 2023", date(2023, 10, 2))])
def test_a_weekday_before_a_full_date_names_that_date_not_the_last_such_weekday(text, day):
    assert [(d.date_start, d.date_end) for d in find_dates(f"It happened on {text}.", PUBLISHED)] == [(day, day)]


@pytest.mark.parametrize("text, start, end", [
    ("November 4-6, 2022", date(2022, 11, 4), date(2022, 11, 6)),    # the year is the first day's too
    ("4–6 November 2022", date(2022, 11, 4), date(2022, 11, 6)),
    ("Nov. 4-6", date(2023, 11, 4), date(2023, 11, 6)),              # no year: the last before publication
])
def test_a_range_of_days_written_with_a_dash_is_those_days(text, start, end):
    assert [(d.date_start, d.date_end) for d in find_dates(f"Talks were held on {text} in the capital.", PUBLISHED)] \
        == [(start, end)]


def test_days_later_than_a_month_are_that_month_and_without_any_date_before_them_no_date():
    found = find_dates("The ship docked at Rajin in March 2024 and left two days later.", PUBLISHED)
    assert [(d.date_start, d.date_end) for d in found] == [(date(2024, 3, 1), date(2024, 3, 31))] * 2
    assert find_dates("Two days later the ship left.", PUBLISHED) == []


def test_a_range_of_days_across_two_months_or_ending_a_sentence_is_those_days():
    found = find_dates("Talks ran from Nov. 29-Dec. 1, 2023. Others were held on 11-12 April.", PUBLISHED)
    assert [(d.date_start, d.date_end) for d in found] == [(date(2023, 11, 29), date(2023, 12, 1)),
                                                           (date(2024, 4, 11), date(2024, 4, 12))]


def test_a_weapon_named_in_the_plural_is_that_weapon_and_a_day_counts_nothing(extractor):
    assert [m.system for m in find_systems("Russia fired two KN-23s and several Iskanders.")] == ["kn-23", "iskander-m"]
    assert find_quantities("On 14 June Russian missiles hit the city.") != []  # (the finder alone sees a count)
    text = "On 14 June 2023 Russian missiles hit Kharkiv. SEOUL, Dec 10 - North Korean troops moved."
    assert [q.value for q in extractor.extract(text, PUBLISHED).quantities] == []


@pytest.mark.parametrize("text, day", [("on Christmas Eve", date(2023, 12, 24)),
                                       ("early on New Year's Day 2024", date(2024, 1, 1)),
                                       ("on the morning of New Year’s Eve", date(2023, 12, 31))])
def test_a_named_day_of_the_calendar_is_that_day(text, day):
    assert [(d.date_start, d.date_end) for d in find_dates(f"Missiles hit the city {text}.", PUBLISHED)] == [(day, day)]


def test_a_month_after_a_year_told_alone_falls_in_that_year_and_a_month_ending_a_sentence_takes_no_day():
    published = date(2025, 9, 4)
    text = "The volume in 2025 rose.\n- Air: In July, transport aircraft flew to Pyongyang."
    assert [(d.text, d.date_start) for d in find_dates(text, published)] == \
        [("2025", date(2025, 1, 1)), ("July", date(2025, 7, 1))]
    text = "The troops fought there until April.\n2. About 3,000 more came in January."
    assert [(d.text, d.date_start) for d in find_dates(text, published)] == \
        [("April", date(2025, 4, 1)), ("January", date(2025, 1, 1))]


def test_a_day_word_after_a_sentence_ending_in_a_name_is_a_date():
    [found] = find_dates("Drones struck Kursk. Yesterday, troops attacked Sumy.", PUBLISHED)
    assert (found.text, found.date_start) == ("Yesterday", date(2024, 5, 7))


@pytest.mark.parametrize("text", ["USA Today reported the strike.", "[News Today] Missiles and ships",
                                  "the last days of the war", "The recently appointed governor spoke."])
def test_words_of_time_inside_names_or_other_phrases_are_no_date(text):
    assert find_dates(text, PUBLISHED) == []


@pytest.mark.parametrize("text", ["the last two weeks of December", "at the end of December",
                                  "Throughout December, trains ran.", "during December"])
def test_a_part_of_a_named_month_is_that_month_not_a_span_before_publication(text):
    [found] = find_dates(text, PUBLISHED)
    assert (found.text, found.date_start, found.date_end) == ("December", date(2023, 12, 1), date(2023, 12, 31))


def test_the_next_day_counts_from_the_last_day_named_and_is_no_date_without_one():
    text = "The ship loaded containers on May 2. The next day it sailed; the day before, it had docked."
    assert [(d.text, d.date_start) for d in find_dates(text, PUBLISHED)] == [
        ("May 2", date(2024, 5, 2)), ("The next day", date(2024, 5, 3)), ("the day before", date(2024, 5, 2))]
    assert find_dates("The next day it sailed.", PUBLISHED) == []


def test_overnight_is_the_night_of_the_day_its_sentence_names():
    found = find_dates("On May 2, Russia fired missiles at Kharkiv as part of its overnight attack.", PUBLISHED)
    assert [(d.text, d.date_start) for d in found] == [("May 2", date(2024, 5, 2))]


@pytest.mark.parametrize("text", [
    "Russia launched 40 drones overnight on Ukraine.",            # "on" before no day
    "The air force said today that drones struck Kharkiv overnight.",  # "today" names no other day
    "KYIV (Reuters) - Overnight, Russia launched 40 drones.",     # a lede after a dateline
    "Drones struck Kharkiv last\nnight, the governor said.",      # a line break inside
    "Russia fired drones overnight on 3 regions.",                 # a number that is no day
])
def test_overnight_without_a_day_named_is_the_night_before_publication(text):
    nights = [d for d in find_dates(text, PUBLISHED) if "night" in d.text.lower()]
    assert [(d.date_start, d.date_end) for d in nights] == [(date(2024, 5, 7), date(2024, 5, 8))]


def test_dates_of_a_long_report_are_found_in_linear_time():
    import time

    started = time.perf_counter()
    found = find_dates("Drones hit the city overnight. On May 2 the next day came. " * 15_000, PUBLISHED)
    assert len(found) == 45_000
    assert time.perf_counter() - started < 60  # quadratic took minutes; linear takes about a second


def test_a_day_named_beside_this_week_dates_the_event(extractor):
    text = ("A cargo ship carried containers from Rason to Vostochny this week. The ship loaded the "
            "containers at Rason on May 6 and sailed to Vostochny.")
    [transfer] = [e for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "transfer"]
    assert (transfer["date_start"], transfer["date_end"]) == (date(2024, 5, 6), date(2024, 5, 6))


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
    # a misspelling of Kursk, listed before "regions": the region
    assert by_text["Kurusk"].candidate.id == "region:RU-KRS"
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


@pytest.mark.parametrize("text, english", [
    ("Gaza City's Shejaiya district came under heavy bombardment.", True),  # no function word
    ("Missiles hit Kyiv.", True),
    ("Explosions rocked Kharkiv overnight.", True),
    ("Rosiia zavdala udaru po Kharkovu balistychnoiu raketoiu", False),  # Ukrainian, transliterated
    ("Russland hat Charkiw mit einer ballistischen Rakete angegriffen", False),
    ("asdf qwer zxcv uiop hjkl", False),
])
def test_a_short_english_report_is_read_and_other_languages_are_refused(text, english):
    if english:
        assert prepare(text) == text
    else:
        with pytest.raises(ReportError, match="does not look like English"):
            prepare(text)


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


# -- events: which place, which date, which direction ------------------------------------------

def _events(extractor, text, published=PUBLISHED):
    return extractor.extract(text, published, "Test Wire").events


def _where(event):
    place = event.get("destination") or event.get("place")
    return place["name"] if place else None


@pytest.mark.parametrize("text, kind, place", [
    # the dateline says where the story was filed, not where the missiles fell
    ("LVIV, Ukraine — Russian forces hit Dnipro with two missiles on Monday.", "strike", "Dnipro"),
    # nor do the places of who is speaking
    ("Officials in Warsaw said a missile struck Odesa on March 3.", "strike", "Odesa"),
    ("Ukraine's air force said a ballistic missile hit Sumy on March 3.", "strike", "Sumy"),
    # an air raid outside Ukraine is a strike too (the real reports' gold: a depot hit in Russia)
    ("Ukrainian drones struck an arsenal near Toropets on Sunday.", "strike", "near Toropets"),
    # the place nearest after the verb, and every place listed with it
    ("Prosecutors counted strikes on Odesa, Sumy and Poltava in April.", "strike", "Poltava"),
    # a launch from North Korean ground is a test
    ("North Korea said the missiles were fired from South Pyongan province on Monday.", "test",
     "South Pyongan province"),
    # no place in the sentence: the dateline
    ("KHERSON — A missile struck an industrial site on the edge of the city on Monday.", "strike", "KHERSON"),
])
def test_event_places(extractor, text, kind, place):
    assert place in [_where(e) for e in _events(extractor, text) if e["kind"] == kind]


def test_the_dateline_is_not_the_place_when_the_sentence_names_one(extractor):
    events = _events(extractor, "LVIV — Russian forces hit Dnipro on Monday.")
    assert [_where(e) for e in events if e["kind"] == "strike"] == ["Dnipro"]


def test_event_dates_skip_when_it_was_said_and_follow_since(extractor):
    [strike] = [e for e in _events(extractor, "The air force said on Friday that a missile fired on May 2 hit Sumy.")
                if e["kind"] == "strike"]
    assert strike["date_start"] == date(2024, 5, 2)
    text = "North Korea has shipped 5,000 containers of shells to Russia since March, officials said on Monday."
    [transfer] = [e for e in _events(extractor, text) if e["kind"] == "transfer"]
    assert (transfer["date_start"], transfer["date_end"]) == (date(2024, 3, 1), date(2024, 5, 31))


def test_a_sentence_without_a_date_takes_the_main_date_of_the_one_before(extractor):
    text = ("A missile struck Sumy on Tuesday, the mayor said on Wednesday. "
            "Officials said it had been launched from the Kursk region.")
    [launch] = [e for e in _events(extractor, text) if e["kind"] == "launch_site"]
    assert (launch["place"]["name"], launch["date_start"]) == ("Kursk region", date(2024, 5, 7))


def test_the_city_and_listed_days(extractor):
    text = ("A missile hit a depot in Kharkiv on Wednesday. "
            "Investigators said the same type was fired at the city on Jan. 2 and Jan. 6.")
    strikes = {(e["place"]["name"], e["date_start"]) for e in _events(extractor, text) if e["kind"] == "strike"}
    assert {("Kharkiv", date(2024, 1, 2)), ("Kharkiv", date(2024, 1, 6))} <= strikes


def test_routes_read_from_the_words_before_each_place(extractor):
    text = ("About 2,000 troops were carried by ship from Chongjin and Hamhung to Vladivostok "
            "between April 2 and April 9.")
    routes = {(e["origin"]["name"], e["destination"]["name"]) for e in _events(extractor, text)
              if e["kind"] == "deployment"}
    assert routes == {("Chongjin", "Vladivostok"), ("Hamhung", "Vladivostok")}
    text = "The cargo was unloaded at Dunai in April and then moved by rail to a depot near Tikhoretsk."
    legs = {e["destination"]["name"] for e in _events(extractor, text) if e["kind"] == "transfer"}
    # the leg to Dunai names no start: with the leg from it told, only that leg is proposed
    assert legs == {"near Tikhoretsk"}


def test_route_ends_from_passive_and_demonym(extractor):
    text = "Russia keeps firing missiles that were supplied by North Korea, officials said on Monday."
    [transfer] = [e for e in _events(extractor, text) if e["kind"] == "transfer"]
    assert (transfer["origin"]["name"], transfer["destination"]["name"]) == ("North Korea", "Russia")
    text = "North Korean soldiers arrived in the Kursk region in October, Ukraine's intelligence said."
    [deployment] = [e for e in _events(extractor, text) if e["kind"] == "deployment"]
    assert (deployment["origin"]["country"], deployment["destination"]["name"]) == ("KP", "Kursk region")


def test_juche_markings_give_north_korean_production(extractor):
    text = "Parts of the missile that hit Kyiv carried markings dated 113 in the North Korean calendar."
    [made] = [e for e in _events(extractor, text) if e["kind"] == "production"]
    assert (made["place"]["country"], made["date_start"]) == ("KP", date(2024, 1, 1))


def test_a_place_is_no_context_for_itself(extractor):
    # Engels was once called Pokrovsk; naming Engels must not pull Pokrovsk to it
    found = extractor.extract("Bombers took off from Engels while Russian troops attacked Pokrovsk.", PUBLISHED)
    assert {p.text: p.candidate.country for p in found.places}["Pokrovsk"] == "UA"


def test_satellite_images_are_not_a_launch_cue(extractor):
    found = extractor.extract("Satellite images show cargo ships unloading at Vostochny near Nakhodka.", PUBLISHED)
    assert {p.text: p.candidate.id for p in found.places}["Vostochny"] == "site:port-vostochny"


@pytest.mark.parametrize("text, start, end", [
    ("a rail link between the two countries. Images taken between June and August", date(2023, 6, 1),
     date(2023, 8, 31)),
    ("shipments since the summer", date(2023, 6, 1), date(2023, 8, 31)),
    ("the end of the year", date(2024, 12, 1), date(2024, 12, 31)),
    ("the current year", date(2024, 1, 1), date(2024, 12, 31)),
    ("sidings built in 2023, the group said", date(2023, 1, 1), date(2023, 12, 31)),
    ("markings dated 112", date(2023, 1, 1), date(2023, 12, 31)),
    ("It happened on May 3. Two days earlier", date(2024, 5, 1), date(2024, 5, 1)),
])
def test_more_date_expressions(text, start, end):
    found = find_dates(text, PUBLISHED)[-1]
    assert (found.date_start, found.date_end) == (start, end)


@pytest.mark.parametrize("phrase", [
    "It exploded in mid-air.", "The missiles were launched from Kursk.", "Troops arrived in Kursk.",
    "Russia supplied shells.", "They signed a treaty.", "Kim hosted Putin.", "It placed a satellite into orbit.",
    "It was made in North Korea.", "They came under artillery fire.", "Launchers were positioned there.",
    "It tumbled out of the sky.", "Supplies were unloaded.",
])
def test_the_word_prefilter_never_hides_a_trigger(phrase):
    from geodata.extract.triggers import KIND_PATTERNS, sentence_triggers, trigger_starts

    everywhere = [(kind, m.span()) for kind, pattern in KIND_PATTERNS for m in pattern.finditer(phrase)]
    assert everywhere, phrase
    starts = trigger_starts(phrase, [(0, len(phrase))]).get(0, {})
    assert [(kind, m.span()) for kind, m in sentence_triggers(phrase, starts)] == everywhere


def test_patterns_tried_only_at_their_words_find_what_a_full_scan_finds():
    from geodata.extract.date_rules import RULES, rule_starts
    from geodata.extract.mentions import _QUANTITY, _quantity_starts, _system_matches, _system_pattern
    from geodata.extract.text import finditer_at, words

    text = REPORT + (" Moreover 3 ships, some 20 Hwasong 11 and KN23 launchers, on the 7th, last fall, Juche 113,"
                     " in 2023, two days later, the 3rd of last month, in March, last Monday.")
    index = words(text)
    for i, (pattern, _) in enumerate(RULES):
        anchored = [m.span() for m in finditer_at(pattern, text, rule_starts(text, index, i))]
        assert anchored == [m.span() for m in pattern.finditer(text)], pattern.pattern
    quantities = [m.span() for m in finditer_at(_QUANTITY, text, _quantity_starts(index))]
    assert quantities == [m.span() for m in _QUANTITY.finditer(text)]
    assert [m.span() for m in _system_matches(text)] == [m.span() for m in _system_pattern()[0].finditer(text)]


def test_a_casualty_count_is_not_also_a_quantity(extractor):
    found = extractor.extract("A missile struck Odesa on May 3, 2024, killing four people, the governor said.",
                              date(2024, 5, 4), "Test Wire")
    strike = next(e for e in found.events if e["kind"] == "strike")
    assert strike["casualties"]["killed"] == 4
    assert all(q["unit"] != "people" for q in strike["quantities"])


def test_a_raion_named_as_news_names_it_is_the_raion_an_area(extractor):
    """"the Kramatorsk district" is Kramatorskyi Raion, drawn as its area: not a pin on
    the town it is named after."""
    found = extractor.extract("Russian missiles struck the Kramatorsk district of Donetsk Oblast on May 3.",
                              date(2024, 6, 1))
    district = next(p for p in found.places if p.text == "Kramatorsk district")
    assert district.candidate.name == "Kramatorskyi Raion"
    assert district.candidate.precision == 3 and district.candidate.radius_km >= 20
    assert [e["title"] for e in found.events] == ["Strike: Kramatorskyi Raion"]


@pytest.mark.parametrize("sentence, claimant", [
    ("Russia supplied missiles to North Korea, a senior official said Friday.", None),
    ("The missile hit Kyiv, Ukraine said Friday.", "Ukraine"),
    ("According to the UN panel, the missile was a KN-23.", "the UN panel"),
    ("A KN-23 hit Kharkiv, according to the U.S. government.", "the U.S. government"),
    ("The strike killed two people, said Oleh Syniehubov.", "Oleh Syniehubov"),
    ("Czech minister Jan Lipavsky said Russian missiles struck Kharkiv.", "Jan Lipavsky"),
    ("The missile was North Korean, according to August Pradetto, an analyst.", "August Pradetto"),
    ("On Friday Zelensky said the missile was North Korean.", "Zelensky"),
    ("In May Zelensky said the missile was North Korean.", "Zelensky"),
    ("Early Warning Systems said the launch was detected.", "Early Warning Systems"),
])
def test_the_claimant_is_who_said_it_not_when(sentence, claimant):
    from geodata.extract.claims import find_claimant

    assert find_claimant(sentence) == claimant


@pytest.mark.parametrize("text, first, last", [
    ("were sent in January and February 2025 to replace losses", "2025-01-01", "2025-02-28"),
    ("moved there from March to May 2024", "2024-03-01", "2024-05-31"),
    ("shipped from November to February 2024", "2023-11-01", "2024-02-29"),
    # a span whose ends each name their year (US style puts a comma after the first)
    ("Photographs taken between October 3, 2024, and March 9, 2025, show the yard full.", "2024-10-03", "2025-03-09"),
    ("Tankers called there from June 2, 2024, to Jan. 15, 2025, records show.", "2024-06-02", "2025-01-15"),
    ("Trains ran from October 2023 to February 2025, the agency said.", "2023-10-01", "2025-02-28"),
    ("Shipments went on from late 2023 to mid-2024.", "2023-09-01", "2024-08-31"),
])
def test_a_span_told_by_its_two_ends_is_one_span(text, first, last):
    """Two months take the year named last; ends that each name their year are read whole."""
    found = find_dates(text, date(2025, 6, 1))
    assert [(str(d.date_start), str(d.date_end)) for d in found] == [(first, last)]


@pytest.mark.parametrize("text, day", [
    ("Launches followed on 2 January 2024 and on 7 February, when two missiles hit Kharkiv.", "2024-02-07"),
    ("In December 2023 the launches began; on January 2, one hit Kyiv.", "2024-01-02"),
    ("On Jan. 4, 2024 the spokesman said a missile was fired on Dec. 30.", "2023-12-30"),
])
def test_a_day_told_without_its_year_takes_the_year_told_before_it_in_its_sentence(text, day):
    found = find_dates(text, date(2025, 6, 1))
    assert str(found[-1].date_start) == day

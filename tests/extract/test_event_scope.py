"""Issue 11, unseen reports: which meetings, agreements, tests and strikes belong on this
map. A ratification is an agreement of the ratifying country; a rocket lifting off is a
test. A strike on a whole country told without a date is the war, not one strike. Talks where the pipeline's
parties meet others without North Korea or Belarus (a US envoy in Moscow), a leader
meeting bereaved families, and the city a speaker is in are not; a North Korean official
spelt with or without hyphens still makes North Korea a party. Sentences written for
these tests."""

from datetime import date

import pytest

from tests.extract.test_event_rules_combat import _where, extractor  # noqa: F401 (a fixture)

PUBLISHED = date(2025, 12, 1)


def _meetings(extractor, text: str) -> list[str | None]:
    return [_where(e) for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "meeting"]


def test_putin_meeting_a_us_envoy_is_not_a_pipeline_meeting(extractor):
    assert _meetings(extractor, "The US envoy met Putin in St Petersburg on April 11, 2025.") == []
    assert _meetings(extractor, "US and Ukrainian delegations held talks in Jeddah on March 11, 2025.") == []


def test_a_north_korean_with_russia_and_others_is_still_a_meeting(extractor):
    text = "Putin met Kim Jong-un and the Chinese leader in Beijing on September 3, 2025."
    assert _meetings(extractor, text) == ["Beijing"]


def test_a_north_korean_minister_spelt_with_hyphens_is_a_party(extractor):
    text = "Choe Son-hui met Lavrov in Moscow on July 2, 2025, the US State Department said."
    assert _meetings(extractor, text) == ["Moscow"]


def test_a_leader_meeting_bereaved_families_is_no_meeting(extractor):
    text = "In August 2025, Kim attended a ceremony in Pyongyang, where he met the families of fallen soldiers."
    assert _meetings(extractor, text) == []


def test_the_city_a_speaker_is_in_is_not_the_venue(extractor):
    text = ("In Seoul, the foreign ministry said it was closely watching Lavrov's visit and warned that any cooperation "
            "between Moscow and Pyongyang would violate UN resolutions.")
    assert _meetings(extractor, text) == []


def test_a_strike_on_a_whole_country_without_a_date_is_background(extractor):
    text = "Officials say the DPRK has provided ballistic missiles and that Russia has launched them at Ukraine."
    assert [e for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "strike"] == []
    text = "Russia fired six North Korean missiles at Ukraine on May 3, 2025."
    assert [_where(e) for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "strike"] == ["Ukraine"]


def test_a_parliament_ratifying_a_treaty_is_an_agreement_of_its_country(extractor):
    text = "Russia's lower house of parliament voted to ratify the defence treaty on October 24, 2024."
    found = [e for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "agreement"]
    assert [(e["place"]["country"], e["place"]["geo_precision"], e["date_start"]) for e in found] == \
        [("RU", 4, date(2024, 10, 24))]


def test_a_rocket_lifting_off_from_a_launch_station_is_a_test_there(extractor):
    text = "A Chollima-1 rocket lifted off from the Sohae Satellite Launching Station on November 21, 2023, KCNA said."
    found = [e for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "test"]
    assert [_where(e) for e in found] == ["Sohae Satellite Launching Station"]


@pytest.mark.parametrize("text", [
    "North Korea fired two short-range ballistic missiles from the Sunan area into the East Sea on November 21, "
    "2023, Seoul's military said.",
    "On November 21, 2023, North Korea fired a Hwasong-11 missile into the Yellow Sea, Seoul's military said.",
    "North Korea fired about ten short-range ballistic missiles into the sea on November 21, 2023.",
    "On November 21, 2023, North Korea launched an ICBM toward the waters off its east coast, Tokyo said.",
    "North Korea fired two ballistic missiles into the Sea of Japan on November 21, 2023.",
])
def test_missiles_north_korea_fires_itself_are_a_test_not_a_strike_in_ukraine(text, extractor):
    kinds = {(e["kind"], e["place"]["country"]) for e in extractor.extract(text, PUBLISHED).events}
    assert ("strike", "UA") not in kinds and ("test", "KP") in kinds
    assert not {country for kind, country in kinds if kind == "test"} - {"KP"}  # not in Japan's sea


def test_a_north_korean_missile_russia_fired_into_the_sea_is_no_test(extractor):
    text = "On November 21, 2023, a North Korean missile fired by Russia fell into the Black Sea off Odesa."
    assert not [e for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "test"]


def test_a_capital_told_by_its_country_is_that_city(extractor):
    text = "Shoigu, who flew to the North Korean capital on a mission from Putin, met Kim on June 17, 2025."
    found = extractor.extract(text, PUBLISHED)
    assert [_where(e) for e in found.events if e["kind"] == "meeting"] == ["Pyongyang"]
    assert [p.text for p in found.places] == []  # a place of the event, not a toponym of the text


def test_supplies_between_whole_countries_told_without_any_date_are_background(extractor):
    text = "North Korea has supplied Russia with millions of artillery shells, according to Seoul."
    assert [e for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "transfer"] == []
    text = "North Korea shipped a million artillery shells to Russia in October 2024, according to Seoul."
    assert len([e for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "transfer"]) == 1


def test_a_ukrainian_strike_in_occupied_land_is_no_russian_strike(extractor):
    text = "North Korean soldiers were killed in a Ukrainian missile strike near Donetsk on October 3, 2024."
    assert [(e["kind"], _where(e)) for e in extractor.extract(text, PUBLISHED).events] == [("incident", "near Donetsk")]
    text = "Ukrainian air defences intercepted two KN-23 missiles over Kyiv on October 3, 2024."
    assert [(e["kind"], _where(e)) for e in extractor.extract(text, PUBLISHED).events] == [("strike", "Kyiv")]


def test_a_meeting_told_to_date_something_else_is_still_one_when_dated(extractor):
    text = ("Military ties have grown since the meeting between Kim Jong Un and Vladimir Putin at the Vostochny "
            "cosmodrome on 13 September 2023.")
    assert [_where(e) for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "meeting"] == \
        ["Vostochny cosmodrome"]
    text = "Starting five days after the summit at Vostochny, boxcars piled up at the Tumangang rail yard."
    assert [e for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "meeting"] == []


def test_an_agreement_yet_to_be_signed_is_none(extractor):
    text = "Treaties on border protection, which have yet to be signed in Moscow, were drafted on May 3, 2024."
    assert [e for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "agreement"] == []


@pytest.mark.parametrize("text, venue", [
    ("Kim Jong Un received Russian Defence Minister Sergei Shoigu in Pyongyang on July 26, 2023.", "Pyongyang"),
    ("Putin flew to Pyongyang on June 19, 2024, his first trip to North Korea in 24 years.", "Pyongyang"),
    ("In Pyongyang on June 17, 2025, Shoigu and Kim discussed sending engineers.", "Pyongyang"),
    ("Minister Alexander Kozlov greeted Kim at the border station of Khasan on September 12, 2023.", "Khasan"),
])
def test_more_ways_of_telling_a_meeting(extractor, text, venue):
    assert _meetings(extractor, text) == [venue]


def test_receiving_goods_is_no_meeting(extractor):
    assert _meetings(extractor, "Russia received North Korean shells at Dunai in October 2023.") == []


def _kinds_at(extractor, text: str) -> list[tuple[str, str | None]]:
    return [(e["kind"], _where(e)) for e in extractor.extract(text, PUBLISHED).events]


@pytest.mark.parametrize("text, found", [
    ("Officials said Russia had used at least 24 North Korean ballistic missiles between December 30, 2023 and "
     "February 7, 2024.", ("strike", "Ukraine")),
    ("North Korean-made missiles killed 14 civilians in Kharkiv region in January 2024.", ("strike", "Kharkiv region")),
    ("A KN-23 fell in an open field in Zaporizhzhia region on December 30, 2023.", ("strike", "Zaporizhzhia region")),
    ("Russian launchers near Valuyki fired North Korean missiles at Kharkiv in February 2024.",
     ("launch_site", "near Valuyki")),
    ("Kim oversaw the test of new suicide drones in mid-November 2024, KCNA said.", ("test", "North Korea")),
])
def test_more_ways_of_telling_strikes_launches_and_tests(extractor, text, found):
    assert found in _kinds_at(extractor, text)


def test_weapons_used_without_a_date_or_a_place_tell_no_strike(extractor):
    assert _kinds_at(extractor, "Russia has used North Korean missiles, officials say.") == []


def test_a_strike_on_a_whole_country_over_a_year_is_the_war(extractor):
    text = "Over the past year the DPRK has given Russia missiles that have been fired at Ukraine, officials said."
    assert [k for k, _ in _kinds_at(extractor, text) if k == "strike"] == []
    text = "Russia fired 20 North Korean missiles at Ukraine between December 30, 2024 and February 6, 2025."
    assert ("strike", "Ukraine") in _kinds_at(extractor, text)


def test_cities_a_weapon_has_been_used_against_without_any_date_are_no_strikes(extractor):
    text = ("Russian forces have launched the KN-23 at targets in several cities, among them Kyiv, Odesa and "
            "Zaporizhzhia, the ministry's report says.")
    assert [k for k, _ in _kinds_at(extractor, text) if k == "strike"] == []
    text = "Russian forces have launched the KN-23 at Odesa and Zaporizhzhia since January 2024, the report says."
    assert {("strike", "Odesa"), ("strike", "Zaporizhzhia")} <= set(_kinds_at(extractor, text))


@pytest.mark.parametrize("text, found", [
    ("North Korea sends 1,500 special forces to Russia, Seoul's spy agency says", ("deployment", "Russia")),
    ("Russia fires North Korean missiles at Kharkiv, prosecutors say", ("strike", "Kharkiv")),
])
def test_headlines_in_the_present_tell_events(extractor, text, found):
    assert found in _kinds_at(extractor, text)


@pytest.mark.parametrize("text, found", [
    ("Defence Minister Andrei Belousov landed in Pyongyang on November 29, 2024.", ("meeting", "Pyongyang")),
    ("Foreign Minister Lavrov traveled to Pyongyang in October 2023.", ("meeting", "Pyongyang")),
    ("Putin received North Korea's top diplomat Choe Son Hui in Moscow on January 16, 2024.", ("meeting", "Moscow")),
    ("Since March 7, 2024, North Korean tankers have called at Vostochny Port to load petroleum.",
     ("transfer", "North Korea")),
])
def test_visits_port_calls_and_missiles_used(extractor, text, found):
    assert found in _kinds_at(extractor, text)


@pytest.mark.parametrize("text", [
    "Kim accepted an invitation to visit Moscow in May 2024, the Kremlin said.",
    "Choe Son Hui is due to visit Moscow in the coming days, the ministry said on October 30, 2024.",
    "Containers of North Korean shells arrived in Pyongyang's port on May 3, 2024.",
    "Choe, who landed in the Russian capital on January 15, 2024, passed on greetings from Kim, Minister Lavrov said.",
])
def test_no_visit_no_strike(extractor, text):
    assert [k for k, _ in _kinds_at(extractor, text) if k in ("meeting", "strike", "incident")] == []


def test_an_agency_written_like_a_town_is_no_place(extractor):
    found = extractor.extract("According to the NIS, Pyongyang has sent 220 guns since last autumn.", PUBLISHED)
    assert "NIS" not in [p.text for p in found.places]


def test_missiles_used_against_cities_since_the_new_year_are_a_campaign_on_the_country(extractor):
    text = ("Russia has been using North Korean KN-23 missiles against Ukrainian cities since the turn of the year, "
            "officials said.")
    found = [e for e in extractor.extract(text, date(2025, 6, 20)).events if e["kind"] == "strike"]
    assert [(_where(e), e["date_start"]) for e in found] == [("Ukraine", date(2025, 1, 1))]


def test_received_at_the_kremlin_is_a_meeting_in_moscow(extractor):
    text = "Putin received North Korea's top diplomat Choe Son Hui at the Kremlin on January 16, 2024."
    assert _meetings(extractor, text) == ["Moscow"]


def test_capitals_that_accuse_are_governments_not_targets(extractor):
    text = "On January 16, 2024, Washington and Kyiv accused Pyongyang of supplying missiles for strikes on Kharkiv."
    assert "Kyiv" not in [w for k, w in _kinds_at(extractor, text) if k == "strike"]


def test_a_pact_is_not_placed_where_it_raises_concern(extractor):
    text = ("Putin and Kim signed a treaty in Pyongyang on June 19, 2024 that commits each side to defend the "
            "other, raising concerns in Seoul and Tokyo.")
    places = [e["place"]["name"] for e in extractor.extract(text, date(2024, 6, 20)).events
              if e["kind"] == "agreement"]
    assert places == ["Pyongyang"]


def test_a_summit_told_at_the_city_and_at_its_airport_is_one_meeting(extractor):
    text = ("Putin arrived in Pyongyang on June 19, 2024 for talks with Kim Jong Un. The Russian leader landed "
            "at Sunan International Airport shortly before 3 a.m. and was greeted by Kim.")
    meetings = [e for e in extractor.extract(text, date(2024, 6, 20)).events if e["kind"] == "meeting"]
    assert len(meetings) == 1


def test_a_country_wide_span_does_not_swallow_a_dated_strike_on_a_town(extractor):
    """"used against Ukraine since the end of 2023" is background; the strike on
    Zaporizhzhia Oblast keeps its own day."""
    text = ("North Korean missiles have been used against Ukrainian targets since the end of 2023. The first "
            "confirmed case was recorded on December 30, 2023, when a missile of this type fell in an open field "
            "in Zaporizhzhia Oblast.")
    strikes = [(e["place"]["name"], e["date_start"], e["date_end"])
               for e in extractor.extract(text, date(2025, 4, 25)).events if e["kind"] == "strike"]
    assert strikes == [("Zaporizhzhia Oblast", date(2023, 12, 30), date(2023, 12, 30))]


def test_talks_about_last_years_treaty_are_not_dated_last_year(extractor):
    text = ("Shoigu held talks with Kim Jong Un in Pyongyang on June 4, 2025, and the two sides discussed "
            "implementing last year's treaty.")
    meetings = [e["date_start"] for e in extractor.extract(text, date(2025, 6, 5)).events if e["kind"] == "meeting"]
    assert meetings == [date(2025, 6, 4)]


def test_a_rate_of_fire_along_the_front_is_no_strike(extractor):
    text = ("Russia's military has fired artillery at a rate of roughly 10,000 rounds a day along the front in "
            "Ukraine in recent months, Western officials say.")
    assert [e for e in extractor.extract(text, date(2024, 2, 20)).events if e["kind"] == "strike"] == []


@pytest.mark.parametrize("target", ["an oil refinery", "a fuel depot", "an oil depot"])
def test_a_refinery_or_fuel_depot_hit_in_russia_is_no_strike_of_this_map(extractor, target):
    text = f"Ukraine's General Staff said its drones struck {target} in Saratov overnight on January 14, 2025."
    assert [e for e in extractor.extract(text, date(2025, 1, 15)).events if e["kind"] == "strike"] == []


def test_an_ammunition_depot_hit_in_russia_is_a_strike_of_this_map(extractor):
    text = "Ukraine's General Staff said its drones struck an ammunition depot in Saratov overnight on January 14, 2025."
    strikes = [e for e in extractor.extract(text, date(2025, 1, 15)).events if e["kind"] == "strike"]
    assert [(e["place"]["name"], e["date_start"]) for e in strikes] == [("Saratov", date(2025, 1, 14))]


def test_the_year_a_town_was_renamed_is_no_date_of_a_strike_on_it(extractor):
    text = "A KN-23 missile hit an enterprise in Samar, the city known until last year as Novomoskovsk."
    strikes = [e for e in extractor.extract(text, date(2025, 4, 1)).events if e["kind"] == "strike"]
    assert strikes and all(e.get("date_start") != date(2024, 1, 1) for e in strikes)


def test_each_entry_of_a_timeline_is_dated_by_the_date_opening_its_line(extractor):
    text = ("Visits at a glance\n"
            "April 2024: the intelligence chief arrives in Pyongyang, and inspects a factory with Kim.\n"
            "- 26-27 November 2024: Kim receives Russian Defence Minister Andrei Belousov in Pyongyang.\n")
    found = [(e["date_start"], e["date_end"]) for e in extractor.extract(text, PUBLISHED).events
             if e["kind"] == "meeting"]
    assert found == [(date(2024, 4, 1), date(2024, 4, 30)), (date(2024, 11, 26), date(2024, 11, 27))]


def test_a_second_verb_of_the_same_subject_keeps_the_clauses_date(extractor):
    text = "In May 2025 the minister watched the parade in Pyongyang, and visited a shipyard with Kim."
    [meeting] = [e for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "meeting"]
    assert (meeting["date_start"], meeting["date_precision"]) == (date(2025, 5, 1), "month")
    # another subject after ", and" starts a clause of its own, which the date does not reach
    text = "The treaty was signed in June 2024, and wounded soldiers later arrived in Moscow."
    assert all(e["date_start"] != date(2024, 6, 1) for e in extractor.extract(text, PUBLISHED).events
               if e["kind"] != "agreement")


def test_received_again_is_still_a_meeting(extractor):
    text = "On 4 June 2025 the security council secretary was once more received by Kim in Pyongyang."
    assert _meetings(extractor, text) == ["Pyongyang"]


def test_officials_sent_to_a_capital_are_visits_not_a_shipment(extractor):
    text = "In March 2025 Russia sent a string of senior officials to the North Korean capital."
    assert extractor.extract(text, PUBLISHED).events == []


def test_working_to_meet_demand_is_no_meeting(extractor):
    text = "In May 2025 North Korean plants in Hamhung worked around the clock to meet Russian demand for shells."
    assert _meetings(extractor, text) == []


def test_a_leader_or_legislature_ratifying_a_treaty_with_the_other_party_is_an_agreement_of_its_own_country(extractor):
    text = "On 12 March 2025 President Putin signed into law an arms treaty with North Korea."
    found = [e for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "agreement"]
    assert [(e["place"]["country"], e["date_start"]) for e in found] == [("RU", date(2025, 3, 12))]
    text = "The State Duma voted on 2 April 2025 to ratify a trade accord with Pyongyang."
    found = [e for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "agreement"]
    assert [(e["place"]["country"], e["date_start"]) for e in found] == [("RU", date(2025, 4, 2))]


def test_a_russian_satellite_launch_is_no_missile_launch_site_but_the_norths_is_a_test(extractor):
    text = "On 5 November 2024 Russia launched a Soyuz rocket with two Iranian satellites from the Vostochny Cosmodrome."
    assert [e["kind"] for e in extractor.extract(text, PUBLISHED).events] == []
    text = "On 21 November 2023 North Korea launched a spy satellite from Sohae."
    assert [(e["kind"], e["place"]["name"]) for e in extractor.extract(text, PUBLISHED).events] == [("test", "Sohae")]


def test_a_test_or_production_without_a_date_of_its_own_is_what_the_report_explains(extractor):
    text = ("On 5 May 2024 Russia fired KN-23 missiles at Kharkiv. North Korea has tested the KN-23 many times "
            "from sites near Pyongyang, and shells for Russia are produced at a factory in Hamhung.")
    assert [k for k, _ in _kinds_at(extractor, text) if k in ("test", "production")] == []
    text = "North Korea test-fired a Hwasong-11 missile from near Pyongyang on 5 May 2024, Seoul said."
    assert [k for k, _ in _kinds_at(extractor, text)] == ["test"]
    text = "On 5 May 2024 Kim Jong Un said a factory in Hamhung had doubled its production of shells for Russia."
    assert "production" in [k for k, _ in _kinds_at(extractor, text)]

"""Issue 11, unseen reports: combat and losses as events, wire datelines, sources and
plans. Sentences written for these tests."""

from datetime import date

import pytest

from geodata.extract.report import Extractor

PUBLISHED = date(2024, 11, 20)


@pytest.fixture(scope="module")
def extractor(geocoder):
    return Extractor(geocoder)


def _events(extractor, text: str, kind: str | None = None) -> list[dict]:
    return [e for e in extractor.extract(text, PUBLISHED).events if kind is None or e["kind"] == kind]


def _where(e: dict) -> str | None:
    return (e.get("place") or e.get("destination") or {}).get("name")


def test_troops_capturing_a_village_in_a_region_are_deployed_in_that_region(extractor):
    text = "On March 4, 2024, Belarusian soldiers captured a hamlet in Russia's Bryansk region."
    found = _events(extractor, text, "deployment")
    assert [_where(e) for e in found] == ["Bryansk region"]
    assert found[0]["origin"]["country"] == "BY"


def test_fighting_somewhere_in_a_whole_country_is_no_deployment(extractor):
    assert not _events(extractor, "On March 4, 2024, Belarusian soldiers were fighting in Ukraine.", "deployment")


def test_soldiers_killed_in_a_region_are_an_incident_there(extractor):
    text = "On March 4, 2024, dozens of Belarusian soldiers were killed in the Bryansk region."
    assert [_where(e) for e in _events(extractor, text, "incident")] == ["Bryansk region"]


def test_losses_without_a_place_finer_than_a_country_give_no_incident(extractor):
    text = "On March 4, 2024, the coffins of Belarusian soldiers killed helping Russia were flown home."
    assert not _events(extractor, text, "incident")


def test_people_killed_in_listed_cities_are_a_strike_on_each(extractor):
    text = "On March 4, 2024, four people were killed in Dnipro and the eastern city of Kharkiv."
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Dnipro", "Kharkiv"]


def test_a_missile_shot_down_over_a_city_is_a_strike_on_that_city(extractor):
    text = "On March 4, 2024, air defences shot down two ballistic missiles over Lviv."
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Lviv"]


def test_a_wire_dateline_is_not_where_a_summit_was_held(extractor):
    text = "Tokyo, March 5 (Kyodo).- Freight trains crowd the border after a summit between Russia and Belarus."
    assert not [e for e in _events(extractor, text) if _where(e) == "Tokyo"]


def test_a_place_naming_a_news_source_is_not_where_a_pact_was_signed(extractor):
    text = "The two ministers signed a defence pact on March 4, 2024, according to Belarus's state news agency."
    assert not [e for e in _events(extractor, text) if _where(e) == "Belarus"]


def test_an_event_dated_after_publication_is_a_plan_and_gives_no_candidate(extractor):
    text = "The two sides signed a deal in Minsk to finish a road bridge by the end of 2027."
    assert not [e for e in _events(extractor, text) if e["date_start"] > PUBLISHED]


def test_an_undated_supply_between_two_countries_is_background_not_a_shipment(extractor):
    text = ("In June 2024, inspectors counted the crates at a depot in Vladivostok. "
            "Belarus supplies Russia with diesel fuel and spare parts.")
    assert not _events(extractor, text, "transfer")


def test_a_dated_supply_between_two_countries_stays_a_candidate(extractor):
    text = "On June 3, 2024, Belarus sent Russia a train of diesel fuel and spare parts."
    assert [(e["origin"]["country"], e["destination"]["country"]) for e in _events(extractor, text, "transfer")] \
        == [("BY", "RU")]


def test_goods_received_in_return_are_a_transfer_the_other_way(extractor):
    text = "On June 3, 2024, Belarus shipped tractors to Russia and received diesel fuel in return."
    routes = {(e["origin"]["country"], e["destination"]["country"]) for e in _events(extractor, text, "transfer")}
    assert routes == {("BY", "RU"), ("RU", "BY")}


def test_favours_in_exchange_are_no_transfer_back(extractor):
    text = "On June 3, 2024, Russia shipped tractors to Belarus in exchange for political support."
    routes = {(e["origin"]["country"], e["destination"]["country"]) for e in _events(extractor, text, "transfer")}
    assert routes == {("RU", "BY")}


def test_a_receiving_verb_in_another_clause_does_not_turn_the_route_round(extractor):
    text = "On June 3, 2024, Belarus shipped tractors to Russia, while receiving nothing for them."
    routes = [(e["origin"]["country"], e["destination"]["country"]) for e in _events(extractor, text, "transfer")]
    assert routes == [("BY", "RU")]


def test_a_port_named_first_is_the_origin_rather_than_its_country(extractor):
    text = "At Belarus's river port of Mozyr, on June 3, 2024, Belarus loaded tractors bound for Russia."
    found = _events(extractor, text, "transfer")
    assert [(e["origin"]["name"], e["destination"]["country"]) for e in found] == [("Mozyr", "RU")]


def test_a_country_narrowed_to_a_city_places_the_strike_at_the_city(extractor):
    text = "On March 4, 2024, missiles struck Ukraine, including Poltava."
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Poltava"]


def test_a_date_borrowed_from_a_neighbour_yields_to_the_same_events_own_date(extractor):
    text = ("On July 6, 2024, the ministry published its yearly review. Belarus sent 500 soldiers to "
            "Russia's Bryansk region. Belarus confirmed that it had deployed soldiers to Russia in May 2024.")
    found = _events(extractor, text, "deployment")
    assert [(_where(e), str(e["date_start"])) for e in found] == [("Bryansk region", "2024-05-01")]


def _placed(extractor, text: str, name: str) -> set[str]:
    return {p.candidate.country for p in extractor.extract(text, PUBLISHED).places
            if p.text == name and p.candidate is not None}


def test_a_listed_village_takes_the_region_named_after_the_list_even_past_unknown_names(extractor):
    text = "Shelling went on near the villages of Vorozhba, Qwertovka in the Kursk region of Russia."
    assert _placed(extractor, text, "Vorozhba") == {"RU"}


def test_a_name_placed_inside_a_region_once_is_inside_it_everywhere_in_the_report(extractor):
    text = ("Shelling hit the village of Vorozhba on Monday. By Friday, troops were fighting near "
            "the village of Vorozhba in the Kursk region.")
    assert _placed(extractor, text, "Vorozhba") == {"RU"}


def test_a_summit_named_only_to_date_something_else_is_no_meeting(extractor):
    text = "Two weeks after the summit, on May 4, 2024, more freight wagons stood in Khasan."
    assert not _events(extractor, text, "meeting")


def test_a_meeting_told_with_its_venue_after_another_verb_is_still_a_meeting(extractor):
    text = "On May 4, 2024, the minister flew home after a meeting with his counterpart in Vladivostok."
    assert [_where(e) for e in _events(extractor, text, "meeting")] == ["Vladivostok"]


def test_the_parties_of_a_relation_are_not_where_a_summit_was_held(extractor):
    text = "On May 4, 2024, the alliance criticised the ties between Minsk and Tehran at its summit."
    assert not _events(extractor, text, "meeting")


def test_a_capital_standing_for_its_government_is_not_a_meeting_venue(extractor):
    text = "At a summit on May 4, 2024, the president said that Minsk was willing to buy more grain."
    assert not _events(extractor, text, "meeting")


def test_a_place_owning_something_is_not_where_the_event_happened(extractor):
    text = "On May 4, 2024, the envoy met the president during a visit to Minsk's closest ally."
    assert not _events(extractor, text, "meeting")


def test_troops_need_a_destination_named_after_the_verb(extractor):
    text = "On May 4, 2024, Russia sold grain to Belarus in exchange for sending its engineers to support the war."
    assert not _events(extractor, text, "deployment")


def test_where_the_next_meeting_may_be_held_is_not_where_this_one_was(extractor):
    text = "During talks on May 4, 2024, the president said the next round would be held in Belarus, in Minsk."
    assert not [e for e in _events(extractor, text, "meeting") if _where(e) == "Minsk"]


def test_the_month_may_is_no_hedge_on_a_place(extractor):
    text = "In May, troops were sent to the Bryansk region, the ministry said on June 2, 2024."
    assert [_where(e) for e in _events(extractor, text, "deployment")] == ["Bryansk region"]


def test_a_deployment_told_as_a_noun_is_a_deployment(extractor):
    text = "On May 4, 2024, the ministry announced the deployment of 3,000 Belarusian troops to the Bryansk region."
    assert [_where(e) for e in _events(extractor, text, "deployment")] == ["Bryansk region"]


def test_a_place_in_a_relative_clause_is_not_where_troops_went(extractor):
    text = "On May 4, 2024, the presence of Belarusian troops in Russia, which was confirmed by Washington, grew."
    assert not [e for e in _events(extractor, text, "deployment") if _where(e) == "Washington"]


def test_troops_storming_a_village_outside_ukraine_is_an_incident_not_a_strike(extractor):
    text = "On May 4, 2024, Belarusian soldiers attacked the village of Vorozhba in the Kursk region."
    assert {e["kind"] for e in _events(extractor, text) if e["kind"] in ("strike", "incident")} == {"incident"}


def test_a_capture_by_allied_troops_is_an_incident_at_the_village(extractor):
    text = "Between March 6 and 7, 2024, Belarusian soldiers captured the village of Lgov in the Kursk region."
    found = _events(extractor, text, "incident")
    assert [(_where(e), e["date_start"], e["date_end"]) for e in found] == [("Lgov", date(2024, 3, 6), date(2024, 3, 7))]


def test_losses_near_a_list_of_villages_are_one_incident_each(extractor):
    text = ("On March 14, 2024, North Korean units suffered heavy losses near the villages of Sudzha, "
            "Rylsk and Lgov in the Kursk region.")
    assert sorted(_where(e) for e in _events(extractor, text, "incident")) == ["Lgov", "Rylsk", "Sudzha"]


def test_ground_fighting_without_allied_troops_is_not_mapped(extractor):
    text = "Ukraine launched its cross-border offensive into Russia's Kursk Oblast in August 2024."
    assert not _events(extractor, text)
    assert not _events(extractor, "On March 6, 2024, Russian soldiers captured the village of Lgov.", "incident")


def test_a_running_total_told_in_the_perfect_has_no_day(extractor):
    text = ("The General Staff said on November 18 that the offensive began last year. "
            "\"Casualties among North Korean forces in the Kursk region have exceeded 400,\" it added.")
    found = _events(extractor, text, "incident")
    assert [(e["date_start"], e["date_end"]) for e in found if _where(e) == "Kursk region"] == \
        [(date(2023, 12, 1), date(2024, 11, 30))]  # the months up to publication: no day


def test_an_undated_sentence_after_a_statement_does_not_borrow_a_later_sentence_date(extractor):
    text = ("Ukraine's intelligence agency said on November 18 that it had new figures. "
            "North Korean artillery crews are operating in the Kursk region. "
            "The first shells arrived in Russia in September 2023.")
    found = _events(extractor, text, "deployment")
    assert found and all(e["date_start"] != date(2023, 9, 1) for e in found)


def test_a_capital_that_acknowledges_troops_is_the_speaker_not_where_they_came_from(extractor):
    text = "Moscow on Saturday acknowledged the involvement of North Korean troops in the Kursk region."
    found = _events(extractor, text, "deployment")
    assert [(e["origin"]["country"], _where(e)) for e in found] == [("KP", "Kursk region")]


def test_a_munition_that_destroyed_something_is_a_strike_there(extractor):
    text = "On November 3, 2024, a KN-23 missile destroyed a warehouse in Pavlohrad."
    assert [(_where(e), e["date_start"]) for e in _events(extractor, text, "strike")] == \
        [("Pavlohrad", date(2024, 11, 3))]
    assert not _events(extractor, "On November 3, 2024, soldiers destroyed a tank near Pavlohrad.", "strike")


def test_a_soldier_told_by_a_pronoun_was_deployed_not_transferred(extractor):
    text = "A North Korean soldier told interrogators on Monday that he had been sent to the Kursk region in September."
    assert not _events(extractor, text, "transfer")
    found = _events(extractor, text, "deployment")
    assert [(_where(e), e["date_start"]) for e in found] == [("Kursk region", date(2024, 9, 1))]


def test_a_captured_soldier_is_no_capture_of_a_place_and_prisoners_moved_are_no_transfer(extractor):
    assert not _events(extractor, "On Monday a captured North Korean soldier spoke to reporters in Kyiv.", "incident")
    text = "Two wounded North Korean prisoners were transferred to Kyiv on November 11."
    assert not [e for e in _events(extractor, text) if e["kind"] in ("transfer", "incident")]


def test_soldiers_taken_prisoner_near_a_village_are_an_incident_there(extractor):
    text = "Two North Korean soldiers were taken prisoner near Sudzha on November 9."
    assert [(_where(e), e["date_start"]) for e in _events(extractor, text, "incident")] == \
        [("near Sudzha", date(2024, 11, 9))]


def test_names_listed_before_a_plural_region_word_are_regions(extractor):
    text = "On November 3, 2024, three missiles were launched from the Kursk and Voronezh regions."
    found = _events(extractor, text, "launch_site")
    assert sorted(e["place"]["gazetteer_id"] for e in found) == ["region:RU-KRS", "region:RU-VOR"]
    places = extractor.extract("Attacks on the Sumy, Kharkiv and Poltava oblasts continued.", PUBLISHED).places
    assert [(p.text, int(p.candidate.precision)) for p in places] == [("Sumy", 3), ("Kharkiv", 3), ("Poltava", 3)]


def test_a_ground_assault_in_ukraine_is_an_incident_with_allied_troops_and_no_event_without(extractor):
    text = "On November 13, 2024, a North Korean unit crossed the border and attacked toward Basivka in Sumy Oblast."
    found = _events(extractor, text)
    assert [(e["kind"], _where(e)) for e in found if e["kind"] in ("strike", "incident")] == [("incident", "Basivka")]
    text = "On November 13, 2024, Russian forces continued limited attacks near Holubivka."
    assert not _events(extractor, text, "incident")
    for text in ("On November 13, 2024, Russian forces attacked Kharkiv with KN-23 missiles.",
                 "Russian forces attacked Kherson with artillery on November 3, 2024, killing two civilians."):
        assert [e["kind"] for e in _events(extractor, text)] == ["strike"], text


def test_news_about_korean_or_belarusian_teams_and_firms_is_no_combat(extractor):
    for text in ("The South Korean defence ministry said on November 4, 2024 that fighting near Pokrovsk had "
                 "intensified.",
                 "The Belarusian team captured gold in Minsk on November 3, 2024.",
                 "Korean Air suspended flights to Moscow on November 3, 2024 after fighting near Donetsk."):
        assert not _events(extractor, text, "incident"), text


def test_damage_and_falls_are_strikes_only_when_a_munition_does_them(extractor):
    for text in ("A fire damaged a drone factory in Izhevsk on November 4, 2024.",
                 "Drone sales fell in Kazan in November 2024.",
                 "Ukrainian soldiers destroyed a Russian tank near Pokrovsk on November 3, 2024, showing drone footage."):
        assert not _events(extractor, text, "strike"), text
    text = "Houses were damaged in Kharkiv by a Russian missile on November 3, 2024."
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Kharkiv"]


def test_a_missile_that_came_down_somewhere_struck_there_but_prices_that_fell_did_not(extractor):
    text = "A missile of the same type had come down in a field near Korotych on November 6, 2024, officials said."
    assert [(_where(e), e["date_start"]) for e in _events(extractor, text, "strike")] == \
        [("near Korotych", date(2024, 11, 6))]
    assert not _events(extractor, "Prices fell in Kharkiv on November 6, 2024.")


def test_city_districts_listed_before_districts_are_no_namesake_towns(extractor):
    text = ("Russia fired North Korean missiles at Kharkiv on November 3, 2024. They hit buildings in the "
            "Kyivskyi and Saltivskyi districts of the city.")
    found = {p.text: p.candidate for p in extractor.extract(text, PUBLISHED).places}
    assert found["Kyivskyi"] is None  # Poltava's Kyivskyi, 130 km away, is no answer


def test_a_strike_told_beside_another_nights_date_is_not_merged_into_an_old_strike(extractor):
    text = ("Missiles hit Kyiv on July 4, 2025. Private houses were damaged by a missile in Bucha district. "
            "Ukraine first recorded North Korean missiles in strikes on Ukraine on 30 December 2023.")
    dates = {_where(e): str(e["date_start"]) for e in _events(extractor, text, "strike")}
    assert dates["Bucha district"] == "2025-07-04"
    assert dates.get("Ukraine") == "2023-12-30"


def test_a_summit_named_again_beside_a_later_date_is_the_same_summit(extractor):
    text = ("Kim met Putin at the Vostochny Cosmodrome on September 13, 2023. In February 2024, Seoul said "
            "it was watching for satellite help. Kim sought that help at the Vostochny summit.")
    assert len(_events(extractor, text, "meeting")) == 1


def test_allied_troops_told_to_have_been_fighting_in_a_region_are_no_single_fight(extractor):
    text = "On April 28, 2024, Moscow confirmed that North Korean troops had been fighting in the Kursk region."
    assert not _events(extractor, text, "incident")
    text = "On April 28, 2024, two North Korean soldiers were captured in the Kursk region."
    assert [_where(e) for e in _events(extractor, text, "incident")] == ["Kursk region"]


def test_a_date_opening_the_sentence_dates_each_of_its_clauses(extractor):
    text = ("On 14 August 2024, two KN-23 missiles were launched from the Kursk region towards Kharkiv; one was shot "
            "down, and the other hit a block of flats, killing two people.")
    assert [(_where(e), e["date_start"]) for e in _events(extractor, text, "strike")] == \
        [("Kharkiv", date(2024, 8, 14))]


def test_most_launches_since_a_month_run_from_that_month_not_a_record_compared_with_it(extractor):
    text = "Most KN-23 launches since March 2024 came from the Bryansk region, the air force said."
    found = _events(extractor, text, "launch_site")
    assert [(e["date_start"], e["date_end"]) for e in found] == [(date(2024, 3, 1), PUBLISHED.replace(day=30))]


def test_the_last_place_of_a_list_keeps_its_article(extractor):
    text = "On 2 March 2024 KN-23 missiles struck Kharkiv, Dnipro and the Zaporizhzhia region."
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Kharkiv", "Dnipro", "Zaporizhzhia region"]


def test_each_strike_of_a_sentence_takes_the_weapons_of_its_own_clause(extractor):
    text = "On 7 June 2024 KN-24 missiles hit Kharkiv, and Kalibr cruise missiles hit Odesa."
    systems = {_where(e): e["systems"] for e in _events(extractor, text, "strike")}
    assert systems["Kharkiv"] == ["kn-24"] and "kn-24" not in systems.get("Odesa", [])
    text = "On 7 June 2024 Russia hit Odesa with Kalibr cruise missiles and struck Kharkiv with KN-24s."
    systems = {_where(e): e["systems"] for e in _events(extractor, text, "strike")}
    assert systems["Kharkiv"] == ["kn-24"] and "kn-24" not in systems.get("Odesa", [])
    text = "On 7 June 2024 Russia fired KN-24 missiles at Kharkiv, and one hit a school in Zolochiv."
    assert [(_where(e), e["systems"]) for e in _events(extractor, text, "strike")] == \
        [("Kharkiv", ["kn-24"]), ("Zolochiv", ["kn-24"])]


def test_a_record_compared_with_a_month_keeps_its_own_later_date(extractor):
    text = "Russia fired the most ballistic missiles since June at Kharkiv last week, among them KN-23s."
    assert [(e["date_start"], e["date_end"]) for e in _events(extractor, text, "strike")] == \
        [(date(2024, 11, 11), date(2024, 11, 17))]


def test_a_date_opening_a_sentence_after_on_needs_no_comma(extractor):
    text = "On 7 June 2024 KN-24 missiles hit Kharkiv, and debris fell on a market in Zolochiv."
    assert {e["date_start"] for e in _events(extractor, text, "strike")} == {date(2024, 6, 7)}

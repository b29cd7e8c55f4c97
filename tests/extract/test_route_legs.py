"""Issue 11, unseen reports: how routes are told across a report (rail traffic over a
border crossing, "from there", "in return", tankers that load where they call, legs
chained by "and then"), and what is no route (a leader travelling by train, prisoners held
in a city, places outside the brackets a shipment is told in). Sentences written for these
tests."""

from datetime import date

import pytest

from tests.extract.test_event_rules_combat import PUBLISHED, _where, extractor  # noqa: F401 (a fixture)


def _events(extractor, text: str, kind: str, published: date = PUBLISHED) -> list[dict]:
    return [e for e in extractor.extract(text, published).events if e["kind"] == kind]


def _legs(extractor, text: str, published: date = date(2024, 12, 1)) -> list[tuple[str | None, str | None]]:
    return [((e["origin"] or {}).get("name"), _where(e)) for e in _events(extractor, text, "transfer", published)]


def test_rail_traffic_between_two_border_towns_is_a_route_from_the_first(extractor):
    text = ("Freight traffic between Tumangang in North Korea and Khasan in Russia rose sharply in "
            "October 2024, satellite images show.")
    assert _legs(extractor, text) == [("Tumangang", "Khasan")]
    text = ("In October 2024 analysts saw more rail traffic on the bridge linking Tumangang, DPRK, and Khasan, "
            "Russian Federation.")
    assert _legs(extractor, text) == [("Tumangang", "Khasan")]


def test_from_there_starts_where_the_last_leg_ended(extractor):
    text = ("In August 2024 the crates were shipped from Rajin to Dunai. From there the cargo travelled by rail "
            "to an arsenal near Toropets.")
    assert ("Dunai", "near Toropets") in _legs(extractor, text)


def test_a_leg_after_and_then_starts_where_the_first_ended(extractor):
    text = ("Officials said on May 20, 2024 that the shells had been shipped from Najin to Dunai and then moved "
            "by rail to a depot near Tikhoretsk.")
    legs = _legs(extractor, text)
    assert ("Dunai", "near Tikhoretsk") in legs and ("Najin", "near Tikhoretsk") not in legs


def test_ends_joined_by_and_after_then_are_each_a_leg_from_the_last_stage(extractor):
    text = ("In July 2024 shells went by sea from Rajin to Vostochny, and then on by rail to depots in Belgorod "
            "and Voronezh.")
    legs = _legs(extractor, text)
    assert ("Vostochny", "Belgorod") in legs and ("Vostochny", "Voronezh") in legs
    assert ("Belgorod", "Voronezh") not in legs


def test_a_port_called_at_to_unload_is_where_the_cargo_went(extractor):
    text = "In April 2024 a Russian tanker called at Chongjin, offloading refined oil."
    assert [(o, d) for o, d in _legs(extractor, text)] == [("Russia", "Chongjin")]
    text = "In April 2024 a Russian freighter called at Rajin and took on containers of shells."
    assert [o for o, _ in _legs(extractor, text)] == ["Rajin"]
    # (only a call: goods loaded at a port and unloaded at the next left the first)
    text = "The freighter loaded containers at Rajin in early April 2024 and discharged them at Dunai on April 9."
    assert ("Rajin", "Dunai") in _legs(extractor, text)


def test_a_place_whose_relative_clause_tells_goods_unloaded_there_is_where_they_went(extractor):
    text = ("On 2 October 2024 drones hit a depot near Kotluban in the Volgograd region, where North Korean "
            "shells had been unloaded from trains.")
    assert [(e["origin"]["country"], e["destination"]["country"])
            for e in _events(extractor, text, "transfer", date(2024, 12, 1))] == [("KP", "RU")]


def test_a_ship_that_returns_loaded_carried_the_cargo_from_where_it_had_gone(extractor):
    text = ("The cargo ship Lady R left Dunai on 10 October 2024 and docked at Rajin on 12 October. "
            "On 15 October it returned to Dunai with some 90 containers, its second round trip in a month.")
    found = _events(extractor, text, "transfer")
    assert [((e["origin"] or {}).get("name"), _where(e), e["date_start"]) for e in found] == \
        [("Rajin", "Dunai", date(2024, 10, 15))]
    assert [e for e in extractor.extract(text, PUBLISHED).events if e["kind"] == "meeting"] == []


def test_soldiers_who_returned_somewhere_were_not_deployed_there(extractor):
    assert _events(extractor, "In October 2024 some 1,500 soldiers returned to Pyongyang.", "deployment") == []


def test_who_travels_is_no_shipment(extractor):
    for text in ["In May 2024 Russia sent Defence Minister Belousov to Pyongyang with a letter for Kim.",
                 "In May 2024 Kim Jong Un's armoured train arrived at Khasan.",
                 "In May 2024 North Korea sent a delegation of senior officers to Moscow."]:
        assert [e["kind"] for e in extractor.extract(text, date(2024, 12, 1)).events
                if e["kind"] in ("transfer", "deployment")] == [], text


def test_a_treaty_providing_for_assistance_ships_nothing_and_a_struck_city_sends_nothing(extractor):
    text = "On 9 November 2024 Putin signed into law a pact with North Korea, providing for mutual assistance."
    assert _events(extractor, text, "transfer") == []
    text = "Russia hit Kharkiv with KN-23 missiles on 6 February 2024, days after a ship unloaded shells at Dunai."
    assert [(e["origin"] or {}).get("country") for e in _events(extractor, text, "transfer")] in ([], [None])


def test_soldiers_captured_somewhere_and_taken_to_a_city_are_prisoners(extractor):
    text = "Two North Korean soldiers captured in the Kursk region on 9 January 2025 were taken to Kyiv."
    assert _events(extractor, text, "deployment") == []


def test_a_consignment_is_goods(extractor):
    assert _legs(extractor, "The consignment went from Rajin to Dunai by sea in February 2024.") == [("Rajin", "Dunai")]


def test_the_month_may_before_a_verb_is_no_hedge(extractor):
    assert _legs(extractor, "In May 2024 shells were shipped from Rajin to Dunai.") == [("Rajin", "Dunai")]
    assert _legs(extractor, "Next year crates of shells may be shipped from Rajin to Dunai.") == []


def test_soldiers_captured_and_taken_somewhere_are_prisoners_not_a_deployment(extractor):
    text = ("Ukrainian special forces captured two North Korean soldiers in the Kursk region on 9 January 2025; "
            "both were taken to Kyiv for questioning.")
    assert _events(extractor, text, "deployment") == []


def test_a_wire_dateline_with_a_plain_hyphen_is_when_the_story_was_filed(extractor):
    text = ("SEOUL, Nov 28 - North Korea has shipped shells to Russia since March 2024, officials said. "
            "The shells went from Rajin to Dunai, they said.")
    [leg] = [e for e in _events(extractor, text, "transfer", date(2024, 12, 1)) if _where(e) == "Dunai"]
    assert leg["date_start"] == date(2024, 3, 1)


def test_in_return_goes_the_last_route_the_other_way(extractor):
    text = "North Korea shipped 5,000 containers of shells to Russia in 2024. In return, Russia is sending food and fuel."
    found = [(e["origin"]["country"], e["destination"]["country"])
             for e in _events(extractor, text, "transfer", date(2024, 12, 1))]
    assert ("RU", "KP") in found and ("KP", "RU") in found


def test_ships_that_go_on_to_another_port_keep_their_start(extractor):
    text = ("Russian freighters shuttled munitions from Rajin to Dunai in September 2024. In October the vessels "
            "began delivering containers to Vostochny as well.")
    assert ("Rajin", "Vostochny") in _legs(extractor, text)


def test_tankers_that_call_somewhere_to_load_carry_back_to_their_flag(extractor):
    text = "In June 2024, North Korean tankers made twelve trips to Vostochny to load diesel."
    found = _events(extractor, text, "transfer")
    assert [(e["origin"]["name"], e["destination"]["country"]) for e in found] == [("Vostochny", "KP")]
    text = "DPRK-flagged tankers made 30 port calls at Vostochny in 2024, loading refined petroleum products."
    found = _events(extractor, text, "transfer")
    assert [(e["origin"]["name"], e["destination"]["country"]) for e in found] == [("Vostochny", "KP")]


def test_a_leader_travelling_by_train_transfers_nothing(extractor):
    text = "Kim travelled to Russia by armoured train in September 2023 and met Putin at Vostochny on September 13."
    assert not _events(extractor, text, "transfer")


def test_prisoners_held_in_a_city_were_not_deployed_there(extractor):
    text = "Two North Korean soldiers were captured on 9 January 2025 and are being held in Kyiv, the SBU said."
    assert not _events(extractor, text, "deployment", date(2025, 1, 20))


def test_a_shipment_told_in_brackets_takes_no_place_outside_them(extractor):
    text = ("North Korean shells (Seoul estimates the North shipped 9,000 containers in 2024) are now used along "
            "the whole front from Kupiansk to Kherson.")
    assert all(_where(e) not in ("Kherson", "Kupiansk") for e in _events(extractor, text, "transfer"))


def test_a_shipment_dated_by_who_said_it_is_not_background(extractor):
    text = ("Officials believe Moscow is providing Pyongyang with air defence systems. Seoul's security adviser "
            "said last month that Russia had sent anti-aircraft missiles to protect Pyongyang.")
    assert [_where(e) for e in _events(extractor, text, "transfer", date(2024, 12, 5))] == ["Pyongyang"]


def test_troops_told_in_the_present_take_no_date_of_another_verb(extractor):
    text = "The pact signed by Putin and Kim in June takes effect as North Korean troops fight in Russia's Kursk region."
    (found,) = _events(extractor, text, "deployment", date(2024, 12, 4))
    assert found["date_note"].startswith("date not stated") and found["date_end"] == date(2024, 12, 31)


def test_a_date_in_a_relative_clause_after_the_place_is_not_the_deployments(extractor):
    text = ("In November 2024 thousands of North Korean soldiers were deployed in Russia's Kursk region, where "
            "Ukrainian forces seized land in August.")
    assert [(e["date_start"], e["date_end"]) for e in _events(extractor, text, "deployment", date(2024, 12, 4))] == \
        [(date(2024, 11, 1), date(2024, 11, 30))]


def test_a_country_naming_its_intelligence_is_no_end_of_the_route(extractor):
    text = ("According to Japanese, Ukrainian and US intelligence, about 9,000 North Korean soldiers were sent to "
            "Russia in October 2024.")
    found = _events(extractor, text, "deployment", date(2025, 3, 1))
    assert [(e["origin"]["country"], e["destination"]["country"]) for e in found] == [("KP", "RU")]


def test_more_sent_later_in_the_same_sentence_is_a_second_deployment(extractor):
    text = ("North Korea deployed some 11,000 troops to Russia in 2024 and sent around 3,000 more in January and "
            "February 2025, officials said.")
    found = _events(extractor, text, "deployment", date(2025, 4, 28))
    assert sorted((e["date_start"].isoformat(), e["destination"]["country"]) for e in found) == \
        [("2024-01-01", "RU"), ("2025-01-01", "RU")]


def test_they_moved_on_after_troops_were_sent_is_a_deployment(extractor):
    text = ("About 9,000 North Korean troops were sent to Russia in October 2024. After training, they were moved by "
            "rail to the Kursk region, where they entered combat in early December 2024.")
    found = _events(extractor, text, "deployment", date(2025, 1, 10))
    assert ("Kursk region", date(2024, 12, 1)) in [(_where(e), e["date_start"]) for e in found]
    assert not _events(extractor, text, "transfer", date(2025, 1, 10))


def test_forces_engaged_in_combat_with_allied_troops_is_an_incident(extractor):
    text = "Zelensky said on November 5, 2024 that Ukrainian forces had engaged North Korean troops in combat in Kursk."
    assert [_where(e) for e in _events(extractor, text, "incident", date(2024, 12, 1))] == ["Kursk"]


def test_the_date_a_first_is_compared_with_dates_nothing(extractor):
    text = ("Officials said they saw the North moving troops to Vladivostok on navy ships between Oct. 8 and 13. It "
            "was the first time Russian navy ships had entered North Korean waters since 1990, they said.\n\n"
            "The troops are currently stationed at bases in the Vladivostok area and are expected to move on, "
            "officials said.")
    found = _events(extractor, text, "deployment", date(2024, 10, 18))
    assert found and all(e["date_start"].year == 2024 for e in found)


def test_losses_told_without_a_place_are_where_the_report_sent_the_troops(extractor):
    text = ("North Korean troops were deployed to the Kursk region in November 2024. On Dec. 23, officials said more "
            "than 3,000 North Korean soldiers had been killed or wounded.")
    found = _events(extractor, text, "incident", date(2024, 12, 30))
    assert [(_where(e), e["date_start"]) for e in found] == [("Kursk region", date(2024, 12, 23))]
    text = "On Dec. 23, officials said more than 3,000 North Korean soldiers had been killed or wounded."
    assert _events(extractor, text, "incident", date(2024, 12, 30)) == []


def test_a_second_batch_told_without_its_verb_is_a_second_deployment(extractor):
    text = "Pyongyang sent about 11,000 troops to Russia in the autumn of 2024 and an additional 3,000 or so early this year."
    found = _events(extractor, text, "deployment", date(2025, 9, 4))
    assert sorted((e["date_start"], e["date_end"]) for e in found) == \
        [(date(2024, 9, 1), date(2024, 11, 30)), (date(2025, 1, 1), date(2025, 4, 30))]


@pytest.mark.parametrize("text, route", [
    ("Russia has given North Korea Pantsir air defence systems, officials said in November 2024.", ("RU", "KP")),
    ("Russia received around 5 million rounds of North Korean ammunition in 2024, the report said.", ("KP", "RU")),
    ("Munitions from North Korea reached Russian units at the front in autumn 2023.", ("KP", "RU")),
])
def test_more_ways_of_telling_a_shipment(extractor, text, route):
    found = _events(extractor, text, "transfer", date(2025, 3, 1))
    assert [(e["origin"]["country"], e["destination"]["country"]) for e in found] == [route]


def test_what_is_received_must_be_goods(extractor):
    text = "Pyongyang received compensation from Moscow for its troops in 2025, and it seeks air defence technology."
    assert _events(extractor, text, "transfer", date(2025, 9, 1)) == []
    assert _events(extractor, text, "deployment", date(2025, 9, 1)) == []


def test_taken_by_rail_to_a_depot_is_a_leg(extractor):
    text = ("In September 2023 shells were unloaded at Dunai. The containers were then taken by rail to an ammunition "
            "depot near Tikhoretsk.")
    assert ("Dunai", "near Tikhoretsk") in _legs(extractor, text)


@pytest.mark.parametrize("text, where", [
    ("North Korean artillery crews were spotted near Sudzha in January 2025.", "near Sudzha"),
    ("North Korean soldiers took part in the battle for Sudzha in March 2025, Russian bloggers said.", "Sudzha"),
    ("Some 3,000 North Korean reinforcements were sent to Russia in January 2025.", "Russia"),
    ("A North Korean engineering unit was moved to the Kursk region in August 2025 to clear mines.", "Kursk region"),
    ("Gerasimov praised North Korean soldiers for their role in liberating the Kursk region on April 26, 2025.",
     "Kursk region"),
    ("Ukraine said it killed 30 North Korean soldiers who had been deployed by Russia to its Kursk region in "
     "December 2024.", "Kursk region"),
])
def test_more_ways_of_telling_where_troops_are(extractor, text, where):
    assert where in [_where(e) for e in _events(extractor, text, "deployment", date(2025, 12, 1))]


@pytest.mark.parametrize("text", [
    "North Korean soldiers taking part in a parade in Pyongyang in 2017.",
    "Austin said in October 2024 that DPRK troops taking part in combat would make Pyongyang a co-belligerent.",
])
def test_troops_at_home_were_not_deployed(extractor, text):
    assert _events(extractor, text, "deployment", date(2025, 12, 1)) == []


def test_losses_told_in_the_whole_country_are_where_the_troops_fight(extractor):
    text = ("North Korean troops were deployed to the Kursk region in November 2024. Some 600 North Korean soldiers "
            "have been killed in Russia, the spy agency said on April 30, 2025.")
    assert "Kursk region" in [_where(e) for e in _events(extractor, text, "incident", date(2025, 5, 1))]


def test_helping_recapture_a_town_is_combat(extractor):
    text = "North Korean troops helped recapture Sudzha on March 13, 2025, Russia's defence ministry said."
    assert [_where(e) for e in _events(extractor, text, "incident", date(2025, 5, 1))] == ["Sudzha"]


@pytest.mark.parametrize("text, route", [
    ("North Korean ammunition has been flowing to Russia since August 2023.", ("KP", "RU")),
    ("Russia has imported millions of shells from North Korea since 2023, the report said in May 2025.", ("KP", "RU")),
    ("North Korea shipped shells to Russia in 2024. Containers moving from Russia to the North held food, the "
     "minister said on February 26, 2025.", ("RU", "KP")),
])
def test_flows_imports_and_the_north(extractor, text, route):
    found = _events(extractor, text, "transfer", date(2025, 12, 1))
    assert route in [(e["origin"]["country"], e["destination"]["country"]) for e in found]


def test_a_flow_told_as_a_noun_is_no_shipment(extractor):
    text = "The flow in the other direction from Russia was smaller, the minister said on February 26, 2024."
    assert _events(extractor, text, "transfer", date(2024, 3, 1)) == []


@pytest.mark.parametrize("text", [
    "This satellite photo, provided by the NIS on Oct. 18, 2024, shows a Russian landing ship near Chongjin.",
    "On October 15, 2024, North Korea accused the South of sending drones over Pyongyang.",
    "On January 6, 2024, missile fragments from Kharkiv were transferred to a storage facility in Kharkiv Oblast.",
])
def test_no_shipment_on_this_map(extractor, text):
    assert _events(extractor, text, "transfer", date(2024, 12, 1)) == []


def test_a_shipment_from_a_day_on_runs_from_that_day(extractor):
    text = "Containers were loaded at Najin from 7 September 2023 and shipped to Dunai, officials said."
    (found,) = _events(extractor, text, "transfer", date(2023, 10, 13))
    assert (found["date_start"], found["date_end"]) == (date(2023, 9, 7), date(2023, 10, 13))
    text = "Containers were shipped from Najin to Dunai from 7 September to 1 October 2023."
    (found,) = _events(extractor, text, "transfer", date(2023, 10, 13))
    assert (found["date_start"], found["date_end"]) == (date(2023, 9, 7), date(2023, 10, 1))


def test_a_port_owned_by_a_country_is_the_end_the_cue_names(extractor):
    text = "Imagery shows North Korean tankers loading fuel at Russia's Vostochny Port repeatedly since March 2024."
    found = _events(extractor, text, "transfer", date(2024, 6, 20))
    assert [(e["origin"]["name"], e["destination"]["country"]) for e in found] == [("Vostochny Port", "KP")]


def test_a_date_said_in_a_tv_interview_is_when_it_was_said(extractor):
    text = "Shin said in a TV interview last week that Russia had supplied North Korea with air defense missiles."
    (found,) = _events(extractor, text, "transfer", date(2024, 11, 30))
    assert "reported" in found["date_note"]


def test_a_distance_from_a_border_is_no_start_of_the_route(extractor):
    """"a depot about 290 km (180 miles) from the border with Ukraine": how far, not whence."""
    text = ("In October 2023 the shells were sent to an ammunition depot near Tikhoretsk, a town about 290 km "
            "(180 miles) from the border with Ukraine.")
    assert all(origin != "Ukraine" for origin, _ in _legs(extractor, text))


def test_a_cue_before_a_site_reaches_the_place_that_locates_it(extractor):
    """"dispatched to a Russian Ministry of Defense arsenal near Tikhoretsk": the arsenal is
    where it went, the town says where the arsenal is; "forces fighting in Ukraine" is
    where they fight, not where the shells went."""
    text = ("In March 2024 the containers were unloaded at Dunai and dispatched to a Russian Ministry of Defense "
            "arsenal near Tikhoretsk, from which shells are passed on to Russian forces fighting in Ukraine.")
    legs = _legs(extractor, text)
    assert legs and all(destination != "Ukraine" for _, destination in legs)
    assert any(destination and "Tikhoretsk" in destination for _, destination in legs)


def test_troops_carried_between_two_ports_told_with_an_aside_go_from_the_first(extractor):
    text = ("On October 10, 2024 the troops were carried aboard Russian landing ships between Chongjin, a port "
            "city on the North's coast, and Vladivostok.")
    routes = [((e["origin"] or {}).get("name"), _where(e)) for e in _events(extractor, text, "deployment")]
    assert ("Chongjin", "Vladivostok") in routes


def test_a_region_in_an_aside_on_the_port_is_no_end_of_the_route(extractor):
    """"seen at Dunai, a small naval facility in Primorsky Krai": the krai says where
    Dunai is; the ship came from the port named before."""
    text = ("The Angara left Rajin with containers on October 17, 2023 and was next seen two days later at Dunai, "
            "a small naval facility in Primorsky Krai, with its deck loaded.")
    legs = _legs(extractor, text)
    assert legs and all(origin != "Primorsky Krai" and destination != "Primorsky Krai" for origin, destination in legs)


def test_deliveries_shifted_to_a_new_port_keep_the_last_start(extractor):
    """"the same vessels shifted their deliveries to Vostochny Port" after they loaded at
    "the DPRK port of Rajin": the new leg starts at Rajin, not anywhere in North Korea."""
    text = ("Between September and December 2023, Russian-flagged cargo vessels loaded containers at the DPRK port "
            "of Rajin and delivered them to Dunai. From December 2023 the same vessels shifted their deliveries "
            "from the DPRK to Vostochny Port, near Nakhodka.")
    assert ("Rajin", "Vostochny Port") in _legs(extractor, text)


def test_a_date_after_a_verb_of_saying_earlier_this_year_is_when_it_was_said(extractor):
    """"estimated earlier this year that ... over 2024": the estimate's date is not the
    shipments'."""
    text = ("Kyiv's military intelligence said earlier this year that Pyongyang supplied Russia with about 90 "
            "KN-23 and KN-24 ballistic missiles in the course of 2024.")
    [found] = _events(extractor, text, "transfer", date(2025, 7, 1))
    assert (found["date_start"], found["date_end"]) == (date(2024, 1, 1), date(2024, 12, 31))


def test_a_place_someone_visited_is_no_end_of_the_troops_route(extractor):
    """"arrived in Kursk ..., which Shoigu announced on a visit to Pyongyang": the troops
    went to Kursk; Pyongyang is where someone visited."""
    text = ("Some 500 military engineers who arrived in the Kursk region in May, the first of several thousand "
            "builders Shoigu promised on a visit to Pyongyang, began clearing fields.")
    routes = [((e["origin"] or {}).get("name"), _where(e)) for e in _events(extractor, text, "deployment",
                                                                            date(2025, 9, 1))]
    assert [destination for _, destination in routes] == ["Kursk region"]
    assert all(origin != "Kursk region" for origin, _ in routes)
    text = ("Russian-flagged freighters made repeated visits to Rajin in March 2025 to collect containers of "
            "munitions bound for Russia.")  # a ship's visits to a port are its calls there
    assert _legs(extractor, text, date(2025, 4, 9)) == [("Rajin", "Russia")]


def test_a_leg_told_without_its_end_joins_the_leg_that_ends_it(extractor):
    """"From Dunai the containers went on by rail" and, in another sentence, the same
    containers sent from Dunai to a depot: one leg with both sentences as evidence."""
    text = ("In October 2023 the containers left Dunai by rail. Later in October 2023 the containers were "
            "shipped from Dunai to an arsenal near Tikhoretsk.")
    found = extractor.extract(text, date(2024, 3, 1)).events
    legs = [e for e in found if e["kind"] == "transfer"]
    assert [((e["origin"] or {}).get("name"), _where(e)) for e in legs] == [("Dunai", "near Tikhoretsk")]
    assert [source["evidence"].count("Dunai") for source in legs[0]["sources"]] == [2]  # both sentences


def test_a_shipment_told_without_a_destination_goes_to_the_party_the_sentence_before_names(extractor):
    """"... its military aid to Moscow. North Korea shipped about 28,000 containers": to
    Russia, as a country (an area); with no party named before, no destination is guessed."""
    text = ("Seoul's defence institute said Pyongyang had earned billions from its military aid to Moscow. "
            "From August 2023 to March 2025, North Korea shipped about 28,000 containers.")
    found = _events(extractor, text, "transfer", date(2025, 4, 24))
    assert [(e["origin"]["country"], e["destination"]["name"], e["date_start"], e["date_end"]) for e in found] == \
        [("KP", "Russia", date(2023, 8, 1), date(2025, 3, 31))]
    text = ("Officials met in Geneva on Monday. "
            "From August 2023 to March 2025, North Korea shipped about 28,000 containers.")
    assert _events(extractor, text, "transfer", date(2025, 4, 24)) == []
    text = ("Officials say Pyongyang receives oil from Russia. "
            "Moscow has shipped more than a million barrels of refined oil since March.")
    found = _events(extractor, text, "transfer", date(2025, 2, 1))  # the government, drawn as Russia, not a pin
    assert [(e["origin"]["name"], e["destination"]["country"]) for e in found] == [("Russia", "KP")]


def test_a_destination_guessed_from_the_sentence_before_keeps_the_shipment_apart_from_named_legs(extractor):
    """A total shipped "to Moscow" (told the sentence before) is not the leg from Rajin to
    Vostochny Port another sentence dates: each keeps its own date."""
    text = ("Analysts say Pyongyang has become a key arms supplier to Moscow. By the end of 2024 North Korea had "
            "shipped more than 20,000 containers. From December 2023 the ships sailed from Rajin to Vostochny "
            "Port instead.")
    legs = {((e["origin"] or {}).get("name"), _where(e)): (e["date_start"], e["date_end"])
            for e in _events(extractor, text, "transfer", date(2025, 5, 1))}
    assert legs == {("North Korea", "Russia"): (date(2024, 12, 1), date(2024, 12, 31)),
                    ("Rajin", "Vostochny Port"): (date(2023, 12, 1), date(2025, 5, 31))}


def test_a_leg_told_separately_does_not_start_where_the_last_route_did(extractor):
    """"Separately, a train ... arrived in Bryansk" after a shipment from Rajin: not from Rajin."""
    text = ("North Korea shipped shells from Rajin to Dunai in March 2025. Separately, a train loaded with North "
            "Korean missiles arrived in Bryansk in April 2025.")
    assert ("Rajin", "Bryansk") not in _legs(extractor, text, date(2025, 6, 1))


def test_the_country_whose_troops_are_sent_is_no_destination(extractor):
    text = ("The EU listed two officers responsible for the deployment of DPRK troops in support of the war "
            "against Ukraine.")
    assert not _events(extractor, text, "deployment", date(2024, 6, 19))
    text = "In November 2024 North Korea's soldiers were deployed to the Kursk region."
    assert [(e["origin"]["country"], _where(e)) for e in _events(extractor, text, "deployment")] == \
        [("KP", "Kursk region")]


def test_troops_told_without_their_origin_come_from_where_the_reports_troops_come_from(extractor):
    text = ("North Korea sent about 11,000 troops to Russia's Kursk region in October 2024. The war is now in its "
            "fourth year. Around 1,000 more soldiers arrived in the Kursk region in August, officials said.")
    found = _events(extractor, text, "deployment", date(2025, 9, 1))
    assert [(e["origin"]["country"], e["date_start"]) for e in found] == \
        [("KP", date(2024, 10, 1)), ("KP", date(2025, 8, 1))]
    sure = [e["confidence"] for e in extractor.extract(text, date(2025, 9, 1)).as_json()["events"]]
    assert sure[1] < sure[0]  # the second's origin is inferred
    # troops from two countries: which ones came is not known
    text = ("North Korea sent about 11,000 troops to Russia's Kursk region in October 2024. Belarus sent 2,000 "
            "troops to Russia's Bryansk region in November. The war is now in its fourth year. Around 1,000 "
            "more soldiers arrived in the Kursk region in August, officials said.")
    found = _events(extractor, text, "deployment", date(2025, 9, 1))
    assert [e["origin"].get("country") for e in found if e["date_start"] == date(2025, 8, 1)] == [None]


def test_weapons_shipped_besides_troops_are_a_transfer(extractor):
    text = ("In addition to soldiers, North Korea has in recent weeks shipped heavy artillery to Russia, officials "
            "said on Monday.")
    assert not _events(extractor, text, "deployment", date(2024, 12, 17))
    assert [(e["origin"]["name"], _where(e)) for e in _events(extractor, text, "transfer", date(2024, 12, 17))] == \
        [("North Korea", "Russia")]
    # the guns seen later where they fight are also where they went: a transfer as well
    text = ("In November 2024 North Korea supplied 50 Koksan howitzers, some of which have been seen in action in "
            "Kursk Oblast.")
    assert [_where(e) for e in _events(extractor, text, "transfer", date(2024, 12, 17))] == ["Kursk Oblast"]
    # the shells go with their own verb, not to where the troops were sent
    text = ("In November 2024 Pyongyang sent 11,000 soldiers to Russia's Kursk region and gave the Russian army "
            "millions of shells.")
    assert [((e["origin"] or {}).get("name"), _where(e)) for e in _events(extractor, text, "transfer",
                                                                          date(2024, 12, 17))] == [("North Korea", "Russia")]


def test_north_korean_tankers_calling_at_a_russian_port_carry_fuel_home(extractor):
    text = "North Korean tankers made 40 port calls at Russia's Vostochny Port between March and October 2024."
    found = _events(extractor, text, "transfer", date(2024, 12, 1))
    assert [(e["origin"]["name"], e["destination"]["country"]) for e in found] == [("Vostochny Port", "KP")]
    # cargo ships at the same port brought munitions
    text = "North Korean cargo ships made 40 port calls at Russia's Vostochny Port between March and October 2024."
    found = _events(extractor, text, "transfer", date(2024, 12, 1))
    assert [(e["origin"]["country"], e["destination"]["name"]) for e in found] == [("KP", "Vostochny Port")]


@pytest.mark.parametrize("text, route", [
    ("Cargo flights between Sunan airport in Pyongyang and Vladivostok rose to one a week in July 2024.",
     ("KP", "Vladivostok")),
    ("In July 2025 Russian Il-76 transport aircraft flew several times from Vladivostok to Sunan airport.",
     ("RU", "Sunan airport")),
    ("The firm operated 14 cargo flights from Vladivostok to Pyongyang in May 2025 carrying drone parts.",
     ("RU", "Pyongyang")),
])
def test_cargo_flown_between_the_two_is_a_transfer(extractor, text, route):
    assert [(e["origin"]["country"], _where(e)) for e in _events(extractor, text, "transfer", date(2025, 9, 1))] == \
        [route]


@pytest.mark.parametrize("text", [
    "Putin's plane flew to Pyongyang in June 2024.",
    "Passenger flights between Moscow and Pyongyang resumed in July 2025.",
    "In July 2025 the missile's flight to Kyiv from the Bryansk region took under four minutes.",
    "In July 2025 missiles flew toward Kharkiv from the Belgorod region.",
])
def test_a_journey_or_a_missiles_flight_is_no_transfer(extractor, text):
    assert not _events(extractor, text, "transfer", date(2025, 9, 1))


def test_an_aside_on_a_port_does_not_cut_the_route_from_its_date(extractor):
    text = ("Intelligence officials said the soldiers were carried on landing ships that sailed between Chongjin, a "
            "port on the North's east coast, and Vladivostok between Oct. 8 and 13.")
    found = _events(extractor, text, "deployment", date(2024, 10, 18))
    assert [(e["date_start"], e["date_end"]) for e in found] == [(date(2024, 10, 8), date(2024, 10, 13))]


def test_numbered_items_each_tell_a_deployment_along_the_last_ones_route(extractor):
    text = ("The agency said North Korea had sent about 15,000 soldiers to Russia in all:\n\n"
            "1. About 11,000 combat troops deployed in October 2024, who fought in the Kursk region.\n"
            "2. About 3,000 reinforcements sent in January 2025.\n")
    found = _events(extractor, text, "deployment", date(2025, 9, 1))
    assert [(e["origin"]["country"], _where(e), e["date_start"]) for e in found] == \
        [("KP", "Kursk region", date(2024, 10, 1)), ("KP", "Kursk region", date(2025, 1, 1))]


def test_a_guessed_route_told_again_stays_a_guess(extractor):
    text = ("Pyongyang has deepened its military support to Moscow. By the end of 2024 North Korea had supplied "
            "9 million rounds. Most of this ammunition was sent by sea. From December 2023 cargo ships delivered "
            "containers from Rajin to Vostochny Port.")
    legs = {((e["origin"] or {}).get("name"), _where(e)): e["date_start"]
            for e in _events(extractor, text, "transfer", date(2025, 5, 29))}
    assert legs[("Rajin", "Vostochny Port")] == date(2023, 12, 1)


def test_a_ship_seen_with_cargo_at_one_port_and_then_berthed_at_another_sailed_between_them(extractor):
    text = ("The freighter was photographed at Rajin on Sept. 3 with about 100 containers on deck. By Sept. 5 it "
            "was berthed at Slavyanka.")
    assert _legs(extractor, text, date(2024, 9, 10)) == [("Rajin", "Slavyanka")]
    # seen without cargo, or arriving told of someone else: no leg
    text = "The freighter was photographed at Rajin on Sept. 3. By Sept. 5 it was berthed at Slavyanka."
    assert _legs(extractor, text, date(2024, 9, 10)) == []
    text = ("The freighter was photographed at Rajin on Sept. 3 with about 100 containers on deck. On Sept. 5 the "
            "minister arrived at Vladivostok.")
    assert _legs(extractor, text, date(2024, 9, 10)) == []


def test_the_port_is_the_last_port_named(extractor):
    text = ("Ships unloaded the containers at Dunai in October 2023. From Dunai they went on by rail. Between "
            "October 2023 and February 2024 trains carrying munitions were tracked from the port to a depot near "
            "Tikhoretsk.")
    assert ("Dunai", "near Tikhoretsk") in _legs(extractor, text, date(2024, 3, 1))


@pytest.mark.parametrize("text, legs", [
    ("In 2024 a smaller volume has crossed the border by train over the bridge between Tumangang and Khasan.",
     [("Tumangang", "Khasan")]),
    ("In 2024 materiel crossed the border by rail from Tumangang to Khasan.", [("Tumangang", "Khasan")]),
    ("In 2024 the volume of trade between Russia and North Korea crossed 50 million dollars.", []),
    ("In 2024 trade volume between Moscow and Pyongyang crossed a record.", []),
    ("In May 2024 the volume of passengers crossing the bridge between Tumangang and Khasan doubled.", []),
])
def test_what_crossed_the_border_is_a_transfer_when_it_is_goods_not_trade(extractor, text, legs):
    assert [(o and o.split()[0], d) for o, d in _legs(extractor, text)] == legs


def test_the_port_named_in_its_own_sentence_comes_before_one_named_earlier(extractor):
    text = ("Kim Jong Un visited the port of Nampo in March 2024. North Korea shipped shells from Rajin to "
            "Vostochny in April 2024, and trains left the port for Tambov days later.")
    assert all(o != "Nampo" for o, _ in _legs(extractor, text, date(2024, 6, 1)))


def test_troops_in_a_numbered_item_do_not_continue_a_shipment(extractor):
    text = ("Key findings:\n1. Shells were shipped from Rajin to Dunai in 2024.\n"
            "2. About 3,000 reinforcements sent in January 2025.")
    assert [e["date_start"] for e in _events(extractor, text, "transfer", date(2025, 3, 1))] == [date(2024, 1, 1)]


def test_a_sea_leg_told_without_its_start_leaves_from_the_one_port_the_report_names_there(extractor):
    """Containers seen on a quay, then "unloaded at" two ports: each leg starts at that quay
    (the total told between the two countries joins the first)."""
    text = ("Between October and February some 4,000 containers went from North Korea to Russia, a government "
            "told investigators. Imagery of Rajin showed containers stacked on the pier from early October. "
            "Russian-flagged freighters took the boxes and unloaded them at Vostochny and at Dunai.")
    legs = _legs(extractor, text, date(2024, 4, 1))
    assert sorted(legs) == [("Rajin", "Dunai"), ("Rajin", "Vostochny")]


def test_a_shipment_by_sea_to_a_whole_country_ends_at_the_one_port_the_report_names_there(extractor):
    text = ("Russian freighters carried North Korean munitions from Rajin to Russia in June, tracking data "
            "suggest. Imagery later showed containers on the quay at Dunai.")
    [leg] = _events(extractor, text, "transfer", date(2024, 7, 1))
    assert (leg["origin"]["name"], leg["destination"]["name"]) == ("Rajin", "Dunai")
    # two of the country's ports named: which one is not said
    text = ("Russian freighters carried North Korean munitions from Rajin to Russia in June, tracking data "
            "suggest. Imagery later showed containers on the quays at Dunai and at Vostochny Port.")
    assert ("Rajin", "Russia") in _legs(extractor, text, date(2024, 7, 1))
    # by rail: the port is no end of it
    text = ("North Korean munitions went by rail from Tumangang to Russia in June, tracking data suggest. "
            "Imagery later showed containers on the quay at Dunai.")
    assert _legs(extractor, text, date(2024, 7, 1)) == [("Tumangang", "Russia")]


def test_ships_seen_at_ports_loading_cargo_started_there(extractor):
    text = "In August 2024 ships were seen at both Rajin and Chongjin, loading containers bound for Russia."
    legs = _legs(extractor, text)
    assert sorted(legs) == [("Chongjin", "Russia"), ("Rajin", "Russia")]
    text = "In August 2024 ships were seen at Dunai unloading containers from North Korea."
    assert [where for _, where in _legs(extractor, text)] == ["Dunai"]


def test_a_town_a_port_is_said_to_be_near_is_no_end_of_the_route(extractor):
    text = ("North Korea has sent weapons to Russia on several ships since August, the White House said. "
            "The vessels unloaded at Dunai, a military port near Vladivostok, before the cargo moved west by rail.")
    assert _legs(extractor, text, date(2024, 1, 20)) == [("North Korea", "Dunai")]


def test_activity_seen_from_late_in_a_month_runs_on_to_publication(extractor):
    text = ("Imagery shows more activity at the port of Rajin from late August 2023. "
            "The containers were loaded on Russian ships that unloaded them at Dunai.")
    [leg] = _events(extractor, text, "transfer", date(2024, 3, 7))
    assert (leg["date_start"], leg["date_end"]) == (date(2023, 8, 1), date(2024, 3, 31))


def test_cargo_carried_to_a_whole_country_from_where_it_does_not_say_left_from_the_one_port_named(extractor):
    text = ("Satellite images show containers piled on the quay at Rajin in March 2024. A Russian freighter "
            "later carried the containers to Russia.")
    assert _legs(extractor, text, date(2024, 4, 10)) == [("Rajin", "Russia")]
    # a ship told only arriving at a port may be coming back empty: no leg from the other side's port
    text = ("In March 2024 North Korean containers were unloaded at Vostochny Port, imagery shows. The freighter "
            "later arrived at Najin port with empty containers.")
    assert _legs(extractor, text, date(2024, 4, 10)) == [("Najin port", "Vostochny Port")]


def test_a_quay_or_a_pier_tells_the_port_and_a_ship_moved_within_its_town_is_no_leg(extractor):
    found = extractor.extract("Trucks waited on the quay at Vostochny on 3 May 2024.", date(2024, 6, 1))
    assert [m.candidate.name for m in found.places] == ["Port Vostochny"]
    text = ("The Maria was photographed at Rajin on Sept. 3 with 120 containers on deck. By Sept. 5 it was "
            "berthed at another pier in Rajin.")
    assert _legs(extractor, text, date(2024, 10, 1)) == []


def test_containers_loaded_at_a_port_then_run_up_the_coast_make_one_leg_between_the_two_ports(extractor):
    """Loaded "aboard a Russian-flagged cargo ship at the North Korean port of Rajin": the
    flag is the ship's registry, not where the cargo went; "the vessel then made the short
    run up the coast to Dunai" ends the voyage."""
    text = ("The containers were loaded aboard a Russian-flagged cargo ship at the North Korean port of Rajin "
            "between 7 and 20 September 2023. The vessel then made the short run up the coast to Dunai.")
    assert _legs(extractor, text, date(2023, 10, 14)) == [("Rajin", "Dunai")]


def test_a_ship_told_only_arriving_carries_nothing_the_report_names(extractor):
    text = ("The Angara, a Russian-flagged vessel that had switched off its transponder, arrived at Rajin's "
            "Pier 3 around 10 October 2023.")
    assert _legs(extractor, text, date(2023, 11, 3)) == []
    text = "A train with 40 wagons of shells arrived at Khasan from Tumangang on 10 October 2023."
    assert _legs(extractor, text, date(2023, 11, 3)) == [("Tumangang", "Khasan")]

"""Issue 11, unseen reports: events whose parts a report tells apart (several listed days
of strikes, a voyage told where it loaded and where it arrived, troops counted in one
sentence and moved in the next, a sender told as the speaker), and words that tell no event
(a denial). Sentences written for these tests."""

from datetime import date

from tests.extract.test_event_rules_combat import _where, extractor  # noqa: F401 (a fixture)


def _events(extractor, text: str, kind: str, published: date = date(2025, 3, 1)) -> list[dict]:
    return [e for e in extractor.extract(text, published).events if e["kind"] == kind]


def test_strikes_on_listed_days_are_one_candidate_a_day(extractor):
    text = "Prosecutors said Russia launched KN-23 missiles at Dnipro on 3 February and 5 February 2025."
    assert sorted(str(e["date_start"]) for e in _events(extractor, text, "strike")) == ["2025-02-03", "2025-02-05"]
    text = "North Korean missiles struck Odesa on 10 January, 14 January and again on 21 January 2025."
    assert len(_events(extractor, text, "strike")) == 3
    # (days that share their month: "on 3, 5 and 9 February")
    text = "Russia fired KN-23 missiles at Odesa on 3, 5 and 9 February 2025, officials said."
    assert sorted(str(e["date_start"]) for e in _events(extractor, text, "strike")) == \
        ["2025-02-03", "2025-02-05", "2025-02-09"]
    # (the month first, as US wires write it; a number that goes on to a noun is a count)
    text = "Russia fired KN-23 missiles at Zaporizhzhia on Feb. 4 and 7, killing three, officials said."
    assert sorted(str(e["date_start"]) for e in _events(extractor, text, "strike")) == ["2025-02-04", "2025-02-07"]
    text = "Russia fired on Zaporizhzhia on February 4 and 7 KN-23 missiles hit the city."
    assert [str(e["date_start"]) for e in _events(extractor, text, "strike")] == ["2025-02-04"]
    # (a day that opens another clause is not one of the list)
    text = "Russia fired a KN-23 missile at Kharkiv on 6 February and on 8 February prosecutors identified the debris."
    assert [str(e["date_start"]) for e in _events(extractor, text, "strike")] == ["2025-02-06"]
    # (a range is one span, not its two ends)
    text = "North Korean missiles struck Odesa between 10 January and 14 January 2025."
    assert [(str(e["date_start"]), str(e["date_end"])) for e in _events(extractor, text, "strike")] == \
        [("2025-01-10", "2025-01-14")]


def test_a_voyage_told_where_it_loaded_and_where_it_arrived_is_one_transfer_over_both_days(extractor):
    text = ("On 11 January 2025 the freighter Angara took on containers at the port of Rajin, bound for Russia. "
            "It berthed at Dunai five days later.")
    found = _events(extractor, text, "transfer")
    assert [(e["origin"]["name"], _where(e), str(e["date_start"]), str(e["date_end"])) for e in found] == \
        [("Rajin", "Dunai", "2025-01-11", "2025-01-16")]
    # (the loading sentence need not say where the ship was going)
    text = ("The tanker Yong Ji loaded diesel at Vanino on 3 February 2025. "
            "The vessel docked at Nampo on 12 February, imagery shows.")
    found = _events(extractor, text, "transfer")
    assert [(e["origin"]["name"], _where(e), str(e["date_start"]), str(e["date_end"])) for e in found] == \
        [("Vanino", "Nampo", "2025-02-03", "2025-02-12")]


def test_traffic_between_two_border_towns_into_a_country_runs_between_the_towns(extractor):
    text = ("In January 2025 more freight trains crossed the Friendship Bridge between Tumangang and Khasan, "
            "carrying crates into Russia.")
    assert [((e["origin"] or {}).get("name"), _where(e)) for e in _events(extractor, text, "transfer")] == \
        [("Tumangang", "Khasan")]
    # (a country that qualifies an end is no end: "Russia's Nakhodka")
    text = ("Since March 2024 cargo ships have made a dozen round trips between the North Korean port of Nampo and "
            "Russia's Nakhodka, carrying containers of shells.")
    assert [((e["origin"] or {}).get("name"), _where(e)) for e in _events(extractor, text, "transfer")] == \
        [("Nampo", "Nakhodka")]


def test_troops_sent_by_the_government_that_speaks_come_from_its_country(extractor):
    text = "Pyongyang acknowledged on 28 February 2025 that it had deployed soldiers to Russia's Bryansk region."
    found = _events(extractor, text, "deployment")
    assert [(e["origin"]["country"], _where(e)) for e in found] == [("KP", "Bryansk region")]


def test_troops_counted_in_one_sentence_and_moved_in_the_next_are_deployed(extractor):
    text = ("About 3,000 North Korean soldiers were in Russia by the end of January 2025, Seoul said. "
            "Most were moved to the Belgorod region in February.")
    found = _events(extractor, text, "deployment")
    assert [(e["origin"]["country"], _where(e)) for e in found] == [("KP", "Belgorod region")]
    assert not _events(extractor, text, "transfer")
    # (goods moved after troops were counted are goods)
    text = ("About 3,000 North Korean soldiers were in Russia by the end of January 2025, Seoul said. "
            "Some shells were moved to the Belgorod region in February.")
    assert not _events(extractor, text, "deployment")


def test_troops_joining_combat_in_a_region_are_deployed_there(extractor):
    text = "North Korean soldiers have joined combat in Russia's Kursk region since early February, Kyiv said."
    found = _events(extractor, text, "deployment")
    assert [(_where(e), str(e["date_start"])) for e in found] == [("Kursk region", "2025-02-01")]


def test_a_missile_that_took_off_from_a_place_was_launched_there(extractor):
    text = "The KN-23 that hit Sumy on 2 February 2025 took off from a field near Kursk, the air force said."
    assert [_where(e) for e in _events(extractor, text, "launch_site")] == ["near Kursk"]


def test_a_denied_shipment_is_no_transfer(extractor):
    text = "On 2 February 2025 Moscow denied that North Korea had shipped shells to Russia."
    assert not _events(extractor, text, "transfer")
    text = "On 2 February 2025 officials dismissed reports that North Korea had shipped shells to Russia."
    assert not _events(extractor, text, "transfer")


def test_a_timeline_line_in_the_present_tense_carries_goods(extractor):
    text = "- January 2025: Freight trains carry shells from Khasan to an arsenal near Bryansk."
    assert [((e["origin"] or {}).get("name"), _where(e)) for e in _events(extractor, text, "transfer")] == \
        [("Khasan", "near Bryansk")]
    # (what a missile can carry is no shipment)
    assert not _events(extractor, "In January 2025 Russia said the KN-23 can carry a 500 kg warhead to Kyiv.",
                       "transfer")


def test_the_city_after_a_strike_is_the_struck_city_not_where_missiles_came_from(extractor):
    text = ("Sumy was hit twice in January 2025 by missiles fired from Kursk. The mayor said on 20 January that "
            "a KN-23 struck a school in the city on 18 January.")
    found = _events(extractor, text, "strike")
    assert ("Sumy", "2025-01-18") in [(_where(e), str(e["date_start"])) for e in found]
    assert not _events(extractor, text, "incident")


def test_a_city_struck_again_on_another_day_is_another_strike(extractor):
    text = "Russian missiles struck Kharkiv on 6 February 2025, killing two. The city came under attack again the next day."
    assert [(_where(e), str(e["date_start"])) for e in _events(extractor, text, "strike")] == \
        [("Kharkiv", "2025-02-06"), ("Kharkiv", "2025-02-07")]
    # (told again on its own day, it is the same strike)
    text = "Russian missiles struck Kharkiv on 6 February 2025. The strike on 6 February killed two, officials said."
    assert len(_events(extractor, text, "strike")) == 1


def test_talks_about_sending_troops_are_no_deployment(extractor):
    text = "On 2 February 2025 Lavrov and Choe discussed sending more North Korean soldiers to Russia."
    assert not _events(extractor, text, "deployment")
    text = "On 2 February 2025 Pyongyang offered to send engineers to Russia's Kursk region."
    assert not _events(extractor, text, "deployment")


def test_since_the_start_of_the_year_runs_from_its_january(extractor):
    text = ("Since the start of the year, North Korean freighters have shipped shells from Rajin to Dunai, "
            "officials said.")
    found = _events(extractor, text, "transfer")
    assert [(str(e["date_start"]), str(e["date_end"])) for e in found] == [("2025-01-01", "2025-03-31")]


def test_a_ship_back_at_its_home_port_brought_cargo_from_where_it_was_last_seen(extractor):
    text = ("Imagery from 3 February 2025 shows the freighter moored at Najin beside stacks of containers. "
            "By 8 February it was back at Vostochny, with containers on its deck.")
    found = _events(extractor, text, "transfer")
    assert [((e["origin"] or {}).get("name"), _where(e)) for e in found] == [("Najin", "Vostochny")]


def test_loaded_and_unloaded_on_two_days_of_one_sentence_is_one_voyage(extractor):
    text = "A tanker loaded diesel at Nakhodka on 2 February 2025 and discharged it at Nampo eight days later."
    found = _events(extractor, text, "transfer")
    assert [(str(e["date_start"]), str(e["date_end"])) for e in found] == [("2025-02-02", "2025-02-10")]


def test_a_date_holds_for_the_same_subject_going_on_in_the_pluperfect(extractor):
    text = ("Kyiv said Russia had received 40 KN-24 missiles from North Korea in January 2025, and had used them "
            "against Dnipro and Sumy.")
    found = _events(extractor, text, "strike")
    assert sorted((_where(e), str(e["date_start"])) for e in found) == \
        [("Dnipro", "2025-01-01"), ("Sumy", "2025-01-01")]


def test_a_leader_inspecting_a_plant_at_home_is_no_meeting(extractor):
    text = "Kim Jong Un inspected a shell factory in North Hamgyong province on 14 February 2025, KCNA said."
    assert not _events(extractor, text, "meeting")
    # (a visitor from the other party is one)
    text = "Shoigu inspected a shell factory in North Hamgyong province on 14 February 2025, KCNA said."
    assert [_where(e) for e in _events(extractor, text, "meeting")] == ["North Hamgyong province"]


def test_the_port_a_shipment_left_from_is_its_start_when_told_in_the_next_sentence(extractor):
    text = ("North Korea has sent about 2,000 containers of shells to Russia since December, Seoul said on "
            "1 February 2025. Most of the containers left from the port of Najin.")
    found = _events(extractor, text, "transfer")
    assert [(e["origin"]["name"], _where(e)) for e in found] == [("Najin", "Russia")]


def test_goods_arriving_through_a_port_of_another_country_started_there(extractor):
    text = ("In January 2025 North Korean shells were arriving in Russia through the port of Najin, where "
            "freighters took them on for Vostochny.")
    found = _events(extractor, text, "transfer")
    assert [(e["origin"]["name"], _where(e)) for e in found] == [("Najin", "Vostochny")]
    # (a town of the same country is a stop on the way, not the start)
    text = "In January 2025 shells were sent to Kursk via Belgorod."
    assert all((e["origin"] or {}).get("name") != "Belgorod" for e in _events(extractor, text, "transfer"))
    # (a port of the sending country the goods went through is where they started)
    text = "North Korea has shipped shells to Russia, mostly through the port of Chongjin, since March 2024."
    assert [e["origin"]["name"] for e in _events(extractor, text, "transfer")] == ["Chongjin"]


def test_troops_told_as_north_koreans_or_a_kpa_corps_are_deployed_from_north_korea(extractor):
    text = "Hundreds of North Koreans have been fighting in Russia's Belgorod region since January, Kyiv said."
    found = _events(extractor, text, "deployment")
    assert [(e["origin"]["country"], _where(e)) for e in found] == [("KP", "Belgorod region")]
    text = "A division of the KPA's 11th Corps was deployed to Bryansk Oblast in January 2025, the report said."
    found = _events(extractor, text, "deployment")
    assert [(e["origin"]["country"], _where(e)) for e in found] == [("KP", "Bryansk Oblast")]


def test_forces_that_suffered_losses_near_a_village_are_an_incident_there(extractor):
    text = "Pyongyang's forces sustained heavy losses near Sudzha in January 2025, Kyiv said."
    assert [_where(e) for e in _events(extractor, text, "incident")] == ["near Sudzha"]


def test_a_timeline_under_year_headings_dates_each_bulleted_line_in_its_year(extractor):
    text = ("2023\n* 12 August: Shoigu arrives in Pyongyang.\n* 14 September: Kim meets Putin at Vostochny.\n"
            "2024\n* 27 November: Belousov holds talks with Kim in Pyongyang.\n")
    found = _events(extractor, text, "meeting", published=date(2025, 7, 15))
    assert sorted((_where(e), str(e["date_start"])) for e in found) == [
        ("Pyongyang", "2023-08-12"), ("Pyongyang", "2024-11-27"), ("Vostochny", "2023-09-14")]


def test_the_capital_after_a_capital_named_is_that_capital(extractor):
    text = ("Russia attacked Ukraine overnight on 3 February 2025 with 40 missiles. In Kyiv, at least five people "
            "were killed. The air force said a KN-23 was among the missiles that hit the capital.")
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Kyiv"]
    # (a town that is no capital is not "the capital")
    text = ("Russia attacked Ukraine overnight on 3 February 2025. Sumy was hit first. A KN-23 later struck "
            "the capital.")
    assert not any("the capital" in source["evidence"] for e in _events(extractor, text, "strike")
                   for source in e["sources"])


def test_an_adverb_between_the_auxiliary_and_the_verb_keeps_it_a_verb(extractor):
    text = "In January 2025 shells were also shipped from Rajin to Dunai, the agency said."
    assert [(e["origin"]["name"], _where(e)) for e in _events(extractor, text, "transfer")] == [("Rajin", "Dunai")]
    # (a participle after its noun still describes it)
    text = "In January 2025 Russia fired KN-23s supplied by North Korea at Kharkiv."
    assert not _events(extractor, text, "transfer")


def test_a_visit_told_on_its_days_spans_them(extractor):
    text = ("Lavrov began a visit to Pyongyang on 10 February 2025. He met Kim Jong Un on 11 February, "
            "and left on 12 February.")
    found = _events(extractor, text, "meeting")
    assert [(str(e["date_start"]), str(e["date_end"])) for e in found] == [("2025-02-10", "2025-02-11")]


def test_which_began_on_a_day_dates_the_visit_it_follows(extractor):
    text = "Shoigu's trip to Pyongyang, which began on 4 February, was his second this year."
    assert [str(e["date_start"]) for e in _events(extractor, text, "meeting")] == ["2025-02-04"]
    # (a relative clause about a place still tells another story)
    text = "Troops were sent to the Kursk region, where Ukraine seized land on 6 August 2024."
    assert all(str(e["date_start"]) != "2024-08-06" for e in _events(extractor, text, "deployment"))


def test_a_plane_taking_off_and_a_press_corps_arriving_are_no_launch_or_deployment(extractor):
    assert not _events(extractor, "On 3 February 2025 Putin's plane took off from Yakutsk for Pyongyang.",
                       "launch_site")
    assert not _events(extractor, "On 3 February 2025 the press corps arrived in Pyongyang before the talks.",
                       "deployment")


def test_wounded_soldiers_carried_home_are_no_deployment(extractor):
    text = "North Korea sent 11,000 troops to Kursk last year. Some 900 wounded soldiers arrived in Pyongyang in January."
    assert [_where(e) for e in _events(extractor, text, "deployment")] == ["Kursk"]


def test_a_depot_that_exploded_after_a_drone_attack_was_struck(extractor):
    text = "An arsenal near Toropets exploded after a Ukrainian drone attack on 18 January 2025, officials said."
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["near Toropets"]
    # (a missile that exploded after launch failed)
    text = "On 18 January 2025 a KN-23 exploded shortly after launch near Belgorod."
    assert [_where(e) for e in _events(extractor, text, "incident")] == ["near Belgorod"]


def test_a_plant_working_since_a_season_to_meet_orders_produces_over_that_span(extractor):
    text = ("The Kusong munitions plant has been running around the clock since last autumn to meet Russian orders "
            "for 152mm shells, imagery suggests.")
    assert not _events(extractor, text, "meeting")
    found = _events(extractor, text, "production")
    assert [(_where(e), str(e["date_start"]), str(e["date_end"])) for e in found] == \
        [("Kusong", "2024-09-01", "2025-03-31")]


def test_a_troop_dispatch_and_special_forces_are_deployments(extractor):
    text = "North Korea's troop dispatch to Russia in October 2024 changed the war."
    assert [(e["origin"]["country"], _where(e)) for e in _events(extractor, text, "deployment")] == [("KP", "Russia")]
    text = "North Korean special forces have been operating in the Kursk region since November 2024."
    assert [_where(e) for e in _events(extractor, text, "deployment")] == ["Kursk region"]
    # (North Korean forces, sappers; not Russia's own forces, the war's daily course)
    text = "North Korean forces were deployed to the Kursk region in November 2024."
    assert [_where(e) for e in _events(extractor, text, "deployment")] == ["Kursk region"]
    text = "About 1,000 North Korean sappers arrived in Kursk in September 2025 to clear mines."
    assert [_where(e) for e in _events(extractor, text, "deployment", date(2025, 10, 1))] == ["Kursk"]
    text = "Russian forces were deployed to the Kursk region in November 2024."
    assert not _events(extractor, text, "deployment")


def test_a_meeting_years_before_is_no_part_of_one_told_now_without_a_date(extractor):
    text = ("Kim has again held talks with Putin in Vladivostok, KCNA reported on 20 February 2025. The two "
            "leaders first met in Vladivostok in 2019.")
    found = _events(extractor, text, "meeting")
    assert sorted(str(e["date_start"])[:4] for e in found) == ["2019", "2025"]


def test_traffic_between_two_towns_runs_toward_the_country_goods_went_into(extractor):
    text = "Rail traffic between Khasan and Tumangang rose in January 2025 as wagons carried shells into Russia."
    assert [(e["origin"]["name"], _where(e)) for e in _events(extractor, text, "transfer")] == [("Tumangang", "Khasan")]
    text = "Traffic between Tumangang and Khasan stayed light in January 2025, with no sign of shells moving into Russia."
    assert not _events(extractor, text, "transfer")


def test_captives_and_a_country_that_stays_out_send_no_troops(extractor):
    text = ("Ukraine said it had captured two North Korean soldiers. Most were moved to the Kursk region from Kyiv "
            "in January 2025 for an exchange.")
    assert not _events(extractor, text, "deployment")
    text = "Three North Korean soldiers captured near Sudzha were flown from Kyiv to Lviv on 9 January 2025."
    assert not _events(extractor, text, "deployment")
    text = ("Lukashenko said Belarus would not join the war. Troops were deployed to the Kursk region in January "
            "2025, Russian media reported.")
    assert all((e["origin"] or {}).get("country") != "BY" for e in _events(extractor, text, "deployment"))


def test_near_a_village_known_only_by_its_region_is_that_region_not_a_namesake_abroad(extractor):
    text = "North Korean troops attacked near Plekhovo in the Kursk region on 8 January 2025."
    [found] = _events(extractor, text, "incident")
    assert (found["place"]["country"], found["place"]["admin1"]) == ("RU", "Kursk Oblast")


def test_where_a_leader_set_out_from_for_talks_is_not_where_they_were_held(extractor):
    text = "Kim Jong Un's armoured train left from Pyongyang on 10 September 2023, carrying him to Russia for talks."
    assert not any(_where(e) == "Pyongyang" for e in _events(extractor, text, "meeting", date(2023, 9, 12)))
    text = "Putin flew from Moscow to Pyongyang on 19 June 2024 for talks with Kim Jong Un."
    assert [_where(e) for e in _events(extractor, text, "meeting", date(2024, 6, 20))] == ["Pyongyang"]


def test_a_leader_receiving_another_named_alone_is_a_meeting(extractor):
    text = "Kim received Lavrov in Wonsan on 12 July 2025, state media said."
    assert [_where(e) for e in _events(extractor, text, "meeting", date(2025, 7, 14))] == ["Wonsan"]
    text = "The plan received Kremlin approval in Moscow on 12 July 2025."
    assert not _events(extractor, text, "meeting", date(2025, 7, 14))


def test_weapons_sent_from_no_named_place_come_from_the_party_that_makes_them(extractor):
    text = "KN-23 missiles were delivered to Russia in January 2025, Ukrainian intelligence said."
    assert [(e["origin"] or {}).get("country") for e in _events(extractor, text, "transfer")] == ["KP"]
    # (a leg inside a country is no supply: where it started is not stated)
    text = "KN-23 missiles were moved to launch sites near Bryansk in January 2025."
    assert all((e["origin"] or {}).get("country") != "KP" for e in _events(extractor, text, "transfer"))


def test_a_missile_tested_is_a_test_and_preparations_for_one_are_not(extractor):
    text = "North Korea said it successfully tested a multiple-warhead missile off Wonsan on 26 June 2024."
    assert [_where(e) for e in _events(extractor, text, "test", date(2024, 6, 27))] == ["Wonsan"]
    text = "Imagery shows new construction at the Sohae launch site in July 2024, suggesting preparations for " \
        "another satellite launch."
    assert not _events(extractor, text, "test", date(2024, 8, 1))


def test_a_visit_told_as_the_time_of_a_launch_takes_its_parties_from_its_own_clause(extractor):
    text = ("North Korea launched a hypersonic missile from near Pyongyang on 6 January 2025, South Korea's "
            "military said, as US Secretary of State Antony Blinken visited Seoul.")
    assert not _events(extractor, text, "meeting", date(2025, 1, 7))
    text = "North Korea fired two missiles on 6 January 2025, as Shoigu visited Pyongyang."
    # (on the day of the launch: the visit tells none of its own)
    assert [(_where(e), str(e["date_start"])) for e in _events(extractor, text, "meeting", date(2025, 1, 7))] == \
        [("Pyongyang", "2025-01-06")]


def test_the_town_of_a_prosecutor_who_speaks_is_no_target_unless_the_city_is_struck(extractor):
    text = ("Since 30 December 2023, Russia has launched at least 60 KN-23 missiles at Ukraine, Kharkiv prosecutor "
            "Dmytro Chubenko said.")
    assert not any(_where(e) == "Kharkiv" for e in _events(extractor, text, "strike", date(2025, 1, 20)))
    text = "Kharkiv regional governor Oleh Syniehubov said a KN-23 missile struck the city on 6 February 2025."
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Kharkiv"]


def test_a_timeline_entry_dates_its_own_line_not_the_undated_sentence_before(extractor):
    text = ("Russia fired KN-23 missiles at Kharkiv, officials said.\n"
            "2024 was a record year for North Korean arms exports.\n"
            "* 6 January: Russia fires missiles at Kyiv.")
    found = {_where(e): str(e["date_start"]) for e in _events(extractor, text, "strike", date(2025, 2, 1))}
    assert found["Kyiv"] == "2025-01-06" and found["Kharkiv"] != "2025-01-06"


def test_reinforcements_told_after_troops_sent_before_are_another_deployment(extractor):
    text = ("About 11,000 soldiers were trained in the Far East and then moved to the Kursk region, where they "
            "entered combat in December 2024. Seoul estimates that 4,000 have been killed or wounded.\n\n"
            "A further 3,000 soldiers were sent in January and February 2025, the NIS said. The reinforcements "
            "were deployed to Kursk as well.")
    found = _events(extractor, text, "deployment", date(2025, 3, 15))
    assert sorted(str(e["date_start"])[:7] for e in found) == ["2024-12", "2025-01"]


def test_a_port_goods_went_through_is_no_destination(extractor):
    text = "North Korea has also shipped more than 20,000 containers of munitions since August 2023, mostly " \
        "through the port of Rajin."
    assert [e["origin"]["name"] for e in _events(extractor, text, "transfer", date(2025, 3, 15))] == ["Rajin"]


def test_a_day_of_last_year_and_a_year_naming_an_event_date_it(extractor):
    text = "The treaty was signed in Pyongyang on June 19 last year, KCNA recalled."
    assert [str(e["date_start"]) for e in _events(extractor, text, "agreement", date(2025, 6, 20))] == ["2024-06-19"]
    text = "The 2023 summit at the Vostochny Cosmodrome paved the way for arms deliveries, analysts said."
    assert [str(e["date_start"])[:4] for e in _events(extractor, text, "meeting", date(2025, 2, 12))] == ["2023"]


def test_an_undated_line_of_a_timeline_takes_no_date_from_the_entry_above(extractor):
    text = ("* 6 January: Russia fires KN-23 missiles at Kyiv\n* 9 January: North Korean troops arrive in Kursk\n"
            "* Russia fires missiles at Kharkiv")
    found = {_where(e): str(e["date_start"]) for e in _events(extractor, text, "strike", date(2025, 2, 1))}
    assert found["Kyiv"] == "2025-01-06" and found["Kharkiv"] not in ("2025-01-06", "2025-01-09")


def test_talks_are_where_a_traveller_came_back_from_and_cancelled_talks_are_none(extractor):
    text = "Choe Son Hui returned to Pyongyang from Moscow after talks with Lavrov on 2 November 2024."
    assert [_where(e) for e in _events(extractor, text, "meeting", date(2024, 11, 5))] == ["Moscow"]
    text = "Talks between Lavrov and Choe Son Hui, planned for Moscow on 3 March 2025, were cancelled."
    assert not _events(extractor, text, "meeting")
    text = "Putin received a North Korean delegation at the Kremlin on 4 November 2024."
    assert [_where(e) for e in _events(extractor, text, "meeting", date(2024, 11, 5))] == ["Moscow"]


def test_a_leaders_train_leaving_for_talks_carries_no_shipment(extractor):
    text = "Kim's train departed from Pyongyang on 7 September 2025 for talks with Putin in Vladivostok."
    assert not _events(extractor, text, "transfer", date(2025, 9, 10))


def test_a_ship_taking_on_a_counted_cargo_at_a_port_loaded_there(extractor):
    text = "The freighter took on 300 containers at Rajin on 3 February 2025. It docked at Dunai on 7 February."
    assert [(e["origin"]["name"], _where(e)) for e in _events(extractor, text, "transfer")] == [("Rajin", "Dunai")]
    # (an arrival told before the loading ended another voyage)
    text = "The Maia-1 loaded containers at Rajin on 20 February 2025. The vessel had arrived at Dunai on 12 February."
    assert ("Rajin", "Dunai") not in [((e["origin"] or {}).get("name"), _where(e))
                                      for e in _events(extractor, text, "transfer")]


def test_a_river_named_after_a_city_is_not_the_city(extractor):
    text = "A KN-23 missile fell into the Dnipro river near Zaporizhzhia on 3 February 2025."
    assert all(_where(e) != "Dnipro" for e in _events(extractor, text, "strike"))


def test_imagery_from_a_day_dates_what_it_shows_on_that_day_only(extractor):
    text = ("Imagery from February 8 showed the Angara taking on containers at Rajin. The ship berthed at Dunai on "
            "February 13, according to tracking data.")
    assert [(str(e["date_start"]), str(e["date_end"])) for e in _events(extractor, text, "transfer", date(2024, 3, 1))] \
        == [("2024-02-08", "2024-02-13")]


def test_an_event_a_sentence_counts_its_day_from_is_dated_back_from_that_day(extractor):
    text = "Russia fired KN-23 missiles at Kyiv on 6 February 2025, a week after a missile strike on Lviv."
    found = {_where(e): str(e["date_start"]) for e in _events(extractor, text, "strike")}
    assert found == {"Kyiv": "2025-02-06", "Lviv": "2025-01-30"}


def test_a_town_placed_by_a_bearing_from_the_capital_is_the_target(extractor):
    text = ("Russia launched missiles at Kyiv overnight on 23 July 2025. In the satellite city of Brovary, just east "
            "of the capital, a missile damaged an industrial site and several homes.")
    assert sorted(_where(e) for e in _events(extractor, text, "strike", date(2025, 7, 23))) == ["Brovary", "Kyiv"]


def test_troops_thanked_for_being_sent_were_sent_before_the_thanks(extractor):
    text = ("Shoigu met Kim in Pyongyang on 4 June 2025. Putin thanked Kim for sending troops to Kursk during a phone "
            "call on 29 April 2025.")
    found = _events(extractor, text, "deployment", date(2025, 6, 5))
    assert found and all("no later" in e["date_note"] for e in found)


def test_north_korean_troops_told_where_they_are_or_fought_were_deployed_there(extractor):
    text = "An estimated 12,000 North Korean troops were in Kursk by mid-December 2024."
    assert [_where(e) for e in _events(extractor, text, "deployment", date(2025, 1, 10))] == ["Kursk"]
    text = "North Korea has around 11,000 troops in Russia's Kursk region, Seoul said in December 2024."
    assert [_where(e) for e in _events(extractor, text, "deployment", date(2025, 1, 10))] == ["Kursk region"]
    text = "Kim Jong Un confirmed in April 2025 that his soldiers had taken part in the liberation of Kursk."
    assert [_where(e) for e in _events(extractor, text, "deployment", date(2025, 5, 1))] == ["Kursk"]
    # (other armies where they are: the war's course)
    text = "Ukrainian troops were in Sudzha in December 2024. Russia has 600,000 troops in Ukraine, Putin said."
    assert not _events(extractor, text, "deployment", date(2025, 1, 10))


def test_a_plant_told_producing_weapons_is_production_there_even_when_visited(extractor):
    text = "A plant in Hamhung is producing KN-23 missiles for Russia, analysts said in May 2025."
    assert [_where(e) for e in _events(extractor, text, "production", date(2025, 5, 30))] == ["Hamhung"]
    text = "Kim Jong Un visited a munitions factory in Kanggye on 14 August 2024, where shells for Russia are produced."
    assert [_where(e) for e in _events(extractor, text, "production", date(2024, 9, 30))] == ["Kanggye"]
    # (a leader at home, with Russia named only in the clause about the plant: no meeting)
    assert not _events(extractor, text, "meeting", date(2024, 9, 30))


def test_a_missile_that_came_down_whole_or_burst_in_its_barrel_is_an_incident(extractor):
    text = "A North Korean KN-23 missile crashed in a field in the Kharkiv region on 6 February 2025 without exploding."
    assert [_where(e) for e in _events(extractor, text, "incident")] == ["Kharkiv region"]
    assert not _events(extractor, text, "strike")
    text = "A North Korean artillery shell exploded in the barrel of a Russian howitzer near Pokrovsk in March 2025."
    assert [_where(e) for e in _events(extractor, text, "incident", date(2025, 4, 1))] == ["near Pokrovsk"]


def test_an_icbm_launch_told_of_pyongyang_and_a_test_launched_missile_are_tests(extractor):
    text = "Pyongyang conducted an ICBM launch on 31 October 2024, the first since December."
    assert [e["place"]["country"] for e in _events(extractor, text, "test", date(2024, 11, 1))] == ["KP"]
    text = "North Korea test-launched a solid-fuel hypersonic missile from the Pyongyang area on 6 January 2025."
    assert [_where(e) for e in _events(extractor, text, "test")] == ["Pyongyang area"]
    # (Russia's launches at a city are strikes)
    text = "Russia's ballistic missile launches at Kyiv continued on 6 January 2025."
    assert not _events(extractor, text, "test")


def test_more_troops_sent_there_in_the_next_sentence_are_another_deployment(extractor):
    text = "North Korean troops arrived in Kursk in November 2024. About 3,000 more were sent there in January 2025."
    found = _events(extractor, text, "deployment", date(2025, 2, 10))
    assert sorted((_where(e), str(e["date_start"])[:7]) for e in found) == [("Kursk", "2024-11"), ("Kursk", "2025-01")]

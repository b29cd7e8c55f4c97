"""Issue 11, unseen reports: sentence structures the rules had missed or misread (legs of
a route, means of transport, "used ... against", where troops serve or train, weapons
described by who supplied or made them, a person named like a city). Sentences written
for these tests."""

from datetime import date

import pytest

from tests.extract.test_event_rules_combat import PUBLISHED, _events, _where, extractor  # noqa: F401 (a fixture)


def test_the_second_leg_of_a_route_starts_where_the_first_ended(extractor):
    text = "On May 3, 2024, crates unloaded at Vostochny port were sent by rail to an arsenal near Tikhoretsk."
    legs = {(e["origin"] or {}).get("name"): _where(e) for e in _events(extractor, text, "transfer")}
    assert legs["Vostochny port"] == "near Tikhoretsk"


def test_sent_by_rail_names_the_means_not_the_sender(extractor):
    text = "On May 3, 2024, shells were sent by train from Tumangang to Khasan."
    found = _events(extractor, text, "transfer")
    assert [(e["origin"]["name"], _where(e)) for e in found] == [("Tumangang", "Khasan")]


def test_weapons_used_against_a_city_are_a_strike_on_it(extractor):
    text = "Russia used North Korean missiles against Zaporizhzhia twice in May 2024, prosecutors said."
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Zaporizhzhia"]


def test_crews_operating_in_a_region_are_deployed_there(extractor):
    text = "North Korean gun crews were operating in Bryansk Oblast in May 2024, officials said."
    assert [_where(e) for e in _events(extractor, text, "deployment")] == ["Bryansk Oblast"]


def test_troops_trained_near_a_city_are_deployed_there(extractor):
    text = "In May 2024, North Korean troops were trained at a range near Ussuriysk."
    assert [_where(e) for e in _events(extractor, text, "deployment")] == ["near Ussuriysk"]


def test_where_a_weapon_was_produced_is_not_where_it_hit(extractor):
    text = "The missile that hit Poltava on May 3, 2024 was produced in North Korea."
    assert not _events(extractor, text, "production")
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Poltava"]


def test_weapons_described_by_their_supplier_tell_no_transfer(extractor):
    text = "On May 3, 2024, Russia struck Odesa with KN-23s supplied by Pyongyang."
    assert not _events(extractor, text, "transfer")
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Odesa"]


def test_weapons_that_were_supplied_are_still_a_transfer(extractor):
    text = "On May 3, 2024, the shells were supplied by North Korea to Russia."
    assert [e["destination"]["country"] for e in _events(extractor, text, "transfer")] == ["RU"]


def test_a_person_named_like_a_city_is_no_place(extractor):
    text = "On June 19, 2024, Kim Jong Un welcomed Vladimir Putin in Pyongyang for a summit."
    found = extractor.extract(text, PUBLISHED)
    assert [p.text for p in found.places] == ["Pyongyang"]
    assert [_where(e) for e in found.events if e["kind"] == "meeting"] == ["Pyongyang"]


def test_a_city_before_an_office_is_still_the_city(extractor):
    text = "On May 3, 2024, Kharkiv Mayor Ihor Terekhov said a missile struck the city centre."
    assert "Kharkiv" in [p.text for p in extractor.extract(text, PUBLISHED).places]


def test_a_wire_datelines_date_is_when_the_story_was_filed(extractor):
    text = "MINSK, May 9 (Reuters) - Belarusian engineers were sent to Russia's Kursk region, officials said."
    [found] = _events(extractor, text, "deployment")
    assert "the date it was reported" in found["date_note"]  # not the day it happened


def test_capitals_that_sign_are_the_parties_not_where_it_was_signed(extractor):
    text = "Pyongyang and Moscow signed a mutual defence pact in June 2024."
    assert not [e for e in _events(extractor, text, "agreement") if _where(e) in ("Moscow", "Pyongyang")]
    text = "North Korea and Russia agreed in June 2024 to build a road bridge."
    assert [e["place"]["country"] for e in _events(extractor, text, "agreement")] in (["KP"], ["RU"])
    text = "Pyongyang and Moscow signed a pact in Vladivostok in June 2024."
    assert [_where(e) for e in _events(extractor, text, "agreement")] == ["Vladivostok"]


def test_a_city_district_named_like_another_citys_is_no_pin_there(extractor):
    text = ("Russia fired two missiles at Kharkiv on May 3, 2024. One hit a warehouse in the Kyivskyi district, "
            "the mayor said.")
    places = {p.text: p.candidate for p in extractor.extract(text, PUBLISHED).places}
    assert places["Kyivskyi district"] is None
    assert places["Kharkiv"].admin1 == "Kharkiv Oblast"


def test_a_raion_near_a_smaller_city_is_not_put_inside_it(extractor):
    """Around a city under half a million a report's district is mostly the rural raion
    ("the Shebekinsky district near Belgorod", 35 km out): no pin rather than Belgorod's."""
    text = "On May 3, 2024, shelling hit the Shebekinsky district near Belgorod, the governor said."
    places = {p.text: p.candidate for p in extractor.extract(text, PUBLISHED).places}
    assert places.get("Shebekinsky district") is None and places["Belgorod"].country == "RU"


def test_a_district_tied_to_its_city_is_placed_in_that_city(extractor):
    """Tied by the possessive or "of", a district the gazetteer lacks lies inside a large
    city: an area as wide as the city, no point of its own."""
    text = ("Missiles hit Dnipro's Sobornyi district and the Darnytskyi district of Kyiv on May 3, 2024. "
            "Drones hit Kharkiv's Saltivskyi district and Lviv's Frankivskyi district the same night.")
    places = {p.text: p.candidate for p in extractor.extract(text, PUBLISHED).places}
    # named after places too (Saltivka, a hamlet of 920 near Kharkiv; Ivan Franko): still sections
    assert places["Saltivskyi district"].anchor == "Kharkiv" and places["Frankivskyi district"].anchor == "Lviv"
    sobornyi, darnytskyi = places["Sobornyi district"], places["Darnytskyi district"]
    assert (sobornyi.anchor, sobornyi.precision, sobornyi.id) == ("Dnipro", 2, places["Dnipro"].id)
    assert sobornyi.radius_km == places["Dnipro"].radius_km
    assert (darnytskyi.anchor, darnytskyi.id) == ("Kyiv", places["Kyiv"].id)


@pytest.mark.parametrize("text, name", [
    ("Moscow said its forces struck the Bohodukhivskyi district on May 3, 2024.", "Bohodukhivskyi district"),
    ("Drones hit Kharkiv's Bohodukhivskyi district on May 3, 2024.", "Bohodukhivskyi district"),
    ("Drones hit Kharkiv's Lozivskyi district on May 3, 2024.", "Lozivskyi district"),  # Lozova, 130 km
    ("Debris fell in Kyiv's Bilotserkivskyi district on May 3, 2024.", "Bilotserkivskyi district"),
    ("Shelling hit Kharkiv's Iziumskyi district on May 3, 2024.", "Iziumskyi district"),  # GeoNames: Izyum
    ("Shelling hit Kharkiv's Kharkivskyi district on May 3, 2024.", "Kharkivskyi district"),  # around the city
    ("On May 3, 2024, turnout fell in the Republican district of Houston.", "Republican district"),
])
def test_a_district_no_city_holds_is_no_pin(extractor, text, name):
    """Told beside a city without a tie, named after a town near it (Bohodukhiv, a raion
    of the province), or a common word: no place, rather than a pin on the city."""
    places = {p.text: p.candidate for p in extractor.extract(text, PUBLISHED).places}
    assert places.get(name) is None


def test_a_raion_named_after_its_town_is_still_placed(extractor):
    text = "On May 3, 2024, drones hit an ammunition depot in the Ostrogozhsky district of Voronezh Oblast."
    places = {p.text: p.candidate for p in extractor.extract(text, PUBLISHED).places}
    assert places["Ostrogozhsky district"] is not None


def test_a_participle_list_of_targets_gives_a_strike_on_each(extractor):
    text = "On May 3, 2024, Russia launched missiles against Ukraine, striking Sumy, Poltava and Chernihiv."
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Sumy", "Poltava", "Chernihiv"]


def test_a_distance_from_a_place_is_no_launch_site(extractor):
    text = ("On May 3, 2024, a missile hit Sumy. It was launched from Kursk Oblast, some 90 km from the city, "
            "officials said.")
    assert [_where(e) for e in _events(extractor, text, "launch_site")] == ["Kursk Oblast"]


def test_the_other_party_of_a_treaty_is_not_where_it_was_signed(extractor):
    text = "On May 3, 2024, in Minsk, Belarus signed a military cooperation treaty with Moscow."
    assert [_where(e) for e in _events(extractor, text, "agreement")] == ["Minsk"]


def test_a_test_is_placed_where_the_text_says_not_at_the_country(extractor):
    text = "On May 3, 2024, North Korea test-fired a cruise missile from the Nampo area."
    assert [(e["place"]["country"], e["place"]["geo_precision"] < 4)
            for e in _events(extractor, text, "test")] == [("KP", True)]


def test_goods_bound_for_a_place_are_a_transfer_there(extractor):
    text = "On May 3, 2024, a train carrying shells bound for Khasan crossed the border at Tumangang."
    assert [_where(e) for e in _events(extractor, text, "transfer")] == ["Khasan"]


def test_over_the_weekend_is_the_last_saturday_and_sunday(extractor):
    text = "Over the weekend, Russian missiles struck Poltava, the governor said."
    [found] = _events(extractor, text, "strike")  # published on a Wednesday
    assert (found["date_start"], found["date_end"]) == (date(2024, 11, 16), date(2024, 11, 17))


def test_a_range_of_days_in_one_month_ends_on_its_last_day(extractor):
    text = "Troops were shipped from Chongjin to Vladivostok between Oct. 8 and 13, 2024."
    [found] = _events(extractor, text, "deployment")
    assert (found["date_start"], found["date_end"]) == (date(2024, 10, 8), date(2024, 10, 13))


def test_troops_stationed_in_listed_cities_are_deployed_to_each(extractor):
    text = "In October 2024, North Korean troops were stationed in Ussuriysk, Khabarovsk and Blagoveshchensk."
    assert [_where(e) for e in _events(extractor, text, "deployment")] == ["Ussuriysk", "Khabarovsk",
                                                                           "Blagoveshchensk"]


def test_a_range_from_one_day_month_to_another_is_one_span(extractor):
    text = "Between 7 September and 1 October 2024, shells were shipped from Rajin to Dunai."
    [found] = _events(extractor, text, "transfer")
    assert (found["date_start"], found["date_end"]) == (date(2024, 9, 7), date(2024, 10, 1))


def test_a_range_of_months_across_a_year_keeps_its_second_year(extractor):
    text = "Between October 2023 and March 2024, guns were shipped from Rajin to Dunai."
    [found] = _events(extractor, text, "transfer")
    assert (found["date_start"], found["date_end"]) == (date(2023, 10, 1), date(2024, 3, 31))


def test_a_plant_named_after_a_day_is_no_date(extractor):
    text = "Workers at the 11 February plant in Hamhung assembled rockets, the report said."
    assert all(d.text != "11 February" for d in extractor.extract(text, PUBLISHED).dates)


def test_someone_who_arrived_by_train_is_no_transfer(extractor):
    text = "On Sept. 13, 2023, the foreign minister arrived in Moscow by train from Vladivostok."
    assert not _events(extractor, text, "transfer")


def test_a_satellite_launched_into_orbit_is_no_strike(extractor):
    text = "On Nov. 21, 2023, North Korea launched a reconnaissance satellite from Sohae into orbit."
    assert not _events(extractor, text, "strike")
    assert [e["place"]["country"] for e in _events(extractor, text, "test")] == ["KP"]


def test_the_norths_failed_attempt_to_launch_a_satellite_is_a_test_in_north_korea(extractor):
    text = "North Korea put a spy satellite in orbit last year. The North's attempt to launch a second satellite failed in May."
    assert [(e["place"]["country"], e["date_start"]) for e in _events(extractor, text, "test")] == \
        [("KP", date(2023, 1, 1)), ("KP", date(2024, 5, 1))]
    assert not _events(extractor, "In May 2024 Russia launched a satellite for Iran.", "test")
    # another country's launch, or the North only speaking, is no North Korean test
    text = "South Korea launched its fifth spy satellite in April 2024; the North's attempt failed later."
    assert [e["date_start"] for e in _events(extractor, text, "test")] != [date(2024, 4, 1)]
    assert not _events(extractor, "The South's attempt to launch a spy satellite failed in May, the North said.", "test")
    # "the North" firing into the sea is its own test, not a strike on Ukraine
    text = "The North fired two short-range ballistic missiles into the sea on Nov. 5."
    assert [e["place"]["country"] for e in _events(extractor, text, "test")] == ["KP"]
    assert not _events(extractor, text, "strike")


def test_launchers_being_moved_are_no_launch_site(extractor):
    text = "On May 3, 2024, 240mm rocket launchers were transported by rail from Tumangang to Khasan."
    assert not _events(extractor, text, "launch_site") and not _events(extractor, text, "test")
    assert [_where(e) for e in _events(extractor, text, "transfer")] == ["Khasan"]
    text = "On May 3, 2024, the launchers were positioned near Belgorod."
    assert [e["place"]["country"] for e in _events(extractor, text, "launch_site")] == ["RU"]


def test_launched_at_a_time_of_day_is_no_strike(extractor):
    text = "On Nov. 21, 2023, the satellite rocket was launched from Sohae at 10:42 p.m."
    assert not _events(extractor, text, "strike")


def test_a_treaty_named_again_is_no_new_agreement(extractor):
    text = "On May 3, 2024, in Minsk, the two sides discussed the implementation of the treaty."
    assert not _events(extractor, text, "agreement")
    text = "On May 3, 2024, the treaty was signed in Minsk."
    assert [_where(e) for e in _events(extractor, text, "agreement")] == ["Minsk"]


def test_last_weekday_written_on_that_weekday_is_a_week_before(extractor):
    text = "Last Wednesday, North Korean missiles struck Poltava, the governor said."  # published on a Wednesday
    [found] = _events(extractor, text, "strike")
    assert found["date_start"] == date(2024, 11, 13)


def test_where_a_speaker_speaks_is_no_meeting_place(extractor):
    text = "On May 3, 2024, Lavrov met Choe Son Hui, the spokesman said, speaking in Pretoria."
    assert not [e for e in _events(extractor, text, "meeting") if _where(e) == "Pretoria"]


def test_a_scheduled_trip_is_no_meeting_yet(extractor):
    text = "On May 3, 2024, Putin met Kim in Pyongyang and is scheduled to travel on to Hanoi for talks."
    assert [_where(e) for e in _events(extractor, text, "meeting")] == ["Pyongyang"]


def test_what_deliveries_could_allow_and_conditions_are_no_events(extractor):
    text = "On May 3, 2024, officials warned that further deliveries could allow Russia to target Odesa."
    assert not _events(extractor, text, "transfer")
    text = "On May 3, 2024, the pact promised help to Minsk if either side is attacked."
    assert not _events(extractor, text, "incident") and not _events(extractor, text, "strike")



def test_a_village_found_only_by_another_countrys_spelling_is_no_pin_across_the_border(extractor):
    # Plekhovo is a village of the Kursk region the gazetteer lacks; GeoNames lists it only
    # as a Russian spelling of Plekhiv in Poltava Oblast, Ukraine
    text = ("North Korean troops were deployed to the Kursk region. On Dec. 14, 2024, they attacked "
            "near the village of Plekhovo.")
    places = {p.text: p.candidate for p in extractor.extract(text, PUBLISHED).places}
    assert places["Plekhovo"] is None and places["Kursk region"].country == "RU"
    text = "Missiles hit Poltava Oblast on May 3, 2024. Debris fell in Plekhiv."  # its own name: kept
    places = {p.text: p.candidate for p in extractor.extract(text, PUBLISHED).places}
    assert places["Plekhiv"].admin1 == "Poltava Oblast"


def _route(e: dict) -> tuple:
    return ((e.get("origin") or {}).get("name"), _where(e))


def test_ships_and_trains_moving_goods_are_transfers(extractor):
    cases = {
        "On October 19, 2024, the cargo ship Angara left Rajin with 300 containers and berthed at Dunai.":
            ("Rajin", "Dunai"),
        "On 5 October 2024, a train of covered wagons crossed the Friendship Bridge from Tumangang to Khasan.":
            ("Tumangang", "Khasan"),
        "In March 2024, tanker voyages carried refined oil products from Vostochny port to Rajin.":
            ("Vostochny port", "Rajin"),
        "Since August 2023 the cargo ship Angara has made 11 round trips between Rajin and Dunai.":
            ("Rajin", "Dunai"),
    }
    for text, route in cases.items():
        assert [_route(e) for e in _events(extractor, text, "transfer")] == [route], text


def test_handed_names_the_recipient(extractor):
    text = "In December 2023, Pyongyang handed Moscow ballistic missile launchers and dozens of missiles."
    # both capitals are governments here: drawn as their countries
    assert [_route(e) for e in _events(extractor, text, "transfer")] == [("North Korea", "Russia")]


def test_trade_between_two_countries_is_no_route(extractor):
    text = "In 2023 the ship carried out illegal arms transfers between Russia and North Korea."
    assert not [e for e in _events(extractor, text, "transfer") if (e.get("origin") or {}).get("country") == "RU"]


def test_a_russian_town_after_to_or_a_strike_verb_is_a_place_whatever_the_model_reads(extractor):
    text = "On May 3, 2024, the containers were carried by train to Tikhoretsk."
    assert [_where(e) for e in _events(extractor, text, "transfer")] == ["Tikhoretsk"]
    places = extractor.extract("North Korean troops attacked Sudzha on Monday.", PUBLISHED).places
    assert [p.candidate.name for p in places if p.candidate is not None] == ["Sudzha"]


def test_production_is_of_arms_only(extractor):
    assert not _events(extractor, "On May 3, 2024, gas production facilities were damaged in Kharkiv.", "production")
    text = "North Korea expanded production of artillery shells at a factory in Hamhung in January 2024."
    assert [_where(e) for e in _events(extractor, text, "production")] == ["Hamhung"]


def test_a_guest_received_by_a_leader_is_a_meeting_not_a_transfer(extractor):
    text = "Choe Son Hui was received by Putin in Moscow on November 4, 2024."
    assert [e["kind"] for e in _events(extractor, text)] == ["meeting"]
    assert [_where(e) for e in _events(extractor, "Kim sat down with Lavrov in Moscow on November 1, 2024.")] == \
        ["Moscow"]


def test_launch_areas_are_those_of_ballistic_missiles_each_in_its_own_clause(extractor):
    text = ("On November 3, 2024, the enemy used 35 Kh-101 cruise missiles launched by Tu-95MS bombers from the "
            "Saratov region; three ballistic missiles launched from the Kursk and Voronezh regions; and 194 "
            "Shahed-type attack drones launched from Bryansk, Millerovo and Primorsko-Akhtarsk.")
    found = _events(extractor, text)
    assert sorted(e["place"]["gazetteer_id"] for e in found if e["kind"] == "launch_site") == \
        ["region:RU-KRS", "region:RU-VOR"]
    assert not [e for e in found if e["kind"] == "strike"]  # "attack drones" attack nothing yet


def test_a_shipment_with_no_destination_goes_to_the_other_party_the_sentence_names(extractor):
    text = ("Imagery showed 73 freight cars loaded with crates at the Tumangang rail facility on October 5, 2023, "
            "likely arms for Russian forces.")
    assert [((e.get("origin") or {}).get("name"), e["destination"]["country"])
            for e in _events(extractor, text, "transfer")] == [("Tumangang", "RU")]
    text = "North Korean shells were loaded at Rajin in August 2023, Ukrainian intelligence said."
    assert [(e.get("destination") or {}).get("country") for e in _events(extractor, text, "transfer")] == [None]


def test_drones_counted_after_and_are_launched_from_their_own_places(extractor):
    text = ("On November 12, 2024, Russian forces launched two Iskander-M ballistic missiles from Belgorod and Kursk "
            "oblasts, and 117 Shahed drones from Bryansk and Millerovo.")
    assert sorted(e["place"]["gazetteer_id"] for e in _events(extractor, text, "launch_site")) == \
        ["region:RU-BEL", "region:RU-KRS"]


def test_a_plan_to_send_workers_is_no_deployment_and_talks_are_not_held_where_they_go(extractor):
    text = ("On November 18, 2024, North Korea said it will send 1,000 deminers and 5,000 construction workers to "
            "Russia's Kursk region to help rebuild what the fighting destroyed, Russian Security Council Secretary "
            "Sergei Shoigu said after talks with Kim Jong Un.")
    found = _events(extractor, text)
    assert not [e for e in found if e["kind"] == "deployment"]
    assert not [e for e in found if e["kind"] == "meeting" and _where(e) == "Kursk region"]


def test_a_satellite_named_in_apposition_is_still_a_test_and_a_summit_that_dates_it_is_no_meeting(extractor):
    text = ("The North placed its first reconnaissance satellite, the Malligyong-1, into orbit from the Sohae "
            "Satellite Launching Station on Nov. 21, 2023, two months after Kim's summit with Putin.")
    assert [e["kind"] for e in _events(extractor, text)] == ["test"]


def test_who_troops_serve_and_where_others_stand_are_not_their_route(extractor):
    text = ("Ukrainian soldiers fighting in Russia's Kursk region on November 3, 2024 say North Korean troops sent "
            "to help Moscow attack in dense columns.")
    found = _events(extractor, text, "deployment")
    assert [(e["origin"]["country"], e["destination"]["country"], _where(e)) for e in found] == \
        [("KP", "RU", "Kursk region")]
    text = ("On November 3, 2024, containers were carried by train to a depot near Tikhoretsk, about 290 km from "
            "the Ukrainian border.")
    assert [(e.get("origin") or {}).get("country") for e in _events(extractor, text, "transfer")] == [None]


def test_passenger_trains_awards_and_units_are_no_arms_transfer_and_the_road_between_two_towns_is_both(extractor):
    assert not _events(extractor, "High-speed trains made 20 round trips between Moscow and Nizhny Novgorod every "
                                  "day in November 2024.")
    assert not _events(extractor, "Putin handed state awards to cosmonauts in Moscow on November 5, 2024.", "transfer")
    text = "North Korea delivered 5,000 units to Vladivostok in November 2024."
    assert [e["kind"] for e in _events(extractor, text)] == ["transfer"]
    text = "Russian missiles struck the road between Pokrovsk and Kostiantynivka on November 5, 2024."
    assert len(_events(extractor, text, "strike")) == 2


def test_troops_sent_to_defend_a_town_went_there_and_a_country_whose_media_speak_is_no_destination(extractor):
    text = "North Korean troops were sent to defend Kursk in October 2024."
    assert [_where(e) for e in _events(extractor, text, "deployment")] == ["Kursk"]
    text = "Russian shells were loaded at Bryansk on November 3, 2024, Belarusian media said."
    assert [(e.get("destination") or {}).get("country") for e in _events(extractor, text, "transfer")] == [None]


def test_a_strike_on_a_region_lands_on_the_places_named_inside_it(extractor):
    text = ("A missile attack on Kyiv Oblast on May 3, 2024 killed a man in Bucha district "
            "and wounded two people in Obukhiv district.")
    assert sorted(_where(e) for e in _events(extractor, text, "strike")) == ["Bucha district", "Obukhiv district"]


def test_a_strike_on_a_region_alone_stays_on_the_region(extractor):
    text = "A missile attack on Kyiv Oblast on May 3, 2024 wounded two people, the governor said."
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Kyiv Oblast"]


def test_the_districts_of_a_city_named_as_its_own_region_are_placed(extractor):
    text = ("Kyiv City Military Administration: the attack on May 3, 2024 hit two districts. "
            "Solomianskyi district: a missile hit a warehouse.")
    places = {p.text: p.candidate for p in extractor.extract(text, PUBLISHED).places}
    assert places["Solomianskyi district"] is not None and places["Solomianskyi district"].admin1 == "Kyiv"


def test_a_region_in_brackets_after_a_launch_area_is_a_launch_area_not_a_target(extractor):
    text = ("On May 3, 2024, the enemy attacked with 90 drones launched from Kursk, Millerovo "
            "(Russian Federation) and Chauda (temporarily occupied Crimea).")
    assert not [e for e in _events(extractor, text, "strike") if _where(e) == "Crimea"]


def test_a_treaty_signed_by_two_countries_in_a_city_is_one_agreement_there(extractor):
    text = "North Korea and Russia signed a mutual defence treaty in Pyongyang on June 19, 2024."
    assert [_where(e) for e in _events(extractor, text, "agreement")] == ["Pyongyang"]


def test_a_venue_belongs_to_the_meeting_word_nearest_it(extractor):
    text = ("Shoigu went to Pyongyang in 2018, when he met Kim before the first summit of the two leaders "
            "in Vladivostok in April 2019.")
    dated = {(_where(e), str(e["date_start"])[:4]) for e in _events(extractor, text, "meeting")}
    assert ("Vladivostok", "2018") not in dated


def test_a_town_told_by_a_landmark_near_it_is_no_second_venue(extractor):
    text = "On Sept 16, 2023, Kim inspected bombers at Knevichi air base near Vladivostok and visited the fleet."
    assert [_where(e) for e in _events(extractor, text, "meeting")] == ["Knevichi air base"]


def test_a_capital_that_did_something_is_its_government_not_a_venue(extractor):
    text = "On Oct 19, 2023, Lavrov said Moscow welcomed the invitation for Putin to visit North Korea."
    assert not [e for e in _events(extractor, text, "meeting") if _where(e) == "Moscow"]


def test_a_headline_meeting_named_to_date_an_announcement_is_no_meeting(extractor):
    text = "North Korea to send 6,000 builders to Russia's Kursk, Shoigu says after Kim meeting"
    assert not _events(extractor, text, "meeting")


def test_a_launch_from_one_place_does_not_make_the_other_places_launch_sites(extractor):
    text = ("The satellite launch from the Sohae Satellite Launching Station on 21 November 2023 followed "
            "a summit in Vladivostok on 13 September 2023.")
    assert not _events(extractor, text, "launch_site")


def test_regions_named_after_an_owner_country_take_its_role(extractor):
    text = "On May 3, 2024, missiles were fired from Russia's Belgorod, Voronezh and Kursk regions, officials said."
    assert sorted(_where(e) for e in _events(extractor, text, "launch_site")) == ["Belgorod", "Kursk", "Voronezh"]
    text = "On May 3, 2024, North Korean troops seized a village from Ukrainian soldiers in Russia's Kursk region."
    assert "Kursk region" in [_where(e) for e in _events(extractor, text)]


def test_places_listed_before_came_under_attack_are_each_struck(extractor):
    text = "On May 3, 2024, the Kyiv region, as well as the Zhytomyr, Kharkiv and Sumy regions, came under attack."
    assert [_where(e) for e in _events(extractor, text, "strike")] == \
        ["Kyiv region", "Zhytomyr", "Kharkiv", "Sumy"]


def test_a_date_an_attack_is_compared_with_is_not_its_date(extractor):
    text = ("A missile hit Kyiv on May 3, 2024. It was the deadliest attack on Kyiv with a North Korean "
            "weapon since Russia began using them at the end of 2023.")
    assert [str(e["date_start"]) for e in _events(extractor, text, "strike")] == ["2024-05-03"]


def test_troops_carried_by_warships_are_a_deployment_not_a_transfer(extractor):
    text = "On Oct. 8, 2024, Russian landing ships moved the troops from Hamhung to Vladivostok."
    assert [e["kind"] for e in _events(extractor, text)] == ["deployment"]
    text = "On Oct. 8, 2024, Russian landing ships moved the troops and 40 containers of shells from Rajin to Vladivostok."
    assert "transfer" in [e["kind"] for e in _events(extractor, text)]


def test_troops_moving_closer_to_a_country_were_not_sent_there(extractor):
    text = ("On Oct. 30, 2024, the ministry had said that some of the DPRK troops training in the east of Russia "
            "were moving closer to Ukraine.")
    assert not [e for e in _events(extractor, text, "deployment") if _where(e) == "Ukraine"]


def test_the_war_a_shipment_serves_is_not_its_destination(extractor):
    text = ("On May 3, 2024, officials said Pyongyang had sent millions of shells to help Russia's war in Ukraine.")
    assert not [e for e in _events(extractor, text, "transfer") if _where(e) == "Ukraine"]


def test_troops_fighting_for_a_capital_were_not_sent_to_it(extractor):
    text = "On May 3, 2024, thousands of North Korean troops were sent to fight for Moscow in Kursk."
    assert "Moscow" not in [_where(e) for e in _events(extractor, text)]
    text = "On May 3, 2024, Russia sent air defence missiles to North Korea to protect a network for Pyongyang."
    assert _events(extractor, text, "transfer")


def test_goods_crossing_from_a_country_go_to_the_country_entered_not_to_its_own_capital(extractor):
    text = ("On May 3, 2024, 100 goats crossed from Russia into North Korea, as Pyongyang supplies Moscow "
            "with munitions.")
    assert not [e for e in _events(extractor, text, "transfer")
                if (e["origin"] or {}).get("name") == "Russia" and _where(e) == "Moscow"]


def test_sappers_sent_to_a_region_are_a_deployment_after_a_wire_dateline(extractor):
    text = "SEOUL, May 3 (Yonhap) -- North Korea sent 1,000 sappers to Russia's Kursk region on May 2, 2024."
    found = _events(extractor, text)
    assert [(e["kind"], _where(e)) for e in found] == [("deployment", "Kursk region")]


def test_forces_striking_a_depot_deep_in_russia_is_an_air_raid_strike(extractor):
    text = "On Sept. 21, 2024, Ukrainian forces struck an ammunition depot near Tikhoretsk in Krasnodar Krai."
    assert [(e["kind"], _where(e)) for e in _events(extractor, text)] == [("strike", "near Tikhoretsk")]



def test_an_agreement_named_as_the_basis_of_a_delivery_is_not_signed_there(extractor):
    text = "On Aug 5, 2024, the goats were the first batch sent under an agreement to supply North Korea with livestock."
    assert not _events(extractor, text, "agreement")


def test_talks_told_after_a_sentence_about_a_country_are_not_held_in_the_whole_country(extractor):
    text = "On July 3, 2025, Russia shipped fuel to North Korea. The visit of the minister followed on July 12, 2025."
    assert not [e for e in _events(extractor, text, "meeting") if e["place"]["geo_precision"] == 4]


def test_strikes_in_ukraine_told_only_with_weapons_the_map_does_not_follow_are_not_proposed(extractor):
    text = "On May 3, 2024, glide bombs hit Zaporizhzhia. Thirty drones were shot down over Sumy and Poltava oblasts."
    assert not _events(extractor, text, "strike")
    text = "On May 3, 2024, drones and ballistic missiles hit Zaporizhzhia."
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Zaporizhzhia"]
    text = "On May 3, 2024, drones struck an arsenal near Toropets holding North Korean shells."
    assert _events(extractor, text, "strike")
    text = "On May 3, 2024, drones damaged the port of Odesa; no missiles were used, officials said."
    assert not _events(extractor, text, "strike")  # the weapons it says were not used do not count


def test_a_region_struck_regularly_over_a_year_is_no_date_of_one_strike_in_it(extractor):
    text = ("Russia attacked the power grid overnight into Wednesday, October 16, 2024. Two ballistic missiles "
            "struck a gas plant near Berestyn. Kyiv has accused Russia of using North Korean missiles against the "
            "Kharkiv region regularly over the past year.")
    assert [(_where(e), e["date_start"]) for e in _events(extractor, text, "strike")] == \
        [("near Berestyn", date(2024, 10, 16))]


def test_drones_of_the_same_attack_as_north_korean_missiles_are_proposed(extractor):
    text = ("On October 15, 2024, two KN-23 missiles hit a gas plant near Berestyn. That night, on October 15, a "
            "cruise missile hit a power plant in the Stryi district. Drones hit Odesa on October 3, 2024. Russia "
            "said it shot down ten Ukrainian drones over Belgorod on October 15.")
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["near Berestyn", "Stryi district"]


def test_ground_attacks_in_ukraine_without_allied_troops_are_not_proposed(extractor):
    text = "On May 3, 2024, Russian forces attacked toward Vovchansk and Lyptsi, the General Staff said."
    assert not _events(extractor, text)
    text = "On May 3, 2024, North Korean troops attacked toward Vovchansk, the General Staff said."
    assert [e["kind"] for e in _events(extractor, text)] == ["incident"]


def test_a_capital_doing_something_is_its_government_even_in_ukraine(extractor):
    text = "On Sept 9, 2024, by targeting arsenals far from the front, Kyiv is trying to wear down Russia's artillery."
    assert not _events(extractor, text, "strike")
    text = "On Sept 9, 2024, Kyiv has since said that a North Korean missile malfunctioned."
    assert not [e for e in _events(extractor, text, "incident") if _where(e) == "Kyiv"]
    for text in ("On Sept 9, 2024, Kyiv was hit by missiles.", "On Sept 9, 2024, Kyiv has been struck by missiles."):
        assert [_where(e) for e in _events(extractor, text, "strike")] == ["Kyiv"]


def test_a_drone_hitting_a_car_in_russia_is_no_strike_but_a_drone_raid_on_a_depot_is(extractor):
    text = "On Aug 10, 2024, a Ukrainian drone hit a car on the outskirts of Rylsk, the governor said."
    assert not _events(extractor, text, "strike")
    text = "On Aug 10, 2024, Ukrainian drones hit an ammunition warehouse near Rylsk, the governor said."
    assert _events(extractor, text, "strike")


def test_more_troops_sent_in_a_sentence_of_their_own_go_where_the_last_ones_went(extractor):
    text = ("In March 2024 North Korea deployed 11,000 soldiers to Russia’s Kursk region. "
            "An additional 3,000 personnel were sent in May 2024 to replace losses.")
    found = _events(extractor, text, "deployment")
    assert [(_where(e), str(e["date_start"])) for e in found] == \
        [("Kursk region", "2024-03-01"), ("Kursk region", "2024-05-01")]


def test_a_country_launching_an_attack_is_not_its_target_and_a_struck_plant_produces_nothing(extractor):
    text = ("On Jan 14, 2024, Ukraine launched one of its largest drone and missile attacks against targets in "
            "Russia, including the chemical plant in Novomoskovsk.")
    found = _events(extractor, text)
    # (Ukraine attacking is no strike on Ukraine, and the plant produces nothing; a chemical
    # plant in Russia is no target this map follows)
    assert not [e for e in found if e["kind"] == "production" or (e.get("place") or {}).get("country") == "UA"]
    text = "On Jan 14, 2024, Ukraine was attacked with 50 ballistic missiles."
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Ukraine"]


def test_fragments_recovered_in_cities_tell_a_strike_on_each(extractor):
    text = "On 2 January 2024, fragments of a KN-23 were recovered in Kyiv and in Kharkiv."
    assert [_where(e) for e in _events(extractor, text, "strike")] == ["Kyiv", "Kharkiv"]


@pytest.mark.parametrize("text, name, city", [
    ("Police raided an apartment in Cairo's Haram district on May 3, 2024.", "Haram district", "Cairo"),
    ("Beijing's Chaoyang district ordered mass testing on May 3, 2024.", "Chaoyang district", "Beijing"),
    ("A drone hit the Sovetsky district of Voronezh on May 3, 2024.", "Sovetsky district", "Voronezh"),
])
def test_a_district_tied_to_a_city_is_no_namesake_elsewhere(extractor, text, name, city):
    """Not Haram in Norway, Chaoyang in Liaoning or the Sovetsky raion of the Kursk region:
    the district of the city the text names with it."""
    places = {p.text: p.candidate for p in extractor.extract(text, PUBLISHED).places}
    assert places[name].anchor == city and places[name].id == places[city].id


def test_a_common_word_district_tied_to_a_city_is_no_pin_anywhere(extractor):
    places = {p.text: p.candidate for p in extractor.extract(
        "Shelling hit the Central district of Kharkiv on May 3, 2024.", PUBLISHED).places}
    assert places.get("Central district") is None  # not Israel's Central District

"""Issue 11, continued: event rules that hold on unseen reports (recall of deployments,
transfers, strikes; no candidates from mere mentions). Sentences written for these tests."""

from datetime import date

import pytest

from geodata.extract.report import Extractor

PUBLISHED = date(2024, 11, 20)


@pytest.fixture(scope="module")
def extractor(geocoder):
    return Extractor(geocoder)


def _events(extractor, text: str, published: date = PUBLISHED, kind: str | None = None) -> list[dict]:
    found = extractor.extract(text, published)
    return [e for e in found.events if kind is None or e["kind"] == kind]


def _where(e: dict) -> str | None:
    return (e.get("place") or e.get("destination") or {}).get("name")


def test_a_capital_that_acts_is_the_attacker_not_where_a_strike_landed(extractor):
    text = "On October 3, 2024, Moscow has used the new rockets in attacks on Ukrainian towns."
    assert not [e for e in _events(extractor, text) if e["kind"] in ("strike", "incident")]


def test_an_attack_word_beside_two_countries_is_not_an_incident_in_either(extractor):
    text = "The attack came as Russia and Belarus widened their military ties on October 3, 2024."
    assert not [e for e in _events(extractor, text) if e["kind"] in ("strike", "incident")]


def test_a_weapon_made_in_a_country_is_no_production_event(extractor):
    text = "The rocket that hit Dnipro on October 3, 2024 was made in Iran, investigators said."
    found = _events(extractor, text)
    assert not [e for e in found if e["kind"] == "production"]
    assert [_where(e) for e in found if e["kind"] == "strike"] == ["Dnipro"]


def test_inspecting_a_plant_is_a_visit_not_a_production_event(extractor):
    text = "On October 3, 2024, the minister inspected the assembly shops of an aircraft plant in Irkutsk."
    found = _events(extractor, text)
    assert [e["kind"] for e in found] == ["meeting"] and _where(found[0]) == "Irkutsk"


def test_troops_sent_to_a_province_of_a_country_are_placed_in_the_province(extractor):
    text = "On October 3, 2024, Minsk sent several hundred soldiers to Russia's Bryansk region to guard the border."
    found = _events(extractor, text, kind="deployment")
    assert [_where(e) for e in found] == ["Bryansk region"]


def test_a_state_told_in_the_perfect_tense_does_not_borrow_a_neighbours_date(extractor):
    text = ("In March 2023, a newspaper first wrote about the brigade. Analysts estimate that 4,000 "
            "Belarusian soldiers have been deployed to Russia, mostly in the Bryansk region.")
    found = _events(extractor, text, kind="deployment")
    assert found and all("date not stated" in e["date_note"] for e in found)
    assert [_where(e) for e in found] == ["Bryansk region"]


def test_a_capital_that_estimates_is_a_speaker_not_where_troops_came_from(extractor):
    text = "Kyiv estimates that 4,000 Belarusian soldiers were deployed to the Bryansk region in October 2024."
    found = _events(extractor, text, kind="deployment")
    assert found and all(e["origin"]["name"] != "Kyiv" for e in found)


def test_a_supplied_weapon_named_by_an_adjective_is_no_transfer(extractor):
    text = "On October 3, 2024, Russia fired Iranian-supplied drones from Kursk at Sumy."
    assert not _events(extractor, text, kind="transfer")


def test_possible_or_planned_transfers_are_not_events(extractor):
    for text in ("Officials in Tokyo worry about possible Belarusian transfers of rockets to Russia in October 2024.",
                 "Minsk could send more soldiers to Russia's Bryansk region in October 2024."):
        found = _events(extractor, text)
        assert not [e for e in found if e["kind"] in ("transfer", "deployment")], text


def test_a_meeting_is_placed_at_a_town_not_a_whole_country(extractor):
    text = "On October 3, 2024, the two ministers held talks in Belarus."
    assert all(_where(e) != "Belarus" for e in _events(extractor, text, kind="meeting"))


def test_recently_delivered_goods_are_dated_not_stated_not_by_a_neighbour(extractor):
    text = ("The briefing was held on November 2, 2024. Belarus recently provided Russia with "
            "artillery shells, the spokesman said.")
    found = _events(extractor, text, kind="transfer")
    assert found and all(str(e["date_start"]) != "2024-11-02" for e in found)


@pytest.mark.parametrize("text, kind", [
    ("On October 3, 2024, Germany delivered twenty tanks to Poland.", "transfer"),
    ("On October 3, 2024, Canada sent 300 soldiers to Latvia.", "deployment"),
    ("Jets struck a depot near Damascus on October 3, 2024.", "strike"),
])
def test_events_outside_the_theatre_are_not_proposed(extractor, text, kind):
    assert not [e for e in _events(extractor, text) if e["kind"] in (kind, "incident")]


def test_the_same_events_inside_the_theatre_are_proposed(extractor):
    text = ("On October 3, 2024, North Korea delivered twenty tanks to Russia. On October 4, 2024, "
            "missiles struck a depot near Kharkiv.")
    assert sorted(e["kind"] for e in _events(extractor, text)) == ["strike", "transfer"]


def test_a_meeting_counts_wherever_it_is_held(extractor):
    text = "On October 3, 2024, Kim Jong Un met the Russian president in Beijing."
    assert [_where(e) for e in _events(extractor, text, kind="meeting")] == ["Beijing"]


@pytest.mark.parametrize("text", [
    "A town hall meeting on the new school was held on October 3, 2024 in Springfield, Illinois.",
    "On October 3, 2024, the foreign ministers of Laos and Vietnam agreed to share vaccines.",
    "On October 3, 2024, a plant in Louisville, Kentucky doubled its production of bourbon.",
    # what met a thing: a ship's cargo, a deadline, criticism
    "On October 3, 2024, the Lady R docked at Vostochny, where Russian army trucks met it on the quay.",
    "Russia's plan met with criticism in Moscow on October 3, 2024.",
])
def test_meetings_agreements_and_production_without_the_pipeline_are_not_proposed(extractor, text):
    assert _events(extractor, text) == []


def test_a_meeting_held_in_russia_is_proposed_without_a_party_named(extractor):
    text = "On October 3, 2024, the delegations met in Vladivostok."
    assert [_where(e) for e in _events(extractor, text, kind="meeting")] == ["Vladivostok"]


def test_capitals_supplying_each_other_without_a_date_are_background(extractor):
    text = ("A missile struck Kharkiv on October 3, 2024. Pyongyang provided Moscow with "
            "millions of shells, officials said.")
    assert _events(extractor, text, kind="transfer") == []
    dated = "On October 3, 2024, Pyongyang shipped shells to Moscow by rail."
    # the capital that ships is the government: drawn as its country, not pinned on the city
    assert [(e["origin"]["name"], e["destination"]["name"]) for e in _events(extractor, dated, kind="transfer")] \
        == [("North Korea", "Moscow")]


def test_the_village_of_a_named_place_is_that_place_not_the_last_town_named(extractor):
    text = ("Officials spoke in Sudzha on October 1, 2024. On October 6, 2024, drones struck the village "
            "of Qwertovka.")
    assert not [e for e in _events(extractor, text) if (e.get("place") or {}).get("name") == "Sudzha"]


def test_the_village_does_not_point_back_to_a_city_of_millions(extractor):
    text = "On October 1, 2024, officials met in Moscow. On October 6, 2024, shells struck the village."
    assert not [e for e in _events(extractor, text) if (e.get("place") or {}).get("name") == "Moscow"
                and e["kind"] in ("strike", "incident")]


@pytest.mark.parametrize("text", [
    "Putin met Kim Jong Un in Beijing on October 7, 2024 to discuss the war.",
    "Belarusian leader Lukashenko met Kim Jong Un in Minsk on October 7, 2024.",
    "Lukashenka met Xi Jinping in Beijing on October 7, 2024.",
])
def test_a_meeting_of_the_pipelines_leaders_counts_wherever_it_is_held(extractor, text):
    assert [e["kind"] for e in _events(extractor, text)] == ["meeting"]


def test_russia_meeting_others_without_its_allies_is_another_story(extractor):
    assert _events(extractor, "Putin met Xi Jinping in Beijing on October 7, 2024 to discuss trade.") == []


def test_a_town_the_model_reads_as_a_person_stays_a_place_in_the_focus_countries(extractor, monkeypatch):
    import geodata.extract.toponyms as toponyms
    from geodata.extract.ner import Entity

    text = ("The missile flew from Hamhung toward the sea on October 7, 2024. Factories build engines at "
            "Hamhung. Workers near Hamhung celebrated. New plants rose at Hamhung.")
    at = [i for i in range(len(text)) if text.startswith("Hamhung", i)]
    monkeypatch.setattr(toponyms, "entities", lambda text, spans: [
        Entity(a, a + 7, "GPE" if k == 0 else "PERSON") for k, a in enumerate(at)])
    found = extractor.extract(text, PUBLISHED).places
    assert len([p for p in found if p.text == "Hamhung"]) == len(at)

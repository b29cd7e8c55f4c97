"""The seed catalogue against the facts of the five seed reports, through the public
functions (load_seeds, the store, filters)."""

import re
from datetime import date
from pathlib import Path

import pytest

from geodata.events.catalogue import SEEDS_DIR, load_seeds
from geodata.events.filters import EventFilter
from geodata.events.model import DatePrecision, Kind, LinkRelation, Qualifier, Status
from geodata.store import Store

SHARED_SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def catalogue(geocoder):
    return load_seeds(geocoder)


@pytest.fixture(scope="module")
def events(catalogue):
    return {e.id: e for e in catalogue.events}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, catalogue):
    store = Store(tmp_path_factory.mktemp("seeded") / "events.sqlite", seed=False)
    store.put(catalogue)
    return store


def test_one_source_record_per_report_with_reasoned_dates(catalogue):
    assert sorted(catalogue.sources) == ["seed-000", "seed-001", "seed-002", "seed-003", "seed-004"]
    for source in catalogue.sources.values():
        assert source.published_reasoning, f"{source.id}: say how the date was inferred"
        assert source.published_precision in (DatePrecision.MONTH, DatePrecision.DAY)
    assert catalogue.sources["seed-000"].publisher == "Newsweek"
    # 004 cites a UN report of "the 29th of last month" (April 2024) and Reuters "on the 7th"
    assert catalogue.sources["seed-004"].published == date(2024, 5, 1)
    # 002: a photo caption of Thursday 21 November 2024, an official speaking "on Friday"
    assert catalogue.sources["seed-002"].published.strftime("%Y-%m") == "2024-11"


def test_every_report_is_cited_and_every_event_cites_one(catalogue):
    cited = {c.id for e in catalogue.events for c in e.sources}
    assert cited == set(catalogue.sources)
    assert all(e.sources for e in catalogue.events)
    assert len(catalogue.events) >= 30


def test_the_kharkiv_strike_of_2_january_2024(events):
    e = events["strike-kharkiv-2024-01-02"]
    assert (e.kind, e.date_start, e.date_precision) == (Kind.STRIKE, date(2024, 1, 2), DatePrecision.DAY)
    assert (e.place.gazetteer_id, e.place.geo_precision, e.place.admin1) == ("geonames:706483", 1, "Kharkiv Oblast")
    assert e.systems == ["kn-23"]
    assert (e.casualties.killed, e.casualties.killed_qualifier) == (3, Qualifier.AT_LEAST)
    assert "dozens" in e.casualties.note
    assert e.status == Status.CONFIRMED
    assert any("panel" in a.claimant for a in e.attribution)


def test_the_winter_campaign_and_its_launch_areas(events):
    campaign = events["strike-campaign-kp-missiles-2023-12-2024-02"]
    assert (campaign.date_start, campaign.date_end) == (date(2023, 12, 1), date(2024, 2, 29))
    assert any(q.value == 50 and q.qualifier == Qualifier.ABOUT for q in campaign.quantities)
    assert any(q.value == 21 for q in campaign.quantities)
    assert campaign.place.geo_precision == 4, "the six oblasts are not named: country precision"
    launched_from = [events[l.target] for l in campaign.links if l.relation == LinkRelation.LAUNCHED_FROM]
    assert sorted(p.place.admin1 for p in launched_from) == ["Belgorod Oblast", "Kursk Oblast", "Voronezh Oblast"]
    assert all(p.kind == Kind.LAUNCH_SITE and p.place.country == "RU" for p in launched_from)
    kursk = next(p for p in launched_from if p.place.admin1 == "Kursk Oblast")
    assert kursk.place.name == "Kurusk", "the name as reported is kept"
    last = events["strike-2024-02-27"]
    assert last.date_start == date(2024, 2, 27)


def test_strikes_documented_by_car(events):
    strikes = [e for e in events.values() if e.kind == Kind.STRIKE and "seed-003" in {c.id for c in e.sources}]
    assert sorted(e.date_start for e in strikes) == [date(2024, 7, 30), date(2024, 8, 5), date(2024, 8, 6), date(2024, 8, 18)]
    kyiv = events["strike-north-of-kyiv-2024-08-18"]
    assert kyiv.place.geo_precision == 2 and kyiv.place.lat > 50.6  # north of the city, not on it
    unknown = [e for e in strikes if e.place.geo_precision == 4]
    assert len(unknown) == 3 and all(e.place.country == "UA" for e in unknown)
    production = events["production-juche-113-missile-2024"]
    assert production.date_start.year == 2024  # Juche 113 = 2024


def test_transfers_in_both_directions(events):
    missiles = events["transfer-kn23-kn24-to-russia"]
    assert (missiles.origin.country, missiles.destination.country) == ("KP", "RU")
    assert set(missiles.systems) == {"kn-23", "kn-24"}
    assert any(q.value == 100 and q.qualifier == Qualifier.MORE_THAN for q in missiles.quantities)
    containers = events["transfer-containers-to-russia-2023-08-2024-11"]
    assert any(q.value == 13000 and q.unit == "containers" for q in containers.quantities)
    shells = events["transfer-artillery-shells-to-russia"]
    assert any(q.value == 3_000_000 and q.qualifier == Qualifier.MORE_THAN for q in shells.quantities)
    assert any(d.field == "quantity" for d in shells.discrepancies)
    air_defence = events["transfer-ru-air-defence-to-kp-2024"]
    assert (air_defence.origin.country, air_defence.destination.country) == ("RU", "KP")
    assert "s-400" in air_defence.systems


def test_deployments_incidents_meetings_agreements_tests(events):
    troops = events["deployment-kp-troops-to-russia-2024-10"]
    assert troops.date_start == date(2024, 10, 1) and troops.date_precision == DatePrecision.MONTH
    assert any(q.value == 10000 and q.unit == "troops" for q in troops.quantities)
    assert len(troops.discrepancies[0].values) == 3
    fire = events["incident-kursk-friendly-fire-kp-sam-2025-01"]
    assert (fire.kind, fire.place.gazetteer_id, fire.systems) == (Kind.INCIDENT, "region:RU-KRS", ["kp-sam"])
    assert {v.value for v in fire.discrepancies[0].values} >= {
        "Kovalenko has over 100,000 Telegram subscribers", "Kovalenko has 10,000 Telegram followers"}
    summit = events["meeting-putin-kim-vostochny-2023-09-13"]
    assert (summit.date_start, summit.place.gazetteer_id) == (date(2023, 9, 13), "site:vostochny-cosmodrome")
    treaty = events["agreement-mutual-defence-treaty-2024"]
    assert treaty.discrepancies and treaty.date_start.year == 2024
    assert events["test-hwasong-11-first-launch-2019-05"].date_start == date(2019, 5, 1)
    assert events["test-spy-satellite-2023-11"].kind == Kind.TEST


def test_every_place_is_located_with_a_precision(catalogue):
    for event in catalogue.events:
        for place in event.places:
            assert place.located and place.geo_precision in (1, 2, 3, 4), (event.id, place.name)


def test_export_filter_kn23_in_the_first_quarter_of_2024(seeded):
    f = EventFilter.build(systems=["Hwasong-11"], since="2024-01-01", until="2024-03-31")
    assert sorted(e.id for e in seeded.events(f)) == [
        "deployment-kp-launch-observers-under-investigation",
        "deployment-kp-missile-specialists-to-russia",
        "incident-kp-missile-airbursts-2023-12-2024-02",
        "launch-site-belgorod-2023-12-2024-02",
        "launch-site-kursk-2023-12-2024-02",
        "launch-site-voronezh-2023-12-2024-02",
        "strike-2024-02-27",
        "strike-campaign-kp-missiles-2023-12-2024-02",
        "strike-kharkiv-2024-01-02",
        "transfer-kn23-kn24-to-russia",
    ]


def test_filter_by_any_alias_finds_the_event(seeded):
    for alias in ("Triumf", "SA-21", "S-400", "s400"):
        assert [e.id for e in seeded.events(EventFilter.build(systems=[alias]))] == ["transfer-ru-air-defence-to-kp-2024"]
    by_kn24 = {e.id for e in seeded.events(EventFilter.build(systems=["Hwasong-11B"]))}
    assert "transfer-kn23-kn24-to-russia" in by_kn24


def _shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
def test_the_catalogue_is_in_our_own_words(catalogue):
    """No eight words in a row from a report, except the headlines we cite as titles."""
    notes = " ".join(f"{s.publisher} {s.published_reasoning} {s.note}" for s in catalogue.sources.values())
    ours = _shingles((SEEDS_DIR / "events.yaml").read_text() + notes)
    for report in sorted(SHARED_SEEDS.glob("*.txt")):
        theirs = _shingles(report.read_text(encoding="utf-8"))
        copied = ours & theirs
        assert not copied, f"{report.name}: eight words in a row copied: {' '.join(next(iter(copied)))}"

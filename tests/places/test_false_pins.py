"""No false pins: answers that look exact but stand for something else. Each case was a
pin more than 25 km from the truth before its rule (the causes were found on the
development rows' misses; reproduced here with other places of the same kind)."""

from geodata.places.geocoder import GeoPrecision


def first(geocoder, query):
    found = geocoder.candidates(query, limit=3)
    assert found, f"no answer for {query!r}"
    return found[0]


def test_a_neighbourhood_of_a_city_does_not_answer_for_the_province_around_it(geocoder):
    # Obolon and Bibirevo are districts of Kyiv and Moscow (city regions): a row that
    # states the oblast around the city means another place of that name
    for query, province in (("Obolon, Kyiv Oblast, Ukraine", "Kyiv Oblast"),
                            ("Bibirevo, Moscow Oblast, Russia", "Moscow Oblast")):
        c = first(geocoder, query)
        assert (c.status, c.name, c.precision) == ("fallback", province, GeoPrecision.REGION)
    # the neighbourhood under its own city, and the city under the oblast around it
    assert first(geocoder, "Obolon, Kyiv, Ukraine").name == "Obolon"
    c = first(geocoder, "Kyiv, Kyiv Oblast, Ukraine")
    assert (c.name, c.status, c.precision) == ("Kyiv", "ok", GeoPrecision.TOWN)
    # a town of the city region beyond the city itself still lies in the oblast around it
    c = first(geocoder, "Zelenograd, Moscow Oblast, Russia")
    assert (c.name, c.status) == ("Zelenograd", "ok")


def test_a_village_named_after_a_person_is_not_pinned_by_its_short_name(geocoder):
    # "Morozova" is the short form of Imeni Morozova: matching it needs the word "imeni",
    # and many unlisted villages bear such names, so the answer is the province's area
    c = first(geocoder, "Morozova, Leningrad Oblast, Russia")
    assert (c.status, c.name, c.precision) == ("ambiguous", "Leningrad Oblast", GeoPrecision.REGION)
    assert [a.name for a in c.alternatives] == ["Imeni Morozova"]
    # spelled as listed and bounded by its province, it is the village
    c = first(geocoder, "Imeni Morozova, Leningrad Oblast, Russia")
    assert (c.name, c.status, c.precision) == ("Imeni Morozova", "ok", GeoPrecision.TOWN)


def test_a_name_after_a_person_bounded_only_by_a_country_is_not_a_pin(geocoder):
    # one listed "Imeni Morozova" in Russia says nothing of the unlisted ones
    c = first(geocoder, "Imeni Morozova, Russia")
    assert (c.status, c.name, c.precision) == ("ambiguous", "Russia", GeoPrecision.COUNTRY)


def test_a_region_name_whose_capital_is_called_otherwise_is_ambiguous(geocoder):
    # "Sverdlovsk": the base name of Sverdlovsk Oblast, whose capital Yekaterinburg bears
    # it only as a former name, and the former name of a town in Luhansk Oblast
    c = first(geocoder, "Sverdlovsk")
    assert c.status == "ambiguous" and c.precision > GeoPrecision.TOWN
    assert {"Yekaterinburg", "Dovzhansk"} <= {a.name for a in c.alternatives}
    # a stated province decides; a capital called by the region's name stays the city
    c = first(geocoder, "Sverdlovsk, Sverdlovsk Oblast, Russia")
    assert (c.name, c.status) == ("Yekaterinburg", "ok")
    c = first(geocoder, "Donetsk")
    assert (c.name, c.admin1, c.status) == ("Donetsk", "Donetsk Oblast", "ok")

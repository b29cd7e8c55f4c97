"""The KML / KMZ reader, at the Row level: invented placemarks in the layouts Google My
Maps, Google Earth and GeoConfirmed-style maps write; hostile files refused in one line."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from geodata.io.readers import kml
from geodata.io.readers.base import RowError
from geodata.io.readers.kml import KmlError, KmlReader, html_to_text

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'


def document(*placemarks: str, name: str = "Invented map") -> str:
    return f"{HEAD}<Document><name>{name}</name>{''.join(placemarks)}</Document></kml>"


def placemark(body: str, name: str = "Strike on a depot", **attrs) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f"<Placemark{extra}><name>{name}</name>{body}</Placemark>"


POINT = "<Point><coordinates>\n  36.25,49.5,0\n</coordinates></Point>"
MY_MAPS = placemark(
    "<description><![CDATA[описание: Ракетный удар по складу<br><br>Тип: склад<br>"
    "<img src='https://example.org/a.png'/><script>alert(1)</script>]]></description>"
    "<ExtendedData><Data name=\"Дата\"><value>2024.03.05</value></Data>"
    "<Data name=\"Ссылка\"><value>https://t.me/example/1</value></Data>"
    "<Data name=\"Средства поражения\"><value>KN-23</value></Data></ExtendedData>" + POINT,
    name="5 марта, склад")


def write(tmp_path: Path, text: str, name: str = "map.kml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path) -> list:
    return list(KmlReader().rows(path))


def test_my_maps_placemark_with_extended_data_is_a_row(tmp_path):
    (row,) = read(write(tmp_path, document(MY_MAPS)))
    assert row.fields["title"] == "5 марта, склад"
    assert (row.fields["date_start"], row.fields["date_precision"]) == ("2024-03-05", "day")
    assert row.fields["kind"] == "strike"           # "удар"
    assert row.fields["systems"] == ["kn-23"]
    assert (row.place.lon, row.place.lat, row.place.geo_precision) == (36.25, 49.5, 1)
    assert row.link == "https://t.me/example/1"
    # HTML turned into text, never rendered: no tags, no script, lines kept
    assert row.fields["description"] == "описание: Ракетный удар по складу\n\nТип: склад"


def test_html_to_text_decodes_entities_and_drops_markup():
    assert html_to_text("a &amp; b<br>&lt;script&gt;<p>c</p><style>x{}</style>") == \
        "a & b\n<script>\nc"


@pytest.mark.parametrize(("time", "expected"), [
    ("<TimeStamp><when>2024-05-02T10:00:00Z</when></TimeStamp>", ("2024-05-02", "2024-05-02", "day")),
    ("<TimeStamp><when>2024-05</when></TimeStamp>", ("2024-05-01", "2024-05-31", "month")),
    ("<TimeSpan><begin>2024-01</begin><end>2024-02</end></TimeSpan>",
     ("2024-01-01", "2024-02-29", "month")),
    ("<TimeSpan><begin>2024-01-03</begin><end>2024-01-09</end></TimeSpan>",
     ("2024-01-03", "2024-01-09", "day")),
])
def test_timestamp_and_timespan_give_the_dates(tmp_path, time, expected):
    (row,) = read(write(tmp_path, document(placemark(time + POINT))))
    assert (row.fields["date_start"], row.fields["date_end"], row.fields["date_precision"]) == expected


def test_a_placemark_without_coordinates_leaves_its_name_for_the_geocoder(tmp_path):
    (row,) = read(write(tmp_path, document(placemark(
        "<TimeStamp><when>2024-05-02</when></TimeStamp>", name="Харьковской области"))))
    assert row.place.name == "Харьковской области" and row.place.lat is None


def test_a_line_or_polygon_is_placed_at_its_representative_point_and_says_so(tmp_path):
    line = ("<TimeStamp><when>2024-05-02</when></TimeStamp><LineString><coordinates>"
            "36.0,49.0 36.2,49.0 36.4,49.0</coordinates></LineString>")
    ring = ("<TimeStamp><when>2024-05-02</when></TimeStamp><Polygon><outerBoundaryIs><LinearRing>"
            "<coordinates>30,50 33,50 33,52 30,52 30,50</coordinates></LinearRing>"
            "</outerBoundaryIs></Polygon>")
    short, wide = read(write(tmp_path, document(placemark(line), placemark(ring, name="Area"))))
    assert short.place.geo_precision == 2 and 49.0 == short.place.lat   # ~15 km from its ends
    assert "a line of 3 points" in short.fields["description"]
    assert wide.place.geo_precision == 3 and 30 < wide.place.lon < 33 and 50 < wide.place.lat < 52
    assert "an area of 5 points" in wide.fields["description"]


def test_folders_become_tags_and_kind_is_incident_without_strike_words(tmp_path):
    inner = placemark("<TimeStamp><when>2024</when></TimeStamp>" + POINT, name="Checkpoint seen")
    text = document("<Folder><name>Layer A</name>" + inner + "</Folder>")
    (row,) = read(write(tmp_path, text))
    assert row.fields["tags"] == ["Layer A"] and row.fields["kind"] == "incident"
    assert row.fields["date_precision"] == "year"


def test_ids_come_from_the_placemark_or_its_content_and_are_stable(tmp_path):
    body = "<TimeStamp><when>2024-05-02</when></TimeStamp>" + POINT
    first = read(write(tmp_path, document(placemark(body, id="gc-17"), placemark(body))))
    again = read(write(tmp_path, document(placemark(body, name="Other", id="x"),
                                          placemark(body, id="gc-17"), placemark(body))))
    assert first[0].native_id == "gc-17"
    assert first[1].native_id.startswith("pm-") and first[1].native_id == again[2].native_id


@pytest.mark.parametrize(("body", "field"), [
    (POINT, "no date"),
    ("<TimeStamp><when>yesterday</when></TimeStamp>" + POINT, "TimeStamp"),
    ("<TimeStamp><when>2024-02-30</when></TimeStamp>" + POINT, "TimeStamp"),
    ("<TimeSpan><begin>2024-03-01</begin><end>2024-02-01</end></TimeSpan>" + POINT, "TimeSpan"),
    ("<TimeStamp><when>2024</when></TimeStamp><Point><coordinates>200,10</coordinates></Point>",
     "coordinates"),
    ("<TimeStamp><when>2024</when></TimeStamp><Point><coordinates>nan,nan</coordinates></Point>",
     "coordinates"),
    ("<TimeStamp><when>2024</when></TimeStamp><Point><coordinates>abc</coordinates></Point>",
     "coordinates"),
])
def test_a_bad_placemark_is_a_row_error_naming_it_and_the_field(tmp_path, body, field):
    rows = read(write(tmp_path, document(MY_MAPS, placemark(body, id="bad-1"))))
    assert not isinstance(rows[0], RowError)
    assert isinstance(rows[1], RowError) and rows[1].number == 2
    assert str(rows[1]).startswith(f"row 2: {field}")
    assert rows[1].native_id == "bad-1" and rows[1].cells["name"] == "Strike on a depot"


@pytest.mark.parametrize(("text", "message"), [
    ('<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
     '<kml><Document><name>&b;</name></Document></kml>', "has a DOCTYPE"),
    ('<?xml version="1.0"?><!DOCTYPE kml SYSTEM "file:///etc/passwd"><kml/>', "has a DOCTYPE"),
    (HEAD + "<Document><name>&xxe;</name></Document></kml>", "undefined entity"),
    (HEAD + "<Document><Placemark><name>x</name>", "not well-formed XML"),
    ("not xml at all", "not well-formed XML at line 1"),
])
def test_hostile_or_broken_xml_is_one_line(tmp_path, text, message):
    with pytest.raises(KmlError, match=message):
        read(write(tmp_path, text))


def test_a_huge_placemark_is_refused_without_holding_it(tmp_path, monkeypatch):
    monkeypatch.setattr(kml, "MAX_PLACEMARK_CHARS", 1000)
    big = placemark("<description>" + "x" * 5000 + "</description>" + POINT)
    (row,) = read(write(tmp_path, document(big)))
    assert isinstance(row, RowError) and "longer than 1,000 characters" in str(row)


def test_kmz_is_read_from_its_doc_kml(tmp_path):
    path = tmp_path / "map.kmz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("images/a.png", b"\x89PNG")
        archive.writestr("doc.kml", document(MY_MAPS))
    reader = KmlReader()
    assert reader.sniff(path)
    (row,) = read(path)
    assert row.fields["title"] == "5 марта, склад"
    assert reader.describe(path).name == "map.kmz: Invented map"


def test_a_zip_bomb_kmz_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "bomb.kmz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", HEAD + "<Document>" + " " * 20_000_000 + "</Document></kml>")
    with pytest.raises(KmlError, match="inflates more than 100 times"):
        read(path)
    monkeypatch.setattr(kml, "MAX_UNCOMPRESSED", 1000)
    with pytest.raises(KmlError, match="uncompressed"):
        read(path)


def test_a_kmz_without_kml_or_a_damaged_one_is_one_line(tmp_path):
    path = tmp_path / "empty.kmz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(KmlError, match="no .kml file"):
        read(path)
    with pytest.raises(KmlError, match="not a regular file"):
        read(tmp_path)

"""UCDP Georeferenced Event Dataset (GED) CSV, read by its codebook.

UCDP events are fatal events of organised violence: they become incidents (the
codebook does not say which weapon), tagged with the type of violence and the
conflict. date_prec and where_prec are kept honestly: the dates given are the bounds
(a span of whole months or years gets that precision; otherwise day precision over the
span, with the codebook's meaning in the date note), and where_prec maps to our
precision and a radius (WHERE_PRECISION). best/low/high deaths become the killed
figure with "about" when the estimates differ, and the range in the note.
"""

from __future__ import annotations

import calendar
from datetime import date

from geodata.io.readers.base import DatasetInfo, PlaceText, Row
from geodata.io.readers.common import CsvReader, cell, clip, number, parse_day
from geodata.places.geocoder import DISTRICT_RADIUS_KM

REQUIRED = ("id", "date_start", "date_end", "where_prec", "latitude", "longitude", "best",
            "country")

# UCDP date_prec -> what the codebook says is known
DATE_PRECISION = {1: "the exact day", 2: "a period of 2-6 days", 3: "only the week",
                  4: "a period of 8-30 days, or only the month", 5: "a period of more than a month, at most a year"}
UCDP_NEAR_KM = 25.0  # where_prec 2: the codebook's "within 25 km"
# UCDP where_prec -> (our geo_precision, radius km or None, the codebook's meaning)
WHERE_PRECISION = {
    1: (1, None, "the exact location"),
    2: (2, UCDP_NEAR_KM, "within about 25 km of a known point"),
    3: (3, DISTRICT_RADIUS_KM, "only the second-order administrative division"),
    4: (3, None, "only the first-order administrative division (province)"),
    5: (3, None, "a linear feature or a stretch between places"),
    6: (4, None, "only the country"),
    7: (4, None, "international waters or airspace"),
}
VIOLENCE = {1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"}


def _span(start: date, end: date) -> tuple[str, str | None]:
    """(date text for the model, date_start/date_end override) for a UCDP span."""
    if start == end:
        return start.isoformat(), None
    last_of_end = calendar.monthrange(end.year, end.month)[1]
    if start.day == 1 and end.day == last_of_end and (start.year, start.month) <= (end.year, end.month):
        if start.month == 1 and end.month == 12:
            return f"{start.year}/{end.year}" if start.year != end.year else str(start.year), None
        return f"{start.isoformat()[:7]}/{end.isoformat()[:7]}" if start.isoformat()[:7] != end.isoformat()[:7] \
            else start.isoformat()[:7], None
    return "", end.isoformat()


class UcdpReader(CsvReader):
    format = "ucdp"
    label = "UCDP GED CSV"
    id_column = "id"
    signature = frozenset({"where_prec", "date_prec", "best"})
    required = REQUIRED
    info = DatasetInfo("UCDP GED", "Uppsala Conflict Data Program (UCDP)",
                       "https://ucdp.uu.se/downloads/")

    @staticmethod
    def row(n: int, row: dict[str, str]) -> Row:
        native = cell(row, "id")
        if not native:
            raise ValueError("id: empty")
        start = parse_day(cell(row, "date_start"), "date_start")
        end = parse_day(cell(row, "date_end") or cell(row, "date_start"), "date_end")
        if end < start:
            raise ValueError(f"date_end {end} is before date_start {start}")
        when, until = _span(start, end)
        fields: dict = {"date": when} if not until else {
            "date_start": start.isoformat(), "date_end": until, "date_precision": "day"}
        prec = number(row, "date_prec", integer=True)
        if prec is not None and prec not in DATE_PRECISION:
            raise ValueError(f"date_prec: {prec} is not 1 to 5")
        if prec and prec > 1:
            fields["date_note"] = f"UCDP date_prec {prec}: {DATE_PRECISION[prec]} is known"
        where = number(row, "where_prec", integer=True)
        if where not in WHERE_PRECISION:
            raise ValueError(f"where_prec: {where} is not 1 to 7")
        precision, radius, meaning = WHERE_PRECISION[where]
        best, low, high = (number(row, c, integer=True) for c in ("best", "low", "high"))
        if best is None:
            raise ValueError("best: empty")
        casualties: dict = {"killed": best}
        if (low is not None and low != best) or (high is not None and high != best):
            casualties["killed_qualifier"] = "about"
            casualties["note"] = f"UCDP best estimate {best} (low {low}, high {high})"
        violence = number(row, "type_of_violence", integer=True)
        conflict, dyad = cell(row, "conflict_name"), cell(row, "dyad_name")
        where_text = cell(row, "where_description") or cell(row, "adm_2") or cell(row, "adm_1") \
            or cell(row, "country")
        label = VIOLENCE.get(violence, "organised violence")
        fields.update({
            "kind": "incident",
            "title": clip(f"{label.capitalize()}: {dyad or conflict or cell(row, 'country')}, "
                          f"{where_text}", 300),
            "description": clip(". ".join(t for t in (conflict, dyad, cell(row, "source_headline"))
                                          if t), 5000) or None,
            "casualties": casualties, "status": "reported",
            "tags": [t for t in (label, clip(conflict, 100), *(f"side: {clip(cell(row, s), 90)}"
                                                          for s in ("side_a", "side_b") if cell(row, s))) if t],
        })
        place_name = cell(row, "where_coordinates") or where_text
        place = PlaceText(name=clip(place_name, 300), admin1=cell(row, "adm_1") or None,
                          country=cell(row, "country") or None,
                          lat=number(row, "latitude"), lon=number(row, "longitude"),
                          geo_precision=precision, radius_km=radius)
        if where > 1:
            fields["description"] = clip(f"{fields['description'] or ''} (UCDP where_prec {where}: "
                                         f"{meaning})".strip(), 5000)
        article = cell(row, "source_article")
        evidence = f"UCDP GED {native}" + (f"; {article}" if article else "")
        return Row(n, native, fields, place=place, evidence=clip(evidence, 1000), cells=row)


READER = UcdpReader()

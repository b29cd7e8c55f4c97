"""Build the gazetteer's on-disk index from its inputs.

Parsing GeoNames' 80 MB JSON takes seconds and ~400 MB; the index built here once
(then cached, see ``cache.py``) is a folder of memory-mapped arrays that opens in
milliseconds. Region and country points that the supplement does not give are derived
here from the GeoNames places inside them, so every coordinate has a stated origin.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from geopy.distance import great_circle

from geodata.places import added, katottg, manifest
from geodata.places.features import (DISTRICT_WORDS, NAMED_DISTRICT_RADIUS_KM, district_stem, split_feature,
                                     stem_spells)
from geodata.places.hashindex import HashIndex, StringTable
from geodata.places.normalize import is_latin_or_cyrillic, loose_key, name_key
from geodata.places.sources import (
    ADMIN1_TYPE,
    APPROXIMATE_TYPES,
    DISTRICT_TYPE,
    Divisions,
    NameRank,
    PlaceRecord,
    SupplementError,
    admin1_records,
    continent_names,
    country_centres,
    country_other_names,
    geonames_admin1_names,
    geonames_divisions,
    geonames_countries,
    geonames_records,
    supplement_records,
)
from geodata.places.words import common_word, english_words

KINDS = ("place", "site", "region", "country", "district")
_RAION = re.compile(r"^(?P<part>.+) (?:raion|rayon)$")  # a post-Soviet second-level division
FUZZY_MIN_LEN, FUZZY_MAX_LEN = 5, 40
# A district known by one or two towns still covers its land: a US county is about
# 1,600 km2 on average (a radius of some 23 km), a Ukrainian raion since 2020 more.
DISTRICT_MIN_RADIUS_KM = 20.0
# Alternate names of small villages are mostly noise for misspelling repair.
FUZZY_MIN_POPULATION_FOR_ALTERNATES = 5000


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def centroid(lat: np.ndarray, lon: np.ndarray, floor_km: float = 10.0) -> tuple[float, float, float]:
    """Spherical mean of points (safe across the antimeridian) and the distance in km
    within which 90% of them lie (at least ``floor_km``): the area's point and its
    uncertainty radius."""
    mean = _unit_vectors(lat, lon).mean(axis=0)
    mean /= np.linalg.norm(mean)
    c_lat = math.degrees(math.asin(mean[2]))
    c_lon = math.degrees(math.atan2(mean[1], mean[0]))
    return c_lat, c_lon, _spread_km(lat, lon, c_lat, c_lon, floor_km)


def _spread_km(lat: np.ndarray, lon: np.ndarray, c_lat: float, c_lon: float, floor_km: float) -> float:
    """The distance from (c_lat, c_lon) within which 90% of the points lie, at least ``floor_km``."""
    centre = _unit_vectors(np.array([c_lat]), np.array([c_lon]))[0]
    angles = np.arccos(np.clip(_unit_vectors(lat, lon) @ centre, -1.0, 1.0))
    return max(float(np.percentile(angles, 90)) * 6371.0088, floor_km)


def area_centre(lat: np.ndarray, lon: np.ndarray, floor_km: float = 10.0) -> tuple[float, float, float]:
    """The centre of the land an area's towns cover (the centroid of their convex hull,
    taken around their spherical mean so that it holds across the antimeridian) and the
    distance in km within which 90% of them lie from it (at least ``floor_km``). Atlases
    place a region at the middle of its land; the mean of its towns leans towards its
    densest part (Queensland's mean lies on its coast, 800 km from the state's middle)."""
    from shapely import MultiPoint

    m_lat, m_lon, spread = centroid(lat, lon, floor_km)
    if len(lat) < 3:
        return m_lat, m_lon, spread
    east = (lon - m_lon + 180.0) % 360.0 - 180.0  # longitudes about the mean, no wrap inside
    hull = MultiPoint(np.column_stack([east, lat])).convex_hull
    c_lat, c_lon = hull.centroid.y, (hull.centroid.x + m_lon + 180.0) % 360.0 - 180.0
    return c_lat, c_lon, _spread_km(lat, lon, c_lat, c_lon, floor_km)


def _derive_points(records: list[PlaceRecord], countries: dict[str, dict]) -> None:
    """Fill lat/lon/radius of regions and countries that the inputs leave open."""
    centres = country_centres()
    by_admin1: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_country: dict[str, list[int]] = defaultdict(list)
    places = [r for r in records if r.kind == "place"]
    for i, rec in enumerate(places):
        by_admin1[(rec.country, rec.admin1)].append(i)
        by_country[rec.country].append(i)
    lat = np.array([r.lat for r in places])
    lon = np.array([r.lon for r in places])
    for rec in places:  # a town's extent grows with its population: Kyiv ~18 km, a village ~1 km
        rec.radius_km = 1.0 + math.sqrt(rec.population) / 100
    for rec in records:
        if rec.kind == "region":
            members = by_admin1.get((rec.country, rec.admin1))
            if not members:
                raise SupplementError(f"{rec.id}: no GeoNames place has admin1 code "
                                 f"{rec.country}.{rec.admin1}; give coords in regions.yaml")
            c_lat, c_lon, radius = area_centre(lat[members], lon[members])
            rec.population = sum(places[i].population for i in members)  # its prominence
            if rec.lat is None:
                rec.lat, rec.lon = c_lat, c_lon
                rec.coords_source = (f"derived: centre of the land its {len(members)} GeoNames "
                                     f"places with admin1 code {rec.country}.{rec.admin1} cover")
            rec.radius_km = radius
        elif rec.kind == "country" and rec.lat is None:
            members = by_country.get(rec.country)
            if not members:
                continue
            area = float(countries[rec.country].get("areakm2") or 0)
            rec.radius_km = math.sqrt(area / math.pi) if area else 100.0
            if rec.country in centres:
                rec.lat, rec.lon = centres[rec.country]
                rec.coords_source = "countryinfo (restcountries data): the country's centre point"
            else:
                rec.lat, rec.lon, _ = centroid(lat[members], lon[members])
                rec.coords_source = (f"derived: spherical mean of {len(members)} GeoNames "
                                     f"places in {rec.country}")


def _country_records(curated: list[PlaceRecord], countries: dict[str, dict]) -> list[PlaceRecord]:
    """Every country: curated ones get GeoNames' name as an alias, the rest are derived;
    each also has the other names atlases give it (``country_other_names``)."""
    out = []
    curated_codes = {r.country: r for r in curated}
    others = country_other_names()
    for code, info in countries.items():
        if code in curated_codes:
            record = curated_codes[code]
            record.names.append((info["name"], NameRank.ALIAS))
        else:
            record = PlaceRecord(id=f"country:{code}", name=info["name"], kind="country", type="country",
                                 country=code, names=[(info["name"], NameRank.PRIMARY)])
            out.append(record)
        record.names += [(name, NameRank.ALIAS) for name in others.get(code, [])]
    return out


def province_codes(supplement: list[PlaceRecord] | None = None,
                   admin1_names: dict[tuple[str, str], str] | None = None):
    """A province name ("Kharkiv Oblast", "Kharkivska oblast", "Kharkiv"; "Texas") of a
    country -> its GeoNames admin1 code: how an added CSV names the province of its
    places. Curated spellings first, then every country's first-level names (by default
    read from GeoNames' places, which takes some seconds)."""
    codes: dict[tuple[str, str], str] = {}
    for rec in supplement if supplement is not None else supplement_records():
        if rec.kind != "region" or not rec.admin1:
            continue
        for text, _ in rec.names:
            key = name_key(text)
            codes.setdefault((rec.country, key), rec.admin1)
            base, family = split_feature(key)
            if family:
                codes.setdefault((rec.country, base), rec.admin1)
    if admin1_names is None:
        admin1_names = geonames_admin1_names(geonames_records())
    for (country, code), name in admin1_names.items():
        codes.setdefault((country, name_key(name)), code)
    return lambda name, country: codes.get((country, name_key(name)))


def collect_records(countries: dict[str, dict], added_root: Path | None = None) -> list[PlaceRecord]:
    """All places in index order: GeoNames places, places the user added (see added.py),
    then the supplement, then countries."""
    supplement = list(supplement_records())
    curated_countries = [r for r in supplement if r.kind == "country"]
    records = list(geonames_records())
    divisions = geonames_divisions(records)
    admin1_names = divisions.admin1_names
    if added_root is not None:
        known = {r.id for r in records}
        province_code = province_codes(supplement, admin1_names)
        for path in added.added_files(added_root):
            for rec in added.read_records(path, province_code):
                if rec.id not in known:  # a dump repeats cities500's towns: keep one of each
                    known.add(rec.id)
                    records.append(rec)
    records += [r for r in supplement if r.kind != "country"]
    curated_regions = {(r.country, r.admin1) for r in supplement if r.kind == "region"}
    records += list(admin1_records(admin1_names, curated_regions))
    records += curated_countries + _country_records(curated_countries, countries)
    records += _district_records(divisions, records)
    _derive_points(records, countries)
    # after the points: a settlement placed at its hromada weighs on no region's centre
    records += list(katottg.settlement_records(records))
    return [r for r in records if r.lat is not None]


def _district_records(divisions: Divisions, records: list[PlaceRecord]) -> list[PlaceRecord]:
    """A second-level division (a county, raion or district) for each group of towns
    GeoNames puts in one, as an area around them: "Boone County", "Suffolk", "Bakhmut
    Raion". Its point and radius are its towns' like a region's. Left out where its name
    would only stand in for another place: a town of its country of that name (Ajmer's
    district is Ajmer), a first-level region, a country or continent, a common word."""
    taken = {(r.country, name_key(r.name)) for r in records if r.kind in ("place", "region")}
    taken |= {("", name_key(r.name)) for r in records if r.kind == "country"}
    taken |= {("", name_key(n)) for n in continent_names()}
    by_province: dict[tuple[str, str], list[PlaceRecord]] = defaultdict(list)
    for r in records:
        if r.kind == "place":
            by_province[(r.country, r.admin1)].append(r)
    out = []
    for (country, _, name), towns in sorted(divisions.districts.items()):
        key = name_key(name)
        if not key or common_word(key) or (country, key) in taken or ("", key) in taken:
            continue
        admin1 = Counter(t.admin1 for t in towns).most_common(1)[0][0]
        lat, lon, radius = centroid(np.array([t.lat for t in towns]), np.array([t.lon for t in towns]),
                                     DISTRICT_MIN_RADIUS_KM)
        out.append(PlaceRecord(
            id=f"{DISTRICT_TYPE}:{country}.{admin1}.{key.replace(' ', '-')}", name=name, kind="district",
            type=DISTRICT_TYPE, country=country, admin1=admin1, lat=lat, lon=lon, radius_km=radius,
            population=sum(t.population for t in towns),
            names=[(name, NameRank.PRIMARY),
                   *_named_after_its_town(key, by_province[(country, admin1)], (lat, lon, radius))],
            coords_source=f"derived: spherical mean of the {len(towns)} GeoNames places GeoNames puts in it"))
    return out


def _named_after_its_town(key: str, towns: list[PlaceRecord],
                          area: tuple[float, float, float]) -> list[tuple[str, NameRank]]:
    """A raion is named after its town ("Bakhmut Raion", or by its adjective:
    "Kramatorskyi Raion"), and English news calls it "Kramatorsk district": those names
    too, from the most populous town of its province whose name it bears, within the
    raion's radius and the reach of such a district (a raion's town is often a city of
    its own, outside the raion's other towns). Without them the words found the town, a
    point up to 50 km from the district's land. Only raions: elsewhere "X District" is
    already the name in use."""
    raion = _RAION.match(key)
    if raion is None:
        return []
    stem, noun = district_stem(key), loose_key(raion["part"])
    lat, lon, radius = area
    spelled = [t for t in towns if (loose_key(t.name) == noun or stem and stem_spells(stem, loose_key(t.name)))
               and great_circle((lat, lon), (t.lat, t.lon)).km <= radius + NAMED_DISTRICT_RADIUS_KM]
    if not spelled:
        return []
    town = max(spelled, key=lambda t: t.population).name
    return [(f"{town} {word}", NameRank.ALIAS) for word in DISTRICT_WORDS]


def _bases_named(records: list[PlaceRecord]) -> set[tuple[str, str]]:
    """(base, country) for the bases of curated regions' names (see _name_entries) that a
    place of the region's country bears (Kursk; not "Maritime", which only Togo's region is)."""
    bases = set()
    for rec in records:
        if rec.kind == "region" and rec.type != ADMIN1_TYPE:
            for text, _ in rec.names:
                base, family = split_feature(name_key(text))
                if family:
                    bases.add((base, rec.country))
    return {(key, rec.country) for rec in records for text, _ in rec.names
            if (key := name_key(text), rec.country) in bases}


def _name_entries(records: list[PlaceRecord]):
    """(key, place row, rank) for every distinct name key of every place."""
    named = _bases_named(records)
    for row, rec in enumerate(records):
        best: dict[str, NameRank] = {}
        for text, rank in rec.names:
            key = name_key(text)
            if key and rank < best.get(key, 99):
                best[key] = rank
            if rec.kind == "country" and key.startswith("the ") and rank < best.get(key[4:], 99):
                best[key[4:]] = rank  # "The Netherlands" is also written without its article
            # A curated name's feature word is ours to strip; GeoNames' "Northern
            # Province" would leave a common word ("northern") as a place name. A base the
            # dictionary lists is a word, not a name ("Jewish" of "Jewish Autonomous Oblast",
            # "Friendship" of "Friendship Bridge"), unless a place of its country is called so
            # (Moscow of "Moscow Oblast").
            if rec.kind in ("region", "site") and rec.type != ADMIN1_TYPE and key:
                base, family = split_feature(key)
                if family and base != key and base not in best and (
                        base not in english_words() or rec.kind == "region" and (base, rec.country) in named):
                    best[base] = NameRank.BASE
        for key, rank in best.items():
            yield key, row, rank


def _fuzzy_keys(records: list[PlaceRecord]) -> list[str]:
    """Name keys worth repairing misspellings towards: Latin or Cyrillic names of
    every curated place, primary names of every place, alternates of larger ones."""
    keys = set()
    for rec in records:
        if rec.kind == "district" or rec.type in APPROXIMATE_TYPES:
            continue  # few are written misspelled; many resemble a word or a town (Lavrov: Lavriv)
        for text, rank in rec.names:
            if rank == NameRank.ALTERNATE and rec.population < FUZZY_MIN_POPULATION_FOR_ALTERNATES:
                continue
            key = name_key(text)
            if FUZZY_MIN_LEN <= len(key) <= FUZZY_MAX_LEN and is_latin_or_cyrillic(text):
                keys.add(key)
    return sorted(keys)


def deletion_variants(key: str) -> set[str]:
    """The key and every string one deletion away: two keys sharing a variant are
    within two edits of each other (the SymSpell idea)."""
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}


Progress = Callable[[str, float], object]  # (what is being done, share of the usual time)

# The build's stages and the share of its usual time spent before each (measured once on
# the embedded data): what a first start shows instead of a blank page.
STAGES = {"reading GeoNames places and the supplement": 0.0, "writing place arrays": 0.45,
          "indexing names and transliterations": 0.55, "indexing misspellings": 0.75}


def build_index(folder: Path, added_root: Path | None = None,
                progress: Progress | None = None) -> dict:
    """Write the index into ``folder`` (which must exist) and return its metadata;
    ``added_root``: the cache folder whose ``added/`` files join the index;
    ``progress(stage, share)`` is told each stage as it starts."""
    started = time.perf_counter()
    tell = progress or (lambda stage, share: None)
    tell("reading GeoNames places and the supplement", 0.0)
    countries = geonames_countries()
    records = collect_records(countries, added_root)
    types = sorted({r.type for r in records})
    type_code = {t: i for i, t in enumerate(types)}

    region_row = {(r.country, r.admin1): i for i, r in enumerate(records) if r.kind == "region"}
    region_by_id = {r.id.removeprefix("region:"): i for i, r in enumerate(records) if r.kind == "region"}
    for rec in records:  # sites name their region by ISO id; store its GeoNames code
        if rec.kind == "site" and rec.admin1 in region_by_id:
            rec.admin1 = records[region_by_id[rec.admin1]].admin1

    tell("writing place arrays", STAGES["writing place arrays"])
    np.save(folder / "lat.npy", np.array([r.lat for r in records], dtype=np.float64))
    np.save(folder / "lon.npy", np.array([r.lon for r in records], dtype=np.float64))
    np.save(folder / "population.npy", np.array([r.population for r in records], dtype=np.int64))
    np.save(folder / "radius_km.npy", np.array([r.radius_km for r in records], dtype=np.float32))
    np.save(folder / "kind.npy", np.array([KINDS.index(r.kind) for r in records], dtype=np.uint8))
    np.save(folder / "type.npy", np.array([type_code[r.type] for r in records], dtype=np.uint8))
    np.save(folder / "country.npy", np.array([r.country for r in records], dtype="S2"))
    np.save(folder / "region.npy", np.array(
        [region_row.get((r.country, r.admin1), -1) if r.kind != "region" else -1 for r in records],
        dtype=np.int32))
    StringTable.build(r.name for r in records).save(folder, "names")
    StringTable.build(r.id for r in records).save(folder, "ids")
    StringTable.build(r.admin1 for r in records).save(folder, "admin1")
    StringTable.build(r.coords_source for r in records).save(folder, "coords_source")

    tell("indexing names and transliterations", STAGES["indexing names and transliterations"])
    keys, rows, ranks = [], [], []
    for key, row, rank in _name_entries(records):
        keys.append(key)
        rows.append(row)
        ranks.append(rank)
    columns = {"row": np.array(rows, dtype=np.int32), "rank": np.array(ranks, dtype=np.uint8)}
    HashIndex.build(keys, columns).save(folder, "exact")
    HashIndex.build([loose_key(k) for k in keys], columns).save(folder, "loose")

    tell("indexing misspellings", STAGES["indexing misspellings"])
    fuzzy = _fuzzy_keys(records)
    StringTable.build(fuzzy).save(folder, "fuzzy_keys")
    variants, owners = [], []
    for i, key in enumerate(fuzzy):
        for variant in deletion_variants(key):
            variants.append(variant)
            owners.append(i)
    HashIndex.build(variants, {"key": np.array(owners, dtype=np.int32)}).save(folder, "fuzzy")

    meta = {
        "types": types,
        "countries": {code: {"name": c["name"], "iso3": c["iso3"]} for code, c in countries.items()},
        "places": len(records),
        "added_files": [p.name for p in added.added_files(added_root)] if added_root else [],
        "names": len(keys),
        "fuzzy_keys": len(fuzzy),
        "fuzzy_variants": len(variants),
        "build_seconds": round(time.perf_counter() - started, 1),
        "files": manifest.describe(folder),  # checked at every open: see manifest.py
    }
    (folder / "meta.json").write_text(json.dumps(meta, indent=1))
    return meta

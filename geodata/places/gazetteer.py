"""The gazetteer: name lookups over the memory-mapped index.

Three lookups, from strict to lenient, each returning ``Hit``s (a place row and how
its name matched): ``exact`` (name keys equal), ``loose`` (romanisation variants
equal) and ``fuzzy`` (within two edits, scored by rapidfuzz). Ranking the hits
against hints and context is the geocoder's job, not this module's.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz.distance import DamerauLevenshtein

from geodata.places import cache, katottg, manifest
from geodata.places.build import FUZZY_MAX_LEN, KINDS, deletion_variants
from geodata.places.hashindex import HashIndex, StringTable, load_array
from geodata.places.normalize import loose_key, name_key
from geodata.places.sources import APPROXIMATE_TYPES, SETTLEMENT_TYPE, NameRank

EARTH_RADIUS_KM = 6371.0088
_RANKS = tuple(NameRank)


@dataclass(frozen=True, slots=True)
class Hit:
    row: int
    rank: NameRank
    similarity: float  # 1.0 unless fuzzy
    matched: str       # the index key that matched


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry as callers see it."""

    row: int
    id: str
    name: str
    kind: str          # place | site | region | country | district (a county, raion)
    type: str          # populated_place, oblast, port, cosmodrome, country ...
    country: str       # ISO 3166-1 alpha-2
    admin1: str | None  # name of the first-level region, when known
    admin1_code: str
    lat: float
    lon: float
    population: int
    radius_km: float
    coords_source: str


class Gazetteer:
    def __init__(self, folder: Path):
        """Open the index in ``folder``; DamagedIndex if it is not as its build left it."""
        self.folder = folder
        self.meta = manifest.check_folder(folder)
        try:
            self._load(folder)
        except (OSError, ValueError, EOFError) as exc:  # a file the manifest does not list
            raise manifest.DamagedIndex(f"unreadable ({exc})") from None
        self._types = self.meta["types"]
        # countries whose every settlement the index lists (Ukraine, from its codifier:
        # katottg.py), so that a name's namesakes in a province can be counted
        self.complete_countries = frozenset({katottg.COUNTRY} if SETTLEMENT_TYPE in self._types else ())
        self._approximate_types = [i for i, t in enumerate(self._types) if t in APPROXIMATE_TYPES]
        self._row_of_id: dict[str, int] | None = None
        self._towns_over: dict[int, np.ndarray] = {}

    def _load(self, folder: Path) -> None:
        load = lambda name: load_array(folder / f"{name}.npy")  # noqa: E731
        self.lat, self.lon = load("lat"), load("lon")
        self.population, self.radius_km = load("population"), load("radius_km")
        self.kind, self.type, self.country = load("kind"), load("type"), load("country")
        self.region = load("region")
        self.names = StringTable.load(folder, "names")
        self.ids = StringTable.load(folder, "ids")
        self.admin1 = StringTable.load(folder, "admin1")
        self.coords_source = StringTable.load(folder, "coords_source")
        self._exact = HashIndex.load(folder, "exact", ("row", "rank"))
        self._loose = HashIndex.load(folder, "loose", ("row", "rank"))
        self._fuzzy = HashIndex.load(folder, "fuzzy", ("key",))
        self._fuzzy_keys = StringTable.load(folder, "fuzzy_keys")
        places = self.meta["places"]
        if {len(a) for a in (self.lat, self.lon, self.population, self.radius_km, self.kind,
                             self.type, self.country, self.region)} != {places} or any(
                len(t) != places for t in (self.names, self.ids, self.admin1, self.coords_source)):
            raise manifest.DamagedIndex(f"meta.json: the arrays do not all hold {places} places")

    @classmethod
    def open(cls, cache_root: Path | None = None, rebuild: bool = False,
             verify: bool = False) -> Gazetteer:
        """Open the cached index, building it first if it is missing or stale, and
        rebuilding it (with a one-line notice on stderr) if it is damaged. ``verify``
        hashes every file as well (``index --verify``)."""
        folder = cache.index_folder(cache_root, rebuild=rebuild)
        try:
            if verify:
                manifest.check_folder(folder, full=True)
            return cls(folder)
        except manifest.DamagedIndex as exc:
            print(f"note: the gazetteer index in {folder} is damaged ({exc}); rebuilding it",
                  file=sys.stderr)
        return cls(cache.index_folder(cache_root, rebuild=True))

    def __len__(self) -> int:
        return len(self.lat)

    # -- lookups -----------------------------------------------------------------

    def _hits(self, index: HashIndex, key: str, matched: str) -> list[Hit]:
        start, stop = index.span(key)
        if start == stop:
            return []
        rows = index.columns["row"][start:stop].tolist()
        ranks = index.columns["rank"][start:stop].tolist()
        return [Hit(row, _RANKS[rank], 1.0, matched) for row, rank in zip(rows, ranks)]

    def exact(self, name: str) -> list[Hit]:
        key = name_key(name)
        return self._hits(self._exact, key, key) if key else []

    def loose(self, name: str) -> list[Hit]:
        key = loose_key(name)
        return self._hits(self._loose, key, key) if key else []

    def fuzzy(self, name: str, min_similarity: float = 0.8) -> list[Hit]:
        """Names within two edits of ``name`` and at least ``min_similarity`` alike
        (normalised Damerau-Levenshtein, so a swapped pair of letters is one edit)."""
        key = name_key(name)
        if len(key) < 5:  # too short: one edit makes another real name
            return []
        if len(key) > FUZZY_MAX_LEN + 1:  # shares no deletion variant with an indexed key; and
            return []  # the variants of a 100,000-letter "word" would take gigabytes
        owners = self._fuzzy.columns["key"]
        hits: list[Hit] = []
        for key_id in sorted({int(owners[i]) for i in self._fuzzy.spans(deletion_variants(key))}):
            candidate = self._fuzzy_keys[key_id]
            similarity = DamerauLevenshtein.normalized_similarity(key, candidate)
            if similarity >= min_similarity and candidate != key:
                hits += [
                    Hit(h.row, h.rank, similarity, candidate)
                    for h in self._hits(self._exact, candidate, candidate)
                ]
        return hits

    # -- places ------------------------------------------------------------------

    def place(self, row: int) -> Place:
        region = int(self.region[row])
        kind = KINDS[int(self.kind[row])]
        admin1 = self.names[region] if region >= 0 else None
        if kind == "region":
            admin1 = self.names[row]
        return Place(
            row=row, id=self.ids[row], name=self.names[row], kind=kind,
            type=self._types[int(self.type[row])], country=self.country[row].decode(),
            admin1=admin1, admin1_code=self.admin1[row], lat=float(self.lat[row]),
            lon=float(self.lon[row]), population=int(self.population[row]),
            radius_km=float(self.radius_km[row]), coords_source=self.coords_source[row],
        )

    def row_of(self, place_id: str) -> int | None:
        """Row of a gazetteer id such as 'geonames:703448' or 'site:vostochny-cosmodrome'."""
        if self._row_of_id is None:
            self._row_of_id = {self.ids[i]: i for i in range(len(self))}
        return self._row_of_id.get(place_id)

    def towns_over(self, population: int) -> np.ndarray:
        """Rows of the towns (kind "place") of more than this many people, remembered: a
        question about large cities near a point then measures thousands of rows, not
        the whole index."""
        if population not in self._towns_over:
            place = KINDS.index("place")
            self._towns_over[population] = np.flatnonzero((self.kind == place) & (self.population > population))
        return self._towns_over[population]

    def distances_km(self, lat: float, lon: float, rows: np.ndarray | None = None) -> np.ndarray:
        """Great-circle distances from a point to the given rows (all rows if None)."""
        la = np.radians(self.lat if rows is None else self.lat[rows])
        lo = np.radians(self.lon if rows is None else self.lon[rows])
        p, q = math.radians(lat), math.radians(lon)
        h = np.sin((la - p) / 2) ** 2 + math.cos(p) * np.cos(la) * np.sin((lo - q) / 2) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))

    def nearest(self, lat: float, lon: float, kinds: tuple[str, ...] = ("place", "site")) -> tuple[int, float]:
        """The place of the given kinds whose extent is nearest (a point inside Kyiv is
        Kyiv, not the district centre a few hundred metres closer) and its distance in km."""
        distances = self.distances_km(lat, lon)
        allowed = np.isin(self.kind, [KINDS.index(k) for k in kinds])
        # a village placed at its hromada's centre has no point of its own to be nearest by
        if self._approximate_types:
            allowed &= ~np.isin(self.type, self._approximate_types)
        reach = np.where(allowed, distances - self.radius_km, np.inf)
        row = int(np.argmin(reach))
        return row, float(distances[row])

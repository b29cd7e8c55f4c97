"""Opt-in online backend: OpenStreetMap Nominatim through geopy.

Never used unless asked for (``--backend nominatim``). Nominatim's usage policy is
followed: an identifying user agent is required, requests are spaced at least one
second apart (geopy's RateLimiter), and every answer is cached on disk so the same
query is never sent twice. With no network the error says so and names the offline
backend, which needs none.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
from pathlib import Path

from geopy.exc import GeocoderQueryError, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from geodata.errors import GeodataError
from geodata.places import cache as index_cache
from geodata.places.geocoder import Candidate, GeoPrecision
from geodata.places.query import QueryError, parse_query, validate

USER_AGENT_ENV = "GEODATA_USER_AGENT"
_PRECISION = {"country": GeoPrecision.COUNTRY, "state": GeoPrecision.REGION,
              "region": GeoPrecision.REGION, "province": GeoPrecision.REGION,
              "county": GeoPrecision.NEAR, "district": GeoPrecision.NEAR,
              "municipality": GeoPrecision.NEAR}


class OnlineGeocoderError(GeodataError):
    """The online service cannot be used: no user agent, no network, or it refused."""


class CachedNominatim:
    """Same ``candidates`` interface as ``OfflineGeocoder``, answered by Nominatim."""

    def __init__(self, user_agent: str | None = None, *, cache_path: Path | None = None,
                 min_delay_seconds: float = 1.0, timeout: float = 10, **nominatim_kwargs):
        user_agent = user_agent or os.environ.get(USER_AGENT_ENV)
        if not user_agent or "geopy" in user_agent.lower():
            raise OnlineGeocoderError(
                "Nominatim's usage policy requires an identifying user agent: pass "
                f"--user-agent or set {USER_AGENT_ENV}, e.g. 'nk-ru-map/1.0 (you@example.org)'")
        self._nominatim = Nominatim(user_agent=user_agent, timeout=timeout, **nominatim_kwargs)
        self._geocode = RateLimiter(self._nominatim.geocode, min_delay_seconds=min_delay_seconds,
                                    max_retries=0, swallow_exceptions=False)
        self.cache_path = cache_path or index_cache.cache_root() / "nominatim.sqlite"
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, raw TEXT NOT NULL)")
        self.requests_sent = 0

    def _db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.cache_path)

    def country_code(self, text: str) -> str:
        text = validate(text, "country")
        if len(text) != 2 or not text.isalpha():
            raise QueryError(f"country {text!r}: the Nominatim backend takes ISO 3166 alpha-2 "
                             "codes such as UA")
        return text.upper()

    def _fetch(self, query: str, country: str | None, limit: int) -> list[dict]:
        key = json.dumps([query, country, limit])
        with self._db() as db:
            row = db.execute("SELECT raw FROM answers WHERE key = ?", (key,)).fetchone()
        if row:
            return json.loads(row[0])
        try:
            found = self._geocode(query, exactly_one=False, limit=limit, addressdetails=True,
                                  country_codes=country and country.lower(), language="en")
        except GeocoderQueryError as exc:
            raise QueryError(f"Nominatim rejected {query!r}: {exc}") from exc
        except GeopyError as exc:
            raise OnlineGeocoderError(
                f"Nominatim is unreachable ({type(exc).__name__}: {exc}). No network? The "
                "default offline backend needs none: drop --backend nominatim") from exc
        finally:
            self.requests_sent += 1
        raw = [location.raw for location in found or []]
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?)", (key, json.dumps(raw)))
        return raw

    def candidates(self, query: str, *, country: str | None = None, admin1: str | None = None,
                   context=(), limit: int = 5) -> list[Candidate]:
        """``context`` is accepted for interface parity; Nominatim cannot use it. A
        province is sent as part of the query, and answers outside it are dropped."""
        text = parse_query(query).text
        code = self.country_code(country) if country else None
        asked = f"{text}, {admin1}" if admin1 else text
        found = [_candidate(text, raw) for raw in self._fetch(asked, code, limit)]
        if admin1:
            wanted = admin1.casefold()
            found = [c for c in found if c.admin1 and (wanted in c.admin1.casefold()
                                                       or c.admin1.casefold() in wanted)]
        return found


def _candidate(query: str, raw: dict) -> Candidate:
    address = raw.get("address", {})
    kind = raw.get("addresstype") or raw.get("type") or ""
    south, north, west, east = (float(v) for v in raw.get("boundingbox", [0, 0, 0, 0]))
    half_diagonal = math.hypot((north - south) * 111.0,
                               (east - west) * 111.0 * math.cos(math.radians(float(raw["lat"])))) / 2
    return Candidate(
        query=query, name=raw.get("name") or raw.get("display_name", "").split(",")[0],
        lat=float(raw["lat"]), lon=float(raw["lon"]),
        country=str(address.get("country_code", "")).upper(), admin1=address.get("state"),
        feature_type=kind, precision=_PRECISION.get(kind, GeoPrecision.TOWN),
        score=float(raw.get("importance") or 0.5), radius_km=max(half_diagonal, 1.0),
        match="online", matched=query, id=f"osm:{raw.get('osm_type')}/{raw.get('osm_id')}",
        population=int(address.get("population", 0) or 0),
        coords_source="OpenStreetMap Nominatim (ODbL)",
    )

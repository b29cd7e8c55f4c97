"""Synthetic events for scale work (benchmarks, the dashboard at 10^5–10^6 events).

Deterministic for a seed, spread over the places this subject is about, and marked as
synthetic in every title and source so they can never pass for real reports."""

from __future__ import annotations

import random
from datetime import date, timedelta

from geodata import systems
from geodata.events.catalogue import Catalogue
from geodata.events.model import ROUTE_KINDS, Event, Kind, Source, Status

# (name, lat, lon, country, admin1) of places real reports name.
ANCHORS = (
    ("Kharkiv", 49.982, 36.255, "UA", "Kharkiv Oblast"), ("Kyiv", 50.455, 30.524, "UA", "Kyiv"),
    ("Zaporizhzhia", 47.848, 35.118, "UA", "Zaporizhzhia Oblast"),
    ("Odesa", 46.477, 30.733, "UA", "Odesa Oblast"), ("Dnipro", 48.467, 35.040, "UA", "Dnipropetrovsk Oblast"),
    ("Kramatorsk", 48.723, 37.556, "UA", "Donetsk Oblast"), ("Sumy", 50.921, 34.800, "UA", "Sumy Oblast"),
    ("Belgorod", 50.598, 36.586, "RU", "Belgorod Oblast"), ("Kursk", 51.727, 36.185, "RU", "Kursk Oblast"),
    ("Voronezh", 51.672, 39.184, "RU", "Voronezh Oblast"), ("Vostochny port", 42.733, 133.067, "RU", "Primorsky Krai"),
    ("Rajin", 42.256, 130.298, "KP", "Rason"), ("Nampo", 38.738, 125.408, "KP", "Nampo"),
    ("Pyongyang", 39.034, 125.755, "KP", "Pyongyang"),
)
_KINDS = (Kind.STRIKE,) * 12 + (Kind.TRANSFER,) * 3 + (
    Kind.LAUNCH_SITE, Kind.DEPLOYMENT, Kind.INCIDENT, Kind.MEETING, Kind.AGREEMENT, Kind.TEST,
    Kind.PRODUCTION)
_START, _DAYS = date(2022, 2, 24), 365 * 4 + 250


def _place(rng: random.Random, anchors=ANCHORS) -> dict:
    name, lat, lon, country, admin1 = rng.choice(anchors)
    precision = rng.choices((1, 2, 3, 4), weights=(70, 15, 10, 5))[0]
    spread = 0.02 if precision == 1 else 0.3
    return {"name": f"near {name}" if precision == 2 else name,
            "lat": round(lat + rng.gauss(0, spread), 5), "lon": round(lon + rng.gauss(0, spread), 5),
            "country": country, "admin1": admin1, "geo_precision": precision,
            "radius_km": {1: 5.0, 2: 30.0, 3: 120.0, 4: 400.0}[precision]}


def synthetic_catalogue(count: int, seed: int = 0, sources: int = 20) -> Catalogue:
    rng = random.Random(seed)
    system_ids = [s.id for s in systems.catalogue()]
    catalogue = Catalogue({
        f"synthetic-{i}": Source(id=f"synthetic-{i}", publisher=f"Synthetic Wire {i}",
                                 title=f"Synthetic report {i}", published=_START + timedelta(days=30 * i))
        for i in range(sources)})
    source_ids = list(catalogue.sources)
    korea = [a for a in ANCHORS if a[3] == "KP"]
    russia = [a for a in ANCHORS if a[3] == "RU"]
    for i in range(count):
        kind = rng.choice(_KINDS)
        day = _START + timedelta(days=rng.randrange(_DAYS))
        record = {
            "id": f"synthetic-{i:07d}", "kind": kind.value, "title": f"Synthetic {kind.value} {i}",
            "date_start": day, "date_end": day, "date_precision": "day",
            "systems": rng.sample(system_ids, rng.choice((0, 1, 1, 2))),
            "status": rng.choice(list(Status)).value,
            "sources": [{"id": s, "evidence": "synthetic"} for s in rng.sample(source_ids, rng.choice((1, 1, 2)))],
        }
        if kind in ROUTE_KINDS:
            record["origin"] = _place(rng, korea)
            record["destination"] = _place(rng, russia)
            record["quantities"] = [{"value": rng.randrange(1, 5000), "unit": "items"}]
        else:
            record["place"] = _place(rng)
        catalogue.events.append(Event.model_validate(record))
    return catalogue

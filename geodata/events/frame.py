"""Events as a GeoDataFrame in EPSG:4326: one row per event, points for located events,
geodesic (Multi)LineStrings for routes, precision and uncertainty radius on every row."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.events.model import Source
from geodata.io.geojson import PROPERTIES, feature_properties, source_summaries
from geodata.store import EventRow

log = logging.getLogger(__name__)

NESTED = ("systems", "system_ids", "countries", "sources", "place", "origin", "destination",
          "quantities", "casualties", "attribution", "discrepancies", "links")


def to_geodataframe(rows: Iterable[EventRow], sources: dict[str, Source], *,
                    flat: bool = False) -> gpd.GeoDataFrame:
    """``flat=True`` turns list and object columns into JSON text, as file formats
    without nested types (GeoPackage, Shapefile, CSV) need. A row whose geometry does
    not parse is left out and logged (the store skips rows that do not validate)."""
    summaries = source_summaries(sources)
    records, geometries = [], []
    for row in rows:
        records.append(feature_properties(json.loads(row.data), summaries))
        geometries.append(row.geometry)
    frame = pd.DataFrame.from_records(records, columns=PROPERTIES)
    if flat and len(frame):
        for column in NESTED:
            frame[column] = [json.dumps(v, ensure_ascii=False) if v is not None else None
                             for v in frame[column]]
    for column in ("date_start", "date_end"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column])
    given = np.array(geometries, dtype=object)
    shapes = shapely.from_geojson(given, on_invalid="ignore")
    broken = np.flatnonzero(np.not_equal(given, None) & shapely.is_missing(shapes))
    if len(broken):  # the store checks a geometry's ends only: a damaged middle is found here
        for i in broken:
            log.warning("skipped event %s: its stored geometry does not parse; run `python -m "
                        "geodata check` to list every such row", frame["id"].iloc[i])
        keep = np.ones(len(frame), dtype=bool)
        keep[broken] = False
        frame, shapes = frame[keep].reset_index(drop=True), shapes[keep]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapes, crs="EPSG:4326"), crs="EPSG:4326")

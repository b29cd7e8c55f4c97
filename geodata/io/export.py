"""Export the filtered catalogue to a file: GeoJSON, CSV, GeoPackage, KML (Google Earth)
or GeoParquet (the flat GeoPackage's columns, for pandas, DuckDB and QGIS).

The file is written under a temporary name and renamed when complete: a failed export
never leaves a truncated file where a user expects one. The target is never the store
(nor its journal), under any spelling or link: geodata.atomic refuses it."""

from __future__ import annotations

import io
from pathlib import Path

from geodata.atomic import replaced_on_success
from geodata.errors import GeodataError
from geodata.events.blur import blurred_rows
from geodata.events.filters import EventFilter
from geodata.io.geojson import write_features
from geodata.io.kml_export import write_kml
from geodata.io.table import write_csv
from geodata.store import Store

FORMATS = {".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".gpkg": "gpkg",
           ".kml": "kml", ".parquet": "parquet", ".geoparquet": "parquet"}


def format_for(path: Path, given: str | None) -> str:
    if given:
        return given
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise GeodataError(f"{path}: cannot tell the format from the extension; give "
                           "--format geojson, csv, gpkg, kml or parquet") from None


def geojson_text(store: Store, f: EventFilter, blur_km: float | None = None) -> str:
    """The GeoJSON export as text: what the dashboard's download button serves."""
    buffer = io.StringIO()
    write_features(blurred_rows(store.rows(f), blur_km), store.sources(), buffer)
    return buffer.getvalue()


def csv_text(store: Store, f: EventFilter, blur_km: float | None = None) -> str:
    buffer = io.StringIO()
    write_csv(blurred_rows(store.rows(f), blur_km), store.sources(), buffer)
    return buffer.getvalue()


def store_files(store: Store) -> list[Path]:
    """The store and SQLite's files beside it: what an export must never replace."""
    return store.files()


def export(store: Store, f: EventFilter, path: Path, fmt: str | None = None,
           blur_km: float | None = None) -> int:
    """Write the events matching ``f`` to ``path``, every place coarsened to a grid of
    ``blur_km`` when given (see geodata.events.blur); returns how many."""
    fmt = format_for(path, fmt)
    rows = lambda: blurred_rows(store.rows(f), blur_km)  # noqa: E731
    with replaced_on_success(path, protect=store_files(store)) as tmp:
        if fmt in ("gpkg", "parquet"):
            from geodata.events.frame import to_geodataframe

            frame = to_geodataframe(rows(), store.sources(), flat=True)
            if fmt == "parquet":  # GeoParquet: geometry as WKB with its CRS in the metadata
                frame.to_parquet(tmp, index=False)
                return len(frame)
            tmp.unlink()  # the GPKG driver creates its own file
            frame.to_file(tmp, driver="GPKG", layer="events", engine="pyogrio")
            return len(frame)
        writer = {"geojson": write_features, "csv": write_csv, "kml": write_kml}[fmt]
        with tmp.open("w", encoding="utf-8", newline="") as out:
            return writer(rows(), store.sources(), out)

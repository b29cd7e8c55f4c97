"""File formats, kept apart from the core (as geopandas keeps its io/): GeoJSON (export
and import), CSV and GeoPackage (export)."""

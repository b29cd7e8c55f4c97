"""Places: an offline gazetteer and geocoder for conflict-region names."""

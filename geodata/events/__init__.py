"""Events: the record, the seed catalogue, filters and GeoDataFrames."""

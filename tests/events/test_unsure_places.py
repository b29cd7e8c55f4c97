"""An unsure place stays honest from the geocoder to the map and the exports: an ambiguous
or fallback answer is an area (its precision and radius), said to be unsure, never a pin."""

import json

from geodata.events.catalogue import Catalogue, resolve_places
from geodata.events.mapview import map_view
from geodata.events.model import Event, Source
from geodata.io.export import geojson_text
from geodata.events.filters import EventFilter
from geodata.store import Store


def test_ambiguous_and_fallback_places_are_areas_on_the_map_and_in_exports(geocoder, tmp_path):
    source = Source(id="wire", publisher="Wire", title="Strikes", published="2024-05-02")
    events = [resolve_places(Event.model_validate({
        "id": event_id, "kind": "strike", "title": event_id, "date": "2024-05-01",
        "status": "reported", "place": {"name": name},
        "sources": [{"id": "wire", "evidence": "our note"}]}), geocoder)
        for event_id, name in (("strike-ivanivka", "Ivanivka, Kherson Oblast, Ukraine"),
                               ("strike-murom", "Murom, Belgorod Oblast, Russia"),
                               ("strike-kharkiv", "Kharkiv, Kharkiv Oblast, Ukraine"))]
    store = Store(tmp_path / "events.sqlite", seed=False)
    store.put(Catalogue({"wire": source}, events))

    drawn = {f["properties"]["id"]: f["properties"] for layer in map_view(store).layers.values()
             for f in layer}
    assert drawn["strike-kharkiv"]["gp"] == 1
    for unsure in ("strike-ivanivka", "strike-murom"):
        assert drawn[unsure]["gp"] == 3 and drawn[unsure]["r"] > 20  # drawn as an area
        assert "shown as" in drawn[unsure]["pl"]                      # and said to be unsure

    exported = {f["id"]: f["properties"] for f in json.loads(geojson_text(store, EventFilter()))["features"]}
    assert exported["strike-ivanivka"]["place"]["geo_status"] == "ambiguous"
    assert exported["strike-murom"]["place"]["geo_status"] == "fallback"
    assert "geo_status" not in exported["strike-kharkiv"]["place"]
    assert exported["strike-murom"]["geo_precision"] == 3

"""How each kind of event looks on the map, in the legend and in the timeline: defined
once in geodata.maps.style (the briefing maps draw with it too)."""

from geodata.maps.style import KINDS, LINK_COLOR, RING_COLOR  # noqa: F401

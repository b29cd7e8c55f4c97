"""The map's data as it is written into the page: the same data back, and nothing a
template parser or an HTML parser could read as its own syntax."""

import json
import random

from jinja2 import Template

from dashboard.mapping import EventLayer, base_map, script_json
from tests.dashboard.conftest import PAYLOADS

TEMPLATE_SYNTAX = ["{{citation needed}}", "Wire {#", "{%", "{{{", "{#}", "{%- raw %}", "}}{{", "\\{{", "{\\{",
                   "{}", "{{}}", "{ {", "%}{", "\u2028{#\u2029"]


def test_template_syntax_in_data_survives_a_second_template_parse():
    rng = random.Random(3)
    pieces = TEMPLATE_SYNTAX + PAYLOADS + ["{", "}", "%", "#", "\\", '"', "'", "<", "&", "x", "\ud800"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        value = {"t": text, "nested": [{"u": text}, {}], "n": 1}
        written = script_json(value)
        assert json.loads(written) == value
        assert Template(written).render() == written  # a second parse changes nothing
        assert not any(tag in written for tag in ("{{", "{%", "{#", "<", ">", "'"))


def test_an_event_layer_with_template_syntax_renders_in_a_map():
    m = base_map()
    layer = EventLayer([{"type": "Feature", "geometry": {"type": "Point", "coordinates": [30, 50]},
                         "properties": {"k": "strike", "t": "Strike on Kharkiv {{citation needed}} {#"}}])
    layer.add_to(m)
    page = m.get_root().render()  # the whole figure, as folium saves it
    assert "Strike on Kharkiv \\u007b{citation needed}} \\u007b#" in page

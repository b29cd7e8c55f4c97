"""Fuzz the GeoJSON import (bounded: a few seconds, seeded): mutations of a valid export
(type swaps, deletions, huge and non-finite numbers, deep nesting, unicode, template
and HTML payloads, broken bytes). Every outcome is either an import or one GeodataError
line naming the feature, field or file, never another exception; a refused import leaves
the store's revision and content as they were."""

import json
import random
import time

import pytest

from geodata.errors import GeodataError
from geodata.events.filters import EventFilter
from geodata.events.synthetic import synthetic_catalogue
from geodata.io.export import geojson_text
from geodata.io.importer import import_geojson
from geodata.store import Store

SECONDS = 4.0
VALUES = [None, True, False, 0, -1, 7, 2.5, 1e308, -1e308, "", "x", "49.98", "NaN", [], {},
          [1, 2], {"a": 1}, "2024-02-30", "strike", "synthetic-1", "{{ config }}", "{% raw %}",
          "{# c", "<script>alert(1)</script>", "=CMD|' /C calc'!A0", "\u202e\u0000\ud7ff\U0001f680",
          "é" * 400, "a" * 6000]
RAW = ["Infinity", "-Infinity", "NaN", "1e400", "-1e400", "1" + "0" * 5000, "[" * 3000 + "]" * 3000,
       '"\\ud800"', "1e-400", "-0", "0.0000000000000000000001", "true"]


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


def _set(root, path, value):
    node = root
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _delete(root, path):
    node = root
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]


MARK = "@@RAW@@"


def mutate(rng: random.Random, text: str) -> tuple[str, str]:
    """A mutated copy of ``text`` and what was done (for a failing test's message)."""
    choice = rng.random()
    if choice < 0.12:  # byte-level damage
        cut = rng.randrange(len(text))
        how = rng.choice(["truncate", "insert", "bom", "garbage"])
        if how == "truncate":
            return text[:cut], f"truncated at {cut}"
        if how == "insert":
            junk = rng.choice([",", "]", "}", "{", "\\", '"', "\x00", "\ufeff", "//"])
            return text[:cut] + junk + text[cut:], f"inserted {junk!r} at {cut}"
        if how == "bom":
            return "\ufeff" + text, "BOM"
        return text[:cut] + "\udcff" * 3 + text[cut:], "undecodable bytes"
    data = json.loads(text)
    paths = [p for p in _paths(data) if p]
    done = []
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(paths)
        try:
            if rng.random() < 0.2:
                _delete(data, path)
                done.append(f"deleted {path}")
            elif rng.random() < 0.25:
                raw = rng.choice(RAW)
                _set(data, path, MARK + raw)
                done.append(f"{path} = {raw[:20]}")
            else:
                value = rng.choice(VALUES)
                _set(data, path, value)
                done.append(f"{path} = {str(value)[:20]!r}")
        except (KeyError, IndexError, TypeError):
            continue  # the path went away with an earlier mutation
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
    out = json.dumps(data, ensure_ascii=rng.random() < 0.5)
    for raw in RAW:
        out = out.replace(json.dumps(MARK + raw), raw)
    return out, "; ".join(done)


def _state(store: Store):
    return store.revision(), store.sources(), [(r.id, r.geometry, r.data) for r in store.rows()]


@pytest.fixture
def fuzz_store(tmp_path):
    store = Store(tmp_path / "fuzz.sqlite", seed=False)
    store.put(synthetic_catalogue(12, seed=5))
    yield store
    store.close()


def test_import_fuzz_never_crashes_and_never_changes_the_store_when_refused(fuzz_store, tmp_path):
    valid = geojson_text(fuzz_store, EventFilter())
    rng = random.Random(20240102)
    path = tmp_path / "fuzz.geojson"
    deadline = time.monotonic() + SECONDS
    tried = refused = 0
    while time.monotonic() < deadline:
        text, how = mutate(rng, valid)
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        before = _state(fuzz_store)
        try:
            import_geojson(fuzz_store, path)
        except GeodataError as exc:
            message = str(exc)
            refused += 1
            assert "\n" not in message and message.strip(), how
            assert any(w in message for w in ("feature", str(path), "event ", "source ")), (how, message)
            assert _state(fuzz_store) == before, f"a refused import changed the store: {how}"
        except Exception as exc:  # noqa: BLE001 - the point of the test
            pytest.fail(f"{type(exc).__name__}: {exc} after: {how}")
        tried += 1
    assert tried >= 50 and refused >= tried // 3, (tried, refused)

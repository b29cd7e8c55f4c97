"""Turn a place name into the keys the gazetteer indexes.

Two keys per name:

* ``name_key`` folds what never distinguishes two places: case, diacritics, script
  (Харків and Kharkiv give the same key through transliteration), apostrophes and
  soft signs (Kup'yans'k, oblast'), hyphens and dashes, punctuation, extra spaces.
* ``loose_key`` also folds the romanisation systems of Cyrillic into one spelling
  (Svyatohirsk / Sviatohirsk, Zaporozhye / Zaporozhe, Vostochny / Vostochnyy), so that
  the spellings of one name from different transliteration tables meet.

Both are deterministic and pure, so the index built from them can be cached on disk.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Apostrophes, primes and soft/hard-sign stand-ins: dropped, never turned into a space.
_DROP = dict.fromkeys(map(ord, "'’‘ʼʹʻ`´′\"“”ьЬъЪ"), None)
_SEPARATORS = re.compile(r"[^a-z0-9]+")

# Applied in order to a name_key. Ukrainian/Russian romanisation tables disagree on
# these letters; folding them is safe because it only merges spellings of one sound.
_LOOSE_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"shch|sch", "s"),
        (r"kh|ch|h", "h"),
        (r"zh", "z"),
        (r"ts|tz|cz", "c"),
        (r"(?<=[aeiouy])(?:iy|yy|ij|yj|yi|ii|j)\b", "y"),  # -yy, -iy, -ij endings
        (r"[yj](?=[aeiou])|i(?=[aeou])", ""),               # ya/ia/ja -> a, yu/iu -> u
        (r"[yj]", "i"),
        (r"w", "v"),
        (r"(.)\1+", r"\1"),                                  # double letters
    )
)


@lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """Fold case, script, diacritics and punctuation: 'Kup'yans'k' -> 'kupyansk'."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_DROP)
        text = anyascii(text)
    else:
        text = text.translate(_DROP)
    return _SEPARATORS.sub(" ", text.lower()).strip()


@lru_cache(maxsize=65536)
def loose_key(text: str) -> str:
    """A coarser key that merges romanisation variants of one Cyrillic name."""
    key = name_key(text)
    for pattern, repl in _LOOSE_RULES:
        key = pattern.sub(repl, key)
    return key


def is_latin_or_cyrillic(text: str) -> bool:
    """True when every letter is Latin or Cyrillic: the scripts misspellings occur in."""
    for char in text:
        if char.isalpha() and not ("LATIN" in (n := unicodedata.name(char, "")) or "CYRILLIC" in n):
            return False
    return True

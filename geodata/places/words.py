"""Common English words: names that look like words need stronger evidence to be places."""

from __future__ import annotations

from functools import cache

# Words that say where in a country or region, not which place ("North Korea", "Eastern
# Province", "Central Asia").
COMPASS_WORDS = frozenset({"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western",
                           "Central"})
_COMPASS_LOWER = frozenset(w.lower() for w in COMPASS_WORDS)


@cache
def _dictionary() -> frozenset[str]:
    """Webster's Second (public domain, via the english-words package), as it spells
    each entry: proper names capitalised, common words in lower case."""
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2"], lower=False))


@cache
def english_words() -> frozenset[str]:
    """Every entry of the dictionary, lower case."""
    return frozenset(w.lower() for w in _dictionary())


def common_word(word: str) -> bool:
    """Whether a lower-case word is one of the dictionary's common words ("northern",
    "capital"): an entry it spells only in lower case, as opposed to proper names ("Texas",
    "Georgia"; "Michigan", also a card game in lower case), or a point of the compass
    ("South", "Eastern": several countries' provinces, which the dictionary also spells as
    names). Asked per word: building the set of all of them would cost a report's
    extraction time on every first use in a process."""
    dictionary = _dictionary()
    return word.islower() and word in dictionary and (word.capitalize() not in dictionary
                                                      or word in _COMPASS_LOWER)


def common_words_only(name: str) -> bool:
    """Whether a name of several words is made of common words only ("White House",
    "Green Bay"): a town may bear it, but English text as often means a building or an
    institution by it."""
    words = name.lower().split()
    return len(words) > 1 and all(common_word(w) for w in words)


def in_dictionary(word: str) -> bool:
    """Whether a lower-case word or the word it inflects ("missiles", "visited", "crossing")
    is a dictionary entry (the dictionary lists headwords only)."""
    known = english_words()
    return word in known or any(word.endswith(end) and word[:-len(end)] + tail in known
                                for end, tail in (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"),
                                                  ("ing", ""), ("ing", "e"), ("ies", "y"), ("ied", "y")))

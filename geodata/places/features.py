"""Feature words: the part of a place name that says what kind of place it is.

"Kursk region", "Kurskaya oblast'", "port of Vostochny", "Vostochny spaceport" and
"Tumangang-Khasan rail crossing" each pair a base name with a word for a kind of
feature. The builder strips these words to index base names of regions and sites;
the query parser strips them to learn what kind of place the user means.

All words are written as ``name_key`` leaves them (lower case ASCII, single spaces).
"""

from __future__ import annotations

import os
import re

from geodata.places.normalize import loose_key

# Families of feature types. A site's ``type`` in sites.yaml maps to one family.
REGION = "region"
COUNTRY = "country"
FAMILY_OF_TYPE: dict[str, str] = {
    "cosmodrome": "cosmodrome",
    "launch_site": "cosmodrome",
    "port": "port",
    "shipyard": "port",
    "rail_crossing": "rail",
    "rail_station": "rail",
    "bridge": "rail",
    "border_crossing": "rail",
    "airbase": "airbase",
    "airport": "airbase",
    "military_base": "base",
    "factory": "factory",
    "area": REGION,
}

# word (as name_key writes it) -> family; longest words are tried first.
_WORDS: dict[str, str] = {
    # regions (English, romanised Russian/Ukrainian, Cyrillic through anyascii)
    "oblast": REGION, "oblasti": REGION, "region": REGION, "regions": REGION,
    "province": REGION, "provinces": REGION, "krai": REGION, "kray": REGION,
    "territory": REGION, "republic": REGION,
    "autonomous okrug": REGION, "autonomous oblast": REGION, "autonomous republic": REGION,
    "okrug": REGION, "governorate": REGION, "prefecture": REGION, "district": REGION,
    "area": REGION, "respublika": REGION, "avtonomnyi okrug": REGION,
    # a front's sector named after a town ("the Kursk direction", "the Pokrovsk axis"): an area
    "direction": REGION, "axis": REGION, "sector": REGION, "front": REGION,
    # the land along a border named after its province ("the Kursk border region")
    "border region": REGION, "border regions": REGION, "border area": REGION, "border areas": REGION,
    "frontier region": REGION,
    "obl": REGION, "kraj": REGION,
    # sites
    "cosmodrome": "cosmodrome", "spaceport": "cosmodrome", "space centre": "cosmodrome",
    "space center": "cosmodrome", "launch site": "cosmodrome",
    "satellite launching station": "cosmodrome", "satellite launching ground": "cosmodrome",
    "kosmodrom": "cosmodrome",
    "port": "port", "seaport": "port", "sea port": "port", "harbour": "port",
    "harbor": "port", "naval base": "port", "naval pier": "port",
    "military port": "port", "terminal": "port", "shipyard": "port",
    "rail crossing": "rail", "railway crossing": "rail", "rail bridge": "rail",
    "railway bridge": "rail", "border crossing": "rail", "crossing": "rail",
    "railway station": "rail", "rail station": "rail", "train station": "rail",
    "station": "rail", "bridge": "rail", "rail link": "rail",
    "airbase": "airbase", "air base": "airbase", "airfield": "airbase",
    "airport": "airbase", "aerodrome": "airbase", "air field": "airbase",
    "plant": "factory", "factory": "factory",
}
_WORD_ALT = "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True))
# "the Kursk region", "Kursk region", "port of Rajin", "Republic of Crimea".
_SUFFIX = re.compile(rf"^(?:the )?(?P<base>.+?) (?P<word>{_WORD_ALT})$")
_PREFIX = re.compile(rf"^(?:the )?(?P<word>{_WORD_ALT})(?: of)? (?P<base>.+)$")


def family_of_word(key: str) -> str | None:
    """The family a bare feature word names ("cosmodrome" -> "cosmodrome"), else None."""
    return _WORDS.get(key)


def split_feature(key: str) -> tuple[str, str | None]:
    """Split a name_key into (base name, feature family); family is None if no word.

    >>> split_feature("kurskaya oblast")
    ('kurskaya', 'region')
    >>> split_feature("port of rajin")
    ('rajin', 'port')
    """
    for pattern in (_SUFFIX, _PREFIX):
        match = pattern.match(key)
        if match:
            return match["base"], _WORDS[match["word"]]
    return key, None


# A district named after its town by a Slavic adjective ("Belgorodsky District",
# "Oleshkivskyi raion", "Kramatorskyi Raion"): the word, the adjective's endings, and how
# much of the town's name (loose keys) the adjective's stem must share.
_DISTRICT_WORD = re.compile(r"^(?P<adjective>.+?) (?:district|raion|rayon|r n)$")
_ADJECTIVE_ENDING = re.compile(r"(?:s[kc](?:yi|yy|iy|ii|ij|y|i|oy|oi|aya|a|e))$")
DISTRICT_STEM_MIN = 4
# Such a district (a raion, often merged into larger ones since 2020) reaches this far
# from the town it is named after, which need not be its centre.
NAMED_DISTRICT_RADIUS_KM = 50.0
# the words a district named after its town is called by in English news
DISTRICT_WORDS = ("District", "Raion", "Rayon")


def district_stem(key: str) -> str | None:
    """The stem (a loose key) of the adjective a district's name_key is made of
    ("kramatorskyi raion" -> "kramator"), or None when it is no such name (a bare
    adjective is as often a village's own name)."""
    match = _DISTRICT_WORD.match(key)
    if not match:
        return None
    adjective = match["adjective"]
    stem = loose_key(_ADJECTIVE_ENDING.sub("", adjective))
    if stem == loose_key(adjective) or len(stem) < DISTRICT_STEM_MIN:
        return None
    return stem


def stem_spells(stem: str, town: str) -> bool:
    """Whether a district adjective's stem spells this town's loose key, give or take
    the letters Slavic endings change ("kramator" / "kramatorsk", "oleshkiv" / "oleshky")."""
    shared = len(os.path.commonprefix([stem, town]))
    return shared >= DISTRICT_STEM_MIN and shared >= len(town) - 2 and shared >= len(stem) - 3

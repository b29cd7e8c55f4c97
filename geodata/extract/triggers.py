"""Which kinds of event a sentence can report: the trigger phrases of each kind.

A kind's full pattern (strike verbs, "fired ... from", "sent ... troops", "shipped",
"met", "signed", "made in" ...) is tried only where one of the words it needs begins, found
by one scan of the folded text; a sentence without those words is never searched for
that kind. ``sentence_triggers`` gives exactly what a full scan of every pattern would.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from geodata.events.model import Kind
from geodata.extract.candidate import PRINCIPAL_NAME
from geodata.extract.text import finditer_at, fold, folded_text, words

# North Korea as the subject that fires or launches ("the North": Korea-desk usage)
NORTH_KOREA_ACTS = r"(?:North Korea|DPRK|Pyongyang|(?-i:[Tt]he North))"
TROOPS = (r"troops|soldiers|servicemen|specialists|personnel|engineers|officers|workers|units?|"
           r"contingent|crews|advisers|advisors|instructors|labou?rers|reinforcements|battalions?|brigades?|"
           # ("the KPA's 11th Corps were deployed"; "thousands of North Koreans have been fighting")
           r"(?<!press )(?<!diplomatic )(?<!consular )corps|divisions?|regiments?|North\s+Koreans|"
           r"special\s+forces|mercenaries|troop(?=\s+(?:dispatch|deployment))|sappers|deminers|artillerymen|"
           # ("North Korean forces"; not "Russian forces", the war's daily course)
           r"(?<!south korean )(?<=korean )forces|(?<=dprk )forces|(?<=kpa )forces|(?<=korea['’]s )forces|"
           r"(?<=military )builders")
_MOVES = (r"sent|sending|send|deployed|deploying|dispatched|dispatch|deployments?|arrived|arrive|arrives|arriving|"
          r"reached|stationed|moved|shipped|"
          r"ferried|airlifted|"
          r"transferred|flown|carried|spent|entered|fight|fighting|transported|based|"
          # combat says where troops are: "troops captured a village in X", "fought in X"
          r"fought|battled|battling|seized|seizing|captured|capturing|stormed|storming|recaptured|retook|"
          r"liberated|repelled|advanced|engaged|joined|joining|"
          # where troops serve or train is where they were sent: "crews operating in X"
          r"operating|operate|serving|serve|trained|training|assaults?|assaulted|attacking|"
          # seen there, or taking part in its fighting: "crews were spotted near Sudzha",
          # "soldiers took part in the battle for Sudzha", "praised for their role in liberating Kursk"
          r"spotted|seen|observed|sighted|role|"
          r"(?:(?:took|taking|take|takes|taken)\s+part|participat(?:ed|ing|es?))\s+in\s+"
          r"(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:fighting|battles?|assaults?|attacks?|combat|offensives?|operations?|"
          r"counter-?offensives?|raids?|storming|liberation|recapture|defen[cs]e)")
# "In addition to soldiers, North Korea has shipped ...": troops named only beside what moved
_BESIDES = r"(?<!addition to )(?<!besides )(?<!apart from )(?<!on top of )(?<!as well as )(?<!alongside )"
KIND_PATTERNS: list[tuple[Kind, re.Pattern]] = [
    (Kind.INCIDENT, re.compile(
        r"friendly[- ]fire|blew up (?:its|their) own|\bmistak(?:en(?:ly)?|ing)\b|\bexploded\b(?:\s+[\w-]+){0,2}?"
        r"\s+(?:in (?:the )?(?:air|mid-?air|flight)|mid-?air|over|shortly|soon|"
        # (a missile's failure "after launch", not a depot that "exploded after a drone attack")
        r"after (?:its |their |the )?(?:launch|take-?off|lift-?off|being (?:fired|launched)|firing))|\bfell short\b|"
        r"\bmalfunction\w*|\bdeviated from|\btumbl\w+ (?:out of|from) the sky|\bcrashed (?:shortly )?after|"
        # a missile that came down whole: "crashed in a field ... without exploding"
        r"\b(?:crashed|fell|landed)\b[^.;]{0,60}?\bwithout (?:exploding|detonating)\b|"
        r"\blost control\b|"
        r"\bexploded in (?:the|its) (?:barrel|launcher|tube)\b", re.I)),
    (Kind.LAUNCH_SITE, re.compile(
        r"\b(?:fired|launched|launching|firing|launch(?:es)?|(?:took|take|takes|taking) off)\b[^.;]{0,80}?\bfrom\b|"
        r"\blaunch (?:sites?|areas?|positions?|points?)\b|\blaunchers?\s+(?:near|in|at|around)\b|"
        r"\blaunchers?\b[^.;]{0,40}?\b(?:sat|located|positioned|"
        r"based|stationed|deployed|(?:were|was)(?!\s+(?:\w+ly\s+)?(?:transported|shipped|moved|carried|sent|"
        r"delivered|loaded|unloaded|seen|spotted)\b))\b|\bafter (?:its |their )?(?:launch|take-?off|lift-?off)\b|"
        r"\blocations where\b[^.]{0,80}\b(?:fired|launched)", re.I)),
    (Kind.STRIKE, re.compile(
        r"\b(?:struck|strikes?|striking|hit|hitting|attacked|attacks?(?!\s+(?:drones?|UAVs?|assets|helicopters?|aircraft|"
        r"submarines?|means|weapons))|shelled|shelling|bombard\w*|slammed|targeted|"
        r"targeting|"
        r"barrage|impacts?|landed|volley|salvo|"
        r"shot down|shoot(?:s|ing)? down|intercepted|downed)\b|"
        r"\b(?:fired|fires|firing|launched|launches|launching|aimed)\b[^.;]{0,60}?"
        r"\b(?:at(?!\s+(?:about\s+|around\s+)?\d)|against|into(?!\s+(?:orbit|space|the\s+sea|the\s+ocean|waters)))\b|"
        r"\b(?:used|using|uses)\b[^.;]{0,60}?\bagainst\b|\b(?:had|has|have)\s+used\b(?=[^.;]{0,40}?\bmissiles?\b)|"
        r"\b(?:missiles?|rockets?|debris|fragments?|drones?|shells?|warheads?|KN-?2\d\w*|Hwasong-?\d+\w*)"
        r"(?:\s+of\s+(?:a|an|the|this|that|its)(?:\s+[\w-]+){1,3})?(?:\s+(?:had|has|have))?\s+"
        r"(?:c[ao]me down|fell (?:on|in|near|into))\b|"
        r"\b(?:debris|fragments?|remnants?|wreckage)\b[^.;]{0,40}?\b(?:were|was|been)\s+"
        r"(?:recovered|found|collected)\s+(?:in|at|near)\b|\bfired on\b|\b(?:under|incoming|enemy|russian|artillery)\s+fire\b", re.I)),
    (Kind.DEPLOYMENT, re.compile(
        # (a noun is no verb: "workers to rebuild what the fighting destroyed")
        rf"{_BESIDES}\b(?:{TROOPS})\b[^.;]{{0,80}}?(?<!\bthe )\b(?:{_MOVES})\b|"
        # troops told where they are: "12,000 North Korean troops were in Kursk", "North Korea has
        # 11,000 troops in Russia's Kursk region"
        # (North Korea's only: Ukraine's troops in Sudzha, Russia's in Ukraine are the war's course)
        rf"(?:(?<=Korean )|(?<=DPRK )|(?<=KPA )|(?<=Korea['’]s ))(?:{TROOPS})\s+"
        rf"(?:were|are|remain(?:ed|s)?|have\s+been|"
        rf"had\s+been)\s+(?:(?:already|still|now|reportedly)\s+)?(?=in(?:side)?\s)|"
        rf"(?:(?<=Korea )|(?<=Pyongyang )|(?<=DPRK ))(?:has|had)\s+(?:(?:about|around|some|roughly|nearly|"
        rf"an\s+estimated|more\s+than|over)\s+)?[\d,]+\s+(?:[\w-]+\s+)?(?:{TROOPS})\s+(?=in(?:side)?\s)|"
        rf"\b(?:send|sends|deploy|deploys|sent|sending|deployed|deploying|dispatched|dispatches|"
        rf"deployments?|dispatch|presence|involvement|participation)\b"
        rf"[^.;]{{0,60}}?\b(?:{TROOPS})\b", re.I)),
    (Kind.TRANSFER, re.compile(
        r"\b(?:supplied|supplies|supplying|delivered|delivers|deliver(?:y|ies|ing)|shipped|shipments?|shipping|"
        r"sent|sends|provided(?!\s+for\b)|providing(?!\s+for\b)|"
        r"sending|transferred|transfers?|received|receive|exported|handed over|acquired|"
        r"obtained|loaded|loading|unloaded|unloading|offloaded|offloading|discharg(?:ed|ing)(?!\s+from\b)|called at|"
        r"sailed|taken(?: by \w+)? to|moved|moving|transported|"
        # ("took on containers at Rajin": loaded)
        r"(?:took|taking|takes|take)\s+on(?=\s+(?:[\w-]+\s+){0,3}?(?:containers?|cargo|crates|shells|ammunition|"
        r"munitions|fuel|oil|diesel|coal|weapons)\b)|"
        r"arrived|arriving|arrives|reached|bound for|returned(?=\s+to\b)|"
        r"(?<=was )back(?=\s+(?:at|in)\b)|(?<=were )back(?=\s+(?:at|in)\b)|"
        r"went(?=\s+(?:on\s+)?(?:by\s+\w+\s+)?(?:to|from|via|across|through|by)\b)|"
        r"departed|departing|gave|given|giving|imported|importing|flow(?:ed|ing)|flows(?=\s+(?:to|into|from)\b)|"
        r"carrying(?! out)|carried|carr(?:y|ies)(?=\s+(?:[\w-]+\s+){0,3}?(?:from|to|into|across)\b)|"
        r"handed|handing|crossed|crossing|berthed|moored|docked|reappeared|"
        r"(?:round )?trips|voyages?|port calls?|travell?ed|railed|shuttl(?:es?|ed|ing)|"
        # ("the vessel then made the short run up the coast to Dunai")
        r"made\s+(?:the|a|its)\s+(?:[\w-]+\s+){0,2}?(?:run|journey)(?=\s+(?:[\w-]+\s+){0,4}?(?:to|from)\b)|"
        # aircraft, not a missile's "flight to Kyiv" nor "missiles flew toward Kharkiv"
        r"(?:cargo|transport|charter|freight|supply)\s+flights?|flights|"
        r"(?:aircraft|planes?|Il-\d+s?|An-\d+s?)\s+(?:[\w-]+\s+){0,2}?flew|"
        r"(?:rail|freight|cargo)\s+traffic)\b|\bleft\s+(?:from\b|the\s+(?:port|harbou?r|pier|berth|terminal|"
        r"station|yard)\b|(?-i:[A-Z]))", re.I)),
    (Kind.AGREEMENT, re.compile(r"\b(?:signed|signing|treaty|pact|agreement|agreed|accord|"
                                r"ratif(?:y|ied|ies|ying|ication))\b", re.I)),
    (Kind.MEETING, re.compile(r"\b(?:(?:met|meet(?:ing|s)?)"
                               # (not "to meet Russian demand", "met its targets")
                               r"(?!\s+(?:[\w-]+\s+){0,2}?(?:demand|needs|requirements?|targets?|quotas?|deadlines?|"
                               r"standards?|criteria|expectations|obligations|goals?|orders?|requests?|commitments?|"
                               r"contracts?|shortfalls?|shortages?)\b)|"
                               r"summit|talks|visit(?:ed|s)?|hosted|hosting|inspect(?:ed|s)|tour(?:ed|s)|"
                               r"(?:was|were)\s+(?:(?!not\b|never\b)[a-z]+\s+){0,2}?received\s+by|"
                               r"sat\s+down\s+with|discussed|"
                               r"(?:arrive[ds]|land(?:ed|s)|flew|flies|travell?(?:ed|s))\s+(?:in|at|to)|"
                               # "his first trip to North Korea", "received Defence Minister Shoigu"
                               r"(?:his|her|their|first|second|third|official|state|rare|working)\s+"
                               r"(?!round\b)(?:[\w-]+\s+)?trip|(?<=['’]s )trip|"  # ("Shoigu's trip")
                               r"(?:receive[ds]|welcome[ds]|greet(?:ed|s))\s+(?:the\s+|an?\s+)?(?:visiting\s+)?"
                               r"(?!(?:(?:North|South)\s+Korean|Russian|Ukrainian|Chinese|Iranian|Belarusian)"
                               r"\s+(?!(?:officials|delegations?|delegates|diplomats)\b)(?-i:[a-z]))"
                               r"(?:(?-i:[A-Z])[\w'’-]+\s+(?:top\s+|chief\s+|senior\s+)?){0,3}?"
                               r"(?:President|(?:Prime\s+)?Minister|Secretary|delegation|envoy|counterpart|leader|"
                               r"diplomat|officials|delegates|"
                               r"(?-i:[A-Z])[\w-]+\s+(?-i:[A-Z])[\w-]+)|"
                               r"(?:welcome[ds]|greet(?:ed|s))\s+(?:the\s+)?(?-i:[A-Z])[\w-]+|"
                               # "Kim received Lavrov in Wonsan": a leader named alone (not "received
                               # Kremlin approval")
                               rf"receive[ds]\s+(?!Kremlin|Duma|State\s+Duma|Federation|Supreme){PRINCIPAL_NAME})\b",
                              re.I)),
    (Kind.TEST, re.compile(r"\b(?:test[- ]?(?:launch(?:ed|es|ing)?|fir(?:e|ed|es|ing)|flights?)|"
                           r"tests?\s+of|testing\s+of|"
                           # ("conducted an ICBM launch")
                           r"(?:ICBM|SRBM|IRBM|ballistic[- ]missile)\s+launch(?:es)?|"
                           # ("successfully tested a multiple-warhead missile")
                           r"tested(?=\s+(?:[\w-]+\s+){0,4}?(?:missiles?|ICBMs?|SRBMs?|IRBMs?|rockets?|engines?|"
                           r"warheads?|launchers?|drones?|weapons?)\b)|"
                           r"launch(?:ed|es|ing)?\s+(?:a|an|its|the|another)\s+(?:[\w-]+\s+){0,3}?satellite|"
                           r"satellite launch|launch attempt|(?:lifted|blasted) off|"
                           r"(?:placed|put) (?:a |its |the )?[\w -]{0,40}?satellite"
                           r"(?:,[^,.;]{1,40},)? (?:in|into) orbit|launch(?:es|ed)? from (?:the )?[\w ]{0,40}?(?:launching station|"
                           r"launch site|test site)|"
                           # North Korea's launch into the sea ("North Korea fired two missiles into the East
                           # Sea", "off its east coast"; not "a missile fired by Russia fell into the Black Sea")
                           rf"{NORTH_KOREA_ACTS}(?:['’]s\s+(?:military|army))?\s+"
                           r"(?:[\w-]+\s+){0,3}?"
                           r"(?:fired|fires|launched|launches)\b[^.;]{0,80}?\b(?:into|toward|towards|over|off)\s+"
                           r"(?:the\s+|its\s+)?(?:[\w-]+\s+){0,2}?(?:sea|waters|coast))\b", re.I)),
    # ("made in X" first: it says only where a weapon comes from; see point_events)
    # (not "equipment for producing ballistic missiles": what it is for)
    (Kind.PRODUCTION, re.compile(r"\b(?:(?:made|produced|manufactured|assembled|built) in|produced|"
                                 r"(?<!for )producing|produces|production|"
                                 r"manufactur\w+|factory|factories|plant|assembled)\b", re.I)),
]
# Words without which a kind's pattern cannot match: one fast scan of the lower-cased
# text finds the sentences worth trying each (full) pattern on.
_STEMS: dict[Kind, tuple[str, ...]] = {
    Kind.INCIDENT: ("friendly", "blew up", "mistak", "exploded", "fell short", "malfunction", "deviated",
                    "tumbl", "crashed", "without exploding", "without detonating", "lost control"),
    Kind.LAUNCH_SITE: ("fired", "firing", "launch", "take-off", "takeoff", "lift-off", "liftoff", "locations where",
                       "took off", "take off", "takes off", "taking off"),
    Kind.STRIKE: ("struck", "strike", "striking", "hit", "attack", "shell", "bombard", "slammed", "targeted",
                  "targeting", "barrage",
                  "impact", "landed", "volley", "salvo", "fired", "firing", "launch", "aimed", "fire", "shot down",
                  "used", "using", "uses",
                  "intercepted", "downed", "shoot", "missile", "rocket", "debris", "fragment", "drone", "shell",
                  "warhead",
                  "kn-2", "kn2", "hwasong"),
    # (each _MOVES word follows one of the DEPLOYMENT stems)
    Kind.DEPLOYMENT: ("troops", "soldiers", "servicemen", "specialists", "personnel", "engineers", "officers",
                      "workers", "unit", "contingent", "crews", "advisers", "advisors", "instructors", "labourers",
                      "laborers", "reinforcements", "battalion", "brigade", "corps", "division", "regiment",
                      "north koreans", "special forces", "mercenaries", "troop", "sappers", "deminers",
                      "artillerymen", "forces", "builders"),
    Kind.TRANSFER: ("suppl", "deliver", "shipped", "shipment", "shipping", "sent", "sends", "sending", "transferred",
                    "transfer", "provid", "receive", "exported", "handed over", "acquired", "obtained", "loaded",
                    "unload", "loading", "offload", "discharg", "called at", "sailed", "taken", "moved", "moving",
                    "transported", "arriv", "took on", "taking on", "takes on", "take on",
                    "reached", "bound for", "departed", "went", "returned", "back",
                    "gave", "given", "giving", "import", "flow",
                    "departing", "carrying", "carried", "carry", "carries", "handed", "handing", "crossed", "crossing",
                    "berthed",
                    "moored", "docked", "reappeared", "trips", "voyage", "port call", "left", "travel", "railed",
                    "shuttle", "rail traffic", "freight traffic", "cargo traffic", "flight", "flew", "made"),
    Kind.AGREEMENT: ("signed", "signing", "treaty", "pact", "agreement", "agreed", "accord", "ratif"),
    Kind.MEETING: ("met", "meet", "summit", "talks", "visit", "hosted", "hosting", "inspect", "tour", "receive",
                   "sat down", "discussed", "trip", "welcome", "greet", "arrive", "land", "flew", "flies", "travel"),
    Kind.TEST: ("test", "satellite", "launch", "lifted off", "blasted off", "fired", "fires"),
    Kind.PRODUCTION: ("produced", "producing", "produces", "production", "manufactur", "factor", "plant", "assembled",
                      "made in",
                         "built in"),
}
# The words a kind's match can begin with: its stems, and the few words that open a
# pattern before the stem ("after launch", "under fire", "sent ... troops", "put ... satellite").
_OPENERS: dict[Kind, tuple[str, ...]] = {
    Kind.LAUNCH_SITE: ("after",),
    Kind.STRIKE: ("under", "incoming", "enemy", "russian", "artillery", "had", "has", "have"),
    Kind.DEPLOYMENT: ("send", "deploy", "sent", "sending", "deployed", "deploying", "dispatched", "deployment",
                      "dispatch", "presence", "involvement", "participation", "has", "had"),
    Kind.TEST: ("placed", "put", "north", "the", "dprk", "pyongyang", "icbm", "srbm", "irbm", "ballistic"),
    Kind.TRANSFER: ("cargo", "transport", "charter", "freight", "supply", "aircraft", "plane", "il-", "an-"),
    Kind.MEETING: ("was", "were", "his", "her", "their", "first", "second", "third", "official", "state", "rare",
                   "working"),
}
_STEM_KINDS: dict[str, set[Kind]] = {}
for _kind, _stems in _STEMS.items():
    for _stem in _stems:
        _STEM_KINDS.setdefault(_stem, set()).add(_kind)
_OPENER_KINDS: dict[str, set[Kind]] = {}
for _kind, _stems in _OPENERS.items():
    for _stem in _stems:
        _OPENER_KINDS.setdefault(_stem, set()).add(_kind)


def occurrences(low: str, word: str):
    """Every offset of ``word`` in ``low``, overlapping ones too."""
    at = low.find(word)
    while at >= 0:
        yield at
        at = low.find(word, at + 1)


def trigger_starts(text: str, sentences: list[tuple[int, int]]) -> dict[int, dict[Kind, list[int]]] | None:
    """Sentence index -> kind -> sorted offsets in the sentence where the kind's pattern
    can begin. A kind whose words are not in a sentence is absent: its pattern cannot
    match there. None when folding the text changes its length (try everything)."""
    index = words(text)
    if not index.exact:
        return None
    low = folded_text(text)

    def found(stem: str) -> Iterable[int]:
        return index.inside(stem) if stem.isalpha() else occurrences(low, stem)

    starts = [a for a, _ in sentences]
    out: dict[int, dict[Kind, list[int]]] = {}
    for stem, kinds in _STEM_KINDS.items():  # the stems decide which kinds a sentence can have
        for at in found(stem):
            i = bisect_right(starts, at) - 1
            offsets = out.setdefault(i, {})
            for kind in kinds:
                offsets.setdefault(kind, []).append(at - (starts[i] if i >= 0 else 0))
    for opener, kinds in _OPENER_KINDS.items():  # openers only add where those can begin
        for at in found(opener):
            i = bisect_right(starts, at) - 1
            for kind in kinds & out.get(i, {}).keys():
                out[i][kind].append(at - (starts[i] if i >= 0 else 0))
    for offsets in out.values():
        for found in offsets.values():
            found.sort()
    return out


def sentence_triggers(sentence: str, starts: dict[Kind, list[int]] | None) -> list[tuple[Kind, re.Match]]:
    """(kind, match) of every kind pattern in the sentence, kind by kind in text order."""
    if starts is None:
        return [(kind, m) for kind, pattern in KIND_PATTERNS for m in pattern.finditer(sentence)]
    return [(kind, m) for kind, pattern in KIND_PATTERNS if kind in starts
            for m in finditer_at(pattern, sentence, starts[kind])]


# Losses tell an event when no strike or incident word does: soldiers killed or wounded
# are combat (an incident where they fell); people killed in a place were struck there.
_LOSS_STEMS = ("kill", "wound", "injur", "casualt", "losses")
_LOSS_PATTERNS: list[tuple[Kind, re.Pattern]] = [
    (Kind.INCIDENT, re.compile(rf"\b(?:casualties|losses)\s+among\b|\b(?:{TROOPS}|forces)\b[^.;]{{0,40}}?"
                               r"\b(?:killed|wounded|(?:suffered|sustained|took|incurred)\s+(?:[\w-]+\s+){{0,2}}?"
                               r"(?:losses|casualties))\b|\b(?:North Korean|DPRK|KPA)\s+(?:casualties|losses|dead)\b",
                               re.I)),
    # ("In Kyiv, at least 12 people were killed": the place opens the sentence)
    (Kind.STRIKE, re.compile(r"\b(?:people|civilians|residents|children|persons)\b[^.;]{0,20}?"
                             r"\b(?:killed|injured|wounded)\s+(?:in|near)\b|"
                             r"^\s*In\s+[A-Z][^,;.]{1,40},\s+(?:at\s+least\s+|some\s+|about\s+)?[\w,]+\s+"
                             r"(?:people|civilians|residents|children|persons)\s+(?:were|was|had been|have been)\s+"
                             r"(?:killed|injured|wounded)\b|"
                             r"\b(?:missiles?|rockets?|strikes?)\s+(?:[\w-]+\s+){0,2}?(?:killed|injured|wounded)\s+"
                             r"(?:\w+\s+){0,2}?(?:people|civilians|residents|children|persons)\b", re.I)),
]


# Combat that Russia's allies (North Korean, Belarusian troops) take part in is an incident
# where it happens: "captured the village of X", "clashes near X", "suffered losses near
# A, B and C". Told of Russian and Ukrainian troops alone it is the war's daily course,
# which this map does not follow.
ALLIED_TROOPS = re.compile(r"(?<!south )(?<!korean )\b(?:north korean|korean|dprk|kpa|belarusian)\b(?! air\b)", re.I)
_FIGHTERS = re.compile(rf"\b(?:{TROOPS}|forces|soldier|unit|fighters?|infantry|battalions?|brigades?|regiments?|"
                       r"detachments?|special forces)\b", re.I)
_COMBAT = re.compile(
    r"(?<!\ba )(?<!\bthe )\b(?:captured|seized|stormed|retook|recaptured|overran|took (?:control of|over)|"
    r"help(?:ed)?\s+(?:to\s+)?(?:capture|seize|storm|retake|recapture|liberate))\b"
    r"(?!\s+(?:north\s+)?korean|\s+(?:soldiers?|troops|servicem[ae]n|fighters?|prisoners?)\b)|"
    r"\b(?:clash(?:ed|es)?|skirmish(?:ed|es)?|firefights?|fighting|battles?|assaults?|counter-?attacks?)"
    r"\s+(?:near|in|around|for|at|on)\b|"
    r"\b(?:taken|were|was) (?:prisoner|captive)\b|"
    r"\bengaged\b[^.;]{0,40}?\bin\s+(?:combat|battle|fighting)\b|"
    r"\b(?:clash|skirmish|battle|firefight|fighting)(?:es|s)?\s+(?:occurred|took place|happened|broke out|erupted)"
    r"\s+(?:near|in|around|at)\b|"
    r"\b(?:suffered|sustained|incurred)\b[^.;]{0,30}?\b(?:losses|casualties)\b|"
    r"\b(?:killed|wounded)\s+(?:and\s+(?:killed|wounded)\s+)?(?:(?:about|around|roughly|nearly|some|at least|"
    r"more than|over|up to)\s+)?(?:\d[\d,]*|dozens|hundreds|scores)\s+(?:of\s+)?(?:north\s+)?korean\b", re.I)


# "had been fighting in Kursk", "continue to take part in assaults": troops being there
# (a deployment), not one fight to map (a capture told so is still one)
_FIGHTING = ("fighting", "battle", "assault", "clash", "counter", "skirmish", "firefight")
_ONGOING = re.compile(r"\b(?:been|continue[sd]?\s+to|continuing\s+to|still|are|were|is)\s+(?:[\w'’-]+\s+){0,3}$",
                      re.I)


def combat_triggers(sentence: str) -> list[tuple[Kind, re.Match]]:
    """(INCIDENT, match) for combat a sentence tells of allied troops (ALLIED_TROOPS, _COMBAT)."""
    if not ALLIED_TROOPS.search(sentence) or not _FIGHTERS.search(sentence):
        return []  # (not "the South Korean ministry said fighting ...", "the Belarusian team captured gold")
    for m in _COMBAT.finditer(sentence):
        if not (m.group(0).lower().startswith(_FIGHTING) and _ONGOING.search(sentence, max(0, m.start() - 40),
                                                                            m.start())):
            return [(Kind.INCIDENT, m)]
    return []


# Damage tells a strike when a munition did it: "a KN-23 destroyed a warehouse in X",
# "buildings were damaged in X by the missile"; "troops destroyed a tank" is combat.
_DAMAGE = re.compile(r"\b(?:destroyed|damaged|demolished|wrecked|razed)\b", re.I)
_MUNITION = re.compile(r"\b(?:missiles?|rockets?|drones?|UAVs?|Shaheds?|glide bombs?|bombs?|warheads?|"
                       r"KN-2[345]|Hwasong-1[1-9]\w*|Iskanders?)\b", re.I)


_MUNITION_SUBJECT = re.compile(rf"(?:{_MUNITION.pattern})(?:\s+(?:strike|attack|fragments?|debris))?"
                               r"\s+(?:(?:had|has|have|was|were)\s+)?(?:also\s+)?$", re.I)
_BY_MUNITION = re.compile(rf"^[^.;]*?\bby\s+(?:a\s+|an\s+|the\s+|two\s+|Russian\s+)*(?:{_MUNITION.pattern})", re.I)


def damage_triggers(sentence: str) -> list[tuple[Kind, re.Match]]:
    """(STRIKE, match) where a munition destroyed or damaged something (_DAMAGE, _MUNITION):
    the munition is the subject, a few words before the verb, or the damage was done "by"
    it ("a fire damaged a drone factory" is no strike)."""
    for m in _DAMAGE.finditer(sentence):
        before = sentence[max(0, m.start() - 40):m.start()]
        after = sentence[m.end():m.end() + 60]
        if _MUNITION_SUBJECT.search(before) or _BY_MUNITION.search(after):
            return [(Kind.STRIKE, m)]
    return []


def loss_triggers(sentence: str) -> list[tuple[Kind, re.Match]]:
    """(kind, match) for the losses a sentence reports (see _LOSS_PATTERNS), the first of each kind."""
    low = fold(sentence)
    if not any(stem in low for stem in _LOSS_STEMS):
        return []
    return [(kind, m) for kind, pattern in _LOSS_PATTERNS if (m := pattern.search(sentence))]

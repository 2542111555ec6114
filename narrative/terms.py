"""The vocabulary: the rules that find service terms, 911 calls, hints and benign compounds in a sentence.

Pure Python and explainable on purpose: every decision is a commented regular expression or a
word list, so a manager who asks "why was this flagged?" gets an answer a person can check.

`find_terms` reads one lower-cased sentence. Its rules find, leftmost first, either a *benign
compound* ("fire lane", "smoke detector", "near the police station": it hides the terms it holds),
a *service term* ("fire department", "APD", "paramedics", "transported to the hospital"), an
*unspecified call* ("called 911", "first responders") or a *hint* ("fell", "gas leak") that only
tells which service a 911 call was for. Whether a term is negated or hypothetical is not decided
here but in `narrative.scope`.

Speed: Python's regex engine tries every alternative at every position, so one big regex over a
whole narrative costs milliseconds. Each rule therefore names *trigger words*, one of which any of
its matches holds; the words of a narrative are found with str.translate and str.split, and a
rule runs only on the sentences holding one of its triggers (`term_triggers`). Everything runs on
the lower-cased text, without IGNORECASE, and no pattern starts with \b (see `_rule`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from narrative.sentences import PUNCTUATION

__all__ = ["Service", "Term", "TermKind", "benign_spans", "find_terms", "term_triggers"]

Service = Literal["fire", "police", "ems"]

# A service term names a service that came or was called; an unspecified call ("called 911") takes
# its service from the terms around it; a hint ("fell", "gas leak") only tells which service a call
# was for; a benign compound ("fire lane") hides the terms it holds.
TermKind = Literal["named", "unspecified", "hint", "benign"]


@dataclass(frozen=True, slots=True)
class Term:
    """A term found in one lower-cased sentence, at [start, end) of it."""

    kind: TermKind
    service: Service | None
    start: int
    end: int


# Words as the triggers see them: punctuation, apostrophes included, separates words ("fire's" is
# "fire" and "s", "p.d." is "p" and "d"). str.translate and str.split do this several times faster
# than any regex.
_SPLIT_AT_PUNCTUATION: Final = str.maketrans(dict.fromkeys(PUNCTUATION, " "))


def _trigger_words(low: str) -> set[str]:
    """The distinct words of a lower-cased text, split at any punctuation."""
    return set(low.translate(_SPLIT_AT_PUNCTUATION).split())


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: TermKind
    service: Service | None
    # Every match holds one of these words, a word (of at most six letters) ending in one of the
    # suffixes ("apd", "lafd"), or one of the literals ("p.d", "9-1-1"); a rule runs only on
    # sentences that do, which keeps the regex engine off most of a narrative.
    words: frozenset[str]
    suffixes: tuple[str, ...]
    literals: tuple[str, ...]
    regex: re.Pattern[str]  # applied to lower-cased text


def _rule(kind: TermKind, service: Service | None, triggers: str, *pattern: str) -> _Rule:
    """A rule; `triggers` holds words, "*suffix" entries and literals (with punctuation), space-separated."""
    # Every match must start a word. That is checked in `_matches`, not with a leading \b: without
    # it the regex engine skips quickly over positions where no alternative's first letter fits.
    entries = triggers.split()
    return _Rule(
        kind,
        service,
        frozenset(e for e in entries if e.isalnum()),
        tuple(e[1:] for e in entries if e.startswith("*")),
        tuple(e for e in entries if not e.startswith("*") and not e.isalnum()),
        re.compile("".join(pattern).removeprefix(r"\b")),
    )


# What a fire alarm does when it goes off ("went off", "activated", "was pulled").
_ALARM_WENT_OFF = (
    r"(?:(?:went|go|goes|going)\s+off|activat(?:ed|ing|ion)|sound(?:ed|ing|s)|trigger(?:ed|ing)"
    r"|ringing|rang|alarming|in\s+alarm|(?:was|were|got|been)\s+pulled)"
)
# Words that may sit between "fire alarm" and "went off" ("fire alarm in bldg C went off") but
# not maintenance or negation words ("fire alarm test: devices activated", "did not go off").
_ALARM_GAP_WORD = (
    r"(?!(?:test|drill|inspect|check|maint|batter|troubl|compan|monitor|vendor|tech|contract"
    r"|not\b|never\b|no\b|didn|wasn|weren|doesn|don|won|isn|hasn|haven|hadn|cannot|cant\b|did\b|does\b))"
    r"[^\s,;:]+"
)
_DIRECTIONS = (
    r"(?:near|by|across\s+(?:the\s+street\s+)?from|next\s+to|behind|past|beside|opposite|toward|towards"
    r"|close\s+to|down\s+the\s+street\s+from|around\s+the\s+corner\s+from)"
)

# Priority is the order below: where two rules match at the same place, the earlier wins, and a
# match hides any later one it overlaps. So fire-alarm activations come before the benign "fire
# alarm panel", and benign compounds before the bare terms they contain ("fire lane", "fire").
# fmt: off
_RULES: Final[tuple[_Rule, ...]] = (
    # -- fire alarm activations: an evacuation and, for a monitored system, a dispatch.
    _rule("named", "fire", "alarm alarms",
          r"fire[\s-]+alarms?(?:\s+(?:system|panel|bells?|horns?|strobes?))?",
          rf"(?:\s+{_ALARM_GAP_WORD}){{0,3}}?\s+{_ALARM_WENT_OFF}"),
    _rule("named", "fire", "alarm alarms station stations",
          r"(?:responded\s+to|respond\s+to|activation\s+of|activated|pulled|triggered|set\s+off)",
          r"\s+(?:the\s+|a\s+|an\s+)?(?:fire[\s-]+alarms?|pull\s+stations?)"),
    _rule("named", "fire", "alarm",
          r"(?:there\s+was|had)\s+an?\s+fire\s+alarm\b(?!\s+(?:test|drill|inspection|check))"),
    _rule("named", "fire", "station stations", r"pull\s+stations?\s+(?:was\s+|were\s+)?(?:pulled|activated)"),
    # The fire marshal is routine (inspections) unless he responded.
    _rule("named", "fire", "marshal marshall marshals marshalls",
          r"fire\s+marshall?s?\s+(?:\w+\s+)?(?:responded|arrived|came|on\s+scene|dispatched|(?:was|were)\s+called)"),
    # -- benign compounds: equipment, places, maintenance, training. Never an emergency alone.
    _rule("benign", None, "fire", r"fire\s*(?:&|and)\s*life\s+safety"),
    # Trades named after a service: "EMS Heating & Cooling came to fix the AC".
    _rule("benign", None, "ems police fire paramedic paramedics medic rescue sheriff marshal trooper fireman",
          r"(?:ems|police|fire|paramedics?|medic|rescue|sheriff|marshal|trooper|fireman)\s+(?:heating|cooling|plumbing",
          r"|electric\w*|hvac|roofing|towing|construction|landscaping|coordinator|director|manager|educator|instructor",
          r"|logistics|transport|trucking|freight|federal\s+credit|credit\s+union|athletic|benevolent|jury",
          r"|liaison",
          r"|pest|supply|supplies|equipment\s+co)\b"),
    # A lawyer's trade, a band: "ambulance chaser flyers", "played mostly The Police".
    _rule("benign", None, "ambulance police",
          r"ambulance\s+chasers?\b|(?:played|songs?\s+by|covers?\s+of|covering)\s+(?:mostly\s+|some\s+)?the\s+police\b"),
    # A police detail: "handed over to the CPD detail at Gate 3".
    _rule("named", "police", "detail", r"(?:[a-z]{0,4}pd|police)\s+detail\b"),
    # A building's energy management system, not the ambulance: "Building EMS showed a high temp alarm".
    _rule("benign", None, "ems", r"(?:building|energy|bms)\s+ems\b|ems\s+\(energy"),
    # Businesses: "the adjuster from Fireman's Fund", "lunch from Firehouse Subs".
    # Streets and businesses named after a service: "Sheriff Street Dental", "Engine 9 Brewing".
    _rule("benign", None, "sheriff police fire engine ladder truck squad firehouse",
          r"(?:sheriff|police|fire|firehouse|fireman)\s+(?:street|st|road|rd|avenue|ave|lane|drive|way)\b",
          r"|(?:engine|ladder|truck|squad)\s+\d+\s+(?:brewing|brewery|pizza|bbq|grill|cafe|coffee|tavern|pub)\b"),
    # An oil field's pumper is a person: "lease pumper noted the gauge high", "Pumper reported a small leak".
    _rule("benign", None, "pumper",
          r"(?:lease\s+pumpers?|pumper\s+(?:reported|noted|said|says|called|checked|found))\b"),
    _rule("benign", None, "fireman fireman's firehouse",
          r"(?:fireman'?s\s+(?:fund|brew\w*|ale|pub|grill|bbq)|firehouse\s+subs)\b"),
    # A call to the station itself: "phoned the fire station directly" (a station in directions is a place).
    _rule("named", "fire", "station hall firehouse",
          r"(?:called|phoned|rang|contacted|radioed)\s+(?:the\s+)?(?:local\s+)?(?:fire\s+(?:station|hall|house)|firehouse)\b"),
    _rule("benign", None, "fire",
          r"fire[\s/-]*(?:department\s+(?:connections?|lock\s*box(?:es)?|knox\s+box(?:es)?|key\s+box(?:es)?)",
          r"|lanes?|exits?|ext(?:inguishers?)?\b\.?|doors?|hydrants?|escapes?|pumps?|place",
          r"|sprinklers?|risers?|panels?|alarms?(?:\s+(?:panels?|systems?|tests?|testing|inspections?|checks?",
          r"|devices?|pull\s+stations?|compan(?:y|ies)|monitoring|vendors?|tech\w*|contractors?|troubles?))?|watch",
          r"|drills?|codes?|marshall?s?|inspect\w*|safety|systems?|stations?|roads?|zones?|pits?|blankets?|hoses?",
          r"|cabinets?|walls?|rated|proof\w*|resistant|retardant|suppression|protection|separation",
          r"|command\s+cent(?:er|re)|control\s+room|equipment|plans?|routes?|assembly\s+(?:point|area)s?|muster\w*",
          r"|hazards?|risks?|prevention|training|insurance|curtains?|dampers?|stairs?|stairwells?|ants?|sale)\b"),
    # Smoke detectors are maintenance ("battery replaced", "chirping"); a fire shows as "smoke".
    _rule("benign", None, "smoke", r"smoke(?:\s*/\s*co)?[\s-]*(?:detectors?|alarms?|heads?|sensors?)"),
    _rule("benign", None, "smoke",
          r"smoke[\s-]*(?:breaks?|shops?|free|tests?|testing|machines?|areas?|spots?|shacks?)\b"),
    # Someone smoking, not something burning.
    _rule("benign", None, "smoke",
          r"(?:cigarettes?|cigars?|marijuana|weed|pot|vape|vaping|tobacco|hookah|bbq|barbecue|grill|cannabis",
          r"|blunt|joint|e-?cig(?:arette)?s?)\s+smoke"),
    _rule("benign", None, "smoke",
          r"smoke\s+(?:a\s+)?(?:cigarettes?|cigars?|weed|marijuana|pot|joints?|blunts?|cannabis|tobacco|vapes?",
          r"|hookah)"),
    _rule("benign", None, "smoke",
          r"smoke\s+from\s+(?:a\s+|the\s+|their\s+|his\s+|her\s+)?(?:bbq|barbecue|grill|cigarettes?|cigars?|vapes?",
          r"|hookah|joint|blunt|pipe|chimney|fireplace|exhaust|tailpipe)"),
    _rule("benign", None, "smoke", r"to\s+smoke\b"),
    # "Tenants smoke in the stairwell": people smoking, the verb.
    _rule("benign", None, "smoke",
          r"(?:tenants?|residents?|people|they|he|she|guests?|employees?|staff|kids|juveniles|subjects?)\s+",
          r"(?:often\s+|always\s+|usually\s+|keep\s+|continue\s+to\s+|like\s+to\s+)?smoke\b"),
    _rule("benign", None, "flame", r"flame[\s-]*(?:retardant|resistant|proof|thrower)"),
    _rule("benign", None, "burning", r"(?:candles?|incense)\s+burning|burning\s+(?:candles?|incense)"),
    _rule("benign", None, "burning", r"burning\s+(?:sensation|question|desire)"),
    # A station in directions ("parked across from the police station") is a place, not a visit.
    # Done by the department, not a place beside it: "was put out by the fire department".
    _rule("named", "fire", "department dept",
          r"(?:put\s+out|extinguished|knocked\s+down|cleared|inspected|evacuated|rescued|vented|checked)\s+by\s+",
          r"(?:the\s+)?fire\s+(?:department|dept)\b"),
    _rule("named", "police", "department dept",
          r"(?:arrested|detained|cited|removed|escorted|questioned|interviewed|checked)\s+by\s+",
          r"(?:the\s+)?police\s+(?:department|dept)\b"),
    _rule("benign", None, "station department dept",
          rf"{_DIRECTIONS}\s+(?:the\s+)?(?:police|fire)\s+(?:station|department|dept)"),
    _rule("benign", None, "police",
          r"police\s+(?:academy|auction|scanner|station|stations|headquarters|hq|substation|tape|barricades?|barriers?|enforced",
          r"|cones?|sawhorses?|tribute|band|concert|album|song)\b"),
    # Signage and reserved places: "POLICE ONLY parking", "reserved for emergency vehicles".
    _rule("benign", None, "police ambulance ambulances ems fire emergency",
          r"(?:police|ambulances?|ems|fire\s+(?:dept|department)|emergency(?:\s+vehicles?)?)",
          r"\s+(?:vehicles?\s+|parking\s+|use\s+)?only\b"),
    _rule("benign", None, "reserved",
          r"reserved\s+for\s+(?:the\s+)?(?:police|ems|ambulances?|fire\s+(?:dept|department)|emergency\s+vehicles?)"),
    _rule("benign", None, "sheriff sheriffs", r"sheriff'?s?\s+sale"),
    _rule("benign", None, "deputy", r"deputy\s+(?:manager|director|supervisor|head|principal|mayor)"),
    # Places named after a service, on hospital and municipal sites: "patrolled the ambulance bay".
    _rule("benign", None, "ambulance police ems",
          r"(?:ambulance|police|ems)\s+(?:bay|entrance|lane|parking|drive|garage|vestibule|door|dock|ramp|canopy)s?\b"),
    # A welfare check: "unresponsive to knocks" is a closed door, not a patient.
    _rule("benign", None, "unresponsive",
          r"unresponsive\s+to\s+(?:\w+\s+){0,2}?(?:knock\w*|door\w*|calls?|phone|texts?|messages?|emails?|radio)"),
    # Guards are "officers" too: only officers who are not ours are police.
    _rule("benign", None, "officer officers",
          r"(?:security|guard|patrol|relief|fellow|lead|site|our|my|other|rover|roving|mobile|unarmed|armed|post",
          r"|partner|shift)\s+officers?"),
    _rule("benign", None, "cpr aid aed",
          r"(?:cpr|first\s+aid|aed)[\s/-]*(?:certified|certification|certificates?|training|trained|class(?:es)?",
          r"|courses?|cards?|kits?|cabinets?|instructors?|refresher)"),
    # -- fire: the department, its people and vehicles, and the fire itself.
    _rule("named", "fire", "fire firefighter firefighters firemen fireman firetruck firetrucks fireengine firecrew "
          "firedept firedepartment firedpt",
          r"fire[\s-]*(?:department|dept|dep't|dep|dpt|fighters?|men|man|trucks?|engines?|crews?|rescue|chief",
          r"|brigade|service|squad|units?|apparatus|personnel|captain|compan(?:y|ies)|guys?|folks|people)\b"),
    # "FD", "AFD", "LAFD", "FDNY", "F.D.": a prefix of up to four letters names the city.
    _rule("named", "fire", "*fd *fds fdny f.d", r"(?:[a-z]{0,4}fds?(?:ny)?\b|f\.d\b\.?)"),
    # A crew named by its station: "crew from Station 9", "Station 4's engine", "station 12 guys".
    _rule("named", "fire", "station",
          r"(?:crews?|engines?|trucks?|units?|firefighters|guys|apparatus|personnel|people|members)\s+(?:from|of)",
          r"\s+(?:fire\s+)?station\s*#?\s*\d+\b",
          r"|(?:fire\s+)?station\s*#?\s*\d+(?:'s)?\s+(?:crews?|engines?|trucks?|firefighters|guys)\b"),
    _rule("named", "fire", "engine ladder battalion",
          # Not "a ladder 6 ft tall".
          r"(?:engine|ladder|battalion)\s*(?:co(?:mpany)?\.?\s*)?#?\d+\b(?!\s*(?:ft|feet|foot|in|inch|'|\"))",
          r"|(?:engine|ladder)\s+company\b"),
    _rule("named", "fire", "fire fires ablaze flame flames burning smoke smoky smokey",
          # Not inside a word: "Houston fire" holds "on fire", which would hide its "fire".
          r"(?:(?<![a-z])on\s+fire|caught\s+fire|fires?|ablaze|(?<![a-z])in\s+flames|flames?|burning|smok(?:e|y|ey))\b"),
    _rule("named", "fire", "burnt burned burning burn",
          r"(?:burnt|burned|burning)\s+smell\b|smell\s+of\s+(?:something\s+)?burn(?:ing|t)\b"),
    # Engines named by count, arriving: "two engines arrived", "an engine on scene by 0305" (not a train's).
    _rule("named", "fire", "engine engines",
          r"(?<!train\s)(?<!locomotive\s)(?:(?:two|three|four|five|\d|the|an?|one)\s+)?engines?\s+(?:\w+\s+)?(?:arrived",
          r"|responded|came|showed\s+up|pulled\s+up|rolled\s+up|(?:were\s+|was\s+)?on\s+scene)\b"),
    # "The engine got held up behind a train": a fire engine where the narrative has a fire (emergency.py checks).
    _rule("named", "fire", "engine",
          r"(?:the|an?)\s+engine\b(?!\s+(?:company|co\b|crews?|\d|light|oil|bay|block|compartment|room|noise|running|off|on",
          r"|start|was\s+running",
          r"|would|wouldn|won|turned|stalled|died|idl))"),
    # "driver to the care center by ambulance", "left by medevac": someone went with them.
    _rule("named", "ems", "by",
          r"by\s+(?:ambulance|ambulence|ems|medic\s+unit|medevac|air\s+ambulance|life\s+flight|helicopter)\b"),
    # An ambulance by its slang name, arriving: "the rig showed up"; kept only beside a patient (emergency.py).
    _rule("named", "ems", "rig bus",
          r"(?:the|an?)\s+(?:second\s+|another\s+|new\s+)?(?:rig|bus)(?=\s+(?:\w+\s+){0,4}?(?:showed\s+up|arrived",
          r"|got\s+(?:here|there)|pulled\s+up",
          r"|rolled\s+up|came))"),
    # -- police.
    _rule("named", "police", "police policeman policemen policewoman policewomen",
          r"police(?:(?:wo)?m[ae]n|\s+(?:officers?|department|dept|cars?|cruisers?|units?|vehicles?|report))?\b"),
    _rule("named", "police", "patrolman patrolmen patrolwoman patrolwomen lawman", r"(?:patrol(?:wo)?m[ae]n|lawman)\b"),
    # "An officer came at 0300": one officer, not ours ("a relief officer", "a security officer" do not match).
    _rule("named", "police", "officer officers",
          r"(?:an?|one|two|three|four|another|\d)\s+officers?\s+(?:\S+\s+){0,2}?(?:arrived|came|responded",
          r"|showed\s+up|pulled\s+up|was\s+dispatched|were\s+dispatched|took\s+(?:a\s+|the\s+)?report)"),
    # "PD", "APD", "NYPD", "LVMPD", "P.D.". "upd" is a typed "update", not a police department.
    _rule("named", "police", "*pd p.d", r"(?!upd\b)(?:[a-z]{0,4}pd\b|p\.d\b\.?)"),
    _rule("named", "police", "cop cops squad enforcement trooper troopers state highway detective detectives swat "
          "deputy deputies",
          r"(?:cops?|squad\s+cars?|law\s+enforcement|troopers?|state\s+patrol|highway\s+patrol|detectives?|swat",
          r"|deput(?:y|ies))\b"),
    _rule("named", "police", "sheriff",
          r"sheriff(?:'s|s)?(?:\s+(?:deputy|deputies|deps|office|dept|department))?\b"),
    # "An officer from the police substation walked over": the officer is the police's, whatever the place.
    _rule("named", "police", "officer officers",
          r"(?:an?|two|the)\s+officers?\s+from\s+(?:the\s+)?(?:police|pd|sheriff'?s?|precinct)\b(?:\s+\w+)?"),
    _rule("named", "police", "officers",
          r"officers\s+(?:(?!(?:never|not|didn't|didnt|did)\b)\S+\s+){0,2}?(?:responded|arrived|came|showed\s+up|on\s+scene",
          r"|were\s+dispatched|did\s+arrive",
          r"|pulled\s+up|took\s+(?:a\s+|the\s+)?report|detained|arrested|cuffed|handcuffed|cited|trespassed)"),
    # "SO" (sheriff's office) only where it does what a service does: "FD, EMS and SO on scene" ("and so on" is not).
    _rule("named", "police", "so", r"so\b(?=\s+(?:on\s+scene|arrived|responded|deput))"),
    _rule("named", "police", "emergency nonemergency", r"non[\s-]?emergency\s+(?:line|number)\b"),
    _rule("named", "police", "arrested custody arrest shots gunshot gunshots gunfire gun",
          r"(?:arrested|taken\s+into\s+custody|(?:was\s+|were\s+|is\s+|are\s+|now\s+)?in\s+custody|under\s+arrest",
          r"|shots\s+fired|gun\s*shots?|gunfire)\b"),
    # -- EMS.
    _rule("named", "ems", "ambulance ambulances ambulence ambulences ems e.m.s emt emts paramedic paramedics medic "
          "medics rescue",
          r"(?:ambulances?|ambulences?|ems|e\.m\.s\b\.?|emts?|paramedics?|medics?(?:\s*\d+)?|rescue\s+squad)\b"),
    _rule("named", "ems", "medical",
          r"medical\s+(?:emergency|emergencies|response|responders?|team|call|units?|assistance|attention)\b"),
    _rule("named", "ems", "hospital er e.r emergency medical care trauma",
          r"(?:transported|taken|rushed|brought|transferred|carried|sent|took|take|takes)\s+(?:\S+\s+){0,3}?",
          # "to the hospital", "to Mercy General Hospital", "to St. Joseph's hospital".
          r"to\s+(?:the\s+|a\s+)?(?:[\w.'-]+\s+){0,3}?(?:hospital|er|e\.r\b\.?|emergency\s+room|medical\s+center|urgent\s+care",
          r"|trauma\s+center)\b"),
    # Someone transported to a named place is a patient ("transported to Mercy at 0415"); to a jail or a
    # station, a prisoner (police); goods are "moved", "shipped" or "delivered".
    _rule("named", "ems", "transported",
          r"(?:was|were|got|been|being|is|are)\s+(?:\w+\s+)?transported\s+(?:\w+\s+)?to\s+",
          r"(?!(?:the\s+|a\s+|county\s+|city\s+)?(?:jail|station|precinct|detention|holding|juvenile|lock-?up|police",
          r"|booking|sheriff|prison|dock|warehouse|yard|lot|storage|bank|vault)\b)[a-z]"),
    # A numbered unit arriving is a patrol car's call sign ("Unit 2341 arrived 0422"); an apartment does not arrive,
    # and a company's own rover is named as such ("rover unit 3", "mobile unit 2").
    _rule("named", "police", "unit car",
          r"(?<!rover\s)(?<!mobile\s)(?<!patrol\s)(?<!our\s)(?<!security\s)(?<!supervisor\s)",
          r"(?:unit|car)\s*#?\s*\d{2,5}[a-z]?(?:\s+(?:and|&)\s+(?:unit|car)\s*#?\s*\d{2,5})?\s+",
          r"(?:(?:then|finally|eventually|quickly|soon)\s+)?",
          r"(?:arrived|responded|pulled\s+up|showed\s+up|was\s+on\s+scene|on\s+scene|was\s+dispatched)\b"),
    # Patrol cars by count, arriving: "two units rolled in", "three city units got here".
    _rule("named", "police", "units",
          r"(?:two|three|four|several|multiple|\d)\s+(?:city\s+|county\s+|patrol\s+|marked\s+)?units\s+",
          r"(?:rolled|pulled|arrived|came|showed|got\s+here)"),
    # "Held him at the shack till county got here": the county is its sheriff.
    _rule("named", "police", "till until when then before and",
          r"(?:till|until|when|then|before|and)\s+county\s+(?:finally\s+)?(?:got\s+(?:here|there)|arrived|came|showed\s+up",
          r"|pulled\s+up|rolled\s+up)"),
    # What only the police do: "was issued a trespass citation", "subject booked".
    _rule("named", "police", "citation summons booked",
          r"(?:issued|given|received|wrote|written)\s+(?:him\s+|her\s+)?(?:a|an)\s+(?:trespass\s+|traffic\s+)?",
          r"(?:citation|summons)\b|(?:subject|suspect|he|she|male|female)\s+(?:was\s+)?booked\b"),
    _rule("named", "ems", "hospitalized hospitalised cpr narcan naloxone overdose overdosed overdoses overdosing od'd "
          "unconscious unresponsive breathing pulse seizure seizures cardiac heart",
          r"(?:hospitali[sz]ed|cpr|narcan|naloxone|overdos(?:e|ed|es|ing)|od'd|unconscious|unresponsive",
          r"|(?:not|stopped)\s+breathing|no\s+pulse|seizures?|cardiac\s+arrest|heart\s+attack)\b"),
    _rule("named", "ems", "aed",
          r"(?:used|applied|attached|deployed)\s+(?:the\s+|an\s+)?aed\b|aed\s+(?:was\s+)?(?:used|applied|attached",
          r"|deployed)\b"),
    # -- a call to 911 or "first responders": which service is decided afterwards.
    _rule("unspecified", None, "911 9-1-1",
          r"(?:call(?:ed|ing|s)?|dial(?:l?ed|l?ing|s)?|phoned?|contact(?:ed|ing)?|rang)\s+(?:to\s+)?(?:911|9-1-1",
          r"|nine[\s-]one[\s-]one)\b"),
    _rule("unspecified", None, "911 9-1-1",
          r"(?:911|9-1-1)(?:\s+(?:was\s+|were\s+|got\s+)?(?:called|dialed|dialled|contacted|notified|phoned))?\b"),
    _rule("unspecified", None, "responder responders emergency",
          r"(?:first\s+responders?|emergency\s+(?:services|responders?|crews?|personnel|vehicles?))\b"),
    # -- hints, for a 911 call only: what the call was about.
    _rule("hint", "ems", "injury injuries injured hurt bleeding blood fell fallen collapsed fainted chest breathing "
          "medical sick",
          r"(?:injur(?:y|ies|ed)|hurt|bleeding|blood|fell|fallen|collapsed|fainted|chest\s+pains?",
          r"|(?:difficulty|trouble)\s+breathing|medical|sick)\b"),
    _rule("hint", "fire", "gas explosion spark sparks",
          r"(?:gas\s+(?:leak|smell|odou?r)|smell\s+of\s+gas|explosion|sparks?)\b"),
    _rule("hint", "police", "fight fights fighting assault assaulted theft stolen stole robbed robbery break broke "
          "burglary burglar weapon gun knife threat threats threatened threatening domestic",
          r"(?:fight(?:s|ing)?|assault(?:ed)?|theft|stolen|stole|robbed|robbery|break[\s-]?in|(?<!water\s)broke\s+in",
          r"|burglary|burglar|weapon|gun|knife|threat(?:s|ened|ening)?|domestic)\b"),
)
# fmt: on


@dataclass(frozen=True, slots=True)
class _Triggers:
    """Which rules of one kind a piece of text can set off, by trigger word, suffix or literal."""

    by_word: dict[str, tuple[int, ...]]
    by_suffix: tuple[tuple[str, tuple[int, ...]], ...]
    by_literal: tuple[tuple[str, tuple[int, ...]], ...]

    @classmethod
    def of(cls, kinds: tuple[TermKind, ...]) -> _Triggers:
        """The triggers of the rules of these kinds."""
        by_word: dict[str, list[int]] = {}
        by_suffix: dict[str, list[int]] = {}
        by_literal: dict[str, list[int]] = {}
        for rule_id, rule in enumerate(_RULES):
            if rule.kind in kinds:
                for word in rule.words:
                    by_word.setdefault(word, []).append(rule_id)
                for suffix in rule.suffixes:
                    by_suffix.setdefault(suffix, []).append(rule_id)
                for literal in rule.literals:
                    by_literal.setdefault(literal, []).append(rule_id)
        return cls(
            {word: tuple(ids) for word, ids in by_word.items()},
            tuple((suffix, tuple(ids)) for suffix, ids in by_suffix.items()),
            tuple((literal, tuple(ids)) for literal, ids in by_literal.items()),
        )

    def found(self, low: str, words: set[str]) -> dict[str, tuple[int, ...]]:
        """The triggers present in `low` (whose words are `words`), each with its rules."""
        present = {word: self.by_word[word] for word in words.intersection(self.by_word)}
        for suffix, ids in self.by_suffix:
            if suffix not in low:
                continue
            for word in words:
                if word.endswith(suffix) and len(word) <= len(suffix) + 4:
                    present[word] = present.get(word, ()) + ids
        for literal, ids in self.by_literal:
            if literal in low:
                present[literal] = ids
        return present

    def rules(self, low: str, words: set[str]) -> set[int]:
        """Ids of the rules that may match in `low`."""
        return {rule_id for ids in self.found(low, words).values() for rule_id in ids}


_EAGER: Final = _Triggers.of(("named", "unspecified"))
_BENIGN: Final = _Triggers.of(("benign",))
_HINTS: Final = _Triggers.of(("hint",))


def _matches(low: str, rule_ids: Iterable[int]) -> list[tuple[int, int, int]]:
    """(start, rule id, end) of every match of the rules that starts a word."""
    return [
        (match.start(), rule_id, match.end())
        for rule_id in rule_ids
        for match in _RULES[rule_id].regex.finditer(low)
        if match.start() == 0 or not low[match.start() - 1].isalnum()
    ]


def _choose(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, _Rule]]:
    """Leftmost match first, the earlier rule first at the same place; a chosen match hides what it overlaps."""
    chosen = []
    reached = 0
    for start, rule_id, end in sorted(matches):
        if start >= reached:
            chosen.append((start, end, _RULES[rule_id]))
            reached = end
    return chosen


def find_terms(low: str, *, hints: bool = False) -> list[Term]:
    """Service terms and calls of one lower-cased sentence, benign compounds set aside; hints when asked or for a call.

    Leftmost first; where two rules match at one place the earlier-listed wins, and a chosen match
    hides any it overlaps ("fire lane" hides "fire").
    """
    words = _trigger_words(low)
    found = _matches(low, _EAGER.rules(low, words))
    if not found and not hints:
        return []
    # Benign compounds and hints matter only once a term is there, so they run only then.
    extra = _BENIGN.rules(low, words)
    if hints or any(_RULES[rule_id].kind == "unspecified" for _, rule_id, _ in found):
        extra |= _HINTS.rules(low, words)
    return [
        Term(rule.kind, rule.service, start, end)
        for start, end, rule in _choose(found + _matches(low, extra))
        if rule.kind != "benign"
    ]


def benign_spans(low: str) -> list[tuple[int, int]]:
    """Where the benign compounds of one lower-cased sentence stand ("fire lane", "lease pumper", "Engine 9 Brewing"):
    the agency gazetteer's terms inside them are hidden as the built-in terms are."""
    return [(start, end) for start, _, end in _matches(low, _BENIGN.rules(low, _trigger_words(low)))]


def term_triggers(low: str) -> list[str]:
    """The trigger words (and literals) in a lower-cased text that may set off a service term or a call."""
    return list(_EAGER.found(low, _trigger_words(low)))

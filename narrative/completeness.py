"""How complete a narrative is: whether it says what happened, where, when, who and what the officer did.

Word lists and a few gated regular expressions, like the emergency reading: a manager can check
each decision by eye. `report_completeness` names the elements a report leaves out; `is_too_thin`
and `meaningful_word_count` measure how much the narrative says at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from narrative.sentences import PUNCTUATION, normalise, word_set

__all__ = [
    "REPORT_ELEMENTS",
    "THIN_NARRATIVE_MIN_WORDS",
    "is_too_thin",
    "meaningful_word_count",
    "report_completeness",
]

# Fewer meaningful words than this (articles, pronouns, "was", "to"... and boilerplate such as
# "all good" or "see above" do not count) is too thin to be an incident report. Ten meaningful
# words is roughly 12-15 words as typed, and the shortest usable report still passes:
# "At 2310 found a male trespasser sleeping in stairwell B, asked him to leave, he left." (10)
THIN_NARRATIVE_MIN_WORDS: Final = 10

REPORT_ELEMENTS: Final = ("who", "what", "where", "when", "action")

_JOIN_AT_APOSTROPHES: Final = str.maketrans({**dict.fromkeys(PUNCTUATION, " "), "'": None, "’": None})
# Words that carry no content of their own; what is left tells what happened.
_FUNCTION_WORDS: Final = word_set(
    """a an the and or but of to in on at for with by from as is are was were be been being am i me my mine we us
    our he him his she her they them their it its this that these those there then so very just also too all
    has have had do did does will would can could shall should may might"""
)
# Stock phrases that say nothing happened, or point elsewhere; they do not make a report longer.
_BOILERPLATE_RE: Final = re.compile(
    r"(?<!\w)(?:all\s+(?:good|secure|secured|clear|quiet|ok|okay|normal|well|fine)"
    r"|see\s+(?:above|below|attached|previous|prior)(?:\s+reports?)?"
    r"|same\s+as\s+(?:above|before|yesterday|previous|last\s+(?:night|shift|report|time))"
    r"|nothing\s+(?:to\s+report|further|new|unusual|else|(?:else\s+)?to\s+add)"
    r"|no\s+(?:incidents?|issues?|problems?|activity|changes?)(?:\s+to\s+report)?"
    r"|as\s+(?:stated|above|noted|before)|ntr|n/?a|tbd|none|test(?:ing)?|asdf)\b"
)
# Each stock phrase starts with one of these words and holds at most this many meaningful words.
_BOILERPLATE_FIRST_WORDS: Final = word_set("all see same nothing no as ntr n na tbd none test testing asdf")
_BOILERPLATE_MAX_WORDS: Final = 3

# The phrase regexes below run only when one of their gate words is there: a regex scan of a long
# narrative costs more than all the word-set lookups together.

# "who": people involved, described by role or look.
_PEOPLE: Final = word_set(
    """tenant tenants resident residents occupant occupants subject subjects suspect suspects male males female
    females man men woman women person persons people individual individuals visitor visitors guest guests employee
    employees staff worker workers contractor contractors vendor vendors driver drivers customer customers client
    clients owner owners manager managers maintenance technician tech juvenile juveniles minor minors kid kids child
    children teen teens teenager teenagers youth youths boy boys girl girls guy guys lady ladies homeless transient
    transients vagrant vagrants trespasser trespassers intruder intruders caller complainant victim victims witness
    witnesses patient patron patrons courier neighbor neighbors neighbour neighbours roommate boyfriend girlfriend
    husband wife student students shopper shoppers panhandler panhandlers solicitor solicitors someone somebody
    passerby pedestrian pedestrians group crowd unknown"""
)
# ... or by name: "Mr. Diaz", "identified as Jane Roe", "named Tom" (on the original text: capitals matter).
_NAME_GATE: Final = word_set("mr mrs ms miss dr named identified id idd")
_NAME_RE: Final = re.compile(
    r"\b(?:[Mm](?:r|rs|s|iss)|[Dd]r)\.?\s+[A-Z][a-z]|\b(?:named|identified\s+as|id'?d\s+as)\s+[A-Z]"
)
# "what": an event, the heart of the report.
_EVENTS: Final = word_set(
    """observed saw seen found noticed heard discovered witnessed reported complained complaint complaints incident
    fight fighting altercation argument arguing dispute assault assaulted theft stole stolen burglary robbery robbed
    break-in broke broken damage damaged vandalism vandalized graffiti trespass trespassing trespasser trespassers
    loitering suspicious intoxicated drunk noise disturbance alarm alarms leak leaking flood flooding spill fire
    smoke flames injury injured injuries fell fall slipped accident collision crash crashed hit struck towed parked
    blocking blocked unauthorized refused threat threatened yelling screaming harassing harassment soliciting
    panhandling sleeping camping urinating dumping littering smoking drugs weapon gun knife overdose medical
    missing lost propped outage stuck entrapment odor odour smell violation shouting banging knocking entered fled
    ran emergency tampered forced open opened unlocked left police ambulance ems paramedics 911 arrested"""
)
# Failing an event word, a verb in the past tense still tells a story ("Checked the boiler room"):
# a report that is not thin nearly always says what happened.
_IRREGULAR_PAST: Final = word_set("went came saw took made got gave told said found left ran was were had")
# "where": a place on a site.
_PLACES: Final = word_set(
    """building buildings bldg bldgs unit units apt apts apartment apartments suite suites lot lots parking garage
    garages gate gates lobby lobbies floor floors stairwell stairwells stairs staircase room rooms hallway hallways
    hall halls corridor corridors elevator elevators entrance entrances exit exits door doors dock docks pool gym
    office offices roof rooftop basement laundry mailroom dumpster dumpsters courtyard playground clubhouse leasing
    street sidewalk driveway perimeter fence level wing tower yard alley breezeway patio balcony"""
)
# ... or a side ("rear of the clubhouse"), a number ("#12"), a street address ("1200 Peachtree St").
_SIDE_GATE: Final = word_set("north south east west rear front back")
_SIDE_RE: Final = re.compile(r"(?:north|south|east|west|rear|front|back)\s+(?:side|of|entrance|gate|door|lot)\b")
_NUMBERED_PLACE_RE: Final = re.compile(
    r"#\s?\d|\d+\s+\w+\s+(?:st|street|ave|avenue|rd|road|blvd|dr|drive|ln|lane|way|ct|court|pl|place|pkwy|hwy)\b"
)
# "when": a part of the day, a weekday ...
_TIME_WORDS: Final = word_set(
    """midnight noon morning afternoon evening tonight overnight yesterday today dawn dusk sunrise sunset monday
    tuesday wednesday thursday friday saturday sunday"""
)
# ... a moment of the shift ("end of shift", "during my rounds", "last night") ...
_SHIFT_TIME_GATE: Final = word_set("night shift rounds patrol tour")
_SHIFT_TIME_RE: Final = re.compile(
    r"last\s+night\b|(?:start|beginning|end)\s+of\s+(?:my\s+|the\s+)?shift\b|shift\s+change\b"
    r"|during\s+(?:my\s+|the\s+)?(?:shift|patrol|rounds|tour)\b"
)
# ... or a clock time or a date, which needs a digit.
_DIGIT_RE: Final = re.compile(r"\d")
_CLOCK_RE: Final = re.compile(
    r"(?<!\d)(?:[01]?\d|2[0-3])[:h][0-5]\d\b"  # 23:10, 23h10
    r"|(?<!\d)(?:[01]\d|2[0-3])[0-5]\d\s*(?:hrs?|hours)\b"  # 2310 hrs
    r"|(?<!\d)\d{1,2}(?::[0-5]\d)?\s*[ap]\.?m\b"  # 11:45 pm, 9am
    r"|(?<![\d/])\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"  # 11/21, 11/21/2026
    # "at 2310", "@2310", but not "at 1234 Main St".
    r"|(?:@|\b(?:at|approx\.?|approximately|around|about|by|until|till|since|before|after)\s)\s*"
    r"(?:[01]\d|2[0-3])[0-5]\d\b(?!\s+\w+\s+(?:st|street|ave|avenue|rd|road|blvd|dr|drive|ln|lane|way|ct|court)\b)"
)
# "action": what the guard did about it.
_ACTIONS: Final = word_set(
    """called notified escorted issued reported secured locked checked advised photographed contacted informed told
    instructed warned requested removed cleared documented logged responded investigated inspected reset monitored
    detained separated directed assisted administered cited ticketed placed posted verified confirmed unlocked
    closed shut radioed texted emailed messaged alerted dispatched waited remained kept identified trespassed towed
    tagged stickered filed recorded met walked cleaned mopped evacuated extinguished performed gave provided helped
    spoke talked escalated paged woke stopped"""
)
_ACTION_GATE: Final = word_set("asked wrote followed turned blocked taped stood denied refused")
_ACTION_RE: Final = re.compile(
    r"\basked\s+(?:\w+\s+){1,2}to\s+\w+|\b(?:wrote|followed|turned|blocked|taped)\s+(?:up|off|away)\b"
    r"|\bstood\s+by\b|\b(?:denied|refused)\s+entry\b"
)


def _word_list(low: str) -> list[str]:
    """Words for counting: "didn't" is one word (didnt), "n/a" two."""
    return low.translate(_JOIN_AT_APOSTROPHES).split()


def _is_thin(low: str, words: Sequence[str], min_words: int = THIN_NARRATIVE_MIN_WORDS) -> bool:
    count = sum(1 for word in words if word not in _FUNCTION_WORDS)
    phrases = sum(1 for word in words if word in _BOILERPLATE_FIRST_WORDS)
    if count < min_words or count - _BOILERPLATE_MAX_WORDS * phrases >= min_words:
        # Removing the stock phrases could not change the answer: skip the regex.
        return count < min_words
    rest = _word_list(_BOILERPLATE_RE.sub(" ", low))
    return sum(1 for word in rest if word not in _FUNCTION_WORDS) < min_words


def meaningful_word_count(narrative: str) -> int:
    """Words that carry content (not "the", "a", "was"...)."""
    return sum(1 for word in _word_list(normalise(narrative)) if word not in _FUNCTION_WORDS)


def is_too_thin(narrative: str, *, min_words: int = THIN_NARRATIVE_MIN_WORDS) -> bool:
    """Fewer than min_words meaningful words once stock phrases ("all good", "see above") are set aside."""
    low = normalise(narrative)
    return _is_thin(low, _word_list(low), min_words)


def report_completeness(
    narrative: str, *, location_detail: str, persons: list[object], occurred_at_given: bool
) -> list[str]:
    """The elements of REPORT_ELEMENTS (who, what, where, when, action) the report does not give."""
    low = normalise(narrative)
    word_list = _word_list(low)
    words = frozenset(word_list)
    thin = _is_thin(low, word_list)
    told_a_story = not thin and any(
        word in _IRREGULAR_PAST or (len(word) > 4 and word.endswith("ed")) for word in word_list
    )
    digits = _DIGIT_RE.search(low) is not None
    present = {
        "who": bool(persons)
        or not _PEOPLE.isdisjoint(words)
        or (not _NAME_GATE.isdisjoint(words) and _NAME_RE.search(narrative) is not None),
        # One word ("Trespasser.") names a category, it does not tell what happened.
        "what": (len(word_list) > 1 and not _EVENTS.isdisjoint(words)) or told_a_story,
        "where": bool(location_detail.strip())
        or not _PLACES.isdisjoint(words)
        or (not _SIDE_GATE.isdisjoint(words) and _SIDE_RE.search(low) is not None)
        or ((digits or "#" in low) and _NUMBERED_PLACE_RE.search(low) is not None),
        "when": occurred_at_given
        or not _TIME_WORDS.isdisjoint(words)
        or (not _SHIFT_TIME_GATE.isdisjoint(words) and _SHIFT_TIME_RE.search(low) is not None)
        or (digits and _CLOCK_RE.search(low) is not None),
        "action": not _ACTIONS.isdisjoint(words)
        or (not _ACTION_GATE.isdisjoint(words) and _ACTION_RE.search(low) is not None),
    }
    return [element for element in REPORT_ELEMENTS if not present[element]]

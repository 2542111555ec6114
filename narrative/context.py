"""ConText for service mentions: whether a mention is historical, hypothetical, training or not attending.

The ConText algorithm of clinical NLP (NegEx generalised: a cue phrase modifies the target terms
after it, or before it, up to a terminating word or the end of the sentence), run by `negspacy` on
a blank spaCy English pipeline: no statistical model, only the rule-based tokenizer, our own
sentence boundaries and one `negex` component per category, each with its own cue lists (below,
plain data a person can read). Negation itself stays with `narrative.scope`, which knows the
clause shapes guards write ("no one was home and police arrived"); these categories are what it
did not know:

- historical: "last month", "back in 2019", "in March", "two summers ago", "per pass-down", "before my
  shift" (a time scope holds across "and" and a "when" that dates by it: "last winter a pipe burst and
  the FD came", "video from two weeks ago when police came");
- hypothetical or someone else's intent: "threatened to", "said he would", "he was calling ... he
  never did", "plan was to", "as a joke";
- training, equipment and signage: "refresher course", "drill", "went over", "restocked", "kit",
  "sign reading", "test call" (across "and" and a colon: "a sign on it: USE #8 OR DIAL 911");
- not attending: "drove past", "without stopping", "down the highway", "on the scanner", "her
  husband is a".

The pipeline is built once, on first use (importing spaCy costs about half a second).
"""

from __future__ import annotations

import datetime
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Final, Literal, cast

if TYPE_CHECKING:
    from negspacy.negation import Negex
    from spacy.language import Language

__all__ = ["CATEGORIES", "Category", "categorise"]

Category = Literal["historical", "hypothetical", "training", "not_attending"]
CATEGORIES: Final[tuple[Category, ...]] = ("historical", "hypothetical", "training", "not_attending")

# Words that end a cue's reach inside a sentence ("last week he left, but police came today").
_TERMINATION: Final = [
    "but", "however", "although", "though", "yet", "then", "so", "which", "while", "when", "because",
    "after", "and then", "until", "today", "tonight", "this time", "now", ":", "and",
    # A guard's next action starts a new clause, which matters in run-ons typed without a full stop.
    "checked", "walked", "started", "logged", "handed", "escorted", "locked", "secured", "relieved", "parking",
    "garage", "lobby", "clubhouse", "stairwell", "all doors", "tow truck",
]  # fmt: skip
# A time scope governs its whole clause, across "and": "last winter a pipe burst and the FD came", and a "when"
# clause that dates an event by it: "video from two weeks ago when police came", "since the overdose in March when
# EMS came".
# A colon does not end it either: "Per pass-down from night shift: FD was on site 0300-0400".
_HISTORICAL_TERMINATION: Final = [word for word in _TERMINATION if word not in ("and", "when", ":")]
# A class, a sign or a title reaches across "and" and a colon: "module 'Working With Police and Fire Responders'",
# "taped a sign on it: USE #8 OR DIAL 911".
# And across "when" and "walked" (which ends a clause elsewhere: a guard's next round): "We walked through when to
# call the sheriff and fire dispatch".
_TRAINING_TERMINATION: Final = [word for word in _TERMINATION if word not in ("and", ":", "when", "walked")]

# Years before this one, as guards date an old event ("back in 2019", "in 2021").
_PAST_YEARS: Final = tuple(str(year) for year in range(1950, datetime.datetime.now(tz=datetime.UTC).year))
# "two summers ago", "months back": days and longer (minutes or hours ago may be this shift).
_AGO: Final = tuple(
    f"{unit} {word}"
    for unit in ("days", "nights", "weeks", "months", "years", "summers", "winters", "weekends", "a day", "a week",
                 "a month", "a year")
    for word in ("ago", "back")
)  # fmt: skip
_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A date written as month/day ("arrested here on 6/14", "the 11/3 incident"): guards date past events so; tonight's
# are told by the clock.
_DATES: Final = tuple(f"{month}/{day}" for month in range(1, 13) for day in range(1, 32))
# "the overdose in March": a month named is not tonight (this month's events are "earlier this month").
_MONTHS: Final = ("january", "february", "march", "april", "june", "july", "august", "september", "october",
                  "november", "december")  # fmt: skip

_TERMINATIONS: Final[dict[Category, list[str]]] = {
    "historical": _HISTORICAL_TERMINATION,
    "training": _TRAINING_TERMINATION,
}

# fmt: off
_CUES: Final[dict[Category, dict[str, list[str]]]] = {
    "historical": {
        "preceding": ["last month", "last week", "last year", "last summer", "last winter", "last spring", "last fall",
                      "last autumn", "last christmas", "last weekend", "in the past", "previously", "history of",
                      "per pass-down", "per pass down", "per passdown", "pass-down", "passdown notes", "used to",
                      "years ago", "a while back", "a while ago", "before i started", "before i got here",
                      "before my shift", "before i came on", "prior incident", "prior incidents", "previous reports",
                      "earlier this year", "earlier this month", "earlier this week",
                      "earlier in the week", "earlier in the month", "earlier in the year", "over the weekend",
                      "per the resident", "yesterday", "per last shift",
                      "last shift's notes", "the other day", "the other night", "the other week", "a few weeks ago",
                      "a couple weeks ago", "a couple of weeks ago", "day shift said", "day shift reported",
                      "per day shift", "the day guard told me", "day guard said", "the day officer told me",
                      "previous shift", "prior shift",
                      # Paperwork and figures about past calls: "records request from the sheriff's office",
                      # "monthly summary for March: 4 EMS calls", "EMS transported 37 fans this season".
                      "records request", "request from the", "monthly summary", "weekly summary", "summary for",
                      "end-of-season", "end of season", "season report", "this season", "incident binder",
                      "old incident", "per the night", "night auditor's notes", "auditor's notes", "pass-down from",
                      "yesterdays", "yesterday's", "last quarter", "last quarter's", "site stats", "stats",
                      "passdown", "pass down", "last semester", "last semester's", "debrief",
                      "day shift says", "night shift says", "swing shift says", "gm says", "the gm says",
                      "day shift notes", "notes say", "about the time", "the time when", "telling me about",
                      "last night's report", "per last night's", *(f"from {day}" for day in _WEEKDAYS),
                      "night shift left a note", "left a note", "prior officer's report", "prior officer's",
                      "from before", "before winter break", "before the break", "before spring break",
                      "read prior", "from last", *(f"from {date}" for date in _DATES), "last tues", "last thurs",
                      "last wed",
                      "last mon", "last fri", "last sat", "last sun",
                      *(f"{day} when" for day in _WEEKDAYS),
                      "her visit", "his visit", "their visit", "last visit", "previous visit",
                      *(f"{day} night" for day in _WEEKDAYS), *(f"{day}'s" for day in _WEEKDAYS),
                      "statistics", "day shift told me", "night shift told me", "swing shift told me",
                      # Hearsay and the log of the shift before: "was telling everybody that", "prior guard's log".
                      "was telling everybody", "telling everybody", "telling everyone", "told everyone",
                      "told everybody", "told me that", "told me the", "told me how", "prior guard", "previous guard",
                      "prior guard's log", "log says", "the log shows", "incident summary", "back then",
                      *(f"the {month}" for month in _MONTHS), *(f"in '{year:02d}" for year in range(100)),
                      *(f"{prefix} {date}" for prefix in ("on", "the", "from the") for date in _DATES),
                      *(f"{prefix} {year}" for prefix in ("the", "from the") for year in _PAST_YEARS),
                      "the last guard", "according to the log", "per the log", "since the", "ever since",
                      *(f"{prefix} {month}" for prefix in ("in", "back in", "last", "since") for month in _MONTHS),
                      *(f"{prefix} {year}" for prefix in ("back in", "in") for year in _PAST_YEARS),
                      *(f"last {day}" for day in _WEEKDAYS), *_AGO],
        "following": ["last month", "last week", "last year", "last winter", "last summer", "last spring",
                      "last fall", "last weekend", "back in", "years ago", "months ago", "weeks ago", "nights ago",
                      "days ago", "a year ago", "a month ago", "a week ago", "years back", "months back",
                      "weeks back", "in the past", "previously", "see previous reports", "per pass-down",
                      "per the resident", "per resident", "last time", "yesterday", "the other day",
                      "the other night", "earlier this week", "earlier this month", "before my shift",
                      "before i got here", "before i arrived", "before i came on", "before i started",
                      "prior to my shift", "prior to my arrival", "on day shift", "that night", "this season",
                      "emailed a request", "e-mailed a request", "by fax", "records request", "back then", "that day",
                      # Not "on Monday" after the service: "told him to call HR on Monday" is the future.
                      *(f"from {day}" for day in _WEEKDAYS), *_WEEKDAYS,
                      *(f"on {date}" for date in _DATES), "during day shift",
                      "on the day shift", "on the previous shift", "on the prior shift", "last shift",
                      *(f"in {year}" for year in _PAST_YEARS), *(f"last {day}" for day in _WEEKDAYS), *_AGO,
                      *(f"{prefix} {month}" for prefix in ("in", "back in", "last") for month in _MONTHS)],
    },
    "hypothetical": {
        "preceding": ["if", "unless", "in case", "incase", "whenever", "threatened to", "threatening to",
                      "threatens to", "threaten to", "going to", "gonna",
                      "wants us to", "want us to", "wanted us to", "would", "might", "may", "planning to",
                      "plans to", "said he would", "said she would", "will", "in the event", "for any future",
                      "in a medical emergency", "in an emergency", "in case of", "emergency plan", "next time",
                      "reminded", "instructed", "advised", "told the", "told him", "told her", "told them",
                      "asked if", "whether to", "offered to", "thinking about", "considering",
                      # Someone announcing a call ("yelled that he was calling the cops") is not a call.
                      "he was calling", "she was calling", "they were calling", "was going to call",
                      "were going to call", "was about to call", "about to call", "was gonna call",
                      # A plan, a general rule: "plan was to call PD ... but it drove off", "went over when to call".
                      "plan was to", "plan is to", "the plan was", "planned to", "plan to", "when to", "how to",
                      "as a joke", "joking", "jokingly", "kidding", "sarcastically", "as a prank", "pranking",
                      "messing around", "goofing around", "horsing around",
                      # Near misses and announced calls: "almost called the fire dept", "I'm calling the police".
                      "almost called", "nearly called", "almost", "nearly", "i'm calling", "im calling",
                      "started to call", "began to call", "before i called", "before i could call", "before we called",
                      "before calling",
                      "i am calling", "i'll call", "ill call", "we'll call", "we will call", "i will call", "we'd",
                      "he'd", "she'd", "they'd", "plan for", "plans for", "next month", "next week", "to schedule",
                      "schedule the", "declined to make", "declined to file",
                      "refused to make", "refused to file", "did not want to file", "didn't want to file",
                      "did not want to make", "didn't want to make",
                      "i'd", "yelled that", "yelling that", "shouted that", "screamed that"],
        "following": ["if it happens again", "if needed", "if necessary", "if he returns", "if she returns",
                      "if they return", "if he comes back", "if it continues", "next time", "in the future",
                      "if her husband", "if his", "if her",
                      # The intent taken back: "said he was calling the cops on us, he never did".
                      "never did", "never actually did", "did not actually", "didn't actually", "never called",
                      "never followed through", "never made the call", "no call made", "no call was made", "no call",
                      "in case of emergency", "as a joke",
                      "joking", "jokingly", "kidding", "as a prank", "messing around", "goofing around",
                      "in an emergency", "in emergencies", "for emergencies", "to be called if", "are to be called",
                      "is to be called", "to be notified if", "would be contacted", "would be called",
                      "will be called", "will be contacted", "will be staged", "to be staged", "will be assigned"],
    },
    "training": {
        "preceding": ["training", "course", "class", "refresher", "drill", "certification", "module", "exercise",
                      "restocked", "restock", "inventory", "reviewed", "tabletop", "scenario", "covered calling",
                      "covered how", "covered when", "walked through", "talked through", "went through",
                      "practiced", "practised", "call script", "pretend", "role-play", "roleplay", "role play",
                      "explained", "explained that", "gave a talk", "evacuation training", "shirt that said",
                      "safety meeting", "community meeting", "show the volunteers", "how to use", "it was a class",
                      "podcast", "listening to", "timed how", "timed us",
                      "shirt said", "jacket that said", "costume", "halloween",
                      # A title: "screening of the documentary 'Engine Company 9'".
                      "documentary", "screening of", "the movie", "the film", "episode", "taping of", "filming of",
                      "replay", "footage of", "playing the",
                      # "practice" alone is also a sport's ("hurt at soccer practice, EMS came"): only as training.
                      "practice drill", "practice session", "cpr practice", "first aid practice", "practice run",
                      # Signage and printed matter: "sign reading POLICE ONLY", "the 911 sticker on the phone".
                      "sign reading", "sign says", "sign that says", "sign saying",
                      "signs saying", "signage", "sticker", "stickers", "poster", "posters", "placard", "decal",
                      "flyer", "flyers", "brochure", "test call", "tested the phone", "tested the elevator phone",
                      "tested the emergency phone", "tested the call box", "mock", "simulated", "simulation",
                      # Going over procedures with a new guard: "went over when to call 911", "learned to ...".
                      "went over", "go over", "going over", "learned", "learning", "new hire", "orientation",
                      "shadowed", "shadowing", "briefing", "briefed", "walked him through", "walked her through",
                      # Written procedure, not tonight: "Post orders updated: in the event of a leak, request HAZMAT".
                      "post orders updated", "post orders were updated", "updated the post orders", "new post orders",
                      "procedure states", "procedure says", "protocol says", "post orders for", "tomorrow's",
                      "new post order", "read new post order", "read the post order", "post order:", "event plan",
                      "emergency plan", "wrote the emergency plan", "starting tomorrow", "from now on", "going forward",
                      "a sign", "the sign", "taped a sign", "posted a sign", "put up a sign", "sign on it",
                      "sign on the", "label says", "label reads", "sign reads", "sign read", "the label"],
        "following": ["training", "course", "class", "refresher", "certification", "kit", "cabinet", "kit inventory",
                      "for the exercise", "for the drill", "for the training", "as part of the drill", "reps",
                      "for exercise", "extrication practice", "for practice", "training exercise", "took part",
                      "to observe", "to evaluate", "observe the", "evaluate the", "familiarization drill",
                      "familiarization",
                      "walkthrough", "walk-through", "gave feedback", "feedback afterward",
                      "gave notes", "watched from the lot", "it was a class", "gave a talk", "to show the",
                      "feedback on the drill", "timed how", "watched from the parking",
                      "show the volunteers", "how to use", "community safety meeting", "safety meeting",
                      "observed drill", "observed the drill", "observed the evacuation",
                      "participated", "playing victims",
                      "representatives", "liaison", "liaisons", "talked through",
                      "only sign", "only signs", "sign on", "signs on", "sign at", "signage", "sticker",
                      "stickers", "decal", "poster", "test call", "per the script", "phone test", "info sheet",
                      "contact sheet",
                      "contact list", "phone list"],
    },
    "not_attending": {
        "preceding": ["heard sirens", "sirens",
                      # Another property's call for its own premises: "Security at the next building called police".
                      # A neighbour's call that brings the service onto our site has no such cue and counts.
                      "next building", "neighboring property", "neighbouring property", "neighboring building",
                      "neighbouring building", "building next door", "property next door",
                      # Someone's job, not a visit: "her son is a police officer".
                      "son is a", "husband is a", "wife is a", "daughter is a", "brother is a", "sister is a",
                      "father is a", "dad is a", "mother is a", "mom is a", "works for the", "used to be a",
                      "retired", "on tv", "on the news", "accidentally dialed", "accidentally called", "accidently",
                      "accidentally",
                      "accidentally dialled", "pocket dialed", "butt dialed", "misdialed"],
        "following": ["drove past", "drove by", "driving by", "went by", "went past", "passed by", "passed on",
                      # Passing on a road: "fire trucks screaming down the highway".
                      "down the highway", "down the road", "down the street", "up the road", "up the street",
                      "on the freeway", "on the interstate", "on the main road", "in the distance",
                      "across the road", "across the way", "on the frontage road", "headed north", "headed south",
                      "headed east", "headed west", "headed down", "headed up", "headed toward", "headed towards",
                      "heading down", "heading toward", "heading towards",
                      "flew by", "flew past", "sped by", "sped past", "speeding by", "speeding past", "raced by",
                      "raced past", "racing by", "racing past", "passing through", "kept going", "kept driving",
                      "on another call", "responding to another call", "tied up on another call",
                      "at another property", "at another site", "on tv", "on the news",
                      "on the radio", "on the scanner", "over the scanner", "in the news",
                      "passing by", "without stopping", "did not stop", "didn't stop", "did not enter",
                      "not for us", "on the highway", "heading north", "heading south", "heading east",
                      "heading west", "next door", "neighboring property", "neighbouring property",
                      "did not come on", "didn't come on", "never came on", "did not come onto", "off property",
                      "not on property", "across the street", "nothing at ours", "nothing at our site",
                      "nothing on our site", "nothing on our property", "not at our site", "for their alarm",
                      # A road closed off-site: "PD had the intersection blocked, our shuttle went around".
                      "intersection at", "going around", "detoured", "got delayed",
                      # Off our ground: "handled it out on the street", "staged on their side, none on our property".
                      "out on the street", "on the street", "in the street", "out on the road", "on their side",
                      "none on our property", "not on our property", "outside our gate", "outside the gate",
                      "outside the main gate", "at the intersection", "for the parade", "for a parade",
                      "in the parade", "staging for", "at the other venue", "none came by", "none came to",
                      "none came", "not on my route", "across the street had", "next door had", "not on campus",
                      "not our incident", "out on the roadway", "on the roadway", "for the marathon",
                      "for the half marathon",
                      "for the race"],
    },
}
# fmt: on
# Cue words that are not cues here: "gave narcan from the kit" is a use, not a restock.
# fmt: off
_PSEUDO: Final = ["no further", "not only", "gave the all clear", "from the kit", "from a kit", "from my kit",
                  "from our kit", "from his kit", "from her kit", "out of the kit", "from the first aid kit",
                  "from the trauma kit", "from the narcan kit", "from the aed cabinet",
                  # Held up on the way, not passing by: "the fire crew was stuck in traffic on the main road".
                  "traffic on the main road", "traffic on the highway", "traffic on the freeway",
                  "traffic on the interstate", "traffic down the road"]
# fmt: on


@lru_cache(maxsize=1)
def _pipeline() -> Language:
    import spacy  # noqa: PLC0415  -- deferred: spaCy takes half a second to import
    from negspacy.negation import Negex  # noqa: F401, PLC0415  -- registers the "negex" factory

    nlp = spacy.blank("en")
    for category in CATEGORIES:
        cues = _CUES[category]
        nlp.add_pipe(
            "negex",
            name=category,
            config={
                "neg_termset": {
                    "pseudo_negations": _PSEUDO,
                    "preceding_negations": cues["preceding"],
                    "following_negations": cues["following"],
                    "termination": _TERMINATIONS.get(category, _TERMINATION),
                },
                "extension_name": f"context_{category}",
            },
        )
    return nlp


def categorise(
    text: str, sentences: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int]]
) -> list[set[Category]]:
    """For each (start, end) character span of `text`, the ConText categories that modify it.

    `sentences` are the sentence boundaries (character offsets): a cue reaches only inside its sentence.
    """
    if not spans:
        return []
    nlp = _pipeline()
    doc = nlp.make_doc(text)
    starts = {start for start, _ in sentences}
    for token in doc:
        token.is_sent_start = token.i == 0 or token.idx in starts
    # Each span as tokens, in the order of the spans; one that aligns with no token is modified by nothing.
    targets: list[tuple[int, int, int]] = []
    for position, (start, end) in enumerate(spans):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            targets.append((span.start, span.end, position))
    targets.sort()
    target_starts = [start for start, _, _ in targets]
    result: list[set[Category]] = [set() for _ in spans]
    for category, pipe in nlp.pipeline:
        component = cast("Negex", pipe)
        # negspacy finds the cues and the termination boundaries; the ConText rule is then applied here, once per
        # sub-sentence, to the spans inside it. (negspacy's own loop reads every entity of the document for each
        # sub-sentence, quadratic in a long run-on.) A preceding cue modifies what follows it in its sub-sentence,
        # a following cue what precedes it.
        preceding, following, terminating = component.process_negations(doc)
        for begin, finish in component.termination_boundaries(doc, terminating):
            before = [start for _, start, _ in preceding if begin <= start < finish]
            after = [end for _, start, end in following if begin <= start < finish]
            if not before and not after:
                continue
            first_cue, last_cue = min(before, default=finish), max(after, default=begin)
            for start, end, position in targets[bisect_left(target_starts, begin) :]:
                if start >= finish:
                    break
                if end <= finish and (first_cue < start or last_cue > end):
                    result[position].add(cast(Category, category))
    return result

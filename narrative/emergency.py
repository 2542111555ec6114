"""Emergency mentions: which services a narrative says came or were called, read in context, with the reason.

How `find_emergency_mentions` reads a narrative:

1. Split it into sentences (`narrative.sentences`).
2. In each sentence find the candidate terms: the built-in vocabulary of `narrative.terms`
   (service words, 911 calls, events such as "smoke" or "not breathing", hints such as "fell"),
   and the agency gazetteer (`narrative.gazetteer`: defaults, the company's and the site's own
   terms, officers named by surname, misspelt service words).
3. Set aside what is not a service at all: a surname ("Officer Fireman", "Mr. Police"), one of the
   company's own guards (`guard_names`: "Officer Ruiz took over post 3"), a number ("apartment 911",
   "911 Oak St", "cart 911").
4. Read each term in context: negated or hypothetical in its clause (`narrative.scope`: "no
   police needed", "told the tenant to call 911"), then historical, someone's intent, training
   or not attending (`narrative.context`, ConText run by negspacy: "last month", "threatened
   to", "refresher course", "drove past without stopping", "security at the next building called
   police": another property's call for its own premises). A later clause or the next sentence that
   reports the arrival takes back a negation, a condition or a past visit ("did not show up for an
   hour, but then came", "No ambulance at first. It arrived at 2215", "last month the FD came;
   tonight they came again"); it does not take back training or a service that drove past. A
   neighbour's call that brought the service onto our site counts like our own.
5. Decide what is left:
   - a service term with an arrival or a call in its sentence ("Engine 7 ... arrived", "called the
     police"), or one that implies it ("arrested", "transported to the hospital", "Medic 12"),
     is *attended*;
   - a service term alone, or an event ("smoke", "unconscious"), is *uncertain*: mentioned,
     attendance unknown;
   - a 911 call is attended by the service what happened calls for: the services and events of
     its sentence, else of the sentences around it, else of the whole narrative ("man down" is
     EMS, "fight" police, "smoke" fire); police only when the narrative says nothing.
Each mention carries its sentence and a reason a manager can check at a glance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from narrative.context import categorise
from narrative.gazetteer import AgencyTerms, gazetteer_for
from narrative.scope import affirmed_terms
from narrative.sentences import normalise, sentence_spans
from narrative.terms import Service, Term, find_terms

__all__ = ["EmergencyMention", "MentionStatus", "Service", "attended_services", "find_emergency_mentions"]

MentionStatus = Literal["attended", "uncertain"]


@dataclass(frozen=True, slots=True)
class EmergencyMention:
    """One sentence saying that a service came or was called (attended), or only mentioning one (uncertain)."""

    service: Service
    phrase: str
    sentence: str
    status: MentionStatus = "attended"
    reason: str = ""
    event: bool = False  # an event ("smoke", "not breathing"), not a service word


_SERVICE_ORDER: Final[tuple[Service, ...]] = ("fire", "police", "ems")
SERVICE_NAMES: Final[dict[Service, str]] = {"fire": "fire service", "police": "police", "ems": "EMS"}

# A term naming a service, not an event ("smoke", "not breathing", "shots fired").
_SERVICE_WORD_RE: Final = re.compile(
    r"fire\s*(?:dep|dpt|fight|men|man|truck|engine|crew|rescue|chief|brigade|service|squad|unit|apparatus|personnel"
    r"|captain|company|marshal)|fd\b|f\.d|police|pd\b|p\.d|cops?\b|squad|enforcement|trooper|patrol|detective|swat"
    r"|deput|sheriff|officer|ambul|ems\b|e\.m\.s|emts?\b|medic|rescue|medical\s+(?:resp|team|unit|assist|call)"
    r"|engine|ladder|battalion|arrest|custody|transported|taken|rushed|brought|transferred|carried|sent|hospital"
    r"|emergency\s+(?:line|number)"
)
# A term that says by itself that the service was there: an arrest, a transport, a numbered unit, a report.
_SELF_ATTENDING_RE: Final = re.compile(
    r"arrest|custody|transported|taken|rushed|brought|transferred|carried|sent|hospitali|report"
    r"|(?:engine|ladder|battalion|medic|truck|squad|rescue|tower)\s*(?:co\.?\s*)?#?\s*\d"
    r"|(?:officers?|ofcs?|deput\w+|sgt|sergeant|troopers?|detective)\s.*\b(?:arriv\w*|respond\w*|came|showed|pulled"
    r"|dispatched|on\s+scene|took)"
)
# After the term, in its sentence: the service acting on site ("arrived", "reset the panel", "took a report").
_ACTS_AFTER_RE: Final = re.compile(
    r"\b(?:arriv\w*|respond\w*|came|come\s+out|showed\s+up|show\s+up|pulled\s+up|on[\s-]+(?:scene|site)|onsite"
    r"|dispatched|called|contacted|notified|requested|summoned|sent\s+(?:a|an|two|over|someone|somebody|units?|\w+\s+units?"
    r"|out|help|people|crews?|cars?)|transport\w*|took|taken|vented|forced|walked|metered|left\s+(?:at|the\s+scene)"
    r"|treated|evaluated|assessed|checked|cleared|put\s+(?:it\s+|the\s+\w+\s+(?:\w+\s+)?)?out"
    r"|knocked\s+(?:it\s+|the\s+\w+\s+(?:\w+\s+)?)?down|extinguished|detained|arrested"
    r"|escorted|handled|served|collected|ventilated|carried|reset|shut\s+off|gave|inspected|investigated|attended"
    r"|en\s*route|spoke|talked|filed|issued|cited|released|started|worked|stopped\s+by|came\s+by|stood\s+by"
    r"|(?:was|were)\s+here|on\s+(?:the\s+)?property|pulled|removed|secured|got\s+(?:here|there|on\s+scene)"
    r"|made\s+(?:it\s+)?(?:here|there)|turned\s+up|picked\s+up|searched|swept|interviewed|questioned|photographed"
    r"|showed(?=\s+(?:at|around|about)\b)|rolled\s+up|splinted|wrapped|bandaged"
    r"|took\s+over|did\s+(?:arrive|come|respond|show))\b"
)
# Before the term, in its clause: a call ("called the police", "I contacted EMS").
_CALLED_BEFORE_RE: Final = re.compile(
    r"\b(?:called|call(?:ing)?|contacted|notified|requested|summoned|radioed|flagged\s+down|dialed|phoned|got"
    r"|dispatched|sent\s+for)"
    r"(?:\s+\S+){0,3}\s*$"
)
# A negation the sentence takes back: "did not show up for an hour, but then came and took the report".
_LATER_ARRIVAL_RE: Final = re.compile(
    r"(?:;|\b(?:but|then|eventually|finally|later|still|anyway|tonight|today|this\s+time)\b).*\b(?:came|arrived"
    r"|showed\s+up|responded|took|on\s+scene|arrested|transported)\b"
    r"|\b(?:came|arrived|responded|showed\s+up|were\s+back|was\s+back)\s+again\b"
)

# The next sentence says they came: "The alarm company called the fire department; they arrived at 0232."
_ARRIVAL_FOLLOWS_RE: Final = re.compile(
    r"(?:(?:eventually|then|later|finally|soon|and|tonight|today|this\s+time|now|but)\s*,?\s+)?(?:they|an?\s+officer|the\s+officers?|officers|the\s+crew"
    r"|a\s+crew|a\s+unit|units|two\s+units|one|it)\s+(?:\w+\s+)?(?:arrived|came|showed(?:\s+up)?|responded|got\s+here"
    r"|got\s+there|did\s+(?:arrive|come|respond|show))\b"
)
# A bare "911" that is an address or a label, not a call.
_NUMBER_BEFORE_RE: Final = re.compile(
    r"(?:#|\b(?:apartment|apt|unit|room|rm|suite|ste|space|spot|stall|lot|building|bldg|house|door|box|locker|no"
    r"|number|bus|route|gate|dock|floor|pod|cell|badge|code|plate|tag|cart|car|van|truck|vehicle|ext|extension"
    r"|channel|model|ticket|case|order|invoice|flight|train|forklift|scooter|bike|ends?\s+in|ending\s+in)\.?)"
    r"\s*#?\s*$"
)
_STREET_AFTER_RE: Final = re.compile(
    r"^\s+(?:[a-z]+\s+){0,2}(?:st|street|ave|avenue|rd|road|blvd|dr|drive|ln|lane|way|ct|court|pl|place|pkwy|hwy"
    r"|cir|circle|ter|terrace)\b"
)
# Title or role before a capitalised service word: a person's name ("Officer Fireman", "tech Joe Sheriff").
_TITLES: Final = frozenset(
    [
     "officer", "ofc", "mr", "mrs", "ms", "miss", "dr", "supervisor", "sup", "tech", "technician", "resident",
     "tenant", "manager", "mgr", "guard", "named", "agent", "maintenance", "concierge", "porter", "doorman",
     "valet", "clerk", "attendant", "janitor", "custodian", "contractor", "vendor", "driver", "coworker",
    ]
)
_LIST_GAP_RE: Final = re.compile(r"\s*(?:,|&|/|and|,\s*and)\s*")
# These never stand before a service: "mr police" is a person, whatever the case.
_PERSONAL_TITLES: Final = frozenset(["officer", "ofc", "mr", "mrs", "ms", "miss", "dr"])
# What a 911 call was for, beyond the hints of `narrative.terms`.
_EXTRA_HINTS: Final[tuple[tuple[re.Pattern[str], Service], ...]] = (
    (re.compile(r"\b(?:man|person|woman|guy|male|female|subject|someone)\s+down\b|not\s+respond\w*|passed\s+out"
                r"|unconscious|unresponsive|seizure|overdos\w*|breathing|no\s+pulse|cpr|narcan|stroke|bleed\w*"
                r"|chest|went\s+down|fell\s+down|dropped\s+to|aed|(?:lying|laying)\s+(?:on\s+the\s+)?(?:ground|floor)"
                r"|not\s+moving|(?:could\s+not|couldn'?t|can'?t|cannot)\s+(?:move|get\s+up|stand)"
                r"|hit\s+(?:his|her|their)\s+head|slipped|fell|fainted|collapsed|injur\w*|hurt|broken|seizing"),
     "ems"),
    (re.compile(r"\b(?:glass\s+break\w*|breaking\s+in|climbing\s+in|screaming\s+for\s+help|shots?\s+fired|gunshots?"
                r"|fighting|fight|punch\w*|stabb\w*|robb\w*|carjack\w*|trespass\w*|intruder|weapon|knife|gun)\b"),
     "police"),
    (re.compile(r"\b(?:smoke|smoking\s+from|flames?|fire|burning|gas|sparks?|explosion|ablaze)\b"), "fire"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Found:
    term: Term  # offsets in the whole text
    sentence: int
    event: bool


def find_emergency_mentions(
    text: str, *, agency_terms: Sequence[AgencyTerms | None] = (), guard_names: Iterable[str] = ()
) -> list[EmergencyMention]:
    """The services a narrative says came or were called (attended) or only mentions (uncertain), in reading order.

    `agency_terms`: a company's and a site's own agency words, `{service: [terms]}`, added to the defaults.
    `guard_names`: the surnames of the company's own guards: "Officer Ruiz took the report" is then ours, not police.
    """
    low = normalise(text)
    spans = sentence_spans(text)
    gazetteer = gazetteer_for(*agency_terms)
    guards = frozenset(name.strip().lower() for name in guard_names if name.strip())
    followed = _followed_by_arrival(low, spans)
    candidates: list[_Found] = []
    reopened: set[int] = set()
    for index, (start, end) in enumerate(spans):
        sentence_low = low[start:end]
        agencies = gazetteer.find(sentence_low, guard_names=guards)
        terms = _merge(find_terms(sentence_low, hints=True), agencies)
        terms = [t for t in terms if not _is_a_name(text[start:end], t) and not _is_a_number(sentence_low, t)]
        kept = set(affirmed_terms(sentence_low, terms))
        for term in terms:
            # A later clause or the next sentence reports the arrival: "no ambulance at first. It arrived at 2215",
            # "last month the FD came; tonight they came again". It takes back a negation, a condition, a past visit.
            taken_back = term.kind == "named" and (
                _LATER_ARRIVAL_RE.search(sentence_low, term.end) is not None or index in followed
            )
            if term in kept or taken_back:
                if taken_back:
                    reopened.add(len(candidates))
                # An event ("smoke", "not breathing") says something happened, not that a service came;
                # but "police, fire and EMS" lists the fire service.
                event = (
                    term.kind == "named"
                    and term not in agencies
                    and not _names_a_service(sentence_low, term)
                    and not _listed_with_services(sentence_low, term, terms)
                )
                whole = Term(term.kind, term.service, start + term.start, start + term.end)
                candidates.append(_Found(whole, index, event))
    if not candidates:
        return []
    categories = categorise(text, spans, [(item.term.start, item.term.end) for item in candidates])
    found = [
        item
        for position, (item, modifiers) in enumerate(zip(candidates, categories, strict=True))
        if not modifiers or (position in reopened and "not_attending" not in modifiers and "training" not in modifiers)
    ]
    return _mentions(text, low, spans, found, followed)


def attended_services(mentions: Sequence[EmergencyMention]) -> list[Service]:
    """The services some mention says came or were called, in a stable order."""
    present = {m.service for m in mentions if m.status == "attended"}
    return [service for service in _SERVICE_ORDER if service in present]


def _merge(built_in: list[Term], extra: list[Term]) -> list[Term]:
    """Both lists, leftmost and longest first, without overlaps."""
    chosen: list[Term] = []
    for term in sorted(built_in + extra, key=lambda t: (t.start, -(t.end - t.start))):
        if not chosen or term.start >= chosen[-1].end:
            chosen.append(term)
    return chosen


def _names_a_service(sentence_low: str, term: Term) -> bool:
    return _SERVICE_WORD_RE.search(sentence_low[term.start : term.end]) is not None


def _listed_with_services(sentence_low: str, term: Term, terms: Sequence[Term]) -> bool:
    """Bare "fire" between other services in a list: "Police, fire and EMS on scene"."""
    if sentence_low[term.start : term.end] != "fire":
        return False
    for other in terms:
        if other is term or not _names_a_service(sentence_low, other):
            continue
        gap = sentence_low[min(term.end, other.end) : max(term.start, other.start)]
        if other.kind == "named" and _LIST_GAP_RE.fullmatch(gap):
            return True
    return False


def _is_a_name(sentence: str, term: Term) -> bool:
    """A service word used as a surname: "Officer Fireman", "Mr. Police", "Supervisor Mike Cops"."""
    phrase = sentence[term.start : term.end]
    before = sentence[: term.start].replace(".", " ").split()[-3:]
    if term.kind != "named" or " " in phrase:
        return False
    if before and before[-1].lower() in _PERSONAL_TITLES:
        return True
    if not phrase[:1].isupper():
        return False
    shouting = sentence.isupper()
    for distance, word in enumerate(reversed(before)):
        if word.lower() in _TITLES:
            return True
        if shouting or not word[:1].isupper() or distance >= 1:
            return False
    return False


def _is_a_number(sentence_low: str, term: Term) -> bool:
    """A bare 911 that is an address or a label: "apartment 911", "911 Oak St", "unit #911"."""
    if term.kind != "unspecified" or sentence_low[term.start : term.end] not in ("911", "9-1-1"):
        return False
    return (
        _NUMBER_BEFORE_RE.search(sentence_low, 0, term.start) is not None
        or _STREET_AFTER_RE.match(sentence_low[term.end :]) is not None
    )


def _followed_by_arrival(low: str, spans: Sequence[tuple[int, int]]) -> set[int]:
    """Sentences whose next one says "they arrived": the service named here came."""
    return {index for index in range(len(spans) - 1) if _ARRIVAL_FOLLOWS_RE.match(low, spans[index + 1][0])}


def _mentions(
    text: str, low: str, spans: Sequence[tuple[int, int]], found: list[_Found], followed: set[int]
) -> list[EmergencyMention]:
    mentions: list[EmergencyMention] = []
    seen: set[tuple[Service, int, int]] = set()

    def add(service: Service, item: _Found, status: MentionStatus, reason: str) -> None:
        if (service, item.term.start, item.term.end) in seen:
            return
        seen.add((service, item.term.start, item.term.end))
        start, end = spans[item.sentence]
        phrase = text[item.term.start : item.term.end]
        mentions.append(EmergencyMention(service, phrase, text[start:end], status, reason, item.event))

    for item in found:
        term = item.term
        start, end = spans[item.sentence]
        sentence = text[start:end]
        phrase = text[term.start : term.end]
        quote = f"\u2018{sentence}\u2019"
        if term.kind == "unspecified":
            services, why = _services_for_call(item, low, spans, found)
            for service in services:
                add(service, item, "attended", f"{quote} \u2014 {phrase} called, {why}: {SERVICE_NAMES[service]}")
        elif term.kind == "named" and term.service is not None:
            if item.event:
                add(term.service, item, "uncertain", f"{quote} \u2014 mentions {phrase}; no service said to have come")
            elif item.sentence in followed or _attends(low[start:end], term.start - start, term.end - start):
                add(term.service, item, "attended", f"{quote} \u2014 {SERVICE_NAMES[term.service]} attended")
            else:
                add(term.service, item, "uncertain", f"{quote} \u2014 mentions {phrase}; attendance not said")
    return mentions


def _attends(sentence_low: str, start: int, end: int) -> bool:
    """Does the sentence say the service at [start, end) came, or was called?"""
    if _SELF_ATTENDING_RE.search(sentence_low, start, end):
        return True
    return (
        _ACTS_AFTER_RE.search(sentence_low, end) is not None
        or _CALLED_BEFORE_RE.search(sentence_low[:start]) is not None
    )


def _services_for_call(
    call: _Found, low: str, spans: Sequence[tuple[int, int]], found: Sequence[_Found]
) -> tuple[list[Service], str]:
    """Which services a 911 call brings, from what happened: this sentence, its neighbours, the narrative."""
    for reach, why in (
        (0, "for what this sentence says"),
        (1, "for what the report says"),
        (None, "for what happened"),
    ):
        services: set[Service] = set()
        for item in found:
            near = reach is None or abs(item.sentence - call.sentence) <= reach
            if near and item is not call and item.term.service is not None and item.term.kind != "unspecified":
                services.add(item.term.service)
        for index, (start, end) in enumerate(spans):
            if reach is None or abs(index - call.sentence) <= reach:
                services.update(_extra_hints(low[start:end]))
        if services:
            return [s for s in _SERVICE_ORDER if s in services], why
    return ["police"], "for nothing the report names (police assumed)"


def _extra_hints(sentence_low: str) -> set[Service]:
    """Services what a sentence describes calls for, by the extra hint patterns, where nothing negates them."""
    found: set[Service] = set()
    for pattern, service in _EXTRA_HINTS:
        for match in pattern.finditer(sentence_low):
            if affirmed_terms(sentence_low, [Term("hint", service, match.start(), match.end())]):
                found.add(service)
                break
    return found

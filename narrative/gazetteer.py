"""The agency gazetteer: the words a narrative uses for fire, police and EMS, beyond the built-in rules.

`narrative.terms` knows the generic vocabulary ("fire department", "APD", "paramedics"). What
differs by place lives here as plain data: US defaults (constables, precincts, state and county
agencies, private ambulance companies, engine/ladder/medic units), extended per company
(`RuleSettings.agency_terms`) and per site (`Site.agency_terms`), both `{service: [terms]}`.

A term is matched as whole words, case-insensitively; a term ending in " #" takes a unit number
("medic #" matches "Medic 12", "Medic #4"). Officers named by surname ("Officers Ruiz and Park
arrived") are found by a pattern, and misspelt service words ("ambulence", "polcie") by
`rapidfuzz` against a short list, with real words that look alike ("policy", "offices") excluded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, cast

from rapidfuzz import fuzz, process

from narrative.sentences import PUNCTUATION, word_set
from narrative.terms import Service, Term

__all__ = ["DEFAULT_AGENCY_TERMS", "SERVICES", "AgencyTerms", "Gazetteer", "agency_terms_problem", "gazetteer_for"]

SERVICES: Final[tuple[Service, ...]] = ("fire", "police", "ems")

AgencyTerms = Mapping[str, Iterable[str]]

# fmt: off
DEFAULT_AGENCY_TERMS: Final[dict[Service, tuple[str, ...]]] = {
    "fire": (
        "fire rescue", "fire & rescue", "fire and rescue", "fire marshal", "fire marshals", "fire inspector",
        "battalion chief", "battalion #", "engine #", "ladder #", "truck #", "squad #", "rescue #", "tower #",
        "quint #", "tanker #", "brush #", "hazmat #", "heavy rescue",
        "engine co", "engine company", "ladder company", "truck company", "engine companies",
        "ladder companies", "truck companies", "fire personnel", "hazmat", "haz-mat", "hazmat team",
        "fire crew", "fire crews", "fire units", "volunteer fire", "vfd", "fire district", "county fire",
        # Apparatus named by kind or by owner, without the word "fire": "a ladder truck came", "a county engine".
        "ladder truck", "ladder trucks", "aerial truck", "aerial ladder", "pumper", "pumper truck", "brush truck",
        "brush engine", "county engine", "county engines", "city engine", "engine crew", "truck crew",
        "cal fire", "calfire", "forestry crew", "wildland crew", "fireboat", "fireboats", "fire boat", "fire boats",
        "brush unit", "brush units", "rescue crew", "heavy rescue crew", "engine and rescue",
        # Airport fire service: aircraft rescue and firefighting.
        "arff", "crash fire rescue", "crash rescue", "city fire", "engine and ladder", "engines and ladders",
        "turnout gear", "the truck company", "fire detail",
    ),
    "police": (
        "constable", "constables", "constable's office", "precinct", "state police", "state trooper",
        "state troopers", "highway patrol", "state patrol", "chp", "dps", "sheriff's office", "sheriffs office",
        "sheriff's deputies", "sheriff's deputy", "county sheriff", "so deputies", "patrol unit", "k9 unit",
        "k-9 unit", "squad car", "squad cars", "patrol car", "police unit", "marshals service", "us marshals",
        # Not "officer on scene": a security log's "Officer on scene, pt breathing" is our own officer.
        "campus police", "transit police", "metro police", "police officer on scene", "police officers on scene",
        "deps", "sheriffs deps", "sheriff deps",
        # Officers by role and slang: a school resource officer, the town marshal, law enforcement officers, a cruiser.
        "marine patrol", "harbor patrol", "harbour patrol", "sro", "school resource officer", "resource officer",
        "town marshal", "city marshal", "leo", "leos", "the law",
        "cruiser", "patrol cruiser", "the blue lights", "city units", "county units", "patrol units",
        # Slang for patrol cars, and the officer a report names by role: "the responding officer took the report".
        "blue and whites", "blue-and-whites", "black and whites", "black-and-whites", "responding officer",
        "responding officers", "metro officers", "city officers", "county officers", "rcmp", "mounties", "opp",
        "county so", "the so", "township police", "tribal police", "airport police", "park police",
        "bomb squad", "detail officer", "detail officers", "officers working the detail", "off-duty officer",
        "off-duty officers", "off duty officer", "off duty officers",
    ),
    "ems": (
        "amr", "american medical response", "rural metro", "acadian ambulance", "falck", "global medical response",
        "medic #", "medic unit", "ambulance service", "ambulance crew", "ems crew", "ems unit", "rescue squad",
        "life flight", "lifeflight", "air ambulance", "careflight", "emt", "emts", "paramedic unit",
        # Helicopters and the private ambulance companies guards name without the word "ambulance".
        "medevac", "med evac", "medflight", "med flight", "air evac", "airlift", "air lift", "flight for life",
        "stat medevac", "medical helicopter", "medstar", "ambulnz", "remsa", "sunstar", "lifestar", "transcare",
        "gold cross", "priority ems", "medic unit #", "ems unit #", "ambulance #",
        # Advanced and basic life support units: "ALS unit on scene 0812".
        "als unit", "bls unit", "als units", "bls units", "als crew", "bls crew", "als ambulance", "bls ambulance",
        "county squad", "als #", "bls #", "als rig", "bls rig", "county rig", "city rig", "medic rig", "ems rig",
        "stair chair",
        "air medical",
    ),
}
# fmt: on

# Single service words a typo may hide, and the service each names.
_FUZZY_WORDS: Final[dict[str, Service | None]] = {
    # "department" names its service by the word before it: "fire departmant", "police deparment".
    "department": None,
    "ambulance": "ems",
    "ambulances": "ems",
    "paramedic": "ems",
    "paramedics": "ems",
    "police": "police",
    "deputies": "police",
    "sheriff": "police",
    "sheriffs": "police",
    "troopers": "police",
    "constable": "police",
    "firefighters": "fire",
    "firefighter": "fire",
    "firemen": "fire",
    # Six letters: "medicks", "medcis". "medic" alone is a typo away from "media".
    "medics": "ems",
}
# Real words within a typo of a service word: never a misspelling of one.
_LOOKALIKES: Final = word_set(
    """policy policies polite politely polish policed officer offices office paramount ambulatory sheriff's firefight
    firefights fireman deputy deputize deputized trooper amulance duties troops ambiance fighters medical medico
    medicine meds metrics medias medici melodic mimics"""
)
_FUZZY_CUTOFF: Final = 80.0
# Five letters reach "plice" and "polce"; shorter words are too often real words one letter off.
_FUZZY_MIN_LENGTH: Final = 5
_OWNER_RE: Final = re.compile(r"(?<!\w)(fire|police)\s+$")
_SPLIT: Final = str.maketrans(dict.fromkeys(PUNCTUATION.replace("'", ""), " "))

# A surname: a word that is not a negation or an auxiliary ("the deputy never came" names no one).
_NAME: Final = r"(?!(?:never|not|no|did|didn'?t|was|were|had|has|have|who|that|would|could)\b)[a-z][a-z'-]+"
# "Officers Ruiz and Park arrived", "Officer Chen responded": police named by surname, with arrival.
_NAMED_OFFICERS_RE: Final = re.compile(
    r"(?<!\w)(?:officers?|ofc\.?|ofcs\.?|deputy|deputies|sgt\.?|sergeant|trooper|troopers|detective)\s+"
    rf"(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME}){{0,3}})\s+"
    r"(?:(?:eventually|finally|then|later|also|quickly|soon|already|just|both)\s+)?"
    # "took over" is a guard taking a post ("Officer Lee took over post 3"), not police taking a report.
    r"(?:arrived|responded|came|showed\s+up|pulled\s+up|were\s+dispatched|was\s+dispatched|on\s+scene|took(?!\s+over))\b"
)
_NAME_SPLIT_RE: Final = re.compile(r"\s*(?:,|\band\b|&)\s*")
# A surname that is itself a service word names a person, not the police: "Officer Fireman arrived".
_SERVICE_SURNAMES: Final = frozenset(
    [
        "fireman",
        "firemen",
        "medic",
        "medics",
        "sheriff",
        "police",
        "cop",
        "cops",
        "paramedic",
        "trooper",
        "deputy",
        "marshal",
        "ranger",
        "constable",
        "ambulance",
        "rescue",
        "engine",
        "ladder",
        "patrol",
    ]
)


@dataclass(frozen=True)
class Gazetteer:
    """Agency terms per service, compiled: the defaults and any a company or a site adds."""

    terms: tuple[tuple[Service, tuple[str, ...]], ...]
    regex: re.Pattern[str]
    service_of: Mapping[str, Service]

    def find(self, low: str, *, guard_names: frozenset[str] = frozenset()) -> list[Term]:
        """Agency terms, named officers and misspelt service words in one lower-cased sentence.

        `guard_names`: the company's own guards' surnames, lower-cased: "Officer Ruiz arrived" is our guard.
        """
        found = [self._term(match) for match in self.regex.finditer(low)]
        for match in _NAMED_OFFICERS_RE.finditer(low):
            names = {name for name in _NAME_SPLIT_RE.split(match.group("names")) if name}
            if names <= guard_names or names & _SERVICE_SURNAMES:
                continue
            found.append(Term("named", "police", match.start(), match.end()))
        found += _misspelt(low)
        return found

    def _term(self, match: re.Match[str]) -> Term:
        phrase = re.sub(r"\s*#?\s*\d+$", " #", match.group(0))
        phrase = re.sub(r"\s+", " ", phrase)
        return Term("named", self.service_of.get(phrase, self.service_of.get(match.group(0), "police")), *match.span())


def _misspelt(low: str) -> list[Term]:
    """Words a typo away from a service word ("ambulence", "polcie"), first letter kept."""
    found = []
    position = 0
    for word in low.translate(_SPLIT).split():
        at = low.find(word, position)
        position = at + len(word)
        if len(word) < _FUZZY_MIN_LENGTH or word in _FUZZY_WORDS or word in _LOOKALIKES:
            continue
        choices = [choice for choice in _FUZZY_WORDS if choice[0] == word[0]]
        if not choices:
            continue
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
        if best is None:
            continue
        service = _FUZZY_WORDS[best[0]]
        if service is not None:
            found.append(Term("named", service, at, at + len(word)))
        elif (owner := _OWNER_RE.search(low, 0, at)) is not None:
            found.append(
                Term("named", "fire" if owner.group(1) == "fire" else "police", owner.start(1), at + len(word))
            )
    return found


def _pattern(term: str) -> str:
    words = [re.escape(word) for word in term.lower().removesuffix(" #").split()]
    body = r"\s+".join(words)
    # A unit number, not a size: "Ladder 14", not "a ladder 6 ft tall".
    unit = r"\s*#?\s*\d+(?!\s*(?:ft|feet|foot|in|inch|m|meters?|steps?|rungs?|'|\")(?!\w))"
    return body + unit if term.endswith(" #") else body


def _normalised(extra: AgencyTerms | None) -> dict[Service, tuple[str, ...]]:
    if not extra:
        return {}
    out: dict[Service, tuple[str, ...]] = {}
    for service, terms in extra.items():
        if service in SERVICES and not isinstance(terms, str):
            out[cast(Service, service)] = tuple(t.strip().lower() for t in terms if isinstance(t, str) and t.strip())
    return out


@lru_cache(maxsize=256)
def _compile(terms: tuple[tuple[Service, tuple[str, ...]], ...]) -> Gazetteer:
    service_of: dict[str, Service] = {}
    patterns = []
    for service, words in terms:
        for term in words:
            service_of.setdefault(term, service)
            patterns.append(_pattern(term))
    # Longest first, so that "sheriff's office" wins over a shorter term at the same place.
    patterns.sort(key=len, reverse=True)
    regex = re.compile(r"(?<!\w)(?:" + "|".join(patterns) + r")(?!\w)")
    return Gazetteer(terms, regex, service_of)


def gazetteer_for(*extras: AgencyTerms | None) -> Gazetteer:
    """The default gazetteer extended by each of `extras` (a company's, a site's) in turn; cached."""
    merged = {service: list(DEFAULT_AGENCY_TERMS[service]) for service in SERVICES}
    for extra in extras:
        for service, terms in _normalised(extra).items():
            merged[service] = [*terms, *merged[service]]
    return _compile(tuple((service, tuple(dict.fromkeys(merged[service]))) for service in SERVICES))


def agency_terms_problem(value: object) -> str | None:
    """Why `value` is not a valid `{service: [terms]}` gazetteer extension, or None if it is."""
    if not isinstance(value, dict):
        return 'Must be a JSON object of services to lists of terms, e.g. {"fire": ["AFR"], "police": ["GSP"]}.'
    for service, terms in value.items():
        if service not in SERVICES:
            return f"Unknown service {service!r}: use {', '.join(SERVICES)}."
        if not isinstance(terms, list) or not all(isinstance(t, str) and t.strip() for t in terms):
            return f"The terms of {service!r} must be a list of non-empty strings."
    return None

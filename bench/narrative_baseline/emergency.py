"""Emergency mentions: the sentences of a narrative saying that fire, police or EMS came or were called.

How `find_emergency_mentions` reads a narrative:

1. Split it into sentences on . ! ? ; and line breaks (not after "Dept.", "a.m.", "P.D."...):
   `narrative.sentences`.
2. In each sentence, the rules of `narrative.terms` find, leftmost first, either a *benign
   compound* ("fire lane", "smoke detector", "near the police station": ignored), a *service
   term* ("fire department", "APD", "paramedics", "transported to the hospital"), an *unspecified
   call* ("called 911", "first responders") or a *hint* ("fell", "gas leak") that only tells which
   service a 911 call was for.
3. Each term is then read in its clause: negated ("no sign of fire", "EMS not called") and
   hypothetical ("if he returns, call police") terms do not count.
4. A 911 call or "first responders" takes the services named (or hinted at: "fell" means EMS)
   in the same sentence, else those named in the sentence before or after, else police: police
   is the usual dispatch for a call a guard makes, and a manager reading "police" next to the
   quoted sentence corrects it at a glance, while dropping the mention would hide the call.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from bench.narrative_baseline.scope import affirmed_terms
from bench.narrative_baseline.sentences import normalise, sentence_spans
from bench.narrative_baseline.terms import Service, Term, find_terms, term_triggers

__all__ = ["EmergencyMention", "Service", "find_emergency_mentions"]


@dataclass(frozen=True, slots=True)
class EmergencyMention:
    """One sentence saying that a service came or was called, or that an emergency happened."""

    service: Service
    phrase: str
    sentence: str


def _affirmed_terms(low: str, *, hints: bool = False) -> list[Term]:
    """Affirmed terms and calls of one lower-cased sentence, and its hints when asked or when a call is there."""
    return affirmed_terms(low, find_terms(low, hints=hints))


_SERVICE_ORDER: Final[tuple[Service, ...]] = ("fire", "police", "ems")


def find_emergency_mentions(text: str) -> list[EmergencyMention]:
    """Sentences saying fire, police or EMS came or were called, or an emergency happened; negation-aware."""
    low = normalise(text)
    # Most sentences hold no trigger word: one pass over the words finds the few that do.
    triggers = term_triggers(low)
    if not triggers:
        return []
    spans = sentence_spans(text)
    ends = [end for _, end in spans]
    indexes = sorted({index for trigger in triggers for index in _sentences_with(low, trigger, spans, ends)})
    per_sentence = {index: _affirmed_terms(low[spans[index][0] : spans[index][1]]) for index in indexes}
    mentions: list[EmergencyMention] = []
    seen: set[EmergencyMention] = set()
    for index in indexes:
        start, end = spans[index]
        sentence = text[start:end]
        for term in per_sentence[index]:
            if term.kind == "named" and term.service is not None:
                services: list[Service] = [term.service]
            elif term.kind == "unspecified":
                services = _services_for_call(index, low, spans, per_sentence)
            else:
                continue
            for service in services:
                mention = EmergencyMention(service, sentence[term.start : term.end], sentence)
                if mention not in seen:
                    seen.add(mention)
                    mentions.append(mention)
    return mentions


def _sentences_with(low: str, trigger: str, spans: Sequence[tuple[int, int]], ends: Sequence[int]) -> list[int]:
    """Indexes of the sentences holding `trigger` as a word of its own (or as a literal)."""
    indexes = []
    position = low.find(trigger)
    while position != -1:
        after = position + len(trigger)
        index = bisect_right(ends, position)
        if index == len(spans):
            break
        start, end = spans[index]
        # "er" is found inside "were": only a whole word counts.
        whole = (position == 0 or not low[position - 1].isalnum()) and (after == len(low) or not low[after].isalnum())
        if whole and start <= position and after <= end:
            indexes.append(index)
            position = low.find(trigger, end)
        else:
            position = low.find(trigger, position + 1)
    return indexes


def _services_for_call(
    index: int, low: str, spans: Sequence[tuple[int, int]], per_sentence: dict[int, list[Term]]
) -> list[Service]:
    """Which services a 911 call or "first responders" means: nearby names, else police (see module doc)."""
    here = {t.service for t in per_sentence[index] if t.kind in ("named", "hint") and t.service is not None}
    if not here:
        # The sentence before or after: "Resident fell and hit her head. I called 911."
        for near in (index - 1, index + 1):
            if 0 <= near < len(spans):
                near_terms = _affirmed_terms(low[spans[near][0] : spans[near][1]], hints=True)
                here.update(t.service for t in near_terms if t.kind in ("named", "hint") and t.service is not None)
    return [service for service in _SERVICE_ORDER if service in here] or ["police"]

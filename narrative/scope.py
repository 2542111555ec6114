"""Scope: whether a term found in a sentence holds, or is negated or hypothetical in its clause.

`affirmed_terms` is the one entry point: given a lower-cased sentence and the terms
`narrative.terms` found in it, it keeps those that hold. It is the seam for a negation library
(ConText): anything that answers the same question for the same spans can stand behind it.

A term does not count when a negation cue ("no", "not", "never", "without", "n't", "negative
for", "no sign of", "free of", "absence of", "ruled out") stands at most MAX_NEGATION_GAP words
before it in its clause, when a negated predicate follows it ("EMS not called"), or when it is
hypothetical ("if he returns, call police", "advised the tenant to call 911", "threatened to
call the cops", "they need to call 911 first", a rule in the present: "until EMS arrives", or the
text of a sign or a quoted request: "OR DIAL 911", "'call me an ambulance'").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import Final

from narrative.sentences import word_set
from narrative.terms import Term

__all__ = ["MAX_HYPOTHETICAL_GAP", "MAX_NEGATION_GAP", "affirmed_terms"]

# A negation cue reaches a term across at most this many words of the same clause: enough for
# "did not observe any signs of smoke" (4 words between "not" and "smoke"), short enough that a
# cue early in a long run-on sentence does not negate everything after it.
MAX_NEGATION_GAP: Final = 4
# Conditions and modals reach further: "told the tenant that if he comes back again to call police".
MAX_HYPOTHETICAL_GAP: Final = 8
# "declined EMS", "refused an ambulance": these verbs negate only their direct object, so that
# "refused to leave police were called" (no punctuation, as guards type) still counts.
_MAX_SHORT_CUE_GAP: Final = 1
# No cue is looked for further back than this many words, whatever the list in between.
_MAX_WALK: Final = 40


# Words (with inner apostrophes: "didn't") and the punctuation that matters for clause scope.
# A hyphen counts only when spaced (" - "), so "non-emergency" stays words.
_TOKEN_RE: Final = re.compile(r"\w+(?:'\w+)*|[,:()–—]|-(?<= -)-*(?= )")

# These start a new clause: a negation before them does not reach past them.
_CLAUSE_BREAKS: Final = word_set(
    """but however although though yet then until till after before when whenever once because since so while
    whereas which who whom where later afterwards eventually meanwhile : ( ) – — -"""
)
# Words that continue a list of things negated together: "no smoke, fire or flames".
_LIST_WORDS: Final = word_set("or nor and any either neither")
_NEGATIONS: Final = word_set(
    """no not never without none nor neither nobody cannot dont didnt doesnt wasnt werent isnt arent wont cant
    couldnt wouldnt shouldnt hasnt havent hadnt"""
)
# Two-word cues whose first word negates only together with the second ("free of smoke").
_NEGATION_PAIRS: Final = {
    "negative": "for",
    "free": "of",
    "absence": "of",
    "lack": "of",
    "ruled": "out",
    "rule": "out",
    "clear": "of",
}
_SHORT_NEGATIONS: Final = word_set("declined declines declining refused refuses refusing denied denies denying")
# Verbs and fillers that pass a negation on to their object: "did not [see any] smoke",
# "no [need to call the] police". Any other word between cue and term suggests the term has a
# clause of its own: "no one [answered] and police arrived".
_NEGATION_CARRIERS: Final = word_set(
    """see saw seen smell smelled smelt notice noticed observe observed find found detect detected hear heard
    call called calling contact contacted notify notified need needed require required request requested get got
    have has had use used any the a an sign signs of evidence indication indications trace traces visible apparent
    further more other to for was were is are be been there i we it that this did do does necessary reason
    reported report from of"""
)
_HYPOTHETICALS: Final = word_set(
    """if unless whether would could might may should will shall gonna wanna incase hypothetically threatened
    threatening threaten threatens offered offer offers want wants wanted planning plans intend intends"""
)
# "could smell smoke" and "may have seen flames" report what someone perceived: not hypothetical.
_PERCEPTIONS: Final = word_set(
    "see saw seen smell smelled smelt hear heard feel felt notice noticed observe observed tell"
)
# An instruction to call is not a call: "advised the tenant to call 911".
_DIRECTIVES: Final = word_set(
    "advised advise advising told tell tells telling instructed instruct reminded remind encouraged urged directed"
)
_CALL_VERBS: Final = word_set("call contact dial notify phone get summon request")
# An obligation in the present is a rule, not an event: "they need to call 911 first", "supposed to call police".
_OBLIGATIONS: Final = word_set("need needs supposed have has")
# Before a bare call verb: the text of a sign or a quoted request, not a call: "USE #8 OR DIAL 911", "sign says
# call 911 first", "kept yelling 'call me an ambulance'".
_INSTRUCTION_LEADS: Final = word_set("or says say reads saying reading")
_VOCATIVES: Final = word_set("somebody someone anybody anyone everybody y'all guys")
_QUOTE_MARKS: Final = frozenset("'\"“‘:")
# "until", "before", "when" and a service in the present: a general rule ("hold pressure until EMS arrives").
_GENERAL_LEADS: Final = word_set("until till til before when once")
_GENERAL_PRESENT_RE: Final = re.compile(
    r"\s+(?:arrives|arrive|gets\s+(?:here|there)|get\s+(?:here|there)|comes|shows\s+up|show\s+up|takes\s+over"
    r"|is\s+on\s+(?:scene|site)|are\s+on\s+(?:scene|site))\b"
)
_CALLED_VERBS: Final = word_set("called dialed dialled phoned contacted notified summoned requested radioed")

# After the term, a negated predicate: "EMS not called", "police were not needed", "fire: none".
_POST_NEGATION_RE: Final = re.compile(
    r"""[\s,.:=-]*(?:
        (?:(?:was|were|is|are|has|have|had|been|being|be|did|do|does|also|even|ever|still|then|again)\s+){0,2}
        (?:not|never|cannot|(?:is|are|was|were|do|does|did|has|have|had|could|would|should|wo|ca|need)n['’]?t)\s+
        (?:(?:be|been|being|get|got|have|ever|even|immediately|actually|yet)\s+){0,2}
        (?:called|needed|required|necessary|contacted|notified|dispatched|requested|involved|summoned|present
          |respond|responded|responding|come|came|coming|arrive|arrived|show|showed|shown|on\s+(?:scene|site)
          |warranted|used|administered|transported|observed|seen|found|detected|noted|visible|evident|apparent
          |reported|smelled|smelt|sighted)\b
      | (?:called|needed|required|notified|contacted|on\s+scene)?\s*[:=-]\s*(?:no|none|negative|n/?a|nil)\b
      | (?:none|negative|nil)\b
      | (?:(?:was|were|is|are|been)\s+)?ruled\s+out\b
      | (?:was\s+|were\s+|is\s+|are\s+)?(?:unnecessary|not\s+necessary|not\s+needed|not\s+required)\b
    )""",
    re.VERBOSE,
)
# After the term, a condition: "call police again if he returns", "EMS if needed".
_POST_HYPOTHETICAL_RE: Final = re.compile(
    r"[\s,]*(?:(?:again|back|immediately|right\s+away|asap|first|too|as\s+well|for\s+help|for\s+assistance)\s+){0,2}"
    r"(?:if|unless|in\s+case|in\s+the\s+event|should|as\s+needed|when\s+needed)\b"
)
# After the term, its own verb: the term starts a clause ("no one home and police arrived").
_OWN_PREDICATE_RE: Final = re.compile(
    r"[\s,.]*(?:(?:was|were|had|has|have|been|then|also|already|eventually|later|finally|quickly|soon|all|both"
    r"|units?|officers?|crews?|personnel|\d+)\s+){0,3}"
    r"(?:arrived|arrives|arriving|responded|responding|came|showed|on\s+scene|on\s+site|onsite|called|dispatched"
    r"|notified|contacted|summoned|transported|took|talked|spoke|entered|extinguished|put\s+out|cleared|assessed"
    r"|treated|evaluated|checked|detained|arrested|removed|escorted|pulled\s+up|en\s*route|attended|investigated"
    r"|coming|rising|pouring|billowing)\b"
)
# A term that holds its own verb ("an officer came at 0300") is a clause of its own.
_PREDICATE_IN_TERM_RE: Final = re.compile(r"\b(?:arrived|came|responded|showed\s+up|pulled\s+up|dispatched|took)\b")
# A whole sentence under a condition: "If he returns, call police." "In an emergency dial 911."
_CONDITIONAL_SENTENCE_RE: Final = re.compile(
    r"^\W*(?:if|unless|in\s+case|incase|in\s+the\s+event|whenever|should(?!\s+have)"
    r"|in\s+(?:an|any)\s+emergency|for\s+(?:any\s+)?emergenc(?:y|ies))\b"
)


class _Clause:
    """One lower-cased sentence, its words and its candidate terms, for scope decisions."""

    def __init__(self, low: str, words: list[str], term_spans: Sequence[tuple[int, int]]) -> None:
        self.low = low
        self.words = words
        # The index of a term's first word is the count of words before it (terms start a word).
        word_starts = [match.start() for match in _TOKEN_RE.finditer(low)]
        self.word_starts = word_starts
        self.firsts = [bisect_left(word_starts, start) for start, _ in term_spans]
        # Word indexes inside a term: they belong to a list ("no smoke or flames") and are not a gap.
        self.listed = frozenset(
            index
            for first, (_, end) in zip(self.firsts, term_spans, strict=True)
            for index in range(first, bisect_left(word_starts, end))
        )
        self.conditional = _CONDITIONAL_SENTENCE_RE.match(low) is not None

    def walk_back(self, first: int) -> list[tuple[int, int, bool]]:
        """(index, words between it and the term, crossed an "and" or a list comma), nearest first."""
        walked = []
        gap = 0
        joined = False
        only_list_since_comma = True
        # A long list ("smoke, smoke, smoke...") would otherwise be walked again for every term in it.
        for index in range(first - 1, max(first - _MAX_WALK, 0) - 1, -1):
            word = self.words[index]
            if word in _CLAUSE_BREAKS:
                break
            if word == ",":
                # A comma ends the clause unless what follows it is a list: "no smoke, fire or flames"; a
                # call after a comma has a clause of its own: "could not move his leg, called 911".
                if not only_list_since_comma or self.word(first) in _CALLED_VERBS or self.word(first) == "911":
                    break
                joined = True
                continue
            walked.append((index, gap, joined))
            if index in self.listed or word in _LIST_WORDS:
                joined = joined or word == "and"
                continue
            only_list_since_comma = False
            gap += 1
            if gap > MAX_HYPOTHETICAL_GAP:
                break
        return walked

    def word(self, index: int) -> str:
        """The word at `index`, or "" outside the sentence."""
        return self.words[index] if 0 <= index < len(self.words) else ""

    def is_negated(self, start: int, end: int, walked: Sequence[tuple[int, int, bool]]) -> bool:
        """A negated predicate after the term, or a negation cue in its clause at most MAX_NEGATION_GAP words before."""
        if _POST_NEGATION_RE.match(self.low, end):
            return True
        between: list[str] = []
        for index, gap, joined in walked:
            if gap > MAX_NEGATION_GAP:
                return False
            if index in self.listed:
                continue  # another term: the "not" of "not breathing" negates nothing after it
            word = self.words[index]
            if (
                word in _NEGATIONS
                or word.endswith("n't")
                or _NEGATION_PAIRS.get(word) == self.word(index + 1)
                or (word in _SHORT_NEGATIONS and gap <= _MAX_SHORT_CUE_GAP)
            ):
                # "No one was home, fire department responded": the cue belongs to another clause.
                own_clause = joined or any(w not in _NEGATION_CARRIERS for w in between)
                own_predicate = _OWN_PREDICATE_RE.match(self.low, end) or _PREDICATE_IN_TERM_RE.search(
                    self.low, start, end
                )
                return not (own_clause and own_predicate)
            if word not in _LIST_WORDS:
                between.append(word)
        return False

    def is_hypothetical(self, first: int, end: int, walked: Sequence[tuple[int, int, bool]]) -> bool:
        """A condition, a modal, a threat or an instruction governs the term: it did not happen (yet)."""
        if self.conditional or _POST_HYPOTHETICAL_RE.match(self.low, end):
            return True
        if self.is_directed(first) or self.is_instruction_text(first) or self.is_general(first, end):
            return True
        for index, _gap, _joined in walked:
            if index in self.listed:
                continue
            word = self.words[index]
            if word == "case" and self.word(index - 1) == "in":
                return True
            if word in _OBLIGATIONS and self.word(index + 1) == "to":
                return True
            if word in _HYPOTHETICALS or word.endswith("'ll"):
                after, then = self.word(index + 1), self.word(index + 2)
                if not (after in _PERCEPTIONS or (after == "have" and then in _PERCEPTIONS)):
                    return True
        return False

    def is_instruction_text(self, first: int) -> bool:
        """Is the term what a sign or a quoted request says to call ("OR DIAL 911", "'call me an ambulance'")?"""
        for verb in range(max(first - 3, 0), first + 1):
            if self.word(verb) in _CALL_VERBS:
                # "'somebody call the fire department'": the request may name whom it asks.
                opens = verb - 1 if self.word(verb - 1) in _VOCATIVES else verb
                lead = self.low[: self.word_starts[opens]].rstrip()[-1:]
                return lead in _QUOTE_MARKS or self.word(opens - 1) in _INSTRUCTION_LEADS
        return False

    def is_general(self, first: int, end: int) -> bool:
        """A service in a rule's present tense: "hold pressure until EMS arrives", "wait until the police get here"."""
        lead = first - 1 if self.word(first - 1) not in ("the", "a", "an") else first - 2
        return self.word(lead) in _GENERAL_LEADS and _GENERAL_PRESENT_RE.match(self.low, end) is not None

    def is_directed(self, first: int) -> bool:
        """Is the term what someone was told to call ("advised the tenant to call 911")?"""
        # The call verb may stand before the term ("told him to call the police") or open it ("to call 911").
        for verb in range(max(first - 3, 1), first + 1):
            if self.word(verb) in _CALL_VERBS and self.word(verb - 1) == "to":
                return any(self.word(i) in _DIRECTIVES for i in range(max(verb - 7, 0), verb - 1))
        return False


def affirmed_terms(low: str, terms: Sequence[Term]) -> list[Term]:
    """The terms of one lower-cased sentence that are neither negated nor hypothetical in their clause."""
    if not terms:
        return []
    clause = _Clause(low, _TOKEN_RE.findall(low), [(term.start, term.end) for term in terms])
    affirmed = []
    for term, first in zip(terms, clause.firsts, strict=True):
        walked = clause.walk_back(first)
        if not clause.is_negated(term.start, term.end, walked) and not clause.is_hypothetical(first, term.end, walked):
            affirmed.append(term)
    return affirmed

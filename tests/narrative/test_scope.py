"""Scope, the seam for a negation library: which terms of a sentence hold, and which are negated or hypothetical."""

import pytest

from narrative.scope import MAX_NEGATION_GAP, affirmed_terms
from narrative.terms import Term, find_terms


def held(sentence):
    """The phrases of a lower-cased sentence's terms that hold."""
    return [sentence[term.start : term.end] for term in affirmed_terms(sentence, find_terms(sentence))]


@pytest.mark.parametrize(
    ("sentence", "phrases"),
    [
        pytest.param("fire department responded", ["fire department"], id="affirmed"),
        pytest.param("no sign of fire", [], id="negation-cue-before"),
        pytest.param("ems not called", [], id="negated-predicate-after"),
        pytest.param("no smoke, fire or flames", [], id="a-negated-list"),
        pytest.param("no one was home and police arrived", ["police"], id="cue-of-another-clause"),
        pytest.param("resident not breathing, cpr started", ["not breathing", "cpr"], id="a-negation-inside-a-term"),
        pytest.param("if he returns, call police", [], id="conditional-sentence"),
        pytest.param("threatened to call the cops", [], id="a-threat"),
        pytest.param("i could smell smoke", ["smoke"], id="a-modal-of-perception-holds"),
    ],
)
def test_affirmed_terms_keep_what_happened(sentence, phrases):
    assert held(sentence) == phrases


def test_a_negation_reaches_max_negation_gap_words_and_no_further():
    within = "not " + "a " * MAX_NEGATION_GAP + "smoke"
    beyond = "not " + "a " * (MAX_NEGATION_GAP + 1) + "smoke"
    assert held(within) == []
    assert held(beyond) == ["smoke"]


def test_terms_may_come_from_anywhere_that_gives_their_spans():
    # The contract a replacement (a ConText library) must keep: the same Term in, kept or dropped.
    police = Term("named", "police", 3, 9)
    assert affirmed_terms("no police needed", [police]) == []
    assert affirmed_terms("   police arrived", [police]) == [police]
    assert affirmed_terms("no police needed", []) == []


def test_an_instruction_to_call_911_is_not_a_call():
    assert held("advised the tenant to call 911") == []

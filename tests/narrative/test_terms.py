"""The vocabulary: every rule is found by its trigger words, and terms come out leftmost, benign ones hidden."""

import pytest

from narrative import terms
from narrative.terms import Term, find_terms, term_triggers
from tests.narrative.test_emergency import EMERGENCIES


def test_every_rule_match_holds_one_of_its_trigger_words():
    # The triggers decide which rules run on a sentence: a match without one would never be found.
    corpus = [param.values[0] for param in EMERGENCIES] + [
        "p.d. and f.d. and e.m.s. arrived, 9-1-1 called, LVMPD, FDNY, the sheriff's deputy, Engine Co. 5, Ladder 9",
        "the ER, e.r., smell of something burning, burnt smell, responded to the fire alarm, pull station was pulled",
        "fire marshal arrived, state patrol, law enforcement, taken into custody, gunshots, medical emergency, od'd",
    ]
    for rule in terms._RULES:
        for text in corpus:
            low = text.lower()
            for match in rule.regex.finditer(low):
                if match.start() and low[match.start() - 1].isalnum():
                    continue
                words = terms._trigger_words(match.group())
                held = (
                    not rule.words.isdisjoint(words)
                    or any(w.endswith(rule.suffixes) for w in words if rule.suffixes)
                    or any(literal in match.group() for literal in rule.literals)
                )
                assert held, (rule.regex.pattern[:60], match.group())


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        pytest.param("fire department responded", [Term("named", "fire", 0, 15)], id="service-term"),
        pytest.param("parked in the fire lane", [], id="benign-compound-hides-fire"),
        pytest.param("resident fell", [], id="a-hint-alone-is-no-term"),
        pytest.param(
            "resident fell, called 911",
            [Term("hint", "ems", 9, 13), Term("unspecified", None, 15, 25)],
            id="a-call-brings-its-hints",
        ),
        # Terms are found whether or not they are negated: scope is decided afterwards.
        pytest.param(
            "no smoke, fire or flames",
            [Term("named", "fire", 3, 8), Term("named", "fire", 10, 14), Term("named", "fire", 18, 24)],
            id="negated-terms-are-still-terms",
        ),
    ],
)
def test_find_terms_reads_one_lower_cased_sentence(sentence, found):
    assert find_terms(sentence) == found


def test_hints_come_when_asked_for_a_call_in_a_neighbouring_sentence():
    assert find_terms("resident fell", hints=True) == [Term("hint", "ems", 9, 13)]


def test_term_triggers_name_the_words_that_may_set_off_a_term():
    assert sorted(term_triggers("apd arrived, p.d. too")) == ["apd", "p.d"]
    assert term_triggers("checked the lobby at 0200") == []

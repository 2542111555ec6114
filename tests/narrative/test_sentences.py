"""Sentences as guards type them: full stops, semicolons and line breaks, but not "Dept." or "23.10"."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrative.sentences import normalise, split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        pytest.param("One. Two! Three? Four; five\nsix", ["One", "Two", "Three", "Four", "five", "six"], id="marks"),
        pytest.param("Fire Dept. not called. Next", ["Fire Dept. not called", "Next"], id="abbreviation"),
        pytest.param("At 23.10 p.m. I left... Done", ["At 23.10 p.m. I left", "Done"], id="decimals-and-ellipsis"),
        pytest.param("  ;  . \n ", [], id="only-punctuation"),
    ],
)
def test_split_sentences(text, sentences):
    assert split_sentences(text) == sentences


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("abcdefhilmnoprst .,;!?\n'-")), max_size=300))
def test_sentences_come_back_in_order_and_trimmed(text):
    sentences = split_sentences(text)
    position = 0
    for sentence in sentences:
        assert sentence
        assert sentence == sentence.strip()
        position = text.index(sentence, position) + len(sentence)


def test_normalise_lowers_and_straightens_apostrophes_in_place():
    assert normalise("Fire Dept’s İstanbul crew") == "fire dept's İstanbul crew"


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_normalise_never_moves_an_offset(text):
    # A match in the normalised text quotes the guard's own text at the same offsets.
    low = normalise(text)
    assert len(low) == len(text)
    assert all(a == b or a == b.lower() or (a, b) == ("'", "’") for a, b in zip(low, text, strict=True))

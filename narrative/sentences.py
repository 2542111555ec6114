"""Sentences and normalised text: what every other part of the narrative analysis reads.

`split_sentences` is the entry point; `sentence_spans` gives the same sentences as offsets, and
`normalise` lower-cases a text without moving any offset, so that a match found in the lower-cased
text quotes the guard's own spelling.
"""

from __future__ import annotations

import re
import string
from typing import Final

__all__ = ["PUNCTUATION", "normalise", "sentence_spans", "split_sentences", "word_set"]

# Punctuation as guards' phones type it: ASCII plus typographic quotes, ellipsis and dashes.
PUNCTUATION: Final = string.punctuation + "“”‘’…–—"


def word_set(text: str) -> frozenset[str]:
    """A word list written as text, for readability."""
    return frozenset(text.split())


def normalise(text: str) -> str:
    """Lower case, typographic apostrophe made plain, same length: offsets in it are offsets in the original."""
    low = text.lower()
    if len(low) != len(text):
        # A few characters ("İ") lower to two; keep those as they are.
        low = "".join(lowered if len(lowered := char.lower()) == 1 else char for char in text)
    return low.replace("’", "'")


# Where a sentence may end. A full stop, ! or ? ends one only before a space or the end of the
# text ("23.10" stays whole, "..." ends at its last dot); a semicolon or a line break always does.
_TERMINATOR_RE: Final = re.compile(r"[.!?]+(?!\S)|[;\r\n]")
# A full stop after these does not end a sentence: splitting "Fire Dept. not called" would leave
# "Fire Dept" alone, and affirmative.
_ABBREVIATIONS: Final = word_set(
    "dept co approx apt bldg mr mrs ms dr sgt ofc st ave vs a.m p.m p.d f.d e.r e.g i.e o.d incl esp etc"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty sentence, whitespace trimmed."""
    spans = []
    start = 0
    for mark in _TERMINATOR_RE.finditer(text):
        at = mark.start()
        if text[at] == "." and text[at - 1 : at].isalpha():
            # The word before the stop, if it is short enough to be an abbreviation.
            word = text[max(at - 7, 0) : at].rsplit(None, 1)[-1].lower()
            if word in _ABBREVIATIONS:
                continue
            # "part no. 911-A44", "unit no. 4": a number follows.
            if word in ("no", "nos", "nr", "num", "pt") and text[mark.end() : mark.end() + 8].lstrip()[:1].isdigit():
                continue
            # An initial after a name or a title, or a compass point after a street number: "Operator J. Trooper",
            # "911 W. Commerce St" (not "parked in lot E. They left").
            if len(word) == 1 and text[at - 1].isupper():
                before = text[max(at - 30, 0) : at - 1].split()[-1:]
                if before and (before[0][:1].isupper() or (word in "nsew" and before[0].isdigit())):
                    continue
        spans.append((start, at))
        start = mark.end()
    spans.append((start, len(text)))
    trimmed = []
    for begin, finish in spans:
        piece = text[begin:finish]
        stripped = piece.strip()
        if stripped:
            offset = begin + len(piece) - len(piece.lstrip())
            trimmed.append((offset, offset + len(stripped)))
    return trimmed


def split_sentences(text: str) -> list[str]:
    """The non-empty sentences of a text, stripped, in order."""
    return [text[start:end] for start, end in sentence_spans(text)]

"""ConText for service mentions: whether a mention is historical, hypothetical, training or not attending.

The ConText algorithm of clinical NLP (NegEx generalised: a cue phrase modifies the target terms
after it, or before it, up to a terminating word or the end of the sentence), run by `negspacy` on
a blank spaCy English pipeline: no statistical model, only the rule-based tokenizer, our own
sentence boundaries and one `negex` component per category, each with its own cue lists (below,
plain data a person can read). Negation itself stays with `narrative.scope`, which knows the
clause shapes guards write ("no one was home and police arrived"); these categories are what it
did not know:

- historical: "last month", "back in 2019", "two nights ago", "per pass-down";
- hypothetical or someone else's intent: "threatened to", "said he would", "wants us to";
- training and equipment: "refresher course", "drill", "restocked", "kit";
- not attending: "drove past", "without stopping", "went by", "not for us".

The pipeline is built once, on first use (importing spaCy costs about half a second).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span

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

# fmt: off
_CUES: Final[dict[Category, dict[str, list[str]]]] = {
    "historical": {
        "preceding": ["last month", "last week", "last year", "last summer", "last winter", "in the past",
                      "previously", "history of", "per pass-down", "per pass down", "per passdown", "pass-down",
                      "used to", "years ago", "a while back", "before i started", "prior incident",
                      "prior incidents", "previous reports", "earlier this year", "per the resident", "yesterday",
                      "back in 2010", "back in 2011", "back in 2012", "back in 2013", "back in 2014", "back in 2015",
                      "back in 2016", "back in 2017", "back in 2018", "back in 2019", "back in 2020", "back in 2021",
                      "back in 2022", "back in 2023", "back in 2024", "back in 2025",
                      "per last shift", "last shift's notes", "the other day", "the other night",
                      "last monday", "last tuesday", "last wednesday", "last thursday", "last friday",
                      "last saturday", "last sunday"],
        "following": ["last month", "last week", "last year", "back in", "years ago", "months ago", "weeks ago",
                      "nights ago", "days ago", "a year ago", "a month ago", "a week ago", "in the past",
                      "previously", "in 2019", "in 2020", "in 2021", "in 2022", "in 2023", "in 2024",
                      "see previous reports", "per pass-down", "per the resident", "per resident",
                      "last time", "yesterday", "the other day", "the other night", "earlier this week",
                      "last monday", "last tuesday", "last wednesday", "last thursday", "last friday",
                      "last saturday", "last sunday",
                      "last shift"],
    },
    "hypothetical": {
        "preceding": ["if", "unless", "in case", "incase", "whenever", "threatened to", "threatening to",
                      "threatens to", "threaten to", "going to", "gonna",
                      "wants us to", "want us to", "wanted us to", "would", "might", "may", "planning to",
                      "plans to", "said he would", "said she would", "will", "in the event", "for any future",
                      "in a medical emergency", "in an emergency", "in case of", "emergency plan", "next time",
                      "reminded", "instructed", "advised", "told the", "told him", "told her", "told them",
                      "asked if", "whether to", "offered to", "thinking about", "considering"],
        "following": ["if it happens again", "if needed", "if necessary", "if he returns", "if she returns",
                      "if they return", "if he comes back", "if it continues", "next time", "in the future",
                      "if her husband", "if his", "if her"],
    },
    "training": {
        "preceding": ["training", "course", "class", "refresher", "drill", "certification", "module", "exercise",
                      "restocked", "restock", "inventory", "reviewed", "tabletop",
                      # "practice" alone is also a sport's ("hurt at soccer practice, EMS came"): only as training.
                      "practice drill", "practice session", "cpr practice", "first aid practice", "practice run"],
        "following": ["training", "course", "class", "refresher", "certification", "kit", "cabinet", "inventory",
                      "doses"],
    },
    "not_attending": {
        "preceding": ["heard sirens", "sirens",
                      # Another property's call for its own premises: "Security at the next building called police".
                      # A neighbour's call that brings the service onto our site has no such cue and counts.
                      "next building", "neighboring property", "neighbouring property", "neighboring building",
                      "neighbouring building", "building next door", "property next door"],
        "following": ["drove past", "drove by", "driving by", "went by", "went past", "passed by", "passed on",
                      "passing by", "without stopping", "did not stop", "didn't stop", "did not enter",
                      "not for us", "on the highway", "heading north", "heading south", "heading east",
                      "heading west", "next door", "neighboring property", "neighbouring property",
                      "did not come on", "didn't come on", "never came on", "did not come onto", "off property",
                      "not on property", "across the street", "nothing at ours", "nothing at our site",
                      "nothing on our site", "nothing on our property", "not at our site", "for their alarm"],
    },
}
# fmt: on
_PSEUDO: Final = ["no further", "not only", "gave the all clear"]


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
                    "termination": _TERMINATION,
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
    entities: list[Span] = []
    for start, end in spans:
        span = doc.char_span(start, end, label="SERVICE", alignment_mode="expand")
        if span is None:
            continue
        # spaCy entities may not overlap: the first of two overlapping spans stands for both.
        if any(span.start < other.end and other.start < span.end for other in entities):
            continue
        entities.append(span)
    doc.ents = entities
    for _, component in nlp.pipeline:
        doc = component(doc)
    result: list[set[Category]] = []
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        found: set[Category] = set()
        ent = next((e for e in doc.ents if span is not None and e.start <= span.start < e.end), None)
        if ent is not None:
            found = {category for category in CATEGORIES if ent._.get(f"context_{category}")}
        result.append(found)
    return result

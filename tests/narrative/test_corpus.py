"""The emergency detector against labelled narratives (tests/narrative/corpus/): the issue 10 targets.

Every corpus here has been tuned on and must meet the targets: `dev`, `dev2` and `dev3` are development sets;
each held-out set was written after the fixes of its time and run once before any further change,
and then had the general gaps it showed fixed. `heldout5` was unseen until the dev2 pass (its first
run: recall 93.3 %, false alarms 14.6 %, lowest F1 0.868); that pass tuned on it, so it no longer
measures unseen text either. `heldout6` (274 narratives, written independently by someone who never saw
the detector) was unseen until the dev3 pass; its first run: recall 93.6 % (132/141), false alarms
12.5 % (14/112), F1 fire 0.929 / police 0.867 / EMS 0.902, median 1.08 ms (before issue 10: recall
94.3 %, false alarms 65.2 %). The dev3 pass tuned on it. `heldout7` (261, written independently after
the dev3 pass, in other settings' jargon: hospital, casino, transit, refinery, stadium, marina) was
tuned on from the heldout7 pass on (its first run: recall 95.6 %, false alarms 19.8 %). `heldout8` to `heldout16`
were each written by a separate writer who saw neither the detector nor another set, run once, then tuned on (their
first runs are in corpus/README.md: recall 86.4-100 %, false alarms 7.6-26.7 %), and so were `heldout17` to
`heldout23`. The sets in UNSEEN_FLOORS were never tuned on: each was written independently and run once with the
detector as it is, and their figures are floors here, so that a change cannot quietly lose ground on unseen text;
together they must meet the issue's targets. The bench prints the figures.
"""

import json
import random

import pytest

from bench.narrative_scoring import CORPUS_DIR, SERVICES, load, score
from narrative.emergency import find_emergency_mentions
from tests.narrative.corpus import generate_dev

TARGET_RECALL = 0.97
TARGET_FALSE_ALARMS = 0.10
TARGET_F1 = 0.92
# name: the fewest narratives the file holds.
TUNED_ON = {
    "dev": 500, "dev2": 150, "dev3": 40, "heldout": 100, "heldout2": 100, "heldout3": 100, "heldout4": 100,
    "heldout5": 100, "heldout6": 270, "heldout7": 260, "heldout8": 250, "heldout9": 250, "heldout10": 250,
    "heldout11": 250, "heldout12": 250, "heldout13": 250, "heldout14": 250, "heldout15": 250, "heldout16": 250,
    "heldout17": 250, "heldout18": 250, "heldout19": 250, "heldout20": 250, "heldout21": 250, "heldout22": 250,
    "heldout23": 250,
}  # fmt: skip
# Never tuned on: the measured first-run figures as floors (recall, false alarms, lowest F1).
UNSEEN_FLOORS = {"heldout24": (0.98, 0.07, 0.935), "heldout25": (0.99, 0.08, 0.935)}
KINDS = {"positive", "routine", "hard_negative"}
FIELDS = {"id", "text", "services", "kind", "tag"}


def detector(text):
    mentions = find_emergency_mentions(text)
    return {m.service for m in mentions if m.status == "attended"}, {m.service for m in mentions}


@pytest.mark.parametrize("name", sorted(TUNED_ON))
def test_every_tuned_on_corpus_meets_the_targets(name):
    # given a labelled corpus / when the detector reads each narrative
    records = load(name)
    assert len(records) >= TUNED_ON[name]
    result = score(detector, records)
    # then it finds nearly every attended emergency and almost never cries wolf on a mere mention
    assert result.recall >= TARGET_RECALL, result.errors[:10]
    assert result.false_alarm_rate <= TARGET_FALSE_ALARMS, result.errors[:10]
    for service in SERVICES:
        assert result.f1(service) >= TARGET_F1, (service, result.errors[:10])


def test_narratives_the_detector_never_saw_meet_the_targets_together():
    # given every held-out set never tuned on, each written by a writer who saw neither the detector nor another set
    records = [record for name in sorted(UNSEEN_FLOORS) for record in load(name)]
    # when the detector reads them all
    result = score(detector, records)
    # then the issue's targets hold on unseen text
    assert result.recall >= TARGET_RECALL, result.errors[:10]
    assert result.false_alarm_rate <= TARGET_FALSE_ALARMS, result.errors[:10]
    for service in SERVICES:
        assert result.f1(service) >= TARGET_F1, (service, result.errors[:10])


@pytest.mark.parametrize("name", sorted(UNSEEN_FLOORS))
def test_unseen_narratives_keep_their_first_run_figures(name):
    recall, false_alarms, lowest_f1 = UNSEEN_FLOORS[name]
    result = score(detector, load(name))
    assert result.recall >= recall, result.errors[:10]
    assert result.false_alarm_rate <= false_alarms, result.errors[:10]
    assert min(result.f1(service) for service in SERVICES) >= lowest_f1, result.errors[:10]


def test_every_corpus_is_tuned_on_or_has_unseen_floors():
    assert {path.stem for path in CORPUS_DIR.glob("*.jsonl")} == set(TUNED_ON) | set(UNSEEN_FLOORS)


@pytest.mark.parametrize("path", sorted(CORPUS_DIR.glob("*.jsonl")), ids=lambda path: path.stem)
def test_every_corpus_line_is_a_well_formed_labelled_case(path):
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [record["id"] for record in records] == [f"{path.stem}-{index:04d}" for index in range(len(records))]
    for record in records:
        assert FIELDS <= set(record) <= {*FIELDS, "style"}, record  # dev names how each was varied
        assert record["kind"] in KINDS, record
        assert record["services"] == sorted(set(record["services"]) & set(SERVICES)), record
        # A positive says some service came; a routine report or a hard negative says none did.
        assert bool(record["services"]) == (record["kind"] == "positive"), record


def test_every_hard_negative_kind_of_the_issue_is_in_the_corpus():
    tags = {record["tag"] for record in load("dev") if record["kind"] == "hard_negative"}
    kinds = {"not_attending", "equipment", "historical", "negated", "hypothetical", "training", "number_911", "name"}
    assert kinds <= tags


def test_the_development_corpus_is_what_its_generator_writes():
    # the JSONL is committed for review; the generator is the source: they must not drift apart
    built = generate_dev.build(random.Random(generate_dev.SEED))
    stored = [json.loads(line) for line in (CORPUS_DIR / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [{key: value for key, value in record.items() if key != "id"} for record in stored] == built

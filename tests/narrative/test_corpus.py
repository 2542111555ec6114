"""The emergency detector against labelled narratives (tests/narrative/corpus/): the issue 10 targets.

`dev` is the development corpus (tuned on): it must meet the targets. Each held-out set was written
after the fixes of its time and run once before any further change; `heldout` to `heldout4` then had
the general gaps they showed fixed, so they must meet the targets now. `heldout5` was never tuned on
and does not meet them (recall 93.3 %, false alarms 14.6 %, lowest F1 0.868 when written): its floors
below are those measured figures, so that a change cannot quietly lose ground on unseen text.
bench/bench_narrative.py prints all the figures, before and after.
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


def detector(text):
    mentions = find_emergency_mentions(text)
    return {m.service for m in mentions if m.status == "attended"}, {m.service for m in mentions}


def test_the_development_corpus_meets_the_targets():
    # given 500+ labelled narratives / when the detector reads each
    records = load("dev")
    assert len(records) >= 500
    result = score(detector, records)
    # then it finds nearly every attended emergency and almost never cries wolf on a mere mention
    assert result.recall >= TARGET_RECALL, result.errors[:10]
    assert result.false_alarm_rate <= TARGET_FALSE_ALARMS, result.errors[:10]
    for service in SERVICES:
        assert result.f1(service) >= TARGET_F1, (service, result.errors[:10])


def test_every_hard_negative_kind_of_the_issue_is_in_the_corpus():
    tags = {record["tag"] for record in load("dev") if record["kind"] == "hard_negative"}
    kinds = {"not_attending", "equipment", "historical", "negated", "hypothetical", "training", "number_911", "name"}
    assert kinds <= tags


@pytest.mark.parametrize(
    ("name", "recall", "false_alarms", "f1"),
    [
        pytest.param("heldout", 0.97, 0.10, 0.92, id="heldout-fixed-after-its-first-run"),
        pytest.param("heldout2", 0.97, 0.10, 0.92, id="heldout2-fixed-after-its-first-run"),
        pytest.param("heldout3", 0.97, 0.10, 0.92, id="heldout3-fixed-after-its-first-run"),
        pytest.param("heldout4", 0.97, 0.10, 0.92, id="heldout4-fixed-after-its-first-run"),
        # Never tuned on: the measured figures (recall 0.933, false alarms 0.146, lowest F1 0.868) as floors.
        pytest.param("heldout5", 0.93, 0.15, 0.86, id="heldout5-unseen"),
    ],
)
def test_held_out_narratives_keep_their_figures(name, recall, false_alarms, f1):
    records = load(name)
    assert len(records) >= 100
    result = score(detector, records)
    assert result.recall >= recall
    assert result.false_alarm_rate <= false_alarms
    assert min(result.f1(service) for service in SERVICES) >= f1


def test_the_development_corpus_is_what_its_generator_writes():
    # the JSONL is committed for review; the generator is the source: they must not drift apart
    built = generate_dev.build(random.Random(generate_dev.SEED))
    stored = [json.loads(line) for line in (CORPUS_DIR / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [{key: value for key, value in record.items() if key != "id"} for record in stored] == built

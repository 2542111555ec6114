"""Scores an emergency detector on a labelled corpus: shared by bench/bench_narrative.py and the corpus test.

A corpus line (JSONL): {"id", "text", "services": [services that came or were called], "kind":
"positive" | "routine" | "hard_negative", "tag"}. A detector maps a narrative to the services it
says *attended* (the critical EMERGENCY_NOT_REPORTED) and those it only finds *mentioned*
(the warning). Recall is per narrative: of those where a service came, the share where the
critical flag is raised. The false-alarm rate is the share of hard negatives (a service
mentioned, none came) that raise the critical flag; `warning_rate` the share raising a warning.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

SERVICES = ("fire", "police", "ems")
CORPUS_DIR = Path(__file__).resolve().parent.parent / "tests" / "narrative" / "corpus"

# (attended services, mentioned-only services) for one narrative.
Detector = Callable[[str], tuple[set[str], set[str]]]


def load(name: str) -> list[dict[str, object]]:
    """The records of tests/narrative/corpus/<name>.jsonl."""
    with (CORPUS_DIR / f"{name}.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@dataclass
class Score:
    """Counts and the figures derived from them."""

    tp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SERVICES, 0))
    fp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SERVICES, 0))
    fn: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SERVICES, 0))
    positives: int = 0
    flagged_positives: int = 0
    hard_negatives: int = 0
    false_alarms: int = 0
    warnings: int = 0
    errors: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    def precision(self, service: str) -> float:
        found = self.tp[service] + self.fp[service]
        return self.tp[service] / found if found else 1.0

    def recall_of(self, service: str) -> float:
        wanted = self.tp[service] + self.fn[service]
        return self.tp[service] / wanted if wanted else 1.0

    def f1(self, service: str) -> float:
        p, r = self.precision(service), self.recall_of(service)
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def recall(self) -> float:
        return self.flagged_positives / self.positives if self.positives else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.hard_negatives if self.hard_negatives else 0.0

    @property
    def warning_rate(self) -> float:
        return self.warnings / self.hard_negatives if self.hard_negatives else 0.0


def score(detector: Detector, records: Iterable[dict[str, object]]) -> Score:
    """Runs `detector` on every record and counts."""
    result = Score()
    for record in records:
        text = str(record["text"])
        expected = set(record["services"])  # type: ignore[call-overload]
        attended, mentioned = detector(text)
        for service in SERVICES:
            if service in attended and service in expected:
                result.tp[service] += 1
            elif service in attended:
                result.fp[service] += 1
            elif service in expected:
                result.fn[service] += 1
        if expected:
            result.positives += 1
            result.flagged_positives += bool(attended)
        if record["kind"] == "hard_negative":
            result.hard_negatives += 1
            result.false_alarms += bool(attended)
            result.warnings += bool(mentioned - attended)
        if attended != expected:
            result.errors.append((text, sorted(expected), sorted(attended)))
    return result

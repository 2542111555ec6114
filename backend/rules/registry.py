"""The rule registry: small documented functions, each owning one or more flag codes.

A rule reads facts (plain data gathered once per report or shift) and thresholds, and
returns Findings. Running a set of rules yields the findings and the codes that were
evaluated, which is what `flags_sync` needs to raise, update and resolve flags.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from backend.rules.findings import Finding
from backend.rules.thresholds import Thresholds

FactsT = TypeVar("FactsT")


@dataclass(frozen=True)
class Rule(Generic[FactsT]):
    codes: tuple[str, ...]
    check: Callable[[FactsT, Thresholds], list[Finding]]

    @property
    def name(self) -> str:
        return self.check.__name__

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()


@dataclass(frozen=True)
class RuleRun:
    findings: list[Finding]
    evaluated_codes: set[str]


class RuleSet(Generic[FactsT]):
    """An ordered collection of rules over one kind of facts."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.rules: list[Rule[FactsT]] = []

    def register(
        self, *codes: str
    ) -> Callable[[Callable[[FactsT, Thresholds], list[Finding]]], Callable[[FactsT, Thresholds], list[Finding]]]:
        def decorate(
            check: Callable[[FactsT, Thresholds], list[Finding]],
        ) -> Callable[[FactsT, Thresholds], list[Finding]]:
            self.rules.append(Rule(codes=tuple(codes), check=check))
            return check

        return decorate

    def run(self, facts: FactsT, thresholds: Thresholds) -> RuleRun:
        findings: list[Finding] = []
        evaluated: set[str] = set()
        for rule in self.rules:
            produced = rule.check(facts, thresholds)
            unexpected = {finding.code for finding in produced} - set(rule.codes)
            if unexpected:
                raise RuntimeError(f"rule {rule.name} produced codes it does not own: {sorted(unexpected)}")
            findings.extend(produced)
            evaluated.update(rule.codes)
        return RuleRun(findings=findings, evaluated_codes=evaluated)

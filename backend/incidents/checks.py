"""Validation of an incident report: the report rules, run on every version.

The rules themselves live in `backend.rules.report_rules` (a registry of small
documented functions over the report's facts); this module runs them with the
company's thresholds. Services store the result with `flags_sync`, so a finding that
no longer holds after an amendment is resolved.
"""

from __future__ import annotations

from backend.incidents.facts import report_facts
from backend.incidents.models import IncidentReport
from backend.rules.findings import Finding
from backend.rules.report_rules import REPORT_RULES
from backend.rules.selectors import thresholds_for
from backend.rules.thresholds import Thresholds


def incident_check_codes() -> list[str]:
    """Every code the rules can raise: the codes `flags_sync` re-evaluates on each run."""
    return [code for rule in REPORT_RULES.rules for code in rule.codes]


def incident_run_checks(*, report: IncidentReport, thresholds: Thresholds | None = None) -> list[Finding]:
    """Run every report rule (caller has loaded report.shift.post.site and report.type).

    `thresholds`: the company's, when the caller has read them already.
    """
    if thresholds is None:
        thresholds = thresholds_for(company=report.shift.post.site.client.company_id)
    return REPORT_RULES.run(report_facts(report=report, thresholds=thresholds), thresholds).findings

"""Raising, updating and resolving flags idempotently, for one subject or thousands.

Rules produce Findings; syncing makes the stored flags of a subject match what the
rules found this time, within the codes (and key prefix) that were evaluated:
- a new finding raises a flag; a repeated one updates the same row in place;
- a finding whose condition has already ended (`ended_at`) is stored resolved at that
  time, so an excursion seen only after the guard came back is still on record;
- an open flag whose finding is not produced again is resolved now: the condition ended.
A subject is one shift or one incident report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from backend.flags.models import Flag, FlagStatus
from backend.rules.findings import Finding, FlagCode, Severity

if TYPE_CHECKING:
    from backend.accounts.models import Company
    from backend.incidents.models import IncidentReport
    from backend.staffing.models import Shift


@dataclass(frozen=True)
class Subject:
    """What flags hang on: exactly one of shift_id / incident_id."""

    company_id: int
    shift_id: int | None = None
    incident_id: Any = None

    def lookup(self) -> dict[str, Any]:
        return {"shift_id": self.shift_id, "incident_id": self.incident_id}


def flags_sync(
    *,
    company: Company,
    findings: Iterable[Finding],
    evaluated_codes: Iterable[str],
    shift: Shift | None = None,
    incident: IncidentReport | None = None,
    key_prefix: str = "",
) -> list[Flag]:
    """Sync one subject's flags for `evaluated_codes` (keys starting with key_prefix); returns them."""
    subject = Subject(
        company_id=company.pk,
        shift_id=shift.pk if shift is not None else None,
        incident_id=incident.pk if incident is not None else None,
    )
    return flags_sync_many(
        findings_by_subject={subject: list(findings)}, evaluated_codes=evaluated_codes, key_prefix=key_prefix
    )[subject]


@transaction.atomic
def flags_sync_many(
    *,
    findings_by_subject: Mapping[Subject, list[Finding]],
    evaluated_codes: Iterable[str],
    key_prefix: str = "",
) -> dict[Subject, list[Flag]]:
    """Sync many subjects in a constant number of queries (the monitoring pass uses this)."""
    codes = list(evaluated_codes)
    now = timezone.now()
    if not findings_by_subject:
        return {}
    shift_ids = [s.shift_id for s in findings_by_subject if s.shift_id is not None]
    incident_ids = [s.incident_id for s in findings_by_subject if s.incident_id is not None]
    subject_filter = Q(shift_id__in=shift_ids, incident__isnull=True) | Q(
        incident_id__in=incident_ids, shift__isnull=True
    )
    # Row locks: two overlapping evaluations of a subject cannot both raise one flag.
    existing: dict[tuple[Subject, str, str], Flag] = {}
    open_leftovers: dict[int, Flag] = {}
    by_lookup = {(s.shift_id, s.incident_id): s for s in findings_by_subject}
    stored = Flag.objects.select_for_update().filter(subject_filter, code__in=codes, key__startswith=key_prefix)
    for flag in stored.order_by("status", "-raised_at"):
        subject = by_lookup[(flag.shift_id, flag.incident_id)]
        # An open flag wins over resolved ones with the same key (order_by puts "open" first).
        existing.setdefault((subject, flag.code, flag.key), flag)
        if flag.status == FlagStatus.OPEN:
            open_leftovers[flag.pk] = flag

    to_create: list[Flag] = []
    to_update: list[Flag] = []
    result: dict[Subject, list[Flag]] = {subject: [] for subject in findings_by_subject}
    for subject, findings in findings_by_subject.items():
        for finding in findings:
            flag = existing.get((subject, finding.code, finding.key))
            status = FlagStatus.RESOLVED if finding.ended_at is not None else FlagStatus.OPEN
            if flag is None:
                flag = Flag(
                    company_id=subject.company_id,
                    code=finding.code,
                    key=finding.key,
                    severity=finding.severity,
                    message=finding.message,
                    evidence=finding.evidence,
                    status=status,
                    raised_at=now,
                    resolved_at=finding.ended_at,
                    **subject.lookup(),
                )
                to_create.append(flag)
            else:
                open_leftovers.pop(flag.pk, None)
                if flag.status == FlagStatus.RESOLVED and status == FlagStatus.OPEN and flag.resolved_by_id is not None:
                    # A manager closed it by hand; the rule finding it again does not reopen it.
                    result[subject].append(flag)
                    continue
                changed = (flag.severity, flag.message, flag.evidence, flag.status) != (
                    finding.severity,
                    finding.message,
                    finding.evidence,
                    status,
                )
                if changed:
                    escalated = finding.severity == Severity.CRITICAL and flag.severity != Severity.CRITICAL
                    flag.severity, flag.message, flag.evidence = finding.severity, finding.message, finding.evidence
                    flag.status, flag.resolved_at = status, finding.ended_at
                    flag.updated_at = now
                    to_update.append(flag)
                    if escalated and status == FlagStatus.OPEN:
                        _notify_on_commit(flag)
            result[subject].append(flag)

    if to_create:
        Flag.objects.bulk_create(to_create)
        for flag in to_create:
            if flag.severity == Severity.CRITICAL and flag.status == FlagStatus.OPEN:
                _notify_on_commit(flag)
    if to_update:
        Flag.objects.bulk_update(to_update, ["severity", "message", "evidence", "status", "resolved_at", "updated_at"])
    if open_leftovers:
        Flag.objects.filter(pk__in=list(open_leftovers)).update(
            status=FlagStatus.RESOLVED, resolved_at=now, updated_at=now
        )
    return result


def _notify_on_commit(flag: Flag) -> None:
    """Critical findings reach on-call managers at once, recorded with the flag (outbox).

    A PANIC flag is left out: the panic alert's own page, with the guard's phone and
    position, tells every manager and is recorded as this flag's notifications.
    """
    from backend.core.outbox import outbox_enqueue
    from backend.flags.tasks import flag_notify_managers_task

    if flag.code == FlagCode.PANIC:
        return
    outbox_enqueue(task=flag_notify_managers_task, args=[flag.pk], dedup_key=f"flag-notify:{flag.pk}")

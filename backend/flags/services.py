"""Raising, updating and resolving flags idempotently, for one subject or thousands.

Rules produce Findings; syncing makes the stored flags of a subject match what the
rules found this time, within the codes (and key prefix) that were evaluated:
- a new finding raises a flag; a repeated one updates the same row in place;
- a finding whose condition has already ended (`ended_at`) is stored resolved at that
  time, so an excursion seen only after the guard came back is still on record;
- an open flag whose finding is not produced again is resolved now: the condition ended.
A subject is one shift or one incident report.

People close flags with the transitions at the end: `flag_dismiss` (a false positive,
with a reason; never re-opened by the rules) and `flag_resolve` (handled; a rule that
finds the condition again does not re-open it either).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from backend.accounts.models import User
from backend.core.errors import ValidationFailed
from backend.core.localtime import DATE_TIME, local_time
from backend.core.outbox import outbox_enqueue
from backend.core.validators import chosen_with_note
from backend.flags.errors import (
    FlagAlreadyAcknowledged,
    FlagFollowsPanicAlert,
    FlagNotForClients,
    FlagNotFound,
    FlagNotOpen,
)
from backend.flags.models import (
    AlertNote,
    DismissalReason,
    Flag,
    FlagAcknowledgement,
    FlagStatus,
    FlagVisibilityChange,
)
from backend.rules.findings import Finding, FlagCode, Severity
from backend.sites.access import reviewer_check

if TYPE_CHECKING:
    from backend.accounts.models import Company
    from backend.incidents.models import IncidentReport
    from backend.sites.models import Site
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
    for flag in stored.order_by("-raised_at"):
        subject = by_lookup[(flag.shift_id, flag.incident_id)]
        slot = (subject, flag.code, flag.key)
        # An open flag wins over closed ones with the same key; else the newest closed one.
        if slot not in existing or (flag.status == FlagStatus.OPEN and existing[slot].status != FlagStatus.OPEN):
            existing[slot] = flag
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
                if flag.status == FlagStatus.DISMISSED:
                    # A reviewer judged this finding a false positive: it stays dismissed (and
                    # counted against its rule) however often the rule finds it again, and is
                    # not shown again as something to fix.
                    continue
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
    from backend.flags.tasks import flag_notify_managers_task

    if flag.code == FlagCode.PANIC:
        return
    outbox_enqueue(task=flag_notify_managers_task, args=[flag.pk], dedup_key=f"flag-notify:{flag.pk}")


# --- People closing flags -----------------------------------------------------------------
# open --flag_dismiss--> dismissed (a false positive: reason, note; final, never re-opened)
# open --flag_resolve--> resolved by a person (note; a rule finding it again does not re-open it)
# open --(the condition ends)--> resolved (no person), re-opened if the rule finds it again


def _locked_for_reviewer(*, flag: Flag, by: User) -> Flag:
    """The flag under a row lock (rules syncing it wait), once `by` is a reviewer of its site."""
    locked: Flag | None = (
        Flag.objects.select_for_update(of=("self",))
        .select_related("company", "shift__post__site", "incident__shift__post__site")
        .filter(pk=flag.pk)
        .first()
    )
    if locked is None:
        raise FlagNotFound()
    site = _flag_site(locked)
    reviewer_check(user=by, company_id=locked.company_id, site_id=site.pk if site else None, not_found=FlagNotFound())
    return locked


def _flag_for_review(*, flag: Flag, by: User) -> Flag:
    """The flag locked for a decision, once `by` may decide on it and it is open (not a panic flag)."""
    locked = _locked_for_reviewer(flag=flag, by=by)
    if locked.code == FlagCode.PANIC:
        raise FlagFollowsPanicAlert(
            "A panic flag closes when its panic alert is acknowledged: acknowledge the alert instead."
        )
    if locked.status != FlagStatus.OPEN:
        raise FlagNotOpen(_closed_sentence(locked))
    return locked


def _flag_site(flag: Flag) -> Site | None:
    if flag.shift is not None:
        return flag.shift.post.site
    if flag.incident is not None:
        return flag.incident.shift.post.site
    return None


def _closed_sentence(flag: Flag) -> str:
    """'This flag was already dismissed by Dana Reyes at 2026-12-01 14:05 EST (GPS drift).'"""
    site = _flag_site(flag)
    zone_name = site.timezone if site is not None else flag.company.timezone
    if flag.status == FlagStatus.DISMISSED and flag.dismissed_at is not None:
        by = flag.dismissed_by
        when = local_time(flag.dismissed_at, zone_name, DATE_TIME)
        return f"This flag was already dismissed by {by} at {when} ({flag.get_dismissal_reason_display()})."
    when = local_time(flag.resolved_at, zone_name, DATE_TIME) if flag.resolved_at else "an unknown time"
    if flag.resolved_by_id is not None:
        return f"This flag was already resolved by {flag.resolved_by} at {when}."
    return f"This flag was already resolved at {when}: the condition ended."


@transaction.atomic
def flag_dismiss(*, flag: Flag, by: User, reason: str, note: str = "") -> Flag:
    """A reviewer dismisses an open flag as a false positive, with a reason code (and note).

    Dismissed is final: the rules never re-open it for the same subject, code and key,
    and dismissals are counted per rule (`flag_dismissals_by_rule`). Raises FlagNotFound,
    PermissionDenied `not_a_reviewer`, ValidationFailed `unknown_dismissal_reason` /
    `note_required` (reason "other"), FlagNotOpen (naming who closed it and when),
    FlagFollowsPanicAlert.
    """
    text = chosen_with_note(
        reason, DismissalReason, note, field="reason", code="unknown_dismissal_reason",
        prompt="Choose a reason", note_missing="Say why this flag is a false positive.",
    )  # fmt: skip
    locked = _flag_for_review(flag=flag, by=by)
    now = timezone.now()
    locked.status = FlagStatus.DISMISSED
    locked.dismissed_at, locked.dismissed_by = now, by
    locked.dismissal_reason, locked.dismissal_note = reason, text
    locked.save(
        update_fields=["status", "dismissed_at", "dismissed_by", "dismissal_reason", "dismissal_note", "updated_at"]
    )
    return locked


@transaction.atomic
def flag_resolve(*, flag: Flag, by: User, note: str = "") -> Flag:
    """A reviewer closes an open flag as handled, with who, when and an optional note.

    Raises FlagNotFound, PermissionDenied `not_a_reviewer`, FlagNotOpen, FlagFollowsPanicAlert.
    """
    locked = _flag_for_review(flag=flag, by=by)
    locked.status = FlagStatus.RESOLVED
    locked.resolved_at, locked.resolved_by, locked.resolution_note = timezone.now(), by, note.strip()
    locked.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note", "updated_at"])
    return locked


# --- The live board: taking an open flag, and notes while handling it ----------------------


@transaction.atomic
def flag_acknowledge(*, flag: Flag, by: User, note: str = "") -> FlagAcknowledgement:
    """A reviewer takes an open flag (who, when, a note): it leaves the unacknowledged alerts and
    stops escalating; it stays open until resolved.

    Raises FlagNotFound, PermissionDenied `not_a_reviewer`, FlagNotOpen, FlagFollowsPanicAlert,
    FlagAlreadyAcknowledged (naming who took it and when).
    """
    locked = _flag_for_review(flag=flag, by=by)
    taken = FlagAcknowledgement.objects.select_related("acknowledged_by").filter(flag=locked).first()
    if taken is not None:
        site = _flag_site(locked)
        zone_name = site.timezone if site is not None else locked.company.timezone
        when = local_time(taken.acknowledged_at, zone_name, DATE_TIME)
        raise FlagAlreadyAcknowledged(f"This flag was already acknowledged by {taken.acknowledged_by} at {when}.")
    return FlagAcknowledgement.objects.create(
        flag=locked, acknowledged_by=by, acknowledged_at=timezone.now(), note=note.strip()
    )


def _note_text(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        raise ValidationFailed("Write the note.", code="note_required", field="text")
    if len(stripped) > 4000:
        raise ValidationFailed("A note is at most 4,000 characters.", code="note_too_long", field="text")
    return stripped


@transaction.atomic
def flag_note_add(*, flag: Flag, by: User, text: str) -> AlertNote:
    """A reviewer's note on a flag (open or closed); notes are never edited.

    Raises FlagNotFound, PermissionDenied `not_a_reviewer`, ValidationFailed `note_required` /
    `note_too_long` (field `text`).
    """
    body = _note_text(text)
    found = Flag.objects.select_related("company", "shift__post__site", "incident__shift__post__site").filter(
        pk=flag.pk
    )
    current = found.first()
    if current is None:
        raise FlagNotFound()
    site = _flag_site(current)
    reviewer_check(user=by, company_id=current.company_id, site_id=site.pk if site else None, not_found=FlagNotFound())
    return AlertNote.objects.create(company_id=current.company_id, flag=current, author=by, text=body)


def alert_note_text(text: str) -> str:
    """A note's text as stored (stripped), or ValidationFailed: shared with panic alert notes."""
    return _note_text(text)


# --- The client's copy of a report: which of its flags the client sees ---------------------


@transaction.atomic
def flag_client_visibility_set(*, flag: Flag, by: User, shown: bool) -> Flag:
    """Show a report's flag on the client's copy of the report (the portal, its PDFs), or take it off.

    Flags are internal until a reviewer of the report's site shows one; each change is
    recorded (FlagVisibilityChange: who, when). Setting what is already set changes and
    records nothing. Raises FlagNotFound, PermissionDenied `not_a_reviewer`, and
    FlagNotForClients for a shift's flag, a panic flag or one dismissed as a false positive
    (it can still be taken off).
    """
    locked = _locked_for_reviewer(flag=flag, by=by)
    if locked.shown_to_client == shown:
        return locked
    if shown and (locked.incident_id is None or locked.code == FlagCode.PANIC):
        raise FlagNotForClients("Only a report's flags are shown on the client's copy of the report.")
    if shown and locked.status == FlagStatus.DISMISSED:
        raise FlagNotForClients("This flag was dismissed as a false positive: it is not shown to the client.")
    locked.shown_to_client = shown
    locked.save(update_fields=["shown_to_client", "updated_at"])
    FlagVisibilityChange.objects.create(flag=locked, shown=shown, by=by, at=timezone.now())
    return locked


def flags_client_visibility_set(*, flags: list[Flag], by: User, shown_ids: set[int]) -> list[Flag]:
    """Set which of a report's flags the client sees: those in `shown_ids`, none of the others (one transaction)."""
    with transaction.atomic():
        return [flag_client_visibility_set(flag=flag, by=by, shown=flag.pk in shown_ids) for flag in flags]

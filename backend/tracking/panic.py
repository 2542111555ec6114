"""Reviewers' transitions over a panic alert: raised -> acknowledged -> resolved.

- acknowledge: someone is handling it (who, when, a note). The alert's PANIC flag closes
  with it, recorded as closed by that person; paging stops mattering.
- resolve: only once acknowledged; how it ended (PanicOutcome) and a note. Final.
Each locks the alert row and checks its state under the lock, so of two managers
answering at once the second is told who took it and when.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.core.localtime import DATE_TIME, local_time
from backend.core.validators import chosen_with_note
from backend.flags.models import AlertNote, Flag, FlagStatus
from backend.flags.services import alert_note_text
from backend.rules.findings import FlagCode
from backend.sites.access import reviewer_check
from backend.tracking.errors import (
    PanicAlertAlreadyAcknowledged,
    PanicAlertAlreadyResolved,
    PanicAlertNotAcknowledged,
    PanicAlertNotFound,
)
from backend.tracking.field_services import panic_flags_sync
from backend.tracking.models import PanicAlert, PanicOutcome


def _alert_for_review(*, alert: PanicAlert, by: User) -> PanicAlert:
    """The alert locked for a decision, once `by` may decide on it."""
    locked: PanicAlert | None = (
        PanicAlert.objects.select_for_update(of=("self",))
        .select_related("guard__company", "shift__post__site__client__company")
        .filter(pk=alert.pk)
        .first()
    )
    if locked is None or locked.guard.company_id is None:
        raise PanicAlertNotFound()
    site = locked.shift.post.site if locked.shift is not None else None
    reviewer_check(
        user=by,
        company_id=locked.guard.company_id,
        site_id=site.pk if site is not None else None,
        not_found=PanicAlertNotFound(),
    )
    return locked


def _who_when(alert: PanicAlert, user_id: int | None, moment: datetime) -> str:
    """'Dana Reyes at 2026-12-01 02:14 EST' on the site's clock (the company's without a shift)."""
    assert alert.guard.company is not None  # noqa: S101 - _alert_for_review refuses an alert without one
    zone_name = alert.shift.post.site.timezone if alert.shift is not None else alert.guard.company.timezone
    who = str(User.objects.get(pk=user_id)) if user_id is not None else "a former user"
    return f"{who} at {local_time(moment, zone_name, DATE_TIME)}"


@transaction.atomic
def panic_alert_acknowledge(*, alert: PanicAlert, by: User, note: str = "") -> PanicAlert:
    """A reviewer takes a raised panic alert (who, when, note); its PANIC flag closes with it.

    Raises PanicAlertNotFound (another tenant's), PermissionDenied `not_a_reviewer`,
    PanicAlertAlreadyAcknowledged (naming who took it and when).
    """
    locked = _alert_for_review(alert=alert, by=by)
    if locked.acknowledged_at is not None:
        taken = _who_when(locked, locked.acknowledged_by_id, locked.acknowledged_at)
        raise PanicAlertAlreadyAcknowledged(f"This panic alert was already acknowledged by {taken}.")
    locked.acknowledged_at, locked.acknowledged_by, locked.acknowledgement_note = timezone.now(), by, note.strip()
    locked.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note", "updated_at"])
    if locked.shift is not None:
        panic_flags_sync(shift=locked.shift)
        # The flag ended because a person took the alert, not by itself: say who.
        Flag.objects.filter(
            code=FlagCode.PANIC, key=str(locked.pk), shift=locked.shift, status=FlagStatus.RESOLVED
        ).filter(resolved_by__isnull=True).update(resolved_by=by, resolution_note="Panic alert acknowledged.")
    return locked


@transaction.atomic
def panic_alert_resolve(*, alert: PanicAlert, by: User, outcome: str, note: str = "") -> PanicAlert:
    """A reviewer closes an acknowledged panic alert with how it ended (final).

    Raises PanicAlertNotFound, PermissionDenied `not_a_reviewer`, ValidationFailed
    `unknown_outcome` / `note_required` (outcome "other"), PanicAlertNotAcknowledged,
    PanicAlertAlreadyResolved (naming who and when).
    """
    text = chosen_with_note(
        outcome, PanicOutcome, note, field="outcome", code="unknown_outcome",
        prompt="Choose an outcome", note_missing="Say how the alert ended.",
    )  # fmt: skip
    locked = _alert_for_review(alert=alert, by=by)
    if locked.resolved_at is not None:
        closed = _who_when(locked, locked.resolved_by_id, locked.resolved_at)
        raise PanicAlertAlreadyResolved(
            f"This panic alert was already resolved by {closed} ({locked.get_outcome_display()})."
        )
    if locked.acknowledged_at is None:
        raise PanicAlertNotAcknowledged("Acknowledge the panic alert (someone is handling it) before resolving it.")
    locked.resolved_at, locked.resolved_by = timezone.now(), by
    locked.outcome, locked.resolution_note = outcome, text
    locked.save(update_fields=["resolved_at", "resolved_by", "outcome", "resolution_note", "updated_at"])
    return locked


@transaction.atomic
def panic_alert_note_add(*, alert: PanicAlert, by: User, text: str) -> AlertNote:
    """A reviewer's note on a panic alert while handling it (a call made, who was sent); append-only.

    Raises PanicAlertNotFound, PermissionDenied `not_a_reviewer`, ValidationFailed `note_required`.
    """
    body = alert_note_text(text)
    locked = _alert_for_review(alert=alert, by=by)
    assert locked.guard.company_id is not None  # noqa: S101 - _alert_for_review refuses an alert without one
    return AlertNote.objects.create(company_id=locked.guard.company_id, panic_alert_id=locked.pk, author=by, text=body)

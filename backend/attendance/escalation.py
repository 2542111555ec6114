"""Escalation: an unacknowledged critical alert is e-mailed again, to the next manager in line.

Every minute (Celery beat) the job looks for panic alerts nobody acknowledged and open
critical flags nobody acknowledged on the live board. An alert unacknowledged for
n × the company's escalation delay (Rule settings `alert_escalation_min`; without an
override the ALERT_ESCALATION_MINUTES setting) has had n escalations: when it has had fewer, the next
manager is chosen and recorded (AlertEscalation, once per alert and recipient), and the
e-mail goes out through the outbox, so a broker that is down delays it but loses nothing.

The line of managers: the company's active managers with an e-mail address, those not on
call first (the on-call ones were told when the alert was raised), then the on-call ones,
each by id; someone already escalated to is skipped. When the line is used up, escalation
stops (every manager has been told twice).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from backend.accounts.models import Role, User
from backend.core.localtime import DATE_TIME, local_time
from backend.core.mail import mail_and_record
from backend.core.outbox import outbox_enqueue
from backend.flags.models import AlertEscalation, Flag, FlagStatus
from backend.flags.notifications import flag_email
from backend.rules.findings import FlagCode, Severity
from backend.rules.selectors import thresholds_for_companies
from backend.rules.thresholds import Thresholds
from backend.tracking.field_services import map_link
from backend.tracking.models import PanicAlert

logger = logging.getLogger(__name__)

ESCALATION_HORIZON = timedelta(hours=24)
"""Alerts raised longer ago than this are past escalating: they are the review queue's now."""


MIN_ESCALATION_AFTER = timedelta(minutes=1)
"""The shortest delay a company may set: the job runs every minute (and 0 would mean every run)."""


def escalation_after(thresholds: Thresholds) -> timedelta:
    return max(timedelta(minutes=thresholds.alert_escalation_min), MIN_ESCALATION_AFTER)


def _line(managers: list[User]) -> list[User]:
    return sorted(managers, key=lambda manager: (manager.is_on_call, manager.pk))


def alerts_escalate(*, now: datetime | None = None) -> int:
    """Record and enqueue the escalations that are due; returns how many were recorded."""
    from backend.attendance.tasks import alert_escalation_send_task  # the tasks module imports this one

    now = now or timezone.now()
    # Each company has its own delay: fetch what any company could owe, then judge per company.
    due_before, horizon = now - MIN_ESCALATION_AFTER, now - ESCALATION_HORIZON
    panics = list(
        PanicAlert.objects.filter(
            acknowledged_at__isnull=True,
            resolved_at__isnull=True,
            received_at__lte=due_before,
            received_at__gte=horizon,
            guard__company__isnull=False,
        ).values_list("pk", "guard__company_id", "received_at")
    )
    flags = list(
        Flag.objects.filter(
            status=FlagStatus.OPEN,
            severity=Severity.CRITICAL,
            acknowledgement__isnull=True,
            raised_at__lte=due_before,
            raised_at__gte=horizon,
        )
        .exclude(code=FlagCode.PANIC)
        .values_list("pk", "company_id", "raised_at")
    )
    if not panics and not flags:
        return 0
    done: dict[str, set[int]] = defaultdict(set)
    for flag_id, panic_id, recipient_id in AlertEscalation.objects.filter(
        Q(flag_id__in=[pk for pk, _, _ in flags]) | Q(panic_alert_id__in=[pk for pk, _, _ in panics])
    ).values_list("flag_id", "panic_alert_id", "recipient_id"):
        done[f"flag:{flag_id}" if flag_id is not None else f"panic:{panic_id}"].add(recipient_id)
    company_ids = {company_id for _, company_id, _ in [*panics, *flags]}
    delays = {
        company_id: escalation_after(thresholds)
        for company_id, thresholds in thresholds_for_companies(company_ids=company_ids).items()
    }
    managers: dict[int, list[User]] = defaultdict(list)
    for manager in User.objects.filter(
        company_id__in=company_ids, role=Role.MANAGER, is_active=True, email__gt=""
    ).only("pk", "company_id", "email", "is_on_call"):
        managers[int(manager.company_id or 0)].append(manager)
    recorded = 0
    due = [("panic", str(pk), company, raised) for pk, company, raised in panics] + [
        ("flag", str(pk), company, raised) for pk, company, raised in flags
    ]
    for kind, alert_id, company_id, raised_at in due:
        told = done[f"{kind}:{alert_id}"]
        steps_due = int((now - raised_at) / delays[company_id])
        if len(told) >= steps_due:
            continue
        waiting = [manager for manager in _line(managers[company_id]) if manager.pk not in told]
        if not waiting:
            continue
        recipient = waiting[0]
        try:
            with transaction.atomic():
                escalation = AlertEscalation.objects.create(
                    company_id=company_id,
                    flag_id=int(alert_id) if kind == "flag" else None,
                    panic_alert_id=alert_id if kind == "panic" else None,
                    recipient=recipient,
                    step=len(told) + 1,
                    address=recipient.email,
                )
                outbox_enqueue(
                    task=alert_escalation_send_task,
                    args=[escalation.pk],
                    dedup_key=f"alert-escalation:{escalation.pk}",
                )
        except IntegrityError:  # a concurrent run recorded this one: it sends it
            continue
        recorded += 1
    return recorded


def _panic_email(alert: PanicAlert, minutes: int) -> tuple[str, str]:
    guard = alert.guard
    name = guard.get_full_name() or guard.username
    site = alert.shift.post.site if alert.shift is not None else None
    zone_name = site.timezone if site is not None else (guard.company.timezone if guard.company else "UTC")
    lines = [
        f"{name} pressed the panic button and nobody has acknowledged it for {minutes} minutes.",
        "",
        f"Guard: {name} ({guard.username}), phone {guard.phone or 'not on file'}",
        f"Site: {site.name if site is not None else 'no shift open'}",
        f"Received: {local_time(alert.received_at, zone_name, DATE_TIME)}",
    ]
    if alert.location is not None:
        lines.append(f"Map: {map_link(lat=alert.location.y, lon=alert.location.x)}")
    lines += ["", f"Acknowledge it on the live board: {settings.GUARDOPS_BASE_URL}/console/live/alerts"]
    return f"ESCALATED PANIC: {name} at {site.name if site is not None else 'no shift open'}", "\n".join(lines)


def alert_escalation_send(*, escalation_id: int) -> bool:
    """E-mail one recorded escalation; True when sent now. Idempotent (a sent one is skipped);
    an alert acknowledged in the meantime is not e-mailed (recorded as such)."""
    with transaction.atomic():
        escalation = (
            AlertEscalation.objects.select_for_update(skip_locked=True)
            .filter(pk=escalation_id, sent_at__isnull=True)
            .first()
        )
        if escalation is None:
            return False
        now = timezone.now()
        if escalation.flag_id is not None:
            flag = Flag.objects.select_related(
                "company", "shift__post__site", "incident__shift__post__site", "acknowledgement"
            ).get(pk=escalation.flag_id)
            if flag.status != FlagStatus.OPEN or hasattr(flag, "acknowledgement"):
                escalation.error = "acknowledged or closed before the e-mail went out"
                escalation.save(update_fields=["error", "updated_at"])
                return False
            subject, body = flag_email(flag)
            minutes = int((now - flag.raised_at) / timedelta(minutes=1))
            subject = f"[Escalated: unacknowledged {minutes} min] {subject}"
        else:
            alert = PanicAlert.objects.select_related("guard__company", "shift__post__site").get(
                pk=escalation.panic_alert_id
            )
            if alert.acknowledged_at is not None:
                escalation.error = "acknowledged before the e-mail went out"
                escalation.save(update_fields=["error", "updated_at"])
                return False
            subject, body = _panic_email(alert, int((now - alert.received_at) / timedelta(minutes=1)))
        error = mail_and_record(escalation, subject=subject, body=body, address=escalation.address)
    # Raised once the transaction has kept the error on the row: raised inside it, the rollback would lose why.
    if error is not None:
        logger.warning("Could not e-mail escalation %s to %s: %s", escalation.pk, escalation.address, error)
        raise error
    return True

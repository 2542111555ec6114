"""Tell on-call managers about critical flags at once (e-mail), and record that we did."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.accounts.models import Role, User
from backend.flags.models import Flag, FlagNotification

logger = logging.getLogger(__name__)


def on_call_managers(*, company_id: int) -> list[User]:
    """Managers on call; when nobody is marked on call, every active manager (never nobody)."""
    managers = User.objects.filter(company_id=company_id, role=Role.MANAGER, is_active=True).exclude(email="")
    on_call = [manager for manager in managers if manager.is_on_call]
    return on_call or list(managers)


def _subject_line(flag: Flag) -> str:
    where = ""
    if flag.shift_id is not None:
        shift = flag.shift
        assert shift is not None  # noqa: S101 - shift_id is set
        where = f" at {shift.post.site.name}"
    elif flag.incident_id is not None:
        incident = flag.incident
        assert incident is not None  # noqa: S101 - incident_id is set
        where = f" at {incident.shift.post.site.name}"
    return f"[GuardOps] {flag.get_code_display()}{where}"


def flag_notify_managers(*, flag_id: int) -> int:
    """E-mail the company's on-call managers about a critical flag; returns e-mails sent.

    Idempotent: a recipient already notified of this flag is skipped, so a re-delivered
    task sends nothing twice.
    """
    flag = Flag.objects.select_related("company").get(pk=flag_id)
    body = (
        f"{flag.message}\n\nSeverity: {flag.severity}\n"
        f"Raised: {flag.raised_at:%Y-%m-%d %H:%M} UTC\nEvidence: {flag.evidence}"
    )
    return email_managers(
        recipients=on_call_managers(company_id=flag.company_id), subject=_subject_line(flag), body=body, flag=flag
    )


def email_managers(*, recipients: Iterable[User], subject: str, body: str, flag: Flag | None) -> int:
    """E-mail each recipient once; with a flag, each e-mail is recorded as its FlagNotification.

    A recipient already recorded for the flag is skipped, so a re-delivered task sends
    nothing twice. A failed send keeps its record with the error, for an operator to see.
    """
    sent = 0
    for manager in recipients:
        record = None
        if flag is not None:
            try:
                with transaction.atomic():
                    record = FlagNotification.objects.create(flag=flag, recipient=manager, address=manager.email)
            except IntegrityError:
                continue
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [manager.email])
        except OSError as error:  # mail server down: keep going for the others, leave a trace
            logger.warning("Could not e-mail %s (%s): %s", manager.email, subject, error)
            if record is not None:
                FlagNotification.objects.filter(pk=record.pk).update(error=str(error)[:2000])
            continue
        if record is not None:
            FlagNotification.objects.filter(pk=record.pk).update(sent_at=timezone.now())
        sent += 1
    return sent

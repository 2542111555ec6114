"""Tell on-call managers about critical flags at once (e-mail), and record that we did."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Manager

from backend.accounts.models import Role, User
from backend.core.links import item_link
from backend.core.localtime import DATE_TIME, local_time
from backend.core.mail import mail_and_record
from backend.flags.evidence import evidence_lines
from backend.flags.models import Flag
from backend.sites.models import Site

logger = logging.getLogger(__name__)


class EmailsNotSent(Exception):
    """Some recipients could not be e-mailed; raised after trying all, so the task is retried.

    The recipients already told are recorded, so the retry e-mails only the others.
    """


def on_call_managers(*, company_id: int) -> list[User]:
    """Managers on call; when nobody is marked on call, every active manager (never nobody)."""
    managers = User.objects.filter(company_id=company_id, role=Role.MANAGER, is_active=True).exclude(email="")
    on_call = [manager for manager in managers if manager.is_on_call]
    return on_call or list(managers)


def flag_site(flag: Flag) -> Site | None:
    """The site a flag is about: its shift's, or its report's shift's."""
    shift = flag.shift if flag.shift_id is not None else None
    if shift is None and flag.incident_id is not None and flag.incident is not None:
        shift = flag.incident.shift
    return shift.post.site if shift is not None else None


def flag_email(flag: Flag) -> tuple[str, str]:
    """Subject and body of the e-mail about a critical flag, on the site's clock."""
    site = flag_site(flag)
    zone_name = site.timezone if site is not None else flag.company.timezone
    where = f" at {site.name}" if site is not None else ""
    lines = [
        flag.message,
        "",
        f"Severity: {flag.get_severity_display()}",
        f"Raised: {local_time(flag.raised_at, zone_name, DATE_TIME)}",
        "",
        "Evidence:",
        *(f"  {line}" for line in evidence_lines(flag.evidence, zone_name)),
        "",
        f"Open the flag: {item_link(flag)}",
    ]
    return f"[GuardOps] {flag.get_code_display()}{where}", "\n".join(lines)


def flag_notify_managers(*, flag_id: int) -> int:
    """E-mail the company's on-call managers about a critical flag; returns e-mails sent.

    Idempotent: a recipient already notified of this flag is skipped, so a re-delivered
    task sends nothing twice.
    """
    flag = Flag.objects.select_related("company", "shift__post__site", "incident__shift__post__site").get(pk=flag_id)
    subject, body = flag_email(flag)
    return email_managers(
        recipients=on_call_managers(company_id=flag.company_id), subject=subject, body=body, ledger=flag.notifications
    )


def email_managers(*, recipients: Iterable[User], subject: str, body: str, ledger: Manager[Any]) -> int:
    """E-mail each recipient once, recording each e-mail in `ledger`; returns e-mails sent.

    `ledger` is the related manager of the item's notification records (a flag's or a
    panic alert's). A recipient recorded as sent is skipped, so a re-delivered task sends
    nothing twice; one being e-mailed by a concurrent delivery is skipped too (its row is
    locked for the send). A failed send keeps its record with the error, for an operator
    to see, and EmailsNotSent is raised once all were tried, so the task runs again.
    """
    sent = 0
    failed: list[str] = []
    for manager in recipients:
        with transaction.atomic():
            record, _ = ledger.get_or_create(recipient=manager, channel="email", defaults={"address": manager.email})
            locked = ledger.select_for_update(skip_locked=True).filter(pk=record.pk, sent_at__isnull=True).first()
            if locked is None:
                continue
            error = mail_and_record(locked, subject=subject, body=body, address=manager.email)
            if error is not None:  # mail server down: keep going for the others, leave a trace
                logger.warning("Could not e-mail %s (%s): %s", manager.email, subject, error)
                failed.append(manager.email)
                continue
        sent += 1
    if failed:
        raise EmailsNotSent(f"{subject}: not sent to {', '.join(failed)} ({sent} sent)")
    return sent

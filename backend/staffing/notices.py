"""What a guard is told about changes to their schedule: a notice on the phone's next sync, and an e-mail.

A notice is written in the change's own transaction and read by the phone through
`GET /notices?after=<last id seen>` (ids only grow, so a phone that was offline picks up
everything it missed, in order). When the guard has an e-mail address the same words are
e-mailed through the outbox, so a broker that is down delays the e-mail but loses nothing.
"""

from __future__ import annotations

import logging
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet

from backend.accounts.models import User
from backend.core.localtime import TIME, to_local
from backend.core.mail import mail_and_record
from backend.core.outbox import outbox_enqueue
from backend.staffing.models import GuardNotice, NoticeKind, Shift

logger = logging.getLogger(__name__)

NOTICE_PAGE_MAX = 100


def _span(shift: Shift) -> str:
    """'Tue 14 Jan 22:00–06:00 EST': the shift on the site's clock."""
    zone_name = shift.post.site.timezone
    start, end = to_local(shift.scheduled_start, zone_name), to_local(shift.scheduled_end, zone_name)
    day = f"{start.strftime('%a')} {start.day} {start.strftime('%b')}"
    return f"{day} {start.strftime(TIME)}–{end.strftime(TIME)} {end.tzname() or 'UTC'}"


def guard_notice_send(
    *, guard: User, kind: NoticeKind, message: str, shift: Shift | None = None, incident_report_id: UUID | None = None
) -> GuardNotice:
    """Write a notice for the guard's next sync, and e-mail it (through the outbox) when they have an address.

    Call inside the transaction of the change it tells about: the notice and its e-mail
    exist only if the change does.
    """
    notice = GuardNotice.objects.create(
        guard=guard,
        kind=kind,
        message=message,
        shift=shift,
        incident_report_id=incident_report_id,
        email_address=guard.email,
    )
    if guard.email:
        from backend.staffing.tasks import guard_notice_email_task  # the tasks module imports this one

        outbox_enqueue(task=guard_notice_email_task, args=[notice.pk], dedup_key=f"guard-notice-email:{notice.pk}")
    return notice


def guard_notice_shift_assigned(*, shift: Shift, replacing: User | None = None, why: str = "") -> GuardNotice:
    """Tell the shift's guard they were put on it (a replacement names whom they replace)."""
    post = shift.post
    whom = f", replacing {replacing.get_full_name() or replacing.username}" if replacing is not None else ""
    because = f" ({why})" if why else ""
    message = f"You were assigned {post.name} at {post.site.name}, {_span(shift)} (site time){whom}{because}."
    return guard_notice_send(guard=shift.guard, kind=NoticeKind.SHIFT_ASSIGNED, message=message, shift=shift)


_EMAIL_SUBJECTS = {
    NoticeKind.SHIFT_ASSIGNED: "Your schedule changed",
    NoticeKind.REPORT_RETURNED: "Your incident report was returned for correction",
}


def guard_notice_email(*, notice_id: int) -> bool:
    """E-mail one notice to the address recorded with it; True when sent now. Idempotent: a sent one is skipped."""
    with transaction.atomic():
        notice = (
            GuardNotice.objects.select_for_update(skip_locked=True)
            .filter(pk=notice_id, emailed_at__isnull=True)
            .exclude(email_address="")
            .first()
        )
        if notice is None:
            return False
        error = mail_and_record(
            notice,
            subject=_EMAIL_SUBJECTS[NoticeKind(notice.kind)],
            body=notice.message,
            address=notice.email_address,
            sent_field="emailed_at",
            error_field="email_error",
        )
    # Raised once the transaction has kept the error on the row: raised inside it, the rollback would lose why.
    if error is not None:
        logger.warning("Could not e-mail notice %s to %s: %s", notice.pk, notice.email_address, error)
        raise error
    return True


def notices_for_guard(*, guard: User, after: int = 0, limit: int = NOTICE_PAGE_MAX) -> QuerySet[GuardNotice]:
    """The guard's own notices with an id above `after`, oldest first (one query)."""
    return GuardNotice.objects.filter(guard=guard, pk__gt=after).order_by("pk")[: min(limit, NOTICE_PAGE_MAX)]

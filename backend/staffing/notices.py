"""What a guard is told about changes to their schedule: a notice on the phone's next sync, and an e-mail.

A notice is written in the change's own transaction and read by the phone through
`GET /notices?after=<last id seen>` (ids only grow, so a phone that was offline picks up
everything it missed, in order). When the guard has an e-mail address the same words are
e-mailed through the outbox, so a broker that is down delays the e-mail but loses nothing.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from backend.accounts.models import User
from backend.core.localtime import TIME, to_local
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


def guard_notice_shift_assigned(*, shift: Shift, replacing: User | None = None, why: str = "") -> GuardNotice:
    """Tell the shift's guard they were put on it (a replacement names whom they replace).

    Call inside the transaction that scheduled the shift: the notice and its e-mail exist
    only if the shift does.
    """
    guard = shift.guard
    post = shift.post
    whom = f", replacing {replacing.get_full_name() or replacing.username}" if replacing is not None else ""
    because = f" ({why})" if why else ""
    message = f"You were assigned {post.name} at {post.site.name}, {_span(shift)} (site time){whom}{because}."
    notice = GuardNotice.objects.create(
        guard=guard, kind=NoticeKind.SHIFT_ASSIGNED, message=message, shift=shift, email_address=guard.email
    )
    if guard.email:
        from backend.staffing.tasks import guard_notice_email_task  # the tasks module imports this one

        outbox_enqueue(task=guard_notice_email_task, args=[notice.pk], dedup_key=f"guard-notice-email:{notice.pk}")
    return notice


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
        try:
            send_mail("Your schedule changed", notice.message, settings.DEFAULT_FROM_EMAIL, [notice.email_address])
        except OSError as error:
            logger.warning("Could not e-mail notice %s to %s: %s", notice.pk, notice.email_address, error)
            notice.email_error = str(error)[:2000]
            notice.save(update_fields=["email_error", "updated_at"])
            raise
        notice.emailed_at, notice.email_error = timezone.now(), ""
        notice.save(update_fields=["emailed_at", "email_error", "updated_at"])
    return True


def notices_for_guard(*, guard: User, after: int = 0, limit: int = NOTICE_PAGE_MAX) -> QuerySet[GuardNotice]:
    """The guard's own notices with an id above `after`, oldest first (one query)."""
    return GuardNotice.objects.filter(guard=guard, pk__gt=after).order_by("pk")[: min(limit, NOTICE_PAGE_MAX)]

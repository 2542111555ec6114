"""One e-mail sent and its outcome kept on the row that asked for it (a notification, an escalation, a notice)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Model
from django.utils import timezone


def mail_and_record(
    row: Model,
    *,
    subject: str,
    body: str,
    address: str,
    sent_field: str = "sent_at",
    error_field: str = "error",
) -> OSError | None:
    """E-mail `body` to `address`; on `row`, when it went (`sent_field`, the error cleared) or why not.

    A mail server that is down is returned, not raised, with the row saved with its error:
    the caller says whether that fails its task (raise it) or moves on to the next address.
    """
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except OSError as error:
        setattr(row, error_field, str(error)[:2000])
        row.save(update_fields=[error_field, "updated_at"])
        return error
    setattr(row, sent_field, timezone.now())
    setattr(row, error_field, "")
    row.save(update_fields=[sent_field, error_field, "updated_at"])
    return None

"""Concerns raised in the client portal: a client's call-log entry with channel `portal`, and its thread.

A client contact asks about one entry they can see — a shift, an approved incident report
or a line of a site's daily activity report (`concern_raise`). That opens a call of the
call log (`Call.channel = portal`; the contact is the caller, verified by signing in;
the site, shift or report linked on the call), with the question as the caller's words
and the first message of the thread. Operations answer from the console
(`concern_answer`); the contact reads the answer in the portal and by e-mail, and may
reply while the call is open (`concern_reply`). Closing the call (the console's SOP)
closes the concern. Every message is e-mailed through the outbox: the contact's to the
managers on call, operations' to the contact, each recipient once (ConcernEmail).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from backend.accounts.models import User
from backend.calls.concern_models import Concern, ConcernMessage, ConcernSubject
from backend.calls.errors import CallClosed, CallNotFound, ConcernClosed, ConcernNotFound, ConcernSubjectNotFound
from backend.calls.models import Call, CallChannel, CallStatus
from backend.calls.selectors import calls_in_scope
from backend.core.errors import PermissionDenied, ValidationFailed
from backend.core.localtime import DATE_TIME, TIME, local_time, to_local
from backend.core.outbox import outbox_enqueue
from backend.flags.notifications import email_managers, on_call_managers
from backend.incidents.models import IncidentReport
from backend.incidents.selectors import incident_reports_visible
from backend.sites.models import Site
from backend.sites.scopes import Scope, scope_for
from backend.sites.selectors import sites_visible
from backend.staffing.models import Shift
from backend.staffing.selectors import shifts_visible

MESSAGE_LIMIT = 4000
ENTRY_LIMIT = 500
RESUBMIT_WINDOW = timedelta(minutes=2)
"""The same question about the same entry again this soon is the first one (a double click, a reload)."""


@dataclass(frozen=True)
class ConcernAbout:
    """What a contact asks about: a shift, a report, or a line of a site's daily activity report.

    `entry` is how a DAR line reads on the page (the caller passes it: the DAR is built above
    this app); a shift or report is described from the record itself.
    """

    kind: str
    site_id: int
    shift_id: int | None = None
    incident_id: uuid.UUID | None = None
    day: date | None = None
    entry: str = ""


def _contact_scope(contact: User) -> Scope:
    scope = scope_for(contact)
    if not scope.is_client_contact:
        raise PermissionDenied(
            "Concerns are raised by a client's contacts, in the portal.", code="not_a_client_contact"
        )
    return scope


def _message_text(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        raise ValidationFailed("Write what you would like to know.", code="text_required", field="text")
    if len(stripped) > MESSAGE_LIMIT:
        raise ValidationFailed(f"At most {MESSAGE_LIMIT:,} characters.", code="text_too_long", field="text")
    return stripped


def _shift_entry(shift: Shift) -> str:
    zone = shift.post.site.timezone
    start = to_local(shift.scheduled_start, zone)
    return f"{shift.post.name} shift, {start:%a %d %b %H:%M}–{local_time(shift.scheduled_end, zone, TIME)}"


def _report_entry(report: IncidentReport) -> str:
    zone = report.shift.post.site.timezone
    return f"{report.type.name} report of {local_time(report.occurred_at, zone, DATE_TIME)}"


def _subject(scope: Scope, about: ConcernAbout) -> tuple[Site, Shift | None, IncidentReport | None, str]:
    """The site, shift and report the concern is about, each one the contact may see, and how it reads."""
    site: Site | None = sites_visible(scope=scope).filter(pk=about.site_id).defer("geofence").first()
    if site is None:
        raise ConcernSubjectNotFound()
    if about.kind == ConcernSubject.SHIFT:
        shift = shifts_visible(scope=scope, site_id=site.pk).filter(pk=about.shift_id or -1).first()
        if shift is None:
            raise ConcernSubjectNotFound()
        return site, shift, None, _shift_entry(shift)
    if about.kind == ConcernSubject.REPORT:
        reports = incident_reports_visible(scope=scope, site_id=site.pk)
        report = reports.filter(pk=about.incident_id).first() if about.incident_id is not None else None
        if report is None:
            raise ConcernSubjectNotFound()
        return site, None, report, _report_entry(report)
    if about.kind == ConcernSubject.DAR_LINE:
        entry = about.entry.strip()
        if about.day is None or not entry:
            raise ValidationFailed("Which line of which day's report?", code="entry_required", field="subject")
        return site, None, None, entry[:ENTRY_LIMIT]
    raise ValidationFailed(
        "Ask about a shift, a report or a line of a daily report.", code="unknown_subject", field="subject"
    )


def _email_on_commit(message: ConcernMessage) -> None:
    from backend.calls.tasks import concern_message_email_task

    outbox_enqueue(task=concern_message_email_task, args=[message.pk], dedup_key=f"concern-email:{message.pk}")


@transaction.atomic
def concern_raise(*, contact: User, about: ConcernAbout, text: str, now: datetime | None = None) -> Concern:
    """A client contact asks about an entry they can see: a portal call, its concern and the first message.

    The same question about the same entry from the same contact within RESUBMIT_WINDOW
    returns the concern already raised. Raises PermissionDenied `not_a_client_contact`,
    ConcernSubjectNotFound (another client's site, shift or report, or one not approved),
    ValidationFailed `text_required` / `text_too_long` (field `text`), `entry_required`.
    """
    moment = now or timezone.now()
    scope = _contact_scope(contact)
    question = _message_text(text)
    site, shift, report, entry = _subject(scope, about)
    repeated: Concern | None = (
        Concern.objects.filter(
            raised_by=contact,
            subject_kind=about.kind,
            subject_text=entry,
            call__site=site,
            call__caller_words=question,
            created_at__gte=moment - RESUBMIT_WINDOW,
        )
        .order_by("-created_at")
        .first()
    )
    if repeated is not None:
        return repeated
    call = Call.objects.create(
        company_id=site.client.company_id,
        client_id=site.client_id,
        channel=CallChannel.PORTAL,
        caller_contact=contact,
        caller_name=str(contact),
        caller_number=contact.phone,
        caller_verified=True,
        caller_verified_at=moment,
        caller_words=question,
        site=site,
        shift=shift,
        incident=report,
        opened_at=moment,
        opened_by=contact,
    )
    concern = Concern.objects.create(
        call=call, raised_by=contact, subject_kind=about.kind, subject_text=entry, day=about.day
    )
    _email_on_commit(ConcernMessage.objects.create(concern=concern, author=contact, from_client=True, text=question))
    return concern


def _closed_sentence(call: Call) -> str:
    zone = call.site.timezone if call.site is not None else call.company.timezone
    when = local_time(call.closed_at, zone, DATE_TIME) if call.closed_at else "an earlier time"
    return f"Operations closed this concern at {when}."


@transaction.atomic
def concern_answer(*, call: Call, by: User, text: str) -> ConcernMessage:
    """Operations answer a portal concern: the message joins its thread and is e-mailed to the contact.

    Raises CallNotFound (another tenant's or an unassigned site's call, or a call that is not
    a portal concern), PermissionDenied `not_a_call_taker`, CallClosed, ValidationFailed
    `text_required` / `text_too_long` (field `text`).
    """
    scope = scope_for(by)
    if not scope.sees_operations:
        raise PermissionDenied("Operations answer concerns from the console.", code="not_a_call_taker")
    answer = _message_text(text)
    locked = calls_in_scope(scope=scope).select_for_update().filter(pk=call.pk, channel=CallChannel.PORTAL).first()
    concern = Concern.objects.filter(call=locked).first() if locked is not None else None
    if locked is None or concern is None:
        raise CallNotFound()
    if locked.status == CallStatus.CLOSED:
        raise CallClosed(f"{_closed_sentence(locked)} The contact can raise a new concern in the portal.")
    message = ConcernMessage.objects.create(concern=concern, author=by, from_client=False, text=answer)
    _email_on_commit(message)
    return message


@transaction.atomic
def concern_reply(*, concern: Concern, contact: User, text: str) -> ConcernMessage:
    """A contact of the client adds to an open concern about one of their sites (a follow-up, a thank-you).

    Raises ConcernNotFound (another client's concern, or one about a site the contact does
    not see), ConcernClosed, PermissionDenied `not_a_client_contact`, ValidationFailed
    `text_required` / `text_too_long`.
    """
    scope = _contact_scope(contact)
    reply = _message_text(text)
    own = concerns_visible(scope=scope).filter(pk=concern.pk).values("call_id")
    locked = Call.objects.select_for_update(of=("self",)).filter(pk__in=own).select_related("site", "company").first()
    if locked is None:
        raise ConcernNotFound()
    if locked.status == CallStatus.CLOSED:
        raise ConcernClosed(
            f"{_closed_sentence(locked)} Raise a new concern about the entry if something is still open."
        )
    message = ConcernMessage.objects.create(concern_id=concern.pk, author=contact, from_client=True, text=reply)
    _email_on_commit(message)
    return message


# --- Reads --------------------------------------------------------------------------------------


def concerns_visible(*, scope: Scope) -> QuerySet[Concern]:
    """The concerns raised by the contacts of the viewer's client on the sites they may see, newest first.

    A contact limited to some of the client's sites sees the concerns about those only; each
    row carries `last_from_client` (who wrote last) for its status.
    """
    last_author = ConcernMessage.objects.filter(concern=OuterRef("pk")).order_by("-created_at", "-pk")
    concerns: QuerySet[Concern] = (
        Concern.objects.for_scope(scope)
        .select_related("call__site", "raised_by")
        .defer("call__site__geofence")
        .annotate(last_from_client=Subquery(last_author.values("from_client")[:1]))
        .order_by("-created_at", "-pk")
    )
    return concerns


def concern_get_visible(*, scope: Scope, concern_id: int) -> Concern:
    concern: Concern | None = concerns_visible(scope=scope).filter(pk=concern_id).first()
    if concern is None:
        raise ConcernNotFound()
    return concern


def concern_thread(*, concern: Concern) -> list[ConcernMessage]:
    """The concern's messages, oldest first, with their authors (one query)."""
    return list(concern.messages.select_related("author").order_by("created_at", "pk"))


@dataclass(frozen=True)
class ConcernState:
    """Where a concern stands for the contact: a status class for the colour, and the word."""

    status: str
    word: str

    @property
    def waiting(self) -> bool:
        return self is WAITING

    @property
    def closed(self) -> bool:
        return self is CLOSED


CLOSED = ConcernState("ok", "Closed")
ANSWERED = ConcernState("info", "Answered")
WAITING = ConcernState("attention", "Waiting for an answer")


def concern_status(*, concern: Concern, call: Call) -> ConcernState:
    """Closed (the call was closed), answered (operations wrote last) or waiting for an answer."""
    if call.status == CallStatus.CLOSED:
        return CLOSED
    last_from_client = getattr(concern, "last_from_client", None)
    if last_from_client is None:
        last = concern.messages.order_by("-created_at", "-pk").values_list("from_client", flat=True).first()
        last_from_client = bool(last)
    return WAITING if last_from_client else ANSWERED


def concern_for_call(*, call: Call) -> tuple[Concern, list[ConcernMessage]] | None:
    """The portal concern a (visible) call carries, with its thread; None for a call not from the portal."""
    if call.channel != CallChannel.PORTAL:
        return None
    concern = Concern.objects.filter(call=call).select_related("raised_by").first()
    return None if concern is None else (concern, concern_thread(concern=concern))


# --- E-mail ---------------------------------------------------------------------------------------


def _email(message: ConcernMessage) -> tuple[list[User], str, str]:
    concern, call = message.concern, message.concern.call
    zone = call.site.timezone if call.site is not None else call.company.timezone
    base = settings.GUARDOPS_BASE_URL
    if message.from_client:
        link = f"{base}{reverse('console:call', kwargs={'call_id': call.pk})}"
        subject = f"[GuardOps] Portal concern from {concern.raised_by} ({call.client.name})"
        lines = [
            f"{concern.raised_by} of {call.client.name} asks about: {concern.subject_text}",
            f"at {local_time(message.created_at, zone, DATE_TIME)}:",
            "",
            message.text,
            "",
            f"Answer it in the console: {link}",
        ]
        return on_call_managers(company_id=call.company_id), subject, "\n".join(lines)
    link = f"{base}{reverse('portal:concern', kwargs={'concern_id': concern.pk})}"
    contact = concern.raised_by
    recipients = [contact] if contact.is_active and contact.email else []
    lines = [
        f"Operations answered your question about: {concern.subject_text}",
        f"at {local_time(message.created_at, zone, DATE_TIME)}:",
        "",
        message.text,
        "",
        f"The whole thread, and a reply if you need one: {link}",
    ]
    return recipients, f"[GuardOps] Answer to your question about {concern.subject_text}", "\n".join(lines)


def concern_message_email(*, message_id: int) -> int:
    """E-mail one message of a concern (the contact's to the managers on call, operations' to the contact).

    Idempotent: each recipient is told once (ConcernEmail), so a re-delivered task sends
    nothing twice; returns how many e-mails were sent now.
    """
    message = (
        ConcernMessage.objects.select_related(
            "concern__raised_by", "concern__call__client", "concern__call__site", "concern__call__company"
        )
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return 0
    recipients, subject, body = _email(message)
    return email_managers(recipients=recipients, subject=subject, body=body, ledger=message.emails)

"""Writes over the call log: the SOP's steps as services, each atomic and checked under a row lock.

Every service takes the person acting (`by`) and reads what they may touch through their
Scope, so another company's client, contact, site, shift or report is "not found", never
"forbidden"; a closed call refuses every change but a note.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from backend.accounts.models import Company, User
from backend.calls.errors import (
    CallClientNotFound,
    CallClosed,
    CallerContactNotFound,
    CallNotFound,
    CallReportNotFound,
    CallShiftNotFound,
    CallSiteNotFound,
    DispositionInUse,
    DispositionNotFound,
    FollowUpAlreadyDone,
    FollowUpNotFound,
    FollowUpOwnerNotFound,
)
from backend.calls.models import (
    Call,
    CallChannel,
    CallNote,
    CallStatus,
    CallTally,
    ClientGreeting,
    DispositionCode,
    FollowUp,
    ReasonGroup,
)
from backend.calls.selectors import (
    call_clients_visible,
    calls_in_scope,
    client_contacts_of,
    flag_before_call,
    follow_up_owners,
    followups_visible,
    greeting_for,
)
from backend.core.errors import PermissionDenied, ValidationFailed
from backend.core.localtime import DATE_TIME, local_time
from backend.core.querysets import catalogue_seed
from backend.incidents.selectors import incident_reports_visible
from backend.sites.models import Client
from backend.sites.scopes import Scope, scope_for
from backend.sites.selectors import sites_visible
from backend.staffing.selectors import shifts_visible

TEXT_LIMIT = 5000

# Every company starts with this catalogue: (reason group, code, label, comment required,
# follow-up required, chargeable).
DEFAULT_DISPOSITIONS: tuple[tuple[str, str, str, bool, bool, bool], ...] = (
    (ReasonGroup.GUARD_PERFORMANCE, "guard-late", "Guard late", False, False, False),
    (ReasonGroup.GUARD_PERFORMANCE, "guard-left-early", "Guard left early", False, True, False),
    (ReasonGroup.GUARD_PERFORMANCE, "guard-out-of-position", "Guard out of position", True, False, False),
    (ReasonGroup.GUARD_PERFORMANCE, "guard-asleep", "Guard asleep", True, True, False),
    (ReasonGroup.GUARD_PERFORMANCE, "guard-appearance", "Guard appearance", False, False, False),
    (ReasonGroup.REPORT, "report-missing-details", "Report missing details", False, True, False),
    (ReasonGroup.REPORT, "report-wrong-address", "Report has the wrong address", True, True, False),
    (ReasonGroup.REPORT, "report-unreported-emergency", "Emergency not reported", True, True, False),
    (ReasonGroup.REPORT, "report-unreadable", "Report unreadable", False, False, False),
    (ReasonGroup.BILLING, "billing-dispute", "Billing dispute", True, True, False),
    (ReasonGroup.BILLING, "billing-past-due", "Past-due account", False, True, False),
    (ReasonGroup.BILLING, "billing-rate-question", "Rate question", False, False, False),
    (ReasonGroup.REQUEST, "request-service", "Service request", False, False, True),
    (ReasonGroup.REQUEST, "request-schedule-change", "Schedule change", True, True, False),
    (ReasonGroup.PRAISE, "praise", "Praise", False, False, False),
    (ReasonGroup.OTHER, "other", "Other", True, False, False),
)


def dispositions_seed_defaults(*, company: Company) -> list[DispositionCode]:
    """Give the company the default catalogue; codes it already has are kept as they are."""
    entries = [
        DispositionCode(
            company=company,
            code=code,
            reason_group=group,
            label=label,
            comment_required=comment,
            follow_up_required=follow_up,
            chargeable=chargeable,
        )
        for group, code, label, comment, follow_up, chargeable in DEFAULT_DISPOSITIONS
    ]
    return catalogue_seed(DispositionCode, company_id=company.pk, entries=entries)


def call_tally_rebuild(*, company: Company, only_if_zone_changed: bool = False) -> bool:
    """Recount the company's insights tally from its calls (one statement), e.g. on a new time zone.

    The triggers keep the tally right call by call; its weeks are on the clock the company had
    then. With `only_if_zone_changed`, nothing is done (one indexed query) while every row is
    on the company's clock. Returns whether it recounted.
    """
    if only_if_zone_changed and not CallTally.objects.for_company(company).exclude(zone=company.timezone).exists():
        return False
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT calls_tally_rebuild(%s)", [company.pk])
    return True


def _text(value: str, *, field: str, required: bool = False, limit: int = TEXT_LIMIT) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationFailed("This is required.", field=field)
    if len(value) > limit:
        raise ValidationFailed(f"At most {limit} characters.", field=field)
    return value


def _scope(by: User) -> Scope:
    """The actor's scope; the call log is for the company's managers and supervisors only."""
    scope = scope_for(by)
    if not scope.sees_operations:
        raise PermissionDenied("Only operations managers and supervisors log calls.", code="not_a_call_taker")
    return scope


def _locked(*, call: Call, by: User, allow_closed: bool = False) -> tuple[Call, Scope]:
    """The call under a row lock, if `by` may act on it; a closed one refuses unless asked."""
    scope = _scope(by)
    locked = calls_in_scope(scope=scope).select_for_update().filter(pk=call.pk).first()
    if locked is None:
        raise CallNotFound()
    if not allow_closed and locked.status == CallStatus.CLOSED:
        assert locked.closed_at is not None  # noqa: S101 - the database ties closed to closed_at
        zone = locked.site.timezone if locked.site is not None else locked.company.timezone
        raise CallClosed(
            f"This call was closed by {locked.closed_by} at {local_time(locked.closed_at, zone, DATE_TIME)}; "
            "add a note instead."
        )
    return locked, scope


@transaction.atomic
def call_open(*, by: User, client_id: int, channel: str = CallChannel.PHONE, opened_at: datetime | None = None) -> Call:
    """Open a call from a client: the greeting is this client's script line (SOP step 1)."""
    scope = _scope(by)
    if channel not in CallChannel.values:
        raise ValidationFailed("Unknown channel.", field="channel")
    client: Client | None = call_clients_visible(scope=scope).filter(pk=client_id).first()
    if client is None:
        raise CallClientNotFound()
    return Call.objects.create(
        company_id=client.company_id,
        client=client,
        channel=channel,
        greeting=greeting_for(client=client),
        opened_at=opened_at or timezone.now(),
        opened_by=by,
    )


@transaction.atomic
def call_verify_caller(
    *, call: Call, by: User, contact_id: int | None = None, caller_name: str = "", caller_number: str = ""
) -> Call:
    """Who is calling (SOP step 3): a contact of the client (verified), or an unknown caller's
    name and number (not verified: they are told no guard names or report contents)."""
    call, _ = _locked(call=call, by=by)
    number = _text(caller_number, field="caller_number", limit=32)
    if contact_id is not None:
        contact = client_contacts_of(client=call.client).filter(pk=contact_id).first()
        if contact is None:
            raise CallerContactNotFound()
        call.caller_contact = contact
        call.caller_name = str(contact)
        call.caller_number = number or contact.phone
        call.caller_verified = True
        call.caller_verified_at = timezone.now()
    else:
        call.caller_contact = None
        call.caller_name = _text(caller_name, field="caller_name", required=True, limit=200)
        if not number:
            raise ValidationFailed("An unknown caller's number is required, to call them back.", field="caller_number")
        call.caller_number = number
        call.caller_verified = False
        call.caller_verified_at = None
    call.save()
    return call


@dataclass(frozen=True)
class CallSteps:
    """The free-text steps of the SOP; None leaves a step as it was."""

    greeting: str | None = None
    caller_words: str | None = None
    advice: str | None = None
    reassurance: str | None = None
    summary: str | None = None
    follow_up_promise: str | None = None
    disposition_comment: str | None = None


@transaction.atomic
def call_update(*, call: Call, by: User, steps: CallSteps) -> Call:
    """Record what was said at each step while the call is open."""
    call, _ = _locked(call=call, by=by)
    for name, value in vars(steps).items():
        if value is not None:
            setattr(call, name, _text(value, field=name))
    call.save()
    return call


@transaction.atomic
def call_link(
    *,
    call: Call,
    by: User,
    site_id: int | None = None,
    shift_id: int | None = None,
    incident_id: uuid.UUID | None = None,
) -> Call:
    """Link what the call is about (a site, a shift, a report); each must be on one of the client's
    sites the person may see. A shift or report names its site when the call has none yet."""
    call, scope = _locked(call=call, by=by)
    if site_id is not None:
        site = sites_visible(scope=scope).filter(client_id=call.client_id, pk=site_id).defer("geofence").first()
        if site is None:
            raise CallSiteNotFound()
        call.site = site
    if shift_id is not None:
        shift = shifts_visible(scope=scope).filter(pk=shift_id, post__site__client_id=call.client_id).first()
        if shift is None:
            raise CallShiftNotFound()
        call.shift = shift
        call.site_id = call.site_id or shift.post.site_id
    if incident_id is not None:
        report = (
            incident_reports_visible(scope=scope)
            .filter(pk=incident_id, shift__post__site__client_id=call.client_id)
            .first()
        )
        if report is None:
            raise CallReportNotFound()
        call.incident = report
        call.site_id = call.site_id or report.shift.post.site_id
    call.save()
    return call


@transaction.atomic
def call_close(
    *,
    call: Call,
    by: User,
    disposition_id: int | None,
    summary: str,
    follow_up_promise: str = "",
    disposition_comment: str = "",
) -> Call:
    """Close the call (SOP steps 6-8): a disposition code is required; the code may require a
    comment and a follow-up task; the summary read back to the caller is required."""
    call, _ = _locked(call=call, by=by)
    if not call.caller_name and call.caller_contact_id is None:
        raise ValidationFailed("Record who called before closing (verify the caller).", field="contact")
    if disposition_id is None:
        raise ValidationFailed("Pick a disposition code.", field="disposition")
    disposition = (
        DispositionCode.objects.for_company(call.company_id).filter(pk=disposition_id, retired_at__isnull=True).first()
    )
    if disposition is None:
        raise DispositionNotFound()
    comment = _text(disposition_comment, field="disposition_comment")
    if disposition.comment_required and not comment:
        raise ValidationFailed(f"“{disposition.label}” needs a comment.", field="disposition_comment")
    if disposition.follow_up_required and not call.follow_ups.exists():
        raise ValidationFailed(
            f"“{disposition.label}” needs a follow-up: create one before closing.", field="disposition"
        )
    call.disposition = disposition
    call.disposition_comment = comment
    call.summary = _text(summary, field="summary", required=True)
    call.follow_up_promise = _text(follow_up_promise, field="follow_up_promise")
    call.prior_flag = flag_before_call(call=call)
    call.status = CallStatus.CLOSED
    call.closed_at = timezone.now()
    call.closed_by = by
    call.save()
    return call


@transaction.atomic
def call_note_add(*, call: Call, by: User, text: str) -> CallNote:
    """A note on a call, open or closed: how a closed call is corrected."""
    call, _ = _locked(call=call, by=by, allow_closed=True)
    return CallNote.objects.create(call=call, author=by, text=_text(text, field="text", required=True))


@transaction.atomic
def followup_create(*, call: Call, by: User, due_at: datetime, owner_id: int, note: str) -> FollowUp:
    """A task the call promised, owned by a manager or supervisor of the company; a closed call
    still takes one (the task is new, the call is not changed)."""
    call, _ = _locked(call=call, by=by, allow_closed=True)
    owner = follow_up_owners(company=call.company_id).filter(pk=owner_id).first()
    if owner is None:
        raise FollowUpOwnerNotFound()
    if due_at < call.opened_at:
        raise ValidationFailed("The follow-up is due before the call came in.", field="due_at")
    return FollowUp.objects.create(
        call=call, due_at=due_at, owner=owner, note=_text(note, field="note", required=True), created_by=by
    )


@transaction.atomic
def followup_complete(*, follow_up: FollowUp, by: User, note: str = "") -> FollowUp:
    """Mark a follow-up done; the second of two people doing it at once is told who did it first."""
    scope = _scope(by)
    locked = followups_visible(scope=scope).select_for_update(of=("self",)).filter(pk=follow_up.pk).first()
    if locked is None:
        raise FollowUpNotFound()
    if locked.done_at is not None:
        zone = locked.call.client.company.timezone
        raise FollowUpAlreadyDone(f"Already done by {locked.done_by} at {local_time(locked.done_at, zone, DATE_TIME)}.")
    locked.done_at = timezone.now()
    locked.done_by = by
    locked.done_note = _text(note, field="note")
    locked.save()
    return locked


# --- The catalogue and the greetings (managers) -----------------------------------------------


def _manager_of(*, by: User, company_id: int) -> None:
    # Supervisors take calls too and meet the codes that are missing first; the catalogue is
    # append-only for used codes, so letting them add and retire loses nothing.
    if not by.is_active or not (
        by.is_superuser or (by.role in ("manager", "supervisor") and by.company_id == company_id)
    ):
        raise PermissionDenied(
            "Only the company's managers and supervisors change the call catalogue.", code="not_a_manager"
        )


def _code_fields(*, reason_group: str, label: str) -> tuple[str, str]:
    if reason_group not in ReasonGroup.values:
        raise ValidationFailed("Unknown reason group.", field="reason_group")
    return reason_group, _text(label, field="label", required=True, limit=120)


@transaction.atomic
def disposition_code_create(
    *,
    company: Company,
    by: User,
    reason_group: str,
    code: str,
    label: str,
    comment_required: bool = False,
    follow_up_required: bool = False,
    chargeable: bool = False,
) -> DispositionCode:
    """Add a code to the company's catalogue; its code is unique in the company."""
    _manager_of(by=by, company_id=company.pk)
    reason_group, label = _code_fields(reason_group=reason_group, label=label)
    code = _text(code, field="code", required=True, limit=40).lower()
    if not code.replace("-", "").isalnum():
        raise ValidationFailed("Letters, digits and dashes only.", field="code")
    if DispositionCode.objects.for_company(company).filter(code=code).exists():
        raise ValidationFailed("The catalogue has this code already.", field="code")
    return DispositionCode.objects.create(
        company=company,
        reason_group=reason_group,
        code=code,
        label=label,
        comment_required=comment_required,
        follow_up_required=follow_up_required,
        chargeable=chargeable,
    )


def _locked_code(*, disposition: DispositionCode, by: User) -> DispositionCode:
    locked: DispositionCode | None = DispositionCode.objects.select_for_update().filter(pk=disposition.pk).first()
    if locked is None or not (by.is_superuser or locked.company_id == by.company_id):
        raise DispositionNotFound()
    _manager_of(by=by, company_id=locked.company_id)
    return locked


@transaction.atomic
def disposition_code_update(
    *,
    disposition: DispositionCode,
    by: User,
    reason_group: str,
    label: str,
    comment_required: bool,
    follow_up_required: bool,
    chargeable: bool,
) -> DispositionCode:
    """Change a code no call has used yet; a used one is retired and replaced, never edited away."""
    locked = _locked_code(disposition=disposition, by=by)
    if locked.calls.exists():
        raise DispositionInUse(f"Calls carry “{locked.label}”: retire it and add a new code instead.", field="label")
    locked.reason_group, locked.label = _code_fields(reason_group=reason_group, label=label)
    locked.comment_required, locked.follow_up_required = comment_required, follow_up_required
    locked.chargeable = chargeable
    locked.save()
    return locked


@transaction.atomic
def disposition_code_delete(*, disposition: DispositionCode, by: User) -> None:
    """Remove a code no call has used (a typo just added); a used one can only be retired."""
    locked = _locked_code(disposition=disposition, by=by)
    if locked.calls.exists():
        raise DispositionInUse(f"Calls carry “{locked.label}”: retire it instead.")
    locked.delete()


@transaction.atomic
def disposition_code_retire(*, disposition: DispositionCode, by: User) -> DispositionCode:
    """Take a code out of the picker; calls that carry it keep it. Retiring twice changes nothing."""
    locked = _locked_code(disposition=disposition, by=by)
    if locked.retired_at is None:
        locked.retired_at = timezone.now()
        locked.retired_by = by
        locked.save()
    return locked


@transaction.atomic
def greeting_set(*, client_id: int, by: User, script: str) -> ClientGreeting:
    """Set the line calls from this client are greeted with."""
    scope = _scope(by)
    client = call_clients_visible(scope=scope).filter(pk=client_id).first()
    if client is None:
        raise CallClientNotFound()
    _manager_of(by=by, company_id=client.company_id)
    greeting, _ = ClientGreeting.objects.update_or_create(
        client=client, defaults={"script": _text(script, field="script", required=True, limit=1000), "updated_by": by}
    )
    return greeting

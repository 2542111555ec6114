"""Service requests: intake, security callbacks, dispatch, and the guard's steps on the phone.

Every transition is atomic, takes the request's row lock, checks who acts
(`reviewer_check` for the console, "dispatched to this guard" for the phone) and writes
a timeline event. The security callback gate is enforced here, in `service_request_dispatch`,
so no page or API can send a guard past it:

- a callback that reached a person (phase before dispatch) is required when the requester
  is new for the client, the callback number is not on file for the client, a manager
  marked the request suspicious, or the company's policy says so for its kind;
- voicemail, no answer, a wrong number and a refusal are recorded with their time and
  never count.

The double callback (per kind or per site, decided at dispatch) is enforced in
`dispatch_complete`: a guard's callback on arrival must have reached a person.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.gis.db.models.functions import Distance
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Company, Role, User
from backend.calls.models import Call
from backend.core.errors import Conflict, NotFound, ValidationFailed
from backend.core.outbox import outbox_enqueue
from backend.dispatch.errors import CallbackRequired, RequestNotOpen, SecondCallbackRequired, ServiceRequestNotFound
from backend.dispatch.models import (
    OPEN_STATUSES,
    TIMER_TARGET_MAX_MIN,
    UNDISPATCHED_STATUSES,
    CallbackAttempt,
    CallbackOutcome,
    CallbackPhase,
    DispatchPhoto,
    EventKind,
    Priority,
    RequestEvent,
    RequestKind,
    RequestStatus,
    ServiceRequest,
    Source,
    TimerTarget,
)
from backend.dispatch.policy import STEPS, StepTargets, default_timer_targets, second_callback_needed
from backend.dispatch.selectors import callback_gate, dispatch_get_for_guard, phone_digits, second_callback
from backend.flags.services import flags_sync
from backend.incidents.services import (
    photo_prepare,
    photo_replay,
    photo_save,
    photo_thumbnail_store,
    photo_upload_read,
)
from backend.rules.findings import Finding, FlagCode, Severity
from backend.rules.position import describe_distance
from backend.rules.selectors import thresholds_for_site
from backend.sites.access import reviewer_check
from backend.sites.models import Site, Unit
from backend.sites.selectors import site_verdict
from backend.staffing.models import Shift, ShiftStatus
from backend.staffing.services import manager_check
from backend.tracking.field_services import fix_point
from geofence.fixes import Fix

MIN_PHONE_DIGITS = 7
# A guard this far from the unit's point (beyond what the fix's accuracy explains, at most
# ACCURACY_ALLOWANCE_M of it) did not arrive at the unit.
UNIT_ARRIVAL_RADIUS_M = 150.0
ACCURACY_ALLOWANCE_M = 30.0


def _event(request: ServiceRequest, kind: str, text: str, *, by: User | None, at: datetime | None = None) -> None:
    RequestEvent.objects.create(request=request, kind=kind, text=text, by=by, at=at or timezone.now())


def _check_dispatcher(*, by: User, request: ServiceRequest) -> None:
    reviewer_check(
        user=by, company_id=request.site.client.company_id, site_id=request.site_id, not_found=ServiceRequestNotFound()
    )


def _refresh_gate_status(request: ServiceRequest) -> None:
    """Callback pending or ready, as the gate stands now (only before dispatch)."""
    if request.status in UNDISPATCHED_STATUSES:
        gate = callback_gate(request=request)
        request.status = RequestStatus.READY if gate.open else RequestStatus.CALLBACK_PENDING


def _text(value: str, *, field: str, max_length: int, required: bool = False, what: str = "This") -> str:
    text = value.strip()
    if required and not text:
        raise ValidationFailed(f"{what} is required.", code="required", field=field)
    if len(text) > max_length:
        raise ValidationFailed(f"At most {max_length} characters.", code="too_long", field=field)
    return text


def _number(value: str, *, field: str) -> str:
    number = _text(value, field=field, max_length=32, required=True, what="A callback number")
    if len(phone_digits(number)) < MIN_PHONE_DIGITS or any(ch.isalpha() for ch in number):
        raise ValidationFailed(
            f"{number} is not a phone number (at least {MIN_PHONE_DIGITS} digits).", code="invalid_number", field=field
        )
    return number


def _choice(value: str, choices: type[RequestKind | Priority | Source | CallbackOutcome], *, field: str) -> str:
    if value not in choices.values:
        raise ValidationFailed(f"Pick one of: {', '.join(choices.values)}.", code="invalid_choice", field=field)
    return value


# --- Intake -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewServiceRequest:
    """What a dispatcher types when a client calls (or, later, the portal sends)."""

    site: Site
    kind: str
    priority: str = Priority.P2
    source: str = Source.PHONE
    unit: Unit | None = None
    location_text: str = ""
    requester_contact: User | None = None
    requester_name: str = ""
    callback_number: str = ""
    notes: str = ""
    call: Call | None = None


@transaction.atomic
def service_request_create(*, by: User, data: NewServiceRequest) -> ServiceRequest:
    """Take a request; it is ready to dispatch, or waits on a callback, or (from the portal) waits to be triaged."""
    site = data.site
    reviewer_check(user=by, company_id=site.client.company_id, site_id=site.pk, not_found=ServiceRequestNotFound())
    contact = data.requester_contact
    if contact is not None and (contact.role != Role.CLIENT_CONTACT or contact.client_id != site.client_id):
        raise ValidationFailed(
            f"Pick a contact of {site.client.name}.", code="requester_not_of_client", field="requester_contact"
        )
    name = _text(data.requester_name, field="requester_name", max_length=120)
    if contact is None and not name:
        raise ValidationFailed(
            "Say who is asking: one of the client's contacts, or their name.", code="required", field="requester_name"
        )
    number = data.callback_number or (contact.phone if contact is not None else "")
    if data.unit is not None and data.unit.site_id != site.pk:
        raise ValidationFailed(f"Pick a unit of {site.name}.", code="unit_not_of_site", field="unit")
    location_text = _text(data.location_text, field="location_text", max_length=200)
    if data.unit is None and not location_text:
        raise ValidationFailed("Say where on the site: a unit, or in words.", code="required", field="location_text")
    number = _number(number, field="callback_number")
    if data.call is not None and data.call.client_id != site.client_id:
        # Another client's call (or another company's) is not one this request can come from.
        raise ValidationFailed(f"Pick a call from {site.client.name}.", code="call_not_of_client", field="call")
    request = ServiceRequest(
        site=site,
        kind=_choice(data.kind, RequestKind, field="kind"),
        priority=_choice(data.priority, Priority, field="priority"),
        source=_choice(data.source, Source, field="source"),
        call=data.call,
        unit=data.unit,
        location_text=location_text,
        requester_contact=contact,
        requester_name=name,
        callback_number=number,
        callback_digits=phone_digits(number),
        notes=_text(data.notes, field="notes", max_length=5000),
        created_by=by,
    )
    request.save()
    if request.source != Source.PORTAL:
        # A portal request stays "new" until a dispatcher looks at it; the gate is enforced at dispatch either way.
        _refresh_gate_status(request)
        request.save(update_fields=["status", "updated_at"])
    gate = callback_gate(request=request)
    text = f"{request.get_kind_display()} requested by {request.requester} ({request.callback_number})."
    if gate.required:
        text += f" Callback required: {'; '.join(gate.reasons)}."
    _event(request, EventKind.CREATED, text, by=by, at=request.created_at)
    return request


def _locked(request: ServiceRequest) -> ServiceRequest:
    locked: ServiceRequest = (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("site__client", "unit", "requester_contact", "guard", "shift__post")
        .defer("site__geofence")
        .get(pk=request.pk)
    )
    return locked


def _require_status(request: ServiceRequest, allowed: tuple[str, ...], doing: str) -> None:
    if request.status not in allowed:
        raise RequestNotOpen(f"This request is {request.get_status_display().lower()}: it cannot be {doing} now.")


def _dispatcher_step(request: ServiceRequest, *, by: User, allowed: tuple[str, ...], doing: str) -> ServiceRequest:
    """The request under its row lock, once `by` may act on it and its status allows `doing`."""
    locked = _locked(request)
    _check_dispatcher(by=by, request=locked)
    _require_status(locked, allowed, doing)
    return locked


# --- Callbacks before dispatch (the console) ----------------------------------------------


@transaction.atomic
def service_request_callback_log(
    *, request: ServiceRequest, by: User, number_dialled: str, outcome: str, note: str = "", at: datetime | None = None
) -> CallbackAttempt:
    """Record a dispatcher's security callback; one that reached a person opens the gate."""
    request = _dispatcher_step(request, by=by, allowed=UNDISPATCHED_STATUSES, doing="called back before dispatch")
    attempt = CallbackAttempt.objects.create(
        request=request,
        at=at or timezone.now(),
        by=by,
        number_dialled=_number(number_dialled, field="number_dialled"),
        outcome=_choice(outcome, CallbackOutcome, field="outcome"),
        phase=CallbackPhase.BEFORE_DISPATCH,
        note=_text(note, field="note", max_length=2000),
    )
    _refresh_gate_status(request)
    request.save(update_fields=["status", "updated_at"])
    counts = " (does not count: a callback must reach a person)" if outcome != CallbackOutcome.REACHED else ""
    _event(
        request,
        EventKind.CALLBACK,
        f"Called {attempt.number_dialled}: {attempt.get_outcome_display().lower()}{counts}."
        + (f" {attempt.note}" if attempt.note else ""),
        by=by,
        at=attempt.at,
    )
    return attempt


@transaction.atomic
def service_request_mark_suspicious(*, request: ServiceRequest, by: User, reason: str) -> ServiceRequest:
    """A dispatcher's doubt about the request: it then needs a callback that reaches a person."""
    request = _dispatcher_step(request, by=by, allowed=UNDISPATCHED_STATUSES, doing="marked suspicious")
    if request.suspicious:
        return request
    request.suspicious = True
    request.suspicious_reason = _text(reason, field="reason", max_length=2000, required=True, what="A reason")
    request.marked_suspicious_at = timezone.now()
    request.marked_suspicious_by = by
    _refresh_gate_status(request)
    request.save()
    _event(request, EventKind.MARKED_SUSPICIOUS, f"Marked suspicious: {request.suspicious_reason}", by=by)
    return request


# --- Dispatch -----------------------------------------------------------------------------


@transaction.atomic
def service_request_dispatch(
    *, request: ServiceRequest, by: User, shift: Shift, reason: str = "", now: datetime | None = None
) -> ServiceRequest:
    """Send the guard of `shift` (clocked in now) to the request: refused while the callback gate is closed.

    A guard on shift at another site of the same client may be sent with a reason; any
    other shift (another client's, another company's, not clocked in) is refused.
    """
    now = now or timezone.now()
    request = _dispatcher_step(request, by=by, allowed=UNDISPATCHED_STATUSES, doing="dispatched")
    gate = callback_gate(request=request)
    if not gate.open:
        raise CallbackRequired(gate.refusal(), extra={"reasons": list(gate.reasons)})
    eligible: Shift | None = (
        Shift.objects.for_client(request.site.client_id)
        .select_related("guard", "post__site")
        .defer("post__site__geofence")
        .filter(pk=shift.pk)
        .first()
    )
    if eligible is None or eligible.status != ShiftStatus.IN_PROGRESS or eligible.scheduled_end <= now:
        raise ValidationFailed(
            "Pick a guard who is clocked in now at one of this client's sites.",
            code="shift_not_eligible",
            field="shift",
        )
    shift = eligible
    dispatch_reason = _text(reason, field="reason", max_length=2000)
    if shift.post.site_id != request.site_id and not dispatch_reason:
        raise ValidationFailed(
            f"{shift.guard} is on shift at {shift.post.site.name}, not {request.site.name}: say why you send them.",
            code="reason_required",
            field="reason",
        )
    request.guard, request.shift, request.dispatch_reason = shift.guard, shift, dispatch_reason
    request.second_callback_required = second_callback_needed(
        request=request, company_id=request.site.client.company_id
    )
    request.status, request.dispatched_at, request.dispatched_by = RequestStatus.DISPATCHED, now, by
    request.save()
    text = f"Sent {shift.guard} ({shift.post})."
    if dispatch_reason:
        text += f" Reason: {dispatch_reason}"
    if request.second_callback_required:
        text += " A second callback is required on arrival."
    _event(request, EventKind.DISPATCHED, text, by=by, at=now)
    return request


@transaction.atomic
def service_request_cancel(*, request: ServiceRequest, by: User, reason: str) -> ServiceRequest:
    request = _dispatcher_step(request, by=by, allowed=OPEN_STATUSES, doing="cancelled")
    request.cancel_reason = _text(reason, field="reason", max_length=2000, required=True, what="A reason")
    request.status, request.cancelled_at, request.cancelled_by = RequestStatus.CANCELLED, timezone.now(), by
    request.save()
    _event(request, EventKind.CANCELLED, f"Cancelled: {request.cancel_reason}", by=by, at=request.cancelled_at)
    return request


# --- The guard's steps (the mobile API) -------------------------------------------------
# Each returns (request, changed): a retry of a step already taken changes nothing and
# answers the stored request, so a phone can resend freely.


@transaction.atomic
def dispatch_accept(*, guard: User, request_id: int) -> tuple[ServiceRequest, bool]:
    request = dispatch_get_for_guard(guard=guard, request_id=request_id, lock=True)
    if request.status in (RequestStatus.ACCEPTED, RequestStatus.ARRIVED, RequestStatus.COMPLETED):
        return request, False
    _require_status(request, (RequestStatus.DISPATCHED,), "accepted")
    request.status, request.accepted_at = RequestStatus.ACCEPTED, timezone.now()
    request.save(update_fields=["status", "accepted_at", "updated_at"])
    _event(request, EventKind.ACCEPTED, f"{guard} accepted.", by=guard, at=request.accepted_at)
    return request, True


ARRIVAL_KEY = "dispatch:{pk}:"


def _arrival_distance(request: ServiceRequest, fix: Fix) -> tuple[float, bool, str]:
    """Metres from where the guard should be, whether that counts as not there, and what it was measured against."""
    if request.unit is not None:
        unit = Unit.objects.filter(pk=request.unit.pk).annotate(d=Distance("location", fix_point(fix))).get()
        metres = float(unit.d.m)
        allowance = min(fix.accuracy_m, ACCURACY_ALLOWANCE_M)
        return metres, metres - allowance > UNIT_ARRIVAL_RADIUS_M, unit.label
    limits = thresholds_for_site(site_id=request.site_id)
    verdict = site_verdict(
        site=request.site, lon=fix.lon, lat=fix.lat, accuracy_m=fix.accuracy_m, max_accuracy_m=limits.low_accuracy_m
    )
    return verdict.distance_m, verdict.fence == "outside", f"{request.site.name}'s fence"


def _same_arrival(request: ServiceRequest, fix: Fix) -> bool:
    point = request.arrival_location
    return (
        point is not None
        and round(point.x, 7) == round(fix.lon, 7)
        and round(point.y, 7) == round(fix.lat, 7)
        and request.arrival_accuracy_m == fix.accuracy_m
    )


@transaction.atomic
def dispatch_arrive(*, guard: User, request_id: int, position: Fix) -> tuple[ServiceRequest, bool]:
    """The guard is on scene: the position is checked against the unit's point or the site's fence.

    An arrival away from it is flagged DISPATCH_ARRIVAL_OUTSIDE on the guard's shift (the
    dispatcher sees it in the alerts); it is still recorded, as evidence.
    """
    request = dispatch_get_for_guard(guard=guard, request_id=request_id, lock=True)
    if request.status in (RequestStatus.ARRIVED, RequestStatus.COMPLETED):
        if not _same_arrival(request, position):
            raise Conflict(
                "Your arrival was already recorded with another position.",
                code="idempotency_conflict",
                field="position",
            )
        return request, False
    if request.status == RequestStatus.DISPATCHED:
        raise RequestNotOpen("Accept the dispatch before arriving.", code="not_accepted")
    _require_status(request, (RequestStatus.ACCEPTED,), "arrived at")
    metres, away, against = _arrival_distance(request, position)
    now = timezone.now()
    request.status, request.arrived_at = RequestStatus.ARRIVED, now
    request.arrival_location, request.arrival_accuracy_m = fix_point(position), position.accuracy_m
    request.arrival_distance_m = round(metres, 1)
    request.save()
    text = f"{guard} arrived, {describe_distance(metres)} from {against}."
    if request.second_callback_required:
        text += " Second callback due before leaving the car."
    _event(request, EventKind.ARRIVED, text, by=guard, at=now)
    findings = []
    if away and request.shift is not None:
        findings.append(
            Finding(
                FlagCode.DISPATCH_ARRIVAL_OUTSIDE,
                Severity.WARNING,
                f"{guard} reported arriving at service request #{request.pk} ({request.get_kind_display().lower()}) "
                f"{describe_distance(metres)} from {against}.",
                {
                    "service_request_id": request.pk,
                    "lat": position.lat,
                    "lon": position.lon,
                    "accuracy_m": position.accuracy_m,
                    "distance_m": round(metres, 1),
                },
                key=ARRIVAL_KEY.format(pk=request.pk) + "arrival",
            )
        )
    if request.shift is not None:
        flags_sync(
            company=request.site.client.company,
            findings=findings,
            evaluated_codes=[FlagCode.DISPATCH_ARRIVAL_OUTSIDE],
            shift=request.shift,
            key_prefix=ARRIVAL_KEY.format(pk=request.pk),
        )
    return request, True


@dataclass(frozen=True)
class GuardCallback:
    id: uuid.UUID
    number_dialled: str
    outcome: str
    at: datetime
    note: str = ""


@transaction.atomic
def dispatch_callback(*, guard: User, request_id: int, data: GuardCallback) -> tuple[CallbackAttempt, bool]:
    """The guard's callback on arrival (the double callback); idempotent on the phone's id."""
    request = dispatch_get_for_guard(guard=guard, request_id=request_id, lock=True)
    existing = CallbackAttempt.objects.filter(pk=data.id).first()
    if existing is not None:
        same = (
            existing.request_id == request.pk
            and existing.by_id == guard.pk
            and (existing.number_dialled, existing.outcome, existing.at, existing.note)
            == (data.number_dialled.strip(), data.outcome, data.at, data.note.strip())
        )
        if not same:
            raise Conflict(
                "This id was already used for a different callback; generate a new UUID for a new one.",
                code="idempotency_conflict",
                field="id",
            )
        return existing, False
    if request.status != RequestStatus.ARRIVED:
        raise RequestNotOpen(
            "A callback on arrival is logged once you have arrived (and before completing).", code="not_arrived"
        )
    attempt = CallbackAttempt.objects.create(
        id=data.id,
        request=request,
        at=data.at,
        by=guard,
        number_dialled=_number(data.number_dialled, field="number_dialled"),
        outcome=_choice(data.outcome, CallbackOutcome, field="outcome"),
        phase=CallbackPhase.ON_ARRIVAL,
        note=_text(data.note, field="note", max_length=2000),
    )
    counts = "" if attempt.outcome == CallbackOutcome.REACHED else " (does not count: it must reach a person)"
    _event(
        request,
        EventKind.SECOND_CALLBACK,
        f"{guard} called {attempt.number_dialled} on arrival: {attempt.get_outcome_display().lower()}{counts}.",
        by=guard,
        at=attempt.at,
    )
    return attempt, True


@transaction.atomic
def dispatch_complete(
    *, guard: User, request_id: int, note: str, photo_ids: Sequence[uuid.UUID] = ()
) -> tuple[ServiceRequest, bool]:
    """Close the request with the guard's note; refused while a required second callback has not
    reached a person, or while a photo the phone names (`photo_ids`) has not been uploaded yet."""
    request = dispatch_get_for_guard(guard=guard, request_id=request_id, lock=True)
    note = _text(note, field="note", max_length=5000, required=True, what="A note")
    if request.status == RequestStatus.COMPLETED:
        if request.completion_note != note:
            raise Conflict("This request was already completed with another note.", code="idempotency_conflict")
        _require_photos(request, photo_ids)
        return request, False
    _require_status(request, (RequestStatus.ARRIVED,), "completed")
    if second_callback(request=request).state == "pending":
        raise SecondCallbackRequired(
            "Call the requester back from the scene and reach a person before completing "
            "(POST /dispatches/{id}/callback); voicemail does not count."
        )
    photos = _require_photos(request, photo_ids)
    request.status, request.completed_at, request.completion_note = RequestStatus.COMPLETED, timezone.now(), note
    request.save(update_fields=["status", "completed_at", "completion_note", "updated_at"])
    with_photos = f" ({photos} photo{'s' if photos != 1 else ''})" if photos else ""
    text = f"Completed by {guard}{with_photos}: {note}"
    _event(request, EventKind.COMPLETED, text, by=guard, at=request.completed_at)
    return request, True


# --- Completion photos (the mobile API) --------------------------------------------------

MAX_PHOTOS = 10


def _require_photos(request: ServiceRequest, photo_ids: Sequence[uuid.UUID]) -> int:
    """Every photo the phone names is stored on the request (its upload may still be queued); returns
    how many photos the request has."""
    stored = set(request.photos.values_list("pk", flat=True))
    missing = [str(photo_id) for photo_id in dict.fromkeys(photo_ids) if photo_id not in stored]
    if missing:
        raise Conflict(
            f"Upload the photo{'s' if len(missing) > 1 else ''} {', '.join(missing)} first "
            "(POST /dispatches/{id}/photos), then complete again.",
            code="photo_not_uploaded",
            field="photo_ids",
        )
    return len(stored)


def _photo_allowed(request: ServiceRequest) -> None:
    """Photos are taken on scene: after arriving, before completing."""
    if request.status in (RequestStatus.DISPATCHED, RequestStatus.ACCEPTED):
        raise RequestNotOpen("Photos are sent from the scene: arrive first.", code="not_arrived")
    _require_status(request, (RequestStatus.ARRIVED,), "given photos")


@dataclass(frozen=True)
class PhotoAdded:
    photo: DispatchPhoto
    created: bool


def dispatch_photo_add(
    *, guard: User, request_id: int, upload: UploadedFile, photo_id: uuid.UUID | None = None
) -> PhotoAdded:
    """Attach a photo from the scene to the guard's own dispatch, as a report's photo is attached:
    judged by content (JPEG, PNG, HEIC), the original kept with its SHA-256, a copy without
    metadata for screens, a thumbnail after commit. Idempotent on `photo_id` and on content; a
    replay is answered whatever the request's status. Decoding runs before any row lock."""
    request = dispatch_get_for_guard(guard=guard, request_id=request_id)
    data = photo_upload_read(upload)
    sha256 = hashlib.sha256(data).hexdigest()
    replay = photo_replay(DispatchPhoto.objects.all(), of={"request_id": request.pk}, photo_id=photo_id, sha256=sha256)
    if replay is not None:
        return PhotoAdded(photo=replay, created=False)
    _photo_allowed(request)
    prepared = photo_prepare(data, sha256=sha256)
    photo = DispatchPhoto(id=photo_id or uuid.uuid4(), request=request, taken_by=guard, **prepared.fields)
    return _photo_store(guard=guard, photo=photo, original=prepared.original, display=prepared.display)


@transaction.atomic
def _photo_store(
    *, guard: User, photo: DispatchPhoto, original: ContentFile[bytes], display: ContentFile[bytes]
) -> PhotoAdded:
    from backend.dispatch.tasks import dispatch_photo_make_thumbnail

    # Serialised with the guard's other steps: no photo lands on a request being completed.
    request = dispatch_get_for_guard(guard=guard, request_id=photo.request_id, lock=True)
    _photo_allowed(request)
    if request.photos.count() >= MAX_PHOTOS:
        raise Conflict(f"A request takes at most {MAX_PHOTOS} photos.", code="photo_limit_reached", field="file")
    stored, created = photo_save(photo, of={"request_id": request.pk}, original=original, display=display)
    if not created:  # a concurrent retry stored it first; keep theirs
        return PhotoAdded(photo=stored, created=False)
    key = str(photo.pk)
    outbox_enqueue(task=dispatch_photo_make_thumbnail, args=[key], dedup_key=f"dispatch-photo-thumbnail:{key}")
    return PhotoAdded(photo=photo, created=True)


def dispatch_photo_thumbnail_make(*, photo_id: uuid.UUID) -> bool:
    """Make a completion photo's thumbnail; a second run changes nothing."""
    photo = DispatchPhoto.objects.filter(pk=photo_id).first()
    return photo is not None and photo_thumbnail_store(photo)


# --- Timer targets (the console, managers) -------------------------------------------------


def timer_targets_seed_defaults(*, company: Company) -> None:
    """Give the company the default targets (one query); priorities it has rows for are kept."""
    TimerTarget.objects.bulk_create(default_timer_targets(company_id=company.pk), ignore_conflicts=True)


@transaction.atomic
def timer_targets_set(*, company: Company, by: User, targets: Mapping[str, StepTargets]) -> list[TimerTarget]:
    """Set the company's target per priority and step; every priority is given, each step a whole
    number of minutes from 1 to a day, arriving not due before accepting (both count from the dispatch).

    A supervisor is refused (403 `managers_only`), another company's manager gets a 404.
    """
    manager_check(user=by, company_id=company.pk, not_found=NotFound("No such company.", code="company_not_found"))
    for priority in Priority.values:
        given = targets.get(priority)
        if given is None:
            raise ValidationFailed(f"Give the {priority} targets.", code="required", field=f"{priority}_dispatch")
        for step in STEPS:
            minutes = given.minutes(step)
            if not 1 <= minutes <= TIMER_TARGET_MAX_MIN:
                raise ValidationFailed(
                    f"Between 1 and {TIMER_TARGET_MAX_MIN} minutes.", code="out_of_range", field=f"{priority}_{step}"
                )
        if given.arrive < given.accept:
            raise ValidationFailed(
                f"Arriving ({given.arrive} min) cannot be due before accepting ({given.accept} min): both count "
                "from the dispatch.",
                code="arrive_before_accept",
                field=f"{priority}_arrive",
            )
    rows = []
    for priority in Priority.values:
        given = targets[priority]
        row, _ = TimerTarget.objects.select_for_update().update_or_create(
            company=company,
            priority=priority,
            defaults={
                "dispatch_min": given.dispatch,
                "accept_min": given.accept,
                "arrive_min": given.arrive,
                "updated_by": by,
            },
        )
        rows.append(row)
    return rows

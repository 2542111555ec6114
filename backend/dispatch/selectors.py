"""Reads over service requests: the console's lists and pages, the guard's dispatches, the gate's facts."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from backend.accounts.models import Role, User
from backend.core.errors import PermissionDenied
from backend.core.querysets import filter_given
from backend.dispatch.errors import ServiceRequestNotFound
from backend.dispatch.models import (
    OPEN_STATUSES,
    CallbackAttempt,
    CallbackOutcome,
    CallbackPhase,
    DispatchPhoto,
    ServiceRequest,
)
from backend.dispatch.policy import LateStep, TimerTargets, kind_policy, late_step, timer_targets_for
from backend.incidents.selectors import PhotoFile, photo_file_for
from backend.sites.models import Client
from backend.sites.scopes import Scope, scope_for
from backend.staffing.models import Shift, ShiftStatus

# The last ten digits: "+1 (404) 555-0101" and "404.555.0101" are one number.
_SIGNIFICANT_DIGITS = 10


def phone_digits(number: str) -> str:
    """The digits that identify a phone number, for comparing numbers however they were typed."""
    return re.sub(r"\D", "", number)[-_SIGNIFICANT_DIGITS:]


def numbers_on_file(*, client: Client) -> set[str]:
    """The client's own number and its contacts' numbers, as digits (one query)."""
    numbers = {phone_digits(client.phone)} if client.phone else set()
    contacts = User.objects.filter(client=client, role=Role.CLIENT_CONTACT, is_active=True).exclude(phone="")
    numbers.update(phone_digits(phone) for phone in contacts.values_list("phone", flat=True))
    numbers.discard("")
    return numbers


def _select(rows: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    return rows.select_related("site__client", "unit", "requester_contact", "guard", "shift__post").defer(
        "site__geofence"
    )


def _one(rows: QuerySet[ServiceRequest], *, request_id: int, lock: bool) -> ServiceRequest:
    if lock:
        rows = rows.select_for_update(of=("self",))
    row = rows.filter(pk=request_id).first()
    if row is None:
        raise ServiceRequestNotFound
    return row


def service_requests_visible(
    *,
    scope: Scope,
    status: str | None = None,
    site_id: int | None = None,
    priority: str | None = None,
    open_only: bool = False,
) -> QuerySet[ServiceRequest]:
    """Requests on the viewer's sites, newest first, narrowed by the filters given."""
    scope.require_operations("service requests")
    rows = filter_given(ServiceRequest.objects.for_scope(scope), status=status, site_id=site_id, priority=priority)
    if open_only:
        rows = rows.filter(status__in=OPEN_STATUSES)
    return _select(rows)


def service_request_get_visible(*, scope: Scope, request_id: int, lock: bool = False) -> ServiceRequest:
    """One request on the viewer's sites; another company's or site's is ServiceRequestNotFound."""
    return _one(service_requests_visible(scope=scope), request_id=request_id, lock=lock)


def dispatches_for_guard(*, guard: User) -> QuerySet[ServiceRequest]:
    """Requests dispatched to this guard: open ones first (oldest dispatch first), then the rest, newest first."""
    open_first = Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField())
    rows = ServiceRequest.objects.filter(guard=guard)
    if guard.company_id is not None:
        rows = rows.for_company(guard.company_id)
    return _select(rows).order_by(open_first, "-dispatched_at", "-pk")


def dispatch_get_for_guard(*, guard: User, request_id: int, lock: bool = False) -> ServiceRequest:
    """One of the guard's own dispatches; anybody else's (or an undispatched request) is ServiceRequestNotFound."""
    return _one(dispatches_for_guard(guard=guard).order_by(), request_id=request_id, lock=lock)


# --- The callback gate ----------------------------------------------------------------


@dataclass(frozen=True)
class CallbackGate:
    """Why a request needs a security callback before dispatch, and whether one reached a person."""

    reasons: tuple[str, ...]
    reached: CallbackAttempt | None

    @property
    def required(self) -> bool:
        return bool(self.reasons)

    @property
    def open(self) -> bool:
        return not self.reasons or self.reached is not None

    def refusal(self) -> str:
        return (
            f"A callback that reaches a person is required before dispatch: {'; '.join(self.reasons)}. "
            "Voicemail, no answer, a wrong number or a refusal do not count."
        )


def _earlier_requests_from(request: ServiceRequest) -> QuerySet[ServiceRequest]:
    same_requester = Q(callback_digits=request.callback_digits)
    if request.requester_contact_id is not None:
        same_requester |= Q(requester_contact_id=request.requester_contact_id)
    return ServiceRequest.objects.filter(same_requester, site__client_id=request.site.client_id).filter(
        Q(created_at__lt=request.created_at) | Q(created_at=request.created_at, pk__lt=request.pk)
    )


def callback_gate(*, request: ServiceRequest) -> CallbackGate:
    """The gate's reasons, from the facts as they are now (a few small queries)."""
    reasons: list[str] = []
    if not _earlier_requests_from(request).exists():
        reasons.append("first request from this requester")
    if request.callback_digits not in numbers_on_file(client=request.site.client):
        reasons.append(f"{request.callback_number} is not on file for {request.site.client.name}")
    if request.suspicious:
        reasons.append("marked suspicious")
    if kind_policy(company_id=request.site.client.company_id, kind=request.kind).callback_before_dispatch:
        reasons.append(f"every {request.get_kind_display().lower()} needs one")
    reached = (
        request.callbacks.filter(phase=CallbackPhase.BEFORE_DISPATCH, outcome=CallbackOutcome.REACHED)
        .order_by("at")
        .first()
    )
    return CallbackGate(reasons=tuple(reasons), reached=reached)


@dataclass(frozen=True)
class SecondCallback:
    """The double callback's state: required or not, and the attempt on arrival that reached a person."""

    required: bool
    reached: CallbackAttempt | None
    attempts: int

    @property
    def state(self) -> str:
        if not self.required:
            return "not_required"
        return "reached" if self.reached is not None else "pending"


def second_callback(*, request: ServiceRequest) -> SecondCallback:
    attempts = list(request.callbacks.filter(phase=CallbackPhase.ON_ARRIVAL).order_by("at"))
    reached = next((a for a in attempts if a.outcome == CallbackOutcome.REACHED), None)
    return SecondCallback(required=request.second_callback_required, reached=reached, attempts=len(attempts))


# --- Completion photos ---------------------------------------------------------------------


def dispatch_photos(*, request: ServiceRequest) -> list[DispatchPhoto]:
    """The request's photos from the scene, oldest first (one query)."""
    return list(request.photos.order_by("created_at", "pk"))


def dispatch_photo_file(*, user: User, photo_id: uuid.UUID, variant: str) -> PhotoFile | None:
    """The file behind a completion photo's URL if `user` may have it, else None.

    The guard the request was sent to, the dispatchers of its site (the company's managers,
    the site's supervisors) and GuardOps staff; the original (with its EXIF) only for managers
    and staff (as a report's photo).
    """
    if not user.is_active:
        return None
    photos = DispatchPhoto.objects.filter(pk=photo_id)
    if user.role == Role.GUARD and not user.is_superuser:
        photo = photos.filter(request__guard=user).first()
    else:
        try:
            scope = scope_for(user)
        except PermissionDenied:
            return None
        if not scope.sees_operations:
            return None
        photo = photos.for_scope(scope).first()
    return None if photo is None else photo_file_for(photo, user=user, variant=variant)


# --- Who can be sent ----------------------------------------------------------------------


def shifts_dispatchable(*, request: ServiceRequest, now: datetime) -> QuerySet[Shift]:
    """Guards clocked in now at the request's site, then at the client's other sites (those need a reason)."""
    here_first = Case(When(post__site_id=request.site_id, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        Shift.objects.for_client(request.site.client_id)
        .filter(status=ShiftStatus.IN_PROGRESS, scheduled_end__gt=now, post__site__is_active=True)
        .select_related("guard", "post__site")
        .defer("post__site__geofence")
        .order_by(here_first, "post__site__name", "guard__last_name", "pk")
    )


# --- Timers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LateDispatch:
    request: ServiceRequest
    late: LateStep
    minutes_late: int


def late_steps(requests: Sequence[ServiceRequest], *, now: datetime) -> list[LateStep | None]:
    """Each request's step running past its company's target (or None), in order: one query for
    the targets of the companies involved (the requests come with site__client loaded)."""
    targets = timer_targets_for(company_ids={request.site.client.company_id for request in requests})
    return [late_step(request, now=now, targets=targets[request.site.client.company_id]) for request in requests]


def dispatches_late(*, scope: Scope, now: datetime, limit: int = 20) -> list[LateDispatch]:
    """Open requests whose running step is past its company's target, most overdue first (two queries)."""
    if not scope.sees_operations:
        return []
    requests = list(service_requests_visible(scope=scope, open_only=True)[:500])
    late = [
        LateDispatch(request, step, int(step.late_by(now).total_seconds() // 60))
        for request, step in zip(requests, late_steps(requests, now=now), strict=True)
        if step is not None
    ]
    late.sort(key=lambda row: row.late.due)
    return late[:limit]


def timer_targets(*, company_id: int) -> TimerTargets:
    """The company's targets per priority and step (the defaults where it has no row)."""
    return timer_targets_for(company_ids=[company_id])[company_id]

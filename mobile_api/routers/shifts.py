"""A guard's own shifts: the schedule, one shift's site details, post orders, clock-in/out."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import P, Query, Router
from ninja.params import PathEx

from backend.attendance.services import ClockResult, shift_clock_in, shift_clock_out
from backend.staffing.models import PostOrderAcknowledgement, Shift
from backend.staffing.selectors import ShiftDetail, shift_detail_for_guard, shift_list_for_guard
from backend.staffing.services import post_orders_acknowledge_for_shift
from mobile_api.auth import guard_of
from mobile_api.schemas.common import SIZED_WRITE_ERRORS, ErrorOut, XSentAtIfNotInBody
from mobile_api.schemas.shifts import (
    ClockEventIn,
    ClockResultOut,
    OutsideGeofenceOut,
    PostOrdersAckIn,
    PostOrdersAckOut,
    ShiftDetailOut,
    ShiftOut,
    ShiftWindowQuery,
)

router = Router(tags=["shifts"])

# Ids are positive bigints; anything else is a 422, never a database error.
ShiftId = PathEx[int, P(ge=1, le=2**63 - 1)]


@router.get("/shifts", response={200: list[ShiftOut], 401: ErrorOut, 422: ErrorOut})
def shift_list(request: HttpRequest, window: Query[ShiftWindowQuery]) -> QuerySet[Shift]:
    """The caller's own shifts overlapping the window (default: yesterday to a week ahead)."""
    return shift_list_for_guard(guard=guard_of(request), window_from=window.window_from, window_to=window.window_to)


@router.get("/shifts/{shift_id}", response={200: ShiftDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def shift_detail(request: HttpRequest, shift_id: ShiftId) -> ShiftDetail:
    """One own shift with the site's fence, units, checkpoints, restricted zones and current orders."""
    return shift_detail_for_guard(guard=guard_of(request), shift_id=shift_id)


@router.post(
    "/shifts/{shift_id}/post-orders/ack",
    response={200: PostOrdersAckOut, **SIZED_WRITE_ERRORS},
)
def post_orders_ack(request: HttpRequest, shift_id: ShiftId, payload: PostOrdersAckIn) -> PostOrderAcknowledgement:
    """The guard read the current version of the post orders (idempotent)."""
    return post_orders_acknowledge_for_shift(guard=guard_of(request), shift_id=shift_id, version=payload.version)


@router.post(
    "/shifts/{shift_id}/clock-in",
    # The clock-in's 409 carries how far outside the fence the guard was.
    response={200: ClockResultOut, **SIZED_WRITE_ERRORS, 409: OutsideGeofenceOut},
)
def clock_in(
    request: HttpRequest,
    shift_id: ShiftId,
    payload: ClockEventIn,
    x_sent_at: XSentAtIfNotInBody = None,
) -> ClockResult:
    """Clock in with the phone's position; a retry returns the stored clock-in.

    409 codes: `shift_not_open` (too early or after the end), `shift_cancelled`,
    `shift_missed`, `shift_completed`, `outside_geofence` (the post refuses clock-ins
    outside the fence; `distance_m` says how far), `position_too_inaccurate` (the post
    refuses them, and the fix is too coarse to tell: wait for a better GPS fix).
    """
    return shift_clock_in(
        guard=guard_of(request),
        shift_id=shift_id,
        position=payload.position.to_fix(),
        sent_at=payload.sent_at or x_sent_at,
    )


@router.post(
    "/shifts/{shift_id}/clock-out",
    response={200: ClockResultOut, **SIZED_WRITE_ERRORS},
)
def clock_out(
    request: HttpRequest,
    shift_id: ShiftId,
    payload: ClockEventIn,
    x_sent_at: XSentAtIfNotInBody = None,
) -> ClockResult:
    """Clock out with the phone's position; a retry returns the stored clock-out.

    409 codes: `not_clocked_in`, `shift_cancelled`, `shift_missed`.
    """
    return shift_clock_out(
        guard=guard_of(request),
        shift_id=shift_id,
        position=payload.position.to_fix(),
        sent_at=payload.sent_at or x_sent_at,
    )

"""Dispatches: service requests sent to the guard; accept, arrive, call back from the scene, complete."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, P, Router, Status, UploadedFile
from ninja.params import PathEx

from backend.dispatch.models import CallbackOutcome
from backend.dispatch.selectors import dispatch_get_for_guard, dispatch_photos, dispatches_for_guard, second_callback
from backend.dispatch.services import (
    MAX_PHOTOS,
    dispatch_accept,
    dispatch_arrive,
    dispatch_callback,
    dispatch_complete,
    dispatch_photo_add,
)
from mobile_api.auth import guard_of
from mobile_api.schemas.common import WRITE_ERRORS, ErrorOut, error_responses, mark_replayed
from mobile_api.schemas.dispatches import (
    ArriveIn,
    CallbackIn,
    CallbackOut,
    CompleteIn,
    DispatchDetailOut,
    DispatchOut,
    DispatchPhotoOut,
    dispatch_out,
)
from mobile_api.schemas.incidents import PhotoFormIn

router = Router(tags=["dispatches"])

# Primary keys are bigints: a larger id is a 422 here, not an overflow in SQL.
DispatchId = PathEx[int, P(ge=1, le=2**63 - 1)]
LIST_LIMIT = 50
STEP_NOTE = " Repeating a step already taken changes nothing: 200 with `Idempotent-Replayed: true`."


def _detail(request: Any) -> dict[str, Any]:
    return dispatch_out(request, second_callback(request=request), dispatch_photos(request=request))


def _step(response: HttpResponse, outcome: tuple[Any, bool]) -> dict[str, Any]:
    request, changed = outcome
    mark_replayed(response, created=changed)
    return _detail(request)


@router.get("/dispatches", response={200: list[DispatchOut], 401: ErrorOut})
def dispatch_list(request: HttpRequest) -> Any:
    """Service requests dispatched to you: open ones first, then the last closed ones."""
    return [dispatch_out(row) for row in dispatches_for_guard(guard=guard_of(request))[:LIST_LIMIT]]


@router.get("/dispatches/{dispatch_id}", response={200: DispatchDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def dispatch_detail(request: HttpRequest, dispatch_id: DispatchId) -> Any:
    """One of your dispatches, with whether a second callback is required on arrival and its state."""
    return _detail(dispatch_get_for_guard(guard=guard_of(request), request_id=dispatch_id))


@router.post(
    "/dispatches/{dispatch_id}/accept",
    response={200: DispatchDetailOut, **WRITE_ERRORS},
    description="Accept a dispatch (409 `request_not_open` once cancelled)." + STEP_NOTE,
)
def dispatch_accept_view(request: HttpRequest, response: HttpResponse, dispatch_id: DispatchId) -> Any:
    return _step(response, dispatch_accept(guard=guard_of(request), request_id=dispatch_id))


@router.post(
    "/dispatches/{dispatch_id}/arrive",
    response={200: DispatchDetailOut, **WRITE_ERRORS},
    description=(
        "You are on scene (409 `not_accepted` before accepting). The position is checked against the unit's point "
        "or the site's fence; an arrival away from it is recorded and flagged `DISPATCH_ARRIVAL_OUTSIDE`. When "
        "`second_callback.required`, call the requester back before leaving the car (POST .../callback)."
        + STEP_NOTE
        + " The same step with another position is 409 `idempotency_conflict`."
    ),
)
def dispatch_arrive_view(
    request: HttpRequest, response: HttpResponse, dispatch_id: DispatchId, payload: ArriveIn
) -> Any:
    return _step(
        response, dispatch_arrive(guard=guard_of(request), request_id=dispatch_id, position=payload.position.to_fix())
    )


@router.post(
    "/dispatches/{dispatch_id}/callback",
    response={201: CallbackOut, **WRITE_ERRORS},
    description=(
        "Log your callback from the scene (409 `not_arrived` before arriving). Only `reached` counts. Idempotent "
        "on `id`: a replay answers 201 with the stored callback and `Idempotent-Replayed: true`; the same id with "
        "another body is 409 `idempotency_conflict`."
    ),
)
def dispatch_callback_view(
    request: HttpRequest, response: HttpResponse, dispatch_id: DispatchId, payload: CallbackIn
) -> Any:
    guard = guard_of(request)
    attempt, created = dispatch_callback(guard=guard, request_id=dispatch_id, data=payload.data())
    mark_replayed(response, created=created)
    second = second_callback(request=attempt.request)
    return Status(
        201,
        {
            "id": attempt.id,
            "outcome": attempt.outcome,
            "phase": attempt.phase,
            "at": attempt.at,
            "counts": attempt.outcome == CallbackOutcome.REACHED,
            "second_callback": {"required": second.required, "state": second.state, "attempts": second.attempts},
        },
    )


@router.post(
    "/dispatches/{dispatch_id}/photos",
    response={201: DispatchPhotoOut, **error_responses(400, 401, 404, 409, 413, 415, 422)},
    description=(
        "Send a photo from the scene, for the completion (multipart field `file`: JPEG, PNG or HEIC, judged by "
        "content; 409 `not_arrived` before arriving, `request_not_open` once completed or cancelled, "
        f"`photo_limit_reached` past {MAX_PHOTOS}). Kept like a report's photo: the original as evidence, a copy "
        "without EXIF or GPS to show. Idempotent on the optional `photo_id` form field and on the photo's SHA-256: "
        "a repeat answers 201 with the stored photo and `Idempotent-Replayed: true`; the id with other bytes is "
        "409 `idempotency_conflict`. 413 `photo_too_large`, 415 `unsupported_image`, 422 `image_too_large`."
    ),
)
def dispatch_photo_create(
    request: HttpRequest,
    response: HttpResponse,
    dispatch_id: DispatchId,
    file: File[UploadedFile],
    form: Form[PhotoFormIn],
) -> Any:
    added = dispatch_photo_add(guard=guard_of(request), request_id=dispatch_id, upload=file, photo_id=form.photo_id)
    mark_replayed(response, created=added.created)
    return Status(201, added.photo)


@router.post(
    "/dispatches/{dispatch_id}/complete",
    response={200: DispatchDetailOut, **WRITE_ERRORS},
    description=(
        "Close the dispatch with your note and the ids of the photos you sent from the scene (409 "
        "`second_callback_required` while a required callback from the scene has not reached a person, "
        "`photo_not_uploaded` while a photo named is not stored yet)."
        + STEP_NOTE
        + " Completed with another note: 409 `idempotency_conflict`."
    ),
)
def dispatch_complete_view(
    request: HttpRequest, response: HttpResponse, dispatch_id: DispatchId, payload: CompleteIn
) -> Any:
    outcome = dispatch_complete(
        guard=guard_of(request), request_id=dispatch_id, note=payload.note, photo_ids=payload.photo_ids
    )
    return _step(response, outcome)

"""Incident reports: file, list, read, amend when returned, attach photos; the type catalogue."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Status, UploadedFile

from backend.incidents.selectors import incident_get_for_guard, incident_types_active, incidents_for_guard
from backend.incidents.services import IncidentOutcome, incident_amend, incident_photo_add, incident_submit
from mobile_api.auth import guard_of
from mobile_api.schemas.common import IDEMPOTENCY_NOTE, WRITE_ERRORS, ErrorOut, XSentAt, mark_replayed
from mobile_api.schemas.incidents import (
    IncidentBodyIn,
    IncidentDetailOut,
    IncidentIn,
    IncidentListQuery,
    IncidentOut,
    IncidentPageOut,
    IncidentTypeOut,
    PhotoFormIn,
    PhotoUploadOut,
)

router = Router(tags=["incidents"])


def _outcome(outcome: IncidentOutcome) -> dict[str, Any]:
    report = outcome.report
    return {"id": report.pk, "status": report.status, "version": report.version, "flags": outcome.flags}


@router.get("/incident-types", response={200: list[IncidentTypeOut], 401: ErrorOut})
def incident_types(request: HttpRequest) -> Any:
    """The active incident types of the guard's company: `type` in a report is one of these codes."""
    return incident_types_active(company=guard_of(request).company_id or -1)


@router.post(
    "/incidents",
    response={201: IncidentOut, **WRITE_ERRORS},
    description="File a report on one of your shifts; the response lists the checks' flags." + IDEMPOTENCY_NOTE,
)
def incident_create(
    request: HttpRequest, response: HttpResponse, payload: IncidentIn, x_sent_at: XSentAt = None
) -> Any:
    outcome = incident_submit(
        guard=guard_of(request), data=payload.new_incident(), sent_at=payload.sent_at or x_sent_at
    )
    mark_replayed(response, created=outcome.created)
    return Status(201, _outcome(outcome))


@router.get("/incidents", response={200: IncidentPageOut, 401: ErrorOut, 422: ErrorOut})
def incident_list(request: HttpRequest, query: Query[IncidentListQuery]) -> Any:
    """Your own reports, newest first (`limit` at most 100)."""
    reports = incidents_for_guard(guard=guard_of(request), status=query.status)
    return {
        "items": list(reports[query.offset : query.offset + query.limit]),
        "count": reports.count(),
        "limit": query.limit,
        "offset": query.offset,
    }


@router.get("/incidents/{report_id}", response={200: IncidentDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def incident_detail(request: HttpRequest, report_id: uuid.UUID) -> Any:
    """One of your reports with its status, flags, reviewers' comments and photos."""
    return incident_get_for_guard(guard=guard_of(request), report_id=report_id)


@router.put(
    "/incidents/{report_id}",
    response={200: IncidentOut, **WRITE_ERRORS},
    description=(
        "Amend a report that was returned for correction (409 `not_returned_for_correction` otherwise). "
        "The previous version is kept; the checks run again. Repeating the same amendment returns the report."
    ),
)
def incident_update(
    request: HttpRequest, report_id: uuid.UUID, payload: IncidentBodyIn, x_sent_at: XSentAt = None
) -> Any:
    outcome = incident_amend(
        guard=guard_of(request), report_id=report_id, content=payload.content(), sent_at=payload.sent_at or x_sent_at
    )
    return _outcome(outcome)


@router.post(
    "/incidents/{report_id}/photos",
    response={
        201: PhotoUploadOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
    },
    description=(
        "Attach a photo (multipart field `file`: JPEG, PNG or HEIC, judged by content). Idempotent on the optional "
        "`photo_id` form field and on the photo's SHA-256: a repeat answers 201 with the stored photo and "
        "`Idempotent-Replayed: true`. The answer carries the report's open flags, the checks having run again "
        "with the photo. 413 `photo_too_large`, 415 `unsupported_image`, 422 `image_too_large`."
    ),
)
def incident_photo_create(
    request: HttpRequest,
    response: HttpResponse,
    report_id: uuid.UUID,
    file: File[UploadedFile],
    form: Form[PhotoFormIn],
) -> Any:
    outcome = incident_photo_add(guard=guard_of(request), report_id=report_id, upload=file, photo_id=form.photo_id)
    mark_replayed(response, created=outcome.created)
    photo = outcome.photo
    return Status(
        201,
        {"id": photo.pk, "sha256": photo.sha256, "width": photo.width, "height": photo.height, "flags": outcome.flags},
    )

"""In the field: daily activity entries, checkpoint scans, the panic button."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from backend.tracking.field_services import activity_record, checkpoint_scan_record, panic_alert_raise
from mobile_api.auth import guard_of
from mobile_api.schemas.common import IDEMPOTENCY_NOTE, WRITE_ERRORS, XSentAt, mark_replayed
from mobile_api.schemas.field import ActivityIn, ActivityOut, CheckpointScanIn, CheckpointScanOut, PanicIn, PanicOut

router = Router(tags=["field"])


def _store_once(
    record: Callable[..., tuple[Any, bool]],
    request: HttpRequest,
    response: HttpResponse,
    data: Any,
    sent_at: datetime | None,
) -> Status[Any]:
    """Store what the phone sent, once by its id: 201 with the row, marked as a replay on a retry."""
    row, created = record(guard=guard_of(request), data=data, sent_at=sent_at)
    mark_replayed(response, created=created)
    return Status(201, row)


@router.post(
    "/activity",
    response={201: ActivityOut, **WRITE_ERRORS},
    description="Add an entry to the daily activity report of one of your shifts." + IDEMPOTENCY_NOTE,
)
def activity_create(
    request: HttpRequest, response: HttpResponse, payload: ActivityIn, x_sent_at: XSentAt = None
) -> Any:
    return _store_once(activity_record, request, response, payload.data(), payload.sent_at or x_sent_at)


@router.post(
    "/checkpoints/scan",
    response={201: CheckpointScanOut, **WRITE_ERRORS},
    description=(
        "Record a checkpoint scan; the code must belong to a site where you have a shift open now "
        "(404 `checkpoint_not_found` otherwise)." + IDEMPOTENCY_NOTE
    ),
)
def checkpoint_scan_create(
    request: HttpRequest, response: HttpResponse, payload: CheckpointScanIn, x_sent_at: XSentAt = None
) -> Any:
    return _store_once(checkpoint_scan_record, request, response, payload.data(), payload.sent_at or x_sent_at)


@router.post(
    "/alerts/panic",
    response={201: PanicOut, **WRITE_ERRORS},
    description=(
        "Raise a panic alert: your company's managers are emailed at once and your current shift is flagged. "
        "Send an `id` so a repeated press pages nobody twice."
    ),
)
def panic_create(request: HttpRequest, response: HttpResponse, payload: PanicIn, x_sent_at: XSentAt = None) -> Any:
    return _store_once(panic_alert_raise, request, response, payload.data(), payload.sent_at or x_sent_at)

"""Breadcrumbs: batches of GPS fixes, stored once each, judged against the site's fence."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from backend.tracking.services import PingIngestResult, pings_ingest
from mobile_api.auth import guard_of
from mobile_api.schemas.common import SIZED_WRITE_ERRORS, XSentAtIfNotInBody
from mobile_api.schemas.pings import PingBatchIn, PingBatchOut

router = Router(tags=["pings"])


@router.post(
    "/pings",
    response={200: PingBatchOut, **SIZED_WRITE_ERRORS},
)
def pings_create(request: HttpRequest, batch: PingBatchIn, x_sent_at: XSentAtIfNotInBody = None) -> PingIngestResult:
    """Store a batch of 1-500 breadcrumbs of the caller's own shifts; all or nothing.

    Replays are no-ops: `duplicates` counts pings already stored or repeated in the batch.
    404 `shift_not_found`: a ping names a shift that is not the caller's (nothing stored).
    409 `shift_not_tracking`: a shift is cancelled, more than 1 h before its start or
    more than 12 h after its end (nothing stored). 413 `batch_too_large`: over 500 pings.
    """
    return pings_ingest(guard=guard_of(request), pings=batch.pings, sent_at=batch.sent_at or x_sent_at)

"""Building what the live board shows: shifts on now, their breadcrumbs, panic alerts."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.utils import timezone

from backend.staffing.models import Post, Shift, ShiftStatus
from backend.tracking.models import PanicAlert, Ping
from tests import factories, geo


def shift_on_now(*, post: Post, guard=None, started_ago: timedelta = timedelta(hours=1), **fields) -> Shift:
    """A shift the guard clocked into `started_ago`, in progress now."""
    start = timezone.now() - started_ago
    extra = {"guard": guard} if guard is not None else {}
    return factories.ShiftFactory.create(
        post=post, scheduled_start=start, status=ShiftStatus.IN_PROGRESS, clock_in_at=start, **extra, **fields
    )


def ping(shift: Shift, where=geo.INSIDE_CENTER, *, fence: str = "inside", ago: timedelta = timedelta(seconds=30),
         distance_m: float = 0.0) -> Ping:  # fmt: skip
    moment: datetime = timezone.now() - ago
    return Ping.objects.create(
        id=uuid.uuid4(), shift=shift, location=where, accuracy_m=8.0, recorded_at=moment, received_at=moment,
        fence=fence, distance_m=distance_m,
    )  # fmt: skip


def panic(shift: Shift, where=geo.INSIDE_CENTER, *, ago: timedelta = timedelta(minutes=1)) -> PanicAlert:
    moment = timezone.now() - ago
    return PanicAlert.objects.create(
        id=uuid.uuid4(), guard=shift.guard, shift=shift, location=where, accuracy_m=8.0, recorded_at=moment,
        received_at=moment, fence="inside", distance_m=0.0,
    )  # fmt: skip

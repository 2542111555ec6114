"""Writes of what a guard's phone reports: breadcrumb batches (the ingestion hot path).

A phone sends up to 500 pings per request, often the same batch again after a lost
response. A batch is all or nothing: every ping must belong to one of the caller's own
shifts, open for tracking, or nothing is stored. Storage is one INSERT ... ON CONFLICT
DO NOTHING keyed on the phone's UUIDs, so replays (and repeats inside one batch) are
counted as duplicates and never stored twice.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.core.errors import Conflict, NotFound, ValidationFailed
from backend.core.localtime import DATE_TIME, local_time
from backend.rules.thresholds import DEFAULTS
from backend.staffing.models import Shift, ShiftStatus
from backend.tracking.errors import BatchTooLarge
from backend.tracking.models import Ping
from backend.tracking.selectors import site_fences_prepared
from geofence.classify import FENCE_STATES

PING_BATCH_MAX = 500
# A shift takes breadcrumbs from an hour before its start (a guard arriving early) until
# 12 hours after its end (a phone that was offline syncs its queue). Outside that window
# a batch is refused with 409 rather than silently attached to a stale shift.
PINGS_OPEN_BEFORE_START = timedelta(hours=1)
PINGS_OPEN_AFTER_END = timedelta(hours=12)


class PingInput(Protocol):
    """One breadcrumb of a batch (the API's PingIn satisfies this): a fix with its ids and motion.

    A batch is read straight into rows, so a ping is not turned into a `Fix` first.
    """

    id: UUID
    shift_id: int
    lat: float
    lon: float
    accuracy_m: float
    recorded_at: datetime
    is_mock: bool
    speed_mps: float | None
    heading: float | None


@dataclass(frozen=True)
class PingIngestResult:
    accepted: int
    duplicates: int


def ping_batch_check_size(*, count: int) -> None:
    """1..PING_BATCH_MAX pings; more is 413 (the phone should split the batch)."""
    if count > PING_BATCH_MAX:
        raise BatchTooLarge(
            f"A batch holds at most {PING_BATCH_MAX} pings; this one has {count}. Send it in smaller batches.",
            field="pings",
        )
    if count < 1:
        raise ValidationFailed("A batch needs at least one ping.", field="pings", code="empty_batch")


# One statement for the whole batch. The rows travel as one JSON array (serialised in C,
# parsed by PostgreSQL: a fraction of the cost of adapting a dozen Python lists), and
# the conflict clause skips UUIDs already stored (or repeated earlier in this batch), so
# the row count is exactly the number of new pings. Points are geography in SRID 4326.
_INSERT_PINGS = f"""
INSERT INTO {Ping._meta.db_table} (
    id, shift_id, location, accuracy_m, is_mock, recorded_at, sent_at, received_at,
    fence, distance_m, speed_mps, heading, created_at, updated_at
)
SELECT p.id, p.shift_id, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography, p.accuracy_m, p.is_mock,
       p.recorded_at, %s, %s, p.fence, p.distance_m, p.speed_mps, p.heading, %s, %s
FROM json_to_recordset(%s::json) AS p(
    id uuid, shift_id bigint, lon float8, lat float8, accuracy_m float8, is_mock boolean,
    recorded_at timestamptz, fence text, distance_m float8, speed_mps float8, heading float8
)
ON CONFLICT (id) DO NOTHING
"""  # noqa: S608 - the only interpolation is the model's own table name


@transaction.atomic
def pings_ingest(
    *,
    guard: User,
    pings: Sequence[PingInput],
    sent_at: datetime | None = None,
    received_at: datetime | None = None,
) -> PingIngestResult:
    """Store a batch of the guard's breadcrumbs with their fence verdicts; replays are no-ops.

    Queries: one for the shifts (with their sites' `updated_at`), one for fences not yet
    prepared in this process, one INSERT. A ping of someone else's shift makes the whole
    batch a 404; a shift outside its tracking window makes it a 409.
    """
    ping_batch_check_size(count=len(pings))
    now = received_at or timezone.now()

    shift_ids = {ping.shift_id for ping in pings}
    shifts = {
        row[0]: row
        for row in Shift.objects.for_company(guard.company_id or -1)
        .filter(guard=guard, pk__in=shift_ids)
        .values_list(
            "pk",
            "status",
            "scheduled_start",
            "scheduled_end",
            "post__site_id",
            "post__site__updated_at",
            "post__site__client__company__rule_settings__overrides",
            "post__site__timezone",
        )
    }
    for index, ping in enumerate(pings):
        row = shifts.get(ping.shift_id)
        if row is None:
            raise NotFound("No such shift.", code="shift_not_found", field=f"pings.{index}.shift_id")
        _, status, starts, ends, _, _, _, zone_name = row
        if status == ShiftStatus.CANCELLED or not (
            starts - PINGS_OPEN_BEFORE_START <= now <= ends + PINGS_OPEN_AFTER_END
        ):
            raise Conflict(
                f"Shift {ping.shift_id} does not take breadcrumbs now: it is {status} and scheduled "
                f"{local_time(starts, zone_name, DATE_TIME)} to {local_time(ends, zone_name, DATE_TIME)} "
                "(pings are taken from "
                f"{_hours(PINGS_OPEN_BEFORE_START)} h before the start to {_hours(PINGS_OPEN_AFTER_END)} h after "
                "the end of a shift that is not cancelled).",
                code="shift_not_tracking",
                field=f"pings.{index}.shift_id",
            )

    fences = site_fences_prepared(sites={row[4]: row[5] for row in shifts.values()})
    count = len(pings)
    lons = np.fromiter((p.lon for p in pings), dtype=np.float64, count=count)
    lats = np.fromiter((p.lat for p in pings), dtype=np.float64, count=count)
    accuracies = np.fromiter((p.accuracy_m for p in pings), dtype=np.float64, count=count)
    codes = np.empty(count, dtype=np.int8)
    distances = np.empty(count, dtype=np.float64)
    by_site: defaultdict[int, list[int]] = defaultdict(list)
    for index, ping in enumerate(pings):
        by_site[shifts[ping.shift_id][4]].append(index)
    # A breadcrumb coarser than the company's presence limit decides nothing: "unknown".
    max_accuracy_by_site = {
        row[4]: (DEFAULTS.with_overrides(row[6]) if row[6] else DEFAULTS).ping_max_accuracy_m for row in shifts.values()
    }
    for site_id, indices in by_site.items():
        # One vectorised pass per site (a batch is one guard's, so usually one site).
        at = np.asarray(indices, dtype=np.intp)
        codes[at], distances[at] = fences[site_id].classify_many(
            lons[at], lats[at], accuracies[at], max_accuracy_m=max_accuracy_by_site[site_id]
        )

    # The engine answers NaN only for a position it cannot place: no distance is stored then.
    rows = [
        {
            "id": str(ping.id),
            "shift_id": ping.shift_id,
            "lon": lon,
            "lat": lat,
            "accuracy_m": accuracy,
            "is_mock": ping.is_mock,
            "recorded_at": ping.recorded_at.isoformat(),
            "fence": FENCE_STATES[code],
            "distance_m": distance,
            "speed_mps": ping.speed_mps,
            "heading": ping.heading,
        }
        for ping, lon, lat, accuracy, code, distance in zip(
            pings,
            lons.tolist(),
            lats.tolist(),
            accuracies.tolist(),
            codes.tolist(),
            [d if math.isfinite(d) else None for d in distances.round(2).tolist()],
            strict=True,
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_PINGS, [sent_at, now, now, now, json.dumps(rows, allow_nan=False)])
        accepted = max(cursor.rowcount, 0)
    return PingIngestResult(accepted=accepted, duplicates=count - accepted)


def _hours(span: timedelta) -> int:
    return int(span.total_seconds() // 3600)

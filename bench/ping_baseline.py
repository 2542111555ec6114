"""The naive way to ingest breadcrumbs, mounted only by bench/urls.py: bench_pings.py's baseline.

Same authentication, same request schema and the same ownership check as `POST /pings`,
but each ping is judged with its own PostGIS query (`site_verdict`) and stored with its
own `save()` (autocommit: one INSERT, a replayed UUID fails and counts as a duplicate).
"""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.db import IntegrityError
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI

from backend.core.errors import NotFound
from backend.rules.thresholds import DEFAULTS
from backend.sites.models import WGS84
from backend.sites.selectors import site_verdict
from backend.staffing.models import Shift
from backend.tracking.models import Ping
from mobile_api.auth import DeviceTokenAuth, guard_of
from mobile_api.errors import install_error_handlers
from mobile_api.schemas.pings import PingBatchIn, PingBatchOut

baseline_api = NinjaAPI(
    title="GuardOps benchmark baselines",
    version="bench",
    urls_namespace="bench_baselines",
    auth=DeviceTokenAuth(),
    docs_url=None,
    openapi_url=None,
)
install_error_handlers(baseline_api)


@baseline_api.post("/pings", response=PingBatchOut)
def pings_one_by_one(request: HttpRequest, batch: PingBatchIn) -> dict[str, int]:
    guard = guard_of(request)
    shifts = {
        shift.pk: shift
        for shift in Shift.objects.filter(guard=guard, pk__in={p.shift_id for p in batch.pings})
        .select_related("post__site")
        .defer("post__site__geofence")
    }
    if any(p.shift_id not in shifts for p in batch.pings):
        raise NotFound("No such shift.", code="shift_not_found")
    received_at = timezone.now()
    accepted = duplicates = 0
    for p in batch.pings:
        shift = shifts[p.shift_id]
        verdict = site_verdict(
            site=shift.post.site,
            lon=p.lon,
            lat=p.lat,
            accuracy_m=p.accuracy_m,
            max_accuracy_m=DEFAULTS.ping_max_accuracy_m,  # as ingestion judges breadcrumbs, without a lookup
        )
        ping = Ping(
            id=p.id,
            shift=shift,
            location=Point(p.lon, p.lat, srid=WGS84),
            accuracy_m=p.accuracy_m,
            is_mock=p.is_mock,
            recorded_at=p.recorded_at,
            sent_at=batch.sent_at,
            received_at=received_at,
            fence=verdict.fence,
            distance_m=verdict.distance_m,
            speed_mps=p.speed_mps,
            heading=p.heading,
        )
        try:
            ping.save(force_insert=True)  # autocommit: a failed INSERT leaves nothing to roll back
            accepted += 1
        except IntegrityError:
            duplicates += 1
    return {"accepted": accepted, "duplicates": duplicates}

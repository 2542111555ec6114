"""Reads on the tracking hot path: each site's fence, prepared once per process.

Preparing a fence (projecting it into the site's metric frame, building its segment
grid) costs a millisecond or two; judging a ping against a prepared fence costs about a
microsecond. Ingestion therefore keeps prepared fences in memory, keyed by the site id
and the site's `updated_at`: saving a site (the admin, a service) bumps `updated_at`,
so the next batch for that site prepares the new fence. (A bulk `QuerySet.update()` of
geofences that does not set `updated_at` would not be seen; nothing does that.)
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime

from django.db.models import QuerySet

from backend.core.querysets import one_visible_or_not_found
from backend.sites.fence_sql import load_prepared_fences
from backend.sites.scopes import Scope
from backend.tracking.models import PanicAlert
from geofence.classify import PreparedFence

# Enough for every active site of a large deployment; a few kilobytes to ~100 kB each.
FENCE_CACHE_SIZE = 4096

_fences: OrderedDict[int, tuple[datetime, PreparedFence]] = OrderedDict()
# Gunicorn's sync workers run one request at a time, but threads (tests, a threaded
# server) may share the cache; the lock only guards the dictionary, never a query.
_fences_lock = threading.Lock()


def site_fences_prepared(*, sites: Mapping[int, datetime]) -> dict[int, PreparedFence]:
    """Prepared fences for `{site_id: site.updated_at}`; one query for those not cached.

    Sites that do not exist are absent from the result.
    """
    found: dict[int, PreparedFence] = {}
    missing: list[int] = []
    with _fences_lock:
        for site_id, updated_at in sites.items():
            cached = _fences.get(site_id)
            if cached is not None and cached[0] == updated_at:
                _fences.move_to_end(site_id)
                found[site_id] = cached[1]
            else:
                missing.append(site_id)
    if not missing:
        return found
    for site_id, fence in load_prepared_fences(missing).items():
        found[site_id] = fence
        with _fences_lock:
            # Keyed by the updated_at the caller read: an edit after that refreshes next time.
            _fences[site_id] = (sites[site_id], fence)
            _fences.move_to_end(site_id)
            while len(_fences) > FENCE_CACHE_SIZE:
                _fences.popitem(last=False)
    return found


def site_fences_forget() -> None:
    """Drop every prepared fence (tests; a process that edits fences in bulk)."""
    with _fences_lock:
        _fences.clear()


# --- The console: panic alerts for the people who answer them -----------------------------


def panic_alerts_visible(*, scope: Scope, unacknowledged_only: bool = False) -> QuerySet[PanicAlert]:
    """Panic alerts the viewer may see, newest first.

    A manager sees the company's (with or without a shift); a supervisor those pressed
    on a shift at an assigned site; a client contact is refused (PermissionDenied).
    """
    scope.require_operations("panic alerts")
    alerts = PanicAlert.objects.for_scope(scope)
    if unacknowledged_only:
        alerts = alerts.filter(acknowledged_at__isnull=True)
    return (
        alerts.select_related("guard", "shift__post__site", "acknowledged_by")
        .defer("shift__post__site__geofence")
        .order_by("-received_at", "-pk")
    )


def panic_alert_get_visible(*, scope: Scope, alert_id: uuid.UUID) -> PanicAlert:
    """One alert the viewer may see; another tenant's or an unassigned site's is NotFound."""
    return one_visible_or_not_found(
        panic_alerts_visible(scope=scope), pk=alert_id, message="No such panic alert.", code="panic_alert_not_found"
    )

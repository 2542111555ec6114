"""What a guard does in the field besides clocking: activity entries, checkpoint scans, panic.

Every write is keyed by the phone's UUID so a retried request stores nothing twice: a
replay returns the stored row (`created` False); the same id used for something else
is a Conflict (`idempotency_conflict`). Concurrent duplicates are settled by the
primary key: the loser's INSERT fails inside a savepoint and it re-reads the winner.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TypeVar

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.db import IntegrityError, transaction
from django.db.models import Case, Model, Q, QuerySet, Value, When
from django.utils import timezone

from backend.accounts.models import Role, User
from backend.core.errors import Conflict, NotFound
from backend.core.links import item_link
from backend.core.localtime import DATE_TIME_SECONDS, local_time
from backend.core.outbox import outbox_enqueue
from backend.flags.models import Flag
from backend.flags.notifications import email_managers
from backend.flags.services import flags_sync
from backend.rules.findings import Finding, FlagCode, Severity
from backend.rules.position import describe_distance
from backend.rules.selectors import agency_terms_for, thresholds_for_site
from backend.sites.models import WGS84, Checkpoint, Site
from backend.sites.selectors import site_verdict
from backend.staffing.models import Shift, ShiftStatus
from backend.staffing.selectors import shift_get_for_guard
from backend.tracking.models import ActivityEntry, CheckpointScan, DevicePositionMixin, PanicAlert
from geofence.fixes import Fix
from narrative.emergency import find_emergency_mentions

logger = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=Model)


def fix_point(fix: Fix) -> Point:
    """The fix as a GEOS point: (x=lon, y=lat), SRID 4326 like the geography columns."""
    return Point(fix.lon, fix.lat, srid=WGS84)


def fix_place(
    *, row: DevicePositionMixin, fix: Fix | None, site: Site | None, max_accuracy_m: float | None = None
) -> None:
    """Copy a fix onto a row, with where it stands against the site's fence when known.

    `max_accuracy_m`: the company's `low_accuracy_m` when the caller holds its thresholds
    (otherwise `site_verdict` reads them).
    """
    if fix is None:
        return
    row.location = fix_point(fix)
    row.accuracy_m = fix.accuracy_m
    row.is_mock = fix.is_mock
    if site is not None:
        verdict = site_verdict(
            site=site, lon=fix.lon, lat=fix.lat, accuracy_m=fix.accuracy_m, max_accuracy_m=max_accuracy_m
        )
        row.fence = verdict.fence
        row.distance_m = verdict.distance_m


def _insert_once(row: ModelT, *, reread: Callable[[], ModelT | None]) -> tuple[ModelT, bool]:
    """INSERT the row; if a concurrent request stored the same key first, return theirs.

    The savepoint keeps the caller's transaction usable after the unique violation; the
    losing INSERT waited on the winner's index entry, so the re-read sees its commit.
    """
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        existing = reread()
        if existing is None:
            raise Conflict(
                "Another request changed this record at the same moment; send it again.", code="concurrent_update"
            ) from None
        return existing, False
    return row, True


def _conflict(what: str) -> Conflict:
    return Conflict(
        f"This id was already used for a different {what}; generate a new UUID for a new one.",
        code="idempotency_conflict",
        field="id",
    )


def _open_shifts(*, guard: User, moments: list[datetime]) -> QuerySet[Shift]:
    """The guard's shifts that are open at any of `moments`, or clocked in and not out.

    Phones queue scans offline, so "open" accepts the shift that was open when the
    device recorded the event as well as the one open now. Cancelled shifts never are.
    """
    in_window = Q(status=ShiftStatus.IN_PROGRESS)
    for moment in moments:
        in_window |= Q(scheduled_start__lte=moment, scheduled_end__gt=moment)
    shifts = Shift.objects.filter(guard=guard).exclude(status=ShiftStatus.CANCELLED).filter(in_window)
    if guard.company_id is not None:
        shifts = shifts.for_company(guard.company_id)
    # The shift the guard is clocked into wins, then the latest scheduled. The fence is
    # judged in PostGIS by site id, so it is not loaded here.
    clocked_in_first = Case(When(status=ShiftStatus.IN_PROGRESS, then=Value(0)), default=Value(1))
    return (
        shifts.select_related("post__site").defer("post__site__geofence").order_by(clocked_in_first, "-scheduled_start")
    )


# --- Daily activity -------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityData:
    id: uuid.UUID
    shift_id: int
    recorded_at: datetime
    text: str
    position: Fix | None = None


@transaction.atomic
def activity_record(*, guard: User, data: ActivityData, sent_at: datetime | None = None) -> tuple[ActivityEntry, bool]:
    """Add a line to the daily activity report of the guard's own shift; idempotent on id."""
    existing = ActivityEntry.objects.filter(pk=data.id).select_related("shift").first()
    if existing is not None:
        return _activity_replay(existing, guard=guard, data=data), False
    shift = shift_get_for_guard(guard=guard, shift_id=data.shift_id, field="shift_id")
    site = shift.post.site
    # One read of the company's settings: the fence's accuracy limit and its agency words.
    limits = thresholds_for_site(site_id=site.pk)
    entry = ActivityEntry(
        id=data.id,
        shift=shift,
        text=data.text,
        # Only what says a service came or was called: a mere mention in a log line is not an emergency.
        emergency_mentions=[
            asdict(mention)
            for mention in find_emergency_mentions(
                data.text, agency_terms=agency_terms_for(thresholds=limits, site_terms=site.agency_terms)
            )
            if mention.status == "attended"
        ],
        recorded_at=data.recorded_at,
        sent_at=sent_at,
        received_at=timezone.now(),
    )
    fix_place(row=entry, fix=data.position, site=site, max_accuracy_m=limits.low_accuracy_m)
    stored, created = _insert_once(entry, reread=lambda: ActivityEntry.objects.filter(pk=data.id).first())
    if not created:
        return _activity_replay(stored, guard=guard, data=data), False
    return stored, True


# Coordinates read back from a geography column may differ from what was sent in the
# last bits of the float; 1e-7 degrees is about 1 cm, far below any real GPS difference.
_COORDINATE_DIGITS = 7


def _same_place(row: DevicePositionMixin, fix: Fix | None) -> bool:
    """The stored row holds exactly this fix (or both have none)."""
    if row.location is None or fix is None:
        return row.location is None and fix is None
    return (
        round(row.location.x, _COORDINATE_DIGITS) == round(fix.lon, _COORDINATE_DIGITS)
        and round(row.location.y, _COORDINATE_DIGITS) == round(fix.lat, _COORDINATE_DIGITS)
        and row.accuracy_m == fix.accuracy_m
        and row.is_mock == fix.is_mock
    )


def _activity_replay(entry: ActivityEntry, *, guard: User, data: ActivityData) -> ActivityEntry:
    same = (
        entry.shift.guard_id == guard.pk
        and entry.shift_id == data.shift_id
        and entry.text == data.text
        and entry.recorded_at == data.recorded_at
        and _same_place(entry, data.position)
    )
    if not same:
        raise _conflict("activity entry")
    return entry


# --- Checkpoint scans -----------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointScanData:
    id: uuid.UUID
    code: str
    recorded_at: datetime
    position: Fix


@transaction.atomic
def checkpoint_scan_record(
    *, guard: User, data: CheckpointScanData, sent_at: datetime | None = None
) -> tuple[CheckpointScan, bool]:
    """Record a scan of a checkpoint at a site where the guard has an open shift; idempotent on id.

    An unknown code, another site's or another company's checkpoint are all the same
    404: a guard learns nothing about tags outside their own shifts.
    """
    existing = CheckpointScan.objects.filter(pk=data.id).select_related("checkpoint").first()
    if existing is not None:
        return _scan_replay(existing, guard=guard, data=data), False
    now = timezone.now()
    shifts = list(_open_shifts(guard=guard, moments=[now, data.recorded_at]))
    shift_by_site: dict[int, Shift] = {}
    for shift in shifts:
        shift_by_site.setdefault(shift.post.site_id, shift)
    point = fix_point(data.position)
    checkpoint = (
        Checkpoint.objects.filter(code=data.code, is_active=True, site_id__in=list(shift_by_site))
        .select_related("site")
        .annotate(distance=Distance("location", point))
        .first()
    )
    if checkpoint is None:
        raise NotFound(
            "No such checkpoint on a site where you have a shift open now.", code="checkpoint_not_found", field="code"
        )
    scan = CheckpointScan(
        id=data.id,
        checkpoint=checkpoint,
        guard=guard,
        shift=shift_by_site[checkpoint.site_id],
        recorded_at=data.recorded_at,
        sent_at=sent_at,
        received_at=now,
        # geography distance: metres on the spheroid.
        distance_to_checkpoint_m=round(checkpoint.distance.m, 1),
    )
    fix_place(row=scan, fix=data.position, site=checkpoint.site)
    stored, created = _insert_once(scan, reread=lambda: CheckpointScan.objects.filter(pk=data.id).first())
    if not created:
        return _scan_replay(stored, guard=guard, data=data), False
    return stored, True


def _scan_replay(scan: CheckpointScan, *, guard: User, data: CheckpointScanData) -> CheckpointScan:
    if (
        scan.guard_id != guard.pk
        or scan.checkpoint.code != data.code
        or scan.recorded_at != data.recorded_at
        or not _same_place(scan, data.position)
    ):
        raise _conflict("checkpoint scan")
    return scan


# --- Panic ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PanicData:
    id: uuid.UUID | None = None
    position: Fix | None = None


@transaction.atomic
def panic_alert_raise(*, guard: User, data: PanicData, sent_at: datetime | None = None) -> tuple[PanicAlert, bool]:
    """Store a panic alert, flag the guard's current shift and page the managers at once.

    Idempotent on the phone's id (a phone that repeats the alert pages nobody twice);
    without an id every call is a new alert. Nothing here refuses a panic: no shift,
    no position, a mocked position are all accepted and shown to the managers.
    """
    from backend.tracking.tasks import panic_alert_notify_task

    alert_id = data.id or uuid.uuid4()
    existing = PanicAlert.objects.filter(pk=alert_id).first()
    if existing is not None:
        if existing.guard_id != guard.pk:
            raise _conflict("panic alert")
        return existing, False
    now = timezone.now()
    shift = _open_shifts(guard=guard, moments=[now]).first()
    alert = PanicAlert(
        id=alert_id,
        guard=guard,
        shift=shift,
        recorded_at=data.position.recorded_at if data.position is not None else (sent_at or now),
        sent_at=sent_at,
        received_at=now,
    )
    fix_place(row=alert, fix=data.position, site=shift.post.site if shift is not None else None)
    stored, created = _insert_once(alert, reread=lambda: PanicAlert.objects.filter(pk=alert_id).first())
    if not created:
        if stored.guard_id != guard.pk:
            raise _conflict("panic alert")
        return stored, False
    # Recorded with the alert (outbox): a broker that is down delays the page, never loses it.
    outbox_enqueue(task=panic_alert_notify_task, args=[str(alert_id)], dedup_key=f"panic-notify:{alert_id}")
    if shift is not None:
        panic_flags_sync(shift=shift)
    return stored, True


def panic_flags_sync(*, shift: Shift) -> list[Flag]:
    """One open critical PANIC flag per unacknowledged panic alert on the shift."""
    alerts = PanicAlert.objects.filter(shift=shift, acknowledged_at__isnull=True).select_related("guard")
    findings = [
        Finding(
            FlagCode.PANIC,
            Severity.CRITICAL,
            f"{alert.guard} pressed the panic button at {shift.post.site.name} "
            f"at {local_time(alert.received_at, shift.post.site.timezone)}{_where(alert)}.",
            {
                "alert_id": str(alert.pk),
                "received_at": alert.received_at.isoformat(),
                "lat": alert.location.y if alert.location is not None else None,
                "lon": alert.location.x if alert.location is not None else None,
                "accuracy_m": alert.accuracy_m,
                "map_url": map_link(lat=alert.location.y, lon=alert.location.x) if alert.location is not None else None,
            },
            key=str(alert.pk),
        )
        for alert in alerts
    ]
    return flags_sync(
        company=shift.post.site.client.company,
        findings=findings,
        evaluated_codes=[FlagCode.PANIC],
        shift=shift,
    )


def _where(alert: PanicAlert) -> str:
    """' at 33.780000, -84.388000 ±8 m (map: https://...)', what a manager needs to send help."""
    if alert.location is None:
        return " (the phone sent no GPS position)"
    lat, lon = alert.location.y, alert.location.x
    accuracy = f" ±{alert.accuracy_m:.0f} m" if alert.accuracy_m is not None else ""
    mock = ", MOCK LOCATION" if alert.is_mock else ""
    outside = (
        f", {describe_distance(alert.distance_m)} outside the site's fence"
        if alert.fence == "outside" and alert.distance_m
        else ""
    )
    return f" at {lat:.6f}, {lon:.6f}{accuracy}{mock}{outside} (map: {map_link(lat=lat, lon=lon)})"


def map_link(*, lat: float, lon: float) -> str:
    return f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=18/{lat:.6f}/{lon:.6f}"


def panic_alert_notify_managers(*, alert_id: uuid.UUID) -> int:
    """Email every active manager of the guard's company about one alert; returns how many.

    Each manager is told once, recorded durably in the database: with a PANIC flag (the
    guard had a shift) as the flag's FlagNotification, without one as the alert's
    PanicNotification. Nothing here needs the cache or the broker.
    """
    alert = PanicAlert.objects.filter(pk=alert_id).select_related("guard__company", "shift__post__site").first()
    if alert is None or alert.guard.company_id is None:
        return 0
    flag = (
        Flag.objects.filter(code=FlagCode.PANIC, key=str(alert.pk), shift_id=alert.shift_id).first()
        if alert.shift_id is not None
        else None
    )
    managers = list(
        User.objects.for_company(alert.guard.company_id)
        .filter(role=Role.MANAGER, is_active=True, email__gt="")
        .order_by("pk")
    )
    if not managers:
        logger.error("Panic alert %s by %s: the company has no manager with an email address.", alert.pk, alert.guard)
    subject, body = _panic_message(alert, flag=flag)
    ledger = flag.notifications if flag is not None else alert.notifications
    return email_managers(recipients=managers, subject=subject, body=body, ledger=ledger)


def _panic_message(alert: PanicAlert, *, flag: Flag | None) -> tuple[str, str]:
    """What a manager needs to send help, on the site's clock, with a link to the alert."""
    guard = alert.guard
    name = guard.get_full_name() or guard.username
    site = alert.shift.post.site if alert.shift is not None else None
    assert guard.company is not None  # noqa: S101 - the caller returns early without one
    zone_name = site.timezone if site is not None else guard.company.timezone
    lines = [
        f"{name} pressed the panic button.",
        "",
        f"Guard: {name} ({guard.username}), phone {guard.phone or 'not on file'}",
        f"Site: {site.name if site is not None else 'no shift open'}",
        f"Received: {local_time(alert.received_at, zone_name, DATE_TIME_SECONDS)}",
    ]
    if alert.location is not None:
        lat, lon = alert.location.y, alert.location.x
        accuracy = f" ±{alert.accuracy_m:.0f} m" if alert.accuracy_m is not None else ""
        lines.append(f"Position: {lat:.6f}, {lon:.6f}{accuracy}" + (" (MOCK LOCATION)" if alert.is_mock else ""))
        if alert.fence == "outside" and alert.distance_m:
            lines.append(f"Outside the site's fence by {describe_distance(alert.distance_m)}")
        lines.append(f"Map: {map_link(lat=lat, lon=lon)}")
    else:
        lines.append("Position: not sent by the phone")
    lines += [
        "",
        "Call the guard now, and acknowledge the alert in GuardOps once someone is handling it.",
        f"Open the alert: {item_link(flag if flag is not None else alert)}",
    ]
    return f"PANIC: {name} at {site.name if site is not None else 'no shift open'}", "\n".join(lines)

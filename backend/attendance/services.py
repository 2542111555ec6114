"""Clock-in and clock-out from the guard's phone: position, device times and the shift's state."""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import cast

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.attendance.monitoring import shift_monitor_now
from backend.core.errors import Conflict
from backend.core.localtime import DATE_TIME, local_time
from backend.flags.models import Flag, FlagStatus
from backend.flags.services import flags_sync
from backend.rules.findings import Finding, FlagCode, Severity
from backend.rules.position import POSITION_CODES, describe_distance, position_findings
from backend.rules.selectors import thresholds_for
from backend.rules.shift_rules import KEY_PREFIX as MONITOR_KEY_PREFIX
from backend.rules.thresholds import Thresholds
from backend.rules.timing import DeviceTimes, backdated_findings, clock_skew_findings
from backend.sites.models import WGS84, Site
from backend.sites.selectors import site_verdict
from backend.staffing.models import OutsideFenceClockIn, PostOrder, Qualification, Shift, ShiftStatus
from backend.staffing.selectors import (
    inductions_owed,
    post_orders_for_guard,
    qualifications_missing,
    shift_dates,
    shift_get_for_guard,
)
from backend.tracking.models import ClockEvent, ClockKind
from geofence.classify import FENCE_STATES, FenceState, Verdict
from geofence.fixes import Fix

# A guard may clock in from an hour before the scheduled start until the scheduled end.
CLOCK_IN_OPENS_BEFORE_START = timedelta(minutes=60)
# Flags of a clock event carry its kind as their key, so a clock-out's findings never
# resolve the clock-in's (both use the position codes).
CLOCK_FLAG_KEYS = {ClockKind.IN: "clock_in", ClockKind.OUT: "clock_out"}
# The monitor's attendance flags a guard should see in the clock-in/out response.
ATTENDANCE_KEYS = {
    ClockKind.IN: (f"{MONITOR_KEY_PREFIX}late", f"{MONITOR_KEY_PREFIX}post-orders", f"{MONITOR_KEY_PREFIX}no-show"),
    ClockKind.OUT: (f"{MONITOR_KEY_PREFIX}early",),
}
CLOCK_FLAG_CODES: tuple[str, ...] = (
    *POSITION_CODES,
    FlagCode.CLOCK_SKEW,
    FlagCode.CLOCK_EVENT_BACKDATED,
    FlagCode.POST_REQUIREMENT_MISSING,
)


@dataclass(frozen=True)
class ClockResult:
    """A stored clock-in or clock-out: the shift after it, the fence verdict, its flags."""

    shift: Shift
    verdict: Verdict
    flags: list[Flag]
    post_orders: PostOrder | None = None
    """The post's current orders (annotated `acknowledged` by this guard), shown at clock-in."""
    inductions_owed: list[Qualification] = field(default_factory=list)


@transaction.atomic
def shift_clock_in(
    *,
    guard: User,
    shift_id: int,
    position: Fix,
    sent_at: datetime | None = None,
    received_at: datetime | None = None,
) -> ClockResult:
    """Clock the guard in on their shift, judged against the site's fence; retries are replays.

    The shift must be scheduled and open (an hour before its start until its end). A
    clock-in outside the fence is refused (409, nothing stored) where the post's policy
    says so, otherwise accepted and flagged. The stored time is the phone's, corrected
    for its clock skew. A second clock-in on a clocked-in shift returns the stored one.
    """
    shift = shift_get_for_guard(guard=guard, shift_id=shift_id, lock=True)
    if shift.status == ShiftStatus.IN_PROGRESS:
        return _clock_replay(shift=shift, kind=ClockKind.IN)
    if shift.status != ShiftStatus.SCHEDULED:
        raise Conflict(_closed_message(shift), code=f"shift_{shift.status}")
    times = DeviceTimes(recorded_at=position.recorded_at, sent_at=sent_at, received_at=received_at or timezone.now())
    clocked_at = min(times.corrected_recorded_at, times.received_at)
    opens_at = shift.scheduled_start - CLOCK_IN_OPENS_BEFORE_START
    site = shift.post.site
    if not opens_at <= clocked_at < shift.scheduled_end:
        raise Conflict(
            f"This shift can be clocked into from {local_time(opens_at, site.timezone, DATE_TIME)} to "
            f"{local_time(shift.scheduled_end, site.timezone, DATE_TIME)}; the clock-in was at "
            f"{local_time(clocked_at, site.timezone, DATE_TIME)}.",
            code="shift_not_open",
        )
    limits, verdict = _judged_against_site(site=site, position=position)
    if shift.post.outside_fence_clock_in == OutsideFenceClockIn.REFUSE:
        if verdict.fence == "unknown":
            raise Conflict(
                f"Your phone's GPS fix is accurate only to {describe_distance(position.accuracy_m)}, too coarse to "
                f"place you on {site.name} (this post needs a fix within {limits.low_accuracy_m:.0f} m). Wait in the "
                "open for a better GPS fix and clock in again.",
                code="position_too_inaccurate",
                field="position.accuracy_m",
            )
        if verdict.fence == "outside":
            raise Conflict(
                f"You are {describe_distance(verdict.distance_m)} from {site.name}'s geofence; "
                "this post requires clocking in on site.",
                code="outside_geofence",
                extra={"distance_m": round(verdict.distance_m, 1)},
            )
    shift.status = ShiftStatus.IN_PROGRESS
    shift.clock_in_at = clocked_at
    # Sent after the fact, the phone's time is a claim: until breadcrumbs or scans recorded
    # then confirm it (the monitoring rules look), the clock-in counts from its receipt.
    backdated = times.is_backdated(timedelta(minutes=limits.backdated_clock_event_min))
    shift.clock_in_verified_at = times.received_at if backdated else clocked_at
    shift.clock_in_location = Point(position.lon, position.lat, srid=WGS84)
    shift.clock_in_accuracy_m = position.accuracy_m
    shift.save(
        update_fields=[
            "status",
            "clock_in_at",
            "clock_in_verified_at",
            "clock_in_location",
            "clock_in_accuracy_m",
            "updated_at",
        ]
    )
    return _clock_record(shift=shift, kind=ClockKind.IN, position=position, times=times, verdict=verdict, limits=limits)


@transaction.atomic
def shift_clock_out(
    *,
    guard: User,
    shift_id: int,
    position: Fix,
    sent_at: datetime | None = None,
    received_at: datetime | None = None,
) -> ClockResult:
    """Clock the guard out of their clocked-in shift; a retry returns the stored clock-out.

    Outside the fence is flagged, never refused (the guard must always be able to leave).
    """
    shift = shift_get_for_guard(guard=guard, shift_id=shift_id, lock=True)
    if shift.status == ShiftStatus.COMPLETED:
        return _clock_replay(shift=shift, kind=ClockKind.OUT)
    if shift.status == ShiftStatus.SCHEDULED:
        raise Conflict("You have not clocked in on this shift.", code="not_clocked_in")
    if shift.status != ShiftStatus.IN_PROGRESS or shift.clock_in_at is None:
        raise Conflict(_closed_message(shift), code=f"shift_{shift.status}")
    times = DeviceTimes(recorded_at=position.recorded_at, sent_at=sent_at, received_at=received_at or timezone.now())
    # Never before the clock-in (the database requires it) nor after receipt.
    clocked_at = max(min(times.corrected_recorded_at, times.received_at), shift.clock_in_at)
    site = shift.post.site
    limits, verdict = _judged_against_site(site=site, position=position)
    shift.status = ShiftStatus.COMPLETED
    shift.clock_out_at = clocked_at
    # A clock-out sent after the fact may claim hours nobody saw: until breadcrumbs or scans
    # recorded then confirm it (the monitoring rules look), the evidence ends at the clock-in.
    backdated = times.is_backdated(timedelta(minutes=limits.backdated_clock_event_min))
    supported_in = min(shift.clock_in_verified_at or shift.clock_in_at, clocked_at)
    shift.clock_out_verified_at = supported_in if backdated else clocked_at
    shift.clock_out_location = Point(position.lon, position.lat, srid=WGS84)
    shift.clock_out_accuracy_m = position.accuracy_m
    shift.save(
        update_fields=[
            "status",
            "clock_out_at",
            "clock_out_verified_at",
            "clock_out_location",
            "clock_out_accuracy_m",
            "updated_at",
        ]
    )
    return _clock_record(
        shift=shift, kind=ClockKind.OUT, position=position, times=times, verdict=verdict, limits=limits
    )


def _judged_against_site(*, site: Site, position: Fix) -> tuple[Thresholds, Verdict]:
    """The company's thresholds, and where the clock event's fix stands against the site's fence under them."""
    limits = thresholds_for(company=site.client.company_id)
    verdict = site_verdict(
        site=site,
        lon=position.lon,
        lat=position.lat,
        accuracy_m=position.accuracy_m,
        max_accuracy_m=limits.low_accuracy_m,
    )
    return limits, verdict


def _closed_message(shift: Shift) -> str:
    return f"This shift is {shift.get_status_display().lower()}; it cannot be clocked into or out of."


def _clock_record(
    *,
    shift: Shift,
    kind: ClockKind,
    position: Fix,
    times: DeviceTimes,
    verdict: Verdict,
    limits: Thresholds,
) -> ClockResult:
    """Store the clock event as evidence and sync its flags on the shift. Caller holds the shift lock."""
    # Centimetres are plenty, and a replay must answer exactly what was stored.
    verdict = Verdict(verdict.fence, round(verdict.distance_m, 2))
    ClockEvent.objects.create(
        shift=shift,
        kind=kind,
        location=Point(position.lon, position.lat, srid=WGS84),
        accuracy_m=position.accuracy_m,
        is_mock=position.is_mock,
        recorded_at=times.recorded_at,
        sent_at=times.sent_at,
        received_at=times.received_at,
        fence=verdict.fence,
        distance_m=verdict.distance_m,
    )
    what = "Clock-in" if kind == ClockKind.IN else "Clock-out"
    key = CLOCK_FLAG_KEYS[kind]
    site = shift.post.site
    findings = [
        replace(finding, key=key)
        for finding in (
            *position_findings(
                position=position, verdict=verdict, site_name=site.name, what=what, low_accuracy_m=limits.low_accuracy_m
            ),
            *clock_skew_findings(times, what=what.lower(), threshold=timedelta(minutes=limits.clock_skew_min)),
            *backdated_findings(
                times,
                what=what.lower(),
                zone_name=site.timezone,
                threshold=timedelta(minutes=limits.backdated_clock_event_min),
            ),
        )
    ]
    if kind == ClockKind.IN:
        findings.extend(_requirement_findings(shift=shift, key=key))
    # Scoped to this event's key: the other clock event's flags and the monitor's stay as they are.
    flags = flags_sync(
        company=shift.post.site.client.company,
        findings=findings,
        evaluated_codes=CLOCK_FLAG_CODES,
        shift=shift,
        key_prefix=key,
    )
    # Attendance rules answer at once too, so the guard sees "late" or "post orders unread" now.
    attendance = shift_monitor_now(shift_id=shift.pk, now=times.received_at, thresholds=limits)
    # The monitor may have confirmed a backdated time from breadcrumbs already synced.
    shift.refresh_from_db(fields=["clock_in_verified_at", "clock_out_verified_at"])
    orders, owed = _what_the_guard_owes(shift=shift, kind=kind, at=times.received_at)
    return ClockResult(
        shift=shift,
        verdict=verdict,
        flags=[*flags, *(f for f in attendance if f.key in ATTENDANCE_KEYS[kind])],
        post_orders=orders,
        inductions_owed=owed,
    )


def _requirement_findings(*, shift: Shift, key: str) -> list[Finding]:
    """POST_REQUIREMENT_MISSING: the post's qualifications the guard lacks today (checked again at clock-in)."""
    missing = qualifications_missing(
        guard=shift.guard, post=shift.post, starts_at=shift.scheduled_start, ends_at=shift.scheduled_end
    )
    if not missing:
        return []
    return [
        Finding(
            code=FlagCode.POST_REQUIREMENT_MISSING,
            severity=Severity.WARNING,
            message=f"{shift.guard} clocked in at {shift.post.site.name} without what the post requires: "
            f"{'; '.join(m.sentence() for m in missing)}.",
            evidence={"missing": [m.as_dict() for m in missing]},
            key=key,
        )
    ]


def _what_the_guard_owes(
    *, shift: Shift, kind: ClockKind, at: datetime
) -> tuple[PostOrder | None, list[Qualification]]:
    """At clock-in the guard sees the current post orders and the inductions still owed."""
    if kind != ClockKind.IN:
        return None, []
    today, _ = shift_dates(site_timezone=shift.post.site.timezone, starts_at=at, ends_at=at + timedelta(seconds=1))
    return (
        post_orders_for_guard(guard=shift.guard, post=shift.post, at=at),
        inductions_owed(guard=shift.guard, post=shift.post, on=today),
    )


def _clock_replay(*, shift: Shift, kind: ClockKind) -> ClockResult:
    """The stored result of an earlier clock-in/out: what the phone missed when it retried."""
    event = ClockEvent.objects.filter(shift=shift, kind=kind).first()
    if event is None or event.fence not in FENCE_STATES or event.distance_m is None:
        # Set by a manager in the admin, not by a phone: there is no stored result to return.
        what = "in" if kind == ClockKind.IN else "out"
        raise Conflict(f"This shift was already clocked {what} by a manager.", code=f"already_clocked_{what}")
    flags = list(
        Flag.objects.filter(
            shift=shift, status=FlagStatus.OPEN, key__in=[CLOCK_FLAG_KEYS[kind], *ATTENDANCE_KEYS[kind]]
        ).order_by("raised_at", "pk")
    )
    orders, owed = _what_the_guard_owes(shift=shift, kind=kind, at=timezone.now())
    return ClockResult(
        shift=shift,
        verdict=Verdict(cast(FenceState, event.fence), event.distance_m),
        flags=flags,
        post_orders=orders,
        inductions_owed=owed,
    )

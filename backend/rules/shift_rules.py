"""Rules over a shift: attendance against the schedule and presence during it.

Facts are gathered for all shifts of a monitoring pass at once (`backend.attendance.monitoring`);
these rules are pure. Keys name each distinct finding (an excursion, a zone entry) so a
pass updates the same flag instead of raising it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.core.localtime import local_time
from backend.rules.findings import Finding, FlagCode, Severity
from backend.rules.position import describe_distance
from backend.rules.registry import RuleSet
from backend.rules.thresholds import Thresholds
from geofence.fixes import Fix
from geofence.integrity import ImpossibleTravel
from geofence.presence import PresenceTimeline

KEY_PREFIX = "monitor:"


@dataclass(frozen=True)
class Stillness:
    """The phone has not moved beyond the radius from `start` to `end` (the latest fix)."""

    start: datetime
    end: datetime
    lon: float
    lat: float
    fix_count: int


@dataclass(frozen=True)
class ZoneVisit:
    zone_id: int
    zone_name: str
    first_at: datetime
    last_at: datetime
    fix_count: int
    still_inside: bool


@dataclass(frozen=True)
class MissedCheckpoint:
    checkpoint_id: int
    name: str
    round_start: datetime
    due_by: datetime


@dataclass(frozen=True)
class ActivityEmergency:
    """An activity-log line that says an emergency service came or was called."""

    entry_id: str
    recorded_at: datetime
    services: tuple[str, ...]
    sentence: str


@dataclass(frozen=True)
class ShiftFacts:
    """What the shift rules look at for one shift, as of `now`."""

    now: datetime
    guard_name: str
    post_name: str
    site_name: str
    must_be_staffed: bool
    scheduled_start: datetime
    scheduled_end: datetime
    status: str
    clock_in_at: datetime | None
    clock_out_at: datetime | None
    post_orders_version: int | None
    post_orders_acknowledged: bool
    timeline: PresenceTimeline | None
    stillness: Stillness | None
    impossible_travel: tuple[ImpossibleTravel, ...]
    mock_fixes: tuple[Fix, ...]
    zone_visits: tuple[ZoneVisit, ...]
    missed_checkpoints: tuple[MissedCheckpoint, ...]
    activity_emergencies: tuple[ActivityEmergency, ...] = ()
    reported_emergency_services: frozenset[str] = frozenset()
    """Services named in the emergency sections of the shift's incident reports."""
    zone_name: str = "UTC"
    """The site's IANA time zone: messages show its clock."""
    clock_in_verified_at: datetime | None = None
    """The clock-in time the evidence supports (Shift.clock_in_verified_at); None: clock_in_at stands."""
    clock_out_verified_at: datetime | None = None
    """The clock-out time the evidence supports (Shift.clock_out_verified_at); None: clock_out_at stands."""

    def local(self, moment: datetime) -> str:
        """'00:14 EST': an instant on the site's clock (evidence keeps the UTC instant)."""
        return local_time(moment, self.zone_name)

    @property
    def clock_in_unconfirmed(self) -> bool:
        """The phone's clock-in time was sent after the fact and nothing recorded then confirms it."""
        return (
            self.clock_in_at is not None
            and self.clock_in_verified_at is not None
            and self.clock_in_verified_at > self.clock_in_at
        )

    @property
    def clock_out_unconfirmed(self) -> bool:
        """The phone's clock-out time was sent after the fact and nothing recorded then confirms it."""
        return (
            self.clock_out_at is not None
            and self.clock_out_verified_at is not None
            and self.clock_out_verified_at < self.clock_out_at
        )

    @property
    def judged_clock_in_at(self) -> datetime | None:
        """The clock-in attendance is judged on: the phone's time only where the evidence supports it."""
        return self.clock_in_verified_at or self.clock_in_at

    @property
    def judged_clock_out_at(self) -> datetime | None:
        return self.clock_out_verified_at or self.clock_out_at


SHIFT_RULES: RuleSet[ShiftFacts] = RuleSet("shift")


def _minutes(delta: timedelta) -> int:
    return round(delta.total_seconds() / 60)


@SHIFT_RULES.register(FlagCode.POST_ORDERS_NOT_ACKNOWLEDGED)
def post_orders_not_acknowledged(facts: ShiftFacts, thresholds: Thresholds) -> list[Finding]:
    """Clocked in without having acknowledged the post's current orders (ends when acknowledged)."""
    if facts.clock_in_at is None or facts.post_orders_version is None or facts.post_orders_acknowledged:
        return []
    return [
        Finding(
            FlagCode.POST_ORDERS_NOT_ACKNOWLEDGED,
            Severity.WARNING,
            f"{facts.guard_name} is working {facts.post_name} without having acknowledged its post orders "
            f"(version {facts.post_orders_version}).",
            {"post_orders_version": facts.post_orders_version, "clock_in_at": facts.clock_in_at.isoformat()},
            key=KEY_PREFIX + "post-orders",
        )
    ]


@SHIFT_RULES.register(FlagCode.LATE_CLOCK_IN)
def late_clock_in(facts: ShiftFacts, thresholds: Thresholds) -> list[Finding]:
    """Clocked in later than the scheduled start plus the grace period.

    A clock-in sent after the fact counts from its receipt until breadcrumbs or scans
    recorded at the claimed time confirm it: the phone cannot write its own punctuality.
    """
    judged = facts.judged_clock_in_at
    if judged is None or facts.clock_in_at is None:
        return []
    late = judged - facts.scheduled_start
    if late <= timedelta(minutes=thresholds.late_clock_in_grace_min):
        return []
    if facts.clock_in_unconfirmed:
        message = (
            f"{facts.guard_name} clocked in at least {_minutes(late)} minutes late at {facts.post_name}: the phone "
            f"says {facts.local(facts.clock_in_at)}, but the clock-in reached the server at {facts.local(judged)} "
            f"and no breadcrumb or checkpoint scan recorded then confirms the earlier time "
            f"(scheduled {facts.local(facts.scheduled_start)})."
        )
    else:
        message = (
            f"{facts.guard_name} clocked in {_minutes(late)} minutes late at {facts.post_name} "
            f"({facts.local(judged)}, scheduled {facts.local(facts.scheduled_start)})."
        )
    return [
        Finding(
            FlagCode.LATE_CLOCK_IN,
            Severity.WARNING,
            message,
            {
                "minutes_late": _minutes(late),
                "clock_in_at": judged.isoformat(),
                "claimed_clock_in_at": facts.clock_in_at.isoformat(),
                "confirmed": not facts.clock_in_unconfirmed,
                "scheduled_start": facts.scheduled_start.isoformat(),
                "grace_min": thresholds.late_clock_in_grace_min,
            },
            key=KEY_PREFIX + "late",
        )
    ]


@SHIFT_RULES.register(FlagCode.EARLY_CLOCK_OUT)
def early_clock_out(facts: ShiftFacts, thresholds: Thresholds) -> list[Finding]:
    """Clocked out earlier than the scheduled end minus the grace period.

    A clock-out sent after the fact counts only as far as breadcrumbs or scans recorded
    then show the guard on site: a phone cannot add hours nobody saw.
    """
    judged = facts.judged_clock_out_at
    if judged is None or facts.clock_out_at is None:
        return []
    early = facts.scheduled_end - judged
    if early <= timedelta(minutes=thresholds.early_clock_out_grace_min):
        return []
    if facts.clock_out_unconfirmed:
        message = (
            f"{facts.guard_name} clocked out at least {_minutes(early)} minutes early from {facts.post_name}: the "
            f"phone says {facts.local(facts.clock_out_at)}, but it sent the clock-out after the fact and the "
            f"evidence of the guard on site ends at {facts.local(judged)} "
            f"(scheduled until {facts.local(facts.scheduled_end)})."
        )
    else:
        message = (
            f"{facts.guard_name} clocked out {_minutes(early)} minutes early from {facts.post_name} "
            f"({facts.local(judged)}, scheduled until {facts.local(facts.scheduled_end)})."
        )
    return [
        Finding(
            FlagCode.EARLY_CLOCK_OUT,
            Severity.WARNING,
            message,
            {
                "minutes_early": _minutes(early),
                "clock_out_at": judged.isoformat(),
                "claimed_clock_out_at": facts.clock_out_at.isoformat(),
                "confirmed": not facts.clock_out_unconfirmed,
                "scheduled_end": facts.scheduled_end.isoformat(),
            },
            key=KEY_PREFIX + "early",
        )
    ]


@SHIFT_RULES.register(FlagCode.NO_SHOW)
def no_show(facts: ShiftFacts, thresholds: Thresholds) -> list[Finding]:
    """No clock-in long after the start: the post is unstaffed (critical where it must be staffed).

    A clock-in sent after the fact, claiming a time nothing recorded then confirms, does
    not end the no-show: the manager sees the claim, and it closes once evidence arrives.
    """
    if facts.status == "cancelled" or (facts.clock_in_at is not None and not facts.clock_in_unconfirmed):
        return []
    overdue = facts.now - facts.scheduled_start
    if overdue <= timedelta(minutes=thresholds.no_show_after_min):
        return []
    severity = Severity.CRITICAL if facts.must_be_staffed else Severity.WARNING
    staffed = " This post must be staffed." if facts.must_be_staffed else ""
    evidence: dict[str, object] = {
        "scheduled_start": facts.scheduled_start.isoformat(),
        "minutes_overdue": _minutes(overdue),
    }
    if facts.clock_in_at is not None and facts.clock_in_verified_at is not None:
        claim = (
            f"{facts.guard_name}'s clock-in at {facts.post_name}, {facts.site_name} is not confirmed: it reached the "
            f"server at {facts.local(facts.clock_in_verified_at)} claiming {facts.local(facts.clock_in_at)}, and no "
            "breadcrumb or checkpoint scan recorded then shows the guard on site. The shift started "
        )
        evidence |= {
            "claimed_clock_in_at": facts.clock_in_at.isoformat(),
            "received_at": facts.clock_in_verified_at.isoformat(),
        }
    else:
        claim = f"{facts.guard_name} has not clocked in at {facts.post_name}, {facts.site_name}: the shift started "
    return [
        Finding(
            FlagCode.NO_SHOW,
            severity,
            f"{claim}{_minutes(overdue)} minutes ago ({facts.local(facts.scheduled_start)}).{staffed}",
            evidence,
            key=KEY_PREFIX + "no-show",
        )
    ]


@SHIFT_RULES.register(FlagCode.MISSED_CLOCK_OUT)
def missed_clock_out(facts: ShiftFacts, thresholds: Thresholds) -> list[Finding]:
    """Still clocked in long after the scheduled end (ends when the guard clocks out)."""
    if facts.clock_in_at is None or facts.clock_out_at is not None:
        return []
    overdue = facts.now - facts.scheduled_end
    if overdue <= timedelta(minutes=thresholds.missed_clock_out_after_min):
        return []
    return [
        Finding(
            FlagCode.MISSED_CLOCK_OUT,
            Severity.WARNING,
            f"{facts.guard_name} has not clocked out of {facts.post_name}; the shift ended "
            f"{_minutes(overdue)} minutes ago ({facts.local(facts.scheduled_end)}).",
            {"scheduled_end": facts.scheduled_end.isoformat(), "minutes_overdue": _minutes(overdue)},
            key=KEY_PREFIX + "missed-clock-out",
        )
    ]


@SHIFT_RULES.register(FlagCode.OUT_OF_POSITION)
def out_of_position(facts: ShiftFacts, thresholds: Thresholds) -> list[Finding]:
    """Outside the fence (with hysteresis) longer than allowed; closed when the guard is back."""
    if facts.timeline is None:
        return []
    allowed = timedelta(minutes=thresholds.out_of_position_allowed_min)
    findings = []
    for interval in facts.timeline.intervals:
        if interval.state != "outside" or interval.duration <= allowed:
            continue
        ongoing = interval.end >= facts.now - timedelta(seconds=1) or interval.end >= facts.scheduled_end
        returned = "and has not come back" if ongoing else f"until {facts.local(interval.end)}"
        findings.append(
            Finding(
                FlagCode.OUT_OF_POSITION,
                Severity.WARNING,
                f"{facts.guard_name} left {facts.site_name} at {facts.local(interval.start)} for "
                f"{_minutes(interval.duration)} minutes {returned} "
                f"(allowed: {thresholds.out_of_position_allowed_min} minutes).",
                {
                    "left_at": interval.start.isoformat(),
                    "back_at": None if ongoing else interval.end.isoformat(),
                    "minutes_outside": _minutes(interval.duration),
                    "allowed_min": thresholds.out_of_position_allowed_min,
                    "coverage": round(facts.timeline.coverage, 3),
                },
                key=f"{KEY_PREFIX}out:{interval.start.isoformat()}",
                ended_at=None if ongoing else interval.end,
            )
        )
    return findings


@SHIFT_RULES.register(FlagCode.INACTIVITY)
def inactivity(facts: ShiftFacts, thresholds: Thresholds) -> list[Finding]:
    """The phone has not moved for longer than allowed: the guard may be asleep (ends on movement)."""
    still = facts.stillness
    if still is None or still.end - still.start <= timedelta(minutes=thresholds.inactivity_allowed_min):
        return []
    return [
        Finding(
            FlagCode.INACTIVITY,
            Severity.WARNING,
            f"{facts.guard_name}'s phone has not moved more than {thresholds.inactivity_radius_m:.0f} m since "
            f"{facts.local(still.start)} ({_minutes(still.end - still.start)} minutes) at {facts.site_name}.",
            {
                "since": still.start.isoformat(),
                "last_fix_at": still.end.isoformat(),
                "minutes_still": _minutes(still.end - still.start),
                "lat": still.lat,
                "lon": still.lon,
                "fix_count": still.fix_count,
            },
            key=f"{KEY_PREFIX}still:{still.start.isoformat()}",
        )
    ]


@SHIFT_RULES.register(FlagCode.RESTRICTED_ZONE)
def restricted_zone(facts: ShiftFacts, thresholds: Thresholds) -> list[Finding]:
    """The guard's position was inside a restricted zone of the site."""
    return [
        Finding(
            FlagCode.RESTRICTED_ZONE,
            Severity.CRITICAL,
            f"{facts.guard_name} entered the restricted zone \u201c{visit.zone_name}\u201d at {facts.site_name} at "
            f"{facts.local(visit.first_at)}"
            + (" and is still inside." if visit.still_inside else f", left by {facts.local(visit.last_at)}."),
            {
                "zone_id": visit.zone_id,
                "zone": visit.zone_name,
                "first_at": visit.first_at.isoformat(),
                "last_at": visit.last_at.isoformat(),
                "fix_count": visit.fix_count,
            },
            key=f"{KEY_PREFIX}zone:{visit.zone_id}:{visit.first_at.isoformat()}",
        )
        for visit in facts.zone_visits
    ]


@SHIFT_RULES.register(FlagCode.MISSED_CHECKPOINT)
def missed_checkpoint(facts: ShiftFacts, thresholds: Thresholds) -> list[Finding]:
    """A tour checkpoint was not scanned in its round (posts with a tour schedule)."""
    return [
        Finding(
            FlagCode.MISSED_CHECKPOINT,
            Severity.WARNING,
            f"{facts.guard_name} did not scan checkpoint \u201c{missed.name}\u201d in the tour round that started at "
            f"{facts.local(missed.round_start)} (due by {facts.local(missed.due_by)}).",
            {
                "checkpoint_id": missed.checkpoint_id,
                "round_start": missed.round_start.isoformat(),
                "due_by": missed.due_by.isoformat(),
            },
            key=f"{KEY_PREFIX}checkpoint:{missed.checkpoint_id}:{missed.round_start.isoformat()}",
        )
        for missed in facts.missed_checkpoints
    ]


@SHIFT_RULES.register(FlagCode.IMPOSSIBLE_TRAVEL)
def impossible_travel(facts: ShiftFacts, thresholds: Thresholds) -> list[Finding]:
    """Two consecutive fixes imply a speed no guard reaches: a spoofed or borrowed position."""
    return [
        Finding(
            FlagCode.IMPOSSIBLE_TRAVEL,
            Severity.WARNING,
            f"{facts.guard_name}'s phone jumped {describe_distance(jump.distance_m)} in {jump.seconds:.0f} seconds at "
            f"{facts.local(jump.to_fix.recorded_at)} ({jump.speed_mps * 3.6:.0f} km/h), faster than anyone travels "
            "on duty.",
            {
                "from": {
                    "at": jump.from_fix.recorded_at.isoformat(),
                    "lat": jump.from_fix.lat,
                    "lon": jump.from_fix.lon,
                },
                "to": {"at": jump.to_fix.recorded_at.isoformat(), "lat": jump.to_fix.lat, "lon": jump.to_fix.lon},
                "distance_m": round(jump.distance_m, 1),
                "seconds": jump.seconds,
                "speed_mps": round(jump.speed_mps, 1),
            },
            key=f"{KEY_PREFIX}travel:{jump.to_fix.recorded_at.isoformat()}",
        )
        for jump in facts.impossible_travel
    ]


@SHIFT_RULES.register(FlagCode.MOCK_LOCATION)
def mock_breadcrumbs(facts: ShiftFacts, thresholds: Thresholds) -> list[Finding]:
    """Breadcrumbs came from a mock-location provider; they never credit presence."""
    if not facts.mock_fixes:
        return []
    first, last = facts.mock_fixes[0], facts.mock_fixes[-1]
    return [
        Finding(
            FlagCode.MOCK_LOCATION,
            Severity.CRITICAL,
            f"{len(facts.mock_fixes)} of {facts.guard_name}'s breadcrumbs came from a mock (simulated) location "
            f"between {facts.local(first.recorded_at)} and {facts.local(last.recorded_at)}; they were not counted as "
            "presence.",
            {
                "mock_fix_count": len(facts.mock_fixes),
                "first_at": first.recorded_at.isoformat(),
                "last_at": last.recorded_at.isoformat(),
            },
            key=KEY_PREFIX + "mock-pings",
        )
    ]


@SHIFT_RULES.register(FlagCode.EMERGENCY_NOT_REPORTED)
def emergency_in_activity_log(facts: ShiftFacts, thresholds: Thresholds) -> list[Finding]:
    """The activity log says fire, police or EMS came, but no report of the shift has that emergency.

    Closed as soon as an incident report with an emergency section naming the service is filed.
    """
    findings = []
    for mention in facts.activity_emergencies:
        unreported = sorted(set(mention.services) - facts.reported_emergency_services)
        if not unreported:
            continue
        findings.append(
            Finding(
                FlagCode.EMERGENCY_NOT_REPORTED,
                Severity.CRITICAL,
                f"{facts.guard_name}'s activity log at {facts.site_name} says {' and '.join(unreported)} responded "
                f"({facts.local(mention.recorded_at)}: \u201c{mention.sentence.strip()}\u201d), but no incident report "
                "of the shift has an emergency section for it.",
                {
                    "activity_entry_id": mention.entry_id,
                    "recorded_at": mention.recorded_at.isoformat(),
                    "services": unreported,
                    "sentence": mention.sentence,
                },
                key=f"{KEY_PREFIX}activity-emergency:{mention.entry_id}",
            )
        )
    return findings

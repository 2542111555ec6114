"""The monitoring pass over realistic breadcrumb traces: attendance and presence flags."""

import math
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import shapely
from django.core import mail
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.attendance.monitoring import shifts_monitor
from backend.flags.models import Flag, FlagNotification, FlagStatus
from backend.rules.shift_rules import SHIFT_RULES, ShiftFacts
from backend.rules.thresholds import DEFAULTS
from backend.staffing.models import ShiftStatus
from backend.tracking.field_services import ActivityData, activity_record
from backend.tracking.models import CheckpointScan, Ping
from geofence.classify import PreparedFence
from geofence.fixes import Fix
from geofence.presence import presence_timeline
from tests import factories, geo
from tests.mobile_api.test_incidents import file_directly

NOW = timezone.now().replace(microsecond=0)


def _shift(tenant, *, started_ago: timedelta, hours: float = 8, clocked_in_after: timedelta | None = timedelta(0)):
    start = NOW - started_ago
    shift = factories.ShiftFactory(
        post=tenant.post, guard=tenant.guard, scheduled_start=start, scheduled_end=start + timedelta(hours=hours)
    )
    if clocked_in_after is not None:
        shift.clock_in_at = start + clocked_in_after
        shift.clock_in_location = geo.INSIDE_CENTER
        shift.status = ShiftStatus.IN_PROGRESS
        shift.save()
    return shift


def _trace(shift, points, *, every=timedelta(seconds=30), accuracy=8.0, is_mock=False):
    """Store breadcrumbs: `points` is a list of (east_m, north_m) from the shift's start on."""
    pings = [
        Ping(
            id=uuid.uuid4(),
            shift=shift,
            location=geo.point(east, north),
            accuracy_m=accuracy,
            is_mock=is_mock,
            recorded_at=shift.scheduled_start + index * every,
            received_at=NOW,
        )
        for index, (east, north) in enumerate(points)
    ]
    Ping.objects.bulk_create(pings)


def _open(shift, code):
    return Flag.objects.filter(shift=shift, code=code, status=FlagStatus.OPEN)


def _patrol(minutes: int, *, phase: float = 0.0):
    """A guard walking a loop inside the 200 m square: 30-second fixes for `minutes`."""
    return [(100 + 60 * math.cos(phase + i / 8), 100 + 60 * math.sin(phase + i / 8)) for i in range(minutes * 2)]


pytestmark = pytest.mark.django_db


def test_a_guard_who_leaves_for_40_minutes_mid_shift_is_out_of_position(tenant):
    # given an hour of patrol, 40 minutes 3 km away, then patrol again (it is now 2 h in)
    shift = _shift(tenant, started_ago=timedelta(hours=2))
    _trace(shift, [*_patrol(60), *[(3200, 100)] * 80, *_patrol(20, phase=1.0)])

    # when the monitor runs
    shifts_monitor(now=NOW)

    # then one out-of-position flag records the excursion; it closed when the guard came back
    flag = Flag.objects.get(shift=shift, code="OUT_OF_POSITION")
    assert flag.status == FlagStatus.RESOLVED
    assert 39 <= flag.evidence["minutes_outside"] <= 41
    assert "for 40 minutes until" in flag.message
    assert flag.resolved_at == shift.scheduled_start + timedelta(minutes=100)


def test_one_fix_snapping_back_on_site_does_not_split_an_absence_under_the_allowance(tenant):
    # given an hour of patrol, 20 minutes 1.1 km away with one fix in the middle back on
    # site (multipath), then patrol again (it is now 2 h in)
    shift = _shift(tenant, started_ago=timedelta(hours=2))
    away = [(1300, 100)] * 40
    away[20] = (100, 100)
    _trace(shift, [*_patrol(60), *away, *_patrol(40, phase=1.0)])

    # when the monitor runs
    shifts_monitor(now=NOW)

    # then it is one 20-minute absence, over the 15 allowed, not two of 10 minutes
    flag = Flag.objects.get(shift=shift, code="OUT_OF_POSITION")
    assert flag.evidence["minutes_outside"] == 20
    assert flag.evidence["left_at"] == (shift.scheduled_start + timedelta(minutes=60)).isoformat()


def test_an_ongoing_excursion_is_open_and_updated_not_raised_twice(tenant):
    shift = _shift(tenant, started_ago=timedelta(minutes=90))
    _trace(shift, [*_patrol(60), *[(3200, 100)] * 60])

    shifts_monitor(now=NOW)
    shifts_monitor(now=NOW + timedelta(minutes=1))

    flags = Flag.objects.filter(shift=shift, code="OUT_OF_POSITION")
    assert flags.count() == 1
    assert flags.get().status == FlagStatus.OPEN
    assert "has not come back" in flags.get().message


def test_a_phone_lying_still_for_two_hours_is_inactivity_until_it_moves(tenant):
    # given a phone on a car seat: 2 hours of fixes within a few metres
    shift = _shift(tenant, started_ago=timedelta(hours=2, minutes=1))
    _trace(shift, [(100 + (i % 3), 100 - (i % 2)) for i in range(240)])

    shifts_monitor(now=NOW)
    flag = _open(shift, "INACTIVITY").get()
    assert flag.evidence["minutes_still"] >= 119
    assert "has not moved more than 15 m" in flag.message

    # when the guard walks again, then the flag closes by itself
    later = shift.scheduled_start + timedelta(hours=2)
    Ping.objects.bulk_create(
        Ping(
            id=uuid.uuid4(),
            shift=shift,
            location=geo.point(100 + 10 * k, 40),
            accuracy_m=6,
            recorded_at=later + timedelta(seconds=30 * k),
            received_at=NOW,
        )
        for k in range(1, 6)
    )
    shifts_monitor(now=NOW + timedelta(minutes=3))
    assert not _open(shift, "INACTIVITY").exists()


def test_no_show_at_a_post_that_must_be_staffed_alerts_the_on_call_manager_once(
    tenant, other_tenant, django_capture_on_commit_callbacks
):
    tenant.post.must_be_staffed = True
    tenant.post.save()
    tenant.manager.email, tenant.manager.is_on_call = "dana@example.com", True
    tenant.manager.save()
    other_tenant.manager.email = "rival@example.com"
    other_tenant.manager.save()
    shift = _shift(tenant, started_ago=timedelta(minutes=20), clocked_in_after=None)

    with django_capture_on_commit_callbacks(execute=True):
        shifts_monitor(now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        shifts_monitor(now=NOW + timedelta(minutes=1))

    flag = _open(shift, "NO_SHOW").get()
    assert flag.severity == "critical"
    assert "This post must be staffed" in flag.message
    assert [m.to for m in mail.outbox] == [["dana@example.com"]]
    assert "No-show" in mail.outbox[0].subject
    assert FlagNotification.objects.filter(flag=flag, sent_at__isnull=False).count() == 1


def test_a_late_arrival_closes_the_no_show_and_raises_late_clock_in(tenant):
    shift = _shift(tenant, started_ago=timedelta(minutes=30), clocked_in_after=None)
    shifts_monitor(now=NOW)
    assert _open(shift, "NO_SHOW").exists()

    shift.clock_in_at, shift.status = NOW, ShiftStatus.IN_PROGRESS
    shift.save()
    shifts_monitor(now=NOW + timedelta(minutes=1))

    assert not _open(shift, "NO_SHOW").exists()
    late = _open(shift, "LATE_CLOCK_IN").get()
    assert late.evidence["minutes_late"] == 30
    assert "clocked in 30 minutes late" in late.message


def test_attendance_messages_show_the_sites_clock_and_the_evidence_keeps_utc(tenant):
    # given a New York site whose guard clocked in 30 minutes late
    assert tenant.site.timezone == "America/New_York"
    shift = _shift(tenant, started_ago=timedelta(minutes=30), clocked_in_after=timedelta(minutes=30))

    shifts_monitor(now=NOW)

    # then the sentence reads "(HH:MM EST, scheduled HH:MM EST)" on the New York clock
    late = _open(shift, "LATE_CLOCK_IN").get()
    new_york = ZoneInfo("America/New_York")
    clocked, scheduled = shift.clock_in_at.astimezone(new_york), shift.scheduled_start.astimezone(new_york)
    assert f"({clocked:%H:%M} {clocked.tzname()}, scheduled {scheduled:%H:%M} {scheduled.tzname()})" in late.message
    assert clocked.tzname() in {"EST", "EDT"}
    assert "UTC" not in late.message
    # and the evidence has the UTC instants
    assert late.evidence["clock_in_at"] == shift.clock_in_at.isoformat()
    assert late.evidence["scheduled_start"].endswith("+00:00")


def test_a_shift_that_ends_without_anyone_is_marked_missed(tenant):
    shift = _shift(tenant, started_ago=timedelta(hours=9), clocked_in_after=None)
    shifts_monitor(now=NOW)
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.MISSED


def test_missed_and_early_clock_out(tenant):
    forgot = _shift(tenant, started_ago=timedelta(hours=9))
    colleague = factories.GuardFactory(company=tenant.company)
    left_early = factories.ShiftFactory(
        post=tenant.post,
        guard=colleague,
        scheduled_start=NOW - timedelta(hours=8),
        scheduled_end=NOW,
        clock_in_at=NOW - timedelta(hours=8),
        clock_out_at=NOW - timedelta(hours=1),
        status=ShiftStatus.COMPLETED,
    )

    shifts_monitor(now=NOW)

    assert "has not clocked out" in _open(forgot, "MISSED_CLOCK_OUT").get().message
    assert _open(left_early, "EARLY_CLOCK_OUT").get().evidence["minutes_early"] == 60


def test_entering_a_restricted_zone_is_critical(tenant):
    factories.RestrictedZoneFactory(site=tenant.site, name="Server room", area=geo.RESTRICTED_NE)
    shift = _shift(tenant, started_ago=timedelta(minutes=30))
    _trace(shift, [*_patrol(20), *[(170, 170)] * 6, *_patrol(5)])

    shifts_monitor(now=NOW)

    flag = _open(shift, "RESTRICTED_ZONE").get()
    assert flag.severity == "critical"
    assert "Server room" in flag.message
    assert flag.evidence["fix_count"] == 6


def test_unacknowledged_post_orders_at_clock_in_are_flagged_until_acknowledged(tenant):
    order = factories.PostOrderFactory(post=tenant.post)
    shift = _shift(tenant, started_ago=timedelta(minutes=5))

    shifts_monitor(now=NOW)
    assert _open(shift, "POST_ORDERS_NOT_ACKNOWLEDGED").exists()

    order.acknowledgements.create(guard=tenant.guard, acknowledged_at=NOW)
    shifts_monitor(now=NOW + timedelta(minutes=1))
    assert not _open(shift, "POST_ORDERS_NOT_ACKNOWLEDGED").exists()


def test_tour_checkpoints_not_scanned_in_a_round_are_missed(tenant):
    tenant.post.tour_interval_minutes = 60
    tenant.post.save()
    gate = factories.CheckpointFactory(site=tenant.site, name="Gate")
    pool = factories.CheckpointFactory(site=tenant.site, name="Pool")
    shift = _shift(tenant, started_ago=timedelta(hours=2, minutes=30))
    for round_index in (0, 1):
        CheckpointScan.objects.create(
            id=uuid.uuid4(),
            checkpoint=gate,
            guard=tenant.guard,
            shift=shift,
            received_at=NOW,
            recorded_at=shift.clock_in_at + timedelta(minutes=60 * round_index + 10),
        )

    shifts_monitor(now=NOW)

    missed = _open(shift, "MISSED_CHECKPOINT")
    assert missed.count() == 2
    assert all(flag.evidence["checkpoint_id"] == pool.pk for flag in missed)


def test_mock_breadcrumbs_and_impossible_jumps_are_flagged(tenant):
    shift = _shift(tenant, started_ago=timedelta(minutes=20))
    _trace(shift, [*_patrol(5), (100, 100), (30000, 100), *_patrol(5)])
    spoofed = _shift(tenant, started_ago=timedelta(minutes=20))
    spoofed.guard = factories.GuardFactory(company=tenant.company)
    spoofed.save()
    _trace(spoofed, _patrol(10), is_mock=True)

    shifts_monitor(now=NOW)

    assert "km/h" in _open(shift, "IMPOSSIBLE_TRAVEL").first().message
    assert _open(spoofed, "MOCK_LOCATION").get().evidence["mock_fix_count"] == 20


def test_a_pass_reads_a_constant_number_of_queries(tenant, django_assert_max_num_queries):
    for index in range(12):
        guard = factories.GuardFactory(company=tenant.company)
        shift = factories.ShiftFactory(
            post=tenant.post,
            guard=guard,
            scheduled_start=NOW - timedelta(hours=1),
            scheduled_end=NOW + timedelta(hours=7),
            clock_in_at=NOW - timedelta(hours=1),
            status=ShiftStatus.IN_PROGRESS,
        )
        _trace(shift, _patrol(30, phase=index))
    with django_assert_max_num_queries(20):
        result = shifts_monitor(now=NOW)
    assert result.shifts == 12


# --- property: GPS jitter at the fence never makes a guard "out of position" --------------

FENCE = PreparedFence(shapely.from_wkb(bytes(geo.SITE_SQUARE.wkb)))
START = NOW - timedelta(hours=1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    offsets=st.lists(st.floats(min_value=-15, max_value=15, allow_nan=False), min_size=120, max_size=120),
    accuracy=st.floats(min_value=5, max_value=20),
)
def test_jitter_along_the_boundary_for_an_hour_never_raises_out_of_position(offsets, accuracy):
    # a guard standing at the east fence line for an hour, fixes every 30 s within ±15 m of it
    fixes = [
        Fix(START + timedelta(seconds=30 * i), *geo.at(200 + offset, 100), accuracy_m=accuracy)
        for i, offset in enumerate(offsets)
    ]
    timeline = presence_timeline(
        scheduled_start=START, scheduled_end=START + timedelta(hours=1), fixes=fixes, fence=FENCE
    )
    facts = ShiftFacts(
        now=START + timedelta(hours=1),
        guard_name="Sam",
        post_name="Gate",
        site_name="Site",
        must_be_staffed=False,
        scheduled_start=START,
        scheduled_end=START + timedelta(hours=8),
        status="in_progress",
        clock_in_at=START,
        clock_out_at=None,
        post_orders_version=None,
        post_orders_acknowledged=True,
        timeline=timeline,
        stillness=None,
        impossible_travel=(),
        mock_fixes=(),
        zone_visits=(),
        missed_checkpoints=(),
    )
    assert [f for f in SHIFT_RULES.run(facts, DEFAULTS).findings if f.code == "OUT_OF_POSITION"] == []


def test_fire_department_in_the_activity_log_without_a_report_is_critical_until_reported(tenant):
    # given the seed's story: the guard logs the fire department's visit but files no emergency report
    shift = _shift(tenant, started_ago=timedelta(hours=3))
    activity_record(
        guard=tenant.guard,
        data=ActivityData(
            id=uuid.uuid4(),
            shift_id=shift.pk,
            recorded_at=NOW - timedelta(hours=1),
            text="Tenant saw smoke coming from the dumpster; fire department responded, false alarm.",
        ),
    )
    activity_record(
        guard=tenant.guard,
        data=ActivityData(
            id=uuid.uuid4(), shift_id=shift.pk, recorded_at=NOW, text="Checked the boiler room, no sign of fire."
        ),
    )

    shifts_monitor(now=NOW)

    flag = _open(shift, "EMERGENCY_NOT_REPORTED").get()
    assert flag.severity == "critical"
    assert "fire responded" in flag.message
    # the sentence quoted is the one that says the service came
    assert "\u201cfire department responded, false alarm\u201d" in flag.message

    # when the guard files the report with its emergency section, the flag closes
    file_directly(
        shift,
        type_code="fire_alarm",
        emergency={"services": ["fire"], "called_at": NOW.isoformat(), "reference": "AFR-1187"},
    )
    shifts_monitor(now=NOW + timedelta(minutes=1))
    assert not _open(shift, "EMERGENCY_NOT_REPORTED").exists()

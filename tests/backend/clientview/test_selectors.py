"""A client's week and day as the portal reads them, from shifts, clock events, findings, scans and reports.

The reads take `now`, so each scenario is a fixed week: Monday 23 November 2026 in Atlanta
(EST, UTC-5), read on Wednesday the 25th at noon.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

import pytest

from backend.attendance.models import AttendanceResolution, ResolutionKind
from backend.clientview.selectors import posts_now, site_attendance_day, sites_overview
from backend.flags.models import FlagStatus
from backend.incidents.models import IncidentStatus
from backend.rules.findings import FlagCode
from backend.sites.models import Site
from backend.sites.scopes import scope_for
from backend.sites.services import client_contact_sites_set
from backend.staffing.models import ShiftStatus
from backend.tracking.models import CheckpointScan, ClockEvent, FenceState
from tests import factories, geo

pytestmark = pytest.mark.django_db

ATLANTA = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)  # Wed 12:00 EST
MONDAY = date(2026, 11, 23)


def est(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant of late November 2026 on Atlanta's clock (EST); hour 24 and on run into the next day."""
    return datetime(2026, 11, day, tzinfo=ATLANTA) + timedelta(hours=hour, minutes=minute)


def shift(post, guard, start, hours, *, status=ShiftStatus.COMPLETED, clock_in=None, clock_out=None):
    row = factories.ShiftFactory(
        post=post, guard=guard, scheduled_start=start, scheduled_end=start + timedelta(hours=hours)
    )
    row.status = status
    if status != ShiftStatus.SCHEDULED and status != ShiftStatus.MISSED:
        row.clock_in_at = row.clock_in_verified_at = clock_in or start
    if status == ShiftStatus.COMPLETED:
        row.clock_out_at = row.clock_out_verified_at = clock_out or row.scheduled_end
    if status == ShiftStatus.MISSED:
        row.marked_missed_at = start + timedelta(minutes=30)
    row.save()
    return row


def away(on, left, back, status=FlagStatus.RESOLVED):
    fields = {"resolved_at": back} if status == FlagStatus.RESOLVED else {}
    flag = factories.open_flag(
        shift=on,
        code=FlagCode.OUT_OF_POSITION,
        evidence={"left_at": left.isoformat(), "back_at": back.isoformat() if back else None},
        **fields,
    )
    if status != FlagStatus.OPEN:
        type(flag).objects.filter(pk=flag.pk).update(status=status, **({"resolved_at": back} if back else {}))
    return flag


@pytest.fixture
def week(tenant):
    """The gatehouse (no tour) and a patrol post with hourly rounds of two checkpoints, on one site."""
    site, guard = tenant.site, tenant.guard
    gate = tenant.post
    patrol = factories.PostFactory(site=site, name="Roving patrol", tour_interval_minutes=60)
    north, south = (factories.CheckpointFactory(site=site, name=n, location=geo.INSIDE_CENTER) for n in "NS")
    monday = shift(gate, guard, est(23, 7), 8)
    away(monday, est(23, 9), est(23, 10))  # an hour outside the fence
    tuesday = shift(gate, guard, est(24, 7), 8, clock_in=est(24, 7, 20))  # 20 minutes late
    night = shift(gate, guard, est(24, 19), 8, status=ShiftStatus.MISSED)  # a no-show
    wednesday = shift(patrol, guard, est(25, 7), 8, status=ShiftStatus.IN_PROGRESS)
    dismissed = away(wednesday, est(25, 8), est(25, 9), status=FlagStatus.RESOLVED)
    type(dismissed).objects.filter(pk=dismissed.pk).update(
        status=FlagStatus.DISMISSED, dismissed_at=NOW, dismissed_by=tenant.manager, dismissal_reason="gps_drift",
        resolved_at=None,
    )  # fmt: skip
    for checkpoint, minute in ((north, 10), (south, 40), (north, 70), (north, 130), (north, 190)):
        CheckpointScan.objects.create(
            id=uuid.uuid4(), checkpoint=checkpoint, guard=guard, shift=wednesday,
            recorded_at=est(25, 7) + timedelta(minutes=minute), received_at=NOW,
        )  # fmt: skip
    shift(gate, guard, est(22, 7), 8)  # Sunday: last week
    shift(gate, guard, est(25, 19), 12, status=ShiftStatus.SCHEDULED)  # tonight
    approved = factories.incident_report(shift=tuesday, occurred_at=est(24, 9))
    type(approved).objects.filter(pk=approved.pk).update(
        status=IncidentStatus.APPROVED, approved_at=NOW, approved_by=tenant.manager
    )
    factories.incident_report(shift=tuesday, occurred_at=est(24, 10))  # still with operations
    return {"monday": monday, "tuesday": tuesday, "night": night, "wednesday": wednesday, "patrol": patrol}


def test_a_sites_week_counts_time_on_post_shifts_late_no_shows_incidents_and_tours(tenant, other_tenant, week):
    # when the client's contact reads the week
    overview = sites_overview(scope=scope_for(tenant.client_contact), week_of=MONDAY + timedelta(days=2), now=NOW)

    # then only their own site is there
    assert [w.site.pk for w in overview.sites] == [tenant.site.pk]
    site_week = overview.sites[0]
    # 8 + 8 + 8 + 5 hours so far (Wednesday's shift is 5 hours in); on post 7 (an hour away) + 7:40 (late) + 0 + 5
    assert site_week.scheduled_seconds == 29 * 3600
    assert site_week.on_post_seconds == (7 * 60 + 7 * 60 + 40 + 5 * 60) * 60
    assert site_week.coverage_text == "67.8 %"
    assert site_week.coverage_judgement.word == "Below target"
    assert (site_week.shifts, site_week.completed, site_week.late, site_week.no_shows) == (4, 2, 1, 1)
    assert (site_week.incidents, site_week.incidents_in_review) == (1, 1)
    # rounds due 08:00 to 11:00 (noon's is not judged before 12:15): round 1 both, then the north one only
    assert (site_week.tour.done, site_week.tour.expected) == (5, 8)
    assert site_week.tour_text == "5 of 8 checkpoints scanned by Wed 11:00 EST"
    assert site_week.tour_judgement.word == "Below target"
    assert site_week.judgement.word == "Below target"
    lines = {line.post: line.text for line in site_week.posts_now}
    assert lines == {"Roving patrol": "on post since 07:00 EST", tenant.post.name: "next shift at 19:00 EST"}


def test_the_week_costs_the_same_queries_for_one_site_or_five(tenant, week, django_assert_max_num_queries):
    scope = scope_for(tenant.client_contact)
    with django_assert_max_num_queries(9):
        sites_overview(scope=scope, week_of=MONDAY, now=NOW)
    for index in range(4):
        site = factories.SiteFactory(client=tenant.client, name=f"More site {index}")
        post = factories.PostFactory(site=site, tour_interval_minutes=60)
        factories.CheckpointFactory(site=site)
        shift(post, tenant.guard, est(24, 7), 8)

    with django_assert_max_num_queries(9):
        overview = sites_overview(scope=scope, week_of=MONDAY, now=NOW)

    assert len(overview.sites) == 5


def test_a_contact_limited_to_one_site_reads_only_that_one(tenant, week):
    other = cast(Site, factories.SiteFactory(client=tenant.client, name="Not theirs"))
    contact = factories.ClientContactFactory(client=tenant.client)
    client_contact_sites_set(contact=contact, sites=[other], by=tenant.manager)

    overview = sites_overview(scope=scope_for(contact), week_of=MONDAY, now=NOW)

    assert [w.site.name for w in overview.sites] == ["Not theirs"]
    assert overview.sites[0].shifts == 0


def test_a_day_shows_each_shift_with_where_it_was_clocked_its_coverage_and_the_managers_correction(tenant, week):
    tuesday, night = week["tuesday"], week["night"]
    ClockEvent.objects.create(
        shift=tuesday, kind="in", recorded_at=est(24, 7, 20), received_at=est(24, 7, 20),
        fence=FenceState.NEAR, distance_m=12.4,
    )  # fmt: skip
    ClockEvent.objects.create(
        shift=tuesday, kind="out", recorded_at=est(24, 15), received_at=est(24, 15), fence=FenceState.INSIDE,
        distance_m=0,
    )  # fmt: skip
    late = factories.open_flag(shift=tuesday, code=FlagCode.LATE_CLOCK_IN)
    AttendanceResolution.objects.create(
        flag=late, shift=tuesday, kind=ResolutionKind.TIME_CORRECTED, reason="Gate badge reader was down",
        resolved_by=tenant.manager, corrected_clock_in_at=est(24, 7, 2),
    )  # fmt: skip

    day = site_attendance_day(scope=scope_for(tenant.client_contact), site=tenant.site, day=date(2026, 11, 24), now=NOW)

    by_id = {record.shift.pk: record for record in day.shifts}
    assert set(by_id) == {tuesday.pk, night.pk}
    record = by_id[tuesday.pk]
    assert record.late
    assert record.state == ("attention", "Late")
    assert record.clock_in_place.text == "near the fence (12 m out)"
    assert record.clock_out_place.text == "inside the fence"
    assert record.coverage_text == "95.8 %"  # 7:40 of 8 hours
    (correction,) = record.corrections
    assert correction.label == "Time corrected by operations"
    assert correction.reason == "Gate badge reader was down"
    assert correction.clock_in_at == est(24, 7, 2)
    # the night shift counts its five hours before midnight on Tuesday, and none of them was covered
    assert by_id[night.pk].no_show
    assert by_id[night.pk].scheduled_seconds == 5 * 3600
    assert day.posts_now == []  # not today


def test_a_relief_late_and_a_guard_late_read_as_such_on_the_posts_now(tenant):
    post = tenant.post
    on_post = shift(post, tenant.guard, NOW - timedelta(hours=8), 8, status=ShiftStatus.IN_PROGRESS)
    shift(post, factories.GuardFactory(company=tenant.company), on_post.scheduled_end - timedelta(minutes=10), 8,
          status=ShiftStatus.SCHEDULED)  # fmt: skip
    empty = factories.PostFactory(site=tenant.site, name="Loading dock")
    shift(empty, tenant.guard, NOW - timedelta(minutes=30), 8, status=ShiftStatus.SCHEDULED)

    lines = {
        line.post: line
        for line in posts_now(scope=scope_for(tenant.client_contact), site_ids=[tenant.site.pk], now=NOW)[
            tenant.site.pk
        ]
    }

    assert lines[post.name].text == "on post since 04:00 EST; relief late, expected 11:50 EST"
    assert lines[post.name].status == "attention"
    assert lines["Loading dock"].text == "guard late, expected 11:30 EST"
    assert lines["Loading dock"].status == "critical"

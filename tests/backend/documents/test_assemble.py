"""The assemblers read real rows into the PDFs' data: client-safe, on the site's clock, nothing internal."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backend.clientview.selectors import site_attendance_day
from backend.documents.assemble import (
    daily_activity_document,
    incident_report_document,
    monthly_summary_document,
    period_summary_document,
    report_reference,
)
from backend.documents.errors import IncidentNotApproved
from backend.flags.models import Flag
from backend.incidents.images import jpeg_metadata_blocks
from backend.incidents.models import IncidentReport
from backend.sites.models import Checkpoint
from backend.sites.scopes import scope_for
from backend.staffing.models import ShiftStatus
from reports import render_daily_activity, render_incident_report, render_monthly_summary
from reports.figures import hours_of
from tests import factories, geo
from tests.backend.documents import builders as b
from tests.reports.pdfread import flat, images, text

BASE = "https://guardops.example.com"
pytestmark = pytest.mark.django_db


# --- incident report ---------------------------------------------------------------------


def test_an_unapproved_or_archived_report_has_no_client_copy(tenant):
    shift = b.worked_shift(tenant, start=b.local(b.DAY, 7))
    submitted = b.report(shift, b.local(b.DAY, 10), "Gate left open.")
    with pytest.raises(IncidentNotApproved) as refused:
        incident_report_document(report=submitted)
    assert refused.value.code == "incident_not_approved"
    assert refused.value.status == 404

    archived = b.report(shift, b.local(b.DAY, 11), "Gate left open again.", approved_by=tenant.manager)
    IncidentReport.objects.filter(pk=archived.pk).update(archived_at=b.local(b.DAY, 20))
    archived.refresh_from_db()
    with pytest.raises(IncidentNotApproved):
        incident_report_document(report=archived)


def test_the_client_copy_shows_only_chosen_flags_and_photos_without_exif(tenant):
    # given an approved report with a photo carrying GPS EXIF, one flag shown to the client and one internal
    shift = b.worked_shift(tenant, start=b.local(b.DAY, 7))
    unit = factories.UnitFactory(site=tenant.site, label="Building B, Unit 203")
    report = b.report(
        shift,
        b.local(b.DAY, 23, 5),
        "Loud music from <b>Unit 203</b>.",
        approved_by=tenant.manager,
        unit=unit,
        persons=[{"name": "Jo Tenant", "role": "resident", "description": "Apologised", "phone": "+1 404 555 0100"}],
    )
    b.photo(report, b.jpeg_with_gps_exif())
    factories.open_flag(
        code="UNIT_LOCATION_MISMATCH", incident=report, message="Filed 40 m from the unit.", shown_to_client=True
    )
    factories.open_flag(code="MOCK_LOCATION", incident=report, message="Mock location app detected.")

    # when the client's copy is assembled and printed
    doc = incident_report_document(report=report)
    pdf = render_incident_report(doc, verify_base_url=BASE)

    # then it names the report, its times on the site's clock, who approved it, and only the chosen flag
    assert doc.report_id == report_reference(report.pk)
    assert doc.time_zone == "America/New_York"
    assert doc.approved_by == str(tenant.manager)
    assert [flag.message for flag in doc.flags] == ["Filed 40 m from the unit."]
    words = flat(text(pdf))
    assert "Filed 40 m from the unit." in words
    assert "Mock location" not in words
    assert "Wed 12 Nov 2025 23:05 EST" in words
    assert "Loud music from <b>Unit 203</b>." in words  # guard text printed as text
    assert "555 0100" not in words  # a person's phone number is not on the client's copy
    # and the photo is in, with no EXIF (no GPS, no device serial)
    assert doc.map is not None
    assert doc.map.position is not None
    assert doc.map.unit is not None
    embedded = images(pdf)
    assert len(embedded) == 1
    assert b"Exif" not in embedded[0].data
    assert jpeg_metadata_blocks(embedded[0].data) == []
    assert b"SERIAL-XYZ" not in pdf


# --- daily activity report ---------------------------------------------------------------


def test_the_dar_is_the_sites_local_day_with_actual_times_and_corrections(tenant):
    # given a day shift clocked in at 07:03:17 and a night shift whose late clock-in a manager corrected
    day_shift = b.worked_shift(tenant, start=b.local(b.DAY, 7), late_s=197)
    night_guard = factories.GuardFactory(company=tenant.company, first_name="Nia", last_name="Night")
    night = b.worked_shift(tenant, start=b.local(b.DAY, 19), late_s=1500, guard=night_guard)
    b.time_correction(
        night,
        tenant.manager,
        clock_in_at=b.local(b.DAY, 19, 1),
        reason="Phone battery died; the supervisor saw her arrive.",
    )
    checkpoints = [factories.CheckpointFactory(site=tenant.site, name=name) for name in ("Gate", "Pool")]
    b.scan(day_shift, checkpoints[0], b.local(b.DAY, 9))
    b.scan(day_shift, checkpoints[1], b.local(b.DAY, 9, 10))
    b.activity(day_shift, b.local(b.DAY - timedelta(days=1), 23, 30), "Before the day: not this DAR.")
    b.activity(day_shift, b.local(b.DAY, 8), "Gate checked, all clear.")
    b.activity(night, b.local(b.DAY, 23, 30), "Building C doors locked.")  # 04:30 UTC the next day
    b.activity(night, b.local(b.DAY + timedelta(days=1), 0, 30), "After midnight: tomorrow's DAR.")
    b.report(day_shift, b.local(b.DAY, 10), "Approved: a car parked at the hydrant.", approved_by=tenant.manager)
    b.report(day_shift, b.local(b.DAY, 11), "Under review: not for the client.")
    b.acknowledge(tenant, b.local(b.DAY, 6, 55))
    other_site_shift = factories.ShiftFactory(
        post=factories.PostFactory(site=factories.SiteFactory(client=tenant.client)), scheduled_start=b.local(b.DAY, 7)
    )
    b.activity(other_site_shift, b.local(b.DAY, 12), "Another site's line.")

    # when the DAR is assembled and printed
    doc = daily_activity_document(site=tenant.site, day=b.DAY)
    pdf = render_daily_activity(doc, verify_base_url=BASE)

    # then it holds the local day's entries only, actual times to the second, and the correction with its reason
    assert doc.time_zone == "America/New_York"
    assert [entry.text for entry in doc.activity] == ["Gate checked, all clear.", "Building C doors locked."]
    assert [guard.arrived_at for guard in doc.guards] == [day_shift.clock_in_at, night.clock_in_at]
    assert "the supervisor saw her arrive" in doc.guards[1].note
    assert "Clock-in inside the fence" in doc.guards[0].note
    assert [line.summary for line in doc.incidents] == ["Approved: a car parked at the hydrant."]
    assert [line.kind for line in doc.exceptions] == ["Late arrival"]
    assert doc.coverage.shifts_scheduled == 2
    assert doc.coverage.shifts_covered == 2
    assert len(doc.acknowledgements) == 1
    assert doc.tour_track == (((geo.INSIDE_CENTER.x, geo.INSIDE_CENTER.y),) * 2,)
    words = flat(text(pdf))
    for expected in (
        "07:03:17",
        "Building C doors locked.",
        "All 2 checkpoints scanned",
        "1 incident",
        "Time corrected by",
        "19:01 EST",
    ):
        assert expected in words, expected
    assert "Under review" not in words
    assert "Another site" not in words
    assert "tomorrow's DAR" not in words


def test_a_quiet_day_says_so_positively(tenant):
    Checkpoint.objects.all().delete()
    doc = daily_activity_document(site=tenant.site, day=b.DAY)
    words = flat(text(render_daily_activity(doc, verify_base_url=BASE)))
    assert "No shifts were scheduled on this site for the day." in words
    assert "no incidents; no exceptions" in words


# --- monthly summary ---------------------------------------------------------------------


def test_the_monthly_summary_counts_in_sql_and_keeps_internal_flags_out(tenant):
    # given November: a worked shift (25 min late), a no-show, and one shift in December
    late = b.worked_shift(tenant, start=b.local(date(2025, 11, 3), 7), late_s=1500)
    no_show = factories.ShiftFactory(
        post=tenant.post,
        guard=tenant.guard,
        scheduled_start=b.local(date(2025, 11, 4), 7),
        scheduled_end=b.local(date(2025, 11, 4), 19),
        status=ShiftStatus.MISSED,
        marked_missed_at=b.local(date(2025, 11, 4), 8),
    )
    b.worked_shift(tenant, start=b.local(date(2025, 12, 1), 7))
    # flags: an attendance one (shown), an integrity check (internal), a dismissed false positive (left out)
    factories.open_flag(code="LATE_CLOCK_IN", shift=late, raised_at=late.scheduled_start + timedelta(minutes=6))
    factories.open_flag(code="MOCK_LOCATION", shift=late, raised_at=late.scheduled_start)
    factories.open_flag(
        code="NO_SHOW",
        shift=no_show,
        raised_at=no_show.scheduled_start,
        status="dismissed",
        dismissed_at=no_show.scheduled_end,
        dismissed_by=tenant.manager,
        dismissal_reason="known_exception",
    )
    report = b.report(late, b.local(date(2025, 11, 3), 9), "Trespasser asked to leave.", approved_by=tenant.manager)
    factories.open_flag(code="OUTSIDE_GEOFENCE", incident=report, shown_to_client=True, raised_at=report.occurred_at)
    factories.open_flag(code="LOW_ACCURACY", incident=report, raised_at=report.occurred_at)

    # when November's summary is assembled
    doc = monthly_summary_document(client=tenant.client, month=date(2025, 11, 17))

    # then the shifts are November's, each with its verified seconds computed by the database
    assert (doc.period_start, doc.period_end) == (date(2025, 11, 1), date(2025, 11, 30))
    assert [(s.scheduled_start, s.verified_seconds) for s in doc.shifts] == [
        (late.scheduled_start, 12 * 3600 - 1500),
        (no_show.scheduled_start, 0),
    ]
    assert {flag.label for flag in doc.flags} == {"Late clock-in", "Outside the site's geofence"}
    assert [line.summary for line in doc.incidents] == ["Trespasser asked to leave."]
    pdf = render_monthly_summary(doc, verify_base_url=BASE)
    words = flat(text(pdf))
    assert "Monthly summary — November 2025" in words
    assert "Mock" not in words
    assert "GPS accuracy too low" not in words
    assert Flag.objects.count() == 5


def test_a_summary_of_the_month_still_running_counts_only_shifts_whose_time_is_over(tenant):
    # given this month: a shift worked yesterday, one in progress now and one later today, not clocked in yet
    now = timezone.now()
    yesterday = now.astimezone(ZoneInfo(tenant.site.timezone)).date() - timedelta(days=1)
    worked = b.worked_shift(tenant, start=b.local(yesterday, 7))
    b.worked_shift(tenant, start=now - timedelta(hours=2))
    factories.ShiftFactory(
        post=tenant.post, guard=tenant.guard, scheduled_start=now + timedelta(hours=3),
        scheduled_end=now + timedelta(hours=11),
    )  # fmt: skip

    # when the summary of the period up to today is assembled
    doc = period_summary_document(client=tenant.client, first=yesterday, last=yesterday + timedelta(days=1))

    # then only yesterday's shift counts: nothing is a no-show before its time
    assert [s.scheduled_start for s in doc.shifts] == [worked.scheduled_start]
    assert hours_of(doc.shifts, timedelta(minutes=10)).no_show == 0


def test_the_dar_summary_and_portal_count_the_same_time_on_post(tenant):
    # given a 12-hour shift worked on time, with an hour outside the fence the monitoring pass found
    day = date(2025, 11, 5)
    shift = b.worked_shift(tenant, start=b.local(day, 7))
    factories.open_flag(
        shift=shift,
        code="OUT_OF_POSITION",
        evidence={"left_at": b.local(day, 10).isoformat(), "back_at": b.local(day, 11).isoformat()},
        status="resolved",
        resolved_at=b.local(day, 11),
    )

    # when the DAR, the month's summary and the portal's attendance page count the day
    dar = daily_activity_document(site=tenant.site, day=day)
    summary = monthly_summary_document(client=tenant.client, month=day, site=tenant.site)
    portal_day = site_attendance_day(scope=scope_for(tenant.client_contact), site=tenant.site, day=day,
                                     now=timezone.now())  # fmt: skip

    # then each shows 11 of 12 hours on post
    assert dar.coverage.on_post_ratio == pytest.approx(11 / 12)
    assert [line.verified_seconds for line in summary.shifts] == [11 * 3600]
    assert portal_day.coverage == pytest.approx(11 / 12)


def test_todays_dar_counts_the_schedule_so_far(tenant):
    # given a shift clocked in on time four hours ago, due to run eight more
    now = timezone.now()
    start = now - timedelta(hours=4)
    factories.ShiftFactory(
        post=tenant.post, guard=tenant.guard, scheduled_start=start, scheduled_end=start + timedelta(hours=12),
        status=ShiftStatus.IN_PROGRESS, clock_in_at=start, clock_in_verified_at=start,
    )  # fmt: skip

    # when today's DAR is assembled
    doc = daily_activity_document(site=tenant.site, day=now.astimezone(ZoneInfo(tenant.site.timezone)).date())

    # then the time so far is all on post, not a third of the shift
    assert doc.coverage.on_post_ratio == pytest.approx(1.0, abs=0.01)

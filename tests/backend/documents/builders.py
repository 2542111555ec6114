"""A site's real day in the database (fixed dates, site in America/New_York), for the document tests."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from PIL import Image

from backend.attendance.models import AttendanceResolution, ResolutionKind
from backend.flags.models import Flag
from backend.incidents.models import IncidentPhoto, IncidentReport, IncidentStatus
from backend.staffing.models import PostOrder, PostOrderAcknowledgement, Shift, ShiftStatus
from backend.tracking.models import ActivityEntry, CheckpointScan, ClockEvent, FenceState
from tests import factories, geo

ZONE = ZoneInfo("America/New_York")
DAY = date(2025, 11, 12)  # a Wednesday, EST (UTC-5)


def local(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """An aware UTC instant from the site's wall clock."""
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=ZONE).astimezone(UTC)


def worked_shift(tenant: Any, *, start: datetime, hours: int = 12, late_s: int = 0, guard=None, **fields) -> Shift:
    """A completed shift clocked in `late_s` seconds after its start and out on time, with its clock events."""
    end = start + timedelta(hours=hours)
    clock_in, clock_out = start + timedelta(seconds=late_s), end + timedelta(seconds=65)
    shift = factories.ShiftFactory(
        post=tenant.post,
        guard=guard or tenant.guard,
        scheduled_start=start,
        scheduled_end=end,
        status=ShiftStatus.COMPLETED,
        clock_in_at=clock_in,
        clock_in_verified_at=clock_in,
        clock_out_at=clock_out,
        clock_out_verified_at=clock_out,
        **fields,
    )
    for kind, moment in (("in", clock_in), ("out", clock_out)):
        ClockEvent.objects.create(
            shift=shift,
            kind=kind,
            location=geo.INSIDE_CENTER,
            accuracy_m=8,
            recorded_at=moment,
            received_at=moment,
            fence=FenceState.INSIDE,
            distance_m=0,
        )
    return cast(Shift, shift)


def activity(shift: Shift, at: datetime, text: str) -> ActivityEntry:
    return ActivityEntry.objects.create(id=uuid.uuid4(), shift=shift, text=text, recorded_at=at, received_at=at)


def scan(shift: Shift, checkpoint, at: datetime) -> CheckpointScan:
    return CheckpointScan.objects.create(
        id=uuid.uuid4(),
        checkpoint=checkpoint,
        guard=shift.guard,
        shift=shift,
        recorded_at=at,
        received_at=at,
        location=checkpoint.location,
    )


def approve(report: IncidentReport, by, at: datetime) -> IncidentReport:
    IncidentReport.objects.filter(pk=report.pk).update(status=IncidentStatus.APPROVED, approved_at=at, approved_by=by)
    report.refresh_from_db()
    return report


def report(shift: Shift, at: datetime, narrative: str, *, approved_by=None, **fields) -> IncidentReport:
    made = factories.incident_report(
        shift=shift,
        occurred_at=at,
        recorded_at=at,
        received_at=at + timedelta(minutes=9),
        narrative=narrative,
        location=geo.INSIDE_CENTER,
        accuracy_m=12.0,
        **fields,
    )
    return approve(made, approved_by, at + timedelta(hours=2)) if approved_by is not None else made


def jpeg_with_gps_exif(size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A phone-like JPEG carrying GPS and a device serial in its EXIF."""
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (33.0, 46.0, 48.0), 3: "W", 4: (84.0, 23.0, 17.0)}
    exif[0x010F] = "PhoneMaker"
    exif[0xA431] = "SERIAL-XYZ-123456"
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "JPEG", quality=85, exif=exif)
    return out.getvalue()


def photo(report: IncidentReport, data: bytes) -> IncidentPhoto:
    return IncidentPhoto.objects.create(
        id=uuid.uuid4(),
        report=report,
        original=ContentFile(data, name="original.jpg"),
        display=ContentFile(data, name="display.jpg"),
        thumbnail=ContentFile(data, name="thumbnail.jpg"),
        sha256=uuid.uuid4().hex * 2,
        content_type="image/jpeg",
        size_bytes=len(data),
    )


def time_correction(shift: Shift, by, *, clock_in_at: datetime, reason: str) -> AttendanceResolution:
    flag = factories.open_flag(code="LATE_CLOCK_IN", shift=shift, raised_at=shift.scheduled_start)
    Flag.objects.filter(pk=flag.pk).update(status="resolved", resolved_at=shift.scheduled_end, resolved_by=by)
    return AttendanceResolution.objects.create(
        flag=flag,
        shift=shift,
        kind=ResolutionKind.TIME_CORRECTED,
        reason=reason,
        resolved_by=by,
        corrected_clock_in_at=clock_in_at,
    )


def acknowledge(tenant: Any, at: datetime) -> PostOrderAcknowledgement:
    order = PostOrder.objects.create(post=tenant.post, version=3, title="Standing orders", body="-", published_at=at)
    return PostOrderAcknowledgement.objects.create(post_order=order, guard=tenant.guard, acknowledged_at=at)

"""The client portal's demo for `client1` (Riverbend Residential): approved reports worth reading, a
flag operations chose to show, a photo without its GPS, and two concerns — one answered, one waiting.

Everything goes through the services (incident_submit and incident_approve, incident_photo_add,
flag_client_visibility_set, concern_raise and concern_answer), so the demo shows what they do.
Report ids derive from the shift and the questions are found by their text, so a re-seed
replays instead of adding. (The month of daily reports and the summary are documents_demo's.)
"""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from backend.accounts.models import Role, User
from backend.calls.concern_models import Concern, ConcernSubject
from backend.calls.concerns import ConcernAbout, concern_answer, concern_raise
from backend.demo import geometry as g
from backend.flags.models import Flag, FlagStatus
from backend.flags.services import flag_client_visibility_set
from backend.incidents.models import IncidentStatus
from backend.incidents.services import (
    IncidentContent,
    NewIncident,
    incident_approve,
    incident_photo_add,
    incident_submit,
)
from backend.rules.findings import FlagCode
from backend.sites.models import Site
from backend.staffing.models import Shift, ShiftStatus
from geofence.fixes import Fix

PORTAL_CONTACT = "client1"
# The findings a manager would show a client on their copy: what the report says happened.
SHOWN_CODES = (FlagCode.EMERGENCY_NOT_REPORTED, FlagCode.EMERGENCY_DETAILS_MISSING)
# EXIF tags a phone writes: the GPS position and the camera body's serial (the portal's copy has neither).
_GPS_IFD, _EXIF_IFD, _BODY_SERIAL, _MAKE = 0x8825, 0x8769, 0xA431, 0x010F


@dataclass(frozen=True)
class PortalReport:
    key: str
    type_code: str
    hours_into_shift: int
    narrative: str
    location_detail: str
    photo: bool = False


PORTAL_REPORTS = (
    PortalReport(
        "portal-alarm",
        "fire_alarm",
        7,
        "The fire alarm panel in the clubhouse sounded. I checked the clubhouse and the pool room: no smoke and no "
        "fire. The fire department arrived fifteen minutes later, checked the panel and reset it; they said a "
        "kitchen sensor is faulty and the manager should call the alarm company.",
        "Clubhouse, kitchen",
    ),
    PortalReport(
        "portal-leak",
        "maintenance_hazard",
        10,
        "On my round I found water pooling under the laundry room door in Building A and spreading into the hallway. "
        "I put out wet-floor signs, shut the water valve in the laundry room and left a message on the maintenance "
        "emergency line. The hallway carpet outside unit 102 is wet.",
        "Building A laundry room",
        photo=True,
    ),
)
ANSWERED_QUESTION = "The gate camera shows nobody in the gatehouse around 02:40 — was the guard on a round?"
WAITING_QUESTION = "Has maintenance been out to the Building A laundry room yet? Residents are asking."


def _phone_photo() -> bytes:
    """A photo as a phone takes it: pixels, plus its GPS position and serial in EXIF."""
    image = Image.new("RGB", (640, 480), (90, 110, 130))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 330, 640, 480), fill=(60, 80, 110))
    draw.text((24, 24), "Building A laundry room", fill=(255, 255, 255))
    exif = Image.Exif()
    exif[_MAKE] = "Demo phone"
    exif[_GPS_IFD] = {1: "N", 2: (33.0, 50.0, 18.6), 3: "W", 4: (84.0, 25.0, 34.3)}
    exif[_EXIF_IFD] = {_BODY_SERIAL: "DEMO-SERIAL-0001"}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=85)
    return out.getvalue()


def _report(spec: PortalReport, shift: Shift, manager: User) -> uuid.UUID:
    """File the report as its guard, add its photo, approve it and show the flags a client should see."""
    assert shift.clock_in_at is not None  # noqa: S101 - completed shifts were clocked in
    site = shift.post.site
    centre: Point = site.geofence.point_on_surface
    where = g.point(centre.x, centre.y, 0, 0)
    occurred_at = shift.clock_in_at + timedelta(hours=spec.hours_into_shift)
    content = IncidentContent(
        type_code=spec.type_code,
        occurred_at=occurred_at,
        narrative=spec.narrative,
        location_detail=spec.location_detail,
        position=Fix(recorded_at=occurred_at, lon=where.x, lat=where.y, accuracy_m=7.0),
    )
    # The text is in the id: a demo whose wording changed files its new report instead of replaying a
    # different body under the old id (which the service refuses as a conflict).
    wording = hashlib.sha256(spec.narrative.encode()).hexdigest()[:12]
    report_id = uuid.uuid5(uuid.NAMESPACE_URL, f"guardops-demo-portal:{shift.pk}:{spec.key}:{wording}")
    report = incident_submit(
        guard=shift.guard, data=NewIncident(id=report_id, shift_id=shift.pk, content=content)
    ).report
    if report.status == IncidentStatus.SUBMITTED:
        if spec.photo:
            incident_photo_add(
                guard=shift.guard,
                report_id=report.pk,
                upload=SimpleUploadedFile("laundry.jpg", _phone_photo(), content_type="image/jpeg"),
                photo_id=uuid.uuid5(report_id, "photo"),
            )
        incident_approve(report=report, by=manager, note="Checked with the guard.", confirm_open_critical=True)
    for flag in Flag.objects.filter(incident=report, code__in=SHOWN_CODES).exclude(status=FlagStatus.DISMISSED):
        flag_client_visibility_set(flag=flag, by=manager, shown=True)
    return report.pk


def portal_demo(*, manager: User, now: datetime) -> None:
    """Approved reports (a flag shown, a clean photo) and two concerns for client1's sites."""
    contact = User.objects.filter(username=PORTAL_CONTACT, role=Role.CLIENT_CONTACT, company=manager.company).first()
    if contact is None or contact.client_id is None:
        return
    site = Site.objects.filter(client_id=contact.client_id).order_by("pk").first()
    if site is None:
        return
    shifts = list(
        Shift.objects.filter(post__site=site, status=ShiftStatus.COMPLETED, scheduled_end__lte=now)
        .select_related("post__site", "guard")
        .order_by("-scheduled_end", "pk")[: len(PORTAL_REPORTS) + 1]
    )
    if len(shifts) <= len(PORTAL_REPORTS):
        return
    reports = [_report(spec, shift, manager) for spec, shift in zip(PORTAL_REPORTS, shifts[1:], strict=False)]
    asked = set(Concern.objects.filter(raised_by=contact).values_list("call__caller_words", flat=True))
    if ANSWERED_QUESTION not in asked:
        night = shifts[0]
        concern = concern_raise(
            contact=contact,
            about=ConcernAbout(kind=ConcernSubject.SHIFT, site_id=site.pk, shift_id=night.pk),
            text=ANSWERED_QUESTION,
            now=now - timedelta(hours=3),
        )
        concern_answer(
            call=concern.call,
            by=manager,
            text=f"Yes: {night.guard.get_full_name()} was on the 02:30 round of the buildings and back in the "
            "gatehouse at 02:47; every checkpoint of that round was scanned. We have asked the night guards to "
            "put the 'on patrol' sign in the gatehouse window whenever they step out.",
        )
    if WAITING_QUESTION not in asked and len(reports) > 1:
        concern_raise(
            contact=contact,
            about=ConcernAbout(kind=ConcernSubject.REPORT, site_id=site.pk, incident_id=reports[1]),
            text=WAITING_QUESTION,
            now=now - timedelta(minutes=40),
        )

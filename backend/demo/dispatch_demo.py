"""Demo service requests, one in each state, on the site of the guard who is on shift now.

Made through the dispatch services (so the gate, the timeline and the flags are the real
ones). Each is found again by its demo note, so a re-seed adds nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.contrib.gis.geos import Point
from django.utils import timezone

from backend.accounts.models import Company, Role, User
from backend.dispatch import services as dispatch
from backend.dispatch.models import CallbackOutcome, ServiceRequest, SiteDispatchPolicy, Source
from backend.staffing.models import ShiftStatus
from backend.staffing.selectors import shifts_in_progress
from geofence.fixes import Fix

# (demo note, kind, priority, source, how far it goes)
DEMO_REQUESTS = (
    ("Demo: portal request waiting for triage", "patrol_check", "P3", Source.PORTAL, "new"),
    ("Demo: lockout, callback went to voicemail", "lockout", "P2", Source.PHONE, "callback_pending"),
    ("Demo: escort called back, ready to send", "escort", "P2", Source.PHONE, "ready"),
    ("Demo: alarm response sent, not accepted yet", "alarm_response", "P1", Source.PHONE, "dispatched"),
    ("Demo: patrol check accepted, guard on the way", "patrol_check", "P2", Source.PHONE, "accepted"),
    ("Demo: lockout on scene, second callback pending", "lockout", "P2", Source.PHONE, "arrived"),
    ("Demo: escort completed", "escort", "P3", Source.PHONE, "completed"),
    ("Demo: lockout cancelled, resident found the key", "lockout", "P3", Source.PHONE, "cancelled"),
)
STEPS = ("new", "callback_pending", "ready", "dispatched", "accepted", "arrived", "completed")


def dispatch_demo(*, company: Company, guards: list[User], manager: User, now: datetime) -> None:
    shift = (
        shifts_in_progress(company=company, at=now)
        .filter(guard__in=guards, status=ShiftStatus.IN_PROGRESS)
        .select_related("guard", "post__site__client")
        .first()
    )
    if shift is None:
        return
    site = shift.post.site
    contact = User.objects.filter(client=site.client, role=Role.CLIENT_CONTACT).order_by("username").first()
    if contact is None:
        return
    if not contact.phone:
        contact.phone = site.client.phone or "+1 404 555 0142"
        contact.save(update_fields=["phone"])
    # The double callback at this site: the "arrived" request waits on the guard's call from the scene.
    SiteDispatchPolicy.objects.get_or_create(site=site)
    centre: Point = site.geofence.point_on_surface
    for note, kind, priority, source, goal in DEMO_REQUESTS:
        if ServiceRequest.objects.filter(site=site, notes=note).exists():
            continue
        data = dispatch.NewServiceRequest(
            site=site, kind=kind, priority=priority, source=source, location_text="Front gate",
            requester_contact=contact, callback_number=contact.phone, notes=note,
        )  # fmt: skip
        request = dispatch.service_request_create(by=manager, data=data)
        if goal == "cancelled":
            dispatch.service_request_cancel(request=request, by=manager, reason="Resident found the key.")
            continue
        reach = STEPS.index(goal)
        if reach >= STEPS.index("callback_pending"):
            dispatch.service_request_callback_log(
                request=request, by=manager, number_dialled=contact.phone, outcome=CallbackOutcome.VOICEMAIL
            )
        if reach >= STEPS.index("ready"):
            dispatch.service_request_callback_log(
                request=request, by=manager, number_dialled=contact.phone, outcome=CallbackOutcome.REACHED
            )
        if reach >= STEPS.index("dispatched"):
            dispatch.service_request_dispatch(request=request, by=manager, shift=shift, now=now)
        if reach >= STEPS.index("accepted"):
            dispatch.dispatch_accept(guard=shift.guard, request_id=request.pk)
        if reach >= STEPS.index("arrived"):
            fix = Fix(recorded_at=timezone.now(), lon=centre.x, lat=centre.y, accuracy_m=8.0)
            dispatch.dispatch_arrive(guard=shift.guard, request_id=request.pk, position=fix)
        if reach >= STEPS.index("completed"):
            call = dispatch.GuardCallback(
                id=uuid.uuid4(), number_dialled=contact.phone, outcome=CallbackOutcome.REACHED, at=timezone.now()
            )
            dispatch.dispatch_callback(guard=shift.guard, request_id=request.pk, data=call)
            dispatch.dispatch_complete(
                guard=shift.guard, request_id=request.pk, note="Walked the resident to their car."
            )

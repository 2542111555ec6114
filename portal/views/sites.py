"""The portal's home: each of the contact's sites this week, and one site's verified attendance for a day."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from backend.clientview.selectors import (
    client_site_get,
    client_time_zone,
    site_attendance_day,
    sites_overview,
)
from backend.core.localtime import to_local
from portal.access import PortalRequest, portal_view
from portal.forms import DayForm, WeekForm


@portal_view
@require_GET
def home(request: PortalRequest) -> HttpResponse:
    """Coverage, shifts, late and no-shows, incidents and tours per site, worded and coloured."""
    now = timezone.now()
    form = WeekForm(request.GET or None)
    week_of, status = form.chosen(today=to_local(now, client_time_zone(scope=request.scope)).date())
    overview = sites_overview(scope=request.scope, week_of=week_of, now=now)
    return render(request, "portal/home.html", {"form": form, "overview": overview}, status=status)


@portal_view
@require_GET
def attendance(request: PortalRequest, site_id: int) -> HttpResponse:
    """Each shift of one day at one site: scheduled, clocked in and out (and where), on post, corrected."""
    site = client_site_get(scope=request.scope, site_id=site_id)
    now = timezone.now()
    form = DayForm(request.GET or None)
    day, status = form.chosen(today=to_local(now, site.timezone).date())
    record = site_attendance_day(scope=request.scope, site=site, day=day, now=now)
    context = {"form": form, "record": record, "site": site, "zone": site.timezone}
    return render(request, "portal/attendance.html", context, status=status)

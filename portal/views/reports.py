"""Approved incident reports: the list (filters in the URL, keyset pages), one report, its clean photos."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from backend.clientview.reports import (
    client_photo_get,
    client_report_get,
    client_reports_page,
    report_types_for_client,
)
from backend.clientview.selectors import client_sites, client_time_zone
from backend.core.errors import NotFound
from backend.incidents.selectors import PHOTO_DISPLAY, PHOTO_THUMBNAIL
from backend.incidents.views import incident_photo
from portal.access import PortalRequest, portal_view
from portal.forms import ReportFilterForm


@portal_view
@require_GET
def report_list(request: PortalRequest) -> HttpResponse:
    """The approved reports of the contact's sites, newest first; htmx swaps only the rows."""
    scope = request.scope
    form = ReportFilterForm(
        request.GET or None, sites=client_sites(scope=scope), types=report_types_for_client(scope=scope)
    )
    zone_name = client_time_zone(scope=scope)
    status = 422 if form.is_bound and not form.is_valid() else 200
    after = request.GET.get("after", "")
    page = client_reports_page(scope=scope, filters=form.filters(zone_name), after=after)
    query = request.GET.copy()
    query.pop("after", None)
    context = {"form": form, "page": page, "zone": zone_name, "query": query.urlencode(), "paged": bool(after)}
    template = (
        "portal/reports/list.html#rows" if request.htmx and not request.htmx.boosted else "portal/reports/list.html"
    )
    return render(request, template, context, status=status)


@portal_view
@require_GET
def report_detail(request: PortalRequest, report_id: uuid.UUID) -> HttpResponse:
    report = client_report_get(scope=request.scope, report_id=report_id)
    return render(request, "portal/reports/report.html", {"item": report, "zone": report.zone})


@portal_view
@require_GET
def report_photo(request: PortalRequest, report_id: uuid.UUID, photo_id: uuid.UUID, variant: str) -> HttpResponseBase:
    """A photo's display copy or thumbnail: re-encoded pixels only (no EXIF, GPS or serial); the original never."""
    if variant not in (PHOTO_DISPLAY, PHOTO_THUMBNAIL):
        raise NotFound("No such photo.")
    photo = client_photo_get(scope=request.scope, report_id=report_id, photo_id=photo_id)
    return incident_photo(request, photo.pk, variant)

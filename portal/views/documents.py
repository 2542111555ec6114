"""Daily activity reports and monthly summaries as pages, PDFs of them (and of reports), and the verify page.

The pages are rendered from the same data as the PDFs (`backend.documents.assemble`), so
what a contact reads here is what they forward. A PDF is asked for with a POST: it is
made by a Celery worker, the page shows its progress (htmx polling the document's status,
or a refresh without JavaScript) and then offers the download. `/portal/verify/<hash>` is
public: anyone holding a PDF can check that GuardOps issued it, when, and for what period.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backend.calls.concern_models import ConcernSubject
from backend.calls.concerns import ConcernAbout
from backend.clientview.dar import dar_entry, dar_sections
from backend.clientview.errors import DayOutOfRange
from backend.clientview.reports import client_report_get
from backend.clientview.selectors import client_site_get, client_sites, client_time_zone, day_in_range
from backend.core.errors import ApplicationError, NotFound
from backend.core.http import surface_response
from backend.core.localtime import to_local
from backend.documents.assemble import client_time_zone as document_zone
from backend.documents.assemble import daily_activity_document, month_bounds, period_summary_document
from backend.documents.delivery import delivery_preference_update
from backend.documents.http import pdf_response
from backend.documents.models import DocumentKind, GeneratedDocument
from backend.documents.selectors import (
    deliveries_for_contact,
    delivery_preference_for,
    delivery_preference_sites,
    document_for_contact,
    document_verification,
)
from backend.documents.services import document_request
from backend.sites.models import Site
from portal.access import PortalRequest, portal_view
from portal.forms import DeliveryForm, SummaryForm, refusal_on_form
from portal.views.concerns import ask
from reports.figures import summarise
from reports.pdf.daily import day_summary

SUMMARY_MONTHS = 12
SUMMARY_REACH = timedelta(days=3653)
"""How far back a summary may be asked for (older periods are not kept, and year 1 overflows a datetime)."""


def _site_today(site: Site) -> date:
    return to_local(timezone.now(), site.timezone).date()


def _dar_day(site: Site, day: date) -> date:
    return day_in_range(day=day, today=_site_today(site), field_name="day")


# --- Daily activity reports ------------------------------------------------------------------------


@portal_view
@require_GET
def dar(request: PortalRequest, site_id: int, day: date) -> HttpResponse:
    """One site's day: coverage, guards on duty, activity, incidents, exceptions, scans; each line askable."""
    site = client_site_get(scope=request.scope, site_id=site_id)
    day = _dar_day(site, day)
    doc = daily_activity_document(site=site, day=day)
    context = {
        "site": site,
        "day": day,
        "doc": doc,
        "summary": day_summary(doc),
        "sections": dar_sections(doc),
        "zone": site.timezone,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1) if day < _site_today(site) else None,
    }
    return render(request, "portal/documents/dar.html", context)


@portal_view
@require_http_methods(["GET", "POST"])
def dar_ask(request: PortalRequest, site_id: int, day: date) -> HttpResponse:
    """Ask about one line of the DAR (`?line=activity-3`): the line is quoted on the concern as it reads now."""
    site = client_site_get(scope=request.scope, site_id=site_id)
    day = _dar_day(site, day)
    key = request.POST.get("line") or request.GET.get("line") or ""
    entry = dar_entry(daily_activity_document(site=site, day=day), key)
    about = ConcernAbout(kind=ConcernSubject.DAR_LINE, site_id=site.pk, day=day, entry=entry)
    return ask(request, about=about, entry=entry, context={"line_key": key, "zone": site.timezone})


@portal_view
@require_POST
def dar_pdf(request: PortalRequest, site_id: int, day: date) -> HttpResponse:
    site = client_site_get(scope=request.scope, site_id=site_id)
    day = _dar_day(site, day)
    document = document_request(
        kind=DocumentKind.DAILY_ACTIVITY,
        client=site.client,
        site=site,
        period_start=day,
        period_end=day,
        requested_by=request.user,
    )
    return _started(request, document)


# --- Incident report PDFs -----------------------------------------------------------------------------


@portal_view
@require_POST
def report_pdf(request: PortalRequest, report_id: uuid.UUID) -> HttpResponse:
    item = client_report_get(scope=request.scope, report_id=report_id)
    site = item.report.shift.post.site
    document = document_request(
        kind=DocumentKind.INCIDENT, client=site.client, incident=item.report, requested_by=request.user
    )
    return _started(request, document)


# --- Monthly summaries -------------------------------------------------------------------------------


def _months(today: date) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(SUMMARY_MONTHS):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return months


@portal_view
@require_GET
def summaries(request: PortalRequest) -> HttpResponse:
    """The last twelve months, each a link to its summary (for every site, or one)."""
    today = to_local(timezone.now(), client_time_zone(scope=request.scope)).date()
    context = {
        "months": _months(today),
        "sites": list(client_sites(scope=request.scope)),
        "client_wide": request.scope.site_ids is None,
    }
    return render(request, "portal/documents/summaries.html", context)


def _summary_scope(request: PortalRequest, month: date) -> tuple[SummaryForm, Site | None, date, date, int]:
    """The form, the site (None: every site), the period (this month: up to today) and the status to answer.

    A contact limited to some sites reads one site's summary at a time (the client's covers the others).
    """
    sites = client_sites(scope=request.scope)
    client_wide = request.scope.site_ids is None
    form = SummaryForm(request.POST or request.GET or None, sites=sites, client_wide=client_wide)
    status = 422 if form.is_bound and not form.is_valid() else 200
    site = form.chosen_site()
    if site is None and not client_wide:
        site = sites.first()
        if site is None:
            raise NotFound("No sites are shared with you.")
    first, last = month_bounds(month)
    today = to_local(timezone.now(), site.timezone if site is not None else client_time_zone(scope=request.scope))
    if first > today.date():
        raise DayOutOfRange("That month has not started yet.", field="month")
    if first < today.date() - SUMMARY_REACH:
        raise DayOutOfRange("Summaries go back ten years.", field="month")
    return form, site, first, min(last, today.date()), status


@portal_view
@require_GET
def summary(request: PortalRequest, month: date) -> HttpResponse:
    """A month (so far) for every site of the client, or one: hours, punctuality, incidents, tours, concerns."""
    form, site, first, last, status = _summary_scope(request, month)
    client = request.user.client
    if client is None:
        raise NotFound("No client.")
    doc = period_summary_document(client=client, first=first, last=last, site=site)
    figures = summarise(doc)
    context: dict[str, Any] = {
        "form": form,
        "site": site,
        "month": first,
        "last": last,
        "doc": doc,
        "figures": figures,
        # Counters as lists: a template's `counts.items` would look up a key "items" (and a Counter answers 0).
        "flag_rows": [(label, sorted(counts.items())) for label, counts in figures.flags_by_label.items()],
        "zone": doc.time_zone,
    }
    return render(request, "portal/documents/summary.html", context, status=status)


@portal_view
@require_POST
def summary_pdf(request: PortalRequest, month: date) -> HttpResponse:
    _, site, first, last, status = _summary_scope(request, month)
    if status != 200:
        raise NotFound("No such site of yours.")  # the only input is the site: someone else's
    client = request.user.client
    if client is None:
        raise NotFound("No client.")
    document = document_request(
        kind=DocumentKind.MONTHLY_SITE if site is not None else DocumentKind.MONTHLY_CLIENT,
        client=client,
        site=site,
        period_start=first,
        period_end=last,
        requested_by=request.user,
    )
    return _started(request, document)


# --- A document: its progress, its bytes ---------------------------------------------------------------


def _started(request: PortalRequest, document: GeneratedDocument) -> HttpResponse:
    """After a PDF was asked for: htmx swaps in the progress (which polls itself); otherwise its page."""
    if request.htmx:
        return render(request, "portal/documents/document.html#progress", {"document": document})
    return redirect("portal:document", document_id=document.pk)


@portal_view
@require_GET
def document_status(request: PortalRequest, document_id: int) -> HttpResponse:
    """How far the PDF is (queued, rendering N %, ready, failed); htmx asks for the fragment every second."""
    document = document_for_contact(contact=request.user, document_id=document_id)
    template = "portal/documents/document.html#progress" if request.htmx else "portal/documents/document.html"
    return render(request, template, {"document": document})


@portal_view
@require_GET
def document_download(request: PortalRequest, document_id: int) -> HttpResponseBase:
    document = document_for_contact(contact=request.user, document_id=document_id)
    return pdf_response(document=document)


@require_GET
def verify(request: HttpRequest, content_hash: str) -> HttpResponseBase:
    """Public: whether GuardOps issued a PDF with this fingerprint, when, of what kind and period. Nothing else."""
    document = document_verification(content_hash=content_hash)
    zone_name = None
    if document is not None:
        zone_name = document.site.timezone if document.site is not None else document_zone(document.client)
    context = {"document": document, "content_hash": content_hash[:64], "zone": zone_name}
    return surface_response(render(request, "portal/documents/verify.html", context, status=200 if document else 404))


# --- Delivery preferences ------------------------------------------------------------------------------


@portal_view
@require_http_methods(["GET", "POST"])
def preferences(request: PortalRequest) -> HttpResponse:
    """Which reports are e-mailed to the contact, for which sites, how often; and what was sent."""
    preference = delivery_preference_for(contact=request.user)
    sites = client_sites(scope=request.scope)
    initial = {
        "daily_reports": preference.daily_reports,
        "incident_reports": preference.incident_reports,
        "monthly_summary": preference.monthly_summary,
        "email_enabled": preference.email_enabled,
        "site_ids": delivery_preference_sites(preference=preference),
    }
    form = DeliveryForm(request.POST if request.method == "POST" else None, sites=sites, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                delivery_preference_update(
                    contact=request.user,
                    daily_reports=data["daily_reports"],
                    incident_reports=data["incident_reports"],
                    monthly_summary=data["monthly_summary"],
                    email_enabled=data["email_enabled"],
                    site_ids=[site.pk for site in data["site_ids"]],
                )
            except ApplicationError as error:
                status = refusal_on_form(form, error)
            else:
                messages.success(request, "Your delivery preferences are saved.")
                return redirect("portal:preferences")
    context = {"form": form, "deliveries": list(deliveries_for_contact(contact=request.user, limit=30))}
    return render(request, "portal/documents/preferences.html", context, status=status)

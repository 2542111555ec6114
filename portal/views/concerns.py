"""Raising a concern on a shift or a report ("ask about this entry"), the contact's concerns and their threads."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from backend.calls.concern_models import ConcernSubject
from backend.calls.concerns import (
    ConcernAbout,
    concern_get_visible,
    concern_raise,
    concern_reply,
    concern_status,
    concern_thread,
    concerns_visible,
)
from backend.clientview.reports import client_report_get
from backend.clientview.selectors import shift_get_for_client
from backend.core.errors import ApplicationError
from portal.access import PortalRequest, portal_view
from portal.forms import QuestionForm, ReplyForm, refusal_on_form

CONCERNS_SHOWN = 100


def ask(request: PortalRequest, *, about: ConcernAbout, entry: str, context: dict[str, Any]) -> HttpResponse:
    """The question form about one entry (GET), and raising the concern (POST): the thread is next."""
    form = QuestionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                concern = concern_raise(contact=request.user, about=about, text=form.cleaned_data["text"])
            except ApplicationError as error:
                status = refusal_on_form(form, error)
            else:
                messages.success(request, "Your question is with operations. Their answer will appear here.")
                return redirect("portal:concern", concern_id=concern.pk)
    return render(request, "portal/concerns/ask.html", {"form": form, "entry": entry, **context}, status=status)


@portal_view
@require_http_methods(["GET", "POST"])
def ask_about_shift(request: PortalRequest, shift_id: int) -> HttpResponse:
    shift = shift_get_for_client(scope=request.scope, shift_id=shift_id)
    about = ConcernAbout(kind=ConcernSubject.SHIFT, site_id=shift.post.site_id, shift_id=shift.pk)
    context = {"shift": shift, "zone": shift.post.site.timezone}
    return ask(request, about=about, entry=f"{shift.post.site.name} · {shift.post.name}", context=context)


@portal_view
@require_http_methods(["GET", "POST"])
def ask_about_report(request: PortalRequest, report_id: uuid.UUID) -> HttpResponse:
    item = client_report_get(scope=request.scope, report_id=report_id)
    report = item.report
    about = ConcernAbout(kind=ConcernSubject.REPORT, site_id=report.shift.post.site_id, incident_id=report.pk)
    context = {"report": report, "zone": item.zone}
    return ask(request, about=about, entry=f"{report.type.name} at {report.shift.post.site.name}", context=context)


@portal_view
@require_GET
def concern_list(request: PortalRequest) -> HttpResponse:
    concerns = list(concerns_visible(scope=request.scope)[:CONCERNS_SHOWN])
    rows = [(concern, concern_status(concern=concern, call=concern.call)) for concern in concerns]
    return render(request, "portal/concerns/list.html", {"rows": rows, "limit": CONCERNS_SHOWN})


def _thread_page(request: PortalRequest, concern_id: int, form: ReplyForm, status: int = 200) -> HttpResponse:
    concern = concern_get_visible(scope=request.scope, concern_id=concern_id)
    call = concern.call
    context = {
        "concern": concern,
        "call": call,
        "thread": concern_thread(concern=concern),
        "state": concern_status(concern=concern, call=call),
        "form": form,
        "zone": call.site.timezone if call.site is not None else "UTC",
    }
    template = "portal/concerns/thread.html#thread" if request.htmx else "portal/concerns/thread.html"
    return render(request, template, context, status=status)


@portal_view
@require_GET
def concern_detail(request: PortalRequest, concern_id: int) -> HttpResponse:
    """The thread; while it waits for an answer, htmx refreshes it every few seconds."""
    return _thread_page(request, concern_id, ReplyForm())


@portal_view
@require_POST
def concern_reply_view(request: PortalRequest, concern_id: int) -> HttpResponse:
    concern = concern_get_visible(scope=request.scope, concern_id=concern_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _thread_page(request, concern_id, form, status=422)
    try:
        concern_reply(concern=concern, contact=request.user, text=form.cleaned_data["text"])
    except ApplicationError as error:
        return _thread_page(request, concern_id, form, status=refusal_on_form(form, error))
    messages.success(request, "Added to the concern.")
    return redirect("portal:concern", concern_id=concern.pk)

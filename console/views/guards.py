"""The guards' pages (/console/guards): shifts, flags, acknowledgements, qualifications and recording them.

Qualifications are company-level records: the company's managers record and correct
them; a site supervisor reads them (the forms are not shown, a POST is 403 `managers_only`).
A correction is a new record that supersedes the old one, never an edit.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from backend.accounts.models import Role, User
from backend.attendance.figures import guard_attendance_figures
from backend.attendance.models import ResolutionKind
from backend.attendance.qualifications import guard_qualification_correct, guard_qualification_record
from backend.core.errors import ApplicationError, NotFound, PermissionDenied
from backend.flags.models import FlagStatus
from backend.flags.selectors import flags_visible
from backend.staffing.models import GuardQualification
from backend.staffing.selectors import (
    guard_get_visible,
    guard_qualification_get,
    guards_visible,
    post_order_acknowledgements_visible,
    qualification_warnings_for_guard,
    qualifications_of_guard,
    shifts_visible,
)
from console import navigation
from console.access import ConsoleRequest, console_view
from console.forms import HeldCorrectionForm, HeldQualificationForm, refusal_on_form, scan_bytes

navigation.register(label="Guards", url_name="console:guards", order=50)


def manages(request: ConsoleRequest) -> bool:
    """Whether the viewer keeps the company-level records (a manager, or GuardOps staff)."""
    return request.scope.role != Role.SUPERVISOR


MANAGERS_ONLY = "Only the company's managers can change this."


@console_view
def guards(request: ConsoleRequest) -> HttpResponse:
    return render(request, "console/attendance/guards.html", {"guards": guards_visible(scope=request.scope)})


def _guard_page(request: ConsoleRequest, guard: User, form: HeldQualificationForm | None, status: int) -> HttpResponse:
    now = timezone.now()
    shifts = list(
        shifts_visible(scope=request.scope, ends_after=now - timedelta(days=30))
        .filter(guard=guard)
        .order_by("-scheduled_start")[:100]
    )
    flags = list(flags_visible(scope=request.scope).filter(shift__guard=guard)[:100])
    context: dict[str, Any] = {
        "guard": guard,
        "shifts": shifts,
        "flags": [f for f in flags if f.status != FlagStatus.DISMISSED],
        "dismissed": [f for f in flags if f.status == FlagStatus.DISMISSED],
        "acknowledgements": list(post_order_acknowledgements_visible(scope=request.scope, guard=guard)[:50]),
        "qualifications": list(qualifications_of_guard(guard=guard)),
        "superseded": list(qualifications_of_guard(guard=guard, superseded=True)[:50]),
        "warnings": qualification_warnings_for_guard(guard=guard, now=now),
        "figures": guard_attendance_figures(scope=request.scope, guard=guard, now=now),
        "today": timezone.localdate(),
        "resolution_kinds": ResolutionKind,
        "manages": manages(request),
        "record_form": form if form is not None else HeldQualificationForm(scope=request.scope, prefix="held"),
    }
    return render(request, "console/attendance/guard.html", context, status=status)


@console_view
def guard_detail(request: ConsoleRequest, guard_id: int) -> HttpResponse:
    """The guard's shifts, flags (open and dismissed), acknowledgements, qualifications, 30-day figures."""
    guard = guard_get_visible(scope=request.scope, guard_id=guard_id)
    return _guard_page(request, guard, None, 200)


@console_view
@require_POST
def guard_qualification_add(request: ConsoleRequest, guard_id: int) -> HttpResponse:
    """Record a qualification the guard holds; a refusal comes back as errors on the guard page's form."""
    guard = guard_get_visible(scope=request.scope, guard_id=guard_id)
    form = HeldQualificationForm(request.POST, request.FILES, scope=request.scope, prefix="held")
    if not form.is_valid():
        return _guard_page(request, guard, form, 422)
    data = form.cleaned_data
    try:
        held = guard_qualification_record(
            by=request.user,
            guard=guard,
            qualification=data["qualification"],
            issued_on=data["issued_on"],
            expires_on=data["expires_on"],
            certificate=scan_bytes(data["certificate"]),
        )
    except ApplicationError as error:
        return _guard_page(request, guard, form, refusal_on_form(form, error))
    messages.success(request, f"{held.qualification.name} recorded for {guard.get_full_name() or guard}.")
    return redirect(reverse("console:guard", args=[guard.pk]))


def _correction_page(
    request: ConsoleRequest, guard: User, held: GuardQualification, form: HeldCorrectionForm, status: int = 200
) -> HttpResponse:
    context = {"guard": guard, "held": held, "form": form}
    return render(request, "console/guards/correct_qualification.html", context, status=status)


@console_view
@require_http_methods(["GET", "POST"])
def guard_qualification_correct_view(request: ConsoleRequest, guard_id: int, held_id: int) -> HttpResponse:
    """GET: the correction form, filled with the record; POST: a new record superseding it."""
    guard = guard_get_visible(scope=request.scope, guard_id=guard_id)
    held = guard_qualification_get(guard=guard, held_id=held_id)
    if not manages(request):
        raise PermissionDenied(MANAGERS_ONLY, code="managers_only")
    if request.method == "GET":
        initial = {"qualification": held.qualification_id, "issued_on": held.issued_on, "expires_on": held.expires_on}
        return _correction_page(request, guard, held, HeldCorrectionForm(scope=request.scope, initial=initial))
    form = HeldCorrectionForm(request.POST, request.FILES, scope=request.scope)
    if not form.is_valid():
        return _correction_page(request, guard, held, form, 422)
    data = form.cleaned_data
    try:
        guard_qualification_correct(
            by=request.user,
            held=held,
            note=data["note"],
            qualification=data["qualification"],
            issued_on=data["issued_on"],
            expires_on=data["expires_on"],
            certificate=scan_bytes(data["certificate"]),
        )
    except ApplicationError as error:
        return _correction_page(request, guard, held, form, refusal_on_form(form, error))
    messages.success(request, "Corrected; the earlier record is kept beside it.")
    return redirect(reverse("console:guard", args=[guard.pk]))


@console_view
def guard_certificate(request: ConsoleRequest, guard_id: int, held_id: int) -> HttpResponse:
    """A certificate scan, only through the guard the viewer may see (re-encoded pixels, no metadata)."""
    guard = guard_get_visible(scope=request.scope, guard_id=guard_id)
    held = guard_qualification_get(guard=guard, held_id=held_id)
    if not held.certificate:
        raise NotFound("No such certificate.")
    with held.certificate.open("rb") as scan:
        # A display copy of a page (a few hundred KB): read whole, like the console's other answers.
        body = scan.read()
    return HttpResponse(
        body, content_type="image/jpeg", headers={"X-Content-Type-Options": "nosniff", "Content-Disposition": "inline"}
    )

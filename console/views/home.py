"""The console's home: what needs a person now, counted on the viewer's sites."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render

from backend.core.querysets import counts_by
from backend.flags.models import FlagStatus
from backend.flags.selectors import flags_visible
from backend.incidents.models import IncidentStatus
from backend.incidents.selectors import incident_reports_visible
from backend.rules.findings import Severity
from backend.staffing.models import ShiftStatus
from backend.staffing.selectors import shifts_visible
from console import navigation
from console.access import ConsoleRequest, console_view

navigation.register(label="Today", url_name="console:today", order=0)

SEVERITY_STATUS = {Severity.CRITICAL: "critical", Severity.WARNING: "attention", Severity.INFO: "info"}


@console_view
def index(request: ConsoleRequest) -> HttpResponse:
    """The console opens on the review queue: that is where a manager's day starts."""
    return redirect("console:reports")


@console_view
def home(request: ConsoleRequest) -> HttpResponse:
    """Open flags by severity, reports waiting for review, shifts in progress: three queries."""
    scope = request.scope
    open_flags = counts_by(flags_visible(scope=scope, status=FlagStatus.OPEN), "severity")
    flag_counts = [
        {"label": severity.label, "status": SEVERITY_STATUS[severity], "count": open_flags.get(severity.value, 0)}
        for severity in (Severity.CRITICAL, Severity.WARNING, Severity.INFO)
    ]
    context = {
        "flag_counts": flag_counts,
        "reports_to_review": incident_reports_visible(scope=scope, status=IncidentStatus.SUBMITTED).order_by().count(),
        "shifts_in_progress": shifts_visible(scope=scope, status=ShiftStatus.IN_PROGRESS).order_by().count(),
    }
    template = "console/home.html#counts" if request.htmx else "console/home.html"
    return render(request, template, context)

"""The review queue (/console/reports), the report page and the reviewer's actions on it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from backend.accounts.models import Company, Role, User
from backend.core.errors import ApplicationError, ValidationFailed
from backend.core.localtime import to_local, zone
from backend.flags.evidence import evidence_lines
from backend.flags.models import DismissalReason, Flag, FlagStatus
from backend.flags.selectors import flag_get_visible
from backend.flags.services import flag_dismiss, flags_client_visibility_set
from backend.incidents.errors import OpenCriticalFlags
from backend.incidents.models import IncidentReport, IncidentStatus, IncidentType
from backend.incidents.selectors import (
    REVIEW_PAGE_SIZE,
    ReviewCursor,
    ReviewQueueFilters,
    ReviewTabCounts,
    flag_rule_health,
    incident_report_get_visible,
    incident_reports_visible,
    incident_review_actions,
    incident_review_flags,
    incident_review_map,
    incident_review_queue,
    incident_review_tab_counts,
    incident_revision_changes,
)
from backend.incidents.services import (
    incident_approve,
    incident_return_for_correction,
    incident_reviewer_edit,
    incidents_approve_unflagged,
)
from backend.rules.findings import FlagCode, Severity
from backend.sites.models import Unit
from backend.sites.scopes import Scope
from backend.sites.selectors import sites_visible
from console import navigation
from console.access import ConsoleRequest, console_view

navigation.register(label="Reviews", url_name="console:reports", order=10)

SEVERITY_STATUS = {Severity.CRITICAL: "critical", Severity.WARNING: "attention", Severity.INFO: "info"}
PAGE_SIZE = REVIEW_PAGE_SIZE
REPORT_STATUS = {IncidentStatus.SUBMITTED: "attention", IncidentStatus.RETURNED: "info", IncidentStatus.APPROVED: "ok"}


# --- The queue -----------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string (bookmarkable; the back button works)."""

    status = forms.ChoiceField(choices=[("", "Any status"), *IncidentStatus.choices], required=False)
    flags = forms.ChoiceField(
        choices=[("", "Flagged or not"), ("open", "Has open flags"), ("none", "No open flags")],
        required=False,
        label="Open flags",
    )
    flag_code = forms.ChoiceField(choices=[("", "Any flag"), *FlagCode.choices], required=False, label="Flag")
    severity = forms.ChoiceField(choices=[("", "Any severity"), *Severity.choices], required=False)
    # Choices are loaded eagerly in __init__ (three queries on every page, rendered or not) and
    # validated against what was loaded, so a filtered page costs no extra lookup per filter.
    client = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    site = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    guard = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    type = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    occurred_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    occurred_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(required=False, max_length=200, label="Narrative contains")

    def __init__(self, data: QueryDict, *, scope: Scope) -> None:
        super().__init__(data)
        sites = list(sites_visible(scope=scope).defer("geofence"))  # with their clients, by client name
        clients = {site.client_id: site.client.name for site in sites}
        company_id = scope.company_id or -1
        guards = User.objects.filter(company_id=company_id, role=Role.GUARD).order_by(
            "last_name", "first_name", "username"
        )
        types = IncidentType.objects.filter(company_id=company_id).order_by("name")
        fields: dict[str, Any] = self.fields
        fields["client"].choices = [("", "Any client"), *clients.items()]
        fields["site"].choices = [("", "Any site"), *((site.pk, site.name) for site in sites)]
        fields["guard"].choices = [
            ("", "Any guard"),
            *((guard.pk, guard.get_full_name() or guard.username) for guard in guards),
        ]
        fields["type"].choices = [("", "Any type"), *types.values_list("pk", "name")]

    def filters(self, zone_name: str) -> ReviewQueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        flags = data.get("flags") or ""
        return ReviewQueueFilters(
            status=data.get("status") or None,
            has_open_flags={"open": True, "none": False}.get(flags),
            flag_code=data.get("flag_code") or None,
            severity=data.get("severity") or None,
            client_id=data.get("client"),
            site_id=data.get("site"),
            guard_id=data.get("guard"),
            type_id=data.get("type"),
            occurred_from=_day_start(data.get("occurred_from"), zone_name),
            occurred_before=_day_start(data["occurred_to"] + timedelta(days=1), zone_name)
            if data.get("occurred_to")
            else None,
            text=(data.get("q") or "").strip() or None,
        )


def _day_start(day: Any, zone_name: str) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time.min, tzinfo=zone(zone_name))


def _company_zone(request: ConsoleRequest) -> str:
    company: Company | None = request.user.company
    return company.timezone if company is not None else "UTC"


def _query_without(params: QueryDict, *names: str) -> str:
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


@console_view
@require_GET
def queue(request: ConsoleRequest) -> HttpResponse:
    """The queue: filters from the URL, one keyset page, the tab counts; htmx swaps the table only."""
    zone_name = _company_zone(request)
    form = QueueFilterForm(request.GET, scope=request.scope)
    cursor = ReviewCursor.decode(request.GET.get("after", ""))
    page = incident_review_queue(
        scope=request.scope, filters=form.filters(zone_name), after=cursor, page_size=PAGE_SIZE
    )
    tabs = incident_review_tab_counts(scope=request.scope, today_starts_at=today_starts_at(zone_name))
    filters_query = _query_without(request.GET, "after")
    next_url = None
    if page.next_cursor is not None:
        params = request.GET.copy()
        params["after"] = page.next_cursor.encode()
        next_url = f"{reverse('console:reports')}?{params.urlencode()}"
    context = queue_context(
        request,
        form=form,
        reports=page.reports,
        tabs=tabs,
        next_url=next_url,
        first_url=f"{reverse('console:reports')}?{filters_query}" if cursor is not None else None,
    )
    template = "console/reviews/queue.html#table" if request.htmx else "console/reviews/queue.html"
    return render(request, template, context)


def queue_context(
    request: ConsoleRequest,
    *,
    form: QueueFilterForm,
    reports: list[IncidentReport],
    tabs: ReviewTabCounts,
    next_url: str | None,
    first_url: str | None,
) -> dict[str, Any]:
    """What the queue's template shows for one page of reports (open flags prefetched)."""
    rows: list[dict[str, Any]] = [
        {
            "report": report,
            "zone": report.shift.post.site.timezone,
            "status": REPORT_STATUS.get(IncidentStatus(report.status), "muted"),
            "flags": [
                {"flag": flag, "status": SEVERITY_STATUS.get(Severity(flag.severity), "info")}
                for flag in getattr(report, "open_flags", [])
            ],
        }
        for report in reports
    ]
    return {
        "form": form,
        "rows": rows,
        "tabs": tabs,
        "next_url": next_url,
        "first_url": first_url,
        "unflagged_ids": [
            row["report"].pk for row in rows if row["report"].status == IncidentStatus.SUBMITTED and not row["flags"]
        ],
        "return_to": request.get_full_path(),
    }


def today_starts_at(zone_name: str) -> datetime:
    today = to_local(timezone.now(), zone_name).date()
    return datetime.combine(today, time.min, tzinfo=zone(zone_name))


@console_view
@require_POST
def bulk_approve(request: ConsoleRequest) -> HttpResponse:
    """Approves the reports of the page the manager saw that have no open flags (one service)."""
    ids: list[uuid.UUID] = []
    for value in request.POST.getlist("report"):
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    reports = list(incident_reports_visible(scope=request.scope, status=IncidentStatus.SUBMITTED).filter(pk__in=ids))
    outcome = incidents_approve_unflagged(reports=reports, by=request.user)
    messages.success(request, f"Approved {len(outcome.approved)} report(s); {outcome.skipped} left for review.")
    return redirect(_safe_return(request.POST.get("return_to", "")))


def _safe_return(path: str) -> str:
    return path if path.startswith("/console/reports") else reverse("console:reports")


# --- The report page -------------------------------------------------------------------------


class ApproveForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note (optional)")
    confirm_open_critical = forms.BooleanField(required=False, label="Approve over the open critical flags")


class ClientFlagsForm(forms.Form):
    """Which of the report's flags the client sees on their copy (the portal and its PDFs); the rest stay internal."""

    shown = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Shown to the client"
    )

    def __init__(self, *args: Any, flags: list[Flag], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "client")
        super().__init__(*args, **kwargs)
        self.flags = [flag for flag in flags if flag.status != FlagStatus.DISMISSED and flag.code != FlagCode.PANIC]
        field: Any = self.fields["shown"]
        field.choices = [(flag.pk, f"{flag.get_code_display()}: {flag.message}") for flag in self.flags]
        field.initial = [flag.pk for flag in self.flags if flag.shown_to_client]

    def shown_ids(self) -> set[int]:
        return set(self.cleaned_data.get("shown") or []) if self.is_valid() else set()


class ReturnForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What must the guard correct?")


class DismissForm(forms.Form):
    reason = forms.ChoiceField(choices=DismissalReason.choices)
    note = forms.CharField(required=False, widget=forms.TextInput(), label="Note")


class EditForm(forms.Form):
    location_detail = forms.CharField(required=False, max_length=500, label="Where on site")
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, empty_label="(unchanged)")
    note = forms.CharField(max_length=500, label="Why (kept with the revision)")

    def __init__(self, *args: Any, report: IncidentReport, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"location_detail": report.location_detail, "unit": report.unit_id})
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["unit"].queryset = Unit.objects.filter(site_id=report.shift.post.site_id).order_by("label")


def _report_context(request: ConsoleRequest, report: IncidentReport, **forms_and_errors: Any) -> dict[str, Any]:
    zone_name = report.shift.post.site.timezone
    review_flags = incident_review_flags(report=report)
    flags: list[dict[str, Any]] = [
        {
            "flag": flag,
            "status": SEVERITY_STATUS.get(Severity(flag.severity), "info"),
            "evidence": evidence_lines(flag.evidence or {}, zone_name),
            "form": forms_and_errors.pop(f"dismiss_{flag.pk}", None) or DismissForm(prefix=f"flag{flag.pk}"),
        }
        for flag in review_flags
    ]
    context: dict[str, Any] = {
        "report": report,
        "zone": zone_name,
        "status": REPORT_STATUS.get(IncidentStatus(report.status), "muted"),
        "flags": flags,
        "revisions": incident_revision_changes(report=report),
        "actions": incident_review_actions(report=report),
        "map_features": incident_review_map(report=report),
        "tiles_url": _tiles_url(),
        "approve_form": ApproveForm(),
        "client_flags_form": ClientFlagsForm(flags=review_flags),
        "return_form": ReturnForm(),
        "edit_form": EditForm(report=report),
        "confirm_critical": None,
        "action_error": None,
        "can_decide": report.status == IncidentStatus.SUBMITTED,
    }
    context.update(forms_and_errors)
    return context


def _tiles_url() -> str:
    return str(settings.MAP_TILES_URL)


def _render_report(request: ConsoleRequest, report: IncidentReport, status: int = 200, **extra: Any) -> HttpResponse:
    return render(request, "console/reviews/report.html", _report_context(request, report, **extra), status=status)


@console_view
@require_GET
def report_detail(request: ConsoleRequest, report_id: uuid.UUID) -> HttpResponse:
    report = incident_report_get_visible(scope=request.scope, report_id=report_id)
    return _render_report(request, report)


def _refused(request: ConsoleRequest, report: IncidentReport, error: ApplicationError, **bound: Any) -> HttpResponse:
    """A service said no (another manager was first, a field is missing): say so on the page."""
    if isinstance(error, ValidationFailed) and error.field:
        for form in bound.values():
            if isinstance(form, forms.Form) and error.field in form.fields:
                form.add_error(error.field, error.message)
                return _render_report(request, report, status=error.status, **bound)
    fresh = incident_report_get_visible(scope=request.scope, report_id=report.pk)
    return _render_report(request, fresh, status=error.status, action_error=error.message, **bound)


@console_view
@require_POST
def report_approve(request: ConsoleRequest, report_id: uuid.UUID) -> HttpResponse:
    report = incident_report_get_visible(scope=request.scope, report_id=report_id)
    form = ApproveForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    shown = ClientFlagsForm(request.POST, flags=incident_review_flags(report=report))
    try:
        # One decision: the approval and the flags ticked for the client's copy commit together.
        with transaction.atomic():
            incident_approve(
                report=report,
                by=request.user,
                note=data.get("note", ""),
                confirm_open_critical=bool(data.get("confirm_open_critical")),
            )
            ticked = shown.shown_ids()
            flags_client_visibility_set(
                flags=[flag for flag in shown.flags if flag.pk in ticked], by=request.user, shown_ids=ticked
            )
    except OpenCriticalFlags as open_critical:
        confirm = ApproveForm(initial={"confirm_open_critical": True, "note": data.get("note", "")})
        return _render_report(request, report, status=409, approve_form=confirm, confirm_critical=open_critical.message)
    except ApplicationError as error:
        if isinstance(error, ValidationFailed) and error.field == "note":
            form.add_error("note", error.message)
            return _render_report(
                request, report, status=error.status, approve_form=form, confirm_critical=error.message
            )
        return _refused(request, report, error, approve_form=form)
    messages.success(request, "Report approved.")
    return redirect("console:report", report_id=report.pk)


def _report_act(
    request: ConsoleRequest,
    report_id: uuid.UUID,
    *,
    slot: str,
    make_form: Callable[[IncidentReport], forms.Form],
    act: Callable[[IncidentReport, Any], str],
) -> HttpResponse:
    """One POST on the report page: its form in `slot` (422 beside the fields), then the service.

    `act` runs the service with the valid form and says what was done; a refusal is shown on
    the page with the form as filled in.
    """
    report = incident_report_get_visible(scope=request.scope, report_id=report_id)
    form = make_form(report)
    if not form.is_valid():
        return _render_report(request, report, status=422, **{slot: form})
    try:
        done = act(report, form)
    except ApplicationError as error:
        return _refused(request, report, error, **{slot: form})
    messages.success(request, done)
    return redirect("console:report", report_id=report.pk)


@console_view
@require_POST
def report_return(request: ConsoleRequest, report_id: uuid.UUID) -> HttpResponse:
    def act(report: IncidentReport, form: ReturnForm) -> str:
        incident_return_for_correction(report=report, reviewer=request.user, comment=form.cleaned_data["comment"])
        return "Returned to the guard for correction."

    return _report_act(request, report_id, slot="return_form", make_form=lambda _: ReturnForm(request.POST), act=act)


@console_view
@require_POST
def report_edit(request: ConsoleRequest, report_id: uuid.UUID) -> HttpResponse:
    def act(report: IncidentReport, form: EditForm) -> str:
        revision = incident_reviewer_edit(
            report=report,
            by=request.user,
            note=form.cleaned_data["note"],
            location_detail=form.cleaned_data["location_detail"],
            unit=form.cleaned_data["unit"],
        )
        return "Correction saved as a new revision." if revision else "Nothing changed."

    return _report_act(
        request, report_id, slot="edit_form", make_form=lambda report: EditForm(request.POST, report=report), act=act
    )


@console_view
@require_POST
def report_client_flags(request: ConsoleRequest, report_id: uuid.UUID) -> HttpResponse:
    """Which flags the client sees on their copy of the report: the ticked ones, and none of the others."""

    def act(report: IncidentReport, form: ClientFlagsForm) -> str:
        flags_client_visibility_set(flags=form.flags, by=request.user, shown_ids=form.shown_ids())
        count = len(form.shown_ids())
        return f"The client's copy shows {count} flag{'s' if count != 1 else ''}."

    def make_form(report: IncidentReport) -> forms.Form:
        return ClientFlagsForm(request.POST, flags=incident_review_flags(report=report))

    return _report_act(request, report_id, slot="client_flags_form", make_form=make_form, act=act)


@console_view
@require_POST
def report_flag_dismiss(request: ConsoleRequest, report_id: uuid.UUID, flag_id: int) -> HttpResponse:
    report = incident_report_get_visible(scope=request.scope, report_id=report_id)
    flag = flag_get_visible(scope=request.scope, flag_id=flag_id)
    if flag.incident_id != report.pk:
        raise ValidationFailed("That flag is not on this report.", code="flag_not_on_report")
    prefix = f"flag{flag.pk}"
    form = DismissForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _render_report(request, report, status=422, **{f"dismiss_{flag.pk}": form})
    try:
        flag_dismiss(flag=flag, by=request.user, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
    except ValidationFailed as invalid:
        form.add_error(invalid.field if invalid.field in form.fields else None, invalid.message)
        return _render_report(request, report, status=invalid.status, **{f"dismiss_{flag.pk}": form})
    except ApplicationError as error:
        return _refused(request, report, error)
    messages.success(request, f"Flag dismissed as a false positive ({flag.get_dismissal_reason_display()}).")
    return redirect("console:report", report_id=report.pk)


# --- Rule health -----------------------------------------------------------------------------


@console_view
@require_GET
def rule_health(request: ConsoleRequest) -> HttpResponse:
    labels = dict(FlagCode.choices)
    reasons = dict(DismissalReason.choices)
    rows = [
        {
            "code": row.code,
            "label": labels.get(row.code, row.code),
            "raised": row.raised,
            "open": row.open,
            "dismissed": row.dismissed,
            "rate": row.false_positive_rate,
            "reasons": [(reasons.get(reason, reason), count) for reason, count in row.dismissals.items()],
        }
        for row in flag_rule_health(scope=request.scope)
    ]
    return render(request, "console/reviews/rule_health.html", {"rows": rows})

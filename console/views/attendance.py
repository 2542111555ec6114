"""Attendance exceptions (/console/attendance); the guards' pages are console/views/guards.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from backend.accounts.models import Role, User
from backend.attendance.resolutions import (
    REPLACEABLE_CODES,
    attendance_exception_excuse,
    attendance_exception_get_visible,
    attendance_exceptions_visible,
    attendance_replacement_assign,
    attendance_time_correct,
    shift_times,
)
from backend.core.errors import ApplicationError, NotFound
from backend.flags.models import Flag
from backend.rules.findings import FlagCode
from backend.sites.models import Site
from backend.sites.selectors import sites_visible
from backend.staffing.errors import QualificationMissing
from backend.staffing.models import Shift
from backend.staffing.selectors import (
    guards_schedulable,
)
from console import navigation
from console.access import ConsoleRequest, console_view

navigation.register(label="Attendance", url_name="console:attendance", order=40)

EXCEPTION_STATUS = {
    FlagCode.NO_SHOW: "critical",
    FlagCode.LATE_CLOCK_IN: "attention",
    FlagCode.EARLY_CLOCK_OUT: "attention",
    FlagCode.MISSED_CLOCK_OUT: "attention",
    FlagCode.OUT_OF_POSITION: "attention",
}


def _shift_of(flag: Flag) -> Shift:
    # Attendance exceptions are shift flags (the selector only returns those).
    if flag.shift is None:
        raise NotFound("No such attendance exception.")
    return flag.shift


def _zone(request: ConsoleRequest) -> str:
    company = request.user.company
    return company.timezone if company is not None else "UTC"


class ExceptionFilter(forms.Form):
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False, empty_label="All sites")

    def __init__(self, *args: Any, scope: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_field = cast(forms.ModelChoiceField, self.fields["site"])  # type: ignore[type-arg]
        site_field.queryset = sites_visible(scope=scope).defer("geofence").order_by("name")


@console_view
def attendance(request: ConsoleRequest) -> HttpResponse:
    """The day's exceptions on the viewer's sites, one site or all; filters live in the URL."""
    zone = _zone(request)
    today = timezone.now().astimezone(ZoneInfo(zone)).date()
    form = ExceptionFilter(request.GET or None, scope=request.scope)
    day: date = today
    site_id = None
    if form.is_bound and form.is_valid():
        day = form.cleaned_data["day"] or today
        site = form.cleaned_data["site"]
        site_id = site.pk if site is not None else None
    rows = attendance_exceptions_visible(scope=request.scope, day=day, zone_name=zone, site_id=site_id)
    context = {
        "form": form,
        "day": day,
        "rows": [{"flag": flag, "status": EXCEPTION_STATUS.get(FlagCode(flag.code), "info")} for flag in rows],
    }
    template = "console/attendance/list.html#rows" if request.htmx else "console/attendance/list.html"
    return render(request, template, context)


class ExcuseForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReplacementForm(forms.Form):
    guard = forms.ModelChoiceField(queryset=User.objects.none(), label="Replacement guard")
    reason = forms.CharField(required=False, max_length=2000)
    # Set once the guard was refused for a missing qualification: the form then asks for the reason.
    override = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # What was missing, carried along for the page only (the service checks again on re-submit).
    missing = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    override_reason = forms.CharField(
        required=False,
        max_length=2000,
        label="Why this guard may work the post without it",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded with your name on the replacement shift.",
    )

    def __init__(self, *args: Any, scope: Any, exclude_guard_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope, self.exclude_guard_id = scope, exclude_guard_id
        guard_field = cast(forms.ModelChoiceField, self.fields["guard"])  # type: ignore[type-arg]
        guard_field.queryset = guards_schedulable(scope=scope).exclude(pk=exclude_guard_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("override") and not str(data.get("override_reason", "")).strip():
            self.add_error("override_reason", "Say why this guard may work the post without the qualification.")
        return data

    def asking_override(self, refusal: QualificationMissing) -> ReplacementForm:
        """The same form again, with the refusal on the guard and the override asked for."""
        data: dict[str, Any] = dict(self.data.items())
        data[self.add_prefix("override")] = "on"
        data[self.add_prefix("missing")] = ", ".join(m["name"] for m in refusal.extra.get("missing", []))
        again = ReplacementForm(data, prefix=self.prefix, scope=self.scope, exclude_guard_id=self.exclude_guard_id)
        again.is_valid()
        again.add_error("guard", refusal.message)
        return again


class CorrectionForm(forms.Form):
    clock_in_at = forms.DateTimeField(
        required=False, label="Actual clock-in", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    clock_out_at = forms.DateTimeField(
        required=False, label="Actual clock-out", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


def _forms(request: ConsoleRequest, flag: Flag, data: dict[str, Any] | None = None, which: str = "") -> dict[str, Any]:
    def bound(name: str) -> Any:
        return data if which == name else None

    return {
        "excuse_form": ExcuseForm(bound("excuse"), prefix="excuse"),
        "replacement_form": ReplacementForm(
            bound("replace"), prefix="replace", scope=request.scope, exclude_guard_id=_shift_of(flag).guard_id
        ),
        "correction_form": CorrectionForm(bound("correct"), prefix="correct"),
    }


def _exception_page(request: ConsoleRequest, flag: Flag, forms_: dict[str, Any], status: int = 200) -> HttpResponse:
    site = _shift_of(flag).post.site
    context = {
        "flag": flag,
        "site": site,
        "shift": _shift_of(flag),
        "times": shift_times(shift=_shift_of(flag)),
        "resolution": getattr(flag, "attendance_resolution", None) if _has_resolution(flag) else None,
        "replaceable": flag.code in REPLACEABLE_CODES,
        "status": EXCEPTION_STATUS.get(FlagCode(flag.code), "info"),
        # Overriding a post's requirements is a manager's call; a supervisor is told to ask one.
        "may_override": request.scope.role != Role.SUPERVISOR,
        **forms_,
    }
    return render(request, "console/attendance/exception.html", context, status=status)


def _has_resolution(flag: Flag) -> bool:
    try:
        return flag.attendance_resolution is not None
    except Flag.attendance_resolution.RelatedObjectDoesNotExist:
        return False


@console_view
def attendance_exception(request: ConsoleRequest, flag_id: int) -> HttpResponse:
    flag = attendance_exception_get_visible(scope=request.scope, flag_id=flag_id)
    return _exception_page(request, flag, _forms(request, flag))


def _back_to_list(flag: Flag, zone: str) -> str:
    day = _shift_of(flag).scheduled_start.astimezone(ZoneInfo(zone)).date()
    return f"{reverse('console:attendance')}?{urlencode({'day': day.isoformat()})}"


def _in_site_zone(value: datetime | None, zone: str) -> datetime | None:
    # The form's datetime-local is the site's wall clock.
    if value is None:
        return None
    naive = value.replace(tzinfo=None)
    return timezone.make_aware(naive, ZoneInfo(zone))


@console_view
@require_POST
def attendance_resolve(request: ConsoleRequest, flag_id: int, action: str) -> HttpResponse:
    """One of the three resolutions; a refusal comes back as errors on its form (422)."""
    flag = attendance_exception_get_visible(scope=request.scope, flag_id=flag_id)
    if action not in {"excuse", "replace", "correct"}:
        raise NotFound("No such action.")
    forms_ = _forms(request, flag, request.POST, action)
    form = forms_[{"excuse": "excuse_form", "replace": "replacement_form", "correct": "correction_form"}[action]]
    if not form.is_valid():
        return _exception_page(request, flag, forms_, status=422)
    data = form.cleaned_data
    site_zone = _shift_of(flag).post.site.timezone
    try:
        if action == "excuse":
            attendance_exception_excuse(flag=flag, by=request.user, reason=data["reason"])
            done = "Excused."
        elif action == "replace":
            attendance_replacement_assign(
                flag=flag,
                by=request.user,
                guard=data["guard"],
                reason=data["reason"],
                override=data["override"],
                override_reason=data["override_reason"],
            )
            done = f"{data['guard']} replaces {_shift_of(flag).guard}: a shift was scheduled for them."
        else:
            attendance_time_correct(
                flag=flag,
                by=request.user,
                reason=data["reason"],
                clock_in_at=_in_site_zone(data["clock_in_at"], site_zone),
                clock_out_at=_in_site_zone(data["clock_out_at"], site_zone),
            )
            done = "Time corrected; the verified times are kept beside it."
    except QualificationMissing as refusal:
        forms_["replacement_form"] = form.asking_override(refusal)
        return _exception_page(request, flag, forms_, status=refusal.status)
    except ApplicationError as error:
        if isinstance(error, NotFound) and error.field not in form.fields:
            raise
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return _exception_page(request, flag, forms_, status=error.status if error.status != 404 else 422)
    messages.success(request, done)
    return redirect(_back_to_list(flag, _zone(request)))

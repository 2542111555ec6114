"""Dispatch (/console/dispatch): service requests, their security callbacks, sending a guard, the timeline.

The list filters (status, site, priority) live in the URL and htmx swaps only the rows.
A request's page shows why a callback is required and whether one reached a person, the
callbacks with their outcomes and times, the guard's steps and the timeline; its actions
are POSTs (callback, mark suspicious, dispatch, cancel) answered with a redirect back, or
the page again with the service's refusal beside the form (the gate is the service's).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from backend.accounts.models import Role, User
from backend.calls.errors import CallNotFound
from backend.calls.models import Call, CallChannel
from backend.calls.selectors import call_get_visible, calls_visible
from backend.core.errors import ApplicationError, NotFound, PermissionDenied
from backend.core.localtime import DATE_TIME, local_time
from backend.dispatch.models import (
    TIMER_TARGET_MAX_MIN,
    CallbackOutcome,
    Priority,
    RequestKind,
    RequestStatus,
    ServiceRequest,
    Source,
)
from backend.dispatch.policy import STEP_LABELS, STEPS, StepTargets
from backend.dispatch.selectors import (
    callback_gate,
    dispatch_photos,
    late_steps,
    second_callback,
    service_request_get_visible,
    service_requests_visible,
    shifts_dispatchable,
    timer_targets,
)
from backend.dispatch.services import (
    NewServiceRequest,
    service_request_callback_log,
    service_request_cancel,
    service_request_create,
    service_request_dispatch,
    service_request_mark_suspicious,
    timer_targets_set,
)
from backend.dispatch.views import dispatch_photo_url
from backend.incidents.selectors import PHOTO_DISPLAY, PHOTO_THUMBNAIL
from backend.sites.models import Site, Unit
from backend.sites.scopes import Scope
from backend.sites.selectors import sites_visible
from backend.staffing.models import Shift
from console import navigation
from console.access import ConsoleRequest, console_view
from console.forms import refusal_on_form
from console.views.guards import MANAGERS_ONLY, manages

navigation.register(label="Dispatch", url_name="console:dispatch", order=35)

STATUS_KIND: dict[str, str] = {
    RequestStatus.NEW: "attention",
    RequestStatus.CALLBACK_PENDING: "attention",
    RequestStatus.READY: "info",
    RequestStatus.DISPATCHED: "info",
    RequestStatus.ACCEPTED: "info",
    RequestStatus.ARRIVED: "info",
    RequestStatus.COMPLETED: "ok",
    RequestStatus.CANCELLED: "muted",
}
LIST_LIMIT = 200


def _model_choice(form: forms.Form, name: str) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return cast(forms.ModelChoiceField, form.fields[name])  # type: ignore[type-arg]


def _visible_sites(scope: Scope) -> Any:
    return sites_visible(scope=scope, active_only=True).defer("geofence").order_by("name")


class UnitChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.site.name} · {obj.label}"


class ShiftChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Guards on shift, those of another site than the request's said so."""

    request_site_id: int | None = None

    def label_from_instance(self, obj: Any) -> str:
        elsewhere = "" if obj.post.site_id == self.request_site_id else " (another site)"
        return f"{obj.guard} · {obj.post.site.name} / {obj.post.name}{elsewhere}"


class RequestFilter(forms.Form):
    status = forms.ChoiceField(choices=[("", "Open"), ("all", "Every status"), *RequestStatus.choices], required=False)
    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False, empty_label="All sites")
    priority = forms.ChoiceField(choices=[("", "Any priority"), *Priority.choices], required=False)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "site").queryset = _visible_sites(scope)


@console_view
def requests_list(request: ConsoleRequest) -> HttpResponse:
    """Open requests first by default; filters in the URL."""
    form = RequestFilter(request.GET or None, scope=request.scope)
    status, site_id, priority, open_only = None, None, None, True
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data["status"]
        open_only = chosen == ""
        status = chosen if chosen not in ("", "all") else None
        site = form.cleaned_data["site"]
        site_id = site.pk if site is not None else None
        priority = form.cleaned_data["priority"] or None
    rows = list(
        service_requests_visible(
            scope=request.scope, status=status, site_id=site_id, priority=priority, open_only=open_only
        )[:LIST_LIMIT]
    )
    late = late_steps(rows, now=timezone.now())
    context = {
        "form": form,
        "rows": [
            {"request": row, "status": STATUS_KIND[row.status], "late": step}
            for row, step in zip(rows, late, strict=True)
        ],
    }
    template = "console/dispatch/list.html#rows" if request.htmx else "console/dispatch/list.html"
    return render(request, template, context)


# --- A new request --------------------------------------------------------------------------


# The calls the new-request form offers: the last week's (or the one the form was opened from).
RECENT_CALLS = timedelta(days=7)
RECENT_CALLS_LIMIT = 100


def call_label(call: Call, zone_name: str) -> str:
    """How a call reads in a picker: whose, who called, when (on the company's clock), still open."""
    opened = local_time(call.opened_at, zone_name, DATE_TIME)
    return f"{call.client.name} · {call.caller_display} · {opened}{' (open)' if call.is_open else ''}"


class NewRequestForm(forms.Form):
    call = forms.ModelChoiceField(
        queryset=Call.objects.none(),
        required=False,
        label="From the client's call",
        empty_label="— not from a call —",
        help_text="The last week's calls, newest first; the client's call page opens this form with its call.",
    )
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label="Site")
    kind = forms.ChoiceField(choices=RequestKind.choices, label="Kind")
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.P2, label="Priority")
    source = forms.ChoiceField(choices=[c for c in Source.choices if c[0] != Source.PORTAL], label="Came in by")
    unit = UnitChoice(
        queryset=Unit.objects.none(), required=False, label="Unit", empty_label="— none (say where below) —"
    )
    location_text = forms.CharField(required=False, max_length=200, label="Where on the site, in words")
    requester_contact = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Requester (a client contact)",
        empty_label="— not a contact —",
    )
    requester_name = forms.CharField(required=False, max_length=120, label="Requester's name (if not a contact)")
    callback_number = forms.CharField(
        required=False, max_length=32, label="Callback number", help_text="Empty: the contact's number on file."
    )
    notes = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), label="Notes")

    def __init__(self, *args: Any, scope: Scope, zone_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offer_calls(scope, zone_name)
        sites = _visible_sites(scope)
        _model_choice(self, "site").queryset = sites
        _model_choice(self, "unit").queryset = (
            Unit.objects.for_scope(scope).select_related("site").order_by("site__name", "label")
        )
        _model_choice(self, "requester_contact").queryset = (
            User.objects.filter(role=Role.CLIENT_CONTACT, is_active=True, client__sites__in=sites)
            .distinct()
            .order_by("last_name", "first_name")
        )

    def _offer_calls(self, scope: Scope, zone_name: str) -> None:
        """Any call the viewer may read is accepted (an older one opened the form from its page);
        the picker lists the last week's, and the one chosen or opened from."""
        field = _model_choice(self, "call")
        field.queryset = calls_visible(scope=scope)
        chosen = {str(value) for value in (self.initial.get("call"), self.data.get("call")) if value}
        recent = Q(opened_at__gte=timezone.now() - RECENT_CALLS)
        if ids := [int(value) for value in chosen if value.isdigit()]:
            recent |= Q(pk__in=ids)
        offered = field.queryset.filter(recent)[:RECENT_CALLS_LIMIT]
        field.choices = [("", field.empty_label), *((call.pk, call_label(call, zone_name)) for call in offered)]

    @staticmethod
    def initial_from_call(call: Call) -> dict[str, Any]:
        """The request as the call already tells it: its site, its caller and their number."""
        contact = call.caller_contact if call.caller_verified else None
        return {
            "call": call.pk,
            "site": call.site_id,
            "source": Source.PHONE if call.channel == CallChannel.PHONE else Source.CONSOLE,
            "requester_contact": contact.pk if contact is not None else None,
            "requester_name": "" if contact is not None else call.caller_name,
            "callback_number": call.caller_number,
        }


def _new_page(request: ConsoleRequest, form: NewRequestForm, status: int = 200) -> HttpResponse:
    return render(request, "console/dispatch/new.html", {"form": form}, status=status)


@console_view
@require_http_methods(["GET", "POST"])
def request_new(request: ConsoleRequest) -> HttpResponse:
    zone_name = request.user.company.timezone if request.user.company is not None else "UTC"
    if request.method != "POST":
        initial = {}
        if "call" in request.GET:  # opened from a call's page: someone else's call is a 404
            raw = request.GET["call"]
            if not raw.isdigit():
                raise CallNotFound()
            initial = NewRequestForm.initial_from_call(call_get_visible(scope=request.scope, call_id=int(raw)))
        return _new_page(request, NewRequestForm(scope=request.scope, zone_name=zone_name, initial=initial))
    form = NewRequestForm(request.POST, scope=request.scope, zone_name=zone_name)
    if not form.is_valid():
        return _new_page(request, form, 422)
    try:
        created = service_request_create(by=request.user, data=NewServiceRequest(**form.cleaned_data))
    except ApplicationError as error:
        return _new_page(request, form, refusal_on_form(form, error))
    messages.success(request, f"Request #{created.pk} taken: {created.get_status_display().lower()}.")
    return redirect(reverse("console:dispatch_request", args=[created.pk]))


# --- A request's page and its actions ---------------------------------------------------------


class CallbackForm(forms.Form):
    number_dialled = forms.CharField(max_length=32, label="Number dialled")
    outcome = forms.ChoiceField(choices=CallbackOutcome.choices, label="Outcome")
    note = forms.CharField(required=False, max_length=2000, label="Note")


class SuspiciousForm(forms.Form):
    reason = forms.CharField(max_length=2000, label="What is suspicious")


class DispatchForm(forms.Form):
    shift = ShiftChoice(queryset=Shift.objects.none(), label="Guard on shift", empty_label=None)
    reason = forms.CharField(
        required=False,
        max_length=2000,
        label="Reason (a guard of another site)",
        help_text="Required for another site.",
    )

    def __init__(self, *args: Any, service_request: ServiceRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(ShiftChoice, self.fields["shift"])
        field.queryset = shifts_dispatchable(request=service_request, now=timezone.now())
        field.request_site_id = service_request.site_id


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=2000, label="Why cancel")


def _request_page(
    request: ConsoleRequest, service_request: ServiceRequest, status: int = 200, **forms_: forms.Form
) -> HttpResponse:
    service_request = service_request_get_visible(scope=request.scope, request_id=service_request.pk)
    undispatched = service_request.status in (RequestStatus.NEW, RequestStatus.CALLBACK_PENDING, RequestStatus.READY)
    context = {
        "r": service_request,
        "status_kind": STATUS_KIND[service_request.status],
        "gate": callback_gate(request=service_request),
        "second": second_callback(request=service_request),
        "late": late_steps([service_request], now=timezone.now())[0],
        "callbacks": list(service_request.callbacks.select_related("by").order_by("at")),
        "events": list(service_request.events.select_related("by").order_by("at", "pk")),
        "photos": [
            (photo, dispatch_photo_url(photo.pk, PHOTO_DISPLAY), dispatch_photo_url(photo.pk, PHOTO_THUMBNAIL))
            for photo in dispatch_photos(request=service_request)
        ],
        "undispatched": undispatched,
        "is_open": service_request.status not in (RequestStatus.COMPLETED, RequestStatus.CANCELLED),
        "callback_form": forms_.get("callback_form")
        or CallbackForm(initial={"number_dialled": service_request.callback_number}),
        "suspicious_form": forms_.get("suspicious_form") or SuspiciousForm(),
        "dispatch_form": forms_.get("dispatch_form") or DispatchForm(service_request=service_request),
        "cancel_form": forms_.get("cancel_form") or CancelForm(),
    }
    return render(request, "console/dispatch/request.html", context, status=status)


def _back(service_request: ServiceRequest) -> HttpResponse:
    return redirect(reverse("console:dispatch_request", args=[service_request.pk]))


@console_view
def request_detail(request: ConsoleRequest, request_id: int) -> HttpResponse:
    return _request_page(request, service_request_get_visible(scope=request.scope, request_id=request_id))


def _act(
    request: ConsoleRequest,
    request_id: int,
    *,
    slot: str,
    make_form: Callable[[ServiceRequest], forms.Form],
    act: Callable[[ServiceRequest, dict[str, Any]], str],
) -> HttpResponse:
    """One action on a request: its form, the service, then back to the page (or the page with the refusal)."""
    service_request = service_request_get_visible(scope=request.scope, request_id=request_id)
    form = make_form(service_request)
    if not form.is_valid():
        return _request_page(request, service_request, 422, **{slot: form})
    try:
        done = act(service_request, form.cleaned_data)
    except ApplicationError as error:
        return _request_page(request, service_request, refusal_on_form(form, error), **{slot: form})
    messages.success(request, done)
    return _back(service_request)


@console_view
@require_POST
def request_callback(request: ConsoleRequest, request_id: int) -> HttpResponse:
    def act(service_request: ServiceRequest, data: dict[str, Any]) -> str:
        attempt = service_request_callback_log(request=service_request, by=request.user, **data)
        return f"Callback logged: {attempt.get_outcome_display().lower()}."

    return _act(request, request_id, slot="callback_form", make_form=lambda _: CallbackForm(request.POST), act=act)


@console_view
@require_POST
def request_suspicious(request: ConsoleRequest, request_id: int) -> HttpResponse:
    def act(service_request: ServiceRequest, data: dict[str, Any]) -> str:
        service_request_mark_suspicious(request=service_request, by=request.user, reason=data["reason"])
        return "Marked suspicious: a callback that reaches a person is now required."

    return _act(request, request_id, slot="suspicious_form", make_form=lambda _: SuspiciousForm(request.POST), act=act)


@console_view
@require_POST
def request_dispatch(request: ConsoleRequest, request_id: int) -> HttpResponse:
    def act(service_request: ServiceRequest, data: dict[str, Any]) -> str:
        service_request_dispatch(request=service_request, by=request.user, **data)
        return f"Dispatched to {data['shift'].guard}."

    def make_form(service_request: ServiceRequest) -> forms.Form:
        return DispatchForm(request.POST, service_request=service_request)

    return _act(request, request_id, slot="dispatch_form", make_form=make_form, act=act)


@console_view
@require_POST
def request_cancel(request: ConsoleRequest, request_id: int) -> HttpResponse:
    def act(service_request: ServiceRequest, data: dict[str, Any]) -> str:
        service_request_cancel(request=service_request, by=request.user, reason=data["reason"])
        return "Request cancelled."

    return _act(request, request_id, slot="cancel_form", make_form=lambda _: CancelForm(request.POST), act=act)


# --- Timer targets (managers change them, supervisors read them) ------------------------------


class TimerTargetsForm(forms.Form):
    """A whole number of minutes per priority and step: fields "P1_dispatch", "P1_accept"..."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for priority, label in Priority.choices:
            for step in STEPS:
                name = f"{label}: {STEP_LABELS[step]} (minutes)"
                self.fields[f"{priority}_{step}"] = forms.IntegerField(
                    min_value=1,
                    max_value=TIMER_TARGET_MAX_MIN,
                    label=name,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "aria-label": name}),
                )

    @staticmethod
    def initial_from(targets: Any) -> dict[str, int]:
        return {f"{p}_{step}": targets[p].minutes(step) for p in Priority.values for step in STEPS}

    def targets(self) -> dict[str, StepTargets]:
        data = self.cleaned_data
        return {p: StepTargets(*(int(data[f"{p}_{step}"]) for step in STEPS)) for p in Priority.values}

    def rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(label, [self[f"{p}_{step}"] for step in STEPS]) for p, label in Priority.choices]


def _company(request: ConsoleRequest) -> Any:
    company = request.user.company
    if company is None:  # GuardOps staff work in the admin, which knows which company
        raise NotFound("Timer targets belong to a company: set them from the admin.", code="no_company")
    return company


def _targets_page(request: ConsoleRequest, form: TimerTargetsForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "steps": [STEP_LABELS[step] for step in STEPS], "manages": manages(request)}
    return render(request, "console/dispatch/targets.html", context, status=status)


@console_view
def targets(request: ConsoleRequest) -> HttpResponse:
    """How long each step may take per priority before the live board says it is late."""
    company = _company(request)
    return _targets_page(
        request, TimerTargetsForm(initial=TimerTargetsForm.initial_from(timer_targets(company_id=company.pk)))
    )


@console_view
@require_POST
def targets_save(request: ConsoleRequest) -> HttpResponse:
    if not manages(request):
        raise PermissionDenied(MANAGERS_ONLY, code="managers_only")
    company = _company(request)
    form = TimerTargetsForm(request.POST)
    if not form.is_valid():
        return _targets_page(request, form, 422)
    try:
        timer_targets_set(company=company, by=request.user, targets=form.targets())
    except ApplicationError as error:
        return _targets_page(request, form, refusal_on_form(form, error))
    messages.success(request, "Timer targets saved: the live board counts late steps against them from now on.")
    return redirect(reverse("console:dispatch_targets"))

"""The client call log (/console/calls): the list, the SOP screen of one call, follow-ups,
the disposition catalogue and the complaint KPIs (insights, with a CSV export)."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from backend.accounts.models import User
from backend.calls.concerns import concern_for_call
from backend.calls.insights import GROUP_LABELS, GROUPS, call_insights, insights_csv_rows
from backend.calls.models import Call, CallChannel, CallStatus, DispositionCode, ReasonGroup
from backend.calls.selectors import (
    call_clients_visible,
    call_facts,
    call_get_visible,
    calls_visible,
    client_contacts_of,
    dispositions_for_company,
    follow_up_owners,
    followup_get_visible,
    followups_visible,
    greeting_for,
)
from backend.calls.services import (
    CallSteps,
    call_close,
    call_link,
    call_note_add,
    call_open,
    call_update,
    call_verify_caller,
    disposition_code_create,
    disposition_code_retire,
    followup_complete,
    followup_create,
    greeting_set,
)
from backend.core.errors import ApplicationError, NotFound
from backend.core.localtime import zone
from backend.incidents.models import IncidentReport
from backend.incidents.selectors import incident_reports_visible
from backend.sites.models import Client, Site
from backend.sites.selectors import sites_visible
from backend.staffing.models import Shift
from backend.staffing.selectors import shifts_visible
from console import navigation
from console.access import ConsoleRequest, console_view
from console.charts import bar_chart, line_chart

navigation.register(label="Calls", url_name="console:calls", order=60)

LIST_LIMIT = 200


def _zone(request: ConsoleRequest) -> str:
    company = request.user.company
    return company.timezone if company is not None else "UTC"


def _company_id(request: ConsoleRequest) -> int:
    if request.user.company_id is None:
        raise NotFound("There is nothing here.")
    return int(request.user.company_id)


def _form_error(form: forms.Form, error: ApplicationError) -> int:
    """Put a service's refusal on the form (beside its field when the form has it); the status to answer."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
    return error.status if error.status not in (404, 403) else 422


# --- The list -------------------------------------------------------------------------------


class CallFilter(forms.Form):
    client = forms.ModelChoiceField(queryset=Client.objects.none(), required=False, empty_label="All clients")
    reason_group = forms.ChoiceField(choices=[("", "All reasons"), *ReasonGroup.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Open and closed"), *CallStatus.choices], required=False)
    opened_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    opened_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, scope: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["client"]).queryset = call_clients_visible(scope=scope)  # type: ignore[type-arg]


@console_view
def call_list(request: ConsoleRequest) -> HttpResponse:
    """The call log, newest first; filters live in the URL, htmx swaps only the rows."""
    form = CallFilter(request.GET or None, scope=request.scope)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data, day_zone = form.cleaned_data, zone(_zone(request))
        filters = {
            "client_id": data["client"].pk if data["client"] else None,
            "reason_group": data["reason_group"] or None,
            "status": data["status"] or None,
            "opened_from": datetime.combine(data["opened_from"], time.min, day_zone) if data["opened_from"] else None,
            "opened_before": (
                datetime.combine(data["opened_to"] + timedelta(days=1), time.min, day_zone)
                if data["opened_to"]
                else None
            ),
        }
    calls = list(calls_visible(scope=request.scope, **filters)[:LIST_LIMIT])
    context = {"form": form, "calls": calls, "zone": _zone(request), "limit": LIST_LIMIT}
    template = "console/calls/list.html#rows" if request.htmx else "console/calls/list.html"
    return render(request, template, context)


class NewCallForm(forms.Form):
    client = forms.ModelChoiceField(queryset=Client.objects.none(), empty_label="Which client is calling?")
    channel = forms.ChoiceField(choices=CallChannel.choices, initial=CallChannel.PHONE)

    def __init__(self, *args: Any, scope: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["client"]).queryset = call_clients_visible(scope=scope)  # type: ignore[type-arg]


@console_view
def call_new(request: ConsoleRequest) -> HttpResponse:
    """Step 0: which client is on the line; opening the call shows its greeting and the SOP screen."""
    form = NewCallForm(request.POST if request.method == "POST" else None, scope=request.scope)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                call = call_open(
                    by=request.user, client_id=form.cleaned_data["client"].pk, channel=form.cleaned_data["channel"]
                )
            except ApplicationError as error:
                status = _form_error(form, error)
            else:
                return redirect("console:call", call_id=call.pk)
        else:
            status = 422
    return render(request, "console/calls/new.html", {"form": form}, status=status)


# --- One call: the SOP's steps on one screen ----------------------------------------------------


class StepsForm(forms.Form):
    caller_words = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    advice = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    reassurance = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class VerifyForm(forms.Form):
    contact = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label="Not a contact on file")
    caller_name = forms.CharField(required=False, max_length=200, label="Unknown caller's name")
    caller_number = forms.CharField(required=False, max_length=32, label="Call-back number")

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["contact"]).queryset = client_contacts_of(client=call.client)  # type: ignore[type-arg]


def _local(moment: datetime, zone_name: str) -> str:
    return f"{moment.astimezone(zone(zone_name)):%a %d %b %H:%M}"


class ShiftChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    # No guard names in the pickers: the manager may read them aloud to an unverified caller.
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.post.site.name} · {obj.post.name} · {_local(obj.scheduled_start, obj.post.site.timezone)}"


class ReportChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        when = _local(obj.occurred_at, obj.shift.post.site.timezone)
        return f"{obj.type.name} · {obj.shift.post.site.name} · {when} · {obj.get_status_display()}"


class CodeChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        needs = [
            word
            for word, needed in (("comment", obj.comment_required), ("follow-up", obj.follow_up_required))
            if needed
        ]
        return f"{obj.get_reason_group_display()}: {obj.label}" + (
            f" ({' and '.join(needs)} required)" if needs else ""
        )


class LinkForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False, empty_label="—")
    shift = ShiftChoice(queryset=Shift.objects.none(), required=False, empty_label="—")
    incident = ReportChoice(queryset=IncidentReport.objects.none(), required=False, empty_label="—", label="Report")

    def __init__(self, *args: Any, call: Call, scope: Any, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        client_id = call.client_id
        sites = sites_visible(scope=scope).filter(client_id=client_id).defer("geofence")
        shifts = shifts_visible(
            scope=scope, starts_before=now + timedelta(hours=12), ends_after=now - timedelta(days=2)
        )
        reports = incident_reports_visible(scope=scope).filter(occurred_at__gte=now - timedelta(days=14))
        cast(forms.ModelChoiceField, self.fields["site"]).queryset = sites  # type: ignore[type-arg]
        cast(ShiftChoice, self.fields["shift"]).queryset = shifts.filter(post__site__client_id=client_id)
        cast(ReportChoice, self.fields["incident"]).queryset = reports.filter(shift__post__site__client_id=client_id)


class CloseForm(forms.Form):
    disposition = CodeChoice(
        queryset=DispositionCode.objects.none(), required=False, empty_label="Pick a disposition code"
    )
    disposition_comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, label="Disposition comment"
    )
    summary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, label="Summary (read it back)"
    )
    follow_up_promise = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, label="Follow-up promised"
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = dispositions_for_company(company=call.company_id, active_only=True)
        cast(CodeChoice, self.fields["disposition"]).queryset = codes


class FollowUpForm(forms.Form):
    due_at = forms.DateTimeField(label="Due", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    owner = forms.ModelChoiceField(queryset=User.objects.none())
    note = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="What to do")

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = follow_up_owners(company=call.company_id)  # type: ignore[type-arg]


class NoteForm(forms.Form):
    text = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), label="Note")


FORMS: dict[str, Callable[..., forms.Form]] = {
    "steps": lambda data, call, request: StepsForm(data, initial=_initial(call, StepsForm)),
    "verify": lambda data, call, request: VerifyForm(
        data,
        call=call,
        initial={
            "contact": call.caller_contact_id,
            "caller_name": "" if call.caller_contact_id else call.caller_name,
            "caller_number": call.caller_number,
        },
    ),
    "link": lambda data, call, request: LinkForm(
        data,
        call=call,
        scope=request.scope,
        now=timezone.now(),
        initial={"site": call.site_id, "shift": call.shift_id, "incident": call.incident_id},
    ),
    "close": lambda data, call, request: CloseForm(
        data, call=call, initial={**_initial(call, CloseForm), "disposition": call.disposition_id}
    ),
    "followup": lambda data, call, request: FollowUpForm(
        data,
        call=call,
        initial={
            "owner": request.user.pk,
            "due_at": (timezone.now() + timedelta(hours=4)).astimezone(zone(_zone(request))).strftime("%Y-%m-%dT%H:%M"),
        },
    ),
    "note": lambda data, call, request: NoteForm(data),
}


def _initial(call: Call, form_class: type[forms.Form]) -> dict[str, Any]:
    return {name: getattr(call, name) for name in form_class.base_fields if hasattr(call, name)}


def _call_page(
    request: ConsoleRequest, call: Call, *, bound: tuple[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    call_forms = {f"{name}_form": build(None, call, request) for name, build in FORMS.items()}
    if bound is not None:
        call_forms[f"{bound[0]}_form"] = bound[1]
    context = {
        "call": call,
        "zone": _zone(request),
        "facts": call_facts(scope=request.scope, call=call, now=timezone.now()) if call.is_open else None,
        "follow_ups": list(call.follow_ups.select_related("owner", "done_by")),
        "notes": list(call.notes.select_related("author")),
        "greeting": call.greeting or greeting_for(client=call.client),
        "concern": concern_for_call(call=call),
        "now": timezone.now(),
        **call_forms,
    }
    return render(request, "console/calls/call.html", context, status=status)


@console_view
def call_detail(request: ConsoleRequest, call_id: int) -> HttpResponse:
    return _call_page(request, call_get_visible(scope=request.scope, call_id=call_id))


@console_view
def call_facts_panel(request: ConsoleRequest, call_id: int) -> HttpResponse:
    """The facts panel alone (htmx refreshes it while the call is open)."""
    call = call_get_visible(scope=request.scope, call_id=call_id)
    facts = call_facts(scope=request.scope, call=call, now=timezone.now()) if call.is_open else None
    return render(request, "console/calls/call.html#facts", {"call": call, "facts": facts, "zone": _zone(request)})


def _in_zone(value: datetime, zone_name: str) -> datetime:
    # A datetime-local input is the company's wall clock.
    return timezone.make_aware(value.replace(tzinfo=None), zone(zone_name))


def _act(request: ConsoleRequest, call: Call, action: str, form: forms.Form) -> str:
    """Call the service behind `action` with the form's data; the message to show."""
    data, by = form.cleaned_data, request.user
    if action == "steps":
        call_update(call=call, by=by, steps=CallSteps(**data))
        return "Saved."
    if action == "verify":
        contact = data["contact"]
        call_verify_caller(
            call=call,
            by=by,
            contact_id=contact.pk if contact else None,
            caller_name=data["caller_name"],
            caller_number=data["caller_number"],
        )
        return "Caller verified." if contact else "Caller recorded, not verified."
    if action == "link":
        call_link(
            call=call,
            by=by,
            site_id=data["site"].pk if data["site"] else None,
            shift_id=data["shift"].pk if data["shift"] else None,
            incident_id=cast(uuid.UUID, data["incident"].pk) if data["incident"] else None,
        )
        return "Linked."
    if action == "close":
        call_close(
            call=call,
            by=by,
            disposition_id=data["disposition"].pk if data["disposition"] else None,
            summary=data["summary"],
            follow_up_promise=data["follow_up_promise"],
            disposition_comment=data["disposition_comment"],
        )
        return "Call closed."
    if action == "followup":
        followup_create(
            call=call,
            by=by,
            due_at=_in_zone(data["due_at"], _zone(request)),
            owner_id=data["owner"].pk,
            note=data["note"],
        )
        return "Follow-up created."
    call_note_add(call=call, by=by, text=data["text"])
    return "Note added."


@console_view
@require_POST
def call_action(request: ConsoleRequest, call_id: int, action: str) -> HttpResponse:
    """One step of the SOP screen (save, verify, link, close, follow-up, note); a refusal comes
    back as errors on its form, the rest of the screen as it was."""
    call = call_get_visible(scope=request.scope, call_id=call_id)
    if action not in FORMS:
        raise NotFound("No such action.")
    form = FORMS[action](request.POST, call, request)
    if not form.is_valid():
        return _call_page(request, call, bound=(action, form), status=422)
    try:
        done = _act(request, call, action, form)
    except ApplicationError as error:
        status = _form_error(form, error)
        return _call_page(
            request, call_get_visible(scope=request.scope, call_id=call_id), bound=(action, form), status=status
        )
    messages.success(request, done)
    return redirect(f"{reverse('console:call', kwargs={'call_id': call.pk})}#{action}")


# --- Follow-ups -----------------------------------------------------------------------------------


@console_view
def followups(request: ConsoleRequest) -> HttpResponse:
    """Open follow-ups, overdue first (they are due soonest); the last done ones below."""
    now = timezone.now()
    open_ones = list(followups_visible(scope=request.scope, open_only=True)[:LIST_LIMIT])
    done = list(followups_visible(scope=request.scope).filter(done_at__isnull=False).order_by("-done_at")[:50])
    context = {
        "overdue": [f for f in open_ones if f.due_at < now],
        "upcoming": [f for f in open_ones if f.due_at >= now],
        "done": done,
        "zone": _zone(request),
        "now": now,
    }
    return render(request, "console/calls/followups.html", context)


@console_view
@require_POST
def followup_done(request: ConsoleRequest, followup_id: int) -> HttpResponse:
    follow_up = followup_get_visible(scope=request.scope, followup_id=followup_id)
    note = request.POST.get("note", "")
    try:
        followup_complete(follow_up=follow_up, by=request.user, note=note)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Follow-up done.")
    # Back to the live board when its panel was used; never to an address taken from the form.
    live = reverse("console:live")
    return redirect(live if request.POST.get("next") == live else reverse("console:followups"))


# --- The disposition catalogue and the greeting scripts ---------------------------------------


class DispositionForm(forms.Form):
    reason_group = forms.ChoiceField(choices=ReasonGroup.choices)
    code = forms.SlugField(max_length=40)
    label = forms.CharField(max_length=120)
    comment_required = forms.BooleanField(required=False)
    follow_up_required = forms.BooleanField(required=False)
    chargeable = forms.BooleanField(required=False)


class GreetingForm(forms.Form):
    script = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


def _catalogue_page(request: ConsoleRequest, form: DispositionForm | None = None, status: int = 200) -> HttpResponse:
    company_id = _company_id(request)
    clients = list(call_clients_visible(scope=request.scope))
    context = {
        "codes": list(dispositions_for_company(company=company_id)),
        "form": form or DispositionForm(),
        "greetings": [(client, greeting_for(client=client)) for client in clients],
    }
    return render(request, "console/calls/dispositions.html", context, status=status)


@console_view
def dispositions(request: ConsoleRequest) -> HttpResponse:
    """The catalogue (add a code; retire one) and each client's greeting line."""
    if request.method != "POST":
        return _catalogue_page(request)
    form = DispositionForm(request.POST)
    if not form.is_valid():
        return _catalogue_page(request, form, status=422)
    company = request.user.company
    if company is None:
        raise NotFound("There is nothing here.")
    try:
        code = disposition_code_create(company=company, by=request.user, **form.cleaned_data)
    except ApplicationError as error:
        return _catalogue_page(request, form, status=_form_error(form, error))
    messages.success(request, f"Added “{code.label}”.")
    return redirect("console:dispositions")


def _posted_id(request: ConsoleRequest, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise NotFound(f"No such {name}.")
    return int(value)


@console_view
@require_POST
def disposition_retire(request: ConsoleRequest) -> HttpResponse:
    code_id = _posted_id(request, "disposition")
    code = dispositions_for_company(company=_company_id(request)).filter(pk=code_id).first()
    if code is None:
        raise NotFound("No such disposition code.")
    disposition_code_retire(disposition=code, by=request.user)
    messages.success(request, f"Retired “{code.label}”: calls that carry it keep it.")
    return redirect("console:dispositions")


@console_view
@require_POST
def greeting_update(request: ConsoleRequest) -> HttpResponse:
    client_id = _posted_id(request, "client")
    form = GreetingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The greeting needs a line of at most 1000 characters.")
        return redirect("console:dispositions")
    greeting_set(client_id=client_id, by=request.user, script=form.cleaned_data["script"])
    messages.success(request, "Greeting saved.")
    return redirect("console:dispositions")


# --- Insights -------------------------------------------------------------------------------------

PALETTE = {
    "guard_performance": "#b3261e",
    "report": "#8a5a00",
    "billing": "#1d5fa8",
    "request": "#2e7d32",
    "praise": "#6a1b9a",
    "other": "#5f6368",
    "unclassified": "#9aa0a6",
}


def _count_cells(counts: list[int]) -> SafeString:
    """A table row's cells of whole numbers (nothing to escape: format_html per cell was most of the page)."""
    return mark_safe("".join(f"<td>{int(n)}</td>" for n in counts))  # noqa: S308 - ints only


def _insights(request: ConsoleRequest) -> Any:
    return call_insights(
        scope=request.scope, company_id=_company_id(request), zone_name=_zone(request), now=timezone.now()
    )


@console_view
def insights(request: ConsoleRequest) -> HttpResponse:
    """Calls per client per week by reason group, the trend, preventable calls, follow-up times."""
    data = _insights(request)
    labels = [monday.strftime("%d %b") for monday in data.weeks]
    colours = list(PALETTE.values())
    by_group = [(GROUP_LABELS[g], PALETTE[g], data.by_group[g]) for g in GROUPS if any(data.by_group[g])]
    by_client = [(row.name, colours[i % len(colours)], row.week_totals()) for i, row in enumerate(data.clients[:6])]
    shares = [round(100 * (share or 0)) for share in data.preventable_shares]
    context = {
        "data": data,
        "week_labels": labels,
        "by_group_chart": bar_chart(labels=labels, series=by_group),
        "clients_chart": line_chart(labels=labels, series=by_client),
        "preventable_chart": line_chart(labels=labels, series=[("Preventable share (%)", "#b3261e", shares)]),
        # The table's cells are joined here: at 40 clients by 7 groups by 12 weeks, a template
        # loop per cell was most of the page's time.
        "client_rows": [
            (
                row,
                [
                    (
                        GROUP_LABELS[g],
                        _count_cells(row.counts[g]),
                        sum(row.counts[g]),
                    )
                    for g in GROUPS
                    if any(row.counts[g])
                ],
            )
            for row in data.clients
        ],
    }
    return render(request, "console/calls/insights.html", context)


@console_view
def insights_csv(request: ConsoleRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="call-insights.csv"'
    writer = csv.writer(response)
    for row in insights_csv_rows(_insights(request)):
        # A client's name could start with "=": spreadsheets would run it as a formula.
        writer.writerow([f"'{cell}" if cell[:1] in ("=", "+", "-", "@") else cell for cell in row])
    return response

"""The live board (/console/live): shifts now and soon, the guards' positions, and the alerts.

The board and the alerts list refresh themselves (htmx, every 10 s) as partials of their
pages; the map fetches its positions as GeoJSON and, on a click on a guard, the guard's
track. Actions on an alert are POSTs answered with the refreshed list (to htmx) or a
redirect back to it; a refused action (already taken by someone else, a missing note)
shows its sentence beside the alert.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from backend.accounts.models import User
from backend.attendance.selectors import FENCE_STATUS, alerts_open, live_board, shift_track
from backend.calls.selectors import followups_overdue
from backend.core.errors import ApplicationError, ValidationFailed
from backend.core.localtime import TIME, local_time
from backend.dispatch.selectors import dispatches_late
from backend.flags.selectors import flag_get_visible
from backend.flags.services import flag_acknowledge, flag_note_add, flag_resolve
from backend.sites.models import Site
from backend.tracking.models import PanicOutcome
from backend.tracking.panic import panic_alert_acknowledge, panic_alert_note_add, panic_alert_resolve
from backend.tracking.selectors import panic_alert_get_visible
from console import navigation
from console.access import ConsoleRequest, console_view

navigation.register(label="Live", url_name="console:live", order=30)

REFRESH_SECONDS = 10


@console_view
def board(request: ConsoleRequest) -> HttpResponse:
    """Every shift in progress or starting within 2 hours, by site; late and no-show first."""
    now = timezone.now()
    site = request.GET.get("site", "")
    # One site's board: an id the viewer may not see is simply an empty board (the selector scopes it).
    site_id = int(site) if site.isdigit() and len(site) < 12 else None
    context = {
        "board": live_board(scope=request.scope, now=now, site_id=site_id),
        "late_dispatches": dispatches_late(scope=request.scope, now=now),
        "site_id": site_id,
        "refresh_seconds": REFRESH_SECONDS,
        "tiles_url": settings.MAP_TILES_URL,
        "overdue_followups": followups_overdue(scope=request.scope, now=now),  # the call log's panel (lazy)
    }
    template = "console/live/board.html#board" if request.htmx else "console/live/board.html"
    return render(request, template, context)


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60} min"


@console_view
def positions(request: ConsoleRequest) -> HttpResponse:
    """GeoJSON for the map: the viewer's sites' fences and each board guard's last position."""
    now = timezone.now()
    live = live_board(scope=request.scope, now=now)
    site_ids = [site.site_id for site in live.sites]
    features: list[dict[str, Any]] = []
    for site_id, name, geometry in (
        Site.objects.for_scope(request.scope)
        .filter(pk__in=site_ids)
        .annotate(shape=AsGeoJSON("geofence"))
        .values_list("pk", "name", "shape")
    ):
        if geometry:
            features.append(
                {
                    "type": "Feature",
                    "geometry": json.loads(geometry),
                    "properties": {"status": "info", "label": f"{name} (fence)", "kind": "fence", "site": site_id},
                }
            )
    for site in live.sites:
        for row in site.rows:
            fix = row.last_fix
            if fix is None or fix.lon is None or fix.lat is None:
                continue
            name = row.shift.guard_name
            age = _duration((now - fix.recorded_at).total_seconds())
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [fix.lon, fix.lat]},
                    "properties": {
                        "status": FENCE_STATUS[row.fence_now],
                        "label": f"{name} · {row.shift.post_name} · {row.fence_label} · fix {age} old "
                        f"({local_time(fix.recorded_at, site.timezone, TIME)})",
                        "kind": "guard",
                        "track_url": reverse("console:live_track", kwargs={"shift_id": row.shift.pk}),
                    },
                }
            )
    return JsonResponse({"type": "FeatureCollection", "features": features})


@console_view
def track(request: ConsoleRequest, shift_id: int) -> HttpResponse:
    """GeoJSON of one shift's breadcrumbs (last 24 h): the line and each fix coloured by fence."""
    now = timezone.now()
    shift_track_ = shift_track(scope=request.scope, shift_id=shift_id, now=now)
    shift = shift_track_.shift
    zone_name = shift.post.site.timezone
    coordinates = [[lon, lat] for _, lon, lat, _, _ in shift_track_.fixes]
    features: list[dict[str, Any]] = []
    if len(coordinates) > 1:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coordinates},
                "properties": {"status": "info", "label": f"Track of {shift.guard}", "kind": "track"},
            }
        )
    fence_status = {"inside": "ok", "near": "attention", "outside": "critical"}
    for moment, lon, lat, accuracy, fence in shift_track_.fixes:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "status": fence_status.get(fence, "muted"),
                    "label": f"{local_time(moment, zone_name, TIME)} · {fence or 'unjudged'}"
                    + (f" · ±{accuracy:.0f} m" if accuracy is not None else ""),
                    "kind": "fix",
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})


# --- Alerts ---------------------------------------------------------------------------------


class NoteForm(forms.Form):
    text = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class AcknowledgeForm(forms.Form):
    note = forms.CharField(max_length=4000, required=False)


class PanicResolveForm(forms.Form):
    outcome = forms.ChoiceField(choices=PanicOutcome.choices)
    note = forms.CharField(max_length=4000, required=False)


class FlagResolveForm(forms.Form):
    note = forms.CharField(max_length=4000, required=False)


def _alerts_context(request: ConsoleRequest, errors: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    now = timezone.now()
    alerts = alerts_open(scope=request.scope, now=now)
    return {
        "alerts": alerts,
        "unacknowledged": [alert for alert in alerts if not alert.acknowledged],
        "acknowledged": [alert for alert in alerts if alert.acknowledged],
        "now": now,
        "refresh_seconds": REFRESH_SECONDS,
        "outcomes": PanicOutcome.choices,
        "errors": errors or {},
    }


@console_view
def alerts(request: ConsoleRequest) -> HttpResponse:
    """Panic alerts, critical flags and new warnings; unacknowledged critical ones on top, oldest first."""
    template = "console/live/alerts.html#alerts" if request.htmx else "console/live/alerts.html"
    return render(request, template, _alerts_context(request))


def _after_action(
    request: ConsoleRequest, key: str, error: ApplicationError | None, field: str = "form"
) -> HttpResponse:
    if error is None:
        if request.htmx:
            return render(request, "console/live/alerts.html#alerts", _alerts_context(request))
        return redirect("console:live_alerts")
    errors = {key: {error.field or field: error.message}}
    if request.htmx:
        # htmx swaps only 2xx answers: the refusal is shown beside the alert in the fragment.
        return render(request, "console/live/alerts.html#alerts", _alerts_context(request, errors))
    messages.error(request, error.message)
    return render(request, "console/live/alerts.html", _alerts_context(request, errors), status=error.status)


def _form_error(form: forms.Form) -> ApplicationError:
    field, problems = next(iter(form.errors.items()))
    return ValidationFailed(str(problems[0]), code="invalid_form", field=field)


def _run(request: ConsoleRequest, key: str, form: forms.Form, action: Any) -> HttpResponse:
    if not form.is_valid():
        return _after_action(request, key, _form_error(form))
    try:
        action(form.cleaned_data)
    except ApplicationError as error:
        if error.status == 404:
            raise
        return _after_action(request, key, error)
    return _after_action(request, key, None)


# Each alert action: load the alert the viewer may see (another's id is a 404), check its
# form, run the service; `_run` answers with the refreshed list or the refusal beside it.
AlertAction = Callable[[Any, User, dict[str, Any]], object]


def _panic_action(form_class: type[forms.Form], perform: AlertAction) -> Callable[..., HttpResponse]:
    @console_view
    @require_POST
    def view(request: ConsoleRequest, alert_id: uuid.UUID) -> HttpResponse:
        alert = panic_alert_get_visible(scope=request.scope, alert_id=alert_id)
        return _run(
            request, f"panic:{alert.pk}", form_class(request.POST), lambda data: perform(alert, request.user, data)
        )

    return view


def _flag_action(form_class: type[forms.Form], perform: AlertAction) -> Callable[..., HttpResponse]:
    @console_view
    @require_POST
    def view(request: ConsoleRequest, flag_id: int) -> HttpResponse:
        flag = flag_get_visible(scope=request.scope, flag_id=flag_id)
        return _run(
            request, f"flag:{flag.pk}", form_class(request.POST), lambda data: perform(flag, request.user, data)
        )

    return view


panic_acknowledge = _panic_action(
    AcknowledgeForm, lambda alert, by, data: panic_alert_acknowledge(alert=alert, by=by, note=data["note"])
)
panic_note = _panic_action(
    NoteForm, lambda alert, by, data: panic_alert_note_add(alert=alert, by=by, text=data["text"])
)
panic_resolve = _panic_action(
    PanicResolveForm,
    lambda alert, by, data: panic_alert_resolve(alert=alert, by=by, outcome=data["outcome"], note=data["note"]),
)
flag_acknowledge_view = _flag_action(
    AcknowledgeForm, lambda flag, by, data: flag_acknowledge(flag=flag, by=by, note=data["note"])
)
flag_note = _flag_action(NoteForm, lambda flag, by, data: flag_note_add(flag=flag, by=by, text=data["text"]))
flag_resolve_view = _flag_action(
    FlagResolveForm, lambda flag, by, data: flag_resolve(flag=flag, by=by, note=data["note"])
)

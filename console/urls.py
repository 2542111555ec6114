"""The console's URLs (namespace `console`). Each area adds its own block here, and a case for
each new URL in tests/console/isolation_cases/ (the isolation test fails without one)."""

from django.urls import path

from console.views import attendance as attendance_views  # attendance area
from console.views import auth, guards, home, qualifications, reviews

app_name = "console"

urlpatterns = [
    path("", home.index, name="home"),
    path("today", home.home, name="today"),
    path("login", auth.login_view, name="login"),
    path("logout", auth.logout_view, name="logout"),
    path("password", auth.password_change_view, name="password_change"),
    # The review queue and the report page (reviews).
    path("reports", reviews.queue, name="reports"),
    path("reports/approve-unflagged", reviews.bulk_approve, name="reports_bulk_approve"),
    path("reports/rule-health", reviews.rule_health, name="rule_health"),
    path("reports/<uuid:report_id>", reviews.report_detail, name="report"),
    path("reports/<uuid:report_id>/approve", reviews.report_approve, name="report_approve"),
    path("reports/<uuid:report_id>/return", reviews.report_return, name="report_return"),
    path("reports/<uuid:report_id>/edit", reviews.report_edit, name="report_edit"),
    path("reports/<uuid:report_id>/client-flags", reviews.report_client_flags, name="report_client_flags"),
    path(
        "reports/<uuid:report_id>/flags/<int:flag_id>/dismiss", reviews.report_flag_dismiss, name="report_flag_dismiss"
    ),
    # --- Attendance exceptions and guards (attendance area) ---
    path("attendance", attendance_views.attendance, name="attendance"),
    path("attendance/<int:flag_id>", attendance_views.attendance_exception, name="attendance_exception"),
    path(
        "attendance/<int:flag_id>/<slug:action>",
        attendance_views.attendance_resolve,
        name="attendance_resolve",
    ),
    # --- Guards and post requirements (guards, qualifications) ---
    path("guards", guards.guards, name="guards"),
    path("guards/<int:guard_id>", guards.guard_detail, name="guard"),
    path("guards/<int:guard_id>/qualifications", guards.guard_qualification_add, name="guard_qualification_add"),
    path(
        "guards/<int:guard_id>/qualifications/<int:held_id>/correct",
        guards.guard_qualification_correct_view,
        name="guard_qualification_correct",
    ),
    path(
        "guards/<int:guard_id>/qualifications/<int:held_id>/certificate",
        guards.guard_certificate,
        name="guard_certificate",
    ),
    path("qualifications", qualifications.catalogue, name="qualifications"),
    path("qualifications/add", qualifications.catalogue_add, name="qualification_add"),
    path("qualifications/<int:qualification_id>", qualifications.qualification_edit_view, name="qualification"),
    path(
        "qualifications/<int:qualification_id>/retire",
        qualifications.qualification_retire_view,
        name="qualification_retire",
    ),
    path("posts", qualifications.posts, name="posts"),
    path("posts/<int:post_id>", qualifications.post_detail, name="post"),
    path("posts/<int:post_id>/requirements", qualifications.post_requirement_add_view, name="post_requirement_add"),
    path(
        "posts/<int:post_id>/requirements/<int:qualification_id>/remove",
        qualifications.post_requirement_remove_view,
        name="post_requirement_remove",
    ),
]

# --- The live board and its alerts (console/views/live.py) ---
from console.views import live  # noqa: E402

urlpatterns += [
    path("live", live.board, name="live"),
    path("live/positions", live.positions, name="live_positions"),
    path("live/track/<int:shift_id>", live.track, name="live_track"),
    path("live/alerts", live.alerts, name="live_alerts"),
    path("live/alerts/panic/<uuid:alert_id>/acknowledge", live.panic_acknowledge, name="live_panic_acknowledge"),
    path("live/alerts/panic/<uuid:alert_id>/note", live.panic_note, name="live_panic_note"),
    path("live/alerts/panic/<uuid:alert_id>/resolve", live.panic_resolve, name="live_panic_resolve"),
    path("live/alerts/flag/<int:flag_id>/acknowledge", live.flag_acknowledge_view, name="live_flag_acknowledge"),
    path("live/alerts/flag/<int:flag_id>/note", live.flag_note, name="live_flag_note"),
    path("live/alerts/flag/<int:flag_id>/resolve", live.flag_resolve_view, name="live_flag_resolve"),
]

# --- Dispatch: service requests and security callbacks (console/views/dispatch.py) ---
from console.views import dispatch  # noqa: E402

urlpatterns += [
    path("dispatch", dispatch.requests_list, name="dispatch"),
    path("dispatch/new", dispatch.request_new, name="dispatch_new"),
    path("dispatch/targets", dispatch.targets, name="dispatch_targets"),
    path("dispatch/targets/save", dispatch.targets_save, name="dispatch_targets_save"),
    path("dispatch/<int:request_id>", dispatch.request_detail, name="dispatch_request"),
    path("dispatch/<int:request_id>/callback", dispatch.request_callback, name="dispatch_callback"),
    path("dispatch/<int:request_id>/suspicious", dispatch.request_suspicious, name="dispatch_suspicious"),
    path("dispatch/<int:request_id>/dispatch", dispatch.request_dispatch, name="dispatch_send"),
    path("dispatch/<int:request_id>/cancel", dispatch.request_cancel, name="dispatch_cancel"),
]

# --- The client call log (console/views/calls.py) ---
from console.views import calls  # noqa: E402

urlpatterns += [
    path("calls", calls.call_list, name="calls"),
    path("calls/new", calls.call_new, name="call_new"),
    path("calls/<int:call_id>", calls.call_detail, name="call"),
    path("calls/<int:call_id>/facts", calls.call_facts_panel, name="call_facts"),
    path("calls/<int:call_id>/<slug:action>", calls.call_action, name="call_action"),
    path("calls/followups", calls.followups, name="followups"),
    path("calls/followups/<int:followup_id>/done", calls.followup_done, name="followup_done"),
    path("calls/dispositions", calls.dispositions, name="dispositions"),
    # Company-wide records: the code and the client are in the form, not the URL.
    path("calls/dispositions/retire", calls.disposition_retire, name="disposition_retire"),
    path("calls/greetings", calls.greeting_update, name="greeting_update"),
    path("calls/insights", calls.insights, name="call_insights"),
    path("calls/insights.csv", calls.insights_csv, name="call_insights_csv"),
]

# --- Portal concerns, answered from the call page (console/views/concerns.py) ---
from console.views import concerns  # noqa: E402

urlpatterns += [
    path("calls/<int:call_id>/concern/answer", concerns.concern_answer_view, name="call_concern_answer"),
]

"""The portal's URLs (namespace `portal`). Each new URL needs a case in tests/portal/isolation_cases/
(the isolation test fails without one)."""

from django.urls import path

from portal.views import auth, concerns, reports, sites

app_name = "portal"

urlpatterns = [
    path("", sites.home, name="home"),
    path("login", auth.login_view, name="login"),
    path("logout", auth.logout_view, name="logout"),
    path("password", auth.password_change_view, name="password_change"),
    # Sites and their verified attendance.
    path("sites/<int:site_id>/attendance", sites.attendance, name="attendance"),
    path("shifts/<int:shift_id>/ask", concerns.ask_about_shift, name="ask_shift"),
    # Approved incident reports.
    path("reports", reports.report_list, name="reports"),
    path("reports/<uuid:report_id>", reports.report_detail, name="report"),
    path("reports/<uuid:report_id>/ask", concerns.ask_about_report, name="ask_report"),
    path("reports/<uuid:report_id>/photos/<uuid:photo_id>/<slug:variant>", reports.report_photo, name="report_photo"),
    # Concerns and their threads.
    path("concerns", concerns.concern_list, name="concerns"),
    path("concerns/<int:concern_id>", concerns.concern_detail, name="concern"),
    path("concerns/<int:concern_id>/reply", concerns.concern_reply_view, name="concern_reply"),
]

"""The console's URLs (namespace `console`). Each area adds its own block here, and a case for
each new URL in tests/console/isolation_cases/ (the isolation test fails without one)."""

from django.urls import path

from console.views import auth, home, reviews

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
    path(
        "reports/<uuid:report_id>/flags/<int:flag_id>/dismiss", reviews.report_flag_dismiss, name="report_flag_dismiss"
    ),
]

"""The console's URLs (namespace `console`). Each area adds its own block here, and a case for
each new URL in tests/console/isolation_cases/ (the isolation test fails without one)."""

from django.urls import path

from console.views import attendance as attendance_views  # attendance area
from console.views import auth, home

app_name = "console"

urlpatterns = [
    path("", home.home, name="home"),
    path("login", auth.login_view, name="login"),
    path("logout", auth.logout_view, name="logout"),
    path("password", auth.password_change_view, name="password_change"),
    # --- Attendance exceptions and guards (attendance area) ---
    path("attendance", attendance_views.attendance, name="attendance"),
    path("attendance/<int:flag_id>", attendance_views.attendance_exception, name="attendance_exception"),
    path(
        "attendance/<int:flag_id>/<slug:action>",
        attendance_views.attendance_resolve,
        name="attendance_resolve",
    ),
    path("guards", attendance_views.guards, name="guards"),
    path("guards/<int:guard_id>", attendance_views.guard_detail, name="guard"),
    path(
        "guards/<int:guard_id>/qualifications/<int:held_id>/certificate",
        attendance_views.guard_certificate,
        name="guard_certificate",
    ),
]

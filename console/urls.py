"""The console's URLs (namespace `console`). Each area adds its own block here, and a case for
each new URL in tests/console/isolation_cases/ (the isolation test fails without one)."""

from django.urls import path

from console.views import auth, home

app_name = "console"

urlpatterns = [
    path("", home.home, name="home"),
    path("login", auth.login_view, name="login"),
    path("logout", auth.logout_view, name="logout"),
    path("password", auth.password_change_view, name="password_change"),
]

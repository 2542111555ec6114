"""Signing in and out of the console, and changing one's password.

The login is the throttled one every surface shares (accounts/login.py, accounts/views.py):
after LOGIN_MAX_FAILURES_PER_USER wrong passwords the page answers 429 with Retry-After.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse_lazy

from backend.accounts.views import (
    SurfaceLoginView,
    SurfaceLogoutView,
    SurfacePasswordChangeView,
    surface_login_page,
)
from console.access import ConsoleRequest, console_view


class ConsoleLoginView(SurfaceLoginView):
    template_name = "console/login.html"
    home_url_name = "console:home"


login_view = surface_login_page(ConsoleLoginView)


class ConsoleLogoutView(SurfaceLogoutView):
    login_url_name = "console:login"


logout_view = ConsoleLogoutView.as_view()

_password_change = SurfacePasswordChangeView.as_view(
    template_name="console/password_change.html", success_url=reverse_lazy("console:home")
)


@console_view
def password_change_view(request: ConsoleRequest) -> HttpResponse:
    return _password_change(request)  # type: ignore[return-value]

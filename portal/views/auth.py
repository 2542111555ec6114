"""Signing in to and out of the portal, and changing one's password.

The sign-in is the throttled one every surface shares (accounts/login.py via
accounts/views.py): too many wrong passwords and the page answers 429 with Retry-After.
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
from portal.access import PortalRequest, portal_view


class PortalLoginView(SurfaceLoginView):
    template_name = "portal/login.html"
    home_url_name = "portal:home"


login_view = surface_login_page(PortalLoginView)


class PortalLogoutView(SurfaceLogoutView):
    login_url_name = "portal:login"


logout_view = PortalLogoutView.as_view()

_password_change = SurfacePasswordChangeView.as_view(
    template_name="portal/password_change.html", success_url=reverse_lazy("portal:home")
)


@portal_view
def password_change_view(request: PortalRequest) -> HttpResponse:
    return _password_change(request)  # type: ignore[return-value]

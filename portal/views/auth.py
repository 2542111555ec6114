"""Signing in to and out of the portal, and changing one's password.

The sign-in is the throttled one every surface shares (accounts/login.py via
accounts/views.py): too many wrong passwords and the page answers 429 with Retry-After.
"""

from __future__ import annotations

from django.http.response import HttpResponseBase

from backend.accounts.views import surface_auth_views
from portal.access import PortalRequest, portal_view

_auth = surface_auth_views(surface="portal")
login_view = _auth.login
logout_view = _auth.logout


@portal_view
def password_change_view(request: PortalRequest) -> HttpResponseBase:
    return _auth.password_change(request)

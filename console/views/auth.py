"""Signing in to and out of the console, and changing one's password.

The sign-in is the throttled one every surface shares (accounts/login.py via
accounts/views.py): too many wrong passwords and the page answers 429 with Retry-After.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpResponse

from backend.accounts.views import surface_auth_views
from console.access import ConsoleRequest, console_view

_auth = surface_auth_views(surface="console")
login_view = _auth.login
logout_view = _auth.logout


@console_view
def password_change_view(request: ConsoleRequest) -> HttpResponse:
    return cast(HttpResponse, _auth.password_change(request))

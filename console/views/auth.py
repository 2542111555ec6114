"""Signing in and out of the console, and changing one's password.

The login is the throttled one every surface shares (accounts/login.py): after
LOGIN_MAX_FAILURES_PER_USER wrong passwords the page answers 429 with Retry-After.
"""

from __future__ import annotations

import time
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache

from backend.accounts.forms import ThrottledAuthenticationForm
from backend.accounts.views import refusal_status
from console.access import ConsoleRequest, console_view
from console.middleware import LAST_SEEN_KEY


class ConsoleLoginView(auth_views.LoginView):
    template_name = "console/login.html"
    authentication_form = ThrottledAuthenticationForm

    def get_default_redirect_url(self) -> str:
        return reverse("console:home")

    def form_valid(self, form: Any) -> HttpResponse:
        # Django's login() gives the session a new key (no session fixation); the idle clock starts now.
        response = super().form_valid(form)
        self.request.session[LAST_SEEN_KEY] = int(time.time())
        return response


@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """The console's sign-in page; 429/503 with Retry-After when the throttle refuses."""
    return refusal_status(cast(HttpResponse, ConsoleLoginView.as_view()(request)))


class ConsoleLogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView answers GET with 405): a link cannot sign anyone out."""

    def get_default_redirect_url(self) -> str:
        return reverse("console:login")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are signed out.")
        return response


logout_view = ConsoleLogoutView.as_view()


class ConsolePasswordChangeView(auth_views.PasswordChangeView):
    template_name = "console/password_change.html"
    success_url = reverse_lazy("console:home")

    def form_valid(self, form: Any) -> HttpResponse:
        # Django keeps this session signed in (update_session_auth_hash) and ends the others.
        response = super().form_valid(form)
        messages.success(self.request, "Your password was changed.")
        return response


_password_change = ConsolePasswordChangeView.as_view()


@console_view
def password_change_view(request: ConsoleRequest) -> HttpResponse:
    return _password_change(request)  # type: ignore[return-value]

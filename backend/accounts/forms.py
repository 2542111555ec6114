"""Login forms that check the password through the throttled login service."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from backend.accounts.errors import InvalidCredentials, TooManyAttempts
from backend.accounts.login import login_authenticate
from backend.core.errors import ApplicationError, ServiceUnavailable
from backend.core.http import client_ip


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, with failures counted per username and address (Redis).

    When the throttle refuses (429) or cannot count (503), `refusal` holds the error so
    the view can answer with its status and Retry-After; the form shows its message.
    """

    refusal: ApplicationError | None = None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = login_authenticate(
                    username=username,
                    password=password,
                    client_ip=client_ip(self.request) if self.request is not None else "unknown",
                )
            except InvalidCredentials:
                raise self.get_invalid_login_error() from None
            except (TooManyAttempts, ServiceUnavailable) as refusal:
                self.refusal = refusal
                raise ValidationError(refusal.message, code=refusal.code) from None
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ThrottledAdminAuthenticationForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin's login form (staff only), throttled."""

"""Bearer authentication with per-device tokens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from backend.accounts.models import User
from backend.devices.services import device_token_authenticate


class DeviceTokenAuth(HttpBearer):
    """Accepts a live device token; exposes the token as `request.device_token`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        record = device_token_authenticate(raw_token=token)
        if record is None:
            return None
        request_any: Any = request
        request_any.device_token = record
        return record.user


def guard_of(request: HttpRequest) -> User:
    """The authenticated guard (set by DeviceTokenAuth)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)  # noqa: S101 - DeviceTokenAuth guarantees it
    return user

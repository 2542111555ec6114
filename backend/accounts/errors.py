"""What logging in and changing people refuse, each with its code and HTTP status."""

from __future__ import annotations

from backend.core.errors import ApplicationError, PermissionDenied


class InvalidCredentials(ApplicationError, code="invalid_credentials", status=401):
    """Wrong username or password, or an inactive account: the answer never says which."""


class TooManyAttempts(ApplicationError, code="too_many_attempts", status=429):
    """Too many failed logins for the username or the address; the phone waits (Retry-After)."""


class PrivilegeChangeRefused(PermissionDenied, code="privilege_change_refused"):
    """A manager tried to give or change a power that only GuardOps staff grant."""

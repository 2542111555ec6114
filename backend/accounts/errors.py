"""What logging in and changing people refuse, each with its code and HTTP status."""

from __future__ import annotations

from backend.core.errors import ApplicationError, PermissionDenied


class InvalidCredentials(ApplicationError):
    code = "invalid_credentials"
    status = 401


class TooManyAttempts(ApplicationError):
    code = "too_many_attempts"
    status = 429


class PrivilegeChangeRefused(PermissionDenied):
    code = "privilege_change_refused"

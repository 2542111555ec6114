"""Errors services raise; one handler per interface maps them to responses.

Each error carries a stable machine-readable `code`, an HTTP `status` and, where one
input is at fault, the `field` so a client can point at it.
"""

from typing import Any, ClassVar


class ApplicationError(Exception):
    """Base of every expected, user-facing failure of a service.

    A subclass names its code and status in its header:
    `class PhotoTooLarge(ApplicationError, code="photo_too_large", status=413)`.
    """

    code = "application_error"
    status = 400

    def __init_subclass__(cls, *, code: str | None = None, status: int | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code
        if status is not None:
            cls.status = status

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["fields"] = {self.field: [self.message]}
        body.update(self.extra)
        return body


class ValidationFailed(ApplicationError, code="validation_error", status=422):
    """An input is malformed or out of range; `field` names it."""


class NotFound(ApplicationError, code="not_found", status=404):
    """Also used for another tenant's object: its existence is not disclosed."""


class RecordNotFound(NotFound):
    """One kind of record is missing or another tenant's, always in the same words.

    A subclass names its code and fixed message (and the field, if one input names the
    record) in its header, and is raised with no arguments:
    `class ShiftNotFound(RecordNotFound, code="shift_not_found", message="No such shift.", field="shift_id")`.
    """

    fixed_message: ClassVar[str]
    fixed_field: ClassVar[str | None]

    def __init_subclass__(cls, *, message: str, field: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.fixed_message, cls.fixed_field = message, field

    def __init__(self) -> None:
        super().__init__(self.fixed_message, field=self.fixed_field)


class PermissionDenied(ApplicationError, code="forbidden", status=403):
    """The person is known but may not do this (within their own company)."""


class Conflict(ApplicationError, code="conflict", status=409):
    """The request is valid but the record's state does not allow it now."""


class ServiceUnavailable(ApplicationError, code="service_unavailable", status=503):
    """Something the request needs (e.g. Redis for the login throttle) is down; retry later."""

    RETRY_AFTER_SECONDS = 30

    def __init__(self, message: str, **kwargs: Any) -> None:
        kwargs.setdefault("extra", {"retry_after": self.RETRY_AFTER_SECONDS})
        super().__init__(message, **kwargs)

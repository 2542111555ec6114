"""The attendance app's errors: what a reviewer can get wrong resolving an attendance exception."""

from __future__ import annotations

from backend.core.errors import NotFound


class ExceptionNotFound(NotFound, code="exception_not_found"):
    """No such attendance exception, or another tenant's (not disclosed)."""

    def __init__(self) -> None:
        super().__init__("No such attendance exception.", field="flag_id")

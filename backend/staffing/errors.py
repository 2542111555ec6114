"""The staffing app's errors: what a reviewer can get wrong about a shift's attendance."""

from __future__ import annotations

from backend.core.errors import Conflict, NotFound


class ShiftNotFound(NotFound):
    """No such shift, or another tenant's (not disclosed)."""

    code = "shift_not_found"

    def __init__(self) -> None:
        super().__init__("No such shift.", field="shift_id")


class ShiftNotMissable(Conflict):
    """Only a scheduled shift that has begun with nobody clocked in can be marked a no-show."""

    code = "shift_not_missable"


class QualificationMissing(Conflict):
    """The guard lacks a qualification the post requires for the shift's dates (a manager may override)."""

    code = "qualification_missing"

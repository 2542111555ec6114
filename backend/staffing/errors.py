"""The staffing app's errors: what a reviewer can get wrong about a shift's attendance."""

from __future__ import annotations

from backend.core.errors import Conflict, RecordNotFound


class ShiftNotFound(RecordNotFound, code="shift_not_found", message="No such shift.", field="shift_id"):
    """No such shift, or another tenant's (not disclosed)."""


class ShiftNotMissable(Conflict, code="shift_not_missable"):
    """Only a scheduled shift that has begun with nobody clocked in can be marked a no-show."""


class QualificationMissing(Conflict, code="qualification_missing"):
    """The guard lacks a qualification the post requires for the shift's dates (a manager may override)."""

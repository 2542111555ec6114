"""What a client contact can get wrong in the portal's pages (a day out of range, a shift not theirs)."""

from __future__ import annotations

from backend.core.errors import RecordNotFound, ValidationFailed


class DayOutOfRange(ValidationFailed, code="day_out_of_range"):
    """A day or week in the future, or older than the portal reaches back; `field` names the input."""


class ShiftNotFound(RecordNotFound, code="shift_not_found", message="No such shift."):
    """No such shift on the contact's sites (another client's is not disclosed)."""

"""The incidents app's errors: what a reviewer or a guard can get wrong about a report."""

from __future__ import annotations

from backend.core.errors import Conflict, NotFound


class ReportNotFound(NotFound):
    """No such report, or another tenant's (not disclosed)."""

    code = "report_not_found"

    def __init__(self) -> None:
        super().__init__("No such report.")


class ReportAlreadyApproved(Conflict):
    """Approved is final: a second approval or a late return is refused, naming who approved."""

    code = "report_already_approved"


class ReportAlreadyReturned(Conflict):
    """The report is with its guard for correction; nothing to review until it comes back."""

    code = "report_already_returned"


class OpenCriticalFlags(Conflict):
    """Approving over open critical flags needs `confirm_open_critical` and a note saying why."""

    code = "open_critical_flags"

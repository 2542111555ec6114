"""The incidents app's errors: what a reviewer or a guard can get wrong about a report."""

from __future__ import annotations

from backend.core.errors import ApplicationError, Conflict, RecordNotFound


class ReportNotFound(RecordNotFound, code="report_not_found", message="No such report."):
    """No such report, or another tenant's (not disclosed)."""


class ReportAlreadyApproved(Conflict, code="report_already_approved"):
    """Approved is final: a second approval or a late return is refused, naming who approved."""


class ReportAlreadyReturned(Conflict, code="report_already_returned"):
    """The report is with its guard for correction; nothing to review until it comes back."""


class OpenCriticalFlags(Conflict, code="open_critical_flags"):
    """Approving over open critical flags needs `confirm_open_critical` and a note saying why."""


class PhotoTooLarge(ApplicationError, code="photo_too_large", status=413):
    """The upload is over the photo size limit (by Content-Length or by what was read)."""


class UnsupportedImage(ApplicationError, code="unsupported_image", status=415):
    """The file is empty or not a JPEG, PNG or HEIC by its content."""


class ImageTooLarge(ApplicationError, code="image_too_large", status=422):
    """The image decodes to more pixels than the server will process."""

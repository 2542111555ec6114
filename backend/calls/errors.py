"""The call log's errors: what a manager can get wrong while logging a call."""

from __future__ import annotations

from backend.core.errors import Conflict, RecordNotFound


class CallNotFound(RecordNotFound, code="call_not_found", message="No such call."):
    """No such call, or another tenant's or site's (not disclosed)."""


class CallClientNotFound(RecordNotFound, code="client_not_found", message="No such client.", field="client"):
    """The client is another company's, or has none of a supervisor's sites."""


class CallerContactNotFound(
    RecordNotFound, code="caller_contact_not_found", message="No such contact of this client.", field="contact"
):
    """The contact is not an active contact of the call's client."""


class CallSiteNotFound(RecordNotFound, code="site_not_found", message="No such site of this client.", field="site"):
    """The site is another client's, or not one the person logging the call may see."""


class CallShiftNotFound(
    RecordNotFound, code="shift_not_found", message="No such shift at this client's sites.", field="shift"
):
    """The shift is on another client's (or an unseen) site."""


class CallReportNotFound(
    RecordNotFound, code="report_not_found", message="No such report at this client's sites.", field="incident"
):
    """The report is on another client's (or an unseen) site."""


class DispositionNotFound(
    RecordNotFound, code="disposition_not_found", message="No such disposition code.", field="disposition"
):
    """The code is another company's, or retired."""


class FollowUpNotFound(RecordNotFound, code="followup_not_found", message="No such follow-up."):
    """No such follow-up, or another tenant's (not disclosed)."""


class FollowUpOwnerNotFound(
    RecordNotFound, code="owner_not_found", message="No such manager or supervisor.", field="owner"
):
    """A follow-up's owner must be an active manager or supervisor of the company."""


class CallClosed(Conflict, code="call_closed"):
    """A closed call is evidence: it takes notes, never edits."""


class FollowUpAlreadyDone(Conflict, code="followup_already_done"):
    """Somebody completed the follow-up already."""


class DispositionInUse(Conflict, code="disposition_in_use"):
    """A code a call carries can be retired, never edited or removed."""


class ConcernNotFound(RecordNotFound, code="concern_not_found", message="No such concern."):
    """No such concern of this contact (another contact's or client's is not disclosed)."""


class ConcernSubjectNotFound(
    RecordNotFound, code="concern_subject_not_found", message="No such entry on your sites.", field="subject"
):
    """The site, shift or report asked about is not one the contact may see."""


class ConcernClosed(Conflict, code="concern_closed"):
    """Operations closed the concern: it takes no more messages (raise a new one)."""

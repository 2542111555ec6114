"""What a request for a client document can get wrong; each error names its code and field."""

from __future__ import annotations

from backend.core.errors import Conflict, RecordNotFound, ValidationFailed


class DocumentNotFound(RecordNotFound, code="document_not_found", message="No such document."):
    """No such document, or one of a client or site the viewer may not see (not disclosed)."""


class IncidentNotApproved(
    RecordNotFound, code="incident_not_approved", message="No such approved report.", field="incident"
):
    """Clients only ever get approved reports: a report under review is, to them, not there."""


class SiteNotOfClient(RecordNotFound, code="site_not_of_client", message="No such site of this client.", field="site"):
    """The site belongs to another client (or company): not disclosed."""


class DocumentInputInvalid(ValidationFailed):
    """A period, a kind or a scope that does not make a document; `code` and `field` say which."""


class DocumentNotReady(Conflict, code="document_not_ready"):
    """The PDF is still being made (or failed): there are no bytes to send yet."""


class DeliveryPreferenceInvalid(ValidationFailed):
    """A delivery preference that cannot be kept; `code` and `field` say which input."""

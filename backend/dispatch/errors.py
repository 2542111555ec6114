"""The dispatch app's errors: what a dispatcher or a guard can get wrong with a service request."""

from __future__ import annotations

from backend.core.errors import Conflict, RecordNotFound


class ServiceRequestNotFound(
    RecordNotFound, code="service_request_not_found", message="No such service request.", field="request_id"
):
    """No such request, another tenant's or site's, or (for a guard) not dispatched to them: never disclosed."""


class CallbackRequired(Conflict, code="callback_required"):
    """The security callback gate is closed: the message says why and what would open it."""


class SecondCallbackRequired(Conflict, code="second_callback_required"):
    """The request needs a callback on arrival that reached a person before it can be completed."""


class RequestNotOpen(Conflict, code="request_not_open"):
    """The request's status does not allow this step now; the message says where it stands."""

"""The tracking app's errors: what a reviewer can get wrong about a panic alert."""

from __future__ import annotations

from backend.core.errors import ApplicationError, Conflict, RecordNotFound


class PanicAlertNotFound(RecordNotFound, code="panic_alert_not_found", message="No such panic alert."):
    """No such panic alert, or another tenant's (not disclosed)."""


class PanicAlertAlreadyAcknowledged(Conflict, code="panic_alert_already_acknowledged"):
    """Someone already took the alert; the message names who and when."""


class PanicAlertNotAcknowledged(Conflict, code="panic_alert_not_acknowledged"):
    """An alert is resolved only after someone acknowledged handling it."""


class PanicAlertAlreadyResolved(Conflict, code="panic_alert_already_resolved"):
    """Resolved is final; the message names who resolved it, when and how."""


class BatchTooLarge(ApplicationError, code="batch_too_large", status=413):
    """A ping batch has more breadcrumbs than one request may carry."""

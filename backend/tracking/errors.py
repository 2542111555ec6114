"""The tracking app's errors: what a reviewer can get wrong about a panic alert."""

from __future__ import annotations

from backend.core.errors import ApplicationError, Conflict, NotFound


class PanicAlertNotFound(NotFound):
    """No such panic alert, or another tenant's (not disclosed)."""

    code = "panic_alert_not_found"

    def __init__(self) -> None:
        super().__init__("No such panic alert.")


class PanicAlertAlreadyAcknowledged(Conflict):
    """Someone already took the alert; the message names who and when."""

    code = "panic_alert_already_acknowledged"


class PanicAlertNotAcknowledged(Conflict):
    """An alert is resolved only after someone acknowledged handling it."""

    code = "panic_alert_not_acknowledged"


class PanicAlertAlreadyResolved(Conflict):
    """Resolved is final; the message names who resolved it, when and how."""

    code = "panic_alert_already_resolved"


class BatchTooLarge(ApplicationError, code="batch_too_large", status=413):
    """A ping batch has more breadcrumbs than one request may carry."""

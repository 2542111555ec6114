"""What the tracking services refuse, each with its code and HTTP status."""

from __future__ import annotations

from backend.core.errors import ApplicationError


class BatchTooLarge(ApplicationError, code="batch_too_large", status=413):
    """A ping batch has more breadcrumbs than one request may carry."""

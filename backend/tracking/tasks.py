"""Celery tasks of the field: each takes ids and calls one service."""

import uuid

from celery import shared_task

from backend.tracking.field_services import panic_alert_notify_managers


@shared_task
def panic_alert_notify_task(alert_id: str) -> int:
    """Email the managers about a panic alert (run through the outbox, which retries it)."""
    return panic_alert_notify_managers(alert_id=uuid.UUID(alert_id))

"""The call log's Celery tasks: each takes ids and calls one service."""

from celery import shared_task

from backend.calls.concerns import concern_message_email


@shared_task(ignore_result=True)
def concern_message_email_task(message_id: int) -> int:
    """E-mail one message of a portal concern to whoever it is for (run from the outbox)."""
    return concern_message_email(message_id=message_id)

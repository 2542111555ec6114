"""Celery tasks of service requests: each takes ids and calls one service."""

import uuid

from celery import shared_task

from backend.dispatch.services import dispatch_photo_thumbnail_make


@shared_task
def dispatch_photo_make_thumbnail(photo_id: str) -> bool:
    """Make a completion photo's thumbnail (idempotent: a photo that has one is left alone)."""
    return dispatch_photo_thumbnail_make(photo_id=uuid.UUID(photo_id))

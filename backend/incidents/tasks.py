"""Celery tasks of incident reports: each takes ids and calls one service."""

import uuid

from celery import shared_task

from backend.incidents.services import incident_photo_thumbnail_make


@shared_task
def incident_photo_make_thumbnail(photo_id: str) -> bool:
    """Make a photo's thumbnail (idempotent: a photo that has one is left alone)."""
    return incident_photo_thumbnail_make(photo_id=uuid.UUID(photo_id))

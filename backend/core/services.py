"""Core services: worker heartbeat round trip."""

from django.db import transaction
from django.utils import timezone

from backend.core.models import WorkerHeartbeat


@transaction.atomic
def heartbeat_request() -> WorkerHeartbeat:
    """Store a heartbeat and enqueue its completion once the row is committed."""
    from backend.core.tasks import heartbeat_complete_task

    heartbeat = WorkerHeartbeat.objects.create()
    transaction.on_commit(lambda: heartbeat_complete_task.delay(heartbeat.pk))
    return heartbeat


def heartbeat_complete(*, heartbeat_id: int, worker_hostname: str) -> None:
    """Mark a heartbeat as answered; a re-delivered message changes nothing."""
    WorkerHeartbeat.objects.filter(pk=heartbeat_id, completed_at__isnull=True).update(
        completed_at=timezone.now(), worker_hostname=worker_hostname[:255]
    )

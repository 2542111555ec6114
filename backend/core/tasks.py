from typing import Any

from celery import shared_task

from backend.core.services import heartbeat_complete


@shared_task(bind=True)
def heartbeat_complete_task(self: Any, heartbeat_id: int) -> None:
    heartbeat_complete(heartbeat_id=heartbeat_id, worker_hostname=self.request.hostname or "eager")

from typing import Any

from celery import shared_task

from backend.core.outbox import outbox_deliver, outbox_redeliver
from backend.core.services import heartbeat_complete


@shared_task(bind=True)
def heartbeat_complete_task(self: Any, heartbeat_id: int) -> None:
    heartbeat_complete(heartbeat_id=heartbeat_id, worker_hostname=self.request.hostname or "eager")


# No result to store: the outcome is on the outbox row (and publishing must not touch the
# result backend, which is the same Redis that may be down).
@shared_task(ignore_result=True)
def outbox_deliver_task(message_id: int) -> bool:
    """Run one outbox message's task and mark it done."""
    return outbox_deliver(message_id=message_id)


@shared_task(ignore_result=True)
def outbox_redeliver_task() -> int:
    """Beat job: publish again the outbox messages still due."""
    return outbox_redeliver()

"""Side effects that must happen (a manager paged, a thumbnail made), delivered at least once.

A change records its side effect as an `OutboxMessage` in its own transaction, so the
two commit or roll back together. After commit the message is published to the broker;
when that fails (the broker is down) the request still succeeds and the row stays
pending. The worker runs the named task and marks the row done; the redelivery beat job
publishes again whatever is still pending, or was handed out long ago and never finished
(a worker died). Tasks run this way must be idempotent: a message can run twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from celery import Task, current_app
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from backend.core.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
"""Runs of a task that raised (or killed its worker) before the message is marked failed."""
RETRY_BACKOFF = timedelta(seconds=30)
"""Wait before the second run; doubled for each further one, up to MAX_RETRY_BACKOFF."""
MAX_RETRY_BACKOFF = timedelta(hours=1)
STALE_AFTER = timedelta(minutes=10)
"""A message handed out this long ago and not done is published again (its worker died)."""
REDELIVER_BATCH = 200
# One broker attempt plus two quick retries: a request must not hang on a dead broker.
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def outbox_enqueue(*, task: Task[Any, Any] | str, args: list[Any], dedup_key: str | None = None) -> OutboxMessage:
    """Record that `task(*args)` must run once the caller's transaction commits.

    With a `dedup_key`, the side effect is recorded once: a second call returns the first
    row (whatever its status) and publishes nothing.
    """
    now = timezone.now()
    message = OutboxMessage(
        task=task if isinstance(task, str) else task.name,
        args=args,
        dedup_key=dedup_key,
        available_at=now,
    )
    try:
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        if dedup_key is None:
            raise
        return OutboxMessage.objects.get(dedup_key=dedup_key)
    transaction.on_commit(partial(outbox_publish, message_id=message.pk))
    return message


def outbox_publish(*, message_id: int) -> bool:
    """Hand a pending message to the broker; True when the broker took it.

    Never raises: the change is committed and the row is the promise, so a broker that
    is down leaves the message pending for the redelivery job.
    """
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENT, dispatched_at=now, updated_at=now
    )
    return bool(claimed) and _publish(message_id=message_id, dispatched_at=now)


def _publish(*, message_id: int, dispatched_at: datetime) -> bool:
    """Send the claimed message to the broker; on failure put it back to pending."""
    from backend.core.tasks import outbox_deliver_task

    try:
        outbox_deliver_task.apply_async((message_id,), retry_policy=PUBLISH_RETRY_POLICY)
    except Exception as error:  # whatever the broker raises, the row keeps the promise
        logger.warning("Outbox message %s stays pending: could not publish it (%r).", message_id, error)
        now = timezone.now()
        OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.SENT, dispatched_at=dispatched_at).update(
            status=OutboxStatus.PENDING, available_at=now, last_error=f"publish: {error!r}"[:2000], updated_at=now
        )
        return False
    return True


def outbox_deliver(*, message_id: int) -> bool:
    """Run a message's task in this worker and mark it done; True when it ran to completion.

    A done (or failed) message is never run again. A task that raises is run again by the
    redelivery job after a growing wait, until MAX_ATTEMPTS; its error is kept on the row.
    """
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None or message.status in (OutboxStatus.DONE, OutboxStatus.FAILED):
        return False
    now = timezone.now()
    # SENT with a fresh dispatched_at: the redelivery job leaves a running message alone.
    OutboxMessage.objects.filter(pk=message_id).exclude(status__in=[OutboxStatus.DONE, OutboxStatus.FAILED]).update(
        status=OutboxStatus.SENT, dispatched_at=now, attempts=F("attempts") + 1, updated_at=now
    )
    attempts = message.attempts + 1
    task = current_app.tasks.get(message.task)
    if task is None:
        _record_failure(message_id=message_id, attempts=MAX_ATTEMPTS, error=f"unknown task {message.task!r}")
        return False
    try:
        task(*message.args)
    except Exception as error:  # any failure is kept on the row and retried later
        logger.exception("Outbox message %s (%s) failed on attempt %s.", message_id, message.task, attempts)
        _record_failure(message_id=message_id, attempts=attempts, error=f"{type(error).__name__}: {error}")
        return False
    done_at = timezone.now()
    OutboxMessage.objects.filter(pk=message_id).exclude(status=OutboxStatus.DONE).update(
        status=OutboxStatus.DONE, completed_at=done_at, last_error="", updated_at=done_at
    )
    return True


def _retry_wait(attempts: int) -> timedelta:
    doublings: int = 2 ** max(attempts - 1, 0)
    return min(RETRY_BACKOFF * doublings, MAX_RETRY_BACKOFF)


def _record_failure(*, message_id: int, attempts: int, error: str) -> None:
    now = timezone.now()
    gave_up = attempts >= MAX_ATTEMPTS
    if gave_up:
        logger.error("Outbox message %s failed %s times; giving up: %s", message_id, attempts, error)
    OutboxMessage.objects.filter(pk=message_id).exclude(status=OutboxStatus.DONE).update(
        status=OutboxStatus.FAILED if gave_up else OutboxStatus.PENDING,
        available_at=now + _retry_wait(attempts),
        last_error=error[:2000],
        updated_at=now,
    )


def outbox_redeliver(*, now: datetime | None = None) -> int:
    """Publish again what is still due; returns how many messages the broker took.

    Due: pending and available now, or handed out more than STALE_AFTER ago without
    finishing. Stops at the first publish that fails (the broker is down: the next run
    tries again), so the beat job itself never fails for a missing broker.
    """
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(
        Q(status=OutboxStatus.PENDING, available_at__lte=now)
        | Q(status=OutboxStatus.SENT, dispatched_at__lte=now - STALE_AFTER)
    ).order_by("available_at", "pk")[:REDELIVER_BATCH]
    published = 0
    for message in due:
        if message.status == OutboxStatus.SENT and message.attempts >= MAX_ATTEMPTS:
            _record_failure(message_id=message.pk, attempts=message.attempts, error="no worker finished it")
            continue
        # The claim is conditional on what was read: a worker or another beat that moved
        # the row meanwhile wins, and this run leaves it alone.
        claimed = OutboxMessage.objects.filter(
            pk=message.pk, status=message.status, dispatched_at=message.dispatched_at
        ).update(status=OutboxStatus.SENT, dispatched_at=now, updated_at=now)
        if not claimed:
            continue
        if not _publish(message_id=message.pk, dispatched_at=now):
            break
        published += 1
    return published

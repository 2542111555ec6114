"""Shared model bases; the tenant-scoping query set they use lives in core/tenancy.py."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

# Still importable from here (older imports); its home is core/tenancy.py.
from backend.core.tenancy import TenantQuerySet

__all__ = [
    "NotificationRecord",
    "TenantModel",
    "TenantQuerySet",
    "TimeStampedModel",
    "WorkerHeartbeat",
    "paths_through_site",
]


class TimeStampedModel(models.Model):
    """Creation and last-change times on every domain row."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TenantModel(TimeStampedModel):
    """A row that belongs to exactly one Company, reachable through TENANT_PATH.

    A row of one of the company's clients also names CLIENT_PATH (to the Client) and,
    when it is on a site, SITE_PATH (to the Site); see core/tenancy.py.
    """

    TENANT_PATH: ClassVar[str]
    CLIENT_PATH: ClassVar[str | tuple[str, ...]]
    SITE_PATH: ClassVar[str | tuple[str, ...]]

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


def paths_through_site(site_path: str) -> tuple[str, str, str]:
    """TENANT_PATH, CLIENT_PATH and SITE_PATH of a row that hangs from a site through `site_path`.

    `TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("shift__post__site")` in a
    model's body: the three can then never point at different sites.
    """
    client_path = f"{site_path}__client"
    return f"{client_path}__company", client_path, site_path


class NotificationRecord(TenantModel):
    """That one person was told about something, on one channel: kept so nobody is told twice.

    A concrete subclass adds the foreign key to what was notified and the unique
    constraint over it, `recipient` and `channel`.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=16, default="email")
    address = models.CharField(max_length=254)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ("-created_at",)


class WorkerHeartbeat(TimeStampedModel):
    """A round trip through the broker and a worker: requested here, completed there.

    Operators (and a test) use it to prove that tasks enqueued by the web process are
    executed by a live worker against the same database.
    """

    completed_at = models.DateTimeField(null=True, blank=True)
    worker_hostname = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        state = f"completed by {self.worker_hostname}" if self.completed_at else "pending"
        return f"Heartbeat #{self.pk} ({state})"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent to the broker"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class OutboxMessage(TimeStampedModel):
    """A side effect that must happen, recorded in the transaction of the change that causes it.

    The row is the durable promise: publishing it to the broker after commit may fail
    (the broker is down), a worker may die while running it; the redelivery beat job
    publishes it again until a worker has run its task to completion (`done`).
    """

    task = models.CharField(max_length=200, help_text="Name of the Celery task the worker runs.")
    args = models.JSONField(default=list, blank=True, help_text="Positional arguments of the task (ids).")
    dedup_key = models.CharField(
        max_length=200,
        null=True,
        blank=True,
        unique=True,
        help_text="One side effect, one row: recording it again with this key changes nothing.",
    )
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0, help_text="Times a worker started the task.")
    last_error = models.TextField(blank=True)
    available_at = models.DateTimeField(help_text="The redelivery job leaves a pending row alone until then.")
    dispatched_at = models.DateTimeField(
        null=True, blank=True, help_text="Last handed to the broker or started by a worker."
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=("status", "available_at"), name="outbox_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[choice.value for choice in OutboxStatus]), name="outbox_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(completed_at__isnull=False),
                name="outbox_done_has_completed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}({', '.join(map(str, self.args))}) {self.status}"

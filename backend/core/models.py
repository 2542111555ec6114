"""Shared model bases and the tenant-scoping query set every domain model uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.db import models

if TYPE_CHECKING:
    from backend.accounts.models import Company


class TimeStampedModel(models.Model):
    """Creation and last-change times on every domain row."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TenantQuerySet(models.QuerySet[Any]):
    """Query set whose `for_company` is the one way to read a tenant's rows.

    Each tenant-owned model names the lookup path from itself to its Company in
    `TENANT_PATH`; `for_company` filters on it, so a selector cannot scope a query by
    hand and get the join wrong.
    """

    def for_company(self, company: Company | int) -> Self:
        path: str = self.model.TENANT_PATH
        return self.filter(**{path: company})


class TenantModel(TimeStampedModel):
    """A row that belongs to exactly one Company, reachable through TENANT_PATH."""

    TENANT_PATH: ClassVar[str]

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


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

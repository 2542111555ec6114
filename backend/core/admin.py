from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backend.core.models import OutboxMessage, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
    list_display = ("id", "created_at", "completed_at", "worker_hostname")
    readonly_fields = ("created_at", "completed_at", "worker_hostname")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin[OutboxMessage]):
    """For operators: what is owed, what failed and why. Read-only; the beat job redelivers."""

    list_display = ("id", "task", "status", "attempts", "created_at", "dispatched_at", "completed_at")
    list_filter = ("status", "task")
    search_fields = ("dedup_key", "last_error")
    readonly_fields = (
        "task", "args", "dedup_key", "status", "attempts", "last_error",
        "available_at", "dispatched_at", "completed_at", "created_at", "updated_at",
    )  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

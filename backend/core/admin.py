from django.contrib import admin

from backend.core.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
    list_display = ("id", "created_at", "completed_at", "worker_hostname")
    readonly_fields = ("created_at", "completed_at", "worker_hostname")

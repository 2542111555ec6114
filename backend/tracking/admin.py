"""What phones reported, for managers to look at: evidence, so nobody edits or deletes it."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backend.core.admin_tenancy import TenantScopedAdmin
from backend.tracking.models import ActivityEntry, CheckpointScan, ClockEvent, PanicAlert, Ping

_DEVICE_TIMES = ("recorded_at", "sent_at", "received_at")
_POSITION = ("location", "accuracy_m", "is_mock", "fence", "distance_m")


class EvidenceAdmin(TenantScopedAdmin):
    """Read-only and tenant-scoped: rows come only from phones, through the mobile API."""

    # Breadcrumb tables grow to millions of rows; skip the unfiltered COUNT(*).
    show_full_result_count = False
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ping)
class PingAdmin(EvidenceAdmin):
    list_display = ("recorded_at", "shift", "fence", "distance_m", "accuracy_m", "speed_mps", "is_mock", "received_at")
    list_filter = ("fence", "is_mock")
    list_select_related = ("shift__guard", "shift__post__site")
    search_fields = ("=id", "shift__guard__username", "shift__guard__last_name")
    fields = ("id", "shift", *_DEVICE_TIMES, *_POSITION, "speed_mps", "heading")


@admin.register(ClockEvent)
class ClockEventAdmin(EvidenceAdmin):
    list_display = ("shift", "kind", "recorded_at", "received_at", "fence", "distance_m", "accuracy_m", "is_mock")
    list_filter = ("kind", "fence", "is_mock", "shift__post__site")
    list_select_related = ("shift__guard", "shift__post__site")
    search_fields = ("shift__guard__username", "shift__guard__last_name")
    fields = ("shift", "kind", *_DEVICE_TIMES, *_POSITION)


@admin.register(ActivityEntry)
class ActivityEntryAdmin(EvidenceAdmin):
    list_display = ("recorded_at", "shift", "text", "fence", "is_mock")
    list_filter = ("fence", "shift__post__site")
    list_select_related = ("shift__guard", "shift__post__site")
    search_fields = ("text", "shift__guard__username", "shift__guard__last_name")
    fields = ("id", "shift", "text", *_DEVICE_TIMES, *_POSITION)


@admin.register(CheckpointScan)
class CheckpointScanAdmin(EvidenceAdmin):
    list_display = ("recorded_at", "checkpoint", "guard", "distance_to_checkpoint_m", "fence", "is_mock")
    list_filter = ("fence", "is_mock", "checkpoint__site")
    list_select_related = ("checkpoint", "guard")
    search_fields = ("checkpoint__name", "checkpoint__code", "guard__username", "guard__last_name")
    fields = ("id", "checkpoint", "guard", "shift", "distance_to_checkpoint_m", *_DEVICE_TIMES, *_POSITION)


@admin.register(PanicAlert)
class PanicAlertAdmin(EvidenceAdmin):
    list_display = ("received_at", "guard", "shift", "fence", "acknowledged_at", "acknowledged_by")
    list_filter = ("fence",)
    list_select_related = ("guard", "shift__guard", "shift__post__site", "acknowledged_by")
    search_fields = ("guard__username", "guard__last_name")
    fields = ("id", "guard", "shift", "acknowledged_at", "acknowledged_by", *_DEVICE_TIMES, *_POSITION)

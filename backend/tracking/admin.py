"""What phones reported, for managers to look at: evidence, so nobody edits or deletes it."""

from typing import ClassVar

from django.contrib import admin

from backend.core.admin_tenancy import EvidenceAdmin as ReadOnlyEvidenceAdmin
from backend.core.admin_tenancy import site_time
from backend.tracking.models import ActivityEntry, CheckpointScan, ClockEvent, PanicAlert, Ping

_DEVICE_TIMES = ("recorded_at", "sent_at", "received_at")
_POSITION = ("location", "accuracy_m", "is_mock", "fence", "distance_m")


class EvidenceAdmin(ReadOnlyEvidenceAdmin):
    """Read-only and tenant-scoped: rows come only from phones, through the mobile API."""

    # Breadcrumb tables grow to millions of rows; skip the unfiltered COUNT(*).
    show_full_result_count = False
    list_per_page = 50
    site_zone_paths: ClassVar[tuple[str, ...]] = ("shift.post.site.timezone",)

    recorded_local = site_time("recorded_at", "Recorded")
    received_local = site_time("received_at", "Received")


@admin.register(Ping)
class PingAdmin(EvidenceAdmin):
    list_display = (
        "recorded_local", "shift", "fence", "distance_m", "accuracy_m", "speed_mps", "is_mock", "received_local",
    )  # fmt: skip
    list_filter = ("fence", "is_mock")
    list_select_related = ("shift__guard", "shift__post__site")
    search_fields = ("=id", "shift__guard__username", "shift__guard__last_name")
    fields = ("id", "shift", *_DEVICE_TIMES, *_POSITION, "speed_mps", "heading")


@admin.register(ClockEvent)
class ClockEventAdmin(EvidenceAdmin):
    list_display = ("shift", "kind", "recorded_local", "received_local", "fence", "distance_m", "accuracy_m", "is_mock")
    list_filter = ("kind", "fence", "is_mock", "shift__post__site")
    list_select_related = ("shift__guard", "shift__post__site")
    search_fields = ("shift__guard__username", "shift__guard__last_name")
    fields = ("shift", "kind", *_DEVICE_TIMES, *_POSITION)


@admin.register(ActivityEntry)
class ActivityEntryAdmin(EvidenceAdmin):
    list_display = ("recorded_local", "shift", "text", "fence", "is_mock")
    list_filter = ("fence", "shift__post__site")
    list_select_related = ("shift__guard", "shift__post__site")
    search_fields = ("text", "shift__guard__username", "shift__guard__last_name")
    fields = ("id", "shift", "text", *_DEVICE_TIMES, *_POSITION)


@admin.register(CheckpointScan)
class CheckpointScanAdmin(EvidenceAdmin):
    list_display = ("recorded_local", "checkpoint", "guard", "distance_to_checkpoint_m", "fence", "is_mock")
    list_filter = ("fence", "is_mock", "checkpoint__site")
    list_select_related = ("checkpoint__site", "guard")
    site_zone_paths = ("checkpoint.site.timezone",)
    search_fields = ("checkpoint__name", "checkpoint__code", "guard__username", "guard__last_name")
    fields = ("id", "checkpoint", "guard", "shift", "distance_to_checkpoint_m", *_DEVICE_TIMES, *_POSITION)


@admin.register(PanicAlert)
class PanicAlertAdmin(EvidenceAdmin):
    list_display = ("received_local", "guard", "shift", "fence", "acknowledged_local", "acknowledged_by")
    list_filter = ("fence",)
    list_select_related = ("guard__company", "shift__guard", "shift__post__site", "acknowledged_by")
    site_zone_paths: ClassVar[tuple[str, ...]] = ("shift.post.site.timezone", "guard.company.timezone")

    acknowledged_local = site_time("acknowledged_at", "Acknowledged")
    search_fields = ("guard__username", "guard__last_name")
    fields = ("id", "guard", "shift", "acknowledged_at", "acknowledged_by", *_DEVICE_TIMES, *_POSITION)

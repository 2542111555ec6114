from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backend.core.admin_tenancy import TenantScopedAdmin, TenantScopedTabularInline
from backend.incidents.models import IncidentPhoto, IncidentReport, IncidentRevision, IncidentType, ReviewComment


@admin.register(IncidentType)
class IncidentTypeAdmin(TenantScopedAdmin):
    list_display = ("name", "code", "company", "severity", "is_active")
    list_filter = ("severity", "is_active")
    search_fields = ("name", "code")


class ReviewCommentInline(TenantScopedTabularInline):
    model = ReviewComment
    extra = 0
    fields = ("author", "body", "created_at")
    readonly_fields = ("author", "created_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IncidentPhotoInline(TenantScopedTabularInline):
    model = IncidentPhoto
    extra = 0
    fields = ("display", "thumbnail", "sha256", "content_type", "width", "height", "size_bytes")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IncidentRevisionInline(TenantScopedTabularInline):
    model = IncidentRevision
    extra = 0
    fields = ("version", "snapshot", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IncidentReport)
class IncidentReportAdmin(TenantScopedAdmin):
    """Reports are evidence: what the guard sent is read-only here; review goes through services."""

    list_display = ("occurred_at", "type", "guard", "shift", "status", "version", "fence")
    list_filter = ("status", "type", "fence")
    search_fields = ("narrative", "location_detail", "guard__username", "guard__last_name")
    date_hierarchy = "occurred_at"
    inlines = (ReviewCommentInline, IncidentPhotoInline, IncidentRevisionInline)
    readonly_fields = (
        "id",
        "shift",
        "guard",
        "type",
        "occurred_at",
        "unit",
        "location_detail",
        "address",
        "narrative",
        "persons",
        "emergency",
        "location",
        "accuracy_m",
        "is_mock",
        "recorded_at",
        "sent_at",
        "received_at",
        "fence",
        "distance_m",
        "status",
        "version",
        "payload_sha256",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html

from backend.core.admin_tenancy import TenantScopedAdmin, TenantScopedTabularInline
from backend.incidents.models import IncidentPhoto, IncidentReport, IncidentRevision, IncidentType, ReviewComment
from backend.incidents.selectors import PHOTO_DISPLAY, PHOTO_THUMBNAIL
from backend.incidents.views import incident_photo_url

PREVIEW_SIDE = 160


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
    """A report's photos as thumbnails linking to the display copy, through the checked photo view.

    Photos are evidence: nothing here adds, changes or deletes one (the old "Delete?" box
    said "changed successfully" on a read-only page and changed nothing).
    """

    model = IncidentPhoto
    extra = 0
    can_delete = False
    fields = ("preview", "sha256", "content_type", "width", "height", "size_bytes")
    readonly_fields = fields

    @admin.display(description="Photo")
    def preview(self, photo: IncidentPhoto) -> str:
        if photo.pk is None:
            return "-"
        # Thumbnails fit 320 px; shown at half that, keeping the display copy's proportions.
        longest = max(photo.width, photo.height, 1)
        return format_html(
            '<a href="{}"><img src="{}" alt="Photo {}" width="{}" height="{}" loading="lazy"></a>',
            incident_photo_url(photo.pk, PHOTO_DISPLAY),
            incident_photo_url(photo.pk, PHOTO_THUMBNAIL),
            photo.sha256[:12],
            max(1, round(photo.width * PREVIEW_SIDE / longest)),
            max(1, round(photo.height * PREVIEW_SIDE / longest)),
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
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

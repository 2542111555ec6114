from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backend.core.admin_tenancy import TenantScopedAdmin
from backend.flags.models import Flag, FlagNotification


class FlagNotificationInline(admin.TabularInline[FlagNotification, Flag]):
    model = FlagNotification
    extra = 0
    can_delete = False
    fields = ("recipient", "channel", "address", "sent_at", "error")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Flag)
class FlagAdmin(TenantScopedAdmin):
    """Rule findings, newest first. Read-only: rules raise and close them (the console reviews)."""

    list_display = ("raised_at", "code", "severity", "status", "message", "shift", "incident")
    list_filter = ("status", "severity", "code")
    search_fields = ("message", "shift__guard__username", "shift__post__site__name")
    date_hierarchy = "raised_at"
    list_select_related = ("shift__guard", "shift__post__site", "incident__type")
    readonly_fields = (
        "company", "shift", "incident", "code", "key", "severity", "message", "evidence",
        "status", "raised_at", "resolved_at", "resolved_by",
    )  # fmt: skip
    inlines = (FlagNotificationInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

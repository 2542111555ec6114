from django.contrib import admin

from backend.core.admin_tenancy import EvidenceAdmin, ReadOnlyAdminMixin, site_time
from backend.flags.models import Flag, FlagNotification


class FlagNotificationInline(ReadOnlyAdminMixin, admin.TabularInline[FlagNotification, Flag]):
    model = FlagNotification
    extra = 0
    can_delete = False
    fields = ("recipient", "channel", "address", "sent_at", "error")
    readonly_fields = fields


@admin.register(Flag)
class FlagAdmin(EvidenceAdmin):
    """Rule findings, newest first. A view page without buttons: rules raise and close them
    (the console reviews), so a Save here could only pretend to change something."""

    list_display = ("raised_local", "code", "severity", "status", "message", "shift", "incident")
    list_filter = ("status", "severity", "code")
    search_fields = ("message", "shift__guard__username", "shift__post__site__name")
    date_hierarchy = "raised_at"
    list_select_related = (
        "company", "shift__guard", "shift__post__site", "incident__type", "incident__shift__post__site",
    )  # fmt: skip
    readonly_fields = (
        "company", "shift", "incident", "code", "key", "severity", "message", "evidence",
        "status", "raised_at", "resolved_at", "resolved_by",
    )  # fmt: skip
    inlines = (FlagNotificationInline,)
    site_zone_paths = ("shift.post.site.timezone", "incident.shift.post.site.timezone", "company.timezone")

    raised_local = site_time("raised_at", "Raised")

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from backend.accounts.models import Role
from backend.core.admin_tenancy import EvidenceAdmin, TenantScopedAdmin, site_time
from backend.staffing.models import Post, PostOrder, PostOrderAcknowledgement, Shift
from backend.staffing.services import post_order_publish


@admin.register(Post)
class PostAdmin(TenantScopedAdmin):
    list_display = ("name", "site", "outside_fence_clock_in", "must_be_staffed", "is_active")
    list_filter = ("outside_fence_clock_in", "must_be_staffed", "is_active")
    search_fields = ("name", "site__name")


@admin.register(PostOrder)
class PostOrderAdmin(TenantScopedAdmin):
    """Versions are append-only: adding publishes the next version, editing is refused."""

    list_display = ("post", "version", "title", "published_local", "published_by")
    list_filter = ("post__site",)
    list_select_related = ("post__site", "published_by")
    fields = ("post", "title", "body", "version", "published_at", "published_by")
    readonly_fields = ("version", "published_at", "published_by")
    site_zone_paths = ("post.site.timezone",)

    published_local = site_time("published_at", "Published")

    def has_change_permission(self, request: HttpRequest, obj: PostOrder | None = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: PostOrder, form: Any, change: bool) -> None:
        published = post_order_publish(post=obj.post, title=obj.title, body=obj.body, author=request.user)  # type: ignore[arg-type]
        obj.pk, obj.version, obj.published_at = published.pk, published.version, published.published_at


@admin.register(PostOrderAcknowledgement)
class PostOrderAcknowledgementAdmin(EvidenceAdmin):
    """A guard's own statement that they read the orders: recorded by their phone only."""

    list_display = ("guard", "post_order", "acknowledged_local")
    list_filter = ("post_order__post__site",)
    list_select_related = ("guard", "post_order__post__site")
    site_zone_paths = ("post_order.post.site.timezone",)

    acknowledged_local = site_time("acknowledged_at", "Acknowledged")


# What the guard's phone recorded about the shift: attendance evidence, never typed in.
SHIFT_ACTUALS = (
    "status",
    "clock_in_at",
    "clock_in_location",
    "clock_in_accuracy_m",
    "clock_out_at",
    "clock_out_location",
    "clock_out_accuracy_m",
)


@admin.register(Shift)
class ShiftAdmin(TenantScopedAdmin):
    """Scheduling: the plan is edited here; what happened comes from the guard's phone.

    Scheduled times are entered and shown on the site's clock. A shift that has
    evidence (clock events, pings, reports, flags) cannot be deleted.
    """

    list_display = (
        "guard", "post", "scheduled_start_local", "scheduled_end_local", "status", "clock_in_local", "clock_out_local",
    )  # fmt: skip
    list_filter = ("status", "post__site")
    search_fields = ("guard__username", "guard__last_name", "post__name", "post__site__name")
    date_hierarchy = "scheduled_start"
    list_select_related = ("guard", "post__site")
    fields = ("guard", "post", "scheduled_start", "scheduled_end", "notes", *SHIFT_ACTUALS)
    readonly_fields = SHIFT_ACTUALS
    site_zone_paths = ("post.site.timezone",)

    scheduled_start_local = site_time("scheduled_start", "Scheduled start")
    scheduled_end_local = site_time("scheduled_end", "Scheduled end")
    clock_in_local = site_time("clock_in_at", "Clocked in")
    clock_out_local = site_time("clock_out_at", "Clocked out")

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and field.queryset is not None and db_field.name == "guard":
            # Only someone who can work the shift: an active guard (of the company, by the scope).
            field.queryset = field.queryset.filter(role=Role.GUARD, is_active=True)
        return field

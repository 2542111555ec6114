from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from backend.core.admin_tenancy import TenantScopedAdmin
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

    list_display = ("post", "version", "title", "published_at", "published_by")
    list_filter = ("post__site",)
    fields = ("post", "title", "body", "version", "published_at", "published_by")
    readonly_fields = ("version", "published_at", "published_by")

    def has_change_permission(self, request: HttpRequest, obj: PostOrder | None = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: PostOrder, form: Any, change: bool) -> None:
        published = post_order_publish(post=obj.post, title=obj.title, body=obj.body, author=request.user)  # type: ignore[arg-type]
        obj.pk, obj.version, obj.published_at = published.pk, published.version, published.published_at


@admin.register(PostOrderAcknowledgement)
class PostOrderAcknowledgementAdmin(TenantScopedAdmin):
    list_display = ("guard", "post_order", "acknowledged_at")
    list_filter = ("post_order__post__site",)


@admin.register(Shift)
class ShiftAdmin(TenantScopedAdmin):
    list_display = ("guard", "post", "scheduled_start", "scheduled_end", "status", "clock_in_at", "clock_out_at")
    list_filter = ("status", "post__site")
    search_fields = ("guard__username", "guard__last_name", "post__name", "post__site__name")
    date_hierarchy = "scheduled_start"
    list_select_related = ("guard", "post__site")

"""Incident types (configuration) and reports (evidence: read-only, archived not deleted)."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import ngettext

from backend.core.admin_tenancy import ReadOnlyAdminMixin, TenantScopedAdmin, TenantScopedTabularInline, site_time
from backend.incidents.archiving import incident_reports_archive
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
    """The one thing written on a report page: a new comment, signed by whoever is signed in."""

    model = ReviewComment
    extra = 0
    can_delete = False
    fields = ("author", "body", "created_at")
    readonly_fields = ("author", "created_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IncidentPhotoInline(ReadOnlyAdminMixin, TenantScopedTabularInline):
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


class IncidentRevisionInline(ReadOnlyAdminMixin, TenantScopedTabularInline):
    model = IncidentRevision
    extra = 0
    can_delete = False
    fields = ("version", "snapshot", "created_at")
    readonly_fields = fields


class ArchivedFilter(admin.SimpleListFilter):
    """Working lists show live reports; archived ones are one click away, never gone."""

    title = "archive"
    parameter_name = "archived"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Archived"), ("all", "All")]

    def choices(self, changelist: Any) -> Any:
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Not archived",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        if self.value() == "all":
            return queryset
        return queryset.filter(archived_at__isnull=True)


@admin.register(IncidentReport)
class IncidentReportAdmin(TenantScopedAdmin):
    """Reports are evidence: what the guard sent is read-only here; review goes through services.

    Nobody deletes a report; GuardOps staff may archive one. A review comment is the
    only thing a manager writes on this page.
    """

    list_display = ("occurred_local", "type", "guard", "shift", "status", "version", "fence", "archived_at")
    list_filter = (ArchivedFilter, "status", "type", "fence")
    list_select_related = ("type", "guard", "shift__guard", "shift__post__site")
    search_fields = ("narrative", "location_detail", "guard__username", "guard__last_name")
    date_hierarchy = "occurred_at"
    inlines = (ReviewCommentInline, IncidentPhotoInline, IncidentRevisionInline)
    actions = ("archive_selected",)
    site_zone_paths = ("shift.post.site.timezone",)

    occurred_local = site_time("occurred_at", "Occurred")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Every field, including any added later: nothing of the report is edited here.
        return [self._on_site_clock(field.name) for field in self.model._meta.concrete_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_archive_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def save_model(self, request: HttpRequest, obj: IncidentReport, form: ModelForm[Any], change: bool) -> None:
        # The report itself is never written from the admin (only its new comments are).
        if not change:
            super().save_model(request, obj, form, change)

    def save_formset(
        self, request: HttpRequest, form: ModelForm[Any], formset: BaseInlineFormSet[Any, Any, Any], change: bool
    ) -> None:
        if formset.model is not ReviewComment:
            super().save_formset(request, form, formset, change)
            return
        for comment in formset.save(commit=False):
            comment.author = request.user
            comment.save()

    @admin.action(description="Archive selected reports (they stay, out of the working lists)", permissions=["archive"])
    def archive_selected(self, request: HttpRequest, queryset: QuerySet[IncidentReport]) -> None:
        count = incident_reports_archive(reports=queryset, actor=request.user)  # type: ignore[arg-type]
        self.message_user(
            request,
            ngettext("Archived %(count)d report.", "Archived %(count)d reports.", count) % {"count": count},
            messages.SUCCESS,
        )

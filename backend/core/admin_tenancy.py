"""Admin bases that keep a manager inside their own company, and evidence untouched.

GuardOps staff (superusers) see every tenant; a manager with admin access sees and can
choose only their company's rows: in lists, list filters, change forms and pickers.
Evidence (what phones and rules recorded) is never edited or deleted from the admin,
neither directly nor by deleting a row it hangs from. Times are shown and entered on
the clock of the site they happened at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from django.contrib import admin
from django.contrib.admin.filters import AllValuesFieldListFilter, FieldListFilter, RelatedFieldListFilter
from django.contrib.admin.utils import (
    NestedObjects,
    NotRelationField,
    get_fields_from_path,
    reverse_field_path,
    unquote,
)
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import router
from django.db.models import DateTimeField, Field, ForeignKey, ManyToManyField, Model, QuerySet
from django.forms import ModelChoiceField, ModelForm, ModelMultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.text import capfirst
from leaflet.admin import LeafletGeoAdminMixin

from backend.core.localtime import DATE_TIME, DATE_TIME_SECONDS, local_time, to_local, zone

# The helpers live in core/tenancy.py; importable from here as before.
from backend.core.tenancy import acting_company_id, scope_to_company

__all__ = [
    "EVIDENCE_MODELS",
    "EvidenceAdmin",
    "ReadOnlyAdminMixin",
    "TenantAdminMixin",
    "TenantAllValuesFieldListFilter",
    "TenantRelatedFieldListFilter",
    "TenantScopedAdmin",
    "TenantScopedTabularInline",
    "acting_company_id",
    "evidence_lost_by_deleting",
    "scope_to_company",
    "site_time",
    "tenant_list_filter",
]

# Rows that record what happened (phones, rules, reviewers' counterparts). Labels, not
# classes: core sits below the apps that define them.
EVIDENCE_MODELS: frozenset[str] = frozenset(
    {
        "tracking.clockevent",
        "tracking.ping",
        "tracking.activityentry",
        "tracking.checkpointscan",
        "tracking.panicalert",
        "incidents.incidentreport",
        "incidents.incidentrevision",
        "incidents.incidentphoto",
        "flags.flag",
        "flags.flagnotification",
        "staffing.postorderacknowledgement",
        "calls.call",
        "calls.callnote",
    }
)


class TenantRelatedFieldListFilter(RelatedFieldListFilter):
    """A "By <related>" filter listing only the acting company's rows.

    Django's own filter lists every row of the related table, so a manager read the
    other companies' site and type names in the sidebar.
    """

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> Any:
        company_id = acting_company_id(request)
        if company_id is None:
            return super().field_choices(field, request, model_admin)
        ordering = self.field_admin_ordering(field, request, model_admin)
        rows = scope_to_company(field.related_model._default_manager.all(), company_id)
        if ordering:
            rows = rows.order_by(*ordering)
        return [(row.pk, str(row)) for row in rows]


class TenantAllValuesFieldListFilter(AllValuesFieldListFilter):
    """A filter on a plain field across a relation ("post__site__city"), offering the
    company's values only: Django reads them from every row of the far table."""

    def __init__(self, field: Any, request: HttpRequest, params: Any, model: Any, model_admin: Any, field_path: str):
        super().__init__(field, request, params, model, model_admin, field_path)
        company_id = acting_company_id(request)
        if company_id is not None:
            parent_model, _ = reverse_field_path(model, field_path)
            rows = scope_to_company(parent_model._default_manager.all(), company_id)
            self.lookup_choices = rows.distinct().order_by(field.name).values_list(field.name, flat=True)


def _default_filter_class(field: Any) -> Any:
    for test, filter_class in FieldListFilter._field_list_filters:  # type: ignore[attr-defined]
        if test(field):
            return filter_class
    return None


def tenant_list_filter(model: type[Model], entry: Any) -> Any:
    """`entry` of a list_filter, with every choice drawn from another table scoped to the company."""
    if isinstance(entry, str):
        try:
            path = get_fields_from_path(model, entry)
        except (FieldDoesNotExist, NotRelationField):
            return entry
        field = path[-1]
        if field.is_relation and (field.many_to_one or field.one_to_one or field.many_to_many) and field.concrete:
            return (entry, TenantRelatedFieldListFilter)
        if len(path) > 1 and _default_filter_class(field) is AllValuesFieldListFilter:
            return (entry, TenantAllValuesFieldListFilter)
        return entry
    if isinstance(entry, tuple) and entry[1] is RelatedFieldListFilter:
        return (entry[0], TenantRelatedFieldListFilter)
    # RelatedOnlyFieldListFilter lists values from the (scoped) changelist rows already.
    return entry


_Picker = TypeVar("_Picker", bound=ModelChoiceField[Any])


def _offer_only_the_companys(
    field: _Picker | None, db_field: ForeignKey[Any, Any] | ManyToManyField[Any, Any], request: HttpRequest
) -> _Picker | None:
    """Limit a related-object picker to the acting company's rows (GuardOps staff see all)."""
    company_id = acting_company_id(request)
    if field is not None and company_id is not None:
        related: type[Model] = db_field.related_model  # type: ignore[assignment]
        field.queryset = scope_to_company(related._default_manager.all(), company_id)
    return field


class TenantAdminMixin:
    """Tenant scoping for any ModelAdmin: rows, pickers, list filters and deletions."""

    model: Any

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]
        company_id = acting_company_id(request)
        if company_id is None:
            return queryset
        return scope_to_company(queryset, company_id)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        field: ModelChoiceField[Any] | None = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        return _offer_only_the_companys(field, db_field, request)

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        field: ModelMultipleChoiceField[Any] | None = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        return _offer_only_the_companys(field, db_field, request)

    def get_list_filter(self, request: HttpRequest) -> Any:
        entries: Sequence[Any] = super().get_list_filter(request)  # type: ignore[misc]
        return tuple(tenant_list_filter(self.model, entry) for entry in entries)

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[Any, Any], set[Any], list[Any]]:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)  # type: ignore[misc]
        # Deleting a shift, a unit or a guard would take pings, scans or report links with
        # it: Django's "protected objects" page refuses the deletion and names them.
        return deleted, counts, perms_needed, [*protected, *evidence_lost_by_deleting(objs)]

    def _get_obj_does_not_exist_redirect(self, request: HttpRequest, opts: Any, object_id: str) -> HttpResponse:
        # Django's admin redirects with "doesn't exist"; another tenant's object must be
        # indistinguishable from a missing one, and both are a plain 404.
        raise Http404(f"No {opts.verbose_name} with id {object_id}.")


def evidence_lost_by_deleting(objs: Iterable[Model]) -> list[str]:
    """What evidence deleting `objs` would delete or rewrite (cascades and SET_NULLs)."""
    objs = list(objs)
    if not objs:
        return []
    collector = NestedObjects(using=router.db_for_write(type(objs[0])))
    collector.collect(objs)
    lost: list[str] = []
    for model, instances in collector.data.items():
        if model._meta.label_lower in EVIDENCE_MODELS:
            lost.extend(f"{capfirst(model._meta.verbose_name)}: {instance} (evidence)" for instance in instances)
    for (field, _value), targets in collector.field_updates.items():
        if field.model._meta.label_lower in EVIDENCE_MODELS:
            name = capfirst(field.model._meta.verbose_name)
            for target in targets:
                rows: Iterable[Model] = target  # type: ignore[assignment]
                lost.extend(f"{name}: {row} (evidence; its {field.verbose_name} would be cleared)" for row in rows)
    return lost


def _follow(obj: Any, path: str) -> Any:
    for attribute in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, attribute, None)
    return obj


def site_time(field_name: str, description: str | None = None, fmt: str = DATE_TIME) -> Callable[[Any, Any], str]:
    """A list column showing `field_name` on the site's clock: '2026-01-15 22:00 EST'."""

    @admin.display(description=description or capfirst(field_name.replace("_", " ")), ordering=field_name)
    def column(model_admin: TenantScopedAdmin, obj: Model) -> str:
        moment: datetime | None = getattr(obj, field_name)
        if moment is None:
            return str(model_admin.get_empty_value_display())
        return local_time(moment, model_admin.zone_name_of(obj), fmt)

    return column


class ReadOnlyAdminMixin:
    """Evidence: viewed, never added, changed or deleted here (no Save, no Delete)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


_ON_SITE_CLOCK = "_on_site_clock"


class TenantScopedAdmin(TenantAdminMixin, LeafletGeoAdminMixin, admin.ModelAdmin):  # type: ignore[misc,type-arg]
    """Tenant-scoped admin with offline Leaflet map widgets and site-local times.

    `site_zone_paths` are dotted paths from an object to an IANA zone name, tried in
    order ("post.site.timezone"); when one resolves, the change page shows and takes
    times on that clock and the list's `site_time` columns read in it.
    """

    change_form_template = "admin/guardops/change_form.html"
    site_zone_paths: ClassVar[tuple[str, ...]] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [self._on_site_clock(name) for name in super().get_readonly_fields(request, obj)]

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        # A time shown by its display is still the model field: keep it off the form.
        shown = [
            name.removesuffix(_ON_SITE_CLOCK)
            for name in self.get_readonly_fields(request, obj)
            if isinstance(name, str) and name.endswith(_ON_SITE_CLOCK)
        ]
        excluded = super().get_exclude(request, obj)
        return [*(excluded or ()), *shown] if shown else excluded

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if not self.site_zone_paths:
            return fieldsets
        # A time nobody edits here is shown like the list shows it ("22:00 EST"), not as
        # Django's bare "10 p.m.": on a view page every field is such a time.
        view_only = obj is not None and not self.has_change_permission(request, obj)
        readonly = set(super().get_readonly_fields(request, obj))

        def shown(name: Any) -> Any:
            if isinstance(name, list | tuple):
                return tuple(shown(inner) for inner in name)
            return self._on_site_clock(name) if view_only or name in readonly else name

        return [
            (title, {**options, "fields": [shown(name) for name in options["fields"]]}) for title, options in fieldsets
        ]

    def _on_site_clock(self, name: Any) -> Any:
        """The name of a read-only display of DateTimeField `name` on the site's clock."""
        if not self.site_zone_paths or not isinstance(name, str):
            return name
        field = _model_field(self.model, name)
        if not isinstance(field, DateTimeField):
            return name
        display_name = f"{name}{_ON_SITE_CLOCK}"
        if not hasattr(type(self), display_name):
            setattr(type(self), display_name, site_time(name, capfirst(str(field.verbose_name)), DATE_TIME_SECONDS))
        return display_name

    def zone_name_of(self, obj: Any) -> str | None:
        for path in self.site_zone_paths:
            name = _follow(obj, path)
            if name:
                return str(name)
        return None

    def _zone_name_for(self, request: HttpRequest, obj: Any) -> str | None:
        if obj is not None:
            return self.zone_name_of(obj)
        if request.method != "POST":
            return None
        # An add form: the zone comes from the row picked in its first foreign key
        # (a shift's post), fetched through the tenant scope like the picker itself.
        for path in self.site_zone_paths:
            first, _, rest = path.partition(".")
            picked = request.POST.get(first)
            if not picked or not rest:
                continue
            try:
                field = self.model._meta.get_field(first)
            except FieldDoesNotExist:
                continue
            if not isinstance(field, ForeignKey):
                continue
            related: type[Model] = field.related_model  # type: ignore[assignment]
            rows = related._default_manager.all()
            company_id = acting_company_id(request)
            if company_id is not None:
                rows = scope_to_company(rows, company_id)
            try:
                row = rows.filter(pk=picked).first()
            except (ValueError, ValidationError):
                return None
            name = _follow(row, rest)
            if name:
                return str(name)
        return None

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm[Any]]:
        form: type[ModelForm[Any]] = super().get_form(request, obj, change, **kwargs)
        if self.site_zone_paths:
            zone_name = self._zone_name_for(request, obj)
            where = (
                f"Local time at the site: {zone_name} ({to_local(timezone.now(), zone_name).tzname()} now)."
                if zone_name
                else "Local time at the site of the chosen post."
            )
            for name, form_field in form.base_fields.items():
                model_field = _model_field(self.model, name)
                if isinstance(model_field, DateTimeField):
                    form_field.help_text = f"{form_field.help_text} {where}".strip()
        return form

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        zone_name = self._zone_name_for(request, obj) if self.site_zone_paths else None
        if not zone_name:
            return super().changeform_view(request, object_id, form_url, extra_context)
        note = f"Times on this page are local time at the site ({zone_name}); they are stored in UTC."
        context = {**(extra_context or {}), "site_zone_note": note}
        with timezone.override(zone(zone_name)):
            response = super().changeform_view(request, object_id, form_url, context)
            # The admin renders lazily; render while the site's zone is the current one.
            if isinstance(response, SimpleTemplateResponse):
                response.render()
        return response


def _model_field(model: type[Model], name: str) -> Field[Any, Any] | None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, Field) else None


class TenantScopedTabularInline(TenantAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    """A tabular inline whose pickers honour the tenant (rows come from the scoped parent)."""


class EvidenceAdmin(ReadOnlyAdminMixin, TenantScopedAdmin):
    """Read-only and tenant-scoped: the change page is a view page without buttons."""

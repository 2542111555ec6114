"""Admin bases that keep a manager inside their own company.

GuardOps staff (superusers) see every tenant; a manager with admin access sees and can
choose only their company's rows, in lists, change forms and foreign-key pickers.
"""

from typing import Any

from django.contrib import admin as django_admin
from django.contrib.gis import admin
from django.db.models import ForeignKey, Model, QuerySet
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse


def acting_company_id(request: HttpRequest) -> int | None:
    """None for GuardOps staff (no scoping); the user's company id otherwise (-1: none)."""
    user: Any = request.user
    if user.is_superuser:
        return None
    return int(user.company_id) if user.company_id is not None else -1


def scope_to_company(queryset: QuerySet[Any], company_id: int) -> QuerySet[Any]:
    model: Any = queryset.model
    if hasattr(model, "TENANT_PATH"):
        return queryset.filter(**{model.TENANT_PATH: company_id})
    if model.__name__ == "Company":
        return queryset.filter(pk=company_id)
    return queryset


class TenantForeignKeyMixin:
    """Foreign-key pickers offer only the acting user's company's rows."""

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        field: ModelChoiceField[Any] | None = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        company_id = acting_company_id(request)
        if field is not None and company_id is not None:
            related: type[Model] = db_field.related_model  # type: ignore[assignment]
            field.queryset = scope_to_company(related._default_manager.all(), company_id)
        return field


class TenantScopedAdmin(TenantForeignKeyMixin, admin.GISModelAdmin):
    """GIS admin (OpenLayers map widgets) whose lists and objects honour the tenant."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        company_id = acting_company_id(request)
        if company_id is None:
            return queryset
        return scope_to_company(queryset, company_id)

    def _get_obj_does_not_exist_redirect(self, request: HttpRequest, opts: Any, object_id: str) -> HttpResponse:
        # Django's admin redirects with "doesn't exist"; another tenant's object must be
        # indistinguishable from a missing one, and both are a plain 404.
        raise Http404(f"No {opts.verbose_name} with id {object_id}.")


class TenantScopedTabularInline(TenantForeignKeyMixin, django_admin.TabularInline):  # type: ignore[type-arg]
    """A tabular inline whose pickers honour the tenant (rows come from the scoped parent)."""

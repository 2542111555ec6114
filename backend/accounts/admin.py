from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from backend.accounts.models import Company, User
from backend.core.admin_tenancy import TenantForeignKeyMixin, acting_company_id, scope_to_company


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin[Company]):
    list_display = ("name", "slug", "timezone", "is_active")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Company]:
        company_id = acting_company_id(request)
        queryset = super().get_queryset(request)
        return queryset if company_id is None else queryset.filter(pk=company_id)


@admin.register(User)
class UserAdmin(TenantForeignKeyMixin, DjangoUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "first_name", "last_name", "role", "company", "client", "is_active")
    list_filter = ("role", "is_active", "company")
    search_fields = ("username", "first_name", "last_name", "email", "employee_number")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("GuardOps", {"fields": ("role", "company", "client", "phone", "employee_number", "license_number")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("GuardOps", {"fields": ("role", "company", "client")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        company_id = acting_company_id(request)
        queryset = super().get_queryset(request)
        return queryset if company_id is None else scope_to_company(queryset, company_id)

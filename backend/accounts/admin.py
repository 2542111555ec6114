"""Companies, people and groups. A manager edits only their company's people, and only
with the powers a manager may give; access itself is granted by GuardOps staff."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Field, QuerySet
from django.http import HttpRequest

from backend.accounts.errors import PrivilegeChangeRefused
from backend.accounts.models import Company, Role, User
from backend.accounts.services import STAFF_ONLY_FIELDS, user_privileges_check
from backend.core.admin_tenancy import TenantAdminMixin

# What a manager may make someone: never GuardOps staff.
MANAGER_ASSIGNABLE_ROLES = [(value, label) for value, label in Role.choices if value != Role.STAFF]


@admin.register(Company)
class CompanyAdmin(TenantAdminMixin, admin.ModelAdmin[Company]):
    """Tenants are created, renamed in their identity (slug) and switched off by staff only."""

    list_display = ("name", "slug", "timezone", "is_active")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)

    def get_readonly_fields(self, request: HttpRequest, obj: Company | None = None) -> tuple[str, ...]:
        if request.user.is_superuser:
            return ()
        return ("slug", "is_active")

    def get_prepopulated_fields(self, request: HttpRequest, obj: Company | None = None) -> dict[str, Sequence[str]]:
        return dict(self.prepopulated_fields) if request.user.is_superuser else {}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Company | None = None) -> bool:
        return bool(request.user.is_superuser)


def _without_staff_only_fields(fieldsets: Any) -> tuple[Any, ...]:
    trimmed = []
    for name, options in fieldsets:
        fields = tuple(field for field in options["fields"] if field not in STAFF_ONLY_FIELDS)
        if fields:
            trimmed.append((name, {**options, "fields": fields}))
    return tuple(trimmed)


def _privilege_checked(form_class: type[forms.ModelForm[Any]], actor: User) -> type[forms.ModelForm[Any]]:
    """`form_class`, refusing (as a form error) any save the actor may not make."""

    class PrivilegeCheckedForm(form_class):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if self.instance.pk is None and not actor.is_superuser:
                # A manager's new people join the manager's company; it is not on their form.
                self.instance.company_id = actor.company_id

        def _post_clean(self) -> None:
            super()._post_clean()  # the instance now carries the posted values
            try:
                user_privileges_check(
                    actor=actor,
                    user=self.instance,
                    groups_changed="groups" in self.changed_data,
                    permissions_changed="user_permissions" in self.changed_data,
                )
            except PrivilegeChangeRefused as refused:
                self.add_error(refused.field if refused.field in self.fields else None, refused.message)

    return PrivilegeCheckedForm


@admin.register(User)
class UserAdmin(TenantAdminMixin, DjangoUserAdmin):  # type: ignore[type-arg]
    """People. Managers see their company's people (never GuardOps staff) and cannot grant
    admin access, groups, permissions, another company or the staff role."""

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
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.exclude(is_superuser=True).exclude(role=Role.STAFF)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if request.user.is_superuser else _without_staff_only_fields(fieldsets)

    def get_list_filter(self, request: HttpRequest) -> Any:
        entries: Sequence[Any] = super().get_list_filter(request)
        if request.user.is_superuser:
            return entries
        # A manager's people are all of one company: the filter would only say so.
        return tuple(entry for entry in entries if (entry[0] if isinstance(entry, tuple) else entry) != "company")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return _privilege_checked(form, request.user)  # type: ignore[arg-type]

    def formfield_for_choice_field(self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = MANAGER_ASSIGNABLE_ROLES
        return super().formfield_for_choice_field(db_field, request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Groups carry permissions: only GuardOps staff see or edit them."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

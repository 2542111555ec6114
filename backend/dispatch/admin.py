"""A company's callback rules per kind of request and the sites with the double callback, kept by its managers."""

from django.contrib import admin

from backend.core.admin_tenancy import TenantScopedAdmin
from backend.dispatch.models import DispatchPolicy, SiteDispatchPolicy


@admin.register(DispatchPolicy)
class DispatchPolicyAdmin(TenantScopedAdmin):
    list_display = ("company", "kind", "callback_before_dispatch", "callback_on_arrival")


@admin.register(SiteDispatchPolicy)
class SiteDispatchPolicyAdmin(TenantScopedAdmin):
    list_display = ("site", "callback_on_arrival")

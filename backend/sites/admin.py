from django.contrib import admin

from backend.core.admin_tenancy import TenantScopedAdmin
from backend.sites.models import Checkpoint, Client, RestrictedZone, Site, Unit


@admin.register(Client)
class ClientAdmin(TenantScopedAdmin):
    list_display = ("name", "company", "billing_email", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)


@admin.register(Site)
class SiteAdmin(TenantScopedAdmin):
    list_display = ("name", "client", "city", "timezone", "is_active")
    list_filter = ("is_active", "timezone")
    search_fields = ("name", "street_address", "city")


@admin.register(RestrictedZone)
class RestrictedZoneAdmin(TenantScopedAdmin):
    list_display = ("name", "site", "reason")
    list_filter = ("site",)


@admin.register(Unit)
class UnitAdmin(TenantScopedAdmin):
    list_display = ("label", "kind", "site", "building", "unit_number")
    list_filter = ("kind", "site")
    search_fields = ("label", "building", "unit_number", "street_address")


@admin.register(Checkpoint)
class CheckpointAdmin(TenantScopedAdmin):
    list_display = ("name", "code", "site", "is_active")
    list_filter = ("site", "is_active")
    search_fields = ("name", "code")
    readonly_fields = ("code",)

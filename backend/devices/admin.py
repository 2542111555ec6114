"""Phones logged in to the mobile API; a manager revokes a lost phone's token here."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext

from backend.core.admin_tenancy import TenantScopedAdmin
from backend.devices.models import DeviceToken
from backend.devices.services import device_token_revoke


@admin.register(DeviceToken)
class DeviceTokenAdmin(TenantScopedAdmin):
    """Tokens are issued only by logging in on a phone; here they are seen and revoked."""

    list_display = ("user", "device_name", "device_id", "created_at", "last_used_at", "expires_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "expires_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "device_name", "device_id")
    # The hash is never shown: it is useless to a person and only helps an attacker.
    fields = ("user", "device_name", "device_id", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke_selected",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoked tokens stay as the record of which phone was logged in when.
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("devices.change_devicetoken")

    @admin.action(description="Revoke selected tokens (the phones must log in again)", permissions=["revoke"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[DeviceToken]) -> None:
        # `queryset` comes from get_queryset, so another company's ids were already dropped.
        live = list(queryset.filter(revoked_at__isnull=True))
        for token in live:
            device_token_revoke(token=token)
        self.message_user(
            request,
            ngettext(
                "Revoked %(count)d token; that phone must log in again.",
                "Revoked %(count)d tokens; those phones must log in again.",
                len(live),
            )
            % {"count": len(live)},
            messages.SUCCESS,
        )

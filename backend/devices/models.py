"""Per-device bearer tokens for the mobile API."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from backend.core.models import TenantModel


class DeviceToken(TenantModel):
    """A guard's login on one phone. Only the SHA-256 of the token is stored.

    Logging in again on the same device replaces its token; a manager revokes a lost
    phone from the admin, the guard logs out with DELETE /auth/token.
    """

    TENANT_PATH: ClassVar[str] = "user__company"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_tokens")
    device_id = models.CharField(max_length=128)
    device_name = models.CharField(max_length=128, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=("user", "device_id"), name="device_token_user_device_idx")]

    def __str__(self) -> str:
        return f"{self.user} on {self.device_name or self.device_id}"

"""Mobile API tokens: issue on login, authenticate per request, revoke."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backend.accounts.login import login_authenticate
from backend.accounts.models import Role, User
from backend.core.errors import PermissionDenied
from backend.devices.models import DeviceToken

TOKEN_PREFIX = "gdo_"  # noqa: S105 - a public marker that lets scanners spot leaked tokens
# Writing last_used_at on every request would cost a write per ping batch; once a
# minute is enough to see which phones are alive.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def device_token_issue(
    *, username: str, password: str, device_id: str, device_name: str, client_ip: str
) -> tuple[str, DeviceToken]:
    """Log a guard in on a device; returns the raw token (shown once) and its record."""
    user = login_authenticate(username=username, password=password, client_ip=client_ip)
    if user.role != Role.GUARD or user.company_id is None:
        raise PermissionDenied("The mobile app is for guards; managers use the web console.", code="not_a_guard")
    now = timezone.now()
    DeviceToken.objects.filter(user=user, device_id=device_id, revoked_at__isnull=True).update(revoked_at=now)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = DeviceToken.objects.create(
        user=user,
        device_id=device_id,
        device_name=device_name,
        token_hash=_hash(raw),
        expires_at=now + timedelta(days=settings.MOBILE_TOKEN_TTL_DAYS),
        last_used_at=now,
    )
    return raw, record


def device_token_authenticate(*, raw_token: str) -> DeviceToken | None:
    """The live token record for a bearer token, or None (unknown, expired, revoked)."""
    if not raw_token.startswith(TOKEN_PREFIX) or len(raw_token) > 100:
        return None
    now = timezone.now()
    record: DeviceToken | None = (
        DeviceToken.objects.select_related("user", "user__company")
        .filter(token_hash=_hash(raw_token), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_RESOLUTION:
        DeviceToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record


def device_token_revoke(*, token: DeviceToken) -> None:
    """Log a device out; the token stops working at once."""
    DeviceToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def device_tokens_revoke_for_user(*, user: User) -> int:
    """Log every phone of the user out (their access changed); returns how many tokens were live."""
    return DeviceToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())

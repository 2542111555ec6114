"""A guard's phones are logged out when who they are or how they log in changes.

Deactivating a user, changing their role or company, or changing their password revokes
every live device token of theirs. Receivers on the user's save catch every path that
saves a user (the admin, a shell, a service, Django's password change); a bulk
`QuerySet.update()` sends no signal, so code that changes these fields in bulk calls
`device_tokens_revoke_for_user` itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from backend.accounts.models import User
from backend.devices.services import device_tokens_revoke_for_user

# What a token vouches for: a change to any of these must not leave a phone logged in.
WATCHED_FIELDS = frozenset({"is_active", "role", "company", "password"})
_REVOKE_MARK = "_device_tokens_to_revoke"


def _credentials_changed(stored: User, user: User, update_fields: frozenset[str] | None) -> bool:
    if stored.role != user.role or stored.company_id != user.company_id:
        return True
    if stored.is_active and not user.is_active:
        return True
    if stored.password == user.password:
        return False
    # A new hash of the same password is no change. Django re-hashes on login when its
    # hasher or iteration count was upgraded (AbstractBaseUser.check_password's setter:
    # `_password` cleared, then save(update_fields=["password"])); that must not log out
    # the guard's other phones.
    raw: str | None = getattr(user, "_password", None)
    if raw is None:
        return update_fields != frozenset({"password"})
    return not check_password(raw, stored.password)


@receiver(pre_save, sender=User, dispatch_uid="devices.user_credentials_compare")
def _compare_with_stored_user(sender: type[User], instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    fields = frozenset(update_fields) if update_fields is not None else None
    if instance.pk is None or (fields is not None and WATCHED_FIELDS.isdisjoint(fields)):
        return
    stored = User.objects.filter(pk=instance.pk).only(*WATCHED_FIELDS).first()
    setattr(instance, _REVOKE_MARK, stored is not None and _credentials_changed(stored, instance, fields))


@receiver(post_save, sender=User, dispatch_uid="devices.user_credentials_revoke")
def _revoke_after_save(sender: type[User], instance: User, **kwargs: Any) -> None:
    # After the save, so a save that fails revokes nothing; in its transaction, if any.
    if getattr(instance, _REVOKE_MARK, False):
        setattr(instance, _REVOKE_MARK, False)
        device_tokens_revoke_for_user(user=instance)

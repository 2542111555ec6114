"""Writes on people: who may give whom which powers."""

from __future__ import annotations

from backend.accounts.errors import PrivilegeChangeRefused
from backend.accounts.models import Role, User

# Fields that widen what a person may see or do, or move them to another tenant. Only
# GuardOps staff (superusers) set them; a company's manager never does.
STAFF_ONLY_FIELDS: tuple[str, ...] = ("is_superuser", "is_staff", "groups", "user_permissions", "company")


def user_privileges_check(
    *, actor: User, user: User, groups_changed: bool = False, permissions_changed: bool = False
) -> None:
    """Refuse `actor` saving `user` (unsaved changes applied) if it grants powers only staff grant.

    GuardOps staff may do anything. Anyone else may create and edit only people of their
    own company who are not GuardOps staff, and may not touch superuser or admin access,
    groups, individual permissions, the company, or the staff role. The stored row is
    the reference, so a field smuggled past the form is still caught.
    """
    if actor.is_superuser:
        return
    before = User.objects.filter(pk=user.pk).first() if user.pk is not None else None
    if before is not None and (before.is_superuser or before.role == Role.STAFF):
        raise PrivilegeChangeRefused("Only GuardOps staff may edit a GuardOps staff account.")
    if user.role == Role.STAFF and (before is None or before.role != Role.STAFF):
        raise PrivilegeChangeRefused("Only GuardOps staff may give the GuardOps staff role.", field="role")
    if user.company_id != actor.company_id or (before is not None and before.company_id != actor.company_id):
        raise PrivilegeChangeRefused("People can only be added to or kept in your own company.", field="company")
    for flag in ("is_superuser", "is_staff"):
        granted = bool(getattr(user, flag))
        had = bool(getattr(before, flag)) if before is not None else False
        if granted != had:
            raise PrivilegeChangeRefused("Only GuardOps staff may change admin access.", field=flag)
    if groups_changed:
        raise PrivilegeChangeRefused("Only GuardOps staff may change a person's groups.", field="groups")
    if permissions_changed:
        raise PrivilegeChangeRefused("Only GuardOps staff may change a person's permissions.", field="user_permissions")

"""Who may act on a company's records as a reviewer: the one check every transition calls.

Review transitions (approve a report, dismiss a flag, acknowledge a panic alert, mark a
shift missed) call `reviewer_check` before changing anything. It lives with the sites
because the unit of a reviewer's reach is the site: today a manager reaches every site
of their company and GuardOps staff every company; a supervisor (assigned sites only)
joins by adding the role to REVIEWER_ROLES and their site test to `_reaches_site`.
"""

from __future__ import annotations

from backend.accounts.models import Role, User
from backend.core.errors import NotFound, PermissionDenied

REVIEWER_ROLES: frozenset[str] = frozenset({Role.MANAGER, Role.STAFF})


def _reaches_site(*, user: User, company_id: int, site_id: int | None) -> bool:
    """Whether a reviewer's reach covers this company's site (None: a record with no site)."""
    if user.role == Role.STAFF:
        return True
    return user.company_id is not None and user.company_id == company_id


def reviewer_check(*, user: User, company_id: int, site_id: int | None, not_found: NotFound) -> None:
    """Refuse unless `user` may act as a reviewer on this company's (site's) record.

    Raises PermissionDenied (`not_a_reviewer`) for guards, client contacts and inactive
    accounts, whatever the record; `not_found` (404 semantics) when the record is another
    tenant's, so its existence is not disclosed.
    """
    if not user.is_active or user.role not in REVIEWER_ROLES:
        raise PermissionDenied("Only an operations manager can review and act on records.", code="not_a_reviewer")
    if not _reaches_site(user=user, company_id=company_id, site_id=site_id):
        raise not_found

"""Who may act on a company's records as a reviewer: the one check every transition calls.

Review transitions (approve a report, dismiss a flag, acknowledge a panic alert, mark a
shift missed) call `reviewer_check` before changing anything. It lives with the sites
because the unit of a reviewer's reach is the site: a manager reaches every site of
their company, a site supervisor only the sites assigned to them (SiteAssignment), and
GuardOps staff every company.
"""

from __future__ import annotations

from backend.accounts.models import Role, User
from backend.core.errors import NotFound, PermissionDenied
from backend.sites.models import SiteAssignment

REVIEWER_ROLES: frozenset[str] = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.STAFF})


def _reaches_site(*, user: User, company_id: int, site_id: int | None) -> bool:
    """Whether a reviewer's reach covers this company's site (None: a record with no site)."""
    if user.role == Role.STAFF:
        return True
    if user.company_id is None or user.company_id != company_id:
        return False
    if user.role == Role.SUPERVISOR:
        # A record on no site (a panic pressed off shift) is the managers' to handle.
        return site_id is not None and SiteAssignment.objects.filter(supervisor=user, site_id=site_id).exists()
    return True


def reviewer_check(*, user: User, company_id: int, site_id: int | None, not_found: NotFound) -> None:
    """Refuse unless `user` may act as a reviewer on this company's (site's) record.

    Raises PermissionDenied (`not_a_reviewer`) for guards, client contacts and inactive
    accounts, whatever the record; `not_found` (404 semantics) when the record is another
    tenant's, so its existence is not disclosed.
    """
    if not user.is_active or user.role not in REVIEWER_ROLES:
        raise PermissionDenied(
            "Only operations managers and site supervisors can review and act on records.", code="not_a_reviewer"
        )
    if not _reaches_site(user=user, company_id=company_id, site_id=site_id):
        raise not_found

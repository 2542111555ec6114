"""Who may read what, for the people who are not guards: one place turns a user into a Scope.

- GuardOps staff (superusers, the staff role): every company.
- An operations manager: their whole company.
- A site supervisor: the sites of their company assigned to them (SiteAssignment);
  none while they have no assignment.
- A client contact: the sites of their own client, or only those they are limited to
  (ClientContactSite); of incident reports, only approved ones, and nothing of the
  company's own work (flags, panic alerts, review comments).
- A guard is not a viewer of these lists (they read their own shifts and reports
  through the guard selectors): PermissionDenied.

Every record app's `*_visible(*, scope)` and `*_get_visible(*, scope, id)` selectors
narrow with `QuerySet.for_scope(scope)`, so another company's, another client's or an
unassigned site's object is simply not there: a 404, never a 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.accounts.models import Role, User
from backend.core.errors import PermissionDenied
from backend.sites.models import ClientContactSite, SiteAssignment


@dataclass(frozen=True)
class Scope:
    """What one viewer may read; built by `scope_for(user)`, read by every `*_visible` selector.

    `company_id` None means every company (GuardOps staff only); `client_id` and
    `site_ids` None mean no narrowing on that level; an empty `site_ids` sees no site.
    """

    user_id: int
    role: Role
    company_id: int | None
    client_id: int | None = None
    site_ids: frozenset[int] | None = None

    def __post_init__(self) -> None:
        # "Every company" must never be the accident of a missing company id.
        if self.company_id is None and self.role != Role.STAFF:
            raise ValueError(f"A {self.role} scope needs a company.")
        if self.role == Role.CLIENT_CONTACT and self.client_id is None:
            raise ValueError("A client contact's scope needs their client.")

    @property
    def is_client_contact(self) -> bool:
        return self.role == Role.CLIENT_CONTACT

    @property
    def sees_operations(self) -> bool:
        """The security company's own work (flags, panic alerts, reports under review)."""
        return self.role != Role.CLIENT_CONTACT

    @property
    def approved_reports_only(self) -> bool:
        return self.role == Role.CLIENT_CONTACT

    def require_operations(self, what: str) -> None:
        """Refuse a client contact a list of the company's own work (a programming error in a
        portal view, answered as a 403 rather than an empty page that hides it)."""
        if not self.sees_operations:
            raise PermissionDenied(f"Client contacts do not see {what}.", code="not_for_client_contacts")


def scope_for(user: User) -> Scope:
    """The Scope of a manager, supervisor, client contact or GuardOps staff member.

    One query for a supervisor (their assigned sites) and for a client contact (the
    sites they are limited to); none otherwise. A guard, an inactive account or a
    company user without a company is refused with PermissionDenied.
    """
    if not user.is_active:
        raise PermissionDenied("This account is inactive.", code="inactive_account")
    if user.is_superuser or user.role == Role.STAFF:
        return Scope(user_id=user.pk, role=Role.STAFF, company_id=None)
    if user.company_id is None:
        raise PermissionDenied("This account belongs to no company.", code="no_company")
    company_id = int(user.company_id)
    if user.role == Role.MANAGER:
        return Scope(user_id=user.pk, role=Role.MANAGER, company_id=company_id)
    if user.role == Role.SUPERVISOR:
        assigned = SiteAssignment.objects.for_company(company_id).filter(supervisor=user)
        return Scope(
            user_id=user.pk,
            role=Role.SUPERVISOR,
            company_id=company_id,
            site_ids=frozenset(assigned.values_list("site_id", flat=True)),
        )
    if user.role == Role.CLIENT_CONTACT and user.client_id is not None:
        # Not narrowed by client here: a row left pointing at a site since moved to
        # another client still limits the contact (for_scope then drops that site too).
        limited = frozenset(ClientContactSite.objects.filter(contact=user).values_list("site_id", flat=True))
        return Scope(
            user_id=user.pk,
            role=Role.CLIENT_CONTACT,
            company_id=company_id,
            client_id=int(user.client_id),
            site_ids=limited or None,
        )
    raise PermissionDenied(
        "Guards see their own shifts and reports in the app, not the company's lists.", code="not_a_viewer"
    )

"""Writes over who oversees which sites: supervisors' assignments, contacts' site limits."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Role, User
from backend.core.errors import NotFound, PermissionDenied, ValidationFailed
from backend.sites.models import ClientContactSite, Site, SiteAssignment


def _require_manager_of(*, by: User, company_id: int) -> None:
    """`by` may decide who sees the company's sites: GuardOps staff or one of its managers."""
    if by.is_active and (by.is_superuser or by.role == Role.STAFF):
        return
    if not by.is_active or by.company_id != company_id:
        # Another company's site is not disclosed, not even by a refusal.
        raise NotFound("No such site.", code="site_not_found")
    if by.role != Role.MANAGER:
        raise PermissionDenied("Only an operations manager decides who sees which sites.", code="not_a_manager")


def _site_company_id(site: Site) -> int:
    return int(site.client.company_id)


@transaction.atomic
def site_assignment_add(*, site: Site, supervisor: User, by: User) -> SiteAssignment:
    """Assign a supervisor of the site's company to the site; assigning again changes nothing."""
    company_id = _site_company_id(site)
    _require_manager_of(by=by, company_id=company_id)
    if supervisor.role != Role.SUPERVISOR:
        raise ValidationFailed(
            "Only a site supervisor can be assigned to a site.", field="supervisor", code="not_a_supervisor"
        )
    if supervisor.company_id != company_id:
        raise ValidationFailed(
            "This supervisor works for another company.", field="supervisor", code="supervisor_of_another_company"
        )
    if not supervisor.is_active:
        raise ValidationFailed("This supervisor's account is inactive.", field="supervisor", code="supervisor_inactive")
    assignment, _ = SiteAssignment.objects.get_or_create(
        site=site, supervisor=supervisor, defaults={"assigned_at": timezone.now(), "assigned_by": by}
    )
    return assignment


@transaction.atomic
def site_assignment_remove(*, site: Site, supervisor: User, by: User) -> None:
    """End a supervisor's assignment to the site; they no longer see it (NotFound if none)."""
    _require_manager_of(by=by, company_id=_site_company_id(site))
    removed, _ = SiteAssignment.objects.filter(site=site, supervisor=supervisor).delete()
    if not removed:
        raise NotFound("This supervisor is not assigned to this site.", code="assignment_not_found")


@transaction.atomic
def client_contact_sites_set(*, contact: User, sites: Iterable[Site], by: User) -> list[Site]:
    """Limit a client contact to these sites of their client; no sites: every site of the client.

    Replaces the previous limit in one transaction; the contact's row is locked so two
    managers setting it at once leave one of the two lists, not a mix.
    """
    if contact.role != Role.CLIENT_CONTACT or contact.client_id is None:
        raise ValidationFailed(
            "Only a client contact can be limited to sites.", field="contact", code="not_a_client_contact"
        )
    _require_manager_of(by=by, company_id=int(contact.company_id or -1))
    chosen = {site.pk: site for site in sites}
    if any(_site_company_id(site) != contact.company_id for site in chosen.values()):
        raise NotFound("No such site.", code="site_not_found")
    foreign = [site for site in chosen.values() if site.client_id != contact.client_id]
    if foreign:
        names = ", ".join(sorted(site.name for site in foreign))
        raise ValidationFailed(
            f"Not a site of this contact's client: {names}.", field="sites", code="site_of_another_client"
        )
    User.objects.select_for_update().filter(pk=contact.pk).first()
    ClientContactSite.objects.filter(contact=contact).exclude(site_id__in=list(chosen)).delete()
    kept = set(ClientContactSite.objects.filter(contact=contact).values_list("site_id", flat=True))
    ClientContactSite.objects.bulk_create(
        [ClientContactSite(contact=contact, site=site) for pk, site in chosen.items() if pk not in kept]
    )
    return sorted(chosen.values(), key=lambda site: (site.name, site.pk))

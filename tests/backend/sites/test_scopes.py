"""scope_for turns a person into what they may read; the database keeps supervisors in a company."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.accounts.models import Role
from backend.core.errors import PermissionDenied
from backend.sites.models import ClientContactSite, SiteAssignment
from backend.sites.scopes import Scope, scope_for
from backend.sites.selectors import sites_visible
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_manager_reads_the_whole_company(tenant):
    assert scope_for(tenant.manager) == Scope(
        user_id=tenant.manager.pk, role=Role.MANAGER, company_id=tenant.company.pk
    )


def test_a_supervisor_reads_the_assigned_sites_and_none_before_an_assignment(tenant):
    supervisor = factories.SupervisorFactory(company=tenant.company)
    assert scope_for(supervisor).site_ids == frozenset()

    SiteAssignment.objects.create(site=tenant.site, supervisor=supervisor, assigned_at=timezone.now())

    scope = scope_for(supervisor)
    assert (scope.company_id, scope.client_id, scope.site_ids) == (tenant.company.pk, None, {tenant.site.pk})
    assert scope.sees_operations


def test_a_client_contact_reads_their_client_or_the_sites_they_are_limited_to(tenant):
    scope = scope_for(tenant.client_contact)
    assert (scope.company_id, scope.client_id, scope.site_ids) == (tenant.company.pk, tenant.client.pk, None)
    assert scope.approved_reports_only
    assert not scope.sees_operations

    ClientContactSite.objects.create(contact=tenant.client_contact, site=tenant.site)

    assert scope_for(tenant.client_contact).site_ids == {tenant.site.pk}


def test_guardops_staff_read_every_company():
    scope = scope_for(factories.StaffFactory())

    assert (scope.role, scope.company_id, scope.client_id, scope.site_ids) == (Role.STAFF, None, None, None)


@pytest.mark.parametrize("who", ["guard", "inactive manager"])
def test_guards_and_inactive_accounts_are_refused(tenant, who):
    user = tenant.guard if who == "guard" else factories.ManagerFactory(company=tenant.company, is_active=False)

    with pytest.raises(PermissionDenied) as error:
        scope_for(user)

    assert error.value.status == 403


def test_a_scope_of_every_company_cannot_be_built_by_accident(tenant):
    with pytest.raises(ValueError, match="needs a company"):
        Scope(user_id=1, role=Role.MANAGER, company_id=None)


@pytest.mark.parametrize("broken", ["no company", "a client"])
def test_a_supervisor_has_a_company_and_no_client(tenant, broken):
    fields = {"company": None} if broken == "no company" else {"company": tenant.company, "client": tenant.client}

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.SupervisorFactory(**fields)


def test_a_contact_whose_only_allowed_site_moved_to_another_client_sees_no_site_rather_than_all(tenant):
    # given a contact limited to one site, which is later handed to another client
    ClientContactSite.objects.create(contact=tenant.client_contact, site=tenant.site)
    factories.SiteFactory(client=tenant.client, name="Still the client's")
    tenant.site.client = factories.ClientFactory(company=tenant.company)
    tenant.site.save()

    # then the limit still holds: the contact sees no site (not the client's other ones)
    assert list(sites_visible(scope=scope_for(tenant.client_contact))) == []

"""Managers assign supervisors to sites and limit client contacts to sites, checked and recorded."""

from typing import Any

import pytest

from backend.core.errors import NotFound, PermissionDenied, ValidationFailed
from backend.sites.models import ClientContactSite, SiteAssignment
from backend.sites.scopes import scope_for
from backend.sites.selectors import sites_visible
from backend.sites.services import client_contact_sites_set, site_assignment_add, site_assignment_remove
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(tenant):
    return factories.SupervisorFactory(company=tenant.company)


def test_an_assigned_supervisor_sees_the_site_until_the_assignment_ends(tenant, supervisor):
    # when the manager assigns the supervisor, twice
    assignment = site_assignment_add(site=tenant.site, supervisor=supervisor, by=tenant.manager)
    again = site_assignment_add(site=tenant.site, supervisor=supervisor, by=tenant.manager)

    # then one assignment records who made it and when, and the supervisor sees the site
    assert again == assignment
    assert (assignment.assigned_by, assignment.assigned_at is not None) == (tenant.manager, True)
    assert list(sites_visible(scope=scope_for(supervisor))) == [tenant.site]

    site_assignment_remove(site=tenant.site, supervisor=supervisor, by=tenant.manager)

    assert list(sites_visible(scope=scope_for(supervisor))) == []
    with pytest.raises(NotFound) as error:
        site_assignment_remove(site=tenant.site, supervisor=supervisor, by=tenant.manager)
    assert error.value.code == "assignment_not_found"


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("guard", "not_a_supervisor"),
        ("manager", "not_a_supervisor"),
        ("rival supervisor", "supervisor_of_another_company"),
    ],
)
def test_only_a_supervisor_of_the_sites_company_can_be_assigned(tenant, other_tenant, who, code):
    person = {
        "guard": tenant.guard,
        "manager": tenant.manager,
        "rival supervisor": factories.SupervisorFactory(company=other_tenant.company),
    }[who]

    with pytest.raises(ValidationFailed) as error:
        site_assignment_add(site=tenant.site, supervisor=person, by=tenant.manager)

    assert (error.value.code, error.value.field, error.value.status) == (code, "supervisor", 422)
    assert not SiteAssignment.objects.exists()


def test_another_companys_manager_cannot_tell_the_site_exists(tenant, other_tenant, supervisor):
    with pytest.raises(NotFound):
        site_assignment_add(site=tenant.site, supervisor=supervisor, by=other_tenant.manager)


def test_a_supervisor_cannot_assign_themselves(tenant, supervisor):
    with pytest.raises(PermissionDenied) as error:
        site_assignment_add(site=tenant.site, supervisor=supervisor, by=supervisor)

    assert error.value.code == "not_a_manager"
    assert not SiteAssignment.objects.exists()


def test_a_contact_limited_to_a_site_sees_only_it_and_an_empty_limit_lifts_it(tenant):
    second: Any = factories.SiteFactory(client=tenant.client, name="Annex")
    contact = tenant.client_contact

    client_contact_sites_set(contact=contact, sites=[tenant.site, second], by=tenant.manager)
    client_contact_sites_set(contact=contact, sites=[second], by=tenant.manager)

    assert list(sites_visible(scope=scope_for(contact))) == [second]
    assert list(ClientContactSite.objects.values_list("site", flat=True)) == [second.pk]

    client_contact_sites_set(contact=contact, sites=[], by=tenant.manager)

    assert set(sites_visible(scope=scope_for(contact))) == {tenant.site, second}


def test_a_contact_cannot_be_limited_to_another_clients_site(tenant, other_tenant):
    other_clients_site: Any = factories.SiteFactory(
        client=factories.ClientFactory(company=tenant.company), name="Depot"
    )
    client_contact_sites_set(contact=tenant.client_contact, sites=[tenant.site], by=tenant.manager)

    with pytest.raises(ValidationFailed) as error:
        client_contact_sites_set(contact=tenant.client_contact, sites=[other_clients_site], by=tenant.manager)
    assert (error.value.code, error.value.field) == ("site_of_another_client", "sites")
    with pytest.raises(NotFound):
        client_contact_sites_set(contact=tenant.client_contact, sites=[other_tenant.site], by=tenant.manager)

    # and the limit stands as it was
    assert list(ClientContactSite.objects.values_list("site", flat=True)) == [tenant.site.pk]


def test_only_client_contacts_are_limited_to_sites(tenant):
    with pytest.raises(ValidationFailed) as error:
        client_contact_sites_set(contact=tenant.guard, sites=[tenant.site], by=tenant.manager)

    assert error.value.code == "not_a_client_contact"

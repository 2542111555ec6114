"""Console fixtures: company A's people around two of its sites, and a browser-less client per person."""

import pytest
from django.test import Client

from backend.sites.services import site_assignment_add
from tests import factories, geo
from tests.console.isolation import World


@pytest.fixture
def world(tenant, other_tenant) -> World:
    second_site = factories.SiteFactory(client=tenant.client, geofence=geo.SITE_SQUARE, name="Second site")
    supervisor = factories.SupervisorFactory(company=tenant.company, username="sup-assigned")
    unassigned = factories.SupervisorFactory(company=tenant.company, username="sup-elsewhere")
    site_assignment_add(site=tenant.site, supervisor=supervisor, by=tenant.manager)
    site_assignment_add(site=second_site, supervisor=unassigned, by=tenant.manager)
    return World(
        tenant=tenant,
        other_tenant=other_tenant,
        site=tenant.site,
        second_site=second_site,
        supervisor=supervisor,
        unassigned_supervisor=unassigned,
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def console_login(client: Client, username: str, password: str = "pw-for-tests", next_url: str = ""):  # noqa: S107
    return client.post("/console/login", {"username": username, "password": password, "next": next_url})

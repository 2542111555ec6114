"""Console fixtures: company A's people around two of its sites, and a browser-less client per person."""

import pytest
from django.test import Client

from backend.sites.services import site_assignment_add
from tests import factories, geo
from tests.console.isolation import World
from tests.web_auth import CONSOLE
from tests.web_auth import signed_in as signed_in  # the console's tests import it from here


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


def htmx_fragment(client: Client, url: str) -> str:
    """What `url` answers an htmx request: a fragment, not a whole page, cached apart from the page."""
    response = client.get(url, headers={"HX-Request": "true"})
    assert "HX-Request" in response["Vary"]
    fragment = response.content.decode()
    assert "<html" not in fragment
    return fragment


console_login = CONSOLE.login

"""Every portal URL, as every kind of person who should not see it (see tests/portal/isolation.py).

A URL in portal.urls without a case in tests/portal/isolation_cases/ fails tests/test_isolation_registries.py.
"""

from __future__ import annotations

import pytest
from django.test import Client

import portal.urls
import tests.portal.isolation_cases  # noqa: F401  (registers the cases)
from tests.portal.conftest import signed_in
from tests.portal.isolation import CASES, World
from tests.web_isolation import (
    ask,
    assert_sent_to_sign_in,
    url_names,
)

pytestmark = pytest.mark.django_db

PORTAL_URLS = url_names(portal.urls.urlpatterns, "portal:")
GUARDED = sorted(name for name in PORTAL_URLS if name in CASES and not CASES[name].public)
OBJECT_URLS = [name for name in GUARDED if PORTAL_URLS[name] and not CASES[name].period]
OUTSIDERS = ("elsewhere_contact", "other_client_contact", "other_company_contact")


def _person(world: World, who: str):
    if who == "other_company_contact":
        return world.other_tenant.client_contact
    if who in ("guard", "manager"):
        return getattr(world.tenant, who)
    return getattr(world, who)


def _ask(client: Client, url_name: str, world: World):
    return ask(client, url_name, CASES[url_name], world)


@pytest.mark.parametrize("url_name", GUARDED)
def test_nobody_signed_in_is_sent_to_the_portal_sign_in(url_name, world):
    response, _, _ = _ask(Client(), url_name, world)

    assert_sent_to_sign_in(response, htmx=CASES[url_name].htmx, login_url="/portal/login")


@pytest.mark.parametrize("url_name", GUARDED)
@pytest.mark.parametrize("who", ["guard", "manager", "supervisor"])
def test_the_security_companys_people_get_the_not_for_your_role_page(url_name, who, world):
    response, page, target = _ask(signed_in(_person(world, who)), url_name, world)

    assert response.status_code == 403
    assert "not for your role" in page
    assert target.marker is None or target.marker not in page


@pytest.mark.parametrize("url_name", GUARDED)
@pytest.mark.parametrize("who", ["contact", "limited_contact"])
def test_the_clients_contact_and_the_one_limited_to_the_site_get_it(url_name, who, world):
    response, page, target = _ask(signed_in(_person(world, who)), url_name, world)

    # The control for the 404s below: the same request by someone who may see it works.
    assert response.status_code < 400, page[:800]
    assert target.marker is None or target.marker in page


@pytest.mark.parametrize(("url_name", "who"), [(name, who) for name in OBJECT_URLS for who in OUTSIDERS])
def test_someone_elses_object_is_a_404(url_name, who, world):
    response, page, target = _ask(signed_in(_person(world, who)), url_name, world)

    assert response.status_code == 404, page[:800]
    assert target.marker is None or target.marker not in page


@pytest.mark.parametrize(("url_name", "who"), [(name, who) for name in GUARDED for who in OUTSIDERS])
def test_someone_elses_object_never_shows_in_their_pages(url_name, who, world):
    response, page, target = _ask(signed_in(_person(world, who)), url_name, world)

    assert response.status_code < 500
    assert target.marker is None or target.marker not in page

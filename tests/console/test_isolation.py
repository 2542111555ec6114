"""Every console URL, as every kind of person who should not see it (see tests/console/isolation.py).

A URL in console.urls without a case in tests/console/isolation_cases/ fails tests/test_isolation_registries.py.
"""

from __future__ import annotations

import pytest
from django.test import Client

import console.urls
import tests.console.isolation_cases  # noqa: F401  (registers the cases)
from tests.console.conftest import signed_in
from tests.console.isolation import CASES, World
from tests.web_isolation import (
    ask,
    assert_sent_to_sign_in,
    url_names,
)

pytestmark = pytest.mark.django_db


CONSOLE_URLS = url_names(console.urls.urlpatterns, "console:")
GUARDED = sorted(name for name in CONSOLE_URLS if name in CASES and not CASES[name].public)
OBJECT_URLS = [name for name in GUARDED if CONSOLE_URLS[name]]
SITE_OBJECT_URLS = [name for name in OBJECT_URLS if not CASES[name].company_level]
COMPANY_LEVEL_URLS = sorted(name for name in GUARDED if CASES[name].company_level)


def _ask(client: Client, url_name: str, world: World):
    return ask(client, url_name, CASES[url_name], world)


@pytest.mark.parametrize("url_name", GUARDED)
def test_nobody_signed_in_is_sent_to_the_login_page(url_name, world):
    response, _, _ = _ask(Client(), url_name, world)

    assert_sent_to_sign_in(response, htmx=CASES[url_name].htmx, login_url="/console/login")


@pytest.mark.parametrize("url_name", GUARDED)
@pytest.mark.parametrize("who", ["guard", "client_contact"])
def test_guards_and_client_contacts_get_the_not_for_your_role_page(url_name, who, world):
    response, page, target = _ask(signed_in(getattr(world.tenant, who)), url_name, world)

    assert response.status_code == 403
    assert "not for your role" in page
    assert target.marker is None or target.marker not in page


@pytest.mark.parametrize("url_name", GUARDED)
@pytest.mark.parametrize("who", ["manager", "supervisor"])
def test_the_company_manager_and_the_assigned_supervisor_get_the_page(url_name, who, world):
    person = world.tenant.manager if who == "manager" else world.supervisor

    response, page, target = _ask(signed_in(person), url_name, world)

    if who == "supervisor" and CASES[url_name].managers_only:
        # A company-level change: the supervisor is told it is the managers' (and nothing changes).
        assert response.status_code == 403, page[:500]
        assert "managers" in page
        return
    # The control for the 404s below: the same request by someone who may see it works.
    assert response.status_code < 400, page[:500]
    assert target.marker is None or target.marker in page


@pytest.mark.parametrize("url_name", COMPANY_LEVEL_URLS)
def test_a_company_level_object_is_the_same_for_every_supervisor_of_the_company(url_name, world):
    response, page, _ = _ask(signed_in(world.unassigned_supervisor), url_name, world)

    assert response.status_code == (403 if CASES[url_name].managers_only else 200), page[:500]


# A company-level object is the company's, not a site's: the unassigned supervisor reaches it
# (test_a_company_level_object_is_the_same_for_every_supervisor_of_the_company).
@pytest.mark.parametrize(
    ("url_name", "who"),
    [(name, "other_company_manager") for name in OBJECT_URLS]
    + [(name, "unassigned_supervisor") for name in SITE_OBJECT_URLS],
)
def test_someone_elses_object_is_a_404(url_name, who, world):
    person = world.other_tenant.manager if who == "other_company_manager" else world.unassigned_supervisor

    response, page, target = _ask(signed_in(person), url_name, world)

    assert response.status_code == 404
    assert target.marker is None or target.marker not in page


@pytest.mark.parametrize(
    ("url_name", "who"),
    [(name, "other_company_manager") for name in GUARDED]
    + [(name, "unassigned_supervisor") for name in GUARDED if not CASES[name].company_level],
)
def test_someone_elses_object_never_shows_in_their_pages(url_name, who, world):
    person = world.other_tenant.manager if who == "other_company_manager" else world.unassigned_supervisor

    response, page, target = _ask(signed_in(person), url_name, world)

    assert response.status_code < 500
    assert target.marker is None or target.marker not in page

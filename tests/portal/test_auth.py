"""Signing in to the portal: landing on one's sites, the roles it is not for refused, CSRF.

What the portal shares with the console (its own sign-in page, sessions, throttling, idle sign-out,
password changes) is in tests/test_sign_in.py.
"""

import pytest
from django.test import Client

from tests import factories
from tests.portal.conftest import portal_login

pytestmark = pytest.mark.django_db


def test_a_contact_signs_in_and_lands_on_their_sites(tenant, client):
    assert portal_login(client, tenant.client_contact.username)["Location"] == "/portal/"

    assert tenant.site.name in client.get("/portal/").content.decode()


@pytest.mark.parametrize("who", ["guard", "manager", "supervisor", "staff"])
def test_someone_the_portal_is_not_for_signs_in_and_is_told_so(who, tenant, client):
    # given a guard, manager, supervisor or GuardOps staff member with a password
    factory = {
        "guard": factories.GuardFactory,
        "manager": factories.ManagerFactory,
        "supervisor": factories.SupervisorFactory,
        "staff": factories.StaffFactory,
    }[who]
    person = factory(**({} if who == "staff" else {"company": tenant.company}))

    # when they sign in to the portal
    portal_login(client, person.username)
    response = client.get("/portal/")

    # then the portal says it is not for their role and offers to sign out; nothing of a client shows
    assert response.status_code == 403
    page = response.content.decode()
    assert "The client portal is not for your role" in page
    assert "Sign out" in page
    assert tenant.site.name not in page


def test_a_form_without_its_csrf_token_is_refused(tenant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tenant.client_contact)

    assert client.post("/portal/logout").status_code == 403

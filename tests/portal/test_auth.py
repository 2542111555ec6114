"""Signing in to the portal: its own page, its sites, roles refused, password changes, CSRF.

What the portal shares with the console (sessions, throttling, idle sign-out) is in tests/test_sign_in.py.
"""

import pytest
from django.test import Client

from tests import factories
from tests.portal.conftest import portal_login, signed_in

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_is_the_portals_own(client):
    response = client.get("/portal/login")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign in to your sites" in page
    assert "Operations console" not in page
    assert "Django administration" not in page


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


def test_a_contact_changes_their_password_and_stays_signed_in(tenant):
    client = signed_in(tenant.client_contact)

    response = client.post(
        "/portal/password",
        {
            "old_password": "pw-for-tests",
            "new_password1": "a-long-new-secret-9",
            "new_password2": "a-long-new-secret-9",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200
    tenant.client_contact.refresh_from_db()
    assert tenant.client_contact.check_password("a-long-new-secret-9")


def test_a_wrong_old_password_is_an_error_beside_the_field(tenant):
    client = signed_in(tenant.client_contact)

    response = client.post(
        "/portal/password", {"old_password": "nope", "new_password1": "x-long-secret-9a", "new_password2": "x"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct the fields marked below." in page
    assert "Your old password was entered incorrectly" in page


def test_a_form_without_its_csrf_token_is_refused(tenant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tenant.client_contact)

    assert client.post("/portal/logout").status_code == 403

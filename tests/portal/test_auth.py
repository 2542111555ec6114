"""Signing in to and out of the portal: its own page, throttled, a new session, idle sessions end, roles refused."""

import time

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from backend.accounts.idle import LAST_SEEN_KEY
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


def test_a_contact_signs_in_with_a_new_session_key_and_lands_on_their_sites(tenant, client):
    # given a browser that already holds a session (planted by someone else, say)
    client.get("/portal/login")
    session = client.session
    session["planted"] = "x"
    session.save()
    key_before = session.session_key

    # when the client's contact signs in
    response = portal_login(client, tenant.client_contact.username)

    # then they are on their sites, under a session key nobody knew before, with the idle clock started
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert client.session.session_key != key_before
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 5
    assert tenant.site.name in client.get("/portal/").content.decode()


def test_signing_in_goes_back_to_the_page_asked_for_but_never_off_site(tenant, client):
    assert portal_login(client, tenant.client_contact.username, next_url="/portal/reports")["Location"] == (
        "/portal/reports"
    )
    other = Client()
    response = portal_login(other, tenant.client_contact.username, next_url="https://evil.example/")
    assert response["Location"] == "/portal/"


def test_a_wrong_password_says_so_on_the_form(tenant, client):
    response = portal_login(client, tenant.client_contact.username, "guess")

    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert client.get("/portal/").status_code == 302


def test_after_too_many_wrong_passwords_even_the_right_one_gets_the_429_page(tenant, client, settings):
    for _ in range(settings.LOGIN_THROTTLE["MAX_FAILURES_PER_USER"]):
        assert portal_login(client, tenant.client_contact.username, "guess").status_code == 200

    response = portal_login(client, tenant.client_contact.username)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert "Too many failed logins" in page
    assert client.get("/portal/").status_code == 302


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


def test_sign_out_is_post_only(tenant):
    client = signed_in(tenant.client_contact)

    assert client.get("/portal/logout").status_code == 405
    assert client.get("/portal/").status_code == 200

    response = client.post("/portal/logout")

    assert response.status_code == 302
    assert response["Location"] == "/portal/login"
    assert client.get("/portal/").status_code == 302


def test_an_idle_portal_session_is_signed_out_with_a_message(tenant, settings):
    settings.CONSOLE_SESSION_IDLE_SECONDS = 600
    client = signed_in(tenant.client_contact)
    assert client.get("/portal/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 601
    session.save()

    response = client.get("/portal/reports")

    assert response.status_code == 302
    assert response["Location"] == "/portal/login?next=%2Fportal%2Freports"
    assert any("without activity" in str(message) for message in get_messages(response.wsgi_request))
    assert client.get("/portal/").status_code == 302


def test_an_idle_htmx_request_sends_the_whole_window_to_the_sign_in_page(tenant, settings):
    settings.CONSOLE_SESSION_IDLE_SECONDS = 600
    client = signed_in(tenant.client_contact)
    client.get("/portal/")
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 601
    session.save()

    response = client.get("/portal/reports", headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith("/portal/login?next=")


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

"""Signing in and out of the console: throttled, a new session each time, idle sessions end."""

import time

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from console.middleware import LAST_SEEN_KEY
from tests.console.conftest import console_login, signed_in

pytestmark = pytest.mark.django_db


def test_the_login_page_is_the_consoles_own(client):
    response = client.get("/console/login")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign in" in page
    assert "Operations console" in page
    assert "Django administration" not in page


def test_a_manager_signs_in_with_a_new_session_key_and_lands_on_the_console(tenant, client):
    # given a visitor whose browser already holds a session (planted by someone else, say)
    client.get("/console/login")
    session = client.session
    session["planted"] = "x"
    session.save()
    key_before = session.session_key

    # when the manager signs in
    response = console_login(client, tenant.manager.username)

    # then they are on the console's home, under a session key nobody knew before
    assert response.status_code == 302
    assert response["Location"] == "/console/"
    assert client.session.session_key != key_before
    assert client.get("/console/today").status_code == 200


def test_signing_in_goes_back_to_the_page_asked_for_but_never_off_site(tenant, client):
    assert console_login(client, tenant.manager.username, next_url="/console/password")["Location"] == (
        "/console/password"
    )
    other = Client()
    assert console_login(other, tenant.manager.username, next_url="https://evil.example/")["Location"] == "/console/"


def test_a_wrong_password_says_so_on_the_form(tenant, client):
    response = console_login(client, tenant.manager.username, "guess")

    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert client.get("/console/today").status_code == 302


def test_after_too_many_wrong_passwords_even_the_right_one_gets_the_429_page(tenant, client, settings):
    # given as many wrong passwords as the limit allows
    for _ in range(settings.LOGIN_THROTTLE["MAX_FAILURES_PER_USER"]):
        assert console_login(client, tenant.manager.username, "guess").status_code == 200

    # when the right password comes next
    response = console_login(client, tenant.manager.username)

    # then the console's login page says why, with 429 and Retry-After, and nobody is signed in
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert "Too many failed logins" in page
    assert client.get("/console/today").status_code == 302


def test_sign_out_is_post_only(tenant):
    client = signed_in(tenant.manager)

    assert client.get("/console/logout").status_code == 405
    assert client.get("/console/today").status_code == 200

    response = client.post("/console/logout")

    assert response.status_code == 302
    assert response["Location"] == "/console/login"
    assert client.get("/console/today").status_code == 302


def _last_seen(client: Client, *, seconds_ago: int) -> None:
    """Backdate the session's last request, as if its person had been away that long."""
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_an_idle_session_is_signed_out_with_a_message(tenant, settings):
    # given a manager whose last request was longer ago than the idle limit
    settings.CONSOLE_SESSION_IDLE_SECONDS = 600
    client = signed_in(tenant.manager)
    assert client.get("/console/today").status_code == 200
    _last_seen(client, seconds_ago=601)

    # when they come back
    response = client.get("/console/")

    # then they are signed out and sent to the login page, which tells them why
    assert response.status_code == 302
    assert response["Location"] == "/console/login?next=%2Fconsole%2F"
    assert any("without activity" in str(message) for message in get_messages(response.wsgi_request))
    assert client.get("/console/today").status_code == 302


def test_a_session_used_within_the_idle_limit_stays_signed_in(tenant, settings):
    settings.CONSOLE_SESSION_IDLE_SECONDS = 600
    client = signed_in(tenant.manager)
    client.get("/console/today")
    _last_seen(client, seconds_ago=500)

    assert client.get("/console/today").status_code == 200
    # and the clock restarted: the same gap again is still fine
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 5


def test_an_idle_htmx_request_sends_the_whole_window_to_the_login_page(tenant, settings):
    settings.CONSOLE_SESSION_IDLE_SECONDS = 60
    client = signed_in(tenant.manager)
    client.get("/console/today")
    _last_seen(client, seconds_ago=3600)

    response = client.get("/console/today", headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith("/console/login?next=")


def test_a_deactivated_users_next_request_is_signed_out(tenant):
    # given a manager signed in to the console
    client = signed_in(tenant.manager)
    assert client.get("/console/today").status_code == 200

    # when an administrator deactivates the account
    tenant.manager.is_active = False
    tenant.manager.save(update_fields=["is_active"])

    # then their very next request is anonymous: sent to the login page, which refuses them too
    assert client.get("/console/today")["Location"].startswith("/console/login")
    assert console_login(Client(), tenant.manager.username).status_code == 200


def test_a_password_change_keeps_this_session_and_says_so(tenant):
    client = signed_in(tenant.manager)

    response = client.post(
        "/console/password",
        {
            "old_password": "pw-for-tests",
            "new_password1": "a-much-longer-pass-42",
            "new_password2": "a-much-longer-pass-42",
        },
        follow=True,
    )

    assert response.redirect_chain[0][0] == "/console/"
    assert "Your password was changed." in response.content.decode()
    assert console_login(Client(), tenant.manager.username, "a-much-longer-pass-42").status_code == 302


def test_a_wrong_old_password_shows_the_error_beside_the_field(tenant):
    client = signed_in(tenant.manager)

    response = client.post(
        "/console/password",
        {"old_password": "nope", "new_password1": "x-long-pass-77", "new_password2": "x-long-pass-77"},
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()

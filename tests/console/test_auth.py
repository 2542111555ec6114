"""Signing in and out of the console: throttled, a new session each time, idle sessions end."""

import time

import pytest
from django.test import Client

from console.middleware import LAST_SEEN_KEY
from tests import web_auth
from tests.console.conftest import CONSOLE, console_login, signed_in

pytestmark = pytest.mark.django_db


def test_the_login_page_is_the_consoles_own(client):
    response = client.get("/console/login")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign in" in page
    assert "Operations console" in page
    assert "Django administration" not in page


def test_a_manager_signs_in_with_a_new_session_key_and_lands_on_the_console(tenant, client):
    web_auth.sign_in_over_a_planted_session(CONSOLE, client, tenant.manager.username)

    assert client.get("/console/today").status_code == 200


def test_signing_in_goes_back_to_the_page_asked_for_but_never_off_site(tenant, client):
    web_auth.assert_next_is_followed_but_never_off_site(CONSOLE, client, tenant.manager.username, "/console/password")


def test_a_wrong_password_says_so_on_the_form(tenant, client):
    web_auth.assert_a_wrong_password_says_so(CONSOLE, client, tenant.manager.username)


def test_after_too_many_wrong_passwords_even_the_right_one_gets_the_429_page(tenant, client, settings):
    web_auth.assert_too_many_wrong_passwords_pause_even_the_right_one(
        CONSOLE, client, tenant.manager.username, settings.LOGIN_THROTTLE["MAX_FAILURES_PER_USER"]
    )


def test_sign_out_is_post_only(tenant):
    web_auth.assert_sign_out_is_post_only(CONSOLE, tenant.manager)


def test_an_idle_session_is_signed_out_with_a_message(tenant, settings):
    settings.CONSOLE_SESSION_IDLE_SECONDS = 600
    web_auth.assert_an_idle_session_is_signed_out_with_a_message(CONSOLE, tenant.manager, "/console/", 600)


def test_a_session_used_within_the_idle_limit_stays_signed_in(tenant, settings):
    settings.CONSOLE_SESSION_IDLE_SECONDS = 600
    client = signed_in(tenant.manager)
    client.get("/console/today")
    web_auth.backdate_last_seen(client, seconds_ago=500)

    assert client.get("/console/today").status_code == 200
    # and the clock restarted: the same gap again is still fine
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 5


def test_an_idle_htmx_request_sends_the_whole_window_to_the_login_page(tenant, settings):
    settings.CONSOLE_SESSION_IDLE_SECONDS = 60
    web_auth.assert_an_idle_htmx_request_sends_the_window_to_the_login_page(
        CONSOLE, tenant.manager, "/console/today", seconds_ago=3600
    )


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

"""Signing in to the console: its own page, the idle clock, deactivation, password changes.

What the console shares with the portal (sessions, throttling, idle sign-out) is in tests/test_sign_in.py.
"""

import time

import pytest
from django.test import Client

from console.middleware import LAST_SEEN_KEY
from tests.console.conftest import console_login, signed_in
from tests.web_auth import backdate_last_seen

pytestmark = pytest.mark.django_db


def test_the_login_page_is_the_consoles_own(client):
    response = client.get("/console/login")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign in" in page
    assert "Operations console" in page
    assert "Django administration" not in page


def test_a_session_used_within_the_idle_limit_stays_signed_in(tenant, settings):
    settings.CONSOLE_SESSION_IDLE_SECONDS = 600
    client = signed_in(tenant.manager)
    client.get("/console/today")
    backdate_last_seen(client, seconds_ago=500)

    assert client.get("/console/today").status_code == 200
    # and the clock restarted: the same gap again is still fine
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 5


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

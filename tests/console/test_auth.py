"""Signing in to the console: the idle clock restarting, a deactivated account signed out.

What the console shares with the portal (its own login page, sessions, throttling, idle sign-out,
password changes) is in tests/test_sign_in.py.
"""

import time

import pytest
from django.test import Client

from console.middleware import LAST_SEEN_KEY
from tests.console.conftest import console_login, signed_in
from tests.web_auth import backdate_last_seen

pytestmark = pytest.mark.django_db


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

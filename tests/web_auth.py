"""Signing in, the same for the console and the portal: each surface's `SignIn` and a client helper.

tests/test_sign_in.py runs the behaviour both share against each; what only one surface
does stays in tests/console/test_auth.py or tests/portal/test_auth.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.test import Client

from backend.accounts.idle import LAST_SEEN_KEY


@dataclass(frozen=True)
class SignIn:
    """One surface's sign-in: its pages (all below `prefix`, as both surfaces lay them out) and its person."""

    prefix: str  # "/console"
    private_url: str  # 200 signed in, 302 to the login page otherwise
    next_url: str  # a page of the surface to come back to after signing in
    who: str  # the tenant's person the surface is for

    @property
    def login_url(self) -> str:
        return f"{self.prefix}/login"

    @property
    def logout_url(self) -> str:
        return f"{self.prefix}/logout"

    @property
    def password_url(self) -> str:
        return f"{self.prefix}/password"

    @property
    def home_url(self) -> str:
        """Where signing in lands."""
        return f"{self.prefix}/"

    def login(self, client: Client, username: str, password: str = "pw-for-tests", next_url: str = ""):  # noqa: S107
        return client.post(self.login_url, {"username": username, "password": password, "next": next_url})


CONSOLE = SignIn(prefix="/console", private_url="/console/today", next_url="/console/password", who="manager")
PORTAL = SignIn(prefix="/portal", private_url="/portal/", next_url="/portal/reports", who="client_contact")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def backdate_last_seen(client: Client, *, seconds_ago: int) -> None:
    """Backdate the session's last request, as if its person had been away that long."""
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds_ago
    session.save()

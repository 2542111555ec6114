"""Signing in and out, the same for the console and the portal: one check each, told which surface.

tests/console/test_auth.py and tests/portal/test_auth.py name the person and the pages of
their surface (a `SignIn`) and call these; what only one surface does stays in its file.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.test import Client

from backend.accounts.idle import LAST_SEEN_KEY


@dataclass(frozen=True)
class SignIn:
    """One surface's sign-in: where it lives, where one lands, and a page only the signed in may open."""

    login_url: str  # "/console/login"
    logout_url: str
    home_url: str  # where signing in lands
    private_url: str  # 200 signed in, 302 to the login page otherwise

    def login(self, client: Client, username: str, password: str = "pw-for-tests", next_url: str = ""):  # noqa: S107
        return client.post(self.login_url, {"username": username, "password": password, "next": next_url})


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def backdate_last_seen(client: Client, *, seconds_ago: int) -> None:
    """Backdate the session's last request, as if its person had been away that long."""
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds_ago
    session.save()


def sign_in_over_a_planted_session(surface: SignIn, client: Client, username: str):
    """Signs in from a browser already holding a session (planted by someone else, say): a new key, home."""
    client.get(surface.login_url)
    session = client.session
    session["planted"] = "x"
    session.save()
    key_before = session.session_key

    response = surface.login(client, username)

    assert response.status_code == 302
    assert response["Location"] == surface.home_url
    assert client.session.session_key != key_before
    return response


def assert_next_is_followed_but_never_off_site(surface: SignIn, client: Client, username: str, next_url: str) -> None:
    assert surface.login(client, username, next_url=next_url)["Location"] == next_url
    response = surface.login(Client(), username, next_url="https://evil.example/")
    assert response["Location"] == surface.home_url


def assert_a_wrong_password_says_so(surface: SignIn, client: Client, username: str) -> None:
    response = surface.login(client, username, "guess")

    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert client.get(surface.private_url).status_code == 302


def assert_too_many_wrong_passwords_pause_even_the_right_one(
    surface: SignIn, client: Client, username: str, max_failures: int
) -> None:
    # given as many wrong passwords as the limit allows
    for _ in range(max_failures):
        assert surface.login(client, username, "guess").status_code == 200

    # when the right password comes next
    response = surface.login(client, username)

    # then the login page says why, with 429 and Retry-After, and nobody is signed in
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert "Too many failed logins" in page
    assert client.get(surface.private_url).status_code == 302


def assert_sign_out_is_post_only(surface: SignIn, user) -> None:
    client = signed_in(user)

    assert client.get(surface.logout_url).status_code == 405
    assert client.get(surface.private_url).status_code == 200

    response = client.post(surface.logout_url)

    assert response.status_code == 302
    assert response["Location"] == surface.login_url
    assert client.get(surface.private_url).status_code == 302


def assert_an_idle_session_is_signed_out_with_a_message(surface: SignIn, user, url: str, idle_seconds: int) -> None:
    # given someone whose last request was longer ago than the idle limit
    client = signed_in(user)
    assert client.get(surface.private_url).status_code == 200
    backdate_last_seen(client, seconds_ago=idle_seconds + 1)

    # when they come back to `url`
    response = client.get(url)

    # then they are signed out and sent to the login page, which tells them why
    assert response.status_code == 302
    assert response["Location"] == f"{surface.login_url}?next={url.replace('/', '%2F')}"
    assert any("without activity" in str(message) for message in get_messages(response.wsgi_request))
    assert client.get(surface.private_url).status_code == 302


def assert_an_idle_htmx_request_sends_the_window_to_the_login_page(
    surface: SignIn, user, url: str, seconds_ago: int
) -> None:
    client = signed_in(user)
    client.get(surface.private_url)
    backdate_last_seen(client, seconds_ago=seconds_ago)

    response = client.get(url, headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith(f"{surface.login_url}?next=")

"""Signing in and out of the console and the portal: own pages, throttled, a new session each time, idle
sessions end, passwords changed in place.

Both surfaces sign in through the same Django auth, throttle and idle middleware; each test
here runs against each (tests/web_auth.py). What one surface alone does is in its test_auth.py.
"""

import time

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from backend.accounts.idle import LAST_SEEN_KEY
from tests.web_auth import CONSOLE, PORTAL, SignIn, backdate_last_seen, signed_in

pytestmark = pytest.mark.django_db

each_surface = pytest.mark.parametrize("surface", [CONSOLE, PORTAL], ids=["console", "portal"])


@pytest.mark.parametrize(
    ("surface", "shows", "hides"),
    [
        pytest.param(CONSOLE, ["Sign in", "Operations console"], ["Django administration"], id="console"),
        pytest.param(PORTAL, ["Sign in to your sites"], ["Operations console", "Django administration"], id="portal"),
    ],
)
def test_the_login_page_is_the_surfaces_own(surface: SignIn, shows, hides, client):
    response = client.get(surface.login_url)

    assert response.status_code == 200
    page = response.content.decode()
    assert all(text in page for text in shows), shows
    assert not any(text in page for text in hides), hides


@each_surface
def test_signing_in_gives_a_new_session_key_and_lands_on_the_surface(surface: SignIn, tenant, client):
    # given a browser that already holds a session (planted by someone else, say)
    client.get(surface.login_url)
    session = client.session
    session["planted"] = "x"
    session.save()
    key_before = session.session_key

    # when the surface's person signs in
    response = surface.login(client, getattr(tenant, surface.who).username)

    # then they are on its home, under a session key nobody knew before, with the idle clock started
    assert response.status_code == 302
    assert response["Location"] == surface.home_url
    assert client.session.session_key != key_before
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 5
    assert client.get(surface.private_url).status_code == 200


@each_surface
def test_signing_in_goes_back_to_the_page_asked_for_but_never_off_site(surface: SignIn, tenant, client):
    username = getattr(tenant, surface.who).username
    assert surface.login(client, username, next_url=surface.next_url)["Location"] == surface.next_url
    response = surface.login(Client(), username, next_url="https://evil.example/")
    assert response["Location"] == surface.home_url


@each_surface
def test_a_wrong_password_says_so_on_the_form(surface: SignIn, tenant, client):
    response = surface.login(client, getattr(tenant, surface.who).username, "guess")

    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert client.get(surface.private_url).status_code == 302


@each_surface
def test_after_too_many_wrong_passwords_even_the_right_one_gets_the_429_page(surface: SignIn, tenant, client, settings):
    # given as many wrong passwords as the limit allows
    username = getattr(tenant, surface.who).username
    for _ in range(settings.LOGIN_THROTTLE["MAX_FAILURES_PER_USER"]):
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


@each_surface
def test_sign_out_is_post_only(surface: SignIn, tenant):
    client = signed_in(getattr(tenant, surface.who))

    assert client.get(surface.logout_url).status_code == 405
    assert client.get(surface.private_url).status_code == 200

    response = client.post(surface.logout_url)

    assert response.status_code == 302
    assert response["Location"] == surface.login_url
    assert client.get(surface.private_url).status_code == 302


@each_surface
def test_an_idle_session_is_signed_out_with_a_message(surface: SignIn, tenant, settings):
    # given someone whose last request was longer ago than the idle limit
    settings.CONSOLE_SESSION_IDLE_SECONDS = 600
    client = signed_in(getattr(tenant, surface.who))
    assert client.get(surface.private_url).status_code == 200
    backdate_last_seen(client, seconds_ago=601)

    # when they come back
    response = client.get(surface.next_url)

    # then they are signed out and sent to the login page, which tells them why
    assert response.status_code == 302
    assert response["Location"] == f"{surface.login_url}?next={surface.next_url.replace('/', '%2F')}"
    assert any("without activity" in str(message) for message in get_messages(response.wsgi_request))
    assert client.get(surface.private_url).status_code == 302


@each_surface
def test_an_idle_htmx_request_sends_the_whole_window_to_the_login_page(surface: SignIn, tenant, settings):
    settings.CONSOLE_SESSION_IDLE_SECONDS = 600
    client = signed_in(getattr(tenant, surface.who))
    client.get(surface.private_url)
    backdate_last_seen(client, seconds_ago=601)

    response = client.get(surface.next_url, headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith(f"{surface.login_url}?next=")


@each_surface
def test_a_password_change_keeps_this_session_and_says_so(surface: SignIn, tenant):
    person = getattr(tenant, surface.who)
    client = signed_in(person)

    response = client.post(
        surface.password_url,
        {
            "old_password": "pw-for-tests",
            "new_password1": "a-long-new-secret-9",
            "new_password2": "a-long-new-secret-9",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == surface.home_url
    home = client.get(surface.home_url, follow=True)
    assert home.status_code == 200
    assert "Your password was changed." in home.content.decode()
    person.refresh_from_db()
    assert person.check_password("a-long-new-secret-9")
    assert surface.login(Client(), person.username, "a-long-new-secret-9").status_code == 302


@pytest.mark.parametrize(
    ("surface", "shows"),
    [
        pytest.param(CONSOLE, ["Your old password was entered incorrectly"], id="console"),
        pytest.param(
            PORTAL,
            ["Please correct the fields marked below.", "Your old password was entered incorrectly"],
            id="portal",
        ),
    ],
)
def test_a_wrong_old_password_shows_the_error_beside_the_field(surface: SignIn, shows, tenant):
    client = signed_in(getattr(tenant, surface.who))

    response = client.post(
        surface.password_url,
        {"old_password": "nope", "new_password1": "x-long-secret-9a", "new_password2": "x-long-secret-9a"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert all(text in page for text in shows), shows

"""The admin login is throttled like the mobile one: same Redis limiter, same counters."""

import pytest
from django.test import Client, override_settings

from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"


def admin_login(client: Client, username: str, password: str, **extra: str):
    return client.post(LOGIN_URL, {"username": username, "password": password, "next": "/admin/"}, **extra)


def logged_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def test_a_manager_logs_in_to_the_admin(tenant, client):
    response = admin_login(client, tenant.manager.username, "pw-for-tests")

    assert response.status_code == 302
    assert logged_in(client)


def test_after_repeated_wrong_passwords_even_the_right_one_is_refused_with_429(tenant, client, settings):
    # given as many wrong passwords as the limit allows
    for _ in range(settings.LOGIN_THROTTLE["MAX_FAILURES_PER_USER"]):
        wrong = admin_login(client, tenant.manager.username, "guess")
        assert wrong.status_code == 200
        assert "correct username and password" in wrong.content.decode()

    # when the right password comes next
    response = admin_login(client, tenant.manager.username, "pw-for-tests")

    # then the login page says why, with 429 and when to try again, and nobody is logged in
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert not logged_in(client)


def test_admin_and_phone_failures_count_against_the_same_account(tenant, client, settings):
    limit = settings.LOGIN_THROTTLE["MAX_FAILURES_PER_USER"]
    for _ in range(limit):
        ApiClient().post_json(
            "/auth/token", {"username": tenant.manager.username, "password": "guess", "device_id": "p"}
        )

    assert admin_login(client, tenant.manager.username, "pw-for-tests").status_code == 429


def test_the_admin_counts_the_address_behind_a_trusted_proxy(tenant, client, settings):
    settings.TRUSTED_PROXIES = ["10.20.0.5"]
    for n in range(settings.LOGIN_THROTTLE["MAX_FAILURES_PER_IP"]):
        admin_login(client, f"made-up-{n}", "guess", REMOTE_ADDR="10.20.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")

    locked = admin_login(client, "made-up-x", "guess", REMOTE_ADDR="10.20.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    colleague = admin_login(
        client, tenant.manager.username, "pw-for-tests", REMOTE_ADDR="10.20.0.5", HTTP_X_FORWARDED_FOR="198.51.100.8"
    )

    assert locked.status_code == 429
    assert colleague.status_code == 302


def test_with_redis_down_the_admin_login_fails_closed_with_503(tenant, client):
    from backend.accounts.throttle import _redis

    _redis.cache_clear()
    try:
        with override_settings(REDIS_URL="redis://127.0.0.1:9/0"):
            response = admin_login(client, tenant.manager.username, "pw-for-tests")
    finally:
        _redis.cache_clear()

    assert response.status_code == 503
    assert "try again" in response.content.decode().lower()
    assert int(response["Retry-After"]) > 0
    assert not logged_in(client)

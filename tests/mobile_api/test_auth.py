"""Logging a phone in and out; bearer tokens; failed-login throttling."""

import uuid

import pytest
from django.utils import timezone

from backend.devices.models import DeviceToken
from tests.conftest import ApiClient, api_client_for

pytestmark = pytest.mark.django_db

LOGIN = {"password": "pw-for-tests", "device_id": "pixel-8-abc", "device_name": "Pixel 8"}


def test_guard_logs_in_and_sees_who_they_are(tenant, anonymous_api):
    response = anonymous_api.post_json("/auth/token", {"username": tenant.guard.username, **LOGIN})

    assert response.status_code == 200
    body = response.json()
    assert body["token"].startswith("gdo_")
    me = ApiClient(body["token"]).get_json("/me").json()
    assert me["username"] == tenant.guard.username
    assert me["company"]["id"] == tenant.company.pk
    assert me["device_id"] == "pixel-8-abc"


def test_token_is_stored_only_hashed(tenant, anonymous_api):
    token = anonymous_api.post_json("/auth/token", {"username": tenant.guard.username, **LOGIN}).json()["token"]

    record = DeviceToken.objects.get(user=tenant.guard)
    assert token not in record.token_hash
    assert len(record.token_hash) == 64


def test_logging_in_again_on_the_same_device_replaces_its_token(tenant, anonymous_api):
    first = anonymous_api.post_json("/auth/token", {"username": tenant.guard.username, **LOGIN}).json()["token"]
    second = anonymous_api.post_json("/auth/token", {"username": tenant.guard.username, **LOGIN}).json()["token"]

    assert ApiClient(first).get_json("/me").status_code == 401
    assert ApiClient(second).get_json("/me").status_code == 200


def test_logout_revokes_the_token(guard_api):
    assert guard_api.delete_json("/auth/token").status_code == 204
    response = guard_api.get_json("/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_expired_and_manager_revoked_tokens_stop_working(tenant):
    api = api_client_for(tenant.guard)
    DeviceToken.objects.filter(user=tenant.guard).update(expires_at=timezone.now())
    assert api.get_json("/me").status_code == 401

    api = api_client_for(tenant.guard, device_id="second-phone")
    DeviceToken.objects.filter(user=tenant.guard, device_id="second-phone").update(revoked_at=timezone.now())
    assert api.get_json("/me").status_code == 401


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer nonsense", "Basic Z3VhcmQ6cHc=", "Bearer gdo_" + "x" * 43])
def test_missing_or_bad_tokens_are_401(anonymous_api, header):
    response = anonymous_api.get("/api/mobile/v1/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_wrong_password_is_401_and_managers_cannot_get_mobile_tokens(tenant, anonymous_api):
    wrong = anonymous_api.post_json("/auth/token", {**LOGIN, "username": tenant.guard.username, "password": "nope"})
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "invalid_credentials"

    manager = anonymous_api.post_json("/auth/token", {**LOGIN, "username": tenant.manager.username})
    assert manager.status_code == 403
    assert manager.json()["code"] == "not_a_guard"
    assert not DeviceToken.objects.exists()


def test_repeated_failed_logins_are_throttled_even_with_the_right_password(tenant, anonymous_api, settings):
    limit = settings.LOGIN_THROTTLE["MAX_FAILURES_PER_USER"]
    for _ in range(limit):
        assert (
            anonymous_api.post_json(
                "/auth/token", {**LOGIN, "username": tenant.guard.username, "password": "guess"}
            ).status_code
            == 401
        )

    response = anonymous_api.post_json("/auth/token", {"username": tenant.guard.username, **LOGIN})

    assert response.status_code == 429
    assert response.json()["code"] == "too_many_attempts"
    assert int(response["Retry-After"]) > 0
    assert not DeviceToken.objects.exists()


def test_unknown_fields_in_login_are_refused(tenant, anonymous_api):
    response = anonymous_api.post_json("/auth/token", {"username": tenant.guard.username, **LOGIN, "company_id": 1})
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_field"
    assert "company_id" in response.json()["fields"]


def test_login_answers_are_never_cached(tenant, anonymous_api):
    # given a proxy or the phone's HTTP cache between the app and the server
    issued = anonymous_api.post_json("/auth/token", {"username": tenant.guard.username, **LOGIN})
    refused = anonymous_api.post_json("/auth/token", {**LOGIN, "username": tenant.guard.username, "password": "x"})

    # then neither the token nor the refusal may be stored by it
    assert issued.status_code == 200
    assert refused.status_code == 401
    for response in (issued, refused):
        assert "no-store" in response["Cache-Control"]


# --- Behind a proxy -------------------------------------------------------------------

PROXY = "10.20.0.5"  # the load balancer every phone's request arrives through


def login_through(api, body, *, remote_addr, forwarded_for):
    return api.post_json("/auth/token", body, REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_failures_behind_a_trusted_proxy_lock_out_only_their_own_address(tenant, anonymous_api, settings):
    # given the load balancer is a trusted proxy
    settings.TRUSTED_PROXIES = ["10.20.0.0/16"]
    limit = settings.LOGIN_THROTTLE["MAX_FAILURES_PER_IP"]

    # when one phone fails with made-up names until its address is locked out
    for n in range(limit):
        guess = {**LOGIN, "username": f"made-up-{n}", "password": "guess"}
        assert login_through(anonymous_api, guess, remote_addr=PROXY, forwarded_for="198.51.100.7").status_code == 401
    locked = login_through(
        anonymous_api, {**LOGIN, "username": "made-up-x"}, remote_addr=PROXY, forwarded_for="198.51.100.7"
    )

    # then that phone is throttled, but a real guard on another phone behind the same proxy logs in
    real = login_through(
        anonymous_api,
        {**LOGIN, "username": tenant.guard.username},
        remote_addr=PROXY,
        forwarded_for="198.51.100.8",
    )
    assert locked.status_code == 429
    assert real.status_code == 200, real.json()


def test_a_forged_forwarded_for_from_an_untrusted_sender_is_ignored(tenant, anonymous_api, settings):
    # given a client that talks to the app directly and makes up a new X-Forwarded-For each time
    settings.TRUSTED_PROXIES = ["10.20.0.0/16"]
    limit = settings.LOGIN_THROTTLE["MAX_FAILURES_PER_IP"]
    for n in range(limit):
        guess = {**LOGIN, "username": f"made-up-{n}", "password": "guess"}
        login_through(anonymous_api, guess, remote_addr="203.0.113.50", forwarded_for=f"198.51.100.{n}")

    real = {**LOGIN, "username": tenant.guard.username}
    response = login_through(anonymous_api, real, remote_addr="203.0.113.50", forwarded_for="192.0.2.1")

    # then its own address is what is counted
    assert response.status_code == 429


def test_the_per_user_limit_holds_from_every_address(tenant, anonymous_api, settings):
    settings.TRUSTED_PROXIES = ["10.20.0.0/16"]
    limit = settings.LOGIN_THROTTLE["MAX_FAILURES_PER_USER"]
    wrong = {**LOGIN, "username": tenant.guard.username, "password": "guess"}
    for n in range(limit):
        login_through(anonymous_api, wrong, remote_addr=PROXY, forwarded_for=f"198.51.100.{n}")

    response = login_through(
        anonymous_api, {**LOGIN, "username": tenant.guard.username}, remote_addr=PROXY, forwarded_for="192.0.2.99"
    )

    assert response.status_code == 429


# --- Redis unreachable ----------------------------------------------------------------


@pytest.fixture
def redis_down():
    """Redis stops answering: the throttle's client and the Django cache point at a dead port."""
    from django.test import override_settings

    from backend.accounts.throttle import _redis

    dead = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
    cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead}}
    _redis.cache_clear()
    with override_settings(REDIS_URL=dead, CACHES=cache):
        yield
    _redis.cache_clear()


def test_with_redis_down_a_login_fails_closed_as_json_503(tenant, anonymous_api, redis_down):
    response = anonymous_api.post_json("/auth/token", {"username": tenant.guard.username, **LOGIN})

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert int(response["Retry-After"]) > 0
    assert not DeviceToken.objects.exists()


def test_with_redis_down_a_logged_in_phone_keeps_working(tenant, guard_api, redis_down):
    from tests import factories
    from tests.mobile_api.test_incidents import position

    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    fix = position()
    ping = {"id": str(uuid.uuid4()), "shift_id": shift.pk, **{k: fix[k] for k in ("lat", "lon", "accuracy_m")}}
    ping["recorded_at"] = fix["recorded_at"]

    assert guard_api.get_json("/shifts").status_code == 200
    assert guard_api.get_json(f"/shifts/{shift.pk}").status_code == 200
    assert guard_api.post_json("/pings", {"pings": [ping]}).status_code == 200
    assert guard_api.get_json("/me").status_code == 200

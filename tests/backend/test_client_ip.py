"""Which address a login is counted against: X-Forwarded-For only from trusted proxies."""

import pytest
from django.test import RequestFactory

from backend.core.http import client_ip


def request(remote_addr: str, forwarded_for: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().post("/api/mobile/v1/auth/token", **extra)


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "expected"),
    [
        pytest.param("203.0.113.50", None, "203.0.113.50", id="direct"),
        pytest.param("203.0.113.50", "198.51.100.7", "203.0.113.50", id="untrusted-sender-forges"),
        pytest.param("10.20.0.5", "198.51.100.7", "198.51.100.7", id="through-the-load-balancer"),
        pytest.param("10.20.0.5", "1.2.3.4, 198.51.100.7", "198.51.100.7", id="client-written-hops-ignored"),
        pytest.param("10.20.0.5", "198.51.100.7, 10.20.0.9", "198.51.100.7", id="two-trusted-proxies"),
        pytest.param("10.20.0.5", None, "10.20.0.5", id="trusted-without-header"),
        pytest.param("10.20.0.5", "not-an-ip", "10.20.0.5", id="garbage-header"),
        pytest.param("10.20.0.5", "2001:db8::7", "2001:db8::7", id="ipv6-client"),
        pytest.param("::ffff:203.0.113.50", None, "203.0.113.50", id="ipv4-mapped"),
        pytest.param("10.20.0.5", "198.51.100.7:51234", "198.51.100.7", id="ipv4-with-port"),
        pytest.param("10.20.0.5", "[2001:db8::7]:51234", "2001:db8::7", id="ipv6-with-port"),
        pytest.param("", None, "unknown", id="no-remote-addr"),
    ],
)
def test_client_ip(settings, remote_addr, forwarded_for, expected):
    settings.TRUSTED_PROXIES = ["10.20.0.0/16"]

    assert client_ip(request(remote_addr, forwarded_for)) == expected


def test_without_trusted_proxies_the_header_is_never_believed(settings):
    settings.TRUSTED_PROXIES = []

    assert client_ip(request("10.20.0.5", "198.51.100.7")) == "10.20.0.5"


def test_a_misspelt_trusted_proxy_is_a_configuration_error_not_a_silent_miss(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.TRUSTED_PROXIES = ["10.20.0.0/16", "load-balancer"]

    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        client_ip(request("10.20.0.5", "198.51.100.7"))

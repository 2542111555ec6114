"""HTTP matters that need care to get right: who sent a request, and how a console or portal view answers."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

from backend.core.errors import ApplicationError, NotFound

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IpNetwork, ...]:
    try:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error} (give addresses or CIDRs, e.g. 10.0.0.0/8)") from None


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    # Some proxies add the client's port: "198.51.100.7:51234", "[2001:db8::7]:51234".
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:198.51.100.7) is that IPv4 client.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped if mapped is not None else address


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent the request, for per-address limits.

    REMOTE_ADDR, unless it is one of settings.TRUSTED_PROXIES (addresses or CIDRs, e.g.
    the load balancer): then X-Forwarded-For is read from the right, skipping trusted
    proxies, and the first address that is not one is the client. Anything a client
    wrote further left is not believed, and a sender that is not a trusted proxy cannot
    forge the header at all.

    Not django-ipware: its trusted-proxy list is matched against the tail of the
    X-Forwarded-For chain and never against REMOTE_ADDR, so a client connecting
    directly could forge the whole chain.
    """
    remote = _address(str(request.META.get("REMOTE_ADDR", "")))
    if remote is None:
        return "unknown"
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))

    def is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in trusted)

    if not is_trusted(remote):
        return str(remote)
    client = remote
    for hop in reversed(str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")):
        address = _address(hop)
        if address is None:
            # Garbage in the chain: the last proxy we trust is the best we know.
            break
        client = address
        if not is_trusted(address):
            break
    return str(client)


def surface_response(response: HttpResponseBase) -> HttpResponseBase:
    """How every console and portal answer leaves: a URL that answers htmx a fragment and a page
    otherwise is cached apart for each (`Vary: HX-Request`), and nothing is kept by any cache."""
    patch_vary_headers(response, ["HX-Request"])
    add_never_cache_headers(response)
    return response


def sign_in_first(request: HttpRequest, login_url: str) -> HttpResponse:
    """To the surface's login page, back to this one after (?next=)."""
    if getattr(request, "htmx", False):
        # htmx would swap the login page into a fragment: the whole window goes there instead.
        return HttpResponseClientRedirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
    return cast(HttpResponse, redirect_to_login(request.get_full_path(), login_url))


Answer = TypeVar("Answer", bound=HttpResponseBase)


def refusals_as_pages(
    request: HttpRequest, answer: Callable[[], Answer], error_page: Callable[[HttpRequest, ApplicationError], Answer]
) -> Answer:
    """A surface view's answer, or the surface's error page for what the view refused.

    Another tenant's (or site's, or client's) object is the same 404 as one that does not
    exist, so nothing is disclosed.
    """
    try:
        return answer()
    except (NotFound, Http404):
        return error_page(request, NotFound("There is nothing here, or it is not yours to see."))
    except ApplicationError as error:
        # A view should turn a service's refusal into form errors; this keeps a missed one from being a 500.
        return error_page(request, error)

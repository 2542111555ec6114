"""What the console's and the portal's isolation registries share: a case's target, how a URL
is asked, and which URL names a surface has (tests/console/isolation.py, tests/portal/isolation.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.test import Client
from django.urls import URLPattern, URLResolver, reverse


@dataclass(frozen=True)
class Target:
    kwargs: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] | None = None
    marker: str | None = None
    query: dict[str, str] | None = None


class AskedCase(Protocol):
    method: str
    htmx: bool

    def build(self, world: Any, /) -> Target: ...


Case = TypeVar("Case")


def register(cases: dict[str, Case], url_name: str, case: Case) -> None:
    if url_name in cases:
        raise ValueError(f"Two isolation cases for {url_name}.")
    cases[url_name] = case


def page(world: object) -> Target:
    """A page without an object in its URL."""
    return Target()


def url_names(patterns, prefix: str) -> dict[str, bool]:
    """URL name -> whether its route takes an argument (an object in the URL)."""
    names: dict[str, bool] = {}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names.update(url_names(pattern.url_patterns, namespace))
        elif isinstance(pattern, URLPattern) and pattern.name:
            names[f"{prefix}{pattern.name}"] = bool(pattern.pattern.converters) or "(?P<" in str(pattern.pattern)
    return names


def ask(client: Client, url_name: str, case: AskedCase, world: object):
    """The response, its body as text (a streamed file read to the end, which closes it) and the target."""
    target = case.build(world)
    url = reverse(url_name, kwargs=target.kwargs)
    headers = {"HX-Request": "true"} if case.htmx else {}
    if case.method == "post":
        response = client.post(url, target.data or {}, headers=headers)
    else:
        response = client.get(url, target.query or {}, headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode(errors="replace"), target


def assert_sent_to_sign_in(response, *, htmx: bool, login_url: str) -> None:
    """Nobody signed in: to the login page (htmx is sent there as a whole window), back after it."""
    if htmx:
        assert response["HX-Redirect"].startswith(f"{login_url}?next=")
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{login_url}?next=")

"""The portal's isolation registry: one case per URL name in portal.urls.

tests/portal/test_isolation.py walks every URL pattern of the portal and requests each as:
nobody (-> the portal's sign-in page), a guard, a manager and a supervisor (-> the 403 "not
for your role" page), the client's contact who sees every site and the one limited to
`site` (they get it: the control that proves the 404s below mean something), and, for a
URL with an object in it, a contact limited to the client's other site, a contact of
another client of the same company, and a contact of another company (-> 404; for a list
page the object's marker must not show). A URL without a case fails the test.

    from tests.portal.isolation import Target, World, case

    @case("portal:report")
    def _report(world: World) -> Target:
        report = approved_report(world.site)          # on world.site, client A
        return Target(kwargs={"report_id": report.pk}, marker="window smashed")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from backend.accounts.models import User
from backend.sites.models import Site
from tests.conftest import Tenant
from tests.web_isolation import Target, page, register

__all__ = ["CASES", "Target", "UrlCase", "World", "case", "page"]


@dataclass
class World:
    """Client A of company A with `site` (the objects' site) and `second_site`, and people around them."""

    tenant: Tenant
    other_tenant: Tenant
    site: Site
    second_site: Site
    contact: User  # of client A, every site
    limited_contact: User  # of client A, limited to `site`
    elsewhere_contact: User  # of client A, limited to `second_site`
    other_client_contact: User  # of client B of company A
    supervisor: User  # of company A, assigned to `site`


@dataclass(frozen=True)
class UrlCase:
    build: Callable[[World], Target]
    method: str = "get"
    # Not behind portal_view (the sign-in and sign-out pages, the public verify page): tested apart.
    public: bool = False
    htmx: bool = False
    # The URL's argument is a period (a month), not someone's object: everyone gets their own.
    period: bool = False


CASES: dict[str, UrlCase] = {}


def case(
    url_name: str, *, method: str = "get", public: bool = False, htmx: bool = False, period: bool = False
) -> Callable[[Callable[[World], Target]], Callable[[World], Target]]:
    def add(build: Callable[[World], Target]) -> Callable[[World], Target]:
        register(CASES, url_name, UrlCase(build=build, method=method, public=public, htmx=htmx, period=period))
        return build

    return add

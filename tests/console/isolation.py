"""The console's isolation registry: one case per URL name in console.urls.

tests/console/test_isolation.py walks every URL pattern of the console and, for each,
requests it as: nobody (-> the login page), a guard and a client contact (-> the 403
"not for your role" page), the company's own manager and an assigned supervisor (they get
it: the control that proves the 404s below mean something), and, for a URL with an
object in it, a manager of another company and a supervisor of another site of the same
company (-> 404). A URL without a case fails the test.

To add a case for a new URL, put a module in tests/console/isolation_cases/ (it is
imported automatically):

    from tests.console.isolation import Target, World, case

    @case("console:report", method="get")
    def _report(world: World) -> Target:
        report = make_report(shift=shift_on(world.site))   # on world.site, company A
        return Target(kwargs={"report_id": report.pk}, marker=report.narrative[:30])

`kwargs` fill the URL; `data` (optional) is the POST body; `marker` (optional) is a text
the owner sees on the page and nobody else does (for list pages: the object must not
leak into another company's or site's list).

`managers_only=True`: a company-level change (the qualification catalogue, a guard's
licence) that a site supervisor of the company is refused with a 403 `managers_only`
page, while the manager gets it. `company_level=True`: the object in the URL belongs to
the company, not a site (a catalogue entry), so a supervisor of another site of the same
company reaches it like the assigned one; another company's manager still gets a 404.
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
    """Company A (`tenant`) with the object's site `site`, a second site, and people around them."""

    tenant: Tenant
    other_tenant: Tenant
    site: Site
    second_site: Site
    supervisor: User  # of company A, assigned to `site`
    unassigned_supervisor: User  # of company A, assigned to `second_site` only


@dataclass(frozen=True)
class UrlCase:
    build: Callable[[World], Target]
    method: str = "get"
    # Not behind console_view (the login and logout pages): tested in test_auth.py.
    public: bool = False
    # htmx-only fragments and the like: asked with HX-Request: true.
    htmx: bool = False
    managers_only: bool = False
    company_level: bool = False


CASES: dict[str, UrlCase] = {}


def case(
    url_name: str,
    *,
    method: str = "get",
    public: bool = False,
    htmx: bool = False,
    managers_only: bool = False,
    company_level: bool = False,
) -> Callable[[Callable[[World], Target]], Callable[[World], Target]]:
    def add(build: Callable[[World], Target]) -> Callable[[World], Target]:
        register(
            CASES,
            url_name,
            UrlCase(
                build=build,
                method=method,
                public=public,
                htmx=htmx,
                managers_only=managers_only,
                company_level=company_level,
            ),
        )
        return build

    return add

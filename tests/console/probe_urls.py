"""A URL conf for test_access.py: the console plus probe views that show what console_view does."""

from django.http import HttpResponse
from django.urls import include, path

from backend.core.errors import Conflict
from backend.sites.selectors import site_get_visible
from console.access import ConsoleRequest, console_view


@console_view
def site_probe(request: ConsoleRequest, site_id: int) -> HttpResponse:
    site = site_get_visible(scope=request.scope, site_id=site_id)
    return HttpResponse(f"site {site.name}")


@console_view
def conflict_probe(request: ConsoleRequest) -> HttpResponse:
    raise Conflict("Already approved by Pat at 10:02 EST.", code="already_approved")


urlpatterns = [
    path("console/", include("console.urls")),
    path("console/probe/sites/<int:site_id>", site_probe),
    path("console/probe/conflict", conflict_probe),
]

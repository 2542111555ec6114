"""`portal_view`: the one door into every portal page.

It sends the anonymous to the portal's own sign-in page (with ?next=), turns away
everyone the portal is not for — guards, managers, supervisors, GuardOps staff — with a
403 page that says so and offers to sign out, puts the contact's Scope on
`request.scope` (their client's sites, or only those they are limited to), answers a
selector's NotFound (another client's or company's id) with the portal's 404 page, and
marks every answer `Vary: HX-Request` and uncacheable.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, cast

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from backend.accounts.models import User
from backend.core.errors import ApplicationError
from backend.core.http import refusals_as_pages, sign_in_first, surface_response
from backend.sites.scopes import Scope, scope_for

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

P = ParamSpec("P")


class PortalRequest(HttpRequest):
    """The request a portal view receives: a signed-in client contact and their Scope."""

    user: User
    scope: Scope
    htmx: HtmxDetails


PortalView = Callable[Concatenate[PortalRequest, P], HttpResponseBase]


def portal_error(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    return render(request, "portal/error.html", {"error": error}, status=error.status)


def portal_view(view: PortalView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Wraps a portal view: sign-in, role, `request.scope`, 404s, `Vary: HX-Request`.

    Outermost (above `require_POST` and the like): nobody learns which methods a URL takes
    before signing in as a client contact.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return surface_response(sign_in_first(request, reverse("portal:login")))
        if not user.is_client_contact or user.is_superuser:
            return surface_response(render(request, "portal/not_for_role.html", status=403))
        portal_request = cast(PortalRequest, request)

        def answer() -> HttpResponseBase:
            portal_request.scope = scope_for(user)
            return view(portal_request, *args, **kwargs)

        return surface_response(refusals_as_pages(request, answer, portal_error))

    return cast(Callable[Concatenate[HttpRequest, P], HttpResponseBase], wrapper)

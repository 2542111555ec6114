"""`console_view`: the one door into every console page.

It signs the anonymous in (redirect to the console's login with ?next=), turns away
people the console is not for (guards, client contacts, GuardOps staff: a 403 page that
says so and offers to sign out), puts the viewer's Scope on `request.scope` for the
selectors, maps a selector's NotFound (another tenant's or an unassigned site's id) to
the console's 404 page, and marks every answer `Vary: HX-Request` and uncacheable.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Concatenate, ParamSpec, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from backend.accounts.models import Role, User
from backend.core.errors import ApplicationError
from backend.core.http import refusals_as_pages, sign_in_first, surface_response
from backend.sites.scopes import Scope, scope_for

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

P = ParamSpec("P")

CONSOLE_ROLES = frozenset({Role.MANAGER, Role.SUPERVISOR})


class ConsoleRequest(HttpRequest):
    """The request a console view receives: a signed-in manager or supervisor and their Scope."""

    user: User
    scope: Scope
    htmx: HtmxDetails


ConsoleView = Callable[Concatenate[ConsoleRequest, P], HttpResponse]


def _finish(response: HttpResponse) -> HttpResponse:
    surface_response(response)
    return response


def role_refusal(request: HttpRequest, user: User) -> HttpResponse | None:
    """The 403 page for someone the console is not for, or None when it is for them."""
    if user.is_superuser or user.role == Role.STAFF:
        return render(request, "console/not_for_role.html", {"staff": True}, status=403)
    if user.role not in CONSOLE_ROLES:
        return render(request, "console/not_for_role.html", {"staff": False}, status=403)
    return None


def error_page(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    return render(request, "console/error.html", {"error": error}, status=error.status)


def console_view(view: ConsoleView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Wraps a console view: login, role, `request.scope`, 404s, `Vary: HX-Request`.

    Put it outermost (above `require_POST` and the like), so that nobody learns which
    methods a URL takes before signing in.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not isinstance(user, User):
            return _finish(sign_in_first(request, reverse("console:login")))
        refusal = role_refusal(request, user)
        if refusal is not None:
            return _finish(refusal)
        console_request = cast(ConsoleRequest, request)

        def answer() -> HttpResponse:
            console_request.scope = scope_for(user)
            return view(console_request, *args, **kwargs)

        return _finish(refusals_as_pages(request, answer, error_page))

    return cast(Callable[Concatenate[HttpRequest, P], HttpResponse], wrapper)

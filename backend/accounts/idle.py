"""Signs people out of a web surface after a time without a request (CONSOLE_SESSION_IDLE_SECONDS).

Applies under the URL prefixes of settings.SESSION_IDLE_LOGIN_URLS (prefix -> the name of
that surface's login page: the console's, the portal's); the admin and the mobile API
keep their own rules. A surface's login view starts the clock (`idle_clock_start`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

LAST_SEEN_KEY = "guardops_last_seen"
# Writing the session on every request would cost a database write each time; the stamp
# is refreshed once a minute, which is all the precision an idle limit needs.
_REFRESH_SECONDS = 60


def idle_clock_start(request: HttpRequest) -> None:
    """A fresh sign-in: the idle clock starts now."""
    request.session[LAST_SEEN_KEY] = int(time.time())


def _login_url_name(path: str) -> str | None:
    urls: dict[str, str] = settings.SESSION_IDLE_LOGIN_URLS
    return next((name for prefix, name in urls.items() if path.startswith(prefix)), None)


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        login_name = _login_url_name(request.path)
        if login_name is None or not request.user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        last_seen = request.session.get(LAST_SEEN_KEY)
        idle_limit: int = settings.CONSOLE_SESSION_IDLE_SECONDS
        if isinstance(last_seen, int) and now - last_seen > idle_limit:
            logout(request)
            minutes = max(1, idle_limit // 60)
            messages.info(
                request, f"You were signed out after {minutes} minutes without activity. Please sign in again."
            )
            target = f"{reverse(login_name)}?{urlencode({'next': request.get_full_path()})}"
            if request.headers.get("HX-Request") == "true":
                return HttpResponseClientRedirect(target)
            return HttpResponseRedirect(target)
        if not isinstance(last_seen, int) or now - last_seen >= _REFRESH_SECONDS:
            request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)

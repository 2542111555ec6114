"""Signs people out of the console after a time without a request (CONSOLE_SESSION_IDLE_SECONDS).

Applies under the prefixes in IDLE_LOGIN_URLS (the portal adds its own with its login
page); the admin and the mobile API keep their own rules.
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

# URL prefix -> the name of the login page an idle session is sent to.
IDLE_LOGIN_URLS: dict[str, str] = {"/console/": "console:login"}
LAST_SEEN_KEY = "guardops_last_seen"
# Writing the session on every request would cost a database write each time; the stamp
# is refreshed once a minute, which is all the precision an idle limit needs.
_REFRESH_SECONDS = 60


class SessionIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        login_name = next((name for prefix, name in IDLE_LOGIN_URLS.items() if request.path.startswith(prefix)), None)
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

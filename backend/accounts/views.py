"""Login pages answer the throttle's refusals with their status.

A web login (the admin's, the console's) uses ThrottledAuthenticationForm and wraps its
view's response in `refusal_status`, e.g. for the console:

    refusal_status(LoginView.as_view(authentication_form=ThrottledAuthenticationForm)(request))
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from backend.accounts.forms import ThrottledAuthenticationForm


def refusal_status(response: HttpResponse) -> HttpResponse:
    """A login page whose form the throttle refused answers 429/503 with Retry-After, not 200."""
    context = getattr(response, "context_data", None) or {}
    form = context.get("form")
    if isinstance(form, ThrottledAuthenticationForm) and form.refusal is not None:
        response.status_code = form.refusal.status
        retry_after = form.refusal.extra.get("retry_after")
        if retry_after is not None:
            response["Retry-After"] = str(retry_after)
    return response


@never_cache
def admin_login(request: HttpRequest) -> HttpResponse:
    """AdminSite.login (whose login_form urls.py sets to the throttled one) with the refusal's status."""
    return refusal_status(admin.site.login(request))

"""Login pages answer the throttle's refusals with their status; the web surfaces' own sign-in pages.

A web login (the admin's, the console's, the portal's) uses ThrottledAuthenticationForm and
wraps its view's response in `refusal_status`. The console and the portal sign people in,
out and change passwords with `surface_auth_views`, which names each surface's templates
(`<surface>/login.html`, and `<surface>/base.html` around the shared password page) and pages
(`<surface>:home`, `<surface>:login`):

    auth = surface_auth_views(surface="portal", door=portal_view)
    urlpatterns = [path("login", auth.login, name="login"), ...]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache

from backend.accounts.forms import ThrottledAuthenticationForm
from backend.accounts.idle import idle_clock_start


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


class SurfaceLoginView(auth_views.LoginView):
    """A surface's sign-in page: throttled, a new session key (Django's login()), the idle clock started."""

    authentication_form = ThrottledAuthenticationForm
    home_url_name = ""

    def get_default_redirect_url(self) -> str:
        return reverse(self.home_url_name)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        idle_clock_start(self.request)
        return response


class SurfaceLogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView answers GET with 405): a link cannot sign anyone out."""

    login_url_name = ""

    def get_default_redirect_url(self) -> str:
        return reverse(self.login_url_name)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are signed out.")
        return response


class SurfacePasswordChangeView(auth_views.PasswordChangeView):
    """Django keeps this session signed in (update_session_auth_hash) and ends the others."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password was changed.")
        return response


@dataclass(frozen=True)
class SurfaceAuth:
    """One surface's sign-in page (429/503 with Retry-After when the throttle refuses), sign-out and
    password change (behind the surface's own door: console_view, portal_view)."""

    login: Callable[[HttpRequest], HttpResponse]
    logout: Callable[..., HttpResponseBase]
    password_change: Callable[..., HttpResponseBase]


def surface_auth_views(*, surface: str, door: Callable[[Any], Any]) -> SurfaceAuth:
    sign_in = SurfaceLoginView.as_view(template_name=f"{surface}/login.html", home_url_name=f"{surface}:home")
    password_change = SurfacePasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        extra_context={"base_template": f"{surface}/base.html"},
        success_url=reverse_lazy(f"{surface}:home"),
    )

    @never_cache
    def login_page(request: HttpRequest) -> HttpResponse:
        return refusal_status(cast(HttpResponse, sign_in(request)))

    return SurfaceAuth(
        login=login_page,
        logout=SurfaceLogoutView.as_view(login_url_name=f"{surface}:login"),
        password_change=door(password_change),
    )

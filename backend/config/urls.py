from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from backend.accounts.forms import ThrottledAdminAuthenticationForm
from backend.accounts.views import admin_login
from backend.dispatch.views import dispatch_photo
from backend.incidents.views import incident_photo
from mobile_api.api import api as mobile_api_v1


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness probe for load balancers and `make run`'s readiness wait."""
    return JsonResponse({"status": "ok"})


admin.site.site_header = "GuardOps administration"
admin.site.site_title = "GuardOps"
# Failed admin logins are counted on Redis like the phones' (429 after too many, 503 without Redis).
admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Before the admin's own login URL: the same page, with failed logins throttled.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("api/mobile/v1/", mobile_api_v1.urls),
    path("console/", include("console.urls")),
    path("portal/", include("portal.urls")),
    # Photos are never served from MEDIA_URL: each request is authenticated and tenant-checked.
    path("photos/<uuid:photo_id>/<slug:variant>", incident_photo, name="incident-photo"),
    path("dispatch-photos/<uuid:photo_id>/<slug:variant>", dispatch_photo, name="dispatch-photo"),
]

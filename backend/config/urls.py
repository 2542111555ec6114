from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import path

from backend.incidents.views import incident_photo
from mobile_api.api import api as mobile_api_v1


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness probe for load balancers and `make run`'s readiness wait."""
    return JsonResponse({"status": "ok"})


admin.site.site_header = "GuardOps administration"
admin.site.site_title = "GuardOps"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/mobile/v1/", mobile_api_v1.urls),
    # Photos are never served from MEDIA_URL: each request is authenticated and tenant-checked.
    path("photos/<uuid:photo_id>/<slug:variant>", incident_photo, name="incident-photo"),
]

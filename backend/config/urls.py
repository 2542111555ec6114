from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import path

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
]

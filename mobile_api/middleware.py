"""Middleware for the mobile API's edges: JSON errors everywhere, photo size guard.

ApiJsonErrorsMiddleware: the API's clients parse every answer as JSON, but a path no
route matches, a wrong method, a malformed request or an unhandled crash are answered by
Django (or ninja's 405) before the API's error handlers can run, as HTML or an empty
body. Installed near the top of MIDDLEWARE, it rewrites those answers under the API's
prefix into `{code, message}` with the same status:

    "mobile_api.middleware.ApiJsonErrorsMiddleware",

PhotoUploadLimitMiddleware: refuses oversized photo uploads from their Content-Length,
before Django reads the body. Without it, Django's multipart parser would stream a 60 MB
upload to a temporary file before the endpoint could look at its size. Install near the
top of MIDDLEWARE (before anything that reads request.POST/FILES):

    "mobile_api.middleware.PhotoUploadLimitMiddleware",
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

API_PREFIX = "/api/mobile/v1/"
PHOTO_UPLOAD_PATH = re.compile(r"^/api/mobile/v1/(?:incidents|dispatches)/[^/]+/photos/?$")
# Room for the multipart boundaries, part headers and the small form fields (photo_id).
MULTIPART_OVERHEAD_BYTES = 64 * 1024


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


# What a client is told for each status Django may answer by itself.
_DJANGO_ERRORS: dict[int, tuple[str, str]] = {
    400: ("malformed_body", "The request could not be read."),
    403: ("forbidden", "This request is not allowed."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "This method is not allowed here."),
    413: ("payload_too_large", "The request body is too large."),
    500: ("server_error", "Something went wrong on the server; the request can be sent again."),
}


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path_info.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return self._as_json(response)
        return response

    @staticmethod
    def _as_json(response: HttpResponse) -> JsonResponse:
        status = response.status_code
        fallback = ("server_error", "Something went wrong on the server.") if status >= 500 else ("error", "")
        code, message = _DJANGO_ERRORS.get(status, fallback)
        replacement = _error(status, code, message or response.reason_phrase)
        for header in ("Allow", "Retry-After"):
            if header in response:
                replacement[header] = response[header]
        return replacement


class PhotoUploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and PHOTO_UPLOAD_PATH.match(request.path_info):
            refusal = self._refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    @staticmethod
    def _refusal(request: HttpRequest) -> JsonResponse | None:
        max_bytes = int(settings.MOBILE_PHOTO_MAX_BYTES)
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return _error(400, "malformed_body", "The Content-Length header is not a number.")
        if length < 0:
            return _error(400, "malformed_body", "The Content-Length header is negative.")
        # Without a Content-Length (chunked) Django reads no body at all, so nothing to guard.
        if length > max_bytes + MULTIPART_OVERHEAD_BYTES:
            return _error(413, "photo_too_large", f"A photo may be at most {max_bytes // (1024 * 1024)} MB.")
        return None

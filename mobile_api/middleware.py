"""Refuse oversized photo uploads from their Content-Length, before Django reads the body.

Without this, Django's multipart parser would stream a 60 MB upload to a temporary file
before the endpoint could look at its size. Install near the top of MIDDLEWARE (before
anything that reads request.POST/FILES):

    "mobile_api.middleware.PhotoUploadLimitMiddleware",
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

PHOTO_UPLOAD_PATH = re.compile(r"^/api/mobile/v1/incidents/[^/]+/photos/?$")
# Room for the multipart boundaries, part headers and the small form fields (photo_id).
MULTIPART_OVERHEAD_BYTES = 64 * 1024


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


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
        # Without a Content-Length (chunked) Django reads no body at all, so nothing to guard.
        if length > max_bytes + MULTIPART_OVERHEAD_BYTES:
            return _error(413, "photo_too_large", f"A photo may be at most {max_bytes // (1024 * 1024)} MB.")
        return None

"""Photo bytes for the people allowed to see them: the one way photos leave the server.

Media is never served from MEDIA_URL: every photo URL goes through `incident_photo`,
which finds the viewer (an admin/console session, or a phone's bearer token), asks the
selector whether they may have this photo, and answers 404 for anything else, so a URL
never tells whether a photo exists. With `PHOTO_SERVE_MODE` set to `x-accel-redirect`
(nginx) or `x-sendfile` (Apache, lighttpd) Django only decides and the web server
sends the bytes.
"""

from __future__ import annotations

import logging
import uuid
from typing import Final
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header, quote_etag
from django.views.decorators.http import require_safe

from backend.accounts.models import User
from backend.devices.services import device_token_authenticate
from backend.incidents.selectors import PhotoFile, incident_photo_file

logger = logging.getLogger(__name__)

SERVE_DJANGO: Final = "django"
SERVE_X_ACCEL_REDIRECT: Final = "x-accel-redirect"
SERVE_X_SENDFILE: Final = "x-sendfile"
SERVE_MODES: Final = (SERVE_DJANGO, SERVE_X_ACCEL_REDIRECT, SERVE_X_SENDFILE)
# Stored photos never change under a URL, but who may see them can (a report returned,
# a contact removed): browsers keep them an hour, shared caches never.
PHOTO_CACHE_SECONDS: Final = 3600


def incident_photo_url(photo_id: uuid.UUID, variant: str) -> str:
    """The path of a photo's display copy, thumbnail or original."""
    return reverse("incident-photo", kwargs={"photo_id": photo_id, "variant": variant})


def photo_viewer(request: HttpRequest) -> User | None:
    """The phone's guard for `Authorization: Bearer`, else the session's user; None if neither."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        record = device_token_authenticate(raw_token=token.strip())
        return record.user if record is not None else None
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _headers(found: PhotoFile, etag: str) -> dict[str, str]:
    return {
        "Content-Disposition": content_disposition_header(as_attachment=False, filename=found.filename) or "inline",
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
        # Another site's page cannot pull a photo into itself with the viewer's credentials.
        "Cross-Origin-Resource-Policy": "same-site",
    }


def _finish(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, private=True, max_age=PHOTO_CACHE_SECONDS)
    # The same URL answers differently per viewer.
    patch_vary_headers(response, ("Authorization", "Cookie"))
    return response


def _body(found: PhotoFile, headers: dict[str, str]) -> HttpResponseBase:
    mode = settings.PHOTO_SERVE_MODE
    if mode == SERVE_X_ACCEL_REDIRECT:
        response = HttpResponse(content_type=found.content_type, headers=headers)
        prefix = str(settings.PHOTO_X_ACCEL_PREFIX).rstrip("/")
        response["X-Accel-Redirect"] = f"{prefix}/{quote(str(found.file.name))}"
        return response
    if mode == SERVE_X_SENDFILE:
        try:
            path = found.file.path
        except NotImplementedError:  # not a filesystem storage: the server cannot read it either
            logger.error("PHOTO_SERVE_MODE=x-sendfile needs a filesystem storage; streaming %s", found.file.name)
        else:
            response = HttpResponse(content_type=found.content_type, headers=headers)
            response["X-Sendfile"] = path
            return response
    try:
        stream = found.file.open("rb")
    except OSError:
        # The row says there is a file and the storage has none: a lost file, not a server error.
        logger.error("Photo file %s is missing from storage", found.file.name)
        raise Http404("No such photo.") from None
    # FileResponse sets Content-Length from the file and streams it in blocks.
    return FileResponse(stream, content_type=found.content_type, filename=found.filename, headers=headers)


@require_safe
def incident_photo(request: HttpRequest, photo_id: uuid.UUID, variant: str) -> HttpResponseBase:
    """A photo's `display`, `thumbnail` or `original` bytes, or 404 (never 403: nothing is disclosed)."""
    viewer = photo_viewer(request)
    found = incident_photo_file(user=viewer, photo_id=photo_id, variant=variant) if viewer is not None else None
    return photo_response(request, found)


def photo_response(request: HttpRequest, found: PhotoFile | None) -> HttpResponseBase:
    """The answer to a photo URL once the viewer's right to `found` was checked: its bytes (or 304),
    privately cached, sent by the web server in PHOTO_SERVE_MODE; None is a 404."""
    if found is None:
        raise Http404("No such photo.")
    etag = quote_etag(found.etag)
    headers = _headers(found, etag)
    probe = HttpResponse(content_type=found.content_type, headers=headers)
    conditional = get_conditional_response(request, etag=etag, response=probe)
    if conditional is not None and conditional is not probe:  # 304: the browser's copy is current
        return _finish(conditional)
    return _finish(_body(found, headers))

"""Completion photos for the people allowed to see them, checked like a report's photos."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.http import require_safe

from backend.dispatch.selectors import dispatch_photo_file
from backend.incidents.views import photo_response, photo_viewer


def dispatch_photo_url(photo_id: uuid.UUID, variant: str) -> str:
    """The path of a completion photo's display copy, thumbnail or original."""
    return reverse("dispatch-photo", kwargs={"photo_id": photo_id, "variant": variant})


@require_safe
def dispatch_photo(request: HttpRequest, photo_id: uuid.UUID, variant: str) -> HttpResponseBase:
    """A completion photo's bytes for its guard (bearer token) or a dispatcher of its site (session), or 404."""
    viewer = photo_viewer(request)
    found = dispatch_photo_file(user=viewer, photo_id=photo_id, variant=variant) if viewer is not None else None
    return photo_response(request, found)

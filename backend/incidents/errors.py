"""What the incident services refuse, each with its code and HTTP status."""

from __future__ import annotations

from backend.core.errors import ApplicationError


class PhotoTooLarge(ApplicationError, code="photo_too_large", status=413):
    """The upload is over the photo size limit (by Content-Length or by what was read)."""


class UnsupportedImage(ApplicationError, code="unsupported_image", status=415):
    """The file is empty or not a JPEG, PNG or HEIC by its content."""


class ImageTooLarge(ApplicationError, code="image_too_large", status=422):
    """The image decodes to more pixels than the server will process."""

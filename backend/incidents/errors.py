"""What the incident services refuse, each with its code and HTTP status."""

from __future__ import annotations

from backend.core.errors import ApplicationError


class PhotoTooLarge(ApplicationError):
    code = "photo_too_large"
    status = 413


class UnsupportedImage(ApplicationError):
    code = "unsupported_image"
    status = 415


class ImageTooLarge(ApplicationError):
    code = "image_too_large"
    status = 422

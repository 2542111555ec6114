"""One mapping from failures to JSON `{code, message, fields?}` with the right status."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from backend.core.errors import ApplicationError, ValidationFailed


class UnknownField(ValidationFailed, code="unknown_field"):
    """A form field the endpoint does not take; JSON bodies get the same code from `extra="forbid"`."""


# Request locations ninja prefixes to a field path; the client only needs the field.
_LOCATION_PREFIXES = {"body", "query", "path", "header", "form", "file", "cookie"}
_ARGUMENT_NAMES = {"payload", "batch", "body", "data"}


def _field_path(loc: list[Any]) -> str:
    """["body", "payload", "position", "lat"] -> "position.lat"; ["file", "file"] -> "file"."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in _LOCATION_PREFIXES:
        parts.pop(0)
    # ninja names the body argument; drop it when it is followed by a real field.
    if len(parts) > 1 and parts[0] in _ARGUMENT_NAMES:
        parts.pop(0)
    return ".".join(parts) or "body"


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        response = api.create_response(request, body, status=status)
        if "retry_after" in body:
            response["Retry-After"] = str(body["retry_after"])
        return response

    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return respond(request, exc.status, exc.as_dict())

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        unknown = False
        for error in exc.errors:
            path = _field_path(list(error.get("loc", [])))
            unknown = unknown or error.get("type") == "extra_forbidden"
            message = "is not an accepted field" if error.get("type") == "extra_forbidden" else error.get("msg", "")
            fields.setdefault(path, []).append(str(message).removeprefix("Value error, "))
        first_field, problems = next(iter(fields.items()), ("body", ["is invalid"]))
        return respond(
            request,
            422,
            {
                "code": "unknown_field" if unknown else "validation_error",
                "message": f"{first_field}: {problems[0]}",
                "fields": fields,
            },
        )

    @api.exception_handler(DjangoValidationError)
    def model_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        fields = (
            {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"body": [str(m) for m in exc.messages]}
        )
        first_field, problems = next(iter(fields.items()))
        return respond(
            request, 422, {"code": "validation_error", "message": f"{first_field}: {problems[0]}", "fields": fields}
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request,
            401,
            {"code": "unauthenticated", "message": "A valid device token is required (Authorization: Bearer)."},
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, {"code": "not_found", "message": "Not found."})

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, {"code": "payload_too_large", "message": "The request body is too large."})

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {400: "malformed_body", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            exc.status_code, "error"
        )
        return respond(request, exc.status_code, {"code": code, "message": str(exc.message)})

from typing import Any

from django.http import HttpRequest
from django.views.decorators.cache import never_cache
from ninja import Router, Status
from ninja.decorators import decorate_view

from backend.core.http import client_ip
from backend.devices.services import device_token_issue, device_token_revoke
from mobile_api.auth import DeviceTokenAuth, guard_of
from mobile_api.schemas.auth import MeOut, TokenIn, TokenOut
from mobile_api.schemas.common import ErrorOut

router = Router(tags=["auth"])


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    description=(
        "Log a guard's phone in. 401 `invalid_credentials`; 403 `not_a_guard`; 429 `too_many_attempts` after "
        "repeated failures for the username or the phone's address (`Retry-After`); 503 `service_unavailable` "
        "when logins cannot be counted (`Retry-After`): logins fail closed."
    ),
)
@decorate_view(never_cache)  # the answer carries a token (or says whose password was wrong): no cache keeps it
def token_create(request: HttpRequest, payload: TokenIn) -> TokenOut:
    raw, record = device_token_issue(
        username=payload.username,
        password=payload.password,
        device_id=payload.device_id,
        device_name=payload.device_name,
        client_ip=client_ip(request),
    )
    return TokenOut(token=raw, expires_at=record.expires_at)


@router.delete("/auth/token", auth=DeviceTokenAuth(), response={204: None, 401: ErrorOut})
def token_delete(request: HttpRequest) -> Status[None]:
    request_any: Any = request
    device_token_revoke(token=request_any.device_token)
    return Status(204, None)


@router.get("/me", auth=DeviceTokenAuth(), response={200: MeOut, 401: ErrorOut})
def me(request: HttpRequest) -> dict[str, Any]:
    guard = guard_of(request)
    request_any: Any = request
    return {
        "id": guard.pk,
        "username": guard.username,
        "first_name": guard.first_name,
        "last_name": guard.last_name,
        "employee_number": guard.employee_number,
        "company": guard.company,
        "device_id": request_any.device_token.device_id,
        "token_expires_at": request_any.device_token.expires_at,
    }

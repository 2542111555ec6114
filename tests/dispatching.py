"""Test builders for service requests: a request on a tenant's site, a guard clocked in, a request sent to them."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from backend.dispatch.models import CallbackOutcome, ServiceRequest
from backend.dispatch.services import (
    NewServiceRequest,
    service_request_callback_log,
    service_request_create,
    service_request_dispatch,
)
from backend.staffing.models import Shift
from tests.console.live_helpers import shift_on_now

ON_FILE = "+1 404 555 0101"


def on_shift(*, post: Any, guard: Any = None) -> Shift:
    """A shift in progress now at `post`, clocked in an hour ago."""
    return shift_on_now(post=post, guard=guard)


def new_request(*, tenant: Any, by: Any = None, **fields: Any) -> ServiceRequest:
    """A patrol check at tenant.site from a known contact on a number on file (no callback needed) unless told."""
    if not tenant.client_contact.phone:
        tenant.client_contact.phone = ON_FILE
        tenant.client_contact.save(update_fields=["phone"])
    defaults: dict[str, Any] = {
        "site": tenant.site,
        "kind": "patrol_check",
        "location_text": "Lobby",
        "requester_contact": tenant.client_contact,
        "callback_number": ON_FILE,
    }
    return service_request_create(by=by or tenant.manager, data=NewServiceRequest(**{**defaults, **fields}))


def known_requester(*, tenant: Any) -> None:
    """An earlier request from tenant's contact, so the contact is not a new requester."""
    new_request(tenant=tenant)


def dispatched(*, tenant: Any, shift: Shift | None = None, reached: bool = True, **fields: Any) -> ServiceRequest:
    """A request sent to a guard on shift at tenant.site (called back first when its gate wants it)."""
    request = new_request(tenant=tenant, **fields)
    if reached:
        service_request_callback_log(
            request=request, by=tenant.manager, number_dialled=request.callback_number, outcome=CallbackOutcome.REACHED
        )
    shift = shift or on_shift(post=tenant.post, guard=tenant.guard)
    return service_request_dispatch(request=request, by=tenant.manager, shift=shift, now=timezone.now())

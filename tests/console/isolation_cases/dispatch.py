"""Cases for dispatch: the request list, a new request, a request's page and its actions."""

from __future__ import annotations

from backend.dispatch.models import ServiceRequest
from tests.console.isolation import Target, World, case, page
from tests.dispatching import ON_FILE, known_requester, new_request, on_shift

MARKER = "Boiler room Qwzx"


def _request(world: World) -> ServiceRequest:
    known_requester(tenant=world.tenant)
    return new_request(tenant=world.tenant, location_text=MARKER)


@case("console:dispatch")
def _list(world: World) -> Target:
    _request(world)
    return Target(marker=MARKER)


case("console:dispatch_new")(page)


@case("console:dispatch_request")
def _detail(world: World) -> Target:
    return Target(kwargs={"request_id": _request(world).pk}, marker=MARKER)


@case("console:dispatch_callback", method="post")
def _callback(world: World) -> Target:
    data = {"number_dialled": ON_FILE, "outcome": "reached"}
    return Target(kwargs={"request_id": _request(world).pk}, data=data)


@case("console:dispatch_suspicious", method="post")
def _suspicious(world: World) -> Target:
    return Target(kwargs={"request_id": _request(world).pk}, data={"reason": "Caller hung up twice"})


@case("console:dispatch_send", method="post")
def _send(world: World) -> Target:
    shift = on_shift(post=world.tenant.post, guard=world.tenant.guard)
    return Target(kwargs={"request_id": _request(world).pk}, data={"shift": shift.pk})


@case("console:dispatch_cancel", method="post")
def _cancel(world: World) -> Target:
    return Target(kwargs={"request_id": _request(world).pk}, data={"reason": "Resident found the key"})


case("console:dispatch_targets")(page)

TARGETS = {"P1_dispatch": 5, "P1_accept": 2, "P1_arrive": 15, "P2_dispatch": 15, "P2_accept": 5, "P2_arrive": 30}


@case("console:dispatch_targets_save", method="post", managers_only=True)
def _targets_save(world: World) -> Target:
    return Target(data={**TARGETS, "P3_dispatch": 60, "P3_accept": 15, "P3_arrive": 90})

"""Cases for the attendance exceptions and the guards' pages."""

from __future__ import annotations

from typing import cast

from django.utils import timezone

from backend.accounts.models import User
from backend.flags.models import Flag
from backend.rules.findings import FlagCode, Severity
from tests import factories
from tests.console.isolation import Target, World, case

MARKER = "Nobody at the loading dock gate"


def _no_show(world: World) -> Flag:
    post = factories.PostFactory(site=world.site)
    shift = factories.ShiftFactory(post=post, guard=_guard(world))
    return Flag.objects.create(
        company=world.tenant.company,
        shift=shift,
        code=FlagCode.NO_SHOW,
        severity=Severity.CRITICAL,
        message=MARKER,
        raised_at=timezone.now(),
    )


def _guard(world: World) -> User:
    return cast(User, factories.GuardFactory(company=world.tenant.company, first_name="Quinby", last_name="Zyxwardson"))


@case("console:attendance")
def _attendance(world: World) -> Target:
    _no_show(world)
    return Target(marker=MARKER)


@case("console:attendance_exception")
def _exception(world: World) -> Target:
    return Target(kwargs={"flag_id": _no_show(world).pk}, marker=MARKER)


@case("console:attendance_resolve", method="post")
def _resolve(world: World) -> Target:
    return Target(kwargs={"flag_id": _no_show(world).pk, "action": "excuse"}, data={"excuse-reason": "Sick"})


@case("console:guards")
def _guards(world: World) -> Target:
    _no_show(world)
    return Target(marker="Zyxwardson")


@case("console:guard")
def _guard_page(world: World) -> Target:
    flag = _no_show(world)
    assert flag.shift is not None
    return Target(kwargs={"guard_id": flag.shift.guard_id}, marker="Zyxwardson")

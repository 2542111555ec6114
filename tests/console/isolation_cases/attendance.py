"""Cases for the attendance exceptions and the guards' pages."""

from __future__ import annotations

import io
from datetime import date
from typing import cast

from django.core.files.base import ContentFile
from PIL import Image

from backend.accounts.models import User
from backend.flags.models import Flag
from backend.rules.findings import FlagCode, Severity
from backend.staffing.models import GuardQualification, Qualification
from tests import factories
from tests.console.isolation import Target, World, case

MARKER = "Nobody at the loading dock gate"


def _tiny_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 10)).save(out, format="JPEG")
    return out.getvalue()


TINY_JPEG = _tiny_jpeg()


def _no_show(world: World) -> Flag:
    post = factories.PostFactory(site=world.site)
    shift = factories.ShiftFactory(post=post, guard=_guard(world))
    return factories.open_flag(shift=shift, code=FlagCode.NO_SHOW, severity=Severity.CRITICAL, message=MARKER)


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


@case("console:guard_certificate")
def _certificate(world: World) -> Target:
    flag = _no_show(world)
    assert flag.shift is not None
    held = GuardQualification.objects.create(
        guard=flag.shift.guard,
        qualification=Qualification.objects.get(company=world.tenant.company, code="cpr-first-aid"),
        issued_on=date(2026, 1, 5),
    )
    held.certificate.save("certificate.jpg", ContentFile(TINY_JPEG), save=True)
    return Target(kwargs={"guard_id": flag.shift.guard_id, "held_id": held.pk})

"""Cases for post requirements: the catalogue, the posts' requirements, guards' qualifications."""

from __future__ import annotations

from datetime import date

from backend.staffing.models import GuardQualification, PostRequirement, Qualification
from tests import factories
from tests.console.isolation import Target, World, case
from tests.console.isolation_cases.attendance import _no_show


def _fire_watch(world: World) -> Qualification:
    return Qualification.objects.get(company=world.tenant.company, code="fire-watch")


def _held(world: World) -> GuardQualification:
    flag = _no_show(world)  # a guard with a shift on world.site (the assigned supervisor sees them)
    assert flag.shift is not None
    return GuardQualification.objects.create(
        guard=flag.shift.guard, qualification=_fire_watch(world), issued_on=date(2026, 1, 5)
    )


@case("console:qualifications", company_level=True)
def _catalogue(world: World) -> Target:
    Qualification.objects.create(company=world.tenant.company, code="harbour-pass", name="Harbour pass Qwzx")
    return Target(marker="Harbour pass Qwzx")


@case("console:qualification_add", method="post", managers_only=True)
def _add(world: World) -> Target:
    return Target(data={"name": "Dog handling"})


@case("console:qualification", company_level=True)
def _edit_page(world: World) -> Target:
    return Target(kwargs={"qualification_id": _fire_watch(world).pk}, marker="fire-watch")


@case("console:qualification_retire", method="post", managers_only=True, company_level=True)
def _retire(world: World) -> Target:
    return Target(kwargs={"qualification_id": _fire_watch(world).pk})


@case("console:posts")
def _posts(world: World) -> Target:
    factories.PostFactory(site=world.site, name="Boathouse Qwzx")
    return Target(marker="Boathouse Qwzx")


@case("console:post")
def _post(world: World) -> Target:
    post = factories.PostFactory(site=world.site, name="Boathouse Qwzx")
    return Target(kwargs={"post_id": post.pk}, marker="Boathouse Qwzx")


@case("console:post_requirement_add", method="post")
def _require(world: World) -> Target:
    post = factories.PostFactory(site=world.site)
    return Target(kwargs={"post_id": post.pk}, data={"qualification": _fire_watch(world).pk})


@case("console:post_requirement_remove", method="post")
def _unrequire(world: World) -> Target:
    post = factories.PostFactory(site=world.site)
    PostRequirement.objects.create(post=post, qualification=_fire_watch(world))
    return Target(kwargs={"post_id": post.pk, "qualification_id": _fire_watch(world).pk})


@case("console:guard_qualification_add", method="post", managers_only=True)
def _record(world: World) -> Target:
    flag = _no_show(world)
    assert flag.shift is not None
    data = {"held-qualification": _fire_watch(world).pk, "held-issued_on": "2026-01-05"}
    return Target(kwargs={"guard_id": flag.shift.guard_id}, data=data)


@case("console:guard_qualification_correct", managers_only=True)
def _correct(world: World) -> Target:
    held = _held(world)
    return Target(kwargs={"guard_id": held.guard_id, "held_id": held.pk})

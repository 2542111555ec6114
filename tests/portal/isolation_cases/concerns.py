"""Cases for the contact's concerns and their threads (each raised by the contact asking)."""

from backend.calls.concern_models import Concern, ConcernSubject
from backend.calls.concerns import ConcernAbout, concern_raise
from tests.portal.conftest import worked_shift
from tests.portal.isolation import Target, World, case

QUESTION = "Isolation marker: why did the lobby desk guard leave at 05:40?"


def _concern(world: World, contact) -> Concern:
    shift = worked_shift(world.tenant)
    about = ConcernAbout(kind=ConcernSubject.SHIFT, site_id=world.site.pk, shift_id=shift.pk)
    return concern_raise(contact=contact, about=about, text=QUESTION)


def _own(world: World) -> Concern:
    # Raised by the contact who sees every site; the contact limited to the site sees it too.
    return _concern(world, world.contact)


@case("portal:concerns")
def _list(world: World) -> Target:
    _concern(world, world.contact)
    return Target(marker="Lobby desk shift")


@case("portal:concern")
def _thread(world: World) -> Target:
    return Target(kwargs={"concern_id": _own(world).pk}, marker=QUESTION)


@case("portal:concern_reply", method="post")
def _reply(world: World) -> Target:
    return Target(kwargs={"concern_id": _own(world).pk}, data={"text": "Thank you."})

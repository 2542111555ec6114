"""Cases for approved reports, their clean photos and a concern raised on one."""

from tests import factories
from tests.portal.conftest import approved_report, worked_shift
from tests.portal.isolation import Target, World, case

MARKER = "Isolation marker: a van idled by the loading dock"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def _report(world: World):
    return approved_report(worked_shift(world.tenant), narrative=f"{MARKER}. It left at 02:10.")


@case("portal:reports")
def _list(world: World) -> Target:
    _report(world)
    return Target(marker=MARKER)


@case("portal:report")
def _detail(world: World) -> Target:
    return Target(kwargs={"report_id": _report(world).pk}, marker=MARKER)


@case("portal:ask_report")
def _ask(world: World) -> Target:
    return Target(kwargs={"report_id": _report(world).pk})


@case("portal:report_photo")
def _photo(world: World) -> Target:
    report = _report(world)
    photo = factories.incident_photo(report=report, png=PNG)
    return Target(kwargs={"report_id": report.pk, "photo_id": photo.pk, "variant": "display"})

"""Cases for a site's verified attendance and a concern raised on one of its shifts."""

from backend.core.localtime import to_local
from tests.portal.conftest import worked_shift
from tests.portal.isolation import Target, World, case


@case("portal:attendance")
def _attendance(world: World) -> Target:
    shift = worked_shift(world.tenant, hours_ago=3, length=2)
    day = to_local(shift.scheduled_start, world.site.timezone).date()
    return Target(kwargs={"site_id": world.site.pk}, query={"day": day.isoformat()}, marker=world.tenant.post.name)


@case("portal:ask_shift")
def _ask_shift(world: World) -> Target:
    return Target(kwargs={"shift_id": worked_shift(world.tenant).pk}, marker=world.tenant.post.name)

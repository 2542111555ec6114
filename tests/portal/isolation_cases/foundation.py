"""Cases for the portal's own pages: sign-in and out (public), password, the sites overview."""

from tests.portal.conftest import worked_shift
from tests.portal.isolation import Target, World, case, page

case("portal:login", public=True)(page)
case("portal:logout", method="post", public=True)(page)
case("portal:password_change")(page)


@case("portal:home")
def _home(world: World) -> Target:
    worked_shift(world.tenant)
    return Target(marker=world.site.name)

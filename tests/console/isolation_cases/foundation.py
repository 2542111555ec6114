"""Cases for the console's own pages: home, sign-in, sign-out, password."""

from tests.console.isolation import case, page

case("console:home")(page)
case("console:today")(page)
case("console:password_change")(page)
case("console:login", public=True)(page)
case("console:logout", method="post", public=True)(page)

"""Checking a password, throttled: the one way every login (phone, admin, console) does it."""

from __future__ import annotations

from django.contrib.auth import authenticate

from backend.accounts.errors import InvalidCredentials
from backend.accounts.models import User
from backend.accounts.throttle import LoginThrottle


def login_authenticate(*, username: str, password: str, client_ip: str) -> User:
    """The user these credentials belong to, counting failures per username and address.

    Raises InvalidCredentials (wrong or inactive), TooManyAttempts (429: a limit was
    reached; even the right password is refused until the window passes) and
    ServiceUnavailable (503: Redis is down, so logins fail closed). Whether the user may
    use the surface they log in to (a guard the phone app, staff the admin) is the
    caller's check.
    """
    throttle = LoginThrottle(username=username, client_ip=client_ip)
    throttle.check()
    user = authenticate(username=username, password=password)
    if not isinstance(user, User):
        throttle.record_failure()
        raise InvalidCredentials("Wrong username or password.")
    throttle.reset()
    return user

"""Failed-login throttling on Redis, atomic across web workers.

A Lua script increments the counter and sets its expiry in one step, so concurrent
failures can neither skip the limit nor leave a counter without expiry.
"""

from __future__ import annotations

from functools import cache

import redis
from django.conf import settings

from backend.core.errors import ApplicationError

_INCREMENT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


class TooManyAttempts(ApplicationError):
    code = "too_many_attempts"
    status = 429


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


class LoginThrottle:
    """At most N failures per username and M per client address in a rolling window."""

    def __init__(self, *, username: str, client_ip: str) -> None:
        prefix = settings.LOGIN_THROTTLE["KEY_PREFIX"]
        self.keys = {
            f"{prefix}:user:{username.lower()[:150]}": settings.LOGIN_THROTTLE["MAX_FAILURES_PER_USER"],
            f"{prefix}:ip:{client_ip}": settings.LOGIN_THROTTLE["MAX_FAILURES_PER_IP"],
        }
        self.window = int(settings.LOGIN_THROTTLE["WINDOW_SECONDS"])

    def check(self) -> None:
        client = _redis()
        counts = client.mget(list(self.keys))
        for (key, limit), count in zip(self.keys.items(), counts, strict=True):
            if count is not None and int(count) >= limit:
                retry_after = max(int(client.ttl(key)), 1)
                raise TooManyAttempts(
                    f"Too many failed logins. Try again in {retry_after} seconds.",
                    extra={"retry_after": retry_after},
                )

    def record_failure(self) -> None:
        script = _redis().register_script(_INCREMENT)
        for key in self.keys:
            script(keys=[key], args=[self.window])

    def reset(self) -> None:
        user_key = next(iter(self.keys))
        _redis().delete(user_key)

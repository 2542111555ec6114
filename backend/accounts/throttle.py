"""Failed-login throttling on Redis, atomic across web workers.

A Lua script increments the counter and sets its expiry in one step, so concurrent
failures can neither skip the limit nor leave a counter without expiry.

Logins fail closed: with Redis unreachable nobody can be counted, so every login is
refused with ServiceUnavailable (503, Retry-After) rather than let guessing run
unlimited. Nothing else a logged-in phone does needs this client.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.retry import Retry

from backend.accounts.errors import TooManyAttempts
from backend.core.errors import ServiceUnavailable

_INCREMENT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""
# A login waits at most about this long on a Redis that does not answer (one retry).
REDIS_TIMEOUT_SECONDS = 0.5


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        # redis-py's default retries ten times with backoff: seconds of a hung login.
        retry=Retry(NoBackoff(), 1),
    )


@contextmanager
def _redis_or_unavailable() -> Iterator[redis.Redis]:
    try:
        yield _redis()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
        raise ServiceUnavailable("Logging in is unavailable right now; try again in a minute.") from None


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
        """Raises TooManyAttempts while either limit is reached, ServiceUnavailable without Redis."""
        with _redis_or_unavailable() as client:
            counts = client.mget(list(self.keys))
            for (key, limit), count in zip(self.keys.items(), counts, strict=True):
                if count is not None and int(count) >= limit:
                    retry_after = max(int(client.ttl(key)), 1)
                    raise TooManyAttempts(
                        f"Too many failed logins. Try again in {retry_after} seconds.",
                        extra={"retry_after": retry_after},
                    )

    def record_failure(self) -> None:
        with _redis_or_unavailable() as client:
            script = client.register_script(_INCREMENT)
            for key in self.keys:
                script(keys=[key], args=[self.window])

    def reset(self) -> None:
        user_key = next(iter(self.keys))
        with _redis_or_unavailable() as client:
            client.delete(user_key)

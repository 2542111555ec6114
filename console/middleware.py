"""The console's idle timeout is the one every web surface shares: backend/accounts/idle.py.

Kept importable from here (older imports); the prefixes it applies to are
settings.SESSION_IDLE_LOGIN_URLS.
"""

from backend.accounts.idle import LAST_SEEN_KEY, SessionIdleTimeoutMiddleware

__all__ = ["LAST_SEEN_KEY", "SessionIdleTimeoutMiddleware"]

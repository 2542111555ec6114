"""The flags app's errors: what a reviewer can get wrong about closing a flag."""

from __future__ import annotations

from backend.core.errors import Conflict, RecordNotFound


class FlagNotFound(RecordNotFound, code="flag_not_found", message="No such flag."):
    """No such flag, or another tenant's (not disclosed)."""


class FlagNotOpen(Conflict, code="flag_not_open"):
    """Only an open flag can be dismissed or resolved; the message says who closed it and when."""


class FlagFollowsPanicAlert(Conflict, code="flag_follows_panic_alert"):
    """A PANIC flag closes with its panic alert (acknowledge it), never on its own."""


class FlagAlreadyAcknowledged(Conflict, code="flag_already_acknowledged"):
    """Someone already took this flag; the message says who and when."""


class FlagNotForClients(Conflict, code="flag_not_for_clients"):
    """Only a report's open or resolved flags can be shown to its client (not a shift's, a false positive or panic)."""

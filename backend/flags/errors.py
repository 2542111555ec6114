"""The flags app's errors: what a reviewer can get wrong about closing a flag."""

from __future__ import annotations

from backend.core.errors import Conflict, NotFound


class FlagNotFound(NotFound):
    """No such flag, or another tenant's (not disclosed)."""

    code = "flag_not_found"

    def __init__(self) -> None:
        super().__init__("No such flag.")


class FlagNotOpen(Conflict):
    """Only an open flag can be dismissed or resolved; the message says who closed it and when."""

    code = "flag_not_open"


class FlagFollowsPanicAlert(Conflict):
    """A PANIC flag closes with its panic alert (acknowledge it), never on its own."""

    code = "flag_follows_panic_alert"


class FlagAlreadyAcknowledged(Conflict):
    """Someone already took this flag; the message says who and when."""

    code = "flag_already_acknowledged"

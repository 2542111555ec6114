"""Times as a person at a site reads them: stored in UTC, shown in the site's zone.

Every sentence a person reads (flag messages, e-mails, admin lists, pages, PDFs) goes
through these helpers, so "00:14 EST" is written one way everywhere, and the zone
abbreviation always says which clock the number is on. Evidence keeps the UTC instant.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TIME = "%H:%M"
DATE_TIME = "%Y-%m-%d %H:%M"
DATE_TIME_SECONDS = "%Y-%m-%d %H:%M:%S"


@cache
def zone(name: str | None) -> tzinfo:
    """The IANA zone `name`; UTC when it is empty or unknown (a display must never fail)."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def to_local(moment: datetime, zone_name: str | None) -> datetime:
    """The aware instant `moment` on the clock of `zone_name`."""
    return moment.astimezone(zone(zone_name))


def local_time(moment: datetime, zone_name: str | None, fmt: str = TIME) -> str:
    """'00:14 EST': the instant on the site's clock, with the zone's abbreviation."""
    local = to_local(moment, zone_name)
    return f"{local.strftime(fmt)} {local.tzname() or 'UTC'}"

"""Validators shared by domain models."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError


@cache
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    """Accept only IANA zone names, so local times on reports are never guessed."""
    if value not in _known_timezones():
        raise ValidationError(
            "%(value)s is not a known IANA time zone.", params={"value": value}, code="invalid_timezone"
        )

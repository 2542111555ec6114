"""Schemas every mobile endpoint shares: strict bodies, positions, errors, flags."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from backend.core.errors import ValidationFailed

# Phones queue work offline for days; anything older than this, or from the future
# beyond a generous skew, is not a real device time.
OLDEST_DEVICE_TIME = timedelta(days=30)
NEWEST_DEVICE_TIME = timedelta(hours=24)


class StrictSchema(Schema):
    """Request body base: unknown fields (e.g. `status`, `company_id`) are refused, NaN too."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class UnknownField(ValidationFailed):
    """A form field the endpoint does not take; JSON bodies get the same code from `extra="forbid"`."""

    code = "unknown_field"
    status = 422


def plausible_device_time(value: datetime) -> datetime:
    """Aware, and within the window a phone's clock could honestly report."""
    if timezone.is_naive(value):
        raise ValueError("must include a time zone offset (e.g. 2026-11-23T14:05:00Z)")
    now = timezone.now()
    if value < now - OLDEST_DEVICE_TIME:
        raise ValueError(f"is more than {OLDEST_DEVICE_TIME.days} days in the past")
    if value > now + NEWEST_DEVICE_TIME:
        raise ValueError("is in the future")
    return value


class PositionIn(StrictSchema):
    lat: float = Field(ge=-90, le=90, description="WGS 84 latitude, degrees.")
    lon: float = Field(ge=-180, le=180, description="WGS 84 longitude, degrees.")
    accuracy_m: float = Field(ge=0, le=100_000, description="Radius of the fix's 68 % confidence circle, metres.")
    recorded_at: datetime = Field(description="Device time of the fix, with offset.")
    is_mock: bool = Field(default=False, description="The OS reported a mock/simulated location.")

    _check_recorded_at = field_validator("recorded_at")(plausible_device_time)


class PositionOut(Schema):
    lat: float
    lon: float
    accuracy_m: float | None


class VerdictOut(Schema):
    fence: str = Field(description="inside | near | outside")
    distance_m: float = Field(description="Metres outside the fence; 0 when inside.")


class FlagOut(Schema):
    code: str
    severity: str
    message: str
    evidence: dict[str, Any]


class ErrorOut(Schema):
    code: str = Field(description="Stable machine-readable error code.")
    message: str
    fields: dict[str, list[str]] | None = Field(default=None, description="Field path -> problems.")

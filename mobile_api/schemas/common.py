"""What every mobile endpoint shares: strict bodies, device times, positions, errors, flags, replays.

One definition each: the X-Sent-At header, the device-time validator, the replay header
and its note, and the conversion of a phone's position to the backend's `Fix`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from django.http import HttpResponse
from django.utils import timezone
from ninja import P, Schema
from ninja.params import HeaderEx
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

from geofence.fixes import Fix

# Phones queue work offline for days; anything older than this, or from the future
# beyond a generous skew, is not a real device time.
OLDEST_DEVICE_TIME = timedelta(days=30)
NEWEST_DEVICE_TIME = timedelta(hours=24)


# C0 controls, DEL and C1 controls (U+0080-U+009F: U+0085 is "next line", U+009B a
# terminal escape introducer). NUL cannot be stored by PostgreSQL at all; the others
# corrupt logs, CSV exports, PDFs and a reviewer's terminal, and no keyboard types them.
_CONTROL_CHARACTERS = frozenset(chr(code) for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)])
# Multi-line free text (a narrative, an activity line, a person's description) may keep
# the line breaks and tabs a guard types; every other text field is one line.
_LINE_BREAKS_AND_TABS = frozenset("\t\n\r")


def _refuse_characters(value: object, refused: frozenset[str]) -> object:
    # Runs before strip_whitespace, which would otherwise drop a trailing U+0085 or
    # U+001F (Python counts them as whitespace) without saying so.
    if isinstance(value, str):
        if not refused.isdisjoint(value):
            raise ValueError("must not contain control characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("must be valid Unicode text (no lone surrogates)") from None
    return value


def single_line(value: object) -> object:
    """No control characters at all (C0 including tab and line breaks, DEL, C1), valid UTF-8."""
    return _refuse_characters(value, _CONTROL_CHARACTERS)


def multi_line(value: object) -> object:
    """Like single_line, but tabs and line breaks are kept."""
    return _refuse_characters(value, _CONTROL_CHARACTERS - _LINE_BREAKS_AND_TABS)


# Every str field of every input schema carries one of these, after its length limits so
# it runs first: `Annotated[str, StringConstraints(max_length=200), SINGLE_LINE]`.
SINGLE_LINE = BeforeValidator(single_line)
MULTI_LINE = BeforeValidator(multi_line)


def text_limits(max_length: int, min_length: int = 0) -> StringConstraints:
    """Surrounding whitespace dropped, then the length checked."""
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


class StrictSchema(Schema):
    """Request body base: unknown fields (e.g. `status`, `company_id`) are refused, NaN too."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


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


def to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


# A device time: with an offset, plausible for a phone's clock, kept in UTC (as evidence is).
DeviceTime = Annotated[datetime, AfterValidator(plausible_device_time), AfterValidator(to_utc)]
# When the phone says it sent the request: a body field or the X-Sent-At header. One type;
# the shifts and pings endpoints were published with other words for the same header, and
# the OpenAPI document keeps them until the next API version.
XSentAt = HeaderEx[
    DeviceTime | None, P(alias="X-Sent-At", description="Device time when sent, if not given as `sent_at`.")
]
XSentAtIfNotInBody = HeaderEx[
    DeviceTime | None, P(alias="X-Sent-At", description="Device time when sent (if not in the body).")
]

# A create retried with the same client id answers the stored result with this header.
REPLAYED_HEADER = "Idempotent-Replayed"
IDEMPOTENCY_NOTE = (
    " Idempotent on the client UUID: a replay of the same body answers 201 with the stored result and the "
    f"header `{REPLAYED_HEADER}: true`, storing nothing; the same id with another body is 409 `idempotency_conflict`."
)


def mark_replayed(response: HttpResponse, *, created: bool) -> None:
    """Say on the response that nothing was stored because this request was a replay."""
    if not created:
        response[REPLAYED_HEADER] = "true"


class PositionIn(StrictSchema):
    lat: float = Field(ge=-90, le=90, description="WGS 84 latitude, degrees.")
    lon: float = Field(ge=-180, le=180, description="WGS 84 longitude, degrees.")
    accuracy_m: float = Field(ge=0, le=100_000, description="Radius of the fix's 68 % confidence circle, metres.")
    recorded_at: datetime = Field(description="Device time of the fix, with offset.")
    is_mock: bool = Field(default=False, description="The OS reported a mock/simulated location.")

    _check_recorded_at = field_validator("recorded_at")(plausible_device_time)

    def to_fix(self) -> Fix:
        """The one position type the backend takes."""
        return Fix(
            recorded_at=to_utc(self.recorded_at),
            lon=self.lon,
            lat=self.lat,
            accuracy_m=self.accuracy_m,
            is_mock=self.is_mock,
        )


def fix_of(position: PositionIn | None) -> Fix | None:
    return None if position is None else position.to_fix()


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


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """`response=` entries for the statuses an endpoint can fail with, all in the one error body."""
    return dict.fromkeys(statuses, ErrorOut)


# What a guard's write can answer besides success: bad body, no token, not theirs, state, invalid.
WRITE_ERRORS = error_responses(400, 401, 404, 409, 422)
# The same for a write whose body has a size limit (a ping batch, a clock event).
SIZED_WRITE_ERRORS = error_responses(400, 401, 404, 409, 413, 422)

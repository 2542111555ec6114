"""Shifts as a guard's phone sees them; post-order acknowledgements; clock-in/out."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, Field

from backend.staffing.models import ShiftStatus
from mobile_api.schemas.common import DeviceTime, ErrorOut, FlagOut, PositionIn, StrictSchema, VerdictOut


def _calendar_year(value: datetime) -> datetime:
    """Schedules are asked for within this century; year 1 or 9999 would overflow the window arithmetic."""
    if not 2000 <= value.year <= 2100:
        raise ValueError("must be between the years 2000 and 2100")
    return value


ScheduleTime = Annotated[AwareDatetime, AfterValidator(_calendar_year)]


class ShiftWindowQuery(Schema):
    """`?from=&to=`: ISO 8601 with an offset. Unknown query parameters are ignored (cache busters)."""

    window_from: ScheduleTime | None = Field(
        default=None, alias="from", description="Default: 1 day ago (or `to` minus 8 days)."
    )
    window_to: ScheduleTime | None = Field(
        default=None,
        alias="to",
        description="Default: 7 days ahead (or `from` plus 8 days); at most 62 days after `from`.",
    )


class SiteBriefOut(Schema):
    id: int
    name: str
    timezone: str = Field(description="IANA time zone: show the shift's times in it.")


class PostBriefOut(Schema):
    id: int
    name: str


class ShiftOut(Schema):
    id: int
    site: SiteBriefOut = Field(alias="post.site")
    post: PostBriefOut
    starts_at: datetime = Field(alias="scheduled_start")
    ends_at: datetime = Field(alias="scheduled_end")
    status: ShiftStatus


class UnitOut(Schema):
    id: int
    label: str
    kind: str
    lat: float = Field(alias="location.y")
    lon: float = Field(alias="location.x")


class CheckpointOut(Schema):
    """Where to go, not what the tag says: the code is only read from the tag and checked on the server."""

    id: int
    name: str
    lat: float = Field(alias="location.y")
    lon: float = Field(alias="location.x")
    instructions: str


class RestrictedZoneOut(Schema):
    id: int
    name: str
    area: dict[str, Any] = Field(description="GeoJSON Polygon (WGS 84 lon/lat).")


class PostOrdersOut(Schema):
    id: int
    version: int
    title: str
    body: str
    published_at: datetime
    acknowledged: bool = Field(description="This guard acknowledged this version.")


class InductionOut(Schema):
    """A site induction the post requires that this guard has not had yet: ask the supervisor on site."""

    code: str
    name: str


class ShiftDetailOut(Schema):
    id: int = Field(alias="shift.id")
    site: SiteBriefOut = Field(alias="shift.post.site")
    post: PostBriefOut = Field(alias="shift.post")
    starts_at: datetime = Field(alias="shift.scheduled_start")
    ends_at: datetime = Field(alias="shift.scheduled_end")
    status: ShiftStatus = Field(alias="shift.status")
    geofence: dict[str, Any] = Field(description="The site's fence: a GeoJSON MultiPolygon (WGS 84 lon/lat).")
    units: list[UnitOut]
    checkpoints: list[CheckpointOut]
    restricted_zones: list[RestrictedZoneOut]
    post_orders: PostOrdersOut | None = Field(description="The current version, or null when none is published.")
    inductions_owed: list[InductionOut] = Field(
        default_factory=list, description="Inductions the post requires that this guard still owes."
    )


class PostOrdersAckIn(StrictSchema):
    version: int = Field(ge=1, le=2_147_483_647, description="The version the guard read (the current one).")


class PostOrdersAckOut(Schema):
    id: int = Field(alias="post_order.id")
    version: int = Field(alias="post_order.version")
    acknowledged: bool = True
    acknowledged_at: datetime


class ClockEventIn(StrictSchema):
    position: PositionIn
    sent_at: DeviceTime | None = Field(
        default=None, description="Device time when sent; the X-Sent-At header is used when absent."
    )


class ClockShiftOut(Schema):
    id: int
    status: ShiftStatus
    clock_in_at: datetime | None
    clock_out_at: datetime | None


class ClockResultOut(Schema):
    shift: ClockShiftOut
    verdict: VerdictOut
    flags: list[FlagOut]
    post_orders: PostOrdersOut | None = Field(
        default=None, description="On clock-in: the post's current orders (read and acknowledge them if new)."
    )
    inductions_owed: list[InductionOut] = Field(
        default_factory=list, description="On clock-in: inductions the post requires that this guard still owes."
    )


class OutsideGeofenceOut(ErrorOut):
    distance_m: float | None = Field(default=None, description="Metres from the site's fence (code outside_geofence).")

"""Incident reports as the phone sends and reads them; the incident-type catalogue."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Literal

from django.http import HttpRequest
from ninja import P, Schema
from ninja.params import HeaderEx
from pydantic import AfterValidator, Field, StringConstraints, ValidationInfo, field_validator, model_validator

from backend.incidents.models import IncidentReport, IncidentStatus
from backend.incidents.selectors import PHOTO_DISPLAY, PHOTO_THUMBNAIL
from backend.incidents.services import IncidentContent, NewIncident
from backend.incidents.views import incident_photo_url
from geofence.fixes import Fix
from mobile_api.schemas.common import (
    MULTI_LINE,
    SINGLE_LINE,
    FlagOut,
    PositionIn,
    PositionOut,
    StrictSchema,
    UnknownField,
    plausible_device_time,
    text_limits,
)

# Primary keys are bigints; a larger number is refused here instead of overflowing in SQL.
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]


# One-line fields refuse every control character; a narrative and a person's description
# keep line breaks and tabs (see common.single_line / multi_line).
ShortText = Annotated[str, text_limits(200), SINGLE_LINE]
Line = Annotated[str, text_limits(500), SINGLE_LINE]
RequiredLine = Annotated[str, text_limits(500, min_length=1), SINGLE_LINE]
Description = Annotated[str, text_limits(500), MULTI_LINE]
Narrative = Annotated[str, text_limits(20_000, min_length=1), MULTI_LINE]
TypeCode = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$"), SINGLE_LINE]


def to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


# A device time: with an offset, plausible for a phone's clock, stored in UTC.
DeviceTime = Annotated[datetime, AfterValidator(plausible_device_time), AfterValidator(to_utc)]
# When the phone says it sent the request: a body field or the X-Sent-At header.
XSentAt = HeaderEx[
    DeviceTime | None, P(alias="X-Sent-At", description="Device time when sent, if not given as `sent_at`.")
]
IDEMPOTENCY_NOTE = (
    " Idempotent on the client UUID: a replay of the same body answers 201 with the stored result and the "
    "header `Idempotent-Replayed: true`, storing nothing; the same id with another body is 409 `idempotency_conflict`."
)


def fix_of(position: PositionIn | None) -> Fix | None:
    if position is None:
        return None
    return Fix(
        lat=position.lat,
        lon=position.lon,
        accuracy_m=position.accuracy_m,
        recorded_at=to_utc(position.recorded_at),
        is_mock=position.is_mock,
    )


class PersonIn(StrictSchema):
    name: ShortText = Field(description="Name, or a short description when unknown ('white male, 30s').")
    role: Literal["suspect", "witness", "victim", "complainant", "resident", "other"] = "other"
    description: Description = ""
    phone: Annotated[str, text_limits(40), SINGLE_LINE] = ""


class EmergencyIn(StrictSchema):
    services: list[Literal["fire", "police", "ems"]] = Field(min_length=1, max_length=3)
    called_at: DeviceTime | None = Field(default=None, description="When they were called (device time).")
    reference: Annotated[str, text_limits(100), SINGLE_LINE] = Field(
        default="", description="Their incident or report number."
    )

    @field_validator("services")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("lists a service twice")
        return value


class IncidentBodyIn(StrictSchema):
    """What a report says; the amendable part (PUT takes exactly this)."""

    type: TypeCode = Field(description="A `code` from GET /incident-types.")
    occurred_at: DeviceTime = Field(description="When it happened, as the guard says (with offset).")
    position: PositionIn | None = Field(default=None, description="Where the phone was when filing.")
    unit_id: DbId | None = Field(default=None, description="A unit of the shift's site (GET /shifts/{id}).")
    location_detail: RequiredLine = Field(description="Where on site, in words ('north stairwell, level 2').")
    address: Line = ""
    narrative: Narrative = Field(description="What happened: who, what, where, when, what you did.")
    persons: list[PersonIn] = Field(default_factory=list, max_length=50)
    emergency: EmergencyIn | None = Field(default=None, description="Fill in whenever fire, police or EMS came.")
    sent_at: DeviceTime | None = Field(
        default=None, description="Device time when sent (or the X-Sent-At header); not part of the idempotency hash."
    )

    def content(self) -> IncidentContent:
        return IncidentContent(
            type_code=self.type,
            occurred_at=self.occurred_at,
            narrative=self.narrative,
            location_detail=self.location_detail,
            address=self.address,
            position=fix_of(self.position),
            unit_id=self.unit_id,
            persons=[person.model_dump(mode="json") for person in self.persons],
            emergency=self.emergency.model_dump(mode="json") if self.emergency is not None else None,
        )


class IncidentIn(IncidentBodyIn):
    id: uuid.UUID = Field(description="Generated by the phone; the idempotency key.")
    shift_id: DbId

    def new_incident(self) -> NewIncident:
        return NewIncident(id=self.id, shift_id=self.shift_id, content=self.content())


class IncidentOut(Schema):
    id: uuid.UUID
    status: IncidentStatus
    version: int
    flags: list[FlagOut]


class IncidentListQuery(Schema):
    status: IncidentStatus | None = None
    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=1_000_000)


class IncidentItemOut(Schema):
    id: uuid.UUID
    shift_id: int
    type: str
    type_name: str
    status: IncidentStatus
    version: int
    occurred_at: datetime
    received_at: datetime
    flags: list[FlagOut]

    @staticmethod
    def resolve_type(obj: IncidentReport) -> str:
        return obj.type.code

    @staticmethod
    def resolve_type_name(obj: IncidentReport) -> str:
        return obj.type.name

    @staticmethod
    def resolve_flags(obj: IncidentReport) -> list[Any]:
        return list(getattr(obj, "open_flags", []))


class IncidentPageOut(Schema):
    items: list[IncidentItemOut]
    count: int
    limit: int
    offset: int


class CommentOut(Schema):
    author_name: str
    body: str
    created_at: datetime


def _photo_link(obj: Any, context: Any, variant: str) -> str:
    # A photo row, or the upload's answer (a dict) built by the router.
    photo_id = obj["id"] if isinstance(obj, dict) else obj.pk
    path = incident_photo_url(photo_id, variant)
    request = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


class PhotoOut(Schema):
    id: uuid.UUID
    sha256: str = Field(description="SHA-256 of the original upload, kept unaltered as evidence.")
    width: int = Field(description="Of the display copy (orientation applied).")
    height: int
    url: str = Field(description="The display copy (JPEG, no metadata); GET it with the same bearer token.")
    thumbnail_url: str = Field(description="A small JPEG of it (the display copy until the thumbnail is made).")

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return _photo_link(obj, context, PHOTO_DISPLAY)

    @staticmethod
    def resolve_thumbnail_url(obj: Any, context: Any) -> str:
        return _photo_link(obj, context, PHOTO_THUMBNAIL)


class PhotoUploadOut(PhotoOut):
    flags: list[FlagOut] = Field(
        description="The report's open flags after its checks ran again with this photo "
        "(a type that requires a photo is no longer INCOMPLETE_REPORT for it)."
    )


class IncidentDetailOut(IncidentItemOut):
    unit_id: int | None
    location_detail: str
    address: str
    narrative: str
    persons: list[dict[str, Any]]
    emergency: dict[str, Any] | None
    position: PositionOut | None
    fence: str = Field(description="inside | near | outside, or empty without a position.")
    distance_m: float | None
    recorded_at: datetime
    sent_at: datetime | None
    comments: list[CommentOut]
    photos: list[PhotoOut]

    @staticmethod
    def resolve_position(obj: IncidentReport) -> dict[str, Any] | None:
        if obj.location is None:
            return None
        return {"lat": obj.location.y, "lon": obj.location.x, "accuracy_m": obj.accuracy_m}

    @staticmethod
    def resolve_comments(obj: IncidentReport) -> list[dict[str, Any]]:
        return [
            {
                "author_name": comment.author.get_full_name() or comment.author.username,
                "body": comment.body,
                "created_at": comment.created_at,
            }
            for comment in obj.comments.all()
        ]

    @staticmethod
    def resolve_photos(obj: IncidentReport) -> list[Any]:
        return list(obj.photos.all())


class IncidentTypeOut(Schema):
    code: str
    name: str
    severity: str
    required_fields: list[str] = Field(description="Fields a report of this type must fill in.")


class PhotoFormIn(Schema):
    """The photo upload's form fields besides the `file` part; any other part is refused."""

    FILE_FIELDS: ClassVar[frozenset[str]] = frozenset({"file"})

    photo_id: uuid.UUID | None = Field(
        default=None, description="Generated by the phone: a retry with the same id stores nothing new."
    )

    @model_validator(mode="after")
    def _no_unknown_parts(self, info: ValidationInfo) -> PhotoFormIn:
        # ninja hands a form model only the fields it declares, so the parts the phone
        # sent are read from the request (ninja passes it as validation context). Not a
        # ValueError: pydantic lets it through to the API's error handler as unknown_field.
        request = (info.context or {}).get("request")
        if isinstance(request, HttpRequest):
            known = set(type(self).model_fields) | self.FILE_FIELDS
            unknown = sorted((set(request.POST) | set(request.FILES)) - known)
            if unknown:
                raise UnknownField(f"{unknown[0]}: is not an accepted field", field=unknown[0])
        return self

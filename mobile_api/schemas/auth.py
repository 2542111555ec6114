from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field, StringConstraints

from mobile_api.schemas.common import SINGLE_LINE, StrictSchema


def _limits(max_length: int, min_length: int = 0) -> StringConstraints:
    # Not stripped: a password's spaces are part of it, and a username is matched exactly.
    return StringConstraints(min_length=min_length, max_length=max_length)


class TokenIn(StrictSchema):
    username: Annotated[str, _limits(150, min_length=1), SINGLE_LINE]
    password: Annotated[str, _limits(256, min_length=1), SINGLE_LINE]
    device_id: Annotated[str, _limits(128, min_length=1), SINGLE_LINE] = Field(
        description="Stable id of the phone/app install."
    )
    device_name: Annotated[str, _limits(128), SINGLE_LINE] = Field(
        default="", description="Shown to managers, e.g. 'Pixel 8 (Marcus)'."
    )


class TokenOut(Schema):
    token: str = Field(description="Send as `Authorization: Bearer <token>`. Shown once.")
    expires_at: datetime


class CompanyOut(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    employee_number: str
    company: CompanyOut
    device_id: str
    token_expires_at: datetime

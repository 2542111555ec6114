from datetime import datetime

from ninja import Schema
from pydantic import Field

from mobile_api.schemas.common import StrictSchema


class TokenIn(StrictSchema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    device_id: str = Field(min_length=1, max_length=128, description="Stable id of the phone/app install.")
    device_name: str = Field(default="", max_length=128, description="Shown to managers, e.g. 'Pixel 8 (Marcus)'.")


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

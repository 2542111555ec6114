"""Notices: what changed for the guard since the phone last asked (a replacement shift, ...)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

from backend.staffing.models import NoticeKind


class NoticeQuery(Schema):
    after: int = Field(default=0, ge=0, le=2**63 - 1, description="The last notice id this phone has seen.")
    limit: int = Field(default=50, ge=1, le=100)


class NoticeOut(Schema):
    id: int
    kind: NoticeKind
    message: str = Field(description="Show it as it is: it names the post, site and times on the site's clock.")
    shift_id: int | None = Field(description="The shift it is about: fetch it with GET /shifts/{id}.")
    incident_report_id: UUID | None = Field(
        description="The report it is about (returned for correction): fetch it with GET /incidents/{id}."
    )
    created_at: datetime


class NoticePageOut(Schema):
    items: list[NoticeOut]
    next_after: int = Field(description="Pass as `after` on the next sync; equal to `after` when nothing is new.")

"""Notices on sync: what changed for the guard since the phone last asked."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from backend.staffing.notices import notices_for_guard
from mobile_api.auth import guard_of
from mobile_api.schemas.common import ErrorOut
from mobile_api.schemas.notices import NoticePageOut, NoticeQuery

router = Router(tags=["notices"])


@router.get("/notices", response={200: NoticePageOut, 401: ErrorOut, 422: ErrorOut})
def notice_list(request: HttpRequest, query: Query[NoticeQuery]) -> Any:
    """Your notices newer than `after`, oldest first: ask on every sync with the last `next_after`."""
    items = list(notices_for_guard(guard=guard_of(request), after=query.after, limit=query.limit))
    return {"items": items, "next_after": items[-1].pk if items else query.after}

"""Cases for the daily activity reports, monthly summaries, PDF requests and downloads (and the public verify page)."""

from __future__ import annotations

import uuid

from backend.core.localtime import to_local
from backend.documents.models import DocumentKind
from backend.documents.services import document_render, document_request
from backend.tracking.models import ActivityEntry
from tests.portal.conftest import approved_report, worked_shift
from tests.portal.isolation import Target, World, case, page

ENTRY = "Isolation marker: found the pool gate propped open with a chair"


def _day_with_activity(world: World):
    shift = worked_shift(world.tenant, hours_ago=3, length=2)
    moment = shift.scheduled_start + (shift.scheduled_end - shift.scheduled_start) / 2
    ActivityEntry.objects.create(id=uuid.uuid4(), shift=shift, text=ENTRY, recorded_at=moment, received_at=moment)
    return to_local(moment, world.site.timezone).date()


def _site_day(world: World) -> dict[str, object]:
    return {"site_id": world.site.pk, "day": _day_with_activity(world)}


@case("portal:dar")
def _dar(world: World) -> Target:
    return Target(kwargs=_site_day(world), marker=ENTRY)


@case("portal:dar_ask")
def _dar_ask(world: World) -> Target:
    return Target(kwargs=_site_day(world), query={"line": "activity-0"}, marker=ENTRY)


@case("portal:dar_pdf", method="post")
def _dar_pdf(world: World) -> Target:
    return Target(kwargs=_site_day(world))


@case("portal:report_pdf", method="post")
def _report_pdf(world: World) -> Target:
    return Target(kwargs={"report_id": approved_report(worked_shift(world.tenant)).pk})


@case("portal:summaries")
def _summaries(world: World) -> Target:
    return Target(marker=world.site.name)


def _month(world: World):
    shift = worked_shift(world.tenant, hours_ago=3, length=2)
    return to_local(shift.scheduled_start, world.site.timezone).date().replace(day=1)


@case("portal:summary", period=True)
def _summary(world: World) -> Target:
    return Target(kwargs={"month": _month(world)}, marker=world.site.name)


@case("portal:summary_pdf", method="post")
def _summary_pdf(world: World) -> Target:
    return Target(kwargs={"month": _month(world)}, data={"site": str(world.site.pk)})


def _dar_document(world: World, *, ready: bool = False):
    day = _day_with_activity(world)
    document = document_request(
        kind=DocumentKind.DAILY_ACTIVITY, client=world.tenant.client, site=world.site, period_start=day, period_end=day
    )
    if ready:
        document_render(document_id=document.pk)
    return document


@case("portal:document")
def _document(world: World) -> Target:
    return Target(kwargs={"document_id": _dar_document(world).pk}, marker=world.site.name)


@case("portal:document_download")
def _download(world: World) -> Target:
    return Target(kwargs={"document_id": _dar_document(world, ready=True).pk})


case("portal:verify", public=True)(page)


case("portal:preferences")(page)

"""Incident reports as a client contact reads them: approved only, the flags a manager chose, clean photos.

The contact's Scope already narrows reports to approved ones on their sites
(`incident_reports_visible`); this adds the portal's filters (site, type, dates), keyset
paging, and the one report's page with the flags shown to the client (never the
internal ones) and its photos' display copies (pixels only: no EXIF, GPS or serial).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from backend.core.errors import NotFound
from backend.core.querysets import filter_given, keyset_after, keyset_decode, keyset_encode
from backend.flags.models import Flag
from backend.flags.selectors import flags_shown_to_client
from backend.incidents.models import IncidentPhoto, IncidentReport, IncidentType
from backend.incidents.selectors import incident_photos_visible, incident_report_get_visible, incident_reports_visible
from backend.sites.scopes import Scope

REPORTS_PAGE_SIZE = 25


@dataclass(frozen=True)
class ReportFilters:
    """The portal's report filters; None means any."""

    site_id: int | None = None
    type_id: int | None = None
    occurred_from: datetime | None = None
    occurred_before: datetime | None = None


@dataclass(frozen=True)
class ReportsPage:
    """One page of reports and the `after=` text of the next (None: this is the last)."""

    reports: list[IncidentReport]
    next_after: str | None


def _count(rows: QuerySet[Any], key: str) -> Coalesce:
    """How many of `rows` point at the outer report through `key`, as a subquery (0 for none)."""
    counted = rows.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def client_reports_page(
    *, scope: Scope, filters: ReportFilters, after: str = "", page_size: int = REPORTS_PAGE_SIZE
) -> ReportsPage:
    """One page of the reports the viewer may read, newest first, each with its photo and shown-flag counts.

    `after` is the page's start (keyset on occurred_at, id; no OFFSET) as the previous page gave it;
    anything else starts at the top.

    Two queries whatever the page (the rows with both counts as subqueries, one more row to
    know whether another page follows); the narrative is read for its first line only in the page.
    """
    reports = filter_given(
        incident_reports_visible(scope=scope, site_id=filters.site_id),
        type_id=filters.type_id,
        occurred_at__gte=filters.occurred_from,
        occurred_at__lt=filters.occurred_before,
    )
    start = keyset_decode(after)
    if start is not None:
        reports = reports.filter(
            keyset_after(moment_field="occurred_at", key_field="id", moment=start[0], key=start[1])
        )
    counts = {
        "photo_count": _count(IncidentPhoto.objects.all(), "report_id"),
        "shown_flag_count": _count(flags_shown_to_client(incident_ids=None), "incident_id"),
    }
    rows = list(reports.annotate(**counts).order_by("-occurred_at", "-id")[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    next_after = keyset_encode(rows[-1].occurred_at, rows[-1].pk) if more and rows else None
    return ReportsPage(reports=rows, next_after=next_after)


@dataclass(frozen=True)
class ClientReport:
    """One approved report with what the client may see of it."""

    report: IncidentReport
    photos: list[IncidentPhoto]
    flags: list[Flag]

    @property
    def zone(self) -> str:
        return self.report.shift.post.site.timezone


def client_report_get(*, scope: Scope, report_id: uuid.UUID) -> ClientReport:
    """The report (approved, on the viewer's sites), its photos and the flags shown to the client: three queries.

    Raises NotFound for anything else (another client's report, one not approved yet).
    """
    report = incident_report_get_visible(scope=scope, report_id=report_id)
    return ClientReport(
        report=report,
        photos=list(report.photos.all()),
        flags=list(flags_shown_to_client(incident_ids=[report.pk])),
    )


def client_photo_get(*, scope: Scope, report_id: uuid.UUID, photo_id: uuid.UUID) -> IncidentPhoto:
    """A photo of this report, if the viewer may see the report; another report's photo is NotFound too."""
    photo: IncidentPhoto | None = (
        incident_photos_visible(scope=scope)
        .filter(pk=photo_id, report_id=report_id, report__archived_at__isnull=True)
        .first()
    )
    if photo is None:
        raise NotFound("No such photo.", code="photo_not_found")
    return photo


def report_types_for_client(*, scope: Scope) -> QuerySet[IncidentType]:
    """The incident types of the viewer's company, for the reports filter."""
    return IncidentType.objects.for_company(scope.company_id or -1).order_by("name")

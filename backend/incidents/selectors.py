"""Reads over incident reports: a guard sees only their own, a company only its catalogue."""

from __future__ import annotations

import uuid

from django.db.models import Prefetch, QuerySet

from backend.accounts.models import Company, User
from backend.core.errors import NotFound
from backend.flags.models import Flag, FlagStatus
from backend.incidents.models import IncidentPhoto, IncidentReport, IncidentType, ReviewComment

MAX_PAGE_SIZE = 100


def incident_types_active(*, company: Company | int) -> QuerySet[IncidentType]:
    return IncidentType.objects.for_company(company).filter(is_active=True).order_by("name")


def _open_flags_prefetch() -> Prefetch[str, QuerySet[Flag], str]:
    return Prefetch(
        "flags",
        queryset=Flag.objects.filter(status=FlagStatus.OPEN).order_by("raised_at", "code"),
        to_attr="open_flags",
    )


def incidents_for_guard(*, guard: User, status: str | None = None) -> QuerySet[IncidentReport]:
    """The guard's own reports, newest first, with type and open flags loaded (no N+1)."""
    reports = IncidentReport.objects.filter(guard=guard).for_company(guard.company_id or -1)
    if status is not None:
        reports = reports.filter(status=status)
    return (
        reports.select_related("type")
        .prefetch_related(_open_flags_prefetch())
        .order_by("-occurred_at", "-received_at", "id")
    )


def incident_get_for_guard(*, guard: User, report_id: uuid.UUID) -> IncidentReport:
    """One of the guard's own reports with everything the detail view shows; else NotFound."""
    report: IncidentReport | None = (
        IncidentReport.objects.filter(pk=report_id, guard=guard)
        .for_company(guard.company_id or -1)
        .select_related("type")
        .prefetch_related(
            _open_flags_prefetch(),
            Prefetch("comments", queryset=ReviewComment.objects.select_related("author").order_by("created_at")),
            Prefetch("photos", queryset=IncidentPhoto.objects.order_by("created_at")),
        )
        .first()
    )
    if report is None:
        raise NotFound("No such report.", code="report_not_found")
    return report

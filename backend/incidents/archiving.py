"""Archiving reports: how GuardOps staff retire evidence without deleting it."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from backend.accounts.models import User
from backend.core.errors import PermissionDenied
from backend.incidents.models import IncidentReport


@transaction.atomic
def incident_reports_archive(*, reports: QuerySet[IncidentReport], actor: User) -> int:
    """Mark the not-yet-archived `reports` archived by `actor` now; the count archived.

    Only GuardOps staff archive: a company must not be able to hide its own evidence.
    """
    if not actor.is_superuser:
        raise PermissionDenied("Only GuardOps staff archive incident reports.", code="archive_refused")
    return reports.filter(archived_at__isnull=True).update(archived_at=timezone.now(), archived_by=actor)

"""Reads over incident reports: a guard sees only their own, a company only its catalogue."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Prefetch, QuerySet
from django.db.models.fields.files import FieldFile

from backend.accounts.models import Company, Role, User
from backend.core.errors import NotFound, PermissionDenied
from backend.core.querysets import filter_given
from backend.flags.models import Flag, FlagStatus
from backend.incidents.models import IncidentPhoto, IncidentReport, IncidentStatus, IncidentType, ReviewComment
from backend.rules.findings import FlagCode
from backend.sites.scopes import Scope, scope_for
from backend.tracking.models import ActivityEntry

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


# --- Photos -------------------------------------------------------------------------------

# What a photo URL may ask for. The display copy and thumbnail are clean re-encoded JPEGs;
# the original is the upload as received (with its EXIF, GPS included): evidence, for
# the company's managers and GuardOps staff only.
PHOTO_DISPLAY: Final = "display"
PHOTO_THUMBNAIL: Final = "thumbnail"
PHOTO_ORIGINAL: Final = "original"
PHOTO_VARIANTS: Final = (PHOTO_DISPLAY, PHOTO_THUMBNAIL, PHOTO_ORIGINAL)


def _sees_every_tenant(user: User) -> bool:
    return user.is_superuser or user.role == Role.STAFF


def incident_photos_visible(*, scope: Scope) -> QuerySet[IncidentPhoto]:
    """Photos of the reports the viewer may see (a client contact: approved reports only)."""
    photos = IncidentPhoto.objects.for_scope(scope)
    if scope.approved_reports_only:
        photos = photos.filter(report__status=IncidentStatus.APPROVED)
    return photos


def incident_photo_visible_to(*, user: User, photo_id: uuid.UUID) -> IncidentPhoto | None:
    """The photo if `user` may see it, else None (another tenant's photo and a missing one alike).

    A guard sees the photos of reports they filed; everyone else what their Scope shows
    (sites/scopes.py): a manager their company's, a supervisor those of reports on their
    assigned sites, a client contact those of approved reports on their client's sites
    (or the sites they are limited to); GuardOps staff any.
    """
    if not user.is_active:
        return None
    photos = IncidentPhoto.objects.filter(pk=photo_id)
    if user.role == Role.GUARD and not _sees_every_tenant(user):
        if user.company_id is None:
            return None
        guards_photo: IncidentPhoto | None = photos.for_company(user.company_id).filter(report__guard=user).first()
        return guards_photo
    try:
        scope = scope_for(user)
    except PermissionDenied:
        return None
    photo: IncidentPhoto | None = incident_photos_visible(scope=scope).filter(pk=photo_id).first()
    return photo


@dataclass(frozen=True)
class PhotoFile:
    """One stored file of a photo, as a response serves it."""

    file: FieldFile
    content_type: str
    etag: str
    """Names these exact bytes: the upload's SHA-256 and which stored copy they are."""
    filename: str


def incident_photo_file(*, user: User, photo_id: uuid.UUID, variant: str) -> PhotoFile | None:
    """The file behind a photo URL if `user` may have it, else None (unknown variant included).

    A thumbnail not made yet (the task runs after commit) is answered with the display copy.
    """
    if variant not in PHOTO_VARIANTS:
        return None
    photo = incident_photo_visible_to(user=user, photo_id=photo_id)
    if photo is None:
        return None
    if variant == PHOTO_ORIGINAL:
        if not photo.original or not (user.role == Role.MANAGER or _sees_every_tenant(user)):
            return None
        extension = photo.original.name.rsplit(".", 1)[-1]
        return PhotoFile(photo.original, photo.content_type, f"{photo.sha256}-original", f"original.{extension}")
    served = PHOTO_THUMBNAIL if variant == PHOTO_THUMBNAIL and photo.thumbnail else PHOTO_DISPLAY
    file = photo.thumbnail if served == PHOTO_THUMBNAIL else photo.display
    if not file:
        return None
    return PhotoFile(file, "image/jpeg", f"{photo.sha256}-{served}", f"{served}.jpg")


# --- The console and the portal: reports for managers, supervisors and client contacts ----


def incident_reports_visible(
    *,
    scope: Scope,
    status: str | None = None,
    site_id: int | None = None,
    include_archived: bool = False,
) -> QuerySet[IncidentReport]:
    """Reports on the sites the viewer may see, newest first, with type, guard and site loaded.

    A client contact sees approved reports only (whatever `status` asks for); archived
    reports are left out of the working lists unless asked for.
    """
    reports = IncidentReport.objects.for_scope(scope)
    if scope.approved_reports_only:
        reports = reports.filter(status=IncidentStatus.APPROVED)
    reports = filter_given(reports, status=status, shift__post__site_id=site_id)
    if not include_archived:
        reports = reports.filter(archived_at__isnull=True)
    return (
        reports.select_related("type", "guard", "unit", "shift__post__site__client")
        .defer("shift__post__site__geofence")
        .order_by("-occurred_at", "-received_at", "id")
    )


def incident_report_get_visible(*, scope: Scope, report_id: uuid.UUID) -> IncidentReport:
    """One report the viewer may see, with its photos (and, for the company's own people,
    its open flags and review comments, archived or not); anything else is NotFound."""
    reports = incident_reports_visible(scope=scope, include_archived=scope.sees_operations).filter(pk=report_id)
    reports = reports.prefetch_related(Prefetch("photos", queryset=IncidentPhoto.objects.order_by("created_at")))
    if scope.sees_operations:
        comments = ReviewComment.objects.select_related("author").order_by("created_at")
        reports = reports.prefetch_related(_open_flags_prefetch(), Prefetch("comments", queryset=comments))
    report: IncidentReport | None = reports.first()
    if report is None:
        raise NotFound("No such report.", code="report_not_found")
    return report


# --- Managers' verdicts on the emergency rule, as corpus cases -----------------------------


def emergency_dismissal_cases(*, company: Company) -> Iterator[dict[str, Any]]:
    """The company's dismissed EMERGENCY_NOT_REPORTED flags as labelled narratives (the corpus format).

    Each says: this text, the services the rule claimed, and what the manager decided ("no service
    attended") and why. Only this company's flags; oldest dismissal first, so an export is stable.
    """
    flags = (
        Flag.objects.filter(company=company, code=FlagCode.EMERGENCY_NOT_REPORTED, status=FlagStatus.DISMISSED)
        .select_related("incident")
        .order_by("dismissed_at", "pk")
    )
    for flag in flags:
        text, source = _flagged_text(flag)
        if not text:
            continue
        claimed = flag.evidence.get("services") or []
        yield {
            "id": f"dismissal-{flag.pk}",
            "text": text,
            "services": [],
            "kind": "hard_negative",
            "tag": "manager_dismissed",
            "label": "no service attended",
            "claimed": sorted(str(service) for service in claimed),
            "severity": flag.severity,
            "dismissal_reason": flag.dismissal_reason,
            "dismissal_note": flag.dismissal_note,
            "dismissed_at": flag.dismissed_at.isoformat() if flag.dismissed_at else None,
            "source": source,
        }


def _flagged_text(flag: Flag) -> tuple[str, str]:
    """The narrative the flag judged: the incident report's, or the activity-log line's."""
    if flag.incident is not None:
        return flag.incident.narrative, "incident"
    entry_id = flag.evidence.get("activity_entry_id")
    if entry_id:
        text = (
            ActivityEntry.objects.filter(pk=entry_id, shift__post__site__client__company=flag.company_id)
            .values_list("text", flat=True)
            .first()
        )
        return text or "", "activity"
    return "", ""

"""Reads over incident reports: a guard sees only their own, a company only its catalogue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Final

from django.db.models import Prefetch, QuerySet
from django.db.models.fields.files import FieldFile

from backend.accounts.models import Company, Role, User
from backend.core.errors import NotFound
from backend.flags.models import Flag, FlagStatus
from backend.incidents.models import IncidentPhoto, IncidentReport, IncidentStatus, IncidentType, ReviewComment

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


def incident_photo_visible_to(*, user: User, photo_id: uuid.UUID) -> IncidentPhoto | None:
    """The photo if `user` may see it, else None (another tenant's photo and a missing one alike).

    A guard sees the photos of reports they filed; a manager their company's; a client
    contact those of approved reports on their own client's sites; GuardOps staff any.
    """
    if not user.is_active:
        return None
    photos = IncidentPhoto.objects.filter(pk=photo_id)
    if _sees_every_tenant(user):
        return photos.first()
    if user.company_id is None:
        return None
    scoped = photos.for_company(user.company_id)
    if user.role == Role.GUARD:
        scoped = scoped.filter(report__guard=user)
    elif user.role == Role.CLIENT_CONTACT and user.client_id is not None:
        scoped = scoped.filter(
            report__shift__post__site__client_id=user.client_id, report__status=IncidentStatus.APPROVED
        )
    elif user.role != Role.MANAGER:
        return None
    photo: IncidentPhoto | None = scoped.first()
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

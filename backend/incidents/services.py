"""Writes over incident reports: the type catalogue, filing, amending, review, photos.

Filing is idempotent on the phone's UUID. The canonical JSON of what the guard said
(everything but `sent_at`, which changes on every retry) is hashed into
`payload_sha256`: a replay with the same hash returns the stored report, with another
hash it is a Conflict. Two identical requests racing are settled by the primary key.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from backend.accounts.models import Company, User
from backend.core.errors import Conflict, NotFound, ValidationFailed
from backend.core.localtime import DATE_TIME, TIME, local_time, to_local
from backend.core.outbox import outbox_enqueue
from backend.core.querysets import catalogue_seed
from backend.flags.models import Flag, FlagStatus
from backend.flags.services import flags_sync
from backend.incidents.checks import incident_check_codes, incident_run_checks
from backend.incidents.errors import (
    ImageTooLarge,
    OpenCriticalFlags,
    PhotoTooLarge,
    ReportAlreadyApproved,
    ReportAlreadyReturned,
    ReportNotFound,
    UnsupportedImage,
)
from backend.incidents.images import (
    ImageRejected,
    jpeg_metadata_blocks,
    prepare_photo,
    thumbnail_copy,
)
from backend.incidents.models import (
    IncidentPhoto,
    IncidentReport,
    IncidentReviewAction,
    IncidentRevision,
    IncidentStatus,
    IncidentType,
    ReportField,
    ReviewAction,
    ReviewComment,
)
from backend.rules.findings import Severity
from backend.rules.selectors import thresholds_for
from backend.rules.thresholds import Thresholds
from backend.sites.access import reviewer_check
from backend.sites.models import Unit
from backend.staffing.models import NoticeKind, Shift
from backend.staffing.notices import guard_notice_send
from backend.staffing.selectors import shift_get_for_guard
from backend.tracking.field_services import fix_place
from geofence.fixes import Fix

# --- The catalogue ------------------------------------------------------------------------


@dataclass(frozen=True)
class DefaultType:
    code: str
    name: str
    severity: str
    required_fields: tuple[str, ...]


# What every new company starts with; managers edit their copy in the admin. The
# required fields say what a reviewer needs to act on a report of this kind.
DEFAULT_INCIDENT_TYPES: tuple[DefaultType, ...] = (
    DefaultType("trespass", "Trespass", Severity.WARNING, (ReportField.POSITION, ReportField.LOCATION_DETAIL)),
    DefaultType("theft", "Theft", Severity.WARNING, (ReportField.PERSONS, ReportField.LOCATION_DETAIL)),
    DefaultType("vandalism", "Vandalism", Severity.WARNING, (ReportField.LOCATION_DETAIL, ReportField.PHOTOS)),
    DefaultType("fire_alarm", "Fire / alarm", Severity.CRITICAL, (ReportField.EMERGENCY, ReportField.LOCATION_DETAIL)),
    DefaultType("medical", "Medical emergency", Severity.CRITICAL, (ReportField.EMERGENCY, ReportField.PERSONS)),
    # Which resident: a violation notice goes to a unit, never to a guessed address.
    DefaultType("parking_violation", "Parking violation", Severity.INFO, (ReportField.UNIT, ReportField.PHOTOS)),
    DefaultType("noise", "Noise complaint", Severity.INFO, (ReportField.UNIT,)),
    DefaultType(
        "suspicious_person", "Suspicious person", Severity.WARNING, (ReportField.PERSONS, ReportField.POSITION)
    ),
    DefaultType(
        "maintenance_hazard", "Maintenance hazard", Severity.INFO, (ReportField.LOCATION_DETAIL, ReportField.PHOTOS)
    ),
)


def incident_types_seed_defaults(*, company: Company) -> list[IncidentType]:
    """Give a company the default catalogue; types it already has are left as the company set them."""
    entries = [
        IncidentType(
            company=company,
            code=default.code,
            name=default.name,
            severity=default.severity,
            required_fields=[str(name) for name in default.required_fields],
        )
        for default in DEFAULT_INCIDENT_TYPES
    ]
    return catalogue_seed(IncidentType, company_id=company.pk, entries=entries)


# --- Filing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentContent:
    """What a guard says in a report: the part a correction may change."""

    type_code: str
    occurred_at: datetime
    narrative: str
    location_detail: str
    address: str = ""
    position: Fix | None = None
    unit_id: int | None = None
    persons: list[dict[str, Any]] = field(default_factory=list)
    emergency: dict[str, Any] | None = None


@dataclass(frozen=True)
class NewIncident:
    id: uuid.UUID
    shift_id: int
    content: IncidentContent


@dataclass(frozen=True)
class IncidentOutcome:
    report: IncidentReport
    flags: list[Flag]
    created: bool


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def incident_payload_sha256(*, report_id: uuid.UUID, shift_id: int, content: IncidentContent) -> str:
    """SHA-256 of the canonical JSON of a report body (sorted keys, UTC times, no sent_at)."""
    position = content.position
    canonical = {
        "id": str(report_id),
        "shift_id": shift_id,
        "type": content.type_code,
        "occurred_at": _utc(content.occurred_at),
        "position": None
        if position is None
        else {
            "lat": position.lat,
            "lon": position.lon,
            "accuracy_m": position.accuracy_m,
            "recorded_at": _utc(position.recorded_at),
            "is_mock": position.is_mock,
        },
        "unit_id": content.unit_id,
        "location_detail": content.location_detail,
        "address": content.address,
        "narrative": content.narrative,
        "persons": content.persons,
        "emergency": content.emergency,
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _open_flags(report: IncidentReport) -> list[Flag]:
    return list(Flag.objects.filter(incident=report, status=FlagStatus.OPEN).order_by("raised_at", "code"))


def _idempotency_conflict() -> Conflict:
    return Conflict(
        "This report id was already used with a different body; amend a returned report with PUT, "
        "or generate a new UUID for a new report.",
        code="idempotency_conflict",
        field="id",
    )


def _replay(*, guard: User, report_id: uuid.UUID, payload_sha256: str) -> IncidentOutcome | None:
    """The stored outcome if this is a replay of a filed report; None if the id is new."""
    report = IncidentReport.objects.filter(pk=report_id).first()
    if report is None:
        return None
    # Another guard's id gets the same answer as a different body: nothing is disclosed.
    if report.guard_id != guard.pk:
        raise _idempotency_conflict()
    if report.payload_sha256 != payload_sha256:
        # A late retry of the original POST after an amendment is still that POST.
        first = report.revisions.filter(version=1).values_list("snapshot", flat=True).first()
        if not first or first.get("payload_sha256") != payload_sha256:
            raise _idempotency_conflict()
    return IncidentOutcome(report=report, flags=_open_flags(report), created=False)


def _apply_content(report: IncidentReport, *, content: IncidentContent, shift: Shift, thresholds: Thresholds) -> None:
    """Resolve the catalogue code and unit against the shift's company/site and copy the content."""
    company_id = shift.post.site.client.company_id
    incident_type = IncidentType.objects.filter(company_id=company_id, code=content.type_code, is_active=True).first()
    if incident_type is None:
        raise ValidationFailed(
            f"'{content.type_code}' is not an incident type of your company (GET /incident-types lists them).",
            code="unknown_incident_type",
            field="type",
        )
    unit = None
    if content.unit_id is not None:
        unit = Unit.objects.filter(pk=content.unit_id, site_id=shift.post.site_id).first()
        if unit is None:
            raise ValidationFailed(
                "No such unit on this shift's site (GET /shifts/{id} lists them).",
                code="unit_not_found",
                field="unit_id",
            )
    report.type = incident_type
    report.unit = unit
    report.occurred_at = content.occurred_at
    report.location_detail = content.location_detail
    report.address = content.address
    report.narrative = content.narrative
    report.persons = content.persons
    report.emergency = content.emergency
    report.location = None
    report.accuracy_m = None
    report.is_mock = False
    report.fence = ""
    report.distance_m = None
    fix_place(row=report, fix=content.position, site=shift.post.site, max_accuracy_m=thresholds.low_accuracy_m)
    # The device time the report carries: its GPS fix's time, else the time the guard
    # gives for the incident. `sent_at` and `received_at` are kept beside it.
    report.recorded_at = content.position.recorded_at if content.position is not None else content.occurred_at


def incident_checks_apply(*, report: IncidentReport, thresholds: Thresholds | None = None) -> list[Flag]:
    """Run the rules and make the report's open flags match (resolving what no longer holds).

    Every flag of the report then carries the report's site and received_at (the review
    queue's keyset order, which an amendment moves): one UPDATE, of the rows that differ.
    """
    flags = flags_sync(
        company=report.shift.post.site.client.company,
        findings=incident_run_checks(report=report, thresholds=thresholds),
        evaluated_codes=incident_check_codes(),
        incident=report,
    )
    site_id = report.shift.post.site_id
    Flag.objects.filter(incident=report).exclude(
        incident_site_id=site_id, incident_received_at=report.received_at
    ).update(incident_site_id=site_id, incident_received_at=report.received_at)
    for flag in flags:
        flag.incident_site_id, flag.incident_received_at = site_id, report.received_at
    return flags


@transaction.atomic
def incident_submit(*, guard: User, data: NewIncident, sent_at: datetime | None = None) -> IncidentOutcome:
    """File a report on the guard's own shift, once per client UUID, with its flags.

    Raises NotFound (not the guard's shift), ValidationFailed (unknown type or unit),
    Conflict (the id was used with another body).
    """
    payload_sha256 = incident_payload_sha256(report_id=data.id, shift_id=data.shift_id, content=data.content)
    replay = _replay(guard=guard, report_id=data.id, payload_sha256=payload_sha256)
    if replay is not None:
        return replay
    shift = shift_get_for_guard(guard=guard, shift_id=data.shift_id, field="shift_id")
    report = IncidentReport(
        id=data.id,
        shift=shift,
        guard=guard,
        status=IncidentStatus.SUBMITTED,
        version=1,
        payload_sha256=payload_sha256,
        sent_at=sent_at,
        received_at=timezone.now(),
    )
    thresholds = thresholds_for(company=shift.post.site.client.company_id)
    _apply_content(report, content=data.content, shift=shift, thresholds=thresholds)
    # Fields were validated by the API schema and the lookups above; full_clean() would
    # re-query every foreign key for nothing.
    try:
        with transaction.atomic():  # savepoint: a duplicate key leaves the outer transaction usable
            report.save(force_insert=True)
    except IntegrityError:
        # An identical request committed first (our INSERT waited for it): answer as a replay.
        replay = _replay(guard=guard, report_id=data.id, payload_sha256=payload_sha256)
        if replay is None:
            raise Conflict("The report could not be stored; send it again.", code="concurrent_update") from None
        return replay
    flags = incident_checks_apply(report=report, thresholds=thresholds)
    return IncidentOutcome(report=report, flags=flags, created=True)


def _snapshot(report: IncidentReport) -> dict[str, Any]:
    """A version exactly as it stood, for IncidentRevision (JSON-safe)."""
    return {
        "version": report.version,
        "status": report.status,
        "type": report.type.code,
        "occurred_at": report.occurred_at.isoformat(),
        "unit_id": report.unit_id,
        "location_detail": report.location_detail,
        "address": report.address,
        "narrative": report.narrative,
        "persons": report.persons,
        "emergency": report.emergency,
        "position": None
        if report.location is None
        else {
            "lat": report.location.y,
            "lon": report.location.x,
            "accuracy_m": report.accuracy_m,
            "is_mock": report.is_mock,
        },
        "fence": report.fence,
        "distance_m": report.distance_m,
        "recorded_at": report.recorded_at.isoformat(),
        "sent_at": report.sent_at.isoformat() if report.sent_at else None,
        "received_at": report.received_at.isoformat(),
        "payload_sha256": report.payload_sha256,
        "flags": [
            {"code": flag.code, "severity": flag.severity, "message": flag.message}
            for flag in Flag.objects.filter(incident=report, status=FlagStatus.OPEN).order_by("code")
        ],
    }


@transaction.atomic
def incident_amend(
    *, guard: User, report_id: uuid.UUID, content: IncidentContent, sent_at: datetime | None = None
) -> IncidentOutcome:
    """Correct a report that was returned: keep the old version, bump it, re-run the checks.

    A retry of the amendment that already went through returns the report as it is.
    """
    report = (
        IncidentReport.objects.select_for_update(of=("self",))
        .select_related("type", "shift__post__site__client__company")
        .filter(pk=report_id, guard=guard)
        .first()
    )
    if report is None:
        raise NotFound("No such report.", code="report_not_found")
    payload_sha256 = incident_payload_sha256(report_id=report.pk, shift_id=report.shift_id, content=content)
    if report.status == IncidentStatus.SUBMITTED and report.version > 1 and report.payload_sha256 == payload_sha256:
        return IncidentOutcome(report=report, flags=_open_flags(report), created=False)
    if report.status != IncidentStatus.RETURNED:
        raise Conflict(
            f"Only a report returned for correction can be amended; this one is {report.get_status_display().lower()}.",
            code="not_returned_for_correction",
        )
    IncidentRevision.objects.create(report=report, version=report.version, snapshot=_snapshot(report))
    thresholds = thresholds_for(company=report.shift.post.site.client.company_id)
    _apply_content(report, content=content, shift=report.shift, thresholds=thresholds)
    report.version += 1
    report.status = IncidentStatus.SUBMITTED
    report.payload_sha256 = payload_sha256
    report.sent_at = sent_at
    report.received_at = timezone.now()
    report.save()
    flags = incident_checks_apply(report=report, thresholds=thresholds)
    return IncidentOutcome(report=report, flags=flags, created=False)


# --- Review -------------------------------------------------------------------------------
# submitted --approve--> approved (final)
# submitted --return---> returned --(the guard amends)--> submitted
# Each decision locks the report row, checks its state under the lock and is logged as an
# IncidentReviewAction: of two reviewers acting at once the second waits for the first,
# then is told what the first did (never a silent overwrite).


def _report_for_review(*, report: IncidentReport, by: User) -> IncidentReport:
    """The report locked for a decision, once `by` may decide on it."""
    locked: IncidentReport | None = (
        IncidentReport.objects.select_for_update(of=("self",))
        # Only rows that never change are joined: after waiting for another reviewer's lock,
        # PostgreSQL re-reads the report row but not a joined approver.
        .select_related("shift__post__site__client")
        .filter(pk=report.pk)
        .first()
    )
    if locked is None:
        raise ReportNotFound()
    site = locked.shift.post.site
    reviewer_check(user=by, company_id=site.client.company_id, site_id=site.pk, not_found=ReportNotFound())
    return locked


def _moment(moment: datetime, zone_name: str) -> str:
    """'14:05 EST' today on the site's clock, '2026-11-30 14:05 EST' another day."""
    same_day = to_local(moment, zone_name).date() == to_local(timezone.now(), zone_name).date()
    return local_time(moment, zone_name, TIME if same_day else DATE_TIME)


def _refuse_unless_submitted(report: IncidentReport) -> None:
    """Conflict naming who decided and when, unless the report is waiting for a decision."""
    zone_name = report.shift.post.site.timezone
    if report.status == IncidentStatus.APPROVED:
        approver = report.approved_by  # read now, after the lock: not joined above
        assert report.approved_at is not None  # noqa: S101 - incident_approved_has_approver
        raise ReportAlreadyApproved(
            f"This report was already approved by {approver} at {_moment(report.approved_at, zone_name)}.",
            extra={"approved_by": str(approver), "approved_at": report.approved_at.isoformat()},
        )
    if report.status == IncidentStatus.RETURNED:
        last = (
            IncidentReviewAction.objects.filter(report=report, action=ReviewAction.RETURN)
            .select_related("by")
            .order_by("-at")
            .first()
        )
        who = f" by {last.by} at {_moment(last.at, zone_name)}" if last is not None else ""
        raise ReportAlreadyReturned(
            f"This report was already returned to its guard for correction{who}; "
            "it can be reviewed again once they amend it."
        )


def _record_decision(
    report: IncidentReport, *, action: str, by: User, note: str, open_critical_flags: list[dict[str, Any]]
) -> IncidentReviewAction:
    now = timezone.now()
    from_status = report.status
    report.status = IncidentStatus.APPROVED if action == ReviewAction.APPROVE else IncidentStatus.RETURNED
    if action == ReviewAction.APPROVE:
        report.approved_at, report.approved_by = now, by
    report.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    return IncidentReviewAction.objects.create(
        report=report,
        action=action,
        by=by,
        at=now,
        note=note,
        from_status=from_status,
        to_status=report.status,
        report_version=report.version,
        open_critical_flags=open_critical_flags,
    )


@transaction.atomic
def incident_approve(
    *, report: IncidentReport, by: User, note: str = "", confirm_open_critical: bool = False
) -> IncidentReviewAction:
    """A reviewer approves a submitted report (final); recorded with who, when and the note.

    Raises ReportNotFound (another tenant's), PermissionDenied `not_a_reviewer`,
    ReportAlreadyApproved / ReportAlreadyReturned (naming who and when on the site's clock),
    OpenCriticalFlags while critical flags are open unless `confirm_open_critical` (then a
    note saying why is required: ValidationFailed `reason_required`). The flags are left as
    they stand and listed on the action; the report's content never changes here.
    """
    locked = _report_for_review(report=report, by=by)
    _refuse_unless_submitted(locked)
    reason = note.strip()
    critical = [
        {"id": flag_id, "code": code}
        for flag_id, code in Flag.objects.filter(incident=locked, status=FlagStatus.OPEN, severity=Severity.CRITICAL)
        .order_by("raised_at", "code")
        .values_list("id", "code")
    ]
    if critical and not confirm_open_critical:
        raise OpenCriticalFlags(
            f"This report has {len(critical)} open critical flag(s) ({', '.join(f['code'] for f in critical)}): "
            "confirm that you approve it anyway and say why.",
            extra={"flags": critical},
        )
    if critical and not reason:
        raise ValidationFailed(
            "Say why you approve this report over its open critical flags.", code="reason_required", field="note"
        )
    action = _record_decision(locked, action=ReviewAction.APPROVE, by=by, note=reason, open_critical_flags=critical)
    report.status, report.approved_at, report.approved_by = locked.status, locked.approved_at, by
    return action


@transaction.atomic
def incident_return_for_correction(*, report: IncidentReport, reviewer: User, comment: str) -> ReviewComment:
    """A reviewer sends a submitted report back to its guard with a comment saying what to fix.

    The comment is shown to the guard (ReviewComment) and kept in the review log. Raises
    ValidationFailed `comment_required`, then as incident_approve (not found, not a
    reviewer, already approved / returned).
    """
    body = comment.strip()
    if not body:
        raise ValidationFailed("Say what the guard must correct.", code="comment_required", field="comment")
    locked = _report_for_review(report=report, by=reviewer)
    _refuse_unless_submitted(locked)
    _record_decision(locked, action=ReviewAction.RETURN, by=reviewer, note=body, open_critical_flags=[])
    report.status = locked.status
    review_comment = ReviewComment.objects.create(report=locked, author=reviewer, body=body)
    occurred = local_time(locked.occurred_at, locked.shift.post.site.timezone, DATE_TIME)
    guard_notice_send(
        guard=locked.guard,
        kind=NoticeKind.REPORT_RETURNED,
        message=(
            f'Your report "{locked.type.name}" of {occurred} (site time) was returned for correction by '
            f"{reviewer.get_full_name() or reviewer.username}: {body}"
        ),
        incident_report_id=locked.pk,
    )
    return review_comment


@transaction.atomic
def incident_reviewer_edit(
    *,
    report: IncidentReport,
    by: User,
    note: str,
    location_detail: str | None = None,
    unit: Unit | None = None,
) -> IncidentRevision | None:
    """A reviewer corrects a typo-level field (where on site, the unit) of a submitted report.

    The narrative and everything else stay the guard's words. The version as it stood is
    kept as an IncidentRevision naming the editor and the note; the checks run again (a
    corrected unit may end a unit-distance flag). Nothing changed: None, nothing stored.
    Raises ValidationFailed `note_required` / `unit_not_on_site`, then as incident_approve
    (not found, not a reviewer, already approved / returned).
    """
    reason = note.strip()
    if not reason:
        raise ValidationFailed("Say why you change the guard's report.", code="note_required", field="note")
    locked = _report_for_review(report=report, by=by)
    _refuse_unless_submitted(locked)
    if unit is not None and unit.site_id != locked.shift.post.site_id:
        raise ValidationFailed("Choose a unit of the report's site.", code="unit_not_on_site", field="unit")
    new_detail = locked.location_detail if location_detail is None else location_detail.strip()
    new_unit_id = locked.unit_id if unit is None else unit.pk
    if new_detail == locked.location_detail and new_unit_id == locked.unit_id:
        return None
    locked = IncidentReport.objects.select_related("type", "shift__post__site__client").get(pk=locked.pk)
    revision = IncidentRevision.objects.create(
        report=locked, version=locked.version, snapshot=_snapshot(locked), changed_by=by, note=reason
    )
    locked.location_detail, locked.unit_id = new_detail, new_unit_id
    locked.version += 1
    locked.save(update_fields=["location_detail", "unit", "version", "updated_at"])
    incident_checks_apply(report=locked)
    report.location_detail, report.unit_id, report.version = locked.location_detail, locked.unit_id, locked.version
    return revision


@dataclass(frozen=True)
class BulkApproval:
    approved: list[IncidentReviewAction]
    skipped: int
    """Reports left alone: open flags, or no longer waiting for a decision."""


def incidents_approve_unflagged(*, reports: list[IncidentReport], by: User, note: str = "") -> BulkApproval:
    """Approves each of `reports` that is submitted and has no open flag; skips the rest.

    Each approval is its own incident_approve (locked, recorded); one that another reviewer
    decided first is skipped, not an error for the whole batch.
    """
    approved: list[IncidentReviewAction] = []
    skipped = 0
    for report in reports:
        if Flag.objects.filter(incident=report, status=FlagStatus.OPEN).exists():
            skipped += 1
            continue
        try:
            approved.append(incident_approve(report=report, by=by, note=note))
        except (ReportAlreadyApproved, ReportAlreadyReturned, OpenCriticalFlags):
            skipped += 1
    return BulkApproval(approved=approved, skipped=skipped)


# --- Photos -------------------------------------------------------------------------------


PHOTO_EDITABLE = (IncidentStatus.SUBMITTED, IncidentStatus.RETURNED)


@dataclass(frozen=True)
class PhotoOutcome:
    photo: IncidentPhoto
    created: bool
    flags: list[Flag]
    """The report's open flags once the rules have seen this photo."""


def photo_upload_read(upload: UploadedFile) -> bytes:
    """The upload's bytes, refusing before reading when it is over the limit (any photo the phones send)."""
    limit = int(settings.MOBILE_PHOTO_MAX_BYTES)
    if upload.size is None or upload.size > limit:
        raise PhotoTooLarge(f"A photo may be at most {limit // (1024 * 1024)} MB.", field="file")
    upload.seek(0)
    data: bytes = upload.read(limit + 1)
    if len(data) > limit:  # the declared size lied
        raise PhotoTooLarge(f"A photo may be at most {limit // (1024 * 1024)} MB.", field="file")
    if not data:
        raise UnsupportedImage("The file is empty.", field="file")
    return data


def photo_replay(photos: QuerySet[Any], *, of: dict[str, object], photo_id: uuid.UUID | None, sha256: str) -> Any:
    """The stored photo a phone's retry sends again, or None.

    The one with the phone's `photo_id` (409 `idempotency_conflict` if that id was used for
    other bytes or another parent), else the same bytes on the same parent (`of`, e.g.
    {"report_id": ...}): the same picture twice is one piece of evidence.
    """
    if photo_id is not None:
        same_id = photos.filter(pk=photo_id).first()
        if same_id is not None:
            if same_id.sha256 != sha256 or any(getattr(same_id, name) != value for name, value in of.items()):
                raise Conflict(
                    "This photo id was already used for another photo; generate a new UUID.",
                    code="idempotency_conflict",
                    field="photo_id",
                )
            return same_id
    return photos.filter(sha256=sha256, **of).first()


def photo_save(
    photo: Any, *, of: dict[str, object], original: ContentFile[bytes], display: ContentFile[bytes]
) -> tuple[Any, bool]:
    """Store a new photo's files and row (the caller holds its parent's row lock): (photo, True); or,
    when a concurrent retry stored the same photo (id or content) first, its files removed and
    (theirs, False)."""
    photo.original.save(original.name or "original", original, save=False)
    # A nameless ContentFile is stored, but Django then reads its dimensions as None.
    display.name = display.name or "display.jpg"
    photo.display.save("display.jpg", display, save=False)
    try:
        with transaction.atomic():
            photo.save(force_insert=True)
    except IntegrityError:
        photo.original.delete(save=False)
        photo.display.delete(save=False)
        replay = photo_replay(type(photo)._default_manager.all(), of=of, photo_id=photo.pk, sha256=photo.sha256)
        if replay is None:
            raise Conflict("The photo could not be stored; send it again.", code="concurrent_update") from None
        return replay, False
    return photo, True


@dataclass(frozen=True)
class PhotoUpload:
    """An accepted upload, ready to store: the photo row's fields and its two files."""

    fields: dict[str, Any]  # sha256, content_type, size_bytes, width, height
    original: ContentFile[bytes]
    display: ContentFile[bytes]


def photo_prepare(data: bytes, *, sha256: str) -> PhotoUpload:
    """The upload judged by content and re-encoded without metadata (images.prepare_photo), within
    the pixel limit of the settings; a refusal is the API's 415 or 422 naming the `file` field."""
    try:
        prepared = prepare_photo(data, max_pixels=int(settings.MOBILE_PHOTO_MAX_PIXELS))
    except ImageRejected as exc:
        if exc.reason == "too_large":
            raise ImageTooLarge(exc.message, field="file") from exc
        raise UnsupportedImage(exc.message, field="file") from exc
    return PhotoUpload(
        fields={
            "sha256": sha256,
            "content_type": prepared.content_type,
            "size_bytes": len(data),
            "width": prepared.width,
            "height": prepared.height,
        },
        original=ContentFile(data, name=f"original.{prepared.extension}"),
        display=ContentFile(prepared.display_jpeg, name="display.jpg"),
    )


def incident_photo_add(
    *, guard: User, report_id: uuid.UUID, upload: UploadedFile, photo_id: uuid.UUID | None = None
) -> PhotoOutcome:
    """Attach a photo to the guard's own open report; idempotent on photo_id and on content.

    The original bytes are kept with their SHA-256 as evidence; clients see a re-encoded
    JPEG without metadata. The report's rules run again (a type that requires a photo
    stops being INCOMPLETE_REPORT for it) and the outcome carries its open flags. The
    thumbnail is made by a Celery task after commit. Decoding runs before the
    transaction so no row lock is held while Pillow works.
    """
    report = IncidentReport.objects.filter(pk=report_id, guard=guard).first()
    if report is None:
        raise NotFound("No such report.", code="report_not_found")
    data = photo_upload_read(upload)
    sha256 = hashlib.sha256(data).hexdigest()
    replay = photo_replay(IncidentPhoto.objects.all(), of={"report_id": report.pk}, photo_id=photo_id, sha256=sha256)
    if replay is not None:
        return PhotoOutcome(photo=replay, created=False, flags=_open_flags(report))
    if report.status not in PHOTO_EDITABLE:
        raise Conflict("Photos can be added only while the report is open.", code="report_not_editable")
    prepared = photo_prepare(data, sha256=sha256)
    return _photo_store(
        report=report,
        photo=IncidentPhoto(id=photo_id or uuid.uuid4(), report=report, **prepared.fields),
        original=prepared.original,
        display=prepared.display,
    )


@transaction.atomic
def _photo_store(
    *, report: IncidentReport, photo: IncidentPhoto, original: ContentFile[bytes], display: ContentFile[bytes]
) -> PhotoOutcome:
    from backend.incidents.tasks import incident_photo_make_thumbnail

    # Serialise with review transitions: no photo lands on a report being approved.
    # The rules below read the type and the site's company: loaded here, locked is the report only.
    locked = (
        IncidentReport.objects.select_for_update(of=("self",))
        .select_related("type", "shift__post__site__client__company")
        .get(pk=report.pk)
    )
    if locked.status not in PHOTO_EDITABLE:
        raise Conflict("Photos can be added only while the report is open.", code="report_not_editable")
    stored, created = photo_save(photo, of={"report_id": report.pk}, original=original, display=display)
    if not created:  # a concurrent retry stored it first; keep theirs
        return PhotoOutcome(photo=stored, created=False, flags=_open_flags(locked))
    # A photo is part of what the report holds (a type may require one): judge it again,
    # as filing and amending do, so "needs a photo" clears while the guard is still there.
    flags = incident_checks_apply(report=locked)
    photo_id = str(photo.pk)
    outbox_enqueue(task=incident_photo_make_thumbnail, args=[photo_id], dedup_key=f"photo-thumbnail:{photo_id}")
    return PhotoOutcome(photo=photo, created=True, flags=flags)


def incident_photo_thumbnail_make(*, photo_id: uuid.UUID) -> bool:
    """Make the photo's thumbnail from its display copy; a second run changes nothing."""
    photo = IncidentPhoto.objects.filter(pk=photo_id).first()
    return photo is not None and photo_thumbnail_store(photo)


def photo_thumbnail_store(photo: Any) -> bool:
    """Give a stored photo (a model with `display` and `thumbnail` image fields) its thumbnail,
    made from the clean display copy; one that has it already is left alone."""
    if photo.thumbnail:
        return False
    with photo.display.open("rb") as display:
        small = thumbnail_copy(display.read())
    photo.thumbnail.save("thumbnail.jpg", ContentFile(small), save=False)
    photo.save(update_fields=["thumbnail", "updated_at"])
    return True


def _stored_bytes(file: FieldFile) -> bytes:
    with file.open("rb") as stored:
        data: bytes = stored.read()
    return data


def incident_photo_copies_clean(*, photo_id: uuid.UUID) -> bool:
    """Re-make a photo's display copy and thumbnail from its original if either carries metadata.

    For photos stored before the copies were pixels only (a phone's JPEG comment with
    its GPS position survived). The original is not touched; the new copies are saved
    under new names before the row points at them and the old files are deleted, so
    the photo is never without a display copy. Returns whether anything was re-made;
    a second run finds nothing to do.
    """
    photo = IncidentPhoto.objects.filter(pk=photo_id).first()
    if photo is None:
        return False
    copies = [photo.display, *([photo.thumbnail] if photo.thumbnail else [])]
    if not any(jpeg_metadata_blocks(_stored_bytes(copy)) for copy in copies):
        return False
    # Raises ImageRejected if today's pixel cap is below what was accepted then: nothing changes.
    prepared = prepare_photo(_stored_bytes(photo.original), max_pixels=int(settings.MOBILE_PHOTO_MAX_PIXELS))
    old_names = [copy.name for copy in copies]
    photo.display.save("display.jpg", ContentFile(prepared.display_jpeg), save=False)
    photo.thumbnail.save("thumbnail.jpg", ContentFile(thumbnail_copy(prepared.display_jpeg)), save=False)
    photo.width, photo.height = prepared.width, prepared.height
    photo.save(update_fields=["display", "thumbnail", "width", "height", "updated_at"])
    for name in old_names:
        photo.display.storage.delete(name)
    return True

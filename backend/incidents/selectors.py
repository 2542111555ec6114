"""Reads over incident reports: a guard sees only their own, a company only its catalogue."""

from __future__ import annotations

import difflib
import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Final

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import GEOSGeometry, LineString
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import BooleanField, Case, Count, Exists, F, Func, OuterRef, Prefetch, Q, QuerySet, When
from django.db.models.fields.files import FieldFile
from django.db.models.functions import JSONObject

from backend.accounts.models import Company, Role, User
from backend.core.errors import NotFound, PermissionDenied
from backend.core.querysets import filter_given, keyset_after, keyset_decode, keyset_encode
from backend.flags.models import Flag, FlagStatus
from backend.incidents.models import (
    IncidentPhoto,
    IncidentReport,
    IncidentReviewAction,
    IncidentStatus,
    IncidentType,
    ReviewComment,
)
from backend.rules.findings import FlagCode
from backend.sites.models import RestrictedZone, Site, Unit
from backend.sites.scopes import Scope, scope_for
from backend.tracking.models import ActivityEntry, Ping

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
    return None if photo is None else photo_file_for(photo, user=user, variant=variant)


def photo_file_for(photo: Any, *, user: User, variant: str) -> PhotoFile | None:
    """Which stored file of a photo `user` (who may see the photo) gets for `variant`: the clean
    display copy or thumbnail (the display copy while the thumbnail is being made), or the
    original with its metadata for the company's managers and GuardOps staff only; else None.

    `photo` is any stored photo model: `original`, `display`, `thumbnail`, `sha256`, `content_type`.
    """
    if variant not in PHOTO_VARIANTS:
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


# --- The review queue (console /console/reports) -------------------------------------------

REVIEW_PAGE_SIZE = 50


@dataclass(frozen=True)
class ReviewQueueFilters:
    """What a manager narrows the queue by; every field optional (None: no filter)."""

    status: str | None = None
    has_open_flags: bool | None = None
    flag_code: str | None = None
    severity: str | None = None
    client_id: int | None = None
    site_id: int | None = None
    guard_id: int | None = None
    type_id: int | None = None
    occurred_from: datetime | None = None
    occurred_before: datetime | None = None
    text: str | None = None


@dataclass(frozen=True)
class ReviewCursor:
    """Where a page of the queue starts: the last row of the previous page (keyset, no OFFSET)."""

    received_at: datetime
    report_id: uuid.UUID

    def encode(self) -> str:
        return keyset_encode(self.received_at, self.report_id)

    @classmethod
    def decode(cls, text: str) -> ReviewCursor | None:
        """None for anything that is not a cursor this queue wrote (the queue then starts over)."""
        row = keyset_decode(text)
        return None if row is None else cls(received_at=row[0], report_id=row[1])


@dataclass(frozen=True)
class ReviewPage:
    reports: list[IncidentReport]
    next_cursor: ReviewCursor | None


def _open_flags_of(**conditions: Any) -> Exists:
    return Exists(Flag.objects.filter(incident=OuterRef("pk"), status=FlagStatus.OPEN, **conditions))


class _AnyOf(Func):
    """`value = ANY(array)` as a filter."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


def incident_review_queue(
    *, scope: Scope, filters: ReviewQueueFilters, after: ReviewCursor | None = None, page_size: int = REVIEW_PAGE_SIZE
) -> ReviewPage:
    """One page of the reports the viewer reviews, newest received first, by keyset.

    Two queries whatever the page: the rows (one more than a page, to know whether another
    follows) and their open flags. Ordered by (received_at, id) so a page is an index range.
    """
    scope.require_operations("the review queue")
    # The page's ids first, from the narrow columns the indexes hold; the wide rows (and their
    # joined type, guard, unit, site) are read only for those: a filter that matches a few rows
    # of a long history (one site, one flag code) never reads the history's full rows.
    page_ids: QuerySet[Any, Any]
    if filters.flag_code and filters.site_id is not None:
        page_ids = _page_ids_by_flag(scope=scope, filters=filters, after=after, limit=page_size + 1)
    else:
        reports = _review_queue_filtered(scope=scope, filters=filters)
        if after is not None:
            reports = reports.filter(_keyset_after(after, received_at="received_at", report_id="id"))
        page_ids = reports.order_by("-received_at", "-id").values("pk")[: page_size + 1]
    # Each row's open flags come in the same query (an array per row), so an empty page costs
    # the same queries as a full one.
    open_flags = (
        Flag.objects.filter(incident=OuterRef("pk"), status=FlagStatus.OPEN)
        .order_by("raised_at", "code")
        .values(row=JSONObject(id="id", code="code", severity="severity", message="message"))
    )
    rows = list(
        # id = ANY(ARRAY(subquery)): the ids are computed once, then read by primary key (an IN
        # subquery lets the planner hash-join it against the whole table).
        IncidentReport.objects.filter(_AnyOf(F("pk"), ArraySubquery(page_ids)))
        .select_related("type", "guard", "unit", "shift__post__site__client")
        .defer("shift__post__site__geofence")
        .annotate(open_flag_rows=ArraySubquery(open_flags))
        .order_by("-received_at", "-id")
    )
    for row in rows:
        row.open_flags = [Flag(incident_id=row.pk, **flag) for flag in row.open_flag_rows]
    more = len(rows) > page_size
    rows = rows[:page_size]
    next_cursor = ReviewCursor(received_at=rows[-1].received_at, report_id=rows[-1].pk) if more else None
    return ReviewPage(reports=rows, next_cursor=next_cursor)


def _keyset_after(after: ReviewCursor, *, received_at: str, report_id: str) -> Q:
    return keyset_after(moment_field=received_at, key_field=report_id, moment=after.received_at, key=after.report_id)


def _page_ids_by_flag(
    *, scope: Scope, filters: ReviewQueueFilters, after: ReviewCursor | None, limit: int
) -> QuerySet[Flag, dict[str, Any]]:
    """The page's report ids for one site and one flag code, read from the flags' side.

    flag_open_code_site_idx holds the open flags of a code on a site in the queue's order (the
    report's received_at, id, copied onto the flag): the page is one range of it, each row's
    report checked by primary key against the filters on its own columns. The viewer's scope
    is the site's (one row, checked once), not a join per row up to the company: with that
    join the planner expected few rows to survive and sorted every flag of the pair instead
    (600 ms for 18,000); from the reports' side it walks the site's whole history when the
    pair is rare or absent (1.5 s for an empty page at 1M reports).
    DISTINCT ON: a report with two open flags of the code (two keys) is one row.
    """
    site = filter_given(Site.objects.for_scope(scope), pk=filters.site_id, client_id=filters.client_id)
    reports = _review_queue_narrowed(
        IncidentReport.objects.filter(pk=OuterRef("incident_id"), archived_at__isnull=True),
        replace(filters, flag_code=None, severity=None, site_id=None, client_id=None),
    )
    flags = Flag.objects.filter(
        status=FlagStatus.OPEN, code=filters.flag_code, incident_site__in=site.values("pk"), incident__isnull=False
    )
    if filters.severity:
        flags = flags.filter(severity=filters.severity)
    if after is not None:
        flags = flags.filter(_keyset_after(after, received_at="incident_received_at", report_id="incident_id"))
    return (
        flags.filter(Exists(reports))
        .order_by("-incident_received_at", "-incident_id")
        .distinct("incident_received_at", "incident_id")
        .values("incident_id")[:limit]
    )


def _review_queue_filtered(*, scope: Scope, filters: ReviewQueueFilters) -> QuerySet[IncidentReport]:
    reports = incident_reports_visible(scope=scope, site_id=filters.site_id)
    return _review_queue_narrowed(reports, filters)


def _review_queue_narrowed(reports: QuerySet[IncidentReport], filters: ReviewQueueFilters) -> QuerySet[IncidentReport]:
    """`reports` narrowed by every filter but the site."""
    # Each given filter narrows (None: any); the flag conditions and the text search are not plain lookups.
    reports = filter_given(
        reports,
        status=filters.status,
        shift__post__site__client_id=filters.client_id,
        guard_id=filters.guard_id,
        type_id=filters.type_id,
        occurred_at__gte=filters.occurred_from,
        occurred_at__lt=filters.occurred_before,
    )
    if filters.has_open_flags is not None:
        reports = reports.filter(_open_flags_of()) if filters.has_open_flags else reports.filter(~_open_flags_of())
    if filters.flag_code or filters.severity:
        conditions: dict[str, Any] = {}
        if filters.flag_code:
            conditions["code"] = filters.flag_code
        if filters.severity:
            conditions["severity"] = filters.severity
        reports = reports.filter(_open_flags_of(**conditions))
    if filters.text:
        reports = reports.filter(narrative__icontains=filters.text)
    return reports


@dataclass(frozen=True)
class ReviewTabCounts:
    needs_review: int
    returned: int
    approved_today: int


def incident_review_tab_counts(*, scope: Scope, today_starts_at: datetime) -> ReviewTabCounts:
    """'Needs review 23 · Returned 4 · Approved today 61' on the viewer's sites: one query.

    Three scalar counts in one SELECT, each with a plain AND condition that is a range of an
    index whichever side the planner starts from (incident_review_status_idx or
    incident_shift_status_idx by status; incident_approved_at_idx or incident_shift_approved_idx
    by approval time: only approved reports have an approved_at). One count with an OR over
    all three let the planner read the company's whole history (1.7 s at 1M reports).
    """
    scope.require_operations("the review queue")
    reports = IncidentReport.objects.for_scope(scope).filter(archived_at__isnull=True).order_by()
    counted = (
        reports.filter(status=IncidentStatus.SUBMITTED),
        reports.filter(status=IncidentStatus.RETURNED),
        reports.filter(approved_at__gte=today_starts_at),
    )
    parts, params = [], []
    for queryset in counted:
        sql, part_params = queryset.annotate(n=Func(F("pk"), function="COUNT")).values("n").query.sql_with_params()
        parts.append(f"({sql})")
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        needs_review, returned, approved_today = cursor.fetchone()
    return ReviewTabCounts(needs_review=needs_review, returned=returned, approved_today=approved_today)


# --- One report, as a reviewer reads it ----------------------------------------------------

# The fields an amendment or a reviewer's edit can change, as the revision history shows them.
DIFF_FIELDS: Final = (
    ("type", "Type"),
    ("occurred_at", "Occurred at"),
    ("unit_id", "Unit"),
    ("location_detail", "Where on site"),
    ("address", "Address"),
    ("narrative", "Narrative"),
    ("persons", "Persons involved"),
    ("emergency", "Emergency section"),
    ("position", "GPS position"),
)


@dataclass(frozen=True)
class FieldChange:
    label: str
    removed: list[str]
    added: list[str]


@dataclass(frozen=True)
class RevisionChange:
    """What changed from one version to the next, and who changed it (a reviewer, or the guard)."""

    from_version: int
    to_version: int
    changed_by: User | None
    note: str
    at: datetime
    changes: list[FieldChange]


def _diffable(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    position = snapshot.get("position")
    values = {key: snapshot.get(key) for key, _ in DIFF_FIELDS}
    values["position"] = None if not position else {"lat": position.get("lat"), "lon": position.get("lon")}
    return values


def _current_snapshot(report: IncidentReport) -> dict[str, Any]:
    return {
        "type": report.type.code,
        "occurred_at": report.occurred_at.isoformat(),
        "unit_id": report.unit_id,
        "location_detail": report.location_detail,
        "address": report.address,
        "narrative": report.narrative,
        "persons": report.persons,
        "emergency": report.emergency,
        "position": None if report.location is None else {"lat": report.location.y, "lon": report.location.x},
    }


def _text_lines(value: Any, unit_labels: Mapping[int, str]) -> list[str]:
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, int) and not isinstance(value, bool):
        return [unit_labels.get(value, f"Unit #{value}")]
    if isinstance(value, str):
        return value.splitlines() or [value]
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False).splitlines()


def _field_changes(old: Mapping[str, Any], new: Mapping[str, Any], unit_labels: Mapping[int, str]) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for key, label in DIFF_FIELDS:
        before, after = _diffable(old)[key], _diffable(new)[key]
        if before == after:
            continue
        if key == "unit_id":
            before_lines, after_lines = _text_lines(before, unit_labels), _text_lines(after, unit_labels)
        else:
            before_lines, after_lines = _text_lines(before, {}), _text_lines(after, {})
        diff = list(difflib.ndiff(before_lines, after_lines))
        changes.append(
            FieldChange(
                label=label,
                removed=[line[2:] for line in diff if line.startswith("- ")],
                added=[line[2:] for line in diff if line.startswith("+ ")],
            )
        )
    return changes


def incident_revision_changes(*, report: IncidentReport) -> list[RevisionChange]:
    """Every amendment and reviewer's edit of `report`, oldest first, as a diff per field (two queries)."""
    revisions = list(report.revisions.select_related("changed_by").order_by("version"))
    unit_ids = {value for revision in revisions if isinstance(value := revision.snapshot.get("unit_id"), int)}
    if report.unit_id is not None:
        unit_ids.add(report.unit_id)
    unit_labels = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "label")) if unit_ids else {}
    snapshots = [revision.snapshot for revision in revisions] + [_current_snapshot(report)]
    return [
        RevisionChange(
            from_version=revision.version,
            to_version=revision.version + 1,
            changed_by=revision.changed_by,
            note=revision.note,
            at=revision.created_at,
            changes=_field_changes(snapshots[index], snapshots[index + 1], unit_labels),
        )
        for index, revision in enumerate(revisions)
    ]


BREADCRUMB_WINDOW: Final = timedelta(minutes=30)


def _feature(geometry: GEOSGeometry, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": json.loads(geometry.geojson), "properties": properties}


def incident_review_map(*, report: IncidentReport) -> dict[str, Any]:
    """The report's map as GeoJSON: fence, restricted zones, the fix with its accuracy circle,
    the chosen and the nearest unit, and the guard's breadcrumbs 30 minutes either side."""
    site = Site.objects.only("geofence", "name").get(pk=report.shift.post.site_id)
    features = [_feature(site.geofence, status="info", label=f"{site.name}: fence", kind="fence")]
    for zone in RestrictedZone.objects.filter(site_id=site.pk).only("area", "name").order_by("name"):
        features.append(_feature(zone.area, status="critical", label=f"Restricted: {zone.name}", kind="zone"))
    window = (report.occurred_at - BREADCRUMB_WINDOW, report.occurred_at + BREADCRUMB_WINDOW)
    crumbs = list(
        Ping.objects.filter(shift_id=report.shift_id, recorded_at__range=window, location__isnull=False)
        .order_by("recorded_at")
        .values_list("location", flat=True)
    )
    if len(crumbs) >= 2:
        features.append(
            _feature(LineString(list(crumbs), srid=4326), status="muted", label="Breadcrumbs", kind="track")
        )
    for crumb in crumbs:
        features.append(_feature(crumb, status="muted", kind="breadcrumb"))
    if report.unit_id is not None and report.unit is not None:
        features.append(
            _feature(report.unit.location, status="ok", label=f"Chosen unit: {report.unit.label}", kind="unit")
        )
    if report.location is not None:
        nearest = (
            Unit.objects.filter(site_id=site.pk)
            .annotate(distance=Distance("location", report.location))
            .order_by("distance")
            .first()
        )
        if nearest is not None and nearest.pk != report.unit_id:
            label = f"Nearest unit: {nearest.label} ({nearest.distance.m:.0f} m)"
            features.append(_feature(nearest.location, status="attention", label=label, kind="nearest_unit"))
        accuracy = report.accuracy_m or 0
        features.append(
            _feature(
                report.location,
                status="critical" if report.fence == "outside" else "attention",
                label=f"Report position (±{accuracy:.0f} m)",
                radius_m=accuracy or None,
                kind="accuracy",
            )
        )
        features.append(_feature(report.location, status="critical", label="Report position", kind="position"))
    return {"type": "FeatureCollection", "features": features}


def incident_review_flags(*, report: IncidentReport) -> list[Flag]:
    """Every flag of the report, open first, with who dismissed or resolved it (one query)."""
    return list(
        Flag.objects.filter(incident=report)
        .select_related("dismissed_by", "resolved_by")
        .order_by(
            Case(When(status=FlagStatus.OPEN, then=0), default=1),
            "-severity",
            "raised_at",
        )
    )


def incident_review_actions(*, report: IncidentReport) -> list[IncidentReviewAction]:
    return list(report.review_actions.select_related("by").order_by("at"))


@dataclass(frozen=True)
class RuleHealth:
    code: str
    raised: int
    dismissed: int
    open: int
    dismissals: dict[str, int]

    @property
    def false_positive_rate(self) -> float | None:
        return None if self.raised == 0 else self.dismissed / self.raised


def flag_rule_health(*, scope: Scope) -> list[RuleHealth]:
    """Per rule: flags raised, open, dismissed as false positives (by reason) on the viewer's sites."""
    scope.require_operations("rule health")
    raised = (
        Flag.objects.for_scope(scope)
        .values("code")
        .annotate(
            raised=Count("pk"),
            dismissed=Count("pk", filter=Q(status=FlagStatus.DISMISSED)),
            open=Count("pk", filter=Q(status=FlagStatus.OPEN)),
        )
        .order_by("code")
    )
    reasons: dict[str, dict[str, int]] = {}
    for row in (
        Flag.objects.for_scope(scope)
        .filter(status=FlagStatus.DISMISSED)
        .values("code", "dismissal_reason")
        .annotate(count=Count("pk"))
        .order_by("code", "dismissal_reason")
    ):
        reasons.setdefault(row["code"], {})[row["dismissal_reason"]] = row["count"]
    return [
        RuleHealth(
            code=row["code"],
            raised=row["raised"],
            dismissed=row["dismissed"],
            open=row["open"],
            dismissals=reasons.get(row["code"], {}),
        )
        for row in raised
    ]

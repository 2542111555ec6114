"""Incident reports: typed per company, filed from a shift, reviewed, amended in versions."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.core.models import TenantModel, paths_through_site
from backend.rules.findings import Severity
from backend.tracking.models import DevicePositionMixin


class ReportField(models.TextChoices):
    """Fields an incident type can require beyond the always-required ones."""

    POSITION = "position", "GPS position"
    UNIT = "unit_id", "Unit"
    LOCATION_DETAIL = "location_detail", "Where on site"
    ADDRESS = "address", "Address"
    PERSONS = "persons", "Persons involved"
    EMERGENCY = "emergency", "Emergency section"
    PHOTOS = "photos", "Photos"


class IncidentType(TenantModel):
    """One kind of incident in a company's catalogue, and what a report of it must contain."""

    TENANT_PATH: ClassVar[str] = "company"

    company = models.ForeignKey("accounts.Company", on_delete=models.CASCADE, related_name="incident_types")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=80)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.WARNING)
    required_fields = models.JSONField(default=list, blank=True, help_text="Codes from ReportField.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("name",)
        constraints = [models.UniqueConstraint(fields=("company", "code"), name="incident_type_code_unique")]

    def __str__(self) -> str:
        return self.name


# Review states: submitted -> approved (final) | returned -> (the guard amends) submitted.
# (A comment, not a docstring: the mobile API's OpenAPI document would carry a docstring.)
class IncidentStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for correction"
    APPROVED = "approved", "Approved"


class IncidentReport(DevicePositionMixin, TenantModel):
    """A guard's report of an incident. The phone's UUID is the key (idempotent filing).

    `payload_sha256` is the hash of the canonical body of the current version: a replay
    of the same body returns the stored report, a different body under the same id is
    a conflict. Every amendment keeps the previous version in IncidentRevision.
    """

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("shift__post__site")

    id = models.UUIDField(primary_key=True)
    shift = models.ForeignKey("staffing.Shift", on_delete=models.PROTECT, related_name="incidents")
    guard = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="incidents")
    type = models.ForeignKey(IncidentType, on_delete=models.PROTECT, related_name="reports")
    occurred_at = models.DateTimeField()
    unit = models.ForeignKey("sites.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="incidents")
    location_detail = models.CharField(max_length=500, blank=True)
    address = models.CharField(max_length=500, blank=True)
    narrative = models.TextField()
    persons = models.JSONField(default=list, blank=True)
    emergency = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.SUBMITTED)
    version = models.PositiveIntegerField(default=1)
    payload_sha256 = models.CharField(max_length=64)
    # Evidence is never deleted; GuardOps staff archive a report to take it out of the
    # working lists, and the row (with who archived it, and when) stays.
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Written only by the review transitions (incidents/services.py), never by a form.
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )

    class Meta:
        ordering = ("-occurred_at",)
        indexes = [
            models.Index(fields=("guard", "occurred_at"), name="incident_guard_time_idx"),
            # The review queue's keyset order: a page is one range scan of this index.
            models.Index(fields=("-received_at", "-id"), name="incident_review_queue_idx"),
            models.Index(fields=("status", "-received_at", "-id"), name="incident_review_status_idx"),
            # "Approved today" on the queue's tabs.
            models.Index(
                fields=("approved_at",), condition=Q(approved_at__isnull=False), name="incident_approved_at_idx"
            ),
            # The tab counts reach the company through the shifts: per shift, only the rows
            # waiting for review (or approved since a moment) are read, never the whole history.
            models.Index(
                fields=("shift", "status"), condition=Q(archived_at__isnull=True), name="incident_shift_status_idx"
            ),
            models.Index(
                fields=("shift", "approved_at"),
                condition=Q(archived_at__isnull=True, approved_at__isnull=False),
                name="incident_shift_approved_idx",
            ),
            # One site's queue (the site is reached through its shifts), newest first.
            models.Index(
                fields=("shift", "-received_at", "-id"),
                condition=Q(archived_at__isnull=True),
                name="incident_shift_queue_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="incident_version_positive"),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in IncidentStatus]), name="incident_status_known"
            ),
            # Approved exactly when someone approved it at a time: no approval without who and when.
            models.CheckConstraint(
                condition=Q(status=IncidentStatus.APPROVED, approved_at__isnull=False, approved_by__isnull=False)
                | (~Q(status=IncidentStatus.APPROVED) & Q(approved_at__isnull=True, approved_by__isnull=True)),
                name="incident_approved_has_approver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} at {self.occurred_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class IncidentRevision(TenantModel):
    """A superseded version of a report, exactly as it stood (amendments keep history)."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("report__shift__post__site")

    report = models.ForeignKey(IncidentReport, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    # Who replaced this version with the next: a reviewer's typo-level edit names them; empty
    # when the guard amended the report themselves.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    note = models.TextField(blank=True, editable=False, help_text="Why a reviewer changed the report.")

    class Meta:
        ordering = ("report", "version")
        constraints = [models.UniqueConstraint(fields=("report", "version"), name="incident_revision_unique")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version}"


class ReviewComment(TenantModel):
    """A reviewer's comment on a report, shown to the guard (e.g. why it was returned)."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("report__shift__post__site")

    report = models.ForeignKey(IncidentReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"


class ReviewAction(models.TextChoices):
    APPROVE = "approve", "Approved"
    RETURN = "return", "Returned for correction"


class IncidentReviewAction(TenantModel):
    """One reviewer's decision on one version of a report: who, when, why, from which state to which.

    Append-only: the report's status says where it stands, these rows how it got there.
    """

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("report__shift__post__site")

    report = models.ForeignKey(IncidentReport, on_delete=models.CASCADE, related_name="review_actions")
    action = models.CharField(max_length=10, choices=ReviewAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)
    from_status = models.CharField(max_length=12, choices=IncidentStatus.choices)
    to_status = models.CharField(max_length=12, choices=IncidentStatus.choices)
    report_version = models.PositiveIntegerField(help_text="The version of the report the decision was about.")
    open_critical_flags = models.JSONField(
        default=list,
        blank=True,
        help_text="Critical flags still open when it was approved anyway (id and code), with the note saying why.",
    )

    class Meta:
        ordering = ("report", "at")
        constraints = [
            models.CheckConstraint(
                condition=Q(action=ReviewAction.APPROVE, to_status=IncidentStatus.APPROVED)
                | Q(action=ReviewAction.RETURN, to_status=IncidentStatus.RETURNED),
                name="incident_review_action_target",
            ),
            # The guard must be told what to correct; approving over critical flags needs a reason.
            models.CheckConstraint(
                condition=~Q(action=ReviewAction.RETURN) | ~Q(note=""), name="incident_review_return_has_note"
            ),
            models.CheckConstraint(
                condition=Q(open_critical_flags=[]) | ~Q(note=""), name="incident_review_override_has_note"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} v{self.report_version} of {self.report_id} by {self.by}"


def _photo_path(photo: StoredPhoto, filename: str) -> str:
    return f"{photo.storage_folder()}/{filename}"


class StoredPhoto(TenantModel):
    """A photo a phone sent: the original kept for evidence, a clean copy for screens and clients.

    The original's SHA-256 proves it was not altered; the display copy is re-encoded with
    no metadata at all (EXIF with GPS and device serials, XMP, IPTC, ICC, comments) and
    orientation applied; the thumbnail is made from it after commit. A concrete photo adds
    its UUID `id` (the phone's idempotency key), its parent and `storage_folder`.
    """

    original = models.FileField(upload_to=_photo_path)
    display = models.ImageField(upload_to=_photo_path, width_field="width", height_field="height")
    thumbnail = models.ImageField(upload_to=_photo_path, blank=True)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40)
    size_bytes = models.PositiveIntegerField()
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def storage_folder(self) -> str:
        """Where this photo's files are kept under MEDIA_ROOT."""
        raise NotImplementedError


class IncidentPhoto(StoredPhoto):
    """A photo attached to a report (see StoredPhoto)."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("report__shift__post__site")

    id = models.UUIDField(primary_key=True)
    report = models.ForeignKey(IncidentReport, on_delete=models.CASCADE, related_name="photos")

    class Meta:
        ordering = ("created_at",)
        constraints = [models.UniqueConstraint(fields=("report", "sha256"), name="incident_photo_once_per_report")]

    def __str__(self) -> str:
        return f"Photo {self.sha256[:12]} of {self.report_id}"

    def storage_folder(self) -> str:
        return f"incidents/{self.report_id}/{self.pk}"

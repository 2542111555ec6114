"""Incident reports: typed per company, filed from a shift, reviewed, amended in versions."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.core.models import TenantModel
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

    TENANT_PATH: ClassVar[str] = "shift__post__site__client__company"

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

    class Meta:
        ordering = ("-occurred_at",)
        indexes = [models.Index(fields=("guard", "occurred_at"), name="incident_guard_time_idx")]
        constraints = [models.CheckConstraint(condition=Q(version__gte=1), name="incident_version_positive")]

    def __str__(self) -> str:
        return f"{self.type} at {self.occurred_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class IncidentRevision(TenantModel):
    """A superseded version of a report, exactly as it stood (amendments keep history)."""

    TENANT_PATH: ClassVar[str] = "report__shift__post__site__client__company"

    report = models.ForeignKey(IncidentReport, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()

    class Meta:
        ordering = ("report", "version")
        constraints = [models.UniqueConstraint(fields=("report", "version"), name="incident_revision_unique")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version}"


class ReviewComment(TenantModel):
    """A reviewer's comment on a report, shown to the guard (e.g. why it was returned)."""

    TENANT_PATH: ClassVar[str] = "report__shift__post__site__client__company"

    report = models.ForeignKey(IncidentReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()

    class Meta:
        ordering = ("created_at",)

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"


def _photo_path(photo: IncidentPhoto, filename: str) -> str:
    return f"incidents/{photo.report_id}/{photo.pk}/{filename}"


class IncidentPhoto(TenantModel):
    """A photo attached to a report: original kept for evidence, a clean copy for clients.

    The original's SHA-256 proves it was not altered; the display copy is re-encoded with
    no metadata at all (EXIF with GPS and device serials, XMP, IPTC, ICC, comments) and
    orientation applied.
    """

    TENANT_PATH: ClassVar[str] = "report__shift__post__site__client__company"

    id = models.UUIDField(primary_key=True)
    report = models.ForeignKey(IncidentReport, on_delete=models.CASCADE, related_name="photos")
    original = models.FileField(upload_to=_photo_path)
    display = models.ImageField(upload_to=_photo_path, width_field="width", height_field="height")
    thumbnail = models.ImageField(upload_to=_photo_path, blank=True)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40)
    size_bytes = models.PositiveIntegerField()
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("created_at",)
        constraints = [models.UniqueConstraint(fields=("report", "sha256"), name="incident_photo_once_per_report")]

    def __str__(self) -> str:
        return f"Photo {self.sha256[:12]} of {self.report_id}"

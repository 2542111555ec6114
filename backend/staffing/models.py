"""Posts (duty positions), their versioned post orders, and shifts."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.gis.db import models as gis_models
from django.db import models
from django.db.models import F, Q

from backend.core.localtime import DATE_TIME, local_time
from backend.core.models import TenantModel, paths_through_site
from backend.sites.models import WGS84


class OutsideFenceClockIn(models.TextChoices):
    FLAG = "flag", "Accept and flag"
    REFUSE = "refuse", "Refuse"


class Post(TenantModel):
    """A duty position at a site (front desk, patrol, gate), with its post orders."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("site")

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="posts")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    outside_fence_clock_in = models.CharField(
        max_length=10,
        choices=OutsideFenceClockIn.choices,
        default=OutsideFenceClockIn.FLAG,
        help_text="What happens when a guard clocks in outside the site's geofence.",
    )
    must_be_staffed = models.BooleanField(
        default=False, help_text="A no-show here is critical: managers on call are alerted at once."
    )
    tour_interval_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Tour schedule: every active checkpoint of the site is scanned once per this many minutes.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("site", "name")
        constraints = [models.UniqueConstraint(fields=("site", "name"), name="post_name_unique_per_site")]

    def __str__(self) -> str:
        return f"{self.site} / {self.name}"


class PostOrder(TenantModel):
    """One version of a post's standing orders; versions are never edited, only superseded."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("post__site")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_orders")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("post", "-version")
        constraints = [
            models.UniqueConstraint(fields=("post", "version"), name="post_order_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="post_order_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.post} — v{self.version}: {self.title}"


class PostOrderAcknowledgement(TenantModel):
    """A guard's statement that they read one version of a post's orders."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("post_order__post__site")

    post_order = models.ForeignKey(PostOrder, on_delete=models.CASCADE, related_name="acknowledgements")
    guard = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_order_acknowledgements"
    )
    acknowledged_at = models.DateTimeField()

    class Meta:
        ordering = ("-acknowledged_at",)
        constraints = [models.UniqueConstraint(fields=("post_order", "guard"), name="post_order_ack_once_per_guard")]

    def __str__(self) -> str:
        return f"{self.guard} read {self.post_order}"


# scheduled -> in_progress (clock-in) -> completed (clock-out); scheduled -> missed | cancelled.
# (A comment, not a docstring: the mobile API's OpenAPI document would carry a docstring.)
class ShiftStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    MISSED = "missed", "Missed (no-show)"
    CANCELLED = "cancelled", "Cancelled"


class Shift(TenantModel):
    """A guard at a post for a scheduled window, with the actual clock-in/out.

    Times are aware UTC datetimes; the site's time zone is applied only when shown.
    Clock positions are kept as evidence for attendance and billing disputes.
    """

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("post__site")

    guard = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shifts")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="shifts")
    scheduled_start = models.DateTimeField()
    scheduled_end = models.DateTimeField()
    status = models.CharField(max_length=16, choices=ShiftStatus.choices, default=ShiftStatus.SCHEDULED)

    clock_in_at = models.DateTimeField(null=True, blank=True)
    clock_in_location = gis_models.PointField(geography=True, srid=WGS84, null=True, blank=True)
    clock_in_accuracy_m = models.FloatField(null=True, blank=True)
    clock_out_at = models.DateTimeField(null=True, blank=True)
    clock_out_location = gis_models.PointField(geography=True, srid=WGS84, null=True, blank=True)
    clock_out_accuracy_m = models.FloatField(null=True, blank=True)
    # What the phone says (clock_in_at/clock_out_at) beside what the evidence supports:
    # a clock event sent long after its time is a claim until breadcrumbs or scans
    # recorded then confirm it. Attendance rules and billing read both.
    clock_in_verified_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The clock-in time the evidence supports: clock_in_at when the server received it promptly or "
        "breadcrumbs/scans recorded then confirm it, else when the server received it. Empty when a manager set "
        "the clock-in (clock_in_at stands).",
    )
    clock_out_verified_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The clock-out time the evidence supports: clock_out_at when the server received it promptly or "
        "breadcrumbs/scans recorded then confirm it, else the last on-site breadcrumb before it (never before the "
        "supported clock-in). Empty when a manager set the clock-out (clock_out_at stands).",
    )
    notes = models.TextField(blank=True)
    marked_missed_at = models.DateTimeField(null=True, blank=True)
    marked_missed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who marked the shift a no-show; empty when the monitoring pass did after it ended.",
    )
    marked_missed_note = models.TextField(blank=True)

    class Meta:
        ordering = ("scheduled_start",)
        indexes = [
            models.Index(fields=("guard", "scheduled_start"), name="shift_guard_start_idx"),
            models.Index(fields=("status", "scheduled_start"), name="shift_status_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(scheduled_end__gt=F("scheduled_start")), name="shift_ends_after_start"),
            models.CheckConstraint(
                condition=Q(clock_out_at__isnull=True)
                | Q(clock_in_at__isnull=False, clock_out_at__gte=F("clock_in_at")),
                name="shift_clock_out_after_clock_in",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["in_progress", "completed"]) | Q(clock_in_at__isnull=False),
                name="shift_started_has_clock_in",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(clock_out_at__isnull=False),
                name="shift_completed_has_clock_out",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in ShiftStatus]), name="shift_status_known"
            ),
            # A no-show has no clock-in, and says when it was marked (and by whom, unless the pass did).
            models.CheckConstraint(
                condition=Q(status=ShiftStatus.MISSED, clock_in_at__isnull=True, marked_missed_at__isnull=False)
                | (
                    ~Q(status=ShiftStatus.MISSED)
                    & Q(marked_missed_at__isnull=True, marked_missed_by__isnull=True, marked_missed_note="")
                ),
                name="shift_missed_is_marked",
                violation_error_message="A missed shift has no clock-in and says when it was marked missed "
                "(and nothing else does).",
            ),
        ]

    def __str__(self) -> str:
        # Read by people (admin lists, pickers): on the site's clock, which `post` already loads.
        start = local_time(self.scheduled_start, self.post.site.timezone, DATE_TIME)
        return f"{self.guard} at {self.post} from {start}"


# --- Post requirements: the qualifications a post needs and the ones a guard holds --------


class Qualification(TenantModel):
    """One licence or training in a company's catalogue (state guard licence, CPR, site induction...)."""

    TENANT_PATH: ClassVar[str] = "company"

    company = models.ForeignKey("accounts.Company", on_delete=models.CASCADE, related_name="qualifications")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    is_induction = models.BooleanField(
        default=False, help_text="Given at the site: a guard who owes it is told so at clock-in."
    )
    # A qualification posts required or guards held stays, for the record: it is retired, never deleted.
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("company", "name")
        constraints = [
            models.UniqueConstraint(fields=("company", "code"), name="qualification_code_unique"),
            models.CheckConstraint(
                condition=Q(retired_at__isnull=True, retired_by__isnull=True) | Q(retired_at__isnull=False),
                name="qualification_retired_by_only_when_retired",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PostRequirement(TenantModel):
    """A qualification every guard on this post must hold for the whole shift."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("post__site")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="requirements")
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="requirements")

    class Meta:
        ordering = ("post", "qualification__name")
        constraints = [models.UniqueConstraint(fields=("post", "qualification"), name="post_requirement_once_per_post")]

    def __str__(self) -> str:
        return f"{self.post} needs {self.qualification}"


class RequirementChange(models.TextChoices):
    ADDED = "added", "Added"
    REMOVED = "removed", "Removed"


class PostRequirementChange(TenantModel):
    """Who added or removed a post's required qualification, and when (append-only)."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("post__site")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="requirement_changes")
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="+")
    change = models.CharField(max_length=10, choices=RequirementChange.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(change__in=[choice.value for choice in RequirementChange]),
                name="post_requirement_change_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.qualification} {self.change} at {self.post} by {self.by}"


def _certificate_path(held: GuardQualification, filename: str) -> str:
    return f"qualifications/{held.guard_id}/{held.qualification_id}/{filename}"


class GuardQualification(TenantModel):
    """A guard holds a qualification from `issued_on` until `expires_on` (inclusive; empty: no expiry)."""

    TENANT_PATH: ClassVar[str] = "qualification__company"

    guard = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qualifications")
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="holders")
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    # The re-encoded pixels only (backend/incidents/images.py), never the uploaded bytes.
    certificate = models.ImageField(upload_to=_certificate_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A correction is a new record that supersedes this one; the superseded one is kept, unread by the checks.
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    note = models.TextField(blank=True, help_text="Why a correction was made.")

    class Meta:
        ordering = ("guard", "qualification__name", "-issued_on")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("issued_on")),
                name="guard_qualification_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(note=""), name="guard_qualification_correction_has_note"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guard}: {self.qualification}"


class QualificationOverride(TenantModel):
    """A manager scheduled a guard who lacked a required qualification, and said why."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("shift__post__site")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="qualification_overrides")
    qualification = models.ForeignKey(Qualification, on_delete=models.PROTECT, related_name="+")
    overridden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.shift_id}: {self.qualification} overridden by {self.overridden_by}"


class NoticeKind(models.TextChoices):
    SHIFT_ASSIGNED = "shift_assigned", "Shift assigned"
    REPORT_RETURNED = "report_returned", "Report returned for correction"


class GuardNotice(TenantModel):
    """Something a guard is told on their phone's next sync (GET /notices), and by e-mail when they have one."""

    TENANT_PATH: ClassVar[str] = "guard__company"

    guard = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    message = models.TextField()
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Incident reports live in a layer above staffing: a plain id keeps the import arrow one-way.
    incident_report_id = models.UUIDField(null=True, blank=True, help_text="The report a notice is about.")
    email_address = models.CharField(max_length=254, blank=True, help_text="Where it was e-mailed; empty: not.")
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.TextField(blank=True)

    class Meta:
        ordering = ("guard", "pk")
        indexes = [models.Index(fields=("guard", "id"), name="guard_notice_feed_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in NoticeKind]), name="guard_notice_kind_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.guard}: {self.message[:60]}"

"""Flags: a validation rule's finding on a report or a shift, with evidence."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.core.models import TenantModel


class FlagCode(models.TextChoices):
    # Reports
    LOCATION_MISSING = "LOCATION_MISSING", "Location missing"
    LOW_ACCURACY = "LOW_ACCURACY", "GPS accuracy too low"
    OUTSIDE_GEOFENCE = "OUTSIDE_GEOFENCE", "Outside the site's geofence"
    MOCK_LOCATION = "MOCK_LOCATION", "Mock (spoofed) location"
    IMPOSSIBLE_TRAVEL = "IMPOSSIBLE_TRAVEL", "Impossible travel"
    UNIT_UNKNOWN = "UNIT_UNKNOWN", "Unit not in the site's address registry"
    UNIT_LOCATION_MISMATCH = "UNIT_LOCATION_MISMATCH", "Unit far from where the guard stood"
    INCOMPLETE_REPORT = "INCOMPLETE_REPORT", "Incomplete report"
    EMERGENCY_NOT_REPORTED = "EMERGENCY_NOT_REPORTED", "Emergency not reported"
    EMERGENCY_DETAILS_MISSING = "EMERGENCY_DETAILS_MISSING", "Emergency details missing"
    OUTSIDE_SHIFT = "OUTSIDE_SHIFT", "Outside the shift window"
    CLOCK_SKEW = "CLOCK_SKEW", "Device clock skew"
    # Shifts
    POST_ORDERS_NOT_ACKNOWLEDGED = "POST_ORDERS_NOT_ACKNOWLEDGED", "Post orders not acknowledged"
    LATE_CLOCK_IN = "LATE_CLOCK_IN", "Late clock-in"
    EARLY_CLOCK_OUT = "EARLY_CLOCK_OUT", "Early clock-out"
    NO_SHOW = "NO_SHOW", "No-show"
    MISSED_CLOCK_OUT = "MISSED_CLOCK_OUT", "Missed clock-out"
    CLOCK_EVENT_BACKDATED = "CLOCK_EVENT_BACKDATED", "Clock-in/out sent after the fact"
    OUT_OF_POSITION = "OUT_OF_POSITION", "Out of position"
    INACTIVITY = "INACTIVITY", "Inactivity"
    RESTRICTED_ZONE = "RESTRICTED_ZONE", "Entered a restricted zone"
    MISSED_CHECKPOINT = "MISSED_CHECKPOINT", "Missed checkpoint"
    PANIC = "PANIC", "Panic alert"


class Severity(models.TextChoices):
    INFO = "info", "Info"
    WARNING = "warning", "Warning"
    CRITICAL = "critical", "Critical"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Flag(TenantModel):
    """A rule's finding on one report or one shift: code, severity, sentence, evidence.

    A condition raises its flag once: while open, re-evaluation updates the same row
    (found by subject and `key`), and it is resolved when the condition ends.
    """

    TENANT_PATH: ClassVar[str] = "company"
    # A flag is on a shift or on a report (never both): it is on the site of either.
    CLIENT_PATH: ClassVar[tuple[str, ...]] = ("shift__post__site__client", "incident__shift__post__site__client")
    SITE_PATH: ClassVar[tuple[str, ...]] = ("shift__post__site", "incident__shift__post__site")

    company = models.ForeignKey("accounts.Company", on_delete=models.CASCADE, related_name="flags")
    shift = models.ForeignKey("staffing.Shift", on_delete=models.CASCADE, null=True, blank=True, related_name="flags")
    incident = models.ForeignKey(
        "incidents.IncidentReport", on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    code = models.CharField(max_length=40, choices=FlagCode.choices)
    key = models.CharField(max_length=80, blank=True, help_text="Tells apart two findings of one code on one subject.")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    message = models.TextField()
    evidence = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    raised_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Set when a person closed the flag; empty when the condition ended by itself.",
    )

    class Meta:
        ordering = ("-raised_at",)
        indexes = [models.Index(fields=("company", "status", "severity"), name="flag_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(shift__isnull=False) | Q(incident__isnull=False), name="flag_has_a_subject"
            ),
            models.UniqueConstraint(
                fields=("code", "key", "shift", "incident"),
                condition=Q(status="open"),
                nulls_distinct=False,
                name="flag_open_once_per_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class FlagNotification(TenantModel):
    """A record that a manager was told about a critical flag, and how."""

    TENANT_PATH: ClassVar[str] = "flag__company"
    CLIENT_PATH: ClassVar[tuple[str, ...]] = (
        "flag__shift__post__site__client",
        "flag__incident__shift__post__site__client",
    )
    SITE_PATH: ClassVar[tuple[str, ...]] = ("flag__shift__post__site", "flag__incident__shift__post__site")

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=16, default="email")
    address = models.CharField(max_length=254)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=("flag", "recipient", "channel"), name="flag_notified_once_per_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.flag.code} to {self.address}"

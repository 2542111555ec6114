"""Flags: a validation rule's finding on a report or a shift, with evidence."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.core.models import TenantModel
from backend.rules.findings import FlagCode, Severity


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Flag(TenantModel):
    """A rule's finding on one report or one shift: code, severity, sentence, evidence.

    A condition raises its flag once: while open, re-evaluation updates the same row
    (found by subject and `key`), and it is resolved when the condition ends.
    """

    TENANT_PATH: ClassVar[str] = "company"

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

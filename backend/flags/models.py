"""Flags: a validation rule's finding on a report or a shift, with evidence."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.core.models import NotificationRecord, TenantModel
from backend.rules.findings import FlagCode, Severity


class FlagStatus(models.TextChoices):
    """open -> resolved (the condition ended, or a person closed it) | dismissed (a false positive)."""

    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed (false positive)"


class DismissalReason(models.TextChoices):
    """Why a reviewer judged a flag a false positive; counted per rule to tune its thresholds."""

    GPS_DRIFT = "gps_drift", "GPS drift"
    RULE_TOO_STRICT = "rule_too_strict", "Rule too strict"
    KNOWN_EXCEPTION = "known_exception", "Known exception"
    OTHER = "other", "Other (see note)"


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
    # Written only by flag_dismiss / flag_resolve (flags/services.py), never by a form.
    resolution_note = models.TextField(blank=True, editable=False)
    dismissed_at = models.DateTimeField(null=True, blank=True, editable=False)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    dismissal_reason = models.CharField(max_length=20, choices=DismissalReason.choices, blank=True, editable=False)
    dismissal_note = models.TextField(blank=True, editable=False)
    # A report's flag carries the report's site and received_at (copied by
    # incidents.services.incident_checks_apply, which files and re-checks reports), so "open
    # flags of code C on site S, newest report first" is one range of flag_open_code_site_idx.
    incident_site = models.ForeignKey(
        "sites.Site", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    incident_received_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Flags are internal unless a manager chooses to show one on the client's copy of the
    # report (the portal and its PDFs); the rest never leave the company.
    shown_to_client = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        ordering = ("-raised_at",)
        indexes = [
            models.Index(fields=("company", "status", "severity"), name="flag_queue_idx"),
            # The review queue's "has open flags (of this code)" filter, per report.
            models.Index(fields=("incident", "code"), condition=Q(status="open"), name="flag_open_on_incident_idx"),
            # The queue filtered by one flag code: the reports carrying it, read from the index alone.
            models.Index(fields=("code", "incident"), condition=Q(status="open"), name="flag_open_code_incident_idx"),
            # The queue filtered by one site and one flag code, in the queue's keyset order.
            models.Index(
                fields=("code", "incident_site", "-incident_received_at", "-incident"),
                condition=Q(status="open", incident__isnull=False),
                name="flag_open_code_site_idx",
            ),
        ]
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
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in FlagStatus]), name="flag_status_known"
            ),
            # Closed means closed at a time; open means nobody closed it.
            models.CheckConstraint(
                condition=~Q(status=FlagStatus.RESOLVED) | Q(resolved_at__isnull=False),
                name="flag_resolved_has_resolved_at",
            ),
            models.CheckConstraint(
                condition=~Q(status=FlagStatus.OPEN) | Q(resolved_by__isnull=True, dismissed_at__isnull=True),
                name="flag_open_is_not_closed",
            ),
            # Dismissed exactly when someone dismissed it, at a time, for a reason ("other" says which).
            models.CheckConstraint(
                condition=Q(
                    Q(status=FlagStatus.DISMISSED),
                    Q(dismissed_at__isnull=False, dismissed_by__isnull=False),
                    ~Q(dismissal_reason=""),
                    ~Q(dismissal_reason=DismissalReason.OTHER) | ~Q(dismissal_note=""),
                )
                | Q(
                    ~Q(status=FlagStatus.DISMISSED),
                    Q(dismissed_at__isnull=True, dismissed_by__isnull=True, dismissal_reason=""),
                ),
                name="flag_dismissed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def paths_through_flag() -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """TENANT_PATH, CLIENT_PATH and SITE_PATH of a row that hangs from a flag: the flag's own, one hop on."""
    return (
        f"flag__{Flag.TENANT_PATH}",
        tuple(f"flag__{path}" for path in Flag.CLIENT_PATH),
        tuple(f"flag__{path}" for path in Flag.SITE_PATH),
    )


class FlagNotification(NotificationRecord):
    """A record that a manager was told about a critical flag, and how."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_flag()

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="notifications")

    class Meta(NotificationRecord.Meta):
        constraints = [
            models.UniqueConstraint(fields=("flag", "recipient", "channel"), name="flag_notified_once_per_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.flag.code} to {self.address}"


# --- The live board's alerts: acknowledged, annotated, escalated --------------------------


class FlagAcknowledgement(TenantModel):
    """Someone took an open flag on the live board: who and when (the flag stays open until resolved).

    One per flag: the second reviewer is told who took it. A panic flag is acknowledged
    through its panic alert (tracking/panic.py), never here.
    """

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_flag()

    flag = models.OneToOneField(Flag, on_delete=models.CASCADE, related_name="acknowledgement")
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("-acknowledged_at",)

    def __str__(self) -> str:
        return f"{self.flag_id} acknowledged by {self.acknowledged_by_id}"


class AlertRecord(TenantModel):
    """A row about one alert: a flag (the subclass's `flag` key) or a panic alert.

    A panic alert is named by its id, not a foreign key: flags sit below tracking.
    """

    TENANT_PATH: ClassVar[str] = "company"
    CLIENT_PATH: ClassVar[tuple[str, ...]] = ("flag__shift__post__site__client",)
    SITE_PATH: ClassVar[tuple[str, ...]] = ("flag__shift__post__site",)

    company = models.ForeignKey("accounts.Company", on_delete=models.CASCADE, related_name="+")
    panic_alert_id = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ("created_at", "pk")


def on_one_alert(name: str) -> models.CheckConstraint:
    """An AlertRecord names exactly one alert: its flag or its panic alert's id."""
    return models.CheckConstraint(
        condition=Q(flag__isnull=False, panic_alert_id__isnull=True)
        | Q(flag__isnull=True, panic_alert_id__isnull=False),
        name=name,
    )


class AlertNote(AlertRecord):
    """A note a reviewer added to an alert (a flag or a panic alert) while handling it; append-only."""

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, null=True, blank=True, related_name="alert_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta(AlertRecord.Meta):
        constraints = [on_one_alert("alert_note_on_one_alert")]

    def __str__(self) -> str:
        return self.text[:60]


class AlertEscalation(AlertRecord):
    """An unacknowledged critical alert e-mailed again, to the next manager, after the escalation time.

    Once per alert and recipient (the unique constraints), so a beat job that runs twice,
    or a re-delivered e-mail task, tells nobody twice. `step` is 1 for the first repeat.
    """

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, null=True, blank=True, related_name="escalations")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step = models.PositiveIntegerField()
    address = models.CharField(max_length=254)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta(AlertRecord.Meta):
        constraints = [
            on_one_alert("alert_escalation_on_one_alert"),
            models.UniqueConstraint(
                fields=("flag", "recipient"), condition=Q(flag__isnull=False), name="flag_escalated_once_per_recipient"
            ),
            models.UniqueConstraint(
                fields=("panic_alert_id", "recipient"),
                condition=Q(panic_alert_id__isnull=False),
                name="panic_escalated_once_per_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"Escalation {self.step} to {self.address}"


class FlagVisibilityChange(TenantModel):
    """A manager showed a report's flag on the client's copy (portal, PDFs), or took it off: who, when.

    Append-only: `Flag.shown_to_client` says where it stands, these rows how it got there.
    Written only by `flag_client_visibility_set`.
    """

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_flag()

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="visibility_changes")
    shown = models.BooleanField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ("flag", "at", "pk")

    def __str__(self) -> str:
        return f"Flag {self.flag_id} {'shown to' if self.shown else 'hidden from'} the client by {self.by_id}"

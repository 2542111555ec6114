"""What a guard's phone reports during a shift: breadcrumbs, clock events, activity,
checkpoint scans and panic alerts. Each keeps the device's time, the time the device
says it sent it, and the server's receipt time, so clock skew can be seen and judged.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.gis.db import models as gis_models
from django.db import models
from django.db.models import F, Q

from backend.core.models import NotificationRecord, TenantModel, paths_through_site
from backend.sites.models import WGS84


class FenceState(models.TextChoices):
    INSIDE = "inside", "Inside"
    NEAR = "near", "Near"
    OUTSIDE = "outside", "Outside"
    # A fix coarser than the company's accuracy limit: where the guard stood is not known.
    UNKNOWN = "unknown", "Unknown (GPS too coarse)"


class DevicePositionMixin(models.Model):
    """A GPS fix as the phone reported it, plus where it stood relative to the fence."""

    location = gis_models.PointField(geography=True, srid=WGS84, null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    is_mock = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(help_text="Device clock when the fix/event happened.")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="Device clock when it was sent.")
    received_at = models.DateTimeField(help_text="Server clock on receipt.")
    fence = models.CharField(max_length=8, choices=FenceState.choices, blank=True)
    distance_m = models.FloatField(null=True, blank=True, help_text="Metres outside the fence (0 inside).")

    class Meta:
        abstract = True


class Ping(DevicePositionMixin, TenantModel):
    """A GPS breadcrumb. The phone's UUID is the key, so a replayed batch stores nothing."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("shift__post__site")

    id = models.UUIDField(primary_key=True)
    shift = models.ForeignKey("staffing.Shift", on_delete=models.CASCADE, related_name="pings")
    speed_mps = models.FloatField(null=True, blank=True)
    heading = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ("shift", "recorded_at")
        indexes = [models.Index(fields=("shift", "recorded_at"), name="ping_shift_time_idx")]

    def __str__(self) -> str:
        return f"Ping {self.id} at {self.recorded_at:%H:%M:%S}"


class ShiftLastFix(TenantModel):
    """Each shift's newest breadcrumb: a derived cache of the pings, kept by the database.

    Never written by application code. Triggers on tracking_ping (migration 0006) keep it:
    every statement that inserts pings (the mobile API's batch INSERT, bulk_create, raw SQL)
    upserts the newest of its rows per shift, and a newer fix already kept is never replaced
    by an older one arriving late; deleting or updating pings recomputes their shifts. The
    newest is the latest `recorded_at`, a tie going to the greater ping id. The live board
    joins this table instead of probing the ping table once per shift.
    """

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("shift__post__site")

    shift = models.OneToOneField("staffing.Shift", primary_key=True, on_delete=models.CASCADE, related_name="last_fix")
    # No constraint and no reverse cascade: deleting pings stays a single fast DELETE (the
    # trigger repoints or drops this row), and the row never holds a ping back.
    ping = models.ForeignKey(Ping, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    recorded_at = models.DateTimeField(help_text="Device clock of the newest fix.")
    location = gis_models.PointField(geography=True, srid=WGS84, null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    fence = models.CharField(max_length=8, choices=FenceState.choices, blank=True)
    distance_m = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = "shift's last fix"
        verbose_name_plural = "shifts' last fixes"

    def __str__(self) -> str:
        return f"Last fix of shift {self.shift_id} at {self.recorded_at:%H:%M:%S}"

    def save(self, *args: object, **kwargs: object) -> None:
        raise TypeError("ShiftLastFix is kept by triggers on tracking_ping; write pings, not this.")


class ClockKind(models.TextChoices):
    IN = "in", "Clock-in"
    OUT = "out", "Clock-out"


class ClockEvent(DevicePositionMixin, TenantModel):
    """A clock-in or clock-out as evidence: where, when by the phone and by the server."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("shift__post__site")

    shift = models.ForeignKey("staffing.Shift", on_delete=models.CASCADE, related_name="clock_events")
    kind = models.CharField(max_length=3, choices=ClockKind.choices)

    class Meta:
        ordering = ("shift", "recorded_at")
        constraints = [models.UniqueConstraint(fields=("shift", "kind"), name="clock_event_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.shift}"


class ActivityEntry(DevicePositionMixin, TenantModel):
    """A line of the daily activity report ("23:10 all doors of building C locked")."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("shift__post__site")

    id = models.UUIDField(primary_key=True)
    shift = models.ForeignKey("staffing.Shift", on_delete=models.CASCADE, related_name="activity_entries")
    text = models.TextField()
    emergency_mentions = models.JSONField(
        default=list,
        blank=True,
        help_text="Fire/police/EMS mentions found in the text when it was filed (read once, not every minute).",
    )

    class Meta:
        ordering = ("shift", "recorded_at")
        verbose_name_plural = "activity entries"

    def __str__(self) -> str:
        return f"{self.recorded_at:%H:%M} {self.text[:60]}"


class CheckpointScan(DevicePositionMixin, TenantModel):
    """A guard scanned a checkpoint's QR/NFC tag during a tour."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("checkpoint__site")

    id = models.UUIDField(primary_key=True)
    checkpoint = models.ForeignKey("sites.Checkpoint", on_delete=models.CASCADE, related_name="scans")
    guard = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkpoint_scans")
    shift = models.ForeignKey(
        "staffing.Shift", on_delete=models.SET_NULL, null=True, blank=True, related_name="checkpoint_scans"
    )
    distance_to_checkpoint_m = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ("-recorded_at",)

    def __str__(self) -> str:
        return f"{self.guard} scanned {self.checkpoint} at {self.recorded_at:%H:%M}"


class PanicOutcome(models.TextChoices):
    """How a panic alert ended, as the reviewer who resolved it records it."""

    FALSE_ALARM = "false_alarm", "False alarm (pressed by mistake)"
    HANDLED_ON_SITE = "handled_on_site", "Guard safe, handled on site"
    BACKUP_SENT = "backup_sent", "Backup or a supervisor sent"
    EMERGENCY_SERVICES = "emergency_services", "Emergency services called"
    OTHER = "other", "Other (see note)"


class PanicAlert(DevicePositionMixin, TenantModel):
    """A guard pressed panic. Managers are notified at once; someone must acknowledge.

    raised -> acknowledged (someone is handling it: who, when, note) -> resolved (outcome, note).
    """

    TENANT_PATH: ClassVar[str] = "guard__company"
    # Through the shift: an alert pressed off shift is on no site, so only the company
    # (managers, staff) sees it, never a site supervisor or a client.
    CLIENT_PATH: ClassVar[str] = "shift__post__site__client"
    SITE_PATH: ClassVar[str] = "shift__post__site"

    id = models.UUIDField(primary_key=True)
    guard = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panic_alerts")
    shift = models.ForeignKey("staffing.Shift", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Written only by the transitions in tracking/panic.py, never by a form.
    acknowledgement_note = models.TextField(blank=True, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=PanicOutcome.choices, blank=True, editable=False)
    resolution_note = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ("-received_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_by__isnull=True) | Q(acknowledged_at__isnull=False),
                name="panic_acknowledger_has_time",
            ),
            # Resolved only after someone took it, by someone, with how it ended ("other" says how).
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolved_by__isnull=True, outcome="")
                | Q(
                    Q(resolved_at__isnull=False, resolved_by__isnull=False, acknowledged_at__isnull=False),
                    Q(resolved_at__gte=F("acknowledged_at")),
                    ~Q(outcome=""),
                    ~Q(outcome=PanicOutcome.OTHER) | ~Q(resolution_note=""),
                ),
                name="panic_resolved_after_acknowledged",
            ),
        ]

    def __str__(self) -> str:
        return f"Panic by {self.guard} at {self.received_at:%Y-%m-%d %H:%M}"


class PanicNotification(NotificationRecord):
    """A record that a manager was told about a panic alert that has no flag (no shift open).

    With a shift, the alert's PANIC flag carries these records (FlagNotification); without
    one this is where "told once" is kept, durably, so a re-delivered task pages nobody twice.
    """

    TENANT_PATH: ClassVar[str] = "alert__guard__company"
    CLIENT_PATH: ClassVar[str] = "alert__shift__post__site__client"
    SITE_PATH: ClassVar[str] = "alert__shift__post__site"

    alert = models.ForeignKey(PanicAlert, on_delete=models.CASCADE, related_name="notifications")

    class Meta(NotificationRecord.Meta):
        constraints = [
            models.UniqueConstraint(fields=("alert", "recipient", "channel"), name="panic_notified_once_per_recipient")
        ]

    def __str__(self) -> str:
        return f"Panic {self.alert_id} to {self.address}"

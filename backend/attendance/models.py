"""How a manager resolved an attendance exception: append-only records beside the shift's evidence.

They live here, not in `staffing`, because a resolution composes a shift, its flag and
(for a replacement) a second shift: the attendance workflow's own record. The shift's
GPS-verified clock times are never changed; a time correction stands beside them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.core.models import TenantModel, paths_through_site


class ResolutionKind(models.TextChoices):
    EXCUSED = "excused", "Excused"
    REPLACEMENT = "replacement", "Replacement assigned"
    TIME_CORRECTED = "time_corrected", "Time corrected"


class AttendanceResolution(TenantModel):
    """One manager's resolution of one attendance flag (late, early, no-show, missed clock-out, position)."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("shift__post__site")

    flag = models.OneToOneField("flags.Flag", on_delete=models.PROTECT, related_name="attendance_resolution")
    shift = models.ForeignKey("staffing.Shift", on_delete=models.PROTECT, related_name="attendance_resolutions")
    kind = models.CharField(max_length=20, choices=ResolutionKind.choices)
    reason = models.TextField()
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replacement_shift = models.OneToOneField(
        "staffing.Shift", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces"
    )
    # What the manager says happened; billing reads these beside the shift's verified times.
    corrected_clock_in_at = models.DateTimeField(null=True, blank=True)
    corrected_clock_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ResolutionKind.REPLACEMENT) | Q(replacement_shift__isnull=False),
                name="attendance_replacement_names_shift",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ResolutionKind.TIME_CORRECTED)
                | Q(corrected_clock_in_at__isnull=False)
                | Q(corrected_clock_out_at__isnull=False),
                name="attendance_correction_has_a_time",
            ),
            models.CheckConstraint(
                condition=Q(corrected_clock_in_at__isnull=True)
                | Q(corrected_clock_out_at__isnull=True)
                | Q(corrected_clock_out_at__gt=models.F("corrected_clock_in_at")),
                name="attendance_correction_out_after_in",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="attendance_resolution_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: shift {self.shift_id}"

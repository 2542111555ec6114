"""What a rule can find: the flag codes, their severities, and the `Finding` a rule returns.

The rules produce findings and the flags app stores them; both import these from here, so
the rules need nothing from the flags app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models


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
    POST_REQUIREMENT_MISSING = "POST_REQUIREMENT_MISSING", "Required qualification missing"
    # Dispatch (service requests)
    DISPATCH_ARRIVAL_OUTSIDE = "DISPATCH_ARRIVAL_OUTSIDE", "Dispatch arrival away from the scene"


class Severity(models.TextChoices):
    INFO = "info", "Info"
    WARNING = "warning", "Warning"
    CRITICAL = "critical", "Critical"


@dataclass(frozen=True)
class Finding:
    """What a rule found: a code, how bad, one sentence for a manager, and the numbers."""

    code: str
    severity: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    key: str = ""
    ended_at: datetime | None = None
    """Set when the condition was found but is already over (stored resolved at this time)."""

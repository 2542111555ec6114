"""Device time versus server time: estimate the phone's clock skew and judge it.

A phone reports `recorded_at` (its clock when the thing happened) and `sent_at` (its
clock when it sent). The server notes `received_at`. For a request sent just now,
received_at - sent_at is the phone's clock error (network delay is seconds), so the
corrected event time is recorded_at + skew.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.flags.models import FlagCode, Severity
from backend.flags.services import Finding
from backend.rules.thresholds import DEFAULTS

CLOCK_SKEW_THRESHOLD = timedelta(minutes=DEFAULTS.clock_skew_min)


@dataclass(frozen=True)
class DeviceTimes:
    recorded_at: datetime
    sent_at: datetime | None
    received_at: datetime

    @property
    def skew(self) -> timedelta:
        """How far the server's clock is ahead of the phone's (0 when sent_at is unknown)."""
        return self.received_at - self.sent_at if self.sent_at is not None else timedelta(0)

    @property
    def corrected_recorded_at(self) -> datetime:
        """The event time on the server's clock."""
        return self.recorded_at + self.skew


def clock_skew_findings(times: DeviceTimes, *, what: str, threshold: timedelta = CLOCK_SKEW_THRESHOLD) -> list[Finding]:
    """CLOCK_SKEW when the phone's clock is off by more than the threshold."""
    skew_seconds = times.skew.total_seconds()
    if abs(skew_seconds) <= threshold.total_seconds():
        return []
    direction = "behind" if skew_seconds > 0 else "ahead of"
    minutes = abs(skew_seconds) / 60
    return [
        Finding(
            FlagCode.CLOCK_SKEW,
            Severity.INFO,
            f"The phone's clock was {minutes:.0f} minutes {direction} the server's when the {what} was sent; "
            "times were corrected.",
            {
                "skew_seconds": round(skew_seconds, 1),
                "device_recorded_at": times.recorded_at.isoformat(),
                "device_sent_at": times.sent_at.isoformat() if times.sent_at else None,
                "received_at": times.received_at.isoformat(),
            },
        )
    ]

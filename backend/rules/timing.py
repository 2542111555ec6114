"""Device time versus server time: estimate the phone's clock skew and judge it.

A phone reports `recorded_at` (its clock when the thing happened) and `sent_at` (its
clock when it sent). The server notes `received_at`. For a request sent just now,
received_at - sent_at is the phone's clock error (network delay is seconds), so the
corrected event time is recorded_at + skew.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from backend.core.localtime import DATE_TIME, TIME, local_time, to_local
from backend.rules.findings import Finding, FlagCode, Severity


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

    @property
    def delay(self) -> timedelta:
        """How long after the (corrected) event time the server received it (0 if "later" than receipt)."""
        return max(self.received_at - self.corrected_recorded_at, timedelta(0))

    def is_backdated(self, threshold: timedelta) -> bool:
        """Received well after it happened: sent after the fact, so the phone's time is only a claim."""
        return self.delay > threshold


def clock_skew_findings(times: DeviceTimes, *, what: str, threshold: timedelta) -> list[Finding]:
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


def describe_duration(delta: timedelta) -> str:
    """'40 minutes', '8 hours 13 minutes': how a manager reads a gap."""
    minutes = round(abs(delta.total_seconds()) / 60)
    if minutes < 90:
        return f"{minutes} minute{'' if minutes == 1 else 's'}"
    hours, rest = divmod(minutes, 60)
    return f"{hours} hours" + (f" {rest} minute{'' if rest == 1 else 's'}" if rest else "")


def backdated_findings(times: DeviceTimes, *, what: str, zone_name: str, threshold: timedelta) -> list[Finding]:
    """CLOCK_EVENT_BACKDATED when the event reached the server long after the phone says it happened.

    Offline phones sync late and that is legitimate, so this is a flag, not a refusal;
    what the phone's time counts for is decided on evidence elsewhere (the shift rules).
    """
    if not times.is_backdated(threshold):
        return []
    recorded = times.corrected_recorded_at
    same_day = to_local(recorded, zone_name).date() == to_local(times.received_at, zone_name).date()
    fmt = TIME if same_day else DATE_TIME
    return [
        Finding(
            FlagCode.CLOCK_EVENT_BACKDATED,
            Severity.WARNING,
            f"The {what} reached the server {describe_duration(times.delay)} after the phone's time for it "
            f"(recorded {local_time(recorded, zone_name, fmt)}, "
            f"received {local_time(times.received_at, zone_name, fmt)}): "
            "it was sent after the fact, and its time counts only where breadcrumbs or checkpoint scans "
            "recorded then confirm it.",
            {
                "recorded_at": recorded.isoformat(),
                "device_recorded_at": times.recorded_at.isoformat(),
                "device_sent_at": times.sent_at.isoformat() if times.sent_at else None,
                "received_at": times.received_at.isoformat(),
                "delay_seconds": round(times.delay.total_seconds()),
                "threshold_min": round(threshold.total_seconds() / 60),
            },
        )
    ]

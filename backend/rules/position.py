"""Rules on one reported position: is it there, precise, genuine, and on the site?

Used on clock-in/out and on incident reports. Each rule is a small function from the
position (and the site's verdict) to Findings; the caller passes the company's thresholds.
"""

from __future__ import annotations

from backend.rules.findings import Finding, FlagCode, Severity
from geofence.classify import Verdict
from geofence.fixes import Fix

POSITION_CODES = (
    FlagCode.LOCATION_MISSING,
    FlagCode.LOW_ACCURACY,
    FlagCode.OUTSIDE_GEOFENCE,
    FlagCode.MOCK_LOCATION,
)


def describe_distance(metres: float) -> str:
    """'2.4 km' or '85 m': how a manager reads a distance."""
    return f"{metres / 1000:.1f} km" if metres >= 1000 else f"{metres:.0f} m"


def position_findings(
    *,
    position: Fix | None,
    verdict: Verdict | None,
    site_name: str,
    what: str,
    low_accuracy_m: float,
) -> list[Finding]:
    """Findings for one reported position; `what` names the act ('Clock-in', 'Report')."""
    if position is None or verdict is None:
        return [
            Finding(
                FlagCode.LOCATION_MISSING,
                Severity.WARNING,
                f"{what} was sent without a GPS position, so nobody can tell where it happened.",
            )
        ]
    findings: list[Finding] = []
    evidence = {"lat": position.lat, "lon": position.lon, "accuracy_m": position.accuracy_m}
    if position.is_mock:
        findings.append(
            Finding(
                FlagCode.MOCK_LOCATION,
                Severity.CRITICAL,
                f"{what} came from a mock (simulated) location; the phone's position cannot be trusted.",
                evidence,
            )
        )
    if verdict.fence == "unknown":
        # The fence decided nothing, so this is the only word on the position: a warning.
        findings.append(
            Finding(
                FlagCode.LOW_ACCURACY,
                Severity.WARNING,
                f"{what} had a GPS accuracy of {describe_distance(position.accuracy_m)}, too coarse to check "
                f"against {site_name}'s geofence (limit {low_accuracy_m:.0f} m): where the guard was is unknown "
                f"(the fix's centre was {describe_distance(verdict.distance_m)} from the fence).",
                {
                    **evidence,
                    "threshold_m": low_accuracy_m,
                    "fence": verdict.fence,
                    "distance_m": round(verdict.distance_m, 1),
                },
            )
        )
    elif position.accuracy_m > low_accuracy_m:
        # Judged before coarse fixes were "unknown" (or against a looser limit).
        findings.append(
            Finding(
                FlagCode.LOW_ACCURACY,
                Severity.INFO,
                f"{what} had a GPS accuracy of {describe_distance(position.accuracy_m)}, too coarse to "
                f"place it on the site (limit {low_accuracy_m:.0f} m).",
                {**evidence, "threshold_m": low_accuracy_m},
            )
        )
    if verdict.fence == "outside":
        findings.append(
            Finding(
                FlagCode.OUTSIDE_GEOFENCE,
                Severity.WARNING,
                f"{what} was filed {describe_distance(verdict.distance_m)} from {site_name}'s geofence.",
                {**evidence, "distance_m": round(verdict.distance_m, 1), "fence": verdict.fence},
            )
        )
    return findings

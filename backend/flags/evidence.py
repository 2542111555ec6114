"""A flag's evidence as a person reads it: 'Label: value' lines on the site's clock.

Evidence is stored as the rules wrote it (ISO UTC instants, metres, ids); e-mails and
pages show it through `evidence_lines`, so nobody reads a raw dict or JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from backend.core.localtime import DATE_TIME, local_time
from backend.rules.position import describe_distance

LABELS = {
    "lat": "Latitude",
    "lon": "Longitude",
    "accuracy_m": "GPS accuracy",
    "threshold_m": "Accuracy limit",
    "allowed_m": "Allowed distance",
    "distance_m": "Distance",
    "fence": "Geofence",
    "map_url": "Map",
    "alert_id": "Panic alert",
    "received_at": "Received",
    "recorded_at": "Recorded by the phone",
    "device_recorded_at": "Recorded by the phone",
    "device_sent_at": "Sent by the phone",
    "occurred_at": "Occurred",
    "scheduled_start": "Scheduled start",
    "scheduled_end": "Scheduled end",
    "shift_start": "Shift start",
    "shift_end": "Shift end",
    "clock_in_at": "Clocked in",
    "clock_out_at": "Clocked out",
    "left_at": "Left the post",
    "back_at": "Back at the post",
    "first_at": "First seen",
    "last_at": "Last seen",
    "last_fix_at": "Last GPS fix",
    "since": "Since",
    "at": "At",
    "round_start": "Round started",
    "due_by": "Due by",
    "skew_seconds": "Clock difference",
    "grace_min": "Grace period",
    "allowed_min": "Allowed",
    "fix_count": "GPS fixes",
    "mock_fix_count": "Mock GPS fixes",
    "coverage": "Share of the shift with GPS",
    "post_orders_version": "Post orders version",
    "checkpoint_id": "Checkpoint",
    "activity_entry_id": "Activity entry",
    "zone_id": "Zone",
    "id": "ID",
}
NESTED_INDENT = "  "


def evidence_lines(evidence: Mapping[str, Any], zone_name: str | None) -> list[str]:
    """One 'Label: value' line per item; nested items indented below their label."""
    lines: list[str] = []
    for key, value in evidence.items():
        lines.extend(_item_lines(key, value, zone_name, depth=0))
    return lines


def _item_lines(key: str, value: Any, zone_name: str | None, *, depth: int) -> list[str]:
    indent = NESTED_INDENT * depth
    label = LABELS.get(key) or key.replace("_", " ").strip().capitalize()
    if isinstance(value, Mapping):
        nested = [line for k, v in value.items() for line in _item_lines(k, v, zone_name, depth=depth + 1)]
        return [f"{indent}{label}:", *nested] if nested else [f"{indent}{label}: none"]
    if isinstance(value, list | tuple) and any(isinstance(item, Mapping) for item in value):
        lines = [f"{indent}{label}:"]
        for item in value:
            if isinstance(item, Mapping):
                nested = [line for k, v in item.items() for line in _item_lines(k, v, zone_name, depth=depth + 2)]
                if nested:  # '- ID: 1' then the item's other lines below it
                    lines.append(f"{indent}{NESTED_INDENT}- {nested[0].lstrip()}")
                    lines.extend(nested[1:])
            else:
                lines.append(f"{indent}{NESTED_INDENT}- {_value_text(key, item, zone_name)}")
        return lines
    if isinstance(value, list | tuple):
        text = ", ".join(_value_text(key, item, zone_name) for item in value) or "none"
        return [f"{indent}{label}: {text}"]
    return [f"{indent}{label}: {_value_text(key, value, zone_name)}"]


def _value_text(key: str, value: Any, zone_name: str | None) -> str:
    if value is None:
        return "not recorded"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return _number_text(key, value)
    if isinstance(value, str):
        moment = _instant(value)
        return local_time(moment, zone_name, DATE_TIME) if moment is not None else value
    return str(value)


def _number_text(key: str, value: float) -> str:
    if key.endswith("_m"):
        return describe_distance(value)
    if key in {"lat", "lon"}:
        return f"{value:.6f}"
    if key.endswith("_seconds"):
        return f"{value:g} s"
    if key.endswith("_min") or key.startswith("minutes_"):
        return f"{value:g} min"
    if key == "coverage" and 0 <= value <= 1:
        return f"{value:.0%}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _instant(text: str) -> datetime | None:
    """The aware instant an ISO 8601 string names, or None for any other text."""
    if len(text) < 16 or text[4:5] != "-" or "T" not in text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None

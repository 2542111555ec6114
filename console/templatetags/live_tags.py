"""Template helpers of the live board: `{% load live_tags %}`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template

register = template.Library()


@register.filter
def age(value: timedelta | None) -> str:
    """How long ago: "40 s", "12 min", "3 h 5 min" (a fix's age, an alert's wait)."""
    if value is None:
        return "—"
    seconds = max(int(value.total_seconds()), 0)
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60} min"


@register.filter
def get_item(mapping: dict[str, Any] | None, key: str) -> Any:
    """`{{ errors|get_item:key }}`: a dictionary's value by a computed key (None when absent)."""
    return None if not mapping else mapping.get(key)

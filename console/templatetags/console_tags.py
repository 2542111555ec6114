"""Template helpers of the console: `{% load console_tags %}`.

- `{{ moment|local:site.timezone }}` -> "2026-12-01 00:14 EST" (the site's clock and zone);
  `{{ moment|local_time:site.timezone }}` -> "00:14 EST". None shows as "—".
- `{% status "critical" "Critical" %}` -> a status word with its colour class and its text.
- `{% console_nav %}` -> the header's navigation (console/navigation.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from backend.core.localtime import DATE_TIME, TIME, local_time
from console.navigation import nav_items

register = template.Library()

STATUS_CLASSES = frozenset({"ok", "info", "attention", "critical", "muted"})


@register.filter
def local(moment: datetime | None, zone_name: str | None) -> str:
    return "—" if moment is None else local_time(moment, zone_name, DATE_TIME)


@register.filter(name="local_time")
def local_time_only(moment: datetime | None, zone_name: str | None) -> str:
    return "—" if moment is None else local_time(moment, zone_name, TIME)


@register.inclusion_tag("console/_status.html")
def status(kind: str, text: str) -> dict[str, str]:
    """A status word: colour for a glance, the text for everyone (colour-blind supervisors too)."""
    if kind not in STATUS_CLASSES:
        raise template.TemplateSyntaxError(f"Unknown status {kind!r}: use one of {sorted(STATUS_CLASSES)}.")
    return {"kind": kind, "text": text}


@register.inclusion_tag("console/_nav.html", takes_context=True)
def console_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    path = request.path if request is not None else ""
    items = [
        {
            "label": item.label,
            "url": item.url,
            "current": path == item.url or (item.order > 0 and path.startswith(item.url)),
        }
        for item in nav_items()
    ]
    return {"items": items}

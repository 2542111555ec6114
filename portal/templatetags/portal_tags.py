"""Template helpers of the portal: `{% load portal_tags %}`.

- `{{ moment|local:site.timezone }}` -> "Mon 1 Dec 00:14 EST" (the site's clock and zone);
  `{{ moment|local_time:site.timezone }}` -> "00:14 EST". None shows as "—".
- `{% status "ok" "On target" %}` -> a status word: its colour class and its text, always both.
- `{% portal_nav %}` -> the header's navigation, the current page marked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from backend.clientview.figures import percent
from backend.core.localtime import TIME, local_time

register = template.Library()

PORTAL_DATE_TIME = "%a %d %b %Y %H:%M"
STATUS_CLASSES = frozenset({"ok", "info", "attention", "critical", "muted"})
NAV = (
    ("Sites", "portal:home"),
    ("Reports", "portal:reports"),
    ("Summaries", "portal:summaries"),
    ("Concerns", "portal:concerns"),
    ("E-mail", "portal:preferences"),
)


def _on_the_sites_clock(fmt: str) -> Callable[[datetime | None, str | None], str]:
    def shown(moment: datetime | None, zone_name: str | None) -> str:
        return "—" if moment is None else local_time(moment, zone_name, fmt)

    return shown


register.filter("local", _on_the_sites_clock(PORTAL_DATE_TIME))
register.filter("local_time", _on_the_sites_clock(TIME))


@register.simple_tag
def status(kind: str, text: str) -> SafeString:
    """A status word: colour for a glance, the word for everyone (colour-blind readers too)."""
    if kind not in STATUS_CLASSES:
        raise template.TemplateSyntaxError(f"Unknown status {kind!r}: use one of {sorted(STATUS_CLASSES)}.")
    return format_html('<span class="status status-{}">{}</span>', kind, text)


@register.inclusion_tag("portal/_nav.html", takes_context=True)
def portal_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    path = request.path if request is not None else ""
    items = []
    for label, name in NAV:
        url = reverse(name)
        current = path == url or (url != reverse("portal:home") and path.startswith(url))
        items.append({"label": label, "url": url, "current": current})
    return {"items": items}


@register.filter(name="percent")
def percent_filter(ratio: float | None) -> str:
    """0.992 -> '99.2 %' (never '100.0 %' short of all of it); None -> '—'."""
    return percent(ratio)


@register.filter
def divided(part: float | int | None, whole: float | int | None) -> float | None:
    """part / whole, or None when there is no whole (for `|percent`)."""
    return None if not whole or part is None else part / whole

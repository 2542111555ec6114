"""Template helpers of the live board: `{% load live_tags %}`."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from backend.attendance.selectors import FENCE_LABELS, FENCE_STATUS, STATE_LABELS, STATE_STATUS, BoardRow, BoardSite
from backend.core.localtime import TIME, local_time

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


# --- The board's rows -------------------------------------------------------------------------
# A 5,000-shift board is 5,000 rows of nine cells every refresh: written here as one string per
# site (the template engine's nodes, filters and context lookups per cell cost several times
# the selector), with the same markup and escaping a template would give.


class _Clock:
    """'09:00 EST' per instant and zone, computed once per render: a board's shifts share a few
    start and end times."""

    def __init__(self) -> None:
        self._seen: dict[tuple[datetime, str], str] = {}

    def __call__(self, moment: datetime, zone_name: str) -> str:
        key = (moment, zone_name)
        text = self._seen.get(key)
        if text is None:
            text = self._seen[key] = local_time(moment, zone_name, TIME)
        return text


def _status(kind: str, text: str, title: str = "", testid: str = "") -> str:
    title_attribute = f' title="{escape(title)}"' if title else ""
    testid_attribute = f' data-testid="{testid}"' if testid else ""
    return f'<span class="status status-{kind}"{title_attribute}{testid_attribute}>{escape(text)}</span>'


# The same few words on thousands of rows: written once.
_STATE_HTML = {state: _status(STATE_STATUS[state], label) for state, label in STATE_LABELS.items()}
_FENCE_HTML = {fence: _status(FENCE_STATUS[fence], label) for fence, label in FENCE_LABELS.items()}


def _guard_cell(row: BoardRow) -> str:
    shift = row.shift
    cell = escape(shift.guard_name)
    if shift.guard_phone:
        phone = escape(shift.guard_phone)
        cell += f'<br><a href="tel:{phone}">{phone}</a>'
    for warning in row.qualification_warnings:
        expiry = f"expires {warning.expires_on.isoformat()}" if warning.expires_on else "missing"
        text = f"{warning.qualification_name} {expiry}"
        cell += "<br>" + _status("attention", text, title=warning.sentence(), testid="row-warning")
    return cell


def _row(row: BoardRow, zone_name: str, clock: _Clock) -> str:
    shift = row.shift
    if shift.clock_in_at is None:
        actual = "—"
    elif shift.clock_out_at is None:
        actual = f"in {clock(shift.clock_in_at, zone_name)}"
    else:
        actual = f"in {clock(shift.clock_in_at, zone_name)}, out {clock(shift.clock_out_at, zone_name)}"
    if row.state != "in_progress":
        fence = "—"
    elif row.fix_age is None:
        fence = f'{_FENCE_HTML[row.fence_now]} <span class="age">no fix yet</span>'
    else:
        fence = f'{_FENCE_HTML[row.fence_now]} <span class="age">fix {age(row.fix_age)} old</span>'
    coverage = "—" if row.coverage is None else f"{round(row.coverage * 100)}%"
    tour = f"{row.tour_done} of {row.tour_total} this round" if row.tour_total else "—"
    flags = " ".join(_status(flag["status"], flag["code"], title=flag["message"]) for flag in row.flags) or "none"
    return (
        f'<tr data-testid="live-row" data-shift="{shift.pk}"><td>{_guard_cell(row)}</td>'
        f"<td>{escape(shift.post_name)}</td>"
        f"<td>{clock(shift.scheduled_start, zone_name)} – {clock(shift.scheduled_end, zone_name)}</td>"
        f'<td>{actual}</td><td>{_STATE_HTML[row.state]}</td><td data-testid="fence-now">{fence}</td>'
        f"<td>{coverage}</td><td>{tour}</td><td>{flags}</td></tr>\n"
    )


@register.simple_tag(takes_context=True)
def live_rows(context: template.Context, site: BoardSite) -> SafeString:
    """`{% live_rows site %}`: the <tr> of each of the site's shifts, in the board's order."""
    # One clock for the whole render: sites share their shifts' times too.
    render_context: Any = context.render_context  # its stubs allow only the loader's own values
    clock: _Clock = render_context.setdefault("live_rows_clock", _Clock())
    return mark_safe("".join([_row(row, site.timezone, clock) for row in site.rows]))  # noqa: S308 - every value escaped above

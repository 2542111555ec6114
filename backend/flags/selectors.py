"""Reads over flags for the console: the company's own work, never shown to client contacts."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, QuerySet

from backend.accounts.models import Company
from backend.core.querysets import filter_given, one_visible_or_not_found
from backend.flags.models import Flag, FlagStatus
from backend.sites.scopes import Scope

# A flag is on a shift or on a report: both ways to its site are loaded, no fence.
_FLAG_RELATED = (
    "shift__guard",
    "shift__post__site",
    "incident__type",
    "incident__guard",
    "incident__shift__post__site",
)
_FLAG_DEFERRED = ("shift__post__site__geofence", "incident__shift__post__site__geofence")


def flags_visible(
    *, scope: Scope, status: str | None = None, severity: str | None = None, site_id: int | None = None
) -> QuerySet[Flag]:
    """Flags on the viewer's sites (a manager: the company's), newest first.

    A supervisor sees the flags of shifts and reports on their assigned sites; a client
    contact is refused (PermissionDenied): flags judge the company's guards.
    """
    scope.require_operations("flags")
    flags = filter_given(Flag.objects.for_scope(scope), status=status, severity=severity)
    if site_id is not None:
        flags = flags.for_sites([site_id])
    return flags.select_related(*_FLAG_RELATED).defer(*_FLAG_DEFERRED).order_by("-raised_at", "-pk")


def flag_get_visible(*, scope: Scope, flag_id: int) -> Flag:
    """One flag the viewer may see; another tenant's or an unassigned site's is NotFound."""
    return one_visible_or_not_found(
        flags_visible(scope=scope), pk=flag_id, message="No such flag.", code="flag_not_found"
    )


def flag_dismissals_by_rule(*, company: Company | int) -> dict[str, dict[str, int]]:
    """How often each rule's flags were dismissed as false positives, by reason: {code: {reason: n}}.

    What a manager reads to tune a rule's threshold (a rule dismissed for GPS drift all
    the time wants a wider accuracy limit). One query.
    """
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (
        Flag.objects.for_company(company)
        .filter(status=FlagStatus.DISMISSED)
        .values("code", "dismissal_reason")
        .annotate(dismissals=Count("id"))
        .order_by("code", "dismissal_reason")
    )
    for row in rows:
        counts[row["code"]][row["dismissal_reason"]] = row["dismissals"]
    return dict(counts)


def flags_shown_to_client(*, incident_ids: list[Any] | None) -> QuerySet[Flag]:
    """The flags a manager chose to show on the client's copy of these reports (None: of every report).

    Never a dismissed one (a false positive is not news for the client), oldest first. Callers
    narrow the reports by the viewer's scope; this reads the flags of the reports they name.
    """
    flags = Flag.objects.filter(shown_to_client=True, incident__isnull=False).exclude(status=FlagStatus.DISMISSED)
    if incident_ids is not None:
        flags = flags.filter(incident_id__in=incident_ids)
    return flags.order_by("raised_at", "pk")

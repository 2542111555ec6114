"""Reads over flags."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from backend.accounts.models import Company
from backend.flags.models import Flag, FlagStatus


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

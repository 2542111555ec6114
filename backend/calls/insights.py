"""Complaint KPIs: calls per client per week by reason group, the share that was preventable,
and how long follow-ups take to close. Aggregated in PostgreSQL: two queries, whatever the
number of calls.

"Preventable" (PREVENTABLE_DEFINITION, also printed on the page): a call is preventable when,
in the 24 hours before it was opened, the rules had raised a flag — not later dismissed as a
false positive — on the call's site, or, for a call linked to no site, on any site of its
client. The cause of such a call was on the console before the client picked up the phone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection

from backend.calls.models import ReasonGroup
from backend.core.localtime import zone
from backend.sites.models import Client
from backend.sites.scopes import Scope

WEEKS = 12
PREVENTABLE_WINDOW = timedelta(hours=24)
PREVENTABLE_DEFINITION = (
    "A call is preventable when, in the 24 hours before it was opened, the rules had raised a flag "
    "(not later dismissed as a false positive) on the call's site — or, for a call linked to no site, "
    "on any site of its client."
)
UNCLASSIFIED = "unclassified"
GROUP_LABELS: dict[str, str] = {**dict(ReasonGroup.choices), UNCLASSIFIED: "Still open"}
GROUPS: tuple[str, ...] = (*ReasonGroup.values, UNCLASSIFIED)

# The flags of the window, each under two keys — its site (positive id) and its client
# (negative id) — and in two day buckets, the one it falls in and the next. A call then
# looks for a flag under its own key in its own day bucket: every flag of the 24 hours
# before it is there, and the match is one hash lookup (an equality semi-join), not a
# range scan per call.
_COUNTS_SQL = """
WITH flagged AS MATERIALIZED (
    SELECT fl.raised_at, site.id AS site_id, site.client_id
    FROM flags_flag AS fl
    LEFT JOIN staffing_shift AS on_shift ON on_shift.id = fl.shift_id
    LEFT JOIN incidents_incidentreport AS report ON report.id = fl.incident_id
    LEFT JOIN staffing_shift AS report_shift ON report_shift.id = report.shift_id
    JOIN staffing_post AS post ON post.id = COALESCE(on_shift.post_id, report_shift.post_id)
    JOIN sites_site AS site ON site.id = post.site_id
    WHERE fl.company_id = %(company)s AND fl.status <> 'dismissed'
      AND fl.raised_at > %(start)s - %(window)s AND fl.raised_at < %(end)s
),
keyed AS (
    SELECT k.key, floor(extract(epoch FROM flagged.raised_at) / 86400)::int + b.shift AS bucket, flagged.raised_at
    FROM flagged
    CROSS JOIN LATERAL (VALUES (flagged.site_id), (-flagged.client_id)) AS k(key)
    CROSS JOIN (VALUES (0), (1)) AS b(shift)
),
judged AS (
    SELECT c.client_id,
           date_trunc('week', c.opened_at AT TIME ZONE %(zone)s)::date AS week,
           COALESCE(code.reason_group, 'unclassified') AS reason_group,
           EXISTS (
               SELECT 1 FROM keyed
               WHERE keyed.key = COALESCE(c.site_id, -c.client_id)
                 AND keyed.bucket = floor(extract(epoch FROM c.opened_at) / 86400)::int
                 AND keyed.raised_at <= c.opened_at AND keyed.raised_at > c.opened_at - %(window)s
           ) AS preventable
    FROM calls_call AS c
    LEFT JOIN calls_dispositioncode AS code ON code.id = c.disposition_id
    WHERE c.company_id = %(company)s AND c.opened_at >= %(start)s AND c.opened_at < %(end)s {site_condition}
)
SELECT client_id, week, reason_group, count(*), count(*) FILTER (WHERE preventable)
FROM judged
GROUP BY client_id, week, reason_group
"""

# Median hours from a follow-up being promised to being done, per week it was done and overall.
_FOLLOW_UP_SQL = """
SELECT date_trunc('week', fu.done_at AT TIME ZONE %(zone)s)::date AS week,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM fu.done_at - fu.created_at)) / 3600,
       count(*)
FROM calls_followup AS fu
JOIN calls_call AS c ON c.id = fu.call_id
WHERE c.company_id = %(company)s AND fu.done_at >= %(start)s AND fu.done_at < %(end)s {site_condition}
GROUP BY GROUPING SETS ((1), ())
"""

# A supervisor's calls: on their sites, or on no site of a client they serve (as calls_visible).
_SITE_CONDITION = """
AND (c.site_id = ANY(%(site_ids)s)
     OR (c.site_id IS NULL AND c.client_id IN (SELECT client_id FROM sites_site WHERE id = ANY(%(site_ids)s))))
"""


@dataclass
class ClientWeeks:
    """One client's calls, per week (index into Insights.weeks) and reason group."""

    client_id: int
    name: str
    counts: dict[str, list[int]] = field(default_factory=dict)
    prevented: dict[str, list[int]] = field(default_factory=dict)

    def week_totals(self) -> list[int]:
        return [sum(column) for column in zip(*self.counts.values(), strict=True)]

    @property
    def total(self) -> int:
        return sum(self.week_totals())


@dataclass
class Insights:
    weeks: list[date]
    clients: list[ClientWeeks]
    by_group: dict[str, list[int]]  # every client, per reason group and week
    preventable: list[int]
    follow_up_median_hours: list[float | None]
    follow_up_median_hours_overall: float | None
    follow_ups_closed: int
    definition: str = PREVENTABLE_DEFINITION

    @property
    def week_totals(self) -> list[int]:
        return [sum(column) for column in zip(*self.by_group.values(), strict=True)]

    @property
    def total(self) -> int:
        return sum(self.week_totals)

    @property
    def preventable_total(self) -> int:
        return sum(self.preventable)

    @property
    def preventable_share(self) -> float | None:
        return self.preventable_total / self.total if self.total else None

    @property
    def preventable_shares(self) -> list[float | None]:
        return [p / t if t else None for p, t in zip(self.preventable, self.week_totals, strict=True)]


def insight_weeks(*, now: datetime, zone_name: str, weeks: int = WEEKS) -> tuple[list[date], datetime, datetime]:
    """The Mondays of the last `weeks` weeks (this one last) on the company's clock, and the window."""
    local_today = now.astimezone(zone(zone_name)).date()
    this_monday = local_today - timedelta(days=local_today.weekday())
    mondays = [this_monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    start = datetime.combine(mondays[0], time.min, tzinfo=zone(zone_name))
    return mondays, start, now


def call_insights(*, scope: Scope, company_id: int, zone_name: str, now: datetime, weeks: int = WEEKS) -> Insights:
    """The KPIs of the company's calls the viewer may read over the last `weeks` weeks: three queries."""
    scope.require_operations("call insights")
    mondays, start, end = insight_weeks(now=now, zone_name=zone_name, weeks=weeks)
    index = {monday: i for i, monday in enumerate(mondays)}
    params: dict[str, Any] = {
        "company": company_id,
        "start": start,
        "end": end,
        "zone": zone_name,
        "window": PREVENTABLE_WINDOW,
        "site_ids": sorted(scope.site_ids or ()),
    }
    site_condition = _SITE_CONDITION if scope.site_ids is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL.format(site_condition=site_condition), params)
        counts = cursor.fetchall()
        cursor.execute(_FOLLOW_UP_SQL.format(site_condition=site_condition), params)
        follow_ups = cursor.fetchall()

    by_group = {group: [0] * weeks for group in GROUPS}
    preventable = [0] * weeks
    clients: dict[int, ClientWeeks] = {}
    for client_id, week, group, calls, prevented in counts:
        i = index.get(week)
        if i is None:  # a call opened before this week's Monday on the company's clock
            continue
        row = clients.setdefault(
            client_id, ClientWeeks(client_id, "", {g: [0] * weeks for g in GROUPS}, {g: [0] * weeks for g in GROUPS})
        )
        row.counts[group][i] += calls
        row.prevented[group][i] += prevented
        by_group[group][i] += calls
        preventable[i] += prevented
    names = dict(Client.objects.filter(pk__in=clients).values_list("pk", "name"))
    for row in clients.values():
        row.name = names.get(row.client_id, "")

    medians: list[float | None] = [None] * weeks
    overall: float | None = None
    closed = 0
    for week, median, count in follow_ups:
        if week is None:
            overall, closed = median, count
        elif (i := index.get(week)) is not None:
            medians[i] = median
    return Insights(
        weeks=mondays,
        clients=sorted(clients.values(), key=lambda row: (-row.total, row.name)),
        by_group=by_group,
        preventable=preventable,
        follow_up_median_hours=medians,
        follow_up_median_hours_overall=overall,
        follow_ups_closed=closed,
    )


def insights_csv_rows(insights: Insights) -> list[list[str]]:
    """One row per week, client and reason group with calls: what the CSV export holds."""
    rows = [["week_starting", "client", "reason_group", "calls", "preventable_calls"]]
    for i, monday in enumerate(insights.weeks):
        for client in insights.clients:
            for group in GROUPS:
                calls = client.counts[group][i]
                if calls:
                    rows.append([monday.isoformat(), client.name, group, str(calls), str(client.prevented[group][i])])
    return rows

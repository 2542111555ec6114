"""Complaint KPIs: calls per client per week by reason group, the share that was preventable,
and how long follow-ups take to close. Aggregated in PostgreSQL: a fixed number of queries,
whatever the number of calls.

"Preventable" (PREVENTABLE_DEFINITION, also printed on the page): a call is preventable when,
in the 24 hours before it was opened, the rules had raised a flag — not dismissed as a false
positive by the time the call was closed — on the call's site, or, for a call linked to no
site, on any site of its client. The cause of such a call was on the console before the
client picked up the phone. `call_close` finds that flag (`flag_before_call`, one indexed
query) and keeps it on the call (`prior_flag`), so the judgement is evidence that does not
move, and the aggregate counts a column instead of searching the flags for every call.
A call still open has not been judged yet and counts as not preventable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection

from backend.accounts.models import Company
from backend.calls.models import ReasonGroup
from backend.core.localtime import zone
from backend.sites.models import Client
from backend.sites.scopes import Scope

WEEKS = 12
PREVENTABLE_DEFINITION = (
    "A call is preventable when, in the 24 hours before it was opened, the rules had raised a flag "
    "(not dismissed as a false positive by the time the call was closed) on the call's site — or, for a "
    "call linked to no site, on any site of its client. Calls still open are not judged yet."
)
UNCLASSIFIED = "unclassified"
GROUP_LABELS: dict[str, str] = {**dict(ReasonGroup.choices), UNCLASSIFIED: "Still open"}
GROUPS: tuple[str, ...] = (*ReasonGroup.values, UNCLASSIFIED)

# A supervisor's calls per client, week and reason group, and how many of them were preventable:
# a scan of the window (the covering index has these columns). The week is found against the
# Mondays' midnights on the company's clock, computed in Python, so a DST change is right and
# no row pays for a time-zone conversion.
_COUNTS_SQL = """
SELECT c.client_id, width_bucket(c.opened_at, %(bounds)s::timestamptz[]) AS week,
       COALESCE(code.reason_group, %(unclassified)s), count(*), count(c.prior_flag_id)
FROM calls_call AS c LEFT JOIN calls_dispositioncode AS code ON code.id = c.disposition_id
WHERE c.company_id = %(company)s AND c.opened_at >= %(start)s AND c.opened_at < %(end)s {site_condition}
GROUP BY 1, 2, 3
"""

# The whole company's: the tally's rows of the window's weeks (a few thousand, one index range,
# whatever the number of calls), less the calls of this week opened after the window's end
# (a phone's clock ahead: the tally counts whole weeks). Same columns as _COUNTS_SQL.
_TALLY_SQL = """
SELECT d.client_id, d.week, COALESCE(code.reason_group, %(unclassified)s), sum(d.calls), sum(d.preventable)
FROM (
    SELECT t.client_id, width_bucket(t.week, %(weeks)s::date[]) AS week, t.disposition_id, t.calls, t.preventable
    FROM calls_calltally AS t
    WHERE t.company_id = %(company)s AND t.zone = %(zone)s AND t.week >= %(first_week)s AND t.week <= %(last_week)s
    UNION ALL
    SELECT c.client_id, %(week_count)s, c.disposition_id, -1, -(c.prior_flag_id IS NOT NULL)::int
    FROM calls_call AS c
    WHERE c.company_id = %(company)s AND c.opened_at >= %(end)s AND c.opened_at < %(next_week)s
) AS d LEFT JOIN calls_dispositioncode AS code ON code.id = d.disposition_id
GROUP BY 1, 2, 3
HAVING sum(d.calls) <> 0
"""

# Median hours from a follow-up being promised to being done, per week it was done and overall:
# the company's own index of done follow-ups, joined to the calls only for a supervisor.
_FOLLOW_UP_SQL = """
SELECT width_bucket(fu.done_at, %(bounds)s::timestamptz[]) AS week,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM fu.done_at - fu.created_at)) / 3600,
       count(*)
FROM calls_followup AS fu {join}
WHERE fu.company_id = %(company)s AND fu.done_at >= %(start)s AND fu.done_at < %(end)s {site_condition}
GROUP BY GROUPING SETS ((1), ())
"""
_CALL_JOIN = "JOIN calls_call AS c ON c.id = fu.call_id"

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

    def cells(self) -> dict[tuple[int, int, str], tuple[int, int]]:
        """(calls, preventable calls) per (client id, week index, reason group) that has calls."""
        return {
            (row.client_id, week, group): (calls, row.prevented[group][week])
            for row in self.clients
            for group, weeks in row.counts.items()
            for week, calls in enumerate(weeks)
            if calls
        }


def insight_weeks(*, now: datetime, zone_name: str, weeks: int = WEEKS) -> tuple[list[date], datetime, datetime]:
    """The Mondays of the last `weeks` weeks (this one last) on the company's clock, and the window."""
    local_today = now.astimezone(zone(zone_name)).date()
    this_monday = local_today - timedelta(days=local_today.weekday())
    mondays = [this_monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    start = datetime.combine(mondays[0], time.min, tzinfo=zone(zone_name))
    return mondays, start, now


def call_insights(*, scope: Scope, company_id: int, zone_name: str, now: datetime, weeks: int = WEEKS) -> Insights:
    """The KPIs of the company's calls the viewer may read over the last `weeks` weeks: four queries.

    The whole company (a manager, GuardOps staff) on its own clock is read from the tally the
    triggers keep (models.CallTally); a supervisor's sites from their calls, through the
    covering index.
    """
    scope.require_operations("call insights")
    mondays, start, end = insight_weeks(now=now, zone_name=zone_name, weeks=weeks)
    local = zone(zone_name)
    params: dict[str, Any] = {
        "company": company_id,
        "start": start,
        "end": end,
        "zone": zone_name,
        "bounds": [datetime.combine(monday, time.min, tzinfo=local) for monday in mondays],
        "weeks": mondays,
        "week_count": weeks,
        "first_week": mondays[0],
        "last_week": mondays[-1],
        "next_week": datetime.combine(mondays[-1] + timedelta(weeks=1), time.min, tzinfo=local),
        "site_ids": sorted(scope.site_ids or ()),
        "unclassified": UNCLASSIFIED,
    }
    # The tally counts weeks on the company's clock; another clock (or a supervisor) counts calls.
    company_zone = Company.objects.filter(pk=company_id).values_list("timezone", flat=True).first()
    whole_company = scope.site_ids is None
    site_condition = "" if whole_company else _SITE_CONDITION
    counts_sql = _TALLY_SQL if whole_company and company_zone == zone_name else _COUNTS_SQL
    with connection.cursor() as cursor:
        cursor.execute(counts_sql.format(site_condition=site_condition), params)
        counts = cursor.fetchall()
        join = "" if whole_company else _CALL_JOIN
        cursor.execute(_FOLLOW_UP_SQL.format(join=join, site_condition=site_condition), params)
        follow_ups = cursor.fetchall()

    by_group = {group: [0] * weeks for group in GROUPS}
    preventable = [0] * weeks
    clients: dict[int, ClientWeeks] = {}
    for client_id, bucket, group, calls, prevented in counts:
        i = bucket - 1  # width_bucket counts from 1; the window starts at the first Monday
        if not 0 <= i < weeks:
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
    for bucket, median, count in follow_ups:
        if bucket is None:
            overall, closed = median, count
        elif 0 <= bucket - 1 < weeks:
            medians[bucket - 1] = median
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

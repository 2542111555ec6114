"""Call insights at scale: 200,000 calls over 12 weeks in one company.

What is measured (real PostGIS, the production code path, in this process):
- page: GET /console/calls/insights as a signed-in manager, through Django's full request
  cycle (middleware, `console_view`, `call_insights`, the SVG charts, the template) —
  server time, no network; p50/p95 over REPEATS requests.
- baseline: the same figures computed the straightforward way in Python: every call of
  the window and every flag read once, then looped over (week, client, reason group,
  "preventable" by a search in each site's and client's sorted flag times, the follow-up
  median with `statistics.median`). Its figures must equal the page's.
Target: p95 under 200 ms.
Data: the harness's throwaway tenant plus clients, sites, a shift a day per site, flags,
calls and follow-ups made in the database with generate_series; all dropped afterwards.
"""

from __future__ import annotations

import bisect
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

CALLS = harness.env_int("BENCH_CALLS", 200_000)
CLIENTS = harness.env_int("BENCH_CALL_CLIENTS", 40)
SITES_PER_CLIENT = 5
REPEATS = harness.env_int("BENCH_CALL_REPEATS", 30)
TARGET_P95_MS = 200.0

_SHIFTS_SQL = """
INSERT INTO staffing_shift (guard_id, post_id, scheduled_start, scheduled_end, status, notes, marked_missed_note,
                            created_at, updated_at)
SELECT %(guard)s, p.id, %(start)s::timestamptz + d * interval '1 day' + interval '7 hours',
       %(start)s::timestamptz + d * interval '1 day' + interval '19 hours', 'scheduled', '', '', now(), now()
FROM staffing_post AS p JOIN sites_site AS s ON s.id = p.site_id JOIN sites_client AS c ON c.id = s.client_id
CROSS JOIN generate_series(0, 84) AS d
WHERE c.company_id = %(company)s
"""

# A flag on about one shift in four (more on the first clients' sites: their guards are worse).
_FLAGS_SQL = """
INSERT INTO flags_flag (company_id, shift_id, code, key, severity, message, evidence, status, raised_at,
                        resolution_note, dismissal_reason, dismissal_note, shown_to_client, created_at, updated_at)
SELECT %(company)s, sh.id, 'LATE_CLOCK_IN', '', 'warning', 'Late.', '{}'::jsonb, 'open',
       sh.scheduled_start + interval '20 minutes', '', '', '', false, now(), now()
FROM staffing_shift AS sh JOIN staffing_post AS p ON p.id = sh.post_id JOIN sites_site AS s ON s.id = p.site_id
WHERE s.client_id = ANY(%(clients)s) AND mod(sh.id * 7919 + s.client_id, 4 + mod(s.client_id, 3)) = 0
"""

_CALLS_SQL = """
INSERT INTO calls_call (company_id, client_id, channel, status, caller_name, caller_number, caller_verified,
                        greeting, caller_words, advice, reassurance, disposition_id, disposition_comment, summary,
                        follow_up_promise, site_id, opened_at, opened_by_id, closed_at, closed_by_id,
                        created_at, updated_at)
SELECT %(company)s, cl.id, 'phone', 'closed', 'Bench caller', '+1 404 555 0100', false,
       'Hello.', 'The guard was late.', 'Checked.', 'We are on it.', code.id, 'Noted.', 'Summary.', '',
       CASE WHEN mod(g.n, 5) = 0 THEN NULL ELSE site.id END,
       %(start)s::timestamptz + (g.n::float / %(calls)s) * (%(end)s::timestamptz - %(start)s::timestamptz),
       %(manager)s,
       %(start)s::timestamptz + (g.n::float / %(calls)s) * (%(end)s::timestamptz - %(start)s::timestamptz)
         + interval '6 minutes',
       %(manager)s, now(), now()
FROM generate_series(0, %(calls)s - 1) AS g(n)
CROSS JOIN LATERAL (SELECT (%(clients)s::bigint[])[1 + mod(g.n * 31, %(client_count)s)] AS id) AS cl
-- every client calls about every code, not a fixed pair (the tally is then at its largest)
CROSS JOIN LATERAL (
    SELECT (%(codes)s::bigint[])[1 + mod(g.n * 17 + g.n / %(client_count)s, %(code_count)s)] AS id
) AS code
CROSS JOIN LATERAL (
    SELECT id FROM sites_site WHERE client_id = cl.id ORDER BY id OFFSET mod(g.n, %(sites)s) LIMIT 1
) AS site
"""

# What call_close does for each call (calls.selectors.flag_before_call), in bulk: the latest
# flag of the 24 hours before the call on its site, or on its client's sites when it names
# none. Each flag is keyed by its site (positive) and client (negative) id, in its day bucket
# and the next, so each call finds its candidates by one hash lookup.
_PRIOR_FLAG_SQL = """
WITH flagged AS MATERIALIZED (
    SELECT fl.id, fl.raised_at, s.id AS site_id, s.client_id
    FROM flags_flag AS fl JOIN staffing_shift AS sh ON sh.id = fl.shift_id
    JOIN staffing_post AS p ON p.id = sh.post_id JOIN sites_site AS s ON s.id = p.site_id
    WHERE fl.company_id = %(company)s AND fl.status <> 'dismissed'
),
keyed AS (
    SELECT flagged.id, k.key, floor(extract(epoch FROM flagged.raised_at) / 86400)::int + b.n AS bucket,
           flagged.raised_at
    FROM flagged CROSS JOIN LATERAL (VALUES (flagged.site_id), (-flagged.client_id)) AS k(key)
    CROSS JOIN (VALUES (0), (1)) AS b(n)
),
calls AS MATERIALIZED (
    SELECT id, opened_at, COALESCE(site_id, -client_id) AS key,
           floor(extract(epoch FROM opened_at) / 86400)::int AS bucket
    FROM calls_call WHERE company_id = %(company)s
),
prior AS (
    SELECT DISTINCT ON (calls.id) calls.id AS call_id, keyed.id AS flag_id
    FROM calls JOIN keyed ON keyed.key = calls.key AND keyed.bucket = calls.bucket
    WHERE keyed.raised_at <= calls.opened_at AND keyed.raised_at > calls.opened_at - interval '24 hours'
    ORDER BY calls.id, keyed.raised_at DESC
)
UPDATE calls_call SET prior_flag_id = prior.flag_id FROM prior WHERE calls_call.id = prior.call_id
"""

_FOLLOW_UPS_SQL = """
INSERT INTO calls_followup (call_id, company_id, due_at, owner_id, note, created_by_id, done_at, done_by_id,
                            done_note, created_at, updated_at)
SELECT c.id, c.company_id, c.closed_at + interval '1 day', %(manager)s, 'Call back.', %(manager)s,
       CASE WHEN mod(c.id, 10) = 0 THEN NULL ELSE c.closed_at + mod(c.id, 47) * interval '1 hour' END,
       CASE WHEN mod(c.id, 10) = 0 THEN NULL ELSE %(manager)s END, '', c.closed_at, now()
FROM calls_call AS c WHERE c.company_id = %(company)s AND mod(c.id, 10) < 2
"""


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def _baseline(*, company_id: int, zone_name: str, now):
    """The figures looped in Python: what the SQL must agree with."""
    from backend.calls.insights import insight_weeks
    from backend.calls.models import Call, FollowUp
    from backend.calls.selectors import PREVENTABLE_WINDOW
    from backend.core.localtime import zone
    from backend.flags.models import Flag, FlagStatus

    mondays, start, end = insight_weeks(now=now, zone_name=zone_name)
    index = {monday: i for i, monday in enumerate(mondays)}
    flag_times: dict[int, list[datetime]] = defaultdict(list)
    for shift_site, shift_client, report_site, report_client, raised_at in (
        Flag.objects.filter(company_id=company_id, raised_at__gt=start - PREVENTABLE_WINDOW, raised_at__lt=end)
        .exclude(status=FlagStatus.DISMISSED)
        .values_list(
            "shift__post__site_id",
            "shift__post__site__client_id",
            "incident__shift__post__site_id",
            "incident__shift__post__site__client_id",
            "raised_at",
        )
    ):
        flag_times[shift_site or report_site].append(raised_at)
        flag_times[-(shift_client or report_client)].append(raised_at)
    for times in flag_times.values():
        times.sort()
    counts: Counter[tuple[int, int, str]] = Counter()
    prevented: Counter[tuple[int, int, str]] = Counter()
    local = zone(zone_name)
    for client_id, site_id, opened_at, group in Call.objects.filter(
        company_id=company_id, opened_at__gte=start, opened_at__lt=end
    ).values_list("client_id", "site_id", "opened_at", "disposition__reason_group"):
        day = opened_at.astimezone(local).date()
        week = index.get(day - timedelta(days=day.weekday()))
        if week is None:
            continue
        key = (client_id, week, group or "unclassified")
        counts[key] += 1
        times = flag_times.get(site_id if site_id is not None else -client_id, [])
        i = bisect.bisect_right(times, opened_at)
        if i and times[i - 1] > opened_at - PREVENTABLE_WINDOW:
            prevented[key] += 1
    hours = [
        (done - created).total_seconds() / 3600
        for done, created in FollowUp.objects.filter(
            call__company_id=company_id, done_at__gte=start, done_at__lt=end
        ).values_list("done_at", "created_at")
    ]
    return counts, prevented, statistics.median(hours) if hours else None


def _breakdown(figures) -> tuple[Counter[tuple[int, int, str]], Counter[tuple[int, int, str]]]:
    """The page's figures keyed like the baseline's: (client, week index, reason group)."""
    cells = figures.cells()
    counts = Counter({key: calls for key, (calls, _) in cells.items()})
    return counts, +Counter({key: prevented for key, (_, prevented) in cells.items()})


def _profile(*, manager, company_id: int, zone_name: str, now) -> None:
    """EXPLAIN ANALYZE of each query call_insights sends, as it sends them (BENCH_PROFILE=1)."""
    from django.db import connection

    from backend.calls.insights import call_insights
    from backend.sites.scopes import scope_for

    sent: list[tuple[str, Any]] = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        call_insights(scope=scope_for(manager), company_id=company_id, zone_name=zone_name, now=now)
    with connection.cursor() as cursor:
        for sql, params in sent:
            t0 = time.perf_counter()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"--- {(time.perf_counter() - t0) * 1000:.1f} ms: {' '.join(sql.split())[:100]}\n{plan}\n")


def main() -> int:
    harness.django_setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client as HttpClient
    from django.test.utils import override_settings
    from django.utils import timezone

    from backend.accounts.models import Role, User
    from backend.calls.insights import call_insights, insight_weeks
    from backend.calls.models import DispositionCode
    from backend.sites.models import Client, Site
    from backend.sites.scopes import scope_for
    from backend.staffing.models import Post

    harness.purge_stale_tenants()
    started = time.perf_counter()
    tenant = harness.BenchTenant.create(guards=1, sites=1)
    try:
        now = timezone.now()
        zone_name = "America/New_York"
        _, start, _ = insight_weeks(now=now, zone_name=zone_name)
        manager = User.objects.create_user(
            username=f"{tenant.slug}-manager", password=None, company_id=tenant.company_id, role=Role.MANAGER
        )
        fence = Site.objects.get(pk=tenant.sites[0].site_id).geofence
        clients = [tenant.client_id]
        for n in range(1, CLIENTS):
            clients.append(Client.objects.create(company_id=tenant.company_id, name=f"Bench client {n}").pk)
        for client_id in clients:
            for n in range(SITES_PER_CLIENT if client_id != tenant.client_id else SITES_PER_CLIENT - 1):
                site = Site.objects.create(
                    client_id=client_id, name=f"Site {n}", street_address="1 Way", city="Atlanta",
                    timezone=zone_name, geofence=fence,
                )  # fmt: skip
                Post.objects.create(site=site, name="Gate")
        codes = list(DispositionCode.objects.filter(company_id=tenant.company_id).values_list("pk", flat=True))
        params: dict[str, Any] = {
            "company": tenant.company_id, "guard": tenant.guards[0].user_id, "manager": manager.pk,
            "start": start - timedelta(days=1), "end": now, "calls": CALLS, "clients": clients,
            "client_count": len(clients), "codes": codes, "code_count": len(codes), "sites": SITES_PER_CLIENT,
        }  # fmt: skip
        print(f"Creating {CALLS:,} calls for {len(clients)} clients over 12 weeks ...", flush=True)
        with connection.cursor() as cursor:
            steps: list[str] = []

            def run(name: str, sql: str) -> int:
                t0 = time.perf_counter()
                cursor.execute(sql, params)
                steps.append(f"{name} {time.perf_counter() - t0:.1f} s")
                return int(cursor.rowcount)

            run("shifts", _SHIFTS_SQL)
            flags = run("flags", _FLAGS_SQL)
            params["start"] = start
            calls = run("calls (and their tally)", _CALLS_SQL)
            # Fresh statistics, or the planner takes the new rows for one and loops over every pair.
            run("analyze", "ANALYZE calls_call, flags_flag, staffing_shift")
            run("preventable", _PRIOR_FLAG_SQL)
            follow_ups = run("follow-ups", _FOLLOW_UPS_SQL)
            for table in ("calls_call", "calls_calltally", "calls_followup", "flags_flag", "staffing_shift"):
                cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would after a bulk load
            print(f"  ({', '.join(steps)})")
        print(f"  {calls:,} calls, {flags:,} flags, {follow_ups:,} follow-ups in {time.perf_counter() - started:.0f} s")

        client = HttpClient()
        client.force_login(manager)
        # Templates name static files; the bench does not run collectstatic (no manifest).
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        timings: list[float] = []
        cpu_timings: list[float] = []
        with override_settings(STORAGES=storages):
            for _ in range(2):  # warm-up (and the session write)
                assert client.get("/console/calls/insights", HTTP_HOST="localhost").status_code == 200
            for _ in range(REPEATS):
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.get("/console/calls/insights", HTTP_HOST="localhost")
                timings.append((time.perf_counter() - t0) * 1000)
                cpu_timings.append((time.process_time() - c0) * 1000)
                assert response.status_code == 200, response.status_code
        selector_times = []
        for _ in range(5):
            t0 = time.perf_counter()
            figures = call_insights(
                scope=scope_for(manager), company_id=tenant.company_id, zone_name=zone_name, now=now
            )
            selector_times.append((time.perf_counter() - t0) * 1000)
        selector_ms = statistics.median(selector_times)

        if os.environ.get("BENCH_PROFILE"):
            _profile(manager=manager, company_id=tenant.company_id, zone_name=zone_name, now=now)
        t0, c0 = time.perf_counter(), time.process_time()
        base_counts, base_prevented, base_median = _baseline(company_id=tenant.company_id, zone_name=zone_name, now=now)
        baseline_ms = (time.perf_counter() - t0) * 1000
        baseline_cpu_ms = (time.process_time() - c0) * 1000
    finally:
        tenant.destroy()

    p50, p95 = statistics.median(timings), _p95(timings)
    cpu_p50, cpu_p95 = statistics.median(cpu_timings), _p95(cpu_timings)
    failures = []
    if p95 >= TARGET_P95_MS:
        failures.append(f"insights p95 {p95:.0f} ms >= {TARGET_P95_MS:.0f} ms")
    counts, prevented = _breakdown(figures)
    base_total, base_prevented_total = sum(base_counts.values()), sum(base_prevented.values())
    if counts != base_counts or prevented != +base_prevented:
        wrong = sorted(key for key in set(counts) | set(base_counts) if counts[key] != base_counts[key])
        failures.append(
            f"SQL and baseline disagree on calls or preventable calls per client, week and reason group: "
            f"{len(wrong)} cells differ (first {wrong[:3]}); totals {figures.total}/{figures.preventable_total} "
            f"vs {base_total}/{base_prevented_total}"
        )
    if base_median is not None and abs((figures.follow_up_median_hours_overall or 0) - base_median) >= 1e-6:
        failures.append(f"follow-up median {figures.follow_up_median_hours_overall} vs baseline {base_median}")
    print()
    print(f"{'path':<58}{'wall ms':>10}{'cpu ms':>10}")
    print(f"{'baseline: every call and flag looped in Python':<58}{baseline_ms:>10.0f}{baseline_cpu_ms:>10.0f}")
    print(f"{'insights page, p50':<58}{p50:>10.0f}{cpu_p50:>10.0f}")
    print(f"{'insights page, p95':<58}{p95:>10.0f}{cpu_p95:>10.0f}")
    print(f"{'of which call_insights (the SQL), median of 5':<58}{selector_ms:>10.0f}")
    print("(cpu: this process only — Django, the template, the driver; PostgreSQL's work is in wall)")
    print(
        f"\ncalls {figures.total:,} (baseline {base_total:,}), preventable {figures.preventable_total:,} "
        f"(baseline {base_prevented_total:,}, {100 * (figures.preventable_share or 0):.1f} %), follow-up median "
        f"{figures.follow_up_median_hours_overall or 0:.2f} h (baseline {base_median or 0:.2f} h); "
        f"{len(counts):,} client x week x reason cells compared"
    )
    verdict = "met" if not failures else "NOT met"
    print(f"target p95 < {TARGET_P95_MS:.0f} ms and the same figures as the baseline: {verdict}")
    return harness.finish(
        failures,
        f"RESULT bench_call_insights p50_ms={p50:.0f} p95_ms={p95:.0f} cpu_p95_ms={cpu_p95:.0f} "
        f"sql_ms={selector_ms:.0f} baseline_ms={baseline_ms:.0f} calls={figures.total} "
        f"speedup={baseline_ms / p95:.1f}x",
    )


if __name__ == "__main__":
    sys.exit(main())

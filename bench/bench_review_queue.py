"""Benchmark: the console's review queue (`GET /console/reports`) over 1,000,000 reports.

A throwaway company (20 sites, 50 guards on shifts) gets 1,000,000 incident reports and
300,000 open flags on them, written by PostgreSQL itself (`INSERT ... SELECT FROM
generate_series`, no ORM row by row), then ANALYZEd. A manager of the company asks, in
this process through Django's test client (the whole middleware stack, the view, the
template; server time, no network):

 - page 1 of the queue (newest first);
 - page 1,000, by its keyset cursor (`?after=`), as "Older" links lead there;
 - a filtered page: one site and one flag code, twice: a pair the data never has (an empty
   page, the slowest to prove empty from the reports' side) and one on every third report
   of the site (a full page).

Each is compared, in the same run, with a baseline view that pages the same filtered
queryset with OFFSET/LIMIT and counts it with COUNT(*) (bench/urls.py mounts it). The
query count per request is captured too: the page's own queries; the console's last-seen
session stamp (written by whichever request comes a minute after the last write, whatever
the page) is counted apart, so it cannot make two pages' counts differ.

Targets: p95 under 100 ms for each keyset page, page 1,000 within 2x of page 1, and the
same number of queries on every page. Exits 1 when a target is missed.
The company and all its rows are deleted at the end (also when the run fails).
Run: .venv/bin/python bench/bench_review_queue.py   (BENCH_REPORTS, BENCH_FLAGS, BENCH_REPEAT, BENCH_UNREVIEWED;
BENCH_DEBUG=1 prints the slowest queries of each case)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

REPORTS = int(os.environ.get("BENCH_REPORTS", "1000000"))
OPEN_FLAGS = int(os.environ.get("BENCH_FLAGS", "300000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
WARMUP = 5
SITES = 20
GUARDS = 50
# Scaled down with the reports (a quick run with BENCH_REPORTS=20000 pages to its middle).
PAGE = min(1000, max(2, REPORTS // 100))
TARGET_P95_MS = 100.0
# A queue that is worked: the newest reports wait (submitted or returned), the rest were approved.
UNREVIEWED = int(os.environ.get("BENCH_UNREVIEWED", "3000"))
FLAG_CODES = ["OUTSIDE_GEOFENCE", "LOW_ACCURACY", "UNIT_LOCATION_MISMATCH", "MOCK_LOCATION", "CLOCK_SKEW"]


def build_reports(tenant: harness.BenchTenant, manager_id: int, type_id: int) -> None:
    """1M reports (one every 37 s back in time; the newest UNREVIEWED mostly waiting for
    review, the rest approved) and 300k open flags on them, in SQL."""
    from django.db import connection

    shift_ids = [guard.shift_id for guard in tenant.guards]
    guard_ids = [guard.user_id for guard in tenant.guards]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO incidents_incidentreport (
                id, created_at, updated_at, shift_id, guard_id, type_id, occurred_at, location_detail, address,
                narrative, persons, status, version, payload_sha256, accuracy_m, is_mock, recorded_at, received_at,
                fence, approved_at, approved_by_id
            )
            SELECT
                gen_random_uuid(), now(), now(),
                (%(shifts)s::bigint[])[1 + n %% cardinality(%(shifts)s::bigint[])],
                (%(guards)s::bigint[])[1 + n %% cardinality(%(guards)s::bigint[])],
                %(type)s,
                now() - make_interval(secs => n * 37),
                'Loading dock', '',
                'Round ' || n || ': two people climbed the east gate at the loading dock and ran north.',
                '[]'::jsonb,
                CASE WHEN n > %(open)s OR n %% 4 = 0 THEN 'approved' WHEN n %% 4 = 1 THEN 'returned'
                     ELSE 'submitted' END,
                1, repeat('0', 64), 8.0, false,
                now() - make_interval(secs => n * 37),
                now() - make_interval(secs => n * 37 - 5),
                'inside',
                CASE WHEN n > %(open)s OR n %% 4 = 0 THEN now() - make_interval(secs => n * 37 - 600) END,
                CASE WHEN n > %(open)s OR n %% 4 = 0 THEN %(manager)s END
            FROM generate_series(1, %(reports)s) AS n
            """,
            {
                "shifts": shift_ids,
                "guards": guard_ids,
                "type": type_id,
                "manager": manager_id,
                "reports": REPORTS,
                "open": UNREVIEWED,
            },
        )
        # Every (REPORTS / OPEN_FLAGS)-th report gets one open flag; codes cycle. Each carries its
        # report's site and received_at, as incidents.services.incident_checks_apply writes them.
        cursor.execute(
            """
            INSERT INTO flags_flag (
                created_at, updated_at, company_id, incident_id, code, key, severity, message, evidence, status,
                raised_at, resolution_note, dismissal_reason, dismissal_note, incident_site_id, incident_received_at
            )
            SELECT now(), now(), %(company)s, r.id, (%(codes)s::text[])[1 + r.rn %% cardinality(%(codes)s::text[])],
                   '', CASE WHEN r.rn %% 7 = 0 THEN 'critical' ELSE 'warning' END,
                   'Filed outside the fence.', '{}'::jsonb, 'open', r.received_at, '', '', '',
                   r.site_id, r.received_at
            FROM (
                SELECT i.id, i.received_at, p.site_id, row_number() OVER (ORDER BY i.received_at) AS rn
                FROM incidents_incidentreport AS i
                JOIN staffing_shift AS s ON s.id = i.shift_id
                JOIN staffing_post AS p ON p.id = s.post_id
                WHERE i.shift_id = ANY(%(shifts)s::bigint[])
            ) AS r
            WHERE r.rn %% %(every)s = 0
            LIMIT %(flags)s
            """,
            {
                "company": tenant.company_id,
                "codes": FLAG_CODES,
                "shifts": shift_ids,
                "every": max(1, REPORTS // OPEN_FLAGS),
                "flags": OPEN_FLAGS,
            },
        )
        # VACUUM as autovacuum would have done to tables this size in production: it sets the
        # visibility map, without which no index-only scan is possible on freshly loaded rows.
        cursor.execute("VACUUM ANALYZE incidents_incidentreport")
        cursor.execute("VACUUM ANALYZE flags_flag")


def _session_write(sql: str) -> bool:
    """The console's last-seen stamp (console/middleware.py), saved once a minute whatever the page:
    the session row's UPDATE/INSERT and the savepoint around it."""
    return sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) or (
        "django_session" in sql and not sql.startswith("SELECT")
    )


def measure(client, path: str) -> tuple[list[float], list[int], int, list[float]]:
    """Server times, the page's queries per request (the minutely session write counted apart),
    how many of the requests carried that write, and this process's CPU time per request (the
    Python side: what a shared machine's load inflates least; the database's time is not in it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:500]!r}")
    timings, queries, session_writes, cpu = [], [], 0, []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        page_queries = [q for q in captured.captured_queries if not _session_write(q["sql"])]
        session_writes += len(page_queries) != len(captured.captured_queries)
        queries.append(len(page_queries))
    if os.environ.get("BENCH_DEBUG"):
        for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:4]:
            print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
    return timings, queries, session_writes, cpu


def main() -> int:
    harness.django_setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from backend.accounts.models import Role, User
    from backend.incidents.models import IncidentType

    harness.purge_stale_tenants()
    print(f"Building {REPORTS:,} reports and {OPEN_FLAGS:,} open flags ...", flush=True)
    tenant = harness.BenchTenant.create(guards=GUARDS, sites=SITES)
    failures: list[str] = []
    try:
        manager = User(username=f"{tenant.slug}-manager", role=Role.MANAGER, company_id=tenant.company_id)
        manager.set_unusable_password()
        manager.save()
        incident_type, _ = IncidentType.objects.get_or_create(
            company_id=tenant.company_id, code="trespass", defaults={"name": "Trespass"}
        )
        started = time.perf_counter()
        build_reports(tenant, manager.pk, incident_type.pk)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)

        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT received_at, id FROM incidents_incidentreport WHERE shift_id = ANY(%s::bigint[])
                   ORDER BY received_at DESC, id DESC OFFSET %s LIMIT 1""",
                [[guard.shift_id for guard in tenant.guards], (PAGE - 1) * 50 - 1],
            )
            received_at, report_id = cursor.fetchone()
        cursor_param = f"{received_at.isoformat()}_{report_id}"
        site_id = tenant.sites[3].site_id
        from urllib.parse import urlencode

        cases = {
            "page 1": ("/console/reports", "/bench/baseline/reports?page=1"),
            f"page {PAGE:,}": (
                "/console/reports?" + urlencode({"after": cursor_param}),
                f"/bench/baseline/reports?page={PAGE}",
            ),
            # The data gives each site one flag code (site n: reports n mod 5, codes cycle on 5):
            # site 3 has no OUTSIDE_GEOFENCE flag at all (an empty page, the slowest to prove
            # empty from the reports' side) and a MOCK_LOCATION flag on every third report.
            "site + flag code": (
                f"/console/reports?site={site_id}&flag_code=OUTSIDE_GEOFENCE",
                f"/bench/baseline/reports?site={site_id}&flag_code=OUTSIDE_GEOFENCE&page=1",
            ),
            "site + flag code (full page)": (
                f"/console/reports?site={site_id}&flag_code=MOCK_LOCATION",
                f"/bench/baseline/reports?site={site_id}&flag_code=MOCK_LOCATION&page=1",
            ),
        }
        client = Client(SERVER_NAME="localhost")
        client.force_login(manager)
        results: dict[str, dict[str, float]] = {}
        query_counts: set[int] = set()
        session_writes = 0
        # Templates name static files; the bench does not run collectstatic (no manifest).
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(ROOT_URLCONF="bench.urls", STORAGES=storages):
            for name, (keyset_path, baseline_path) in cases.items():
                keyset, keyset_queries, keyset_writes, keyset_cpu = measure(client, keyset_path)
                baseline, baseline_queries, _, _ = measure(client, baseline_path)
                query_counts.update(keyset_queries)
                session_writes += keyset_writes
                results[name] = {
                    "p50": harness.percentile(keyset, 0.5),
                    "p95": harness.percentile(keyset, 0.95),
                    "base_p50": harness.percentile(baseline, 0.5),
                    "base_p95": harness.percentile(baseline, 0.95),
                    "cpu_p95": harness.percentile(keyset_cpu, 0.95),
                }
                print(
                    f"  {name:>28}: keyset p50 {results[name]['p50']:7.1f} ms  p95 {results[name]['p95']:7.1f} ms"
                    f"  cpu p95 {results[name]['cpu_p95']:5.1f} ms  ({max(keyset_queries)} queries)"
                    f"   OFFSET+COUNT p50 {results[name]['base_p50']:7.1f} ms"
                    f"  p95 {results[name]['base_p95']:7.1f} ms  ({max(baseline_queries)} queries)",
                    flush=True,
                )
                if results[name]["p95"] >= TARGET_P95_MS:
                    failures.append(f"{name}: p95 {results[name]['p95']:.1f} ms >= {TARGET_P95_MS:.0f} ms")
        print(
            f"  query counts are the page's own; {session_writes} of {REPEAT * len(cases)} keyset requests also"
            " saved the session (the once-a-minute last-seen stamp; those queries are left out of the counts)",
            flush=True,
        )
        page_1, page_n = results["page 1"]["p95"], results[f"page {PAGE:,}"]["p95"]
        if page_n > 2 * page_1:
            failures.append(f"page {PAGE:,} p95 {page_n:.1f} ms is more than 2x page 1 ({page_1:.1f} ms)")
        if len(query_counts) != 1:
            failures.append(f"the query count differs between pages: {sorted(query_counts)}")
    finally:
        tenant.destroy()
    line = "RESULT review_queue " + " ".join(
        f"{name.replace(' ', '_').replace(',', '')}_p95_ms={values['p95']:.1f}"
        f" {name.replace(' ', '_').replace(',', '')}_baseline_p95_ms={values['base_p95']:.1f}"
        for name, values in results.items()
    )
    return harness.finish(failures, line)


if __name__ == "__main__":
    raise SystemExit(main())

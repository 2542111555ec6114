"""Benchmark: filing incident reports (`POST /api/mobile/v1/incidents`) at 20 concurrent clients.

A throwaway company (one site with a 96-vertex fence, 20 guards on shifts in progress,
a device token each). Every report is filed from a mocked position 3 km outside the
fence, naming a building the site does not have, so the checks raise three flags on each:
MOCK_LOCATION (critical, which also enqueues the managers' notification task),
OUTSIDE_GEOFENCE (distance from PostGIS) and UNIT_UNKNOWN (the address registry and the
nearest unit). (A coarse fix no longer works for the third: since a fix worse than the
accuracy limit decides nothing, LOW_ACCURACY and OUTSIDE_GEOFENCE exclude each other.) Bodies are serialised
before the clock starts; 20 client threads with keep-alive connections send them to
gunicorn (sync workers) on loopback, against the real database and Redis.

Phases, on the same server:
 - floor: `GET /incident-types` (token check and one query), the cost of any request;
 - submit: new reports (the measured figure);
 - replay: the same reports again (idempotent replays: nothing stored).
Checks: every report answered 201 with exactly the three flags and the replays with
`Idempotent-Replayed`; the database holds one report and three open flags per report.
The server's Celery tasks go to a queue of this run only, deleted at the end with the
company and all its rows.

Exits 1 when a check fails.
Run: .venv/bin/python bench/bench_incidents.py     (BENCH_WORKERS, BENCH_CLIENTS, BENCH_REPORTS)
"""

from __future__ import annotations

import json
import math
import os
import secrets
import sys
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

WORKERS = harness.env_int("BENCH_WORKERS", 4)
CLIENTS = harness.env_int("BENCH_CLIENTS", 20)
REPORTS_PER_CLIENT = harness.env_int("BENCH_REPORTS", 30)
FLOOR_PER_CLIENT = 20
WARMUP_PER_CLIENT = 3
OUTSIDE_M = 3000.0
EXPECTED_FLAGS = ["MOCK_LOCATION", "OUTSIDE_GEOFENCE", "UNIT_UNKNOWN"]
API = "/api/mobile/v1"


def report_body(guard: harness.BenchGuard, site: harness.BenchSite, now_iso: str, occurred_iso: str) -> bytes:
    m_per_deg_lon = harness.M_PER_DEG_LAT * math.cos(math.radians(site.lat))
    lon = site.lon + (site.radius_m * 1.2 + OUTSIDE_M) / m_per_deg_lon
    body = {
        "id": str(uuid.uuid4()),
        "shift_id": guard.shift_id,
        "type": "trespass",
        "occurred_at": occurred_iso,
        "position": {"lat": site.lat, "lon": lon, "accuracy_m": 20.0, "recorded_at": now_iso, "is_mock": True},
        "address": "Bldg Z #12",
        "location_detail": "Loading dock, east gate",
        "narrative": "Two people climbed the east gate at the loading dock; I called out and they ran north.",
        "persons": [{"name": "Unknown, two adults", "role": "suspect"}],
    }
    return json.dumps(body).encode()


def headers(guard: harness.BenchGuard) -> dict[str, str]:
    return {"Authorization": f"Bearer {guard.token}", "Content-Type": "application/json"}


def purge_queue(broker_url: str, queue: str) -> int:
    """Delete this run's Celery queue (and kombu's bindings for it) from Redis."""
    import redis

    client = redis.Redis.from_url(broker_url)
    keys = list(client.scan_iter(match=f"*{queue}*", count=1000))
    queued = sum(int(client.llen(key)) for key in keys if client.type(key) == b"list")
    if keys:
        client.delete(*keys)
    return queued


def main() -> int:
    queue = f"guardops-bench-{secrets.token_hex(4)}"
    # Set before Django and gunicorn start: the server's tasks go to this run's queue,
    # which no worker consumes and which is deleted at the end.
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = queue
    harness.django_setup()
    from django.conf import settings

    from backend.flags.models import Flag, FlagStatus
    from backend.incidents.models import IncidentReport

    stale = harness.purge_stale_tenants()
    if stale:
        print(f"(removed {stale} benchmark tenant(s) left by an interrupted run)")
    tenant = harness.BenchTenant.create(guards=CLIENTS, sites=1)
    failures: list[str] = []
    try:
        site = tenant.sites[0]
        now = harness.utc_now()
        now_iso, occurred_iso = now.isoformat(), (now - timedelta(minutes=10)).isoformat()

        def reports(count: int) -> list[list[harness.Job]]:
            return [
                [
                    harness.Job(
                        "POST", f"{API}/incidents", report_body(guard, site, now_iso, occurred_iso), headers(guard)
                    )
                    for _ in range(count)
                ]
                for guard in tenant.guards
            ]

        warmup, submit = reports(WARMUP_PER_CLIENT), reports(REPORTS_PER_CLIENT)
        floor = [
            [harness.Job("GET", f"{API}/incident-types", None, headers(guard)) for _ in range(FLOOR_PER_CLIENT)]
            for guard in tenant.guards
        ]
        with harness.GunicornServer(workers=WORKERS) as server:
            harness.run_clients(server.port, warmup)
            floor_stats = harness.run_clients(server.port, floor)
            submit_stats = harness.run_clients(server.port, submit)
            replay_stats = harness.run_clients(server.port, submit)

        # Checks: answers, then what the database holds.
        for result in submit_stats.results:
            answer = json.loads(result.body)
            if result.status != 201 or sorted(flag["code"] for flag in answer.get("flags", [])) != EXPECTED_FLAGS:
                failures.append(f"submit answered {result.status}: {result.body[:300]!r}")
                break
        if replay_stats.statuses != {201: len(replay_stats.results)}:
            failures.append(f"replays answered {replay_stats.statuses}")
        if floor_stats.statuses != {200: len(floor_stats.results)}:
            failures.append(f"floor answered {floor_stats.statuses}")
        filed = CLIENTS * (REPORTS_PER_CLIENT + WARMUP_PER_CLIENT)
        stored = IncidentReport.objects.filter(guard__company_id=tenant.company_id).count()
        open_flags = Flag.objects.filter(company_id=tenant.company_id, status=FlagStatus.OPEN).count()
        if stored != filed or open_flags != 3 * filed:
            failures.append(f"stored {stored} reports / {open_flags} flags; expected {filed} / {3 * filed}")
    finally:
        tenant.destroy()
        queued = purge_queue(settings.CELERY_BROKER_URL, queue)

    print(
        f"incident submission: {CLIENTS} clients, gunicorn {WORKERS} sync workers, loopback, "
        f"3 flags per report (mock + {OUTSIDE_M / 1000:.0f} km outside + unknown building)"
    )
    header = f"{'phase':<34}{'requests':>9}{'median ms':>11}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}"
    print(header)
    print("-" * len(header))
    for name, stats in (
        ("floor: GET /incident-types", floor_stats),
        ("submit: POST /incidents (3 flags)", submit_stats),
        ("replay: same POST again", replay_stats),
    ):
        print(
            f"{name:<34}{len(stats.results):>9}{stats.median_ms:>11.1f}{stats.latency_ms(0.95):>9.1f}"
            f"{stats.latency_ms(0.99):>9.1f}{len(stats.results) / stats.wall_seconds:>9.0f}"
        )
    print()
    print(f"notification tasks enqueued (critical MOCK_LOCATION flags), then discarded: {queued}")
    print(f"submit median / floor median: {submit_stats.median_ms / floor_stats.median_ms:.1f}x")
    rps = len(submit_stats.results) / submit_stats.wall_seconds
    return harness.finish(
        failures,
        f"RESULT bench_incidents median_ms={submit_stats.median_ms:.1f} "
        f"p95_ms={submit_stats.latency_ms(0.95):.1f} rps={rps:.0f}",
    )


if __name__ == "__main__":
    sys.exit(main())

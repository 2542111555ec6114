"""Benchmark: breadcrumb ingestion (`POST /api/mobile/v1/pings`) through gunicorn on loopback.

A throwaway company with one site (a 96-vertex fence), 40 guards on shifts in progress
and a device token each. Batches of 200 pings (70 % inside the fence, 20 % in the near
band, 10 % up to 3 km away) are serialised before the clock starts and sent by 8 client
threads with keep-alive connections to gunicorn (sync workers) on the real database.

Measured in the same run, on the same server, in 3 rounds that alternate the paths (so
load from anything else on the machine falls on all of them; the median round counts):
 - baseline: `POST /bench/baseline/pings` (bench/ping_baseline.py, mounted only by the
   bench URLconf): same auth, schema and ownership check, but one PostGIS geofence query
   (`site_verdict`) and one `save()` per ping;
 - ingestion: the production endpoint (one vectorised fence pass over the batch with the
   site's prepared fence cached in the worker, one INSERT ... ON CONFLICT DO NOTHING);
 - replay: the same batches again (all duplicates; nothing stored).
Checks: every batch answered 200 with the expected accepted/duplicate counts, the rows
in the database match, and the production verdicts agree with the baseline's PostGIS
verdicts on identical positions. The company and its rows are deleted at the end.

Targets: at least 10x the baseline and at least 5,000 pings/s.
Exits 1 when a check fails (not when a target is missed; the table says so).

Run: .venv/bin/python bench/bench_pings.py     (BENCH_WORKERS, BENCH_CLIENTS to vary)
"""

from __future__ import annotations

import json
import math
import os
import random
import statistics
import sys
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

SEED = 20261123
BATCH = 200
GUARDS = 40
WORKERS = harness.env_int("BENCH_WORKERS", 3)
CLIENTS = harness.env_int("BENCH_CLIENTS", 8)
ROUNDS = 3
INGEST_BATCHES = 150  # per round: 30,000 pings
BASELINE_BATCHES = 8  # per round: 1,600 pings (the baseline is slow)
WARMUP_BATCHES = 2 * WORKERS
TARGET_RATIO = 10.0
TARGET_PINGS_PER_S = 5_000.0
# States may differ only where the two measurements straddle the near-band threshold.
DISTANCE_TOLERANCE_M = 1.0

FAST_PATH = "/api/mobile/v1/pings"
BASELINE_PATH = "/bench/baseline/pings"


def make_positions(site: harness.BenchSite, rng: random.Random, count: int) -> list[tuple[float, float, float]]:
    """(lon, lat, accuracy_m): 70 % inside, 20 % near the fence, 10 % up to 3 km away."""
    m_per_deg_lon = harness.M_PER_DEG_LAT * math.cos(math.radians(site.lat))
    positions = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.7:
            r = site.radius_m * 0.8 * math.sqrt(rng.random())
        elif roll < 0.9:
            r = site.radius_m * 1.15 + rng.uniform(0, 40)
        else:
            r = site.radius_m * 1.15 + rng.uniform(100, 3000)
        angle = rng.uniform(0, 2 * math.pi)
        accuracy = min(65.0, max(3.0, rng.lognormvariate(math.log(8), 0.6)))
        positions.append(
            (
                site.lon + r * math.cos(angle) / m_per_deg_lon,
                site.lat + r * math.sin(angle) / harness.M_PER_DEG_LAT,
                accuracy,
            )
        )
    return positions


def make_batch(guard: harness.BenchGuard, positions: list[tuple[float, float, float]], path: str) -> harness.Job:
    now = harness.utc_now()
    pings = [
        {
            "id": str(uuid.uuid4()),
            "shift_id": guard.shift_id,
            "lat": lat,
            "lon": lon,
            "accuracy_m": round(accuracy, 1),
            "recorded_at": (now - timedelta(seconds=(len(positions) - i) * 3)).isoformat(),
            "speed_mps": 1.1,
            "heading": 90.0,
        }
        for i, (lon, lat, accuracy) in enumerate(positions)
    ]
    return harness.Job(
        "POST",
        path,
        json.dumps({"pings": pings, "sent_at": now.isoformat()}).encode(),
        {"Authorization": f"Bearer {guard.token}", "Content-Type": "application/json"},
    )


def batches(
    tenant: harness.BenchTenant, rng: random.Random, count: int, path: str
) -> list[tuple[harness.Job, list[tuple[float, float, float]]]]:
    site_by_id = {site.site_id: site for site in tenant.sites}
    made = []
    for n in range(count):
        guard = tenant.guards[n % len(tenant.guards)]
        positions = make_positions(site_by_id[guard.site_id], rng, BATCH)
        made.append((make_batch(guard, positions, path), positions))
    return made


def spread(jobs: list[harness.Job], threads: int) -> list[list[harness.Job]]:
    return [jobs[i::threads] for i in range(threads)]


def check_answers(name: str, stats: harness.RunStats, accepted: int, duplicates: int, failures: list[str]) -> None:
    bad = [
        r
        for r in stats.results
        if r.status != 200 or json.loads(r.body) != {"accepted": accepted, "duplicates": duplicates}
    ]
    if bad:
        failures.append(
            f"{name}: {len(bad)} of {len(stats.results)} answers unexpected, e.g. {bad[0].status} {bad[0].body[:200]!r}"
        )


def stored_verdicts(ids: list[str]) -> dict[str, tuple[str, float]]:
    from backend.tracking.models import Ping

    rows = Ping.objects.filter(pk__in=ids).values_list("id", "fence", "distance_m")
    return {str(pk): (fence, float(distance)) for pk, fence, distance in rows}


def compare_verdicts(
    baseline_jobs: list[harness.Job], mirror_jobs: list[harness.Job], near_buffer_m: float, failures: list[str]
) -> int:
    """Production verdicts vs the baseline's PostGIS verdicts on the same positions."""
    pairs: list[tuple[str, str, float]] = []
    for base, mirror in zip(baseline_jobs, mirror_jobs, strict=True):
        base_pings = json.loads(base.body or b"{}")["pings"]
        mirror_pings = json.loads(mirror.body or b"{}")["pings"]
        pairs.extend((b["id"], m["id"], b["accuracy_m"]) for b, m in zip(base_pings, mirror_pings, strict=True))
    base_rows = stored_verdicts([b for b, _, _ in pairs])
    mirror_rows = stored_verdicts([m for _, m, _ in pairs])
    disagreements = 0
    for base_id, mirror_id, accuracy in pairs:
        (base_fence, base_distance), (fence, distance) = base_rows[base_id], mirror_rows[mirror_id]
        off_by = abs(base_distance - distance)
        on_threshold = abs(base_distance - accuracy - near_buffer_m) <= DISTANCE_TOLERANCE_M
        if off_by > DISTANCE_TOLERANCE_M or (base_fence != fence and not on_threshold):
            disagreements += 1
    if disagreements:
        failures.append(f"verdicts: {disagreements} of {len(pairs)} pings disagree with PostGIS")
    return len(pairs)


def main() -> int:
    harness.django_setup()
    from backend.tracking.models import Ping

    stale = harness.purge_stale_tenants()
    if stale:
        print(f"(removed {stale} benchmark tenant(s) left by an interrupted run)")
    rng = random.Random(SEED)
    tenant = harness.BenchTenant.create(guards=GUARDS, sites=1, fence_radius_m=150.0, fence_vertices=96)
    failures: list[str] = []
    runs: dict[str, list[harness.RunStats]] = {"baseline": [], "ingestion": [], "replay": []}
    try:
        warmup = [job for job, _ in batches(tenant, rng, WARMUP_BATCHES, FAST_PATH)]
        warmup += [job for job, _ in batches(tenant, rng, WARMUP_BATCHES, BASELINE_PATH)]
        rounds = [
            (batches(tenant, rng, BASELINE_BATCHES, BASELINE_PATH), batches(tenant, rng, INGEST_BATCHES, FAST_PATH))
            for _ in range(ROUNDS)
        ]
        baseline_jobs = [job for baseline, _ in rounds for job, _ in baseline]
        # The baseline's positions again, new UUIDs, through production: for the verdict check.
        mirror = [
            make_batch(tenant.guards[n % len(tenant.guards)], positions, FAST_PATH)
            for n, (_, positions) in enumerate(made for baseline, _ in rounds for made in baseline)
        ]

        with harness.GunicornServer(workers=WORKERS) as server:
            harness.run_clients(server.port, spread(warmup, CLIENTS))
            # Rounds alternate the paths, so load from anything else on the machine falls on both.
            for baseline, ingest in rounds:
                ingest_jobs = [job for job, _ in ingest]
                runs["baseline"].append(harness.run_clients(server.port, spread([j for j, _ in baseline], CLIENTS)))
                runs["ingestion"].append(harness.run_clients(server.port, spread(ingest_jobs, CLIENTS)))
                runs["replay"].append(harness.run_clients(server.port, spread(ingest_jobs, CLIENTS)))
            harness.run_clients(server.port, [mirror])

        for stats in runs["baseline"]:
            check_answers("baseline", stats, BATCH, 0, failures)
        for stats in runs["ingestion"]:
            check_answers("ingestion", stats, BATCH, 0, failures)
        for stats in runs["replay"]:
            check_answers("replay", stats, 0, BATCH, failures)
        expected_rows = (2 * WARMUP_BATCHES + ROUNDS * (BASELINE_BATCHES + INGEST_BATCHES) + len(mirror)) * BATCH
        stored = Ping.objects.filter(shift__post__site__client__company=tenant.company_id).count()
        if stored != expected_rows:
            failures.append(f"database: {stored} pings stored, expected {expected_rows}")
        compared = compare_verdicts(baseline_jobs, mirror, near_buffer_m=25.0, failures=failures)
    finally:
        tenant.destroy()

    def rate(stats: harness.RunStats) -> float:
        return len(stats.results) * BATCH / stats.wall_seconds

    rates = {name: statistics.median(rate(stats) for stats in per_round) for name, per_round in runs.items()}
    ratio = rates["ingestion"] / rates["baseline"]

    print(
        f"Ping ingestion through gunicorn ({WORKERS} sync workers, {CLIENTS} client threads, "
        f"batches of {BATCH}, {os.cpu_count()} cores, median of {ROUNDS} alternating rounds)"
    )
    header = (
        f"{'path':<44} {'batches':>8} {'pings':>8} {'seconds':>8} {'pings/s':>9} {'rounds':>20} {'p50 ms':>8} "
        f"{'p95 ms':>8}"
    )
    print(header)
    print("-" * len(header))
    labels = {
        "baseline": "baseline: save() + PostGIS query per ping",
        "ingestion": "ingestion: POST /pings",
        "replay": "replay: POST /pings, all duplicates",
    }
    for name, per_round in runs.items():
        results = [result for stats in per_round for result in stats.results]
        seconds = sum(stats.wall_seconds for stats in per_round)
        latencies = [result.seconds * 1000 for result in results]
        spread_text = "/".join(f"{rate(stats):.0f}" for stats in per_round)
        print(
            f"{labels[name]:<44} {len(results):>8} {len(results) * BATCH:>8} {seconds:>8.2f} {rates[name]:>9.0f} "
            f"{spread_text:>20} {harness.percentile(latencies, 0.5):>8.1f} {harness.percentile(latencies, 0.95):>8.1f}"
        )
    print()
    print(f"verdicts compared with PostGIS: {compared} pings")
    met = ratio >= TARGET_RATIO and rates["ingestion"] >= TARGET_PINGS_PER_S
    print(
        f"targets: >= {TARGET_RATIO:.0f}x baseline and >= {TARGET_PINGS_PER_S:,.0f} pings/s: "
        f"{'met' if met else 'MISSED'} ({ratio:.1f}x, {rates['ingestion']:,.0f} pings/s)"
    )
    return harness.finish(
        failures,
        f"RESULT bench_pings pings_per_s={rates['ingestion']:.0f} baseline_per_s={rates['baseline']:.0f} "
        f"ratio={ratio:.1f}",
    )


if __name__ == "__main__":
    sys.exit(main())

"""Shared plumbing for the HTTP benchmarks: a real gunicorn, a throwaway tenant, threaded clients.

- `django_setup()`: configure Django in this process like the server (real settings,
  real PostGIS from DATABASE_URL; DEBUG off, plain HTTP on loopback).
- `BenchTenant.create(...)` / `.destroy()`: a dedicated company (slug `bench-<hex>`) with a
  client, sites, posts, guards with shifts in progress now, and one device token per
  guard, made with plain ORM (no test factories). `destroy()` deletes every row of the
  company, whatever app it belongs to; `purge_stale_tenants()` removes tenants left by
  a run that was killed.
- `GunicornServer(workers=N)`: gunicorn on a free loopback port against the real
  database, waiting for /healthz; a context manager that always stops it. It serves
  `bench/wsgi.py`, which is the production WSGI app with the URLconf set per request to
  `bench/urls.py` (production URLs plus bench-only baselines), so no bench code is
  mounted in production and the settings module is unchanged.
- `run_clients(...)`: N threads, each with a keep-alive `http.client` connection,
  sending prepared requests; returns per-request latency and status.

Use:
    from bench import harness
    harness.django_setup()
    tenant = harness.BenchTenant.create(guards=20)
    try:
        with harness.GunicornServer(workers=4) as server:
            results = harness.run_clients(server.port, jobs_per_thread)
    finally:
        tenant.destroy()
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import math
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_SLUG_PREFIX = "bench-"
# Atlanta, like the demo data; any place works.
CENTRE_LON, CENTRE_LAT = -84.3880, 33.7800
M_PER_DEG_LAT = 111_320.0


def env_int(name: str, default: int) -> int:
    """A bench's size knob: the whole number in the environment variable `name`, else `default`."""
    return int(os.environ.get(name, default))


def bench_environment() -> dict[str, str]:
    """Environment for this process and the server: the real settings, plain HTTP, no DEBUG."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")
    env["DJANGO_DEBUG"] = "false"
    # Plain HTTP on loopback: no redirect to https.
    env["DJANGO_SECURE_SSL_REDIRECT"] = "false"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    if "DJANGO_SECRET_KEY" not in env and not (ROOT / ".env").exists():
        # No key configured anywhere (a bare checkout): one for this run only.
        env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def django_setup() -> None:
    """Configure Django in this process the way the benchmark server runs."""
    os.environ.update(bench_environment())
    import django

    django.setup()


# --- A throwaway tenant --------------------------------------------------------------------


def circle_fence(*, lon: float, lat: float, radius_m: float, vertices: int = 96, wobble: float = 0.15) -> Any:
    """An irregular closed fence (MultiPolygon, SRID 4326) around a point; seeded, not random."""
    from django.contrib.gis.geos import MultiPolygon, Polygon

    m_per_deg_lon = M_PER_DEG_LAT * math.cos(math.radians(lat))
    ring = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = radius_m * (1 + wobble * math.sin(5 * angle) * math.cos(3 * angle))
        ring.append((lon + r * math.cos(angle) / m_per_deg_lon, lat + r * math.sin(angle) / M_PER_DEG_LAT))
    ring.append(ring[0])
    return MultiPolygon(Polygon(ring, srid=4326), srid=4326)


@dataclass
class BenchGuard:
    user_id: int
    username: str
    token: str  # raw bearer token
    shift_id: int
    site_id: int


@dataclass
class BenchSite:
    site_id: int
    lon: float
    lat: float
    radius_m: float
    post_id: int


@dataclass
class BenchTenant:
    company_id: int
    slug: str
    client_id: int
    sites: list[BenchSite] = field(default_factory=list)
    guards: list[BenchGuard] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        *,
        guards: int = 10,
        sites: int = 1,
        fence_radius_m: float = 150.0,
        fence_vertices: int = 96,
        shift_started: timedelta = timedelta(hours=1),
        shift_length: timedelta = timedelta(hours=8),
    ) -> BenchTenant:
        """A company with `sites` sites (one post each) and `guards` guards, each on a shift now.

        Guards are spread over the sites round-robin; each has a live device token.
        Passwords are unusable (hashing 1M-iteration PBKDF2 per guard would dominate
        setup); tokens are stored the way `devices.services` stores them and checked.
        """
        from django.db import transaction
        from django.utils import timezone

        from backend.accounts.models import Company, Role, User
        from backend.devices.models import DeviceToken
        from backend.devices.services import TOKEN_PREFIX, device_token_authenticate
        from backend.sites.models import Client, Site
        from backend.staffing.models import Post, Shift

        slug = BENCH_SLUG_PREFIX + secrets.token_hex(4)
        now = timezone.now()
        with transaction.atomic():
            company = Company.objects.create(name=f"Benchmark {slug}", slug=slug, timezone="America/New_York")
            client = Client.objects.create(company=company, name="Benchmark client")
            tenant = cls(company_id=company.pk, slug=slug, client_id=client.pk)
            for n in range(sites):
                lon, lat = CENTRE_LON + 0.02 * n, CENTRE_LAT
                site = Site.objects.create(
                    client=client,
                    name=f"Benchmark site {n}",
                    street_address=f"{n} Benchmark Way",
                    city="Atlanta",
                    timezone="America/New_York",
                    geofence=circle_fence(lon=lon, lat=lat, radius_m=fence_radius_m, vertices=fence_vertices),
                )
                post = Post.objects.create(site=site, name="Patrol")
                tenant.sites.append(BenchSite(site.pk, lon, lat, fence_radius_m, post.pk))
            for n in range(guards):
                user = User(username=f"{slug}-guard-{n}", role=Role.GUARD, company=company, first_name="Bench")
                user.set_unusable_password()
                user.save()
                bench_site = tenant.sites[n % len(tenant.sites)]
                shift = Shift.objects.create(
                    guard=user,
                    post_id=bench_site.post_id,
                    scheduled_start=now - shift_started,
                    scheduled_end=now - shift_started + shift_length,
                )
                raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
                DeviceToken.objects.create(
                    user=user,
                    device_id=f"bench-phone-{n}",
                    device_name="Benchmark phone",
                    token_hash=hashlib.sha256(raw.encode()).hexdigest(),
                    expires_at=now + timedelta(days=1),
                    last_used_at=now,
                )
                tenant.guards.append(BenchGuard(user.pk, user.username, raw, shift.pk, bench_site.site_id))
        if tenant.guards and device_token_authenticate(raw_token=tenant.guards[0].token) is None:
            tenant.destroy()
            raise RuntimeError("Device tokens are no longer stored as SHA-256; update bench/harness.py.")
        return tenant

    def destroy(self) -> None:
        """Delete every row of the company (all apps), then the company itself."""
        purge_company(self.company_id)


def breadcrumbs_sql(
    *, count: int, east_m: str, north_m: str, accuracy_m: str, recorded_at: str, fence: str, distance_m: str
) -> str:
    """An INSERT of `count` breadcrumbs for each shift of the `%s` id list, made in the database.

    Each expression is SQL over `s` (the shift) and `g.n` (the breadcrumb, 0 to count - 1):
    `east_m` and `north_m` place it around the centre of the shift's site; the others fill
    their columns. The rows go in at database speed, not through the ORM.
    """
    return f"""
INSERT INTO tracking_ping (id, shift_id, location, accuracy_m, is_mock, recorded_at, received_at,
                           created_at, updated_at, fence, distance_m)
SELECT gen_random_uuid(), s.id,
       ST_SetSRID(ST_MakePoint(
           ST_X(c.centre) + ({east_m}) / (111320 * cos(radians(ST_Y(c.centre)))),
           ST_Y(c.centre) + ({north_m}) / 111320), 4326)::geography,
       {accuracy_m}, false,
       {recorded_at}, now(), now(), now(), {fence}, {distance_m}
FROM staffing_shift AS s
JOIN staffing_post AS p ON p.id = s.post_id
CROSS JOIN LATERAL (SELECT ST_Centroid(geofence::geometry) AS centre FROM sites_site WHERE id = p.site_id) AS c
CROSS JOIN generate_series(0, {count} - 1) AS g(n)
WHERE s.id = ANY(%s)
"""  # noqa: S608 - the expressions are the benchmarks' own constant SQL; the shift ids are a parameter


def purge_company(company_id: int) -> None:
    """Delete a tenant's rows in every model with a TENANT_PATH, whatever depends on what.

    Models are deleted in rounds: a delete refused because of a PROTECT/RESTRICT
    reference is retried after the referencing rows are gone. Big leaf tables go first.
    """
    from django.apps import apps
    from django.db import IntegrityError, transaction
    from django.db.models.deletion import ProtectedError, RestrictedError

    from backend.accounts.models import Company

    models = [model for model in apps.get_models() if hasattr(model, "TENANT_PATH")]
    # Breadcrumbs first: by far the most rows, and nothing refers to them.
    models.sort(key=lambda model: model._meta.label != "tracking.Ping")
    for _ in range(len(models) + 1):
        refused = []
        for model in models:
            try:
                with transaction.atomic():
                    model._default_manager.filter(**{model.TENANT_PATH: company_id}).delete()
            except (ProtectedError, RestrictedError, IntegrityError):
                refused.append(model)
        models = refused
        if not models:
            break
    if models:
        raise RuntimeError(f"Could not delete the benchmark rows of {[m._meta.label for m in models]}.")
    Company.objects.filter(pk=company_id).delete()


def purge_stale_tenants(older_than: timedelta = timedelta(hours=2)) -> int:
    """Remove benchmark companies left behind by a killed run; returns how many.

    Only tenants older than `older_than`: another benchmark may be running right now.
    """
    from django.utils import timezone

    from backend.accounts.models import Company

    cutoff = timezone.now() - older_than
    stale = list(
        Company.objects.filter(slug__startswith=BENCH_SLUG_PREFIX, created_at__lt=cutoff).values_list("pk", flat=True)
    )
    for company_id in stale:
        purge_company(company_id)
    return len(stale)


# --- The server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class GunicornServer:
    """gunicorn (sync workers) on a free loopback port, serving bench/wsgi.py."""

    def __init__(self, *, workers: int = 4, app: str = "bench.wsgi:application", startup_timeout_s: float = 30) -> None:
        self.workers = workers
        self.app = app
        self.startup_timeout_s = startup_timeout_s
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None
        self._log_dir = Path(tempfile.mkdtemp(prefix="guardops-bench-"))
        self.error_log = self._log_dir / "gunicorn.log"

    def __enter__(self) -> GunicornServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [
            str(gunicorn),
            self.app,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--error-logfile",
            str(self.error_log),
            "--log-level",
            "warning",
            "--graceful-timeout",
            "5",
            "--timeout",
            "120",
        ]
        self._process = subprocess.Popen(command, cwd=ROOT, env=bench_environment())  # noqa: S603 - fixed argv
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self._process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                status, _ = request(self.port, "GET", "/healthz")
                if status == 200:
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz within {self.startup_timeout_s} s:\n{self.log_tail()}")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self._log_dir, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.error_log.read_text().splitlines()[-lines:])
        except OSError:
            return "(no log)"


# --- Clients ----------------------------------------------------------------------------------


def request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """One request on a fresh connection (health checks, setup)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass(frozen=True)
class Job:
    """A prepared request: bodies are serialised before the clock starts."""

    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    status: int
    seconds: float
    body: bytes


@dataclass(frozen=True)
class RunStats:
    results: list[Result]
    wall_seconds: float

    @property
    def statuses(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for result in self.results:
            counts[result.status] = counts.get(result.status, 0) + 1
        return counts

    def latency_ms(self, quantile: float) -> float:
        return percentile([r.seconds * 1000 for r in self.results], quantile)

    @property
    def median_ms(self) -> float:
        return statistics.median(r.seconds * 1000 for r in self.results)


def percentile(values: Sequence[float], quantile: float) -> float:
    """Linear-interpolated percentile (quantile in [0, 1])."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * quantile
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def run_clients(port: int, jobs_per_thread: Sequence[Sequence[Job]]) -> RunStats:
    """Run each list of jobs in its own thread on one keep-alive connection; all start together."""
    results: list[list[Result]] = [[] for _ in jobs_per_thread]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(jobs_per_thread) + 1)

    def worker(index: int, jobs: Sequence[Job]) -> None:
        # http.client reopens the connection when gunicorn's sync worker closes it.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            barrier.wait()
            for job in jobs:
                started = time.perf_counter()
                connection.request(job.method, job.path, body=job.body, headers=job.headers)
                response = connection.getresponse()
                body = response.read()
                results[index].append(Result(response.status, time.perf_counter() - started, body))
        except BaseException as exc:  # noqa: BLE001 - reported to the caller below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, jobs), daemon=True) for i, jobs in enumerate(jobs_per_thread)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} client thread(s) failed: {errors[0]!r}") from errors[0]
    return RunStats([r for per_thread in results for r in per_thread], wall)


def utc_now() -> datetime:
    from django.utils import timezone

    return timezone.now()


def finish(failures: Sequence[str], result_line: str) -> int:
    """Print the failed checks and the RESULT line; the exit status is 1 when any check failed."""
    for failure in failures:
        print(f"CHECK FAILED: {failure}")
    print(result_line)
    return 1 if failures else 0

"""The DAR morning batch: 500 sites' yesterdays assembled from the database, rendered, e-mailed through Celery.

What is measured: a throwaway company with BENCH_DELIVERY_SITES (500) sites over 50 clients, each
site's previous local day worked (two 12-hour shifts with clock events, 12 activity entries, 4
checkpoints scanned 4 times by each shift), and one contact per client subscribed to daily DARs.
Then `deliveries_plan` (what the 07:00 beat tick runs) and a real Celery worker with 2 processes
(this machine's cores, `--concurrency 2`) do the fan-out: one task per site-day (assemble, hash,
render, store: the documents shared by every contact of the site), then one send task per e-mail (file backend, so
the mail server is not what is timed). The clock runs from the tick to the last record marked sent.

Baselines, each on a sample of site-days done one after another in this process and extrapolated
to the batch: (1) the same services without Celery (deliveries_plan with tasks run inline: the
records, the content-addressed documents, the row-locked sends; SERIAL_SAMPLE extra sites of their
own clients, so the batch's figures are untouched), and (2) the bare work (assemble, hash, render,
store, e-mail) with no records kept. On 2 cores shared with PostgreSQL the fan-out's gain over (1)
is bounded by the cores; what it buys is that a crashed or slow site-day holds up no other.
Target: the batch in under 120 s. The machine is shared with other work, so CPU seconds (worker
processes and this one) are printed beside the wall time.

Data is made with bulk_create (a few thousand rows per table in a handful of INSERTs).

Run: PYTHONPATH=$PWD .venv/bin/python bench/bench_delivery.py      Sizes: BENCH_DELIVERY_SITES (500).
"""

from __future__ import annotations

import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

SITES = harness.env_int("BENCH_DELIVERY_SITES", 500)
SITES_PER_CLIENT = 10
BATCH_CLIENTS = -(-SITES // SITES_PER_CLIENT)
WORKERS = 2
SERIAL_SAMPLE = 20
SAMPLE_CLIENTS = -(-SERIAL_SAMPLE // SITES_PER_CLIENT)
TARGET_BATCH_S = 120.0
TIMEOUT_S = 900.0
ZONE = "America/New_York"


def _client_index(site_number: int) -> int:
    """The batch's sites fill BATCH_CLIENTS clients; the baseline's sample sites have clients of their own."""
    if site_number < SITES:
        return site_number // SITES_PER_CLIENT
    return BATCH_CLIENTS + (site_number - SITES) // SITES_PER_CLIENT


def _cpu_seconds_of(pid: int) -> float:
    """utime + stime of a live process and its live children (the prefork pool), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    pids += [int(child) for child in children]
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def build(*, slug: str, day, now: datetime) -> tuple[int, list[int], list[int]]:
    """The company, its clients, sites, people and the site-day of work, in bulk. Returns (company id, contact ids)."""
    from django.contrib.gis.geos import Point
    from django.db import transaction

    from backend.accounts.models import Company, Role, User
    from backend.attendance.resolutions import day_bounds
    from backend.documents.models import DarFrequency, DeliveryPreference
    from backend.sites.models import Checkpoint, Client, Site
    from backend.staffing.models import Post, Shift, ShiftStatus
    from backend.tracking.models import ActivityEntry, CheckpointScan, ClockEvent, FenceState

    starts, _ = day_bounds(day=day, zone_name=ZONE)
    with transaction.atomic():
        company = Company.objects.create(name=f"Benchmark {slug}", slug=slug, timezone=ZONE)
        clients = Client.objects.bulk_create(
            [Client(company=company, name=f"Bench client {n}") for n in range(BATCH_CLIENTS + SAMPLE_CLIENTS)]
        )
        sites = Site.objects.bulk_create(
            [
                Site(
                    client=clients[_client_index(n)],
                    name=f"Bench site {n}",
                    street_address=f"{n} Bench Way",
                    city="Atlanta",
                    timezone=ZONE,
                    geofence=harness.circle_fence(
                        lon=harness.CENTRE_LON + 0.01 * (n % 50),
                        lat=harness.CENTRE_LAT + 0.01 * (n // 50),
                        radius_m=120,
                        vertices=24,
                    ),
                )
                for n in range(SITES + SERIAL_SAMPLE)
            ]
        )
        posts = Post.objects.bulk_create([Post(site=site, name="Front desk") for site in sites])
        # "!" is an unusable password hash: nobody logs in as these.
        unusable = "!"
        guards = User.objects.bulk_create(
            [
                User(username=f"{slug}-g{n}", role=Role.GUARD, company=company, first_name="Guard",
                     last_name=str(n), password=unusable)
                for n in range(2 * (SITES + SERIAL_SAMPLE))
            ]
        )  # fmt: skip
        contacts = User.objects.bulk_create(
            [
                User(username=f"{slug}-c{n}", role=Role.CLIENT_CONTACT, company=company, client=client,
                     first_name="Contact", email=f"contact{n}@bench.invalid", password=unusable)
                for n, client in enumerate(clients)
            ]
        )  # fmt: skip
        preferences = DeliveryPreference.objects.bulk_create(
            [DeliveryPreference(contact=contact, daily_reports=DarFrequency.DAILY) for contact in contacts]
        )
        checkpoints = Checkpoint.objects.bulk_create(
            [
                Checkpoint(site=site, name=f"Checkpoint {k}", code=f"{slug}-{site.pk}-{k}",
                           location=site.geofence.point_on_surface)
                for site in sites
                for k in range(4)
            ]
        )  # fmt: skip
        shifts = []
        for n, post in enumerate(posts):
            for half in range(2):
                start = starts + timedelta(hours=7 + 12 * half)
                clock_in = start - timedelta(seconds=90 + n % 300)
                clock_out = start + timedelta(hours=12, seconds=40)
                shifts.append(
                    Shift(guard=guards[2 * n + half], post=post, scheduled_start=start,
                          scheduled_end=start + timedelta(hours=12), status=ShiftStatus.COMPLETED,
                          clock_in_at=clock_in, clock_in_verified_at=clock_in, clock_out_at=clock_out,
                          clock_out_verified_at=clock_out)
                )  # fmt: skip
        shifts = Shift.objects.bulk_create(shifts)
        centre = Point(harness.CENTRE_LON, harness.CENTRE_LAT, srid=4326)
        events, entries, scans = [], [], []
        for index, shift in enumerate(shifts):
            site_checkpoints = checkpoints[(index // 2) * 4 : (index // 2) * 4 + 4]
            for kind, at in (("in", shift.clock_in_at), ("out", shift.clock_out_at)):
                assert at is not None
                events.append(
                    ClockEvent(shift=shift, kind=kind, location=centre, accuracy_m=8, recorded_at=at, received_at=at,
                               fence=FenceState.INSIDE, distance_m=0)
                )  # fmt: skip
            for k in range(6):
                at = shift.scheduled_start + timedelta(hours=2 * k, minutes=10)
                text = f"Round {k + 1}: doors checked, lobby quiet, {k} visitors logged."
                entries.append(ActivityEntry(id=uuid.uuid4(), shift=shift, recorded_at=at, received_at=at, text=text))
            for round_ in range(4):
                for k, checkpoint in enumerate(site_checkpoints):
                    at = shift.scheduled_start + timedelta(hours=3 * round_, minutes=5 * k + 20)
                    scans.append(
                        CheckpointScan(id=uuid.uuid4(), checkpoint=checkpoint, guard_id=shift.guard_id, shift=shift,
                                       recorded_at=at, received_at=at, location=checkpoint.location)
                    )  # fmt: skip
        ClockEvent.objects.bulk_create(events, batch_size=2000)
        ActivityEntry.objects.bulk_create(entries, batch_size=2000)
        CheckpointScan.objects.bulk_create(scans, batch_size=2000)
        # Subscribed since last week: nothing about the subscription itself is new.
        DeliveryPreference.objects.filter(pk__in=[p.pk for p in preferences]).update(created_at=now - timedelta(days=7))
    print(
        f"data: {len(sites)} sites of {len(clients)} clients ({SERIAL_SAMPLE} sites the baselines' sample),"
        f" {len(shifts)} shifts, {len(events)} clock events, "
        f"{len(entries)} activity entries, {len(scans)} checkpoint scans, {len(contacts)} subscribed contacts"
    )
    contact_ids = [contact.pk for contact in contacts]
    return company.pk, contact_ids[:BATCH_CLIENTS], contact_ids[BATCH_CLIENTS:]


def start_worker(queue: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The worker, as `make run` starts it (prefork, 2 processes); BENCH_WORKER_LOG=path keeps its INFO log."""
    log_path = os.environ.get("BENCH_WORKER_LOG")
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115 (lives as long as the worker)
    level = "INFO" if log_path else "WARNING"
    arguments = (
        f"-m celery -A backend.config worker --pool prefork --concurrency {WORKERS} -Q {queue} "
        f"--without-gossip --without-mingle -n {queue}@%h --loglevel {level}"
    )
    return subprocess.Popen([sys.executable, *arguments.split()], cwd=harness.ROOT, env=env, stdout=log, stderr=log)  # noqa: S603


def wait_for_worker(app, queue: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1.0):
            return
    raise RuntimeError("the Celery worker did not answer within 60 s")


def services_serial_seconds(*, contact_ids: list[int], now: datetime) -> tuple[float, int]:
    """Baseline (1): the sample contacts' site-days through the same services as the batch, tasks run
    inline in this process (Celery's eager mode): plan, prepare and render, send. Seconds per site-day
    and how many were sent."""
    from backend.config.celery import app
    from backend.documents.delivery import deliveries_plan
    from backend.documents.models import DeliveryKind, DeliveryRecord, DeliveryStatus

    mine = DeliveryRecord.objects.filter(contact_id__in=contact_ids, kind=DeliveryKind.DAR_DAILY)
    # Eager tasks log each success at INFO, as a worker does; the bench prints its own lines.
    trace_logger = logging.getLogger("celery.app.trace")
    trace_level = trace_logger.level
    app.conf.task_always_eager = True
    trace_logger.setLevel(logging.WARNING)
    try:
        started = time.perf_counter()
        deliveries_plan(now=now, contact_ids=contact_ids)
        elapsed = time.perf_counter() - started
    finally:
        app.conf.task_always_eager = False
        trace_logger.setLevel(trace_level)
    total = mine.count()
    return elapsed / max(1, total), mine.filter(status=DeliveryStatus.SENT).count()


def serial_seconds(*, contact_ids: list[int], now: datetime) -> float:
    """Baseline (2): the sample's site-days (already delivered by baseline 1) done again, bare: assemble,
    hash, render, store, e-mail, and no record kept of any of it."""
    from django.core import mail

    from backend.documents.delivery import delivery_email
    from backend.documents.models import DeliveryKind, DeliveryRecord, DocumentKind
    from backend.documents.services import _render, document_data, document_scope_check
    from backend.documents.store import pdf_store
    from reports import content_hash

    records = list(
        DeliveryRecord.objects.filter(contact_id__in=contact_ids, kind=DeliveryKind.DAR_DAILY)
        .select_related("site__client", "contact__client")
        .order_by("pk")[:SERIAL_SAMPLE]
    )
    connection = mail.get_connection("django.core.mail.backends.locmem.EmailBackend")
    started = time.perf_counter()
    for record in records:
        scope = document_scope_check(
            kind=DocumentKind.DAILY_ACTIVITY, client=record.site.client, site=record.site,
            period_start=record.period_start, period_end=record.period_end, now=now,
        )  # fmt: skip
        data = document_data(scope=scope)
        content_hash(data)
        pdf = _render(data, generated_at=now, progress=lambda share, label: None)
        pdf_store(pdf)
        subject, body = delivery_email(record, list(record.documents.all()))
        message = mail.EmailMessage(subject, body, to=[record.contact.email], connection=connection)
        message.attach("dar.pdf", pdf, "application/pdf")
        message.send()
    return (time.perf_counter() - started) / max(1, len(records))


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="guardops-bench-delivery-"))
    os.environ["DJANGO_MEDIA_ROOT"] = str(work / "media")
    os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
    os.environ["EMAIL_FILE_PATH"] = str(work / "mail")
    harness.django_setup()
    from django.utils import timezone

    from backend.config.celery import app
    from backend.documents.delivery import deliveries_plan, due_day
    from backend.documents.models import DeliveryKind, DeliveryRecord, DeliveryStatus, GeneratedDocument

    harness.purge_stale_tenants()
    slug = harness.BENCH_SLUG_PREFIX + uuid.uuid4().hex[:8]
    now = timezone.now()
    day, _, _ = due_day(zone_name=ZONE, now=now)
    company_id = None
    worker = None
    failures: list[str] = []
    try:
        started = time.perf_counter()
        company_id, contact_ids, sample_contact_ids = build(slug=slug, day=day, now=now)
        print(f"built in {time.perf_counter() - started:.1f} s (bulk_create)")

        queue = f"guardops-bench-{uuid.uuid4().hex[:8]}"
        env = {**harness.bench_environment(), "CELERY_TASK_DEFAULT_QUEUE": queue}
        app.conf.task_default_queue = queue
        worker = start_worker(queue, env)
        wait_for_worker(app, queue)

        mine = DeliveryRecord.objects.filter(contact_id__in=contact_ids, kind=DeliveryKind.DAR_DAILY)
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        worker_cpu_before = _cpu_seconds_of(worker.pid)
        started = time.perf_counter()
        created = deliveries_plan(now=now, contact_ids=contact_ids)
        planned_s = time.perf_counter() - started
        total = mine.count()
        deadline = time.monotonic() + TIMEOUT_S
        sent = 0
        while time.monotonic() < deadline:
            sent = mine.filter(status=DeliveryStatus.SENT).count()
            if sent == total or mine.filter(status=DeliveryStatus.FAILED).exists():
                break
            time.sleep(0.25)
        batch_s = time.perf_counter() - started
        worker_cpu = _cpu_seconds_of(worker.pid) - worker_cpu_before
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        own_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        failed = mine.filter(status=DeliveryStatus.FAILED).count()
        # The file backend appends messages sent within one second by one process to one file: count messages.
        mails = [
            m for f in (work / "mail").glob("*.log") for m in f.read_text().split("\n") if m.startswith("Message-ID:")
        ]
        pages = sum(GeneratedDocument.objects.filter(deliveries__in=mine).values_list("page_count", flat=True))
        print(f"planned {created} deliveries in {planned_s:.2f} s (the 07:00 tick; prepares enqueued)")
        print(
            f"batch: {sent} of {total} DARs rendered and e-mailed in {batch_s:.1f} s wall "
            f"({sent / batch_s:.1f} DARs/s, {pages} pages) over {WORKERS} worker processes; "
            f"CPU {worker_cpu:.1f} s in the worker, {own_cpu:.1f} s in this process; {len(mails)} messages written"
        )

        services_each, services_sent = services_serial_seconds(contact_ids=sample_contact_ids, now=now)
        services_s = services_each * total
        print(
            f"baseline 1, the same services in one process (tasks inline): {services_each * 1000:.0f} ms per site-day "
            f"({services_sent} of {SERIAL_SAMPLE} sent) -> {services_s:.1f} s for {total} "
            f"(the fan-out is {services_s / batch_s:.1f}x faster)"
        )
        serial_each = serial_seconds(contact_ids=sample_contact_ids, now=now + timedelta(seconds=1))
        serial_s = serial_each * total
        print(
            f"baseline 2, bare work with no records kept: {serial_each * 1000:.0f} ms per site-day "
            f"-> {serial_s:.1f} s for {total} ({serial_s / batch_s:.1f}x the batch)"
        )
        if services_sent != SERIAL_SAMPLE:
            failures.append(f"baseline 1 sent {services_sent} of its {SERIAL_SAMPLE} site-days")
        if sent != total:
            failures.append(f"only {sent} of {total} sent ({failed} failed)")
        if len(mails) < sent:
            failures.append(f"{len(mails)} messages written for {sent} sent deliveries")
        if batch_s >= TARGET_BATCH_S:
            failures.append(f"the batch took {batch_s:.1f} s (target < {TARGET_BATCH_S:.0f} s)")
        result = (
            f"RESULT bench_delivery sites={SITES} sent={sent} batch_s={batch_s:.1f} dar_per_s={sent / batch_s:.1f} "
            f"worker_cpu_s={worker_cpu:.1f} planner_cpu_s={own_cpu:.1f} workers={WORKERS} "
            f"services_serial_ms_per_dar={services_each * 1000:.0f} speedup={services_s / batch_s:.1f} "
            f"bare_serial_ms_per_dar={serial_each * 1000:.0f} bare_ratio={serial_s / batch_s:.1f}"
        )
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        if company_id is not None:
            harness.purge_company(company_id)
        shutil.rmtree(work, ignore_errors=True)
    return harness.finish(failures, result)


if __name__ == "__main__":
    sys.exit(main())

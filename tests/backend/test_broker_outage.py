"""A broker outage delays a panic page but never loses it: a real Redis is stopped and started."""

import email
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.utils import timezone

from backend.config.celery import app as celery_app
from backend.core.models import OutboxMessage, OutboxStatus, WorkerHeartbeat
from backend.core.outbox import outbox_redeliver
from backend.core.services import heartbeat_request
from backend.flags.models import FlagNotification
from tests import factories
from tests.backend.test_celery_roundtrip import REPO, _test_database_url
from tests.backend.test_outbox import _use_broker, unused_port
from tests.conftest import api_client_for

DEADLINE_SECONDS = 45


@dataclass
class RedisServer:
    """A throwaway redis-server of our own, so stopping it hurts nobody else."""

    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]  # noqa: S607
            + ["--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        _wait_for(lambda: _pings(client), what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


def _wait_for(condition: Callable[[], bool], *, what: str, step: Callable[[], object] | None = None) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        if step is not None:
            step()
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def broker(transactional_db: None) -> Iterator[RedisServer]:
    server = RedisServer(port=unused_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def worker(broker: RedisServer, mail_dir: Path, tmp_path: Path, settings) -> Iterator[str]:
    """A worker on a private queue, with broker, result store and cache on our Redis, mail to files."""
    queue = f"guardops-outage-{broker.port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.config.settings",
        "DJANGO_SECRET_KEY": "worker-test-" + "x" * 40,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": broker.url,
        "CELERY_BROKER_URL": broker.url,
        "CELERY_RESULT_BACKEND": broker.url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    log = (tmp_path / "worker.log").open("wb")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "backend.config", "worker", "--pool", "solo", "-Q", queue]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{queue}@%h", "--loglevel", "INFO"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # This process publishes to the same Redis and queue, and its cache is there too.
    previous = celery_app.conf.broker_url, celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    _use_broker(broker.url)
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, queue
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": broker.url}}
    try:
        yield queue
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous[1], previous[2]
        _use_broker(previous[0])
        process.terminate()
        process.wait(timeout=30)
        log.close()
        print((tmp_path / "worker.log").read_text(errors="replace")[-4000:])  # noqa: T201 - shown on failure


def _recipients(mail_dir: Path) -> list[str]:
    """Every address the worker's file-based backend wrote a message to."""
    addresses: list[str] = []
    for path in mail_dir.iterdir():
        # One file per connection; messages in it are separated by a line of dashes.
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                addresses.append(email.message_from_string(chunk.strip())["To"])
    return sorted(addresses)


@pytest.mark.worker
def test_a_panic_filed_while_redis_is_down_is_paged_exactly_once_when_it_is_back(tenant, broker, worker, mail_dir):
    # given two managers, a guard on shift, and a worker that is consuming
    tenant.manager.email = "dispatch@acme.test"
    tenant.manager.save()
    factories.ManagerFactory(company=tenant.company, email="night-lead@acme.test")
    factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    phone = api_client_for(tenant.guard)
    heartbeat = heartbeat_request()
    _wait_for(
        lambda: WorkerHeartbeat.objects.filter(pk=heartbeat.pk, completed_at__isnull=False).exists(),
        what="the worker to start",
    )

    # when Redis goes down and the guard presses panic
    broker.stop()
    response = phone.post_json("/alerts/panic", {})

    # then the phone is told the alert is stored, and the page is owed
    assert response.status_code == 201, response.content
    page = OutboxMessage.objects.get(task="backend.tracking.tasks.panic_alert_notify_task")
    assert page.status == OutboxStatus.PENDING

    # when Redis is back and the beat job's redelivery runs until the worker has done it
    broker.start()

    def redeliver_if_still_pending() -> None:
        if OutboxMessage.objects.filter(pk=page.pk, status=OutboxStatus.PENDING).exists():
            outbox_redeliver()

    _wait_for(
        lambda: OutboxMessage.objects.filter(pk=page.pk, status=OutboxStatus.DONE).exists(),
        what="the worker to deliver the page",
        step=redeliver_if_still_pending,
    )

    # then each manager got exactly one e-mail, recorded as sent, and nothing more follows
    assert outbox_redeliver(now=timezone.now() + timedelta(hours=1)) == 0
    time.sleep(1)
    assert _recipients(mail_dir) == ["dispatch@acme.test", "night-lead@acme.test"]
    assert FlagNotification.objects.filter(flag__code="PANIC", sent_at__isnull=False).count() == 2

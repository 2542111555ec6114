"""A task enqueued on commit runs in a real worker process through the real Redis broker."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from backend.config.celery import app as celery_app
from backend.core.models import WorkerHeartbeat
from backend.core.services import heartbeat_complete, heartbeat_request

REPO = Path(__file__).resolve().parents[2]


def _test_database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgis://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_queue(transactional_db: None) -> Iterator[str]:
    """A worker process on a private queue, pointed at the test database."""
    queue = f"guardops-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.config.settings",
        "DJANGO_SECRET_KEY": "worker-test-" + "x" * 40,
        "DATABASE_URL": _test_database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "backend.config",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"{queue}@%h",
            "--loglevel",
            "WARNING",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, queue
    try:
        yield queue
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
        if worker.returncode not in (0, -15):
            print(output.decode(errors="replace"))  # noqa: T201


@pytest.mark.worker
def test_task_enqueued_on_commit_is_executed_by_a_real_worker(worker_queue):
    # given a heartbeat committed by the web side
    heartbeat = heartbeat_request()

    # when the worker picks up the task the commit enqueued
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        heartbeat.refresh_from_db()
        if heartbeat.completed_at is not None:
            break
        time.sleep(0.2)

    # then the worker (not this process) wrote the result to the database
    assert heartbeat.completed_at is not None, "no worker answered within 60 s"
    assert heartbeat.worker_hostname.startswith(worker_queue)


@pytest.mark.django_db
def test_a_redelivered_heartbeat_keeps_the_first_answer():
    heartbeat = WorkerHeartbeat.objects.create()

    heartbeat_complete(heartbeat_id=heartbeat.pk, worker_hostname="worker-a")
    heartbeat_complete(heartbeat_id=heartbeat.pk, worker_hostname="worker-b")

    heartbeat.refresh_from_db()
    assert heartbeat.worker_hostname == "worker-a"

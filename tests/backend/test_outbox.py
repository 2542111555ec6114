"""Side effects recorded in the outbox happen once, even when the broker or mail server is down."""

import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from backend.attendance.monitoring import shifts_monitor
from backend.config.celery import app as celery_app
from backend.core.models import OutboxMessage, OutboxStatus, WorkerHeartbeat
from backend.core.outbox import MAX_ATTEMPTS, STALE_AFTER, outbox_deliver, outbox_enqueue, outbox_redeliver
from backend.core.tasks import heartbeat_complete_task
from backend.flags.models import FlagNotification
from backend.flags.tasks import flag_notify_managers_task
from backend.incidents.models import IncidentPhoto
from backend.tracking.models import PanicAlert, PanicNotification
from tests import factories
from tests.mobile_api.test_incidents import file_directly
from tests.mobile_api.test_photos import encoded, upload

pytestmark = pytest.mark.django_db


def unused_port() -> int:
    """A local TCP port nothing listens on (connections to it are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _use_broker(url: str) -> None:
    celery_app.conf.broker_url = url
    # Connections are pooled per app; drop them so the next publish dials `url`.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down() -> Iterator[None]:
    """Celery publishes for real (not eagerly) to a Redis that is not there."""
    previous = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    _use_broker(f"redis://127.0.0.1:{unused_port()}/0")
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous[1]
        _use_broker(previous[0])


@pytest.fixture
def mail_server_down(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", unused_port(), 2


@pytest.fixture
def managers(tenant):
    tenant.manager.email = "dispatch@acme.test"
    tenant.manager.save()
    return [tenant.manager, factories.ManagerFactory(company=tenant.company, email="night-lead@acme.test")]


def test_a_side_effect_is_recorded_with_the_change_and_rolled_back_with_it(django_capture_on_commit_callbacks):
    # given a change that records its side effect and then fails
    heartbeat = WorkerHeartbeat.objects.create()

    def failing_change() -> None:
        with transaction.atomic():
            outbox_enqueue(task=heartbeat_complete_task, args=[heartbeat.pk])
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        failing_change()

    # then neither the side effect nor its publication survive
    assert not OutboxMessage.objects.exists()
    assert callbacks == []


def test_the_same_side_effect_is_recorded_once(django_capture_on_commit_callbacks):
    heartbeat = WorkerHeartbeat.objects.create()

    with django_capture_on_commit_callbacks(execute=True):
        first = outbox_enqueue(task=heartbeat_complete_task, args=[heartbeat.pk], dedup_key="beat")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = outbox_enqueue(task=heartbeat_complete_task, args=[heartbeat.pk], dedup_key="beat")

    assert again.pk == first.pk
    assert callbacks == []
    assert OutboxMessage.objects.get().status == OutboxStatus.DONE


def test_a_panic_with_the_broker_down_is_201_and_its_page_goes_out_once_the_broker_is_back(
    tenant, managers, guard_api, broker_down, django_capture_on_commit_callbacks
):
    # given Redis is down, when the guard presses panic
    factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    with django_capture_on_commit_callbacks(execute=True):
        response = guard_api.post_json("/alerts/panic", {})

    # then the phone hears 201 and the page waits in the outbox, nobody told yet
    assert response.status_code == 201, response.content
    message = OutboxMessage.objects.get(task="backend.tracking.tasks.panic_alert_notify_task")
    assert message.status == OutboxStatus.PENDING
    assert "publish" in message.last_error
    assert mail.outbox == []

    # when the broker is back and the beat job runs (twice: nothing is sent twice)
    celery_app.conf.task_always_eager = True
    outbox_redeliver()
    outbox_redeliver(now=timezone.now() + timedelta(hours=1))

    # then every manager got the page exactly once
    assert sorted(address for sent in mail.outbox for address in sent.to) == [
        "dispatch@acme.test",
        "night-lead@acme.test",
    ]
    message.refresh_from_db()
    assert message.status == OutboxStatus.DONE
    assert message.attempts == 1


def test_a_critical_flag_with_the_broker_down_keeps_its_e_mail_pending(
    tenant, broker_down, django_capture_on_commit_callbacks
):
    # given a must-be-staffed post whose guard has not shown up, and Redis down
    tenant.post.must_be_staffed = True
    tenant.post.save()
    factories.ShiftFactory(post=tenant.post, guard=tenant.guard, scheduled_start=timezone.now() - timedelta(minutes=30))

    # when the monitoring pass raises the critical NO_SHOW flag
    with django_capture_on_commit_callbacks(execute=True):
        shifts_monitor(now=timezone.now())

    # then the pass finished and the e-mail is owed, not lost
    message = OutboxMessage.objects.get(task=flag_notify_managers_task.name)
    assert message.status == OutboxStatus.PENDING


def test_redelivery_runs_a_pending_message_and_never_a_done_one():
    # given a heartbeat whose completion is owed, and one already done
    owed, done = WorkerHeartbeat.objects.create(), WorkerHeartbeat.objects.create()
    now = timezone.now()
    pending = OutboxMessage.objects.create(task=heartbeat_complete_task.name, args=[owed.pk], available_at=now)
    finished = OutboxMessage.objects.create(
        task=heartbeat_complete_task.name, args=[done.pk], available_at=now, status="done", completed_at=now
    )

    # when the beat job runs, and a stale copy of the done message arrives
    published = outbox_redeliver()
    ran_again = outbox_deliver(message_id=finished.pk)

    # then only the owed one ran
    assert published == 1
    assert not ran_again
    owed.refresh_from_db()
    done.refresh_from_db()
    assert owed.completed_at is not None
    assert done.completed_at is None
    pending.refresh_from_db()
    assert (pending.status, pending.attempts) == (OutboxStatus.DONE, 1)


def test_a_message_handed_out_long_ago_and_never_finished_is_published_again():
    # given a message a worker took and died on
    heartbeat = WorkerHeartbeat.objects.create()
    now = timezone.now()
    message = OutboxMessage.objects.create(
        task=heartbeat_complete_task.name,
        args=[heartbeat.pk],
        available_at=now,
        status="sent",
        dispatched_at=now - timedelta(minutes=1),
        attempts=1,
    )

    # when the beat job runs: not yet, and once it is stale
    assert outbox_redeliver(now=now) == 0
    assert outbox_redeliver(now=now + STALE_AFTER) == 1

    message.refresh_from_db()
    assert message.status == OutboxStatus.DONE
    heartbeat.refresh_from_db()
    assert heartbeat.completed_at is not None


def test_a_failing_task_is_retried_with_a_growing_wait_and_then_given_up():
    # given a message whose task fails every time (the flag does not exist)
    now = timezone.now()
    message = OutboxMessage.objects.create(task=flag_notify_managers_task.name, args=[0], available_at=now)

    # when it runs once
    outbox_redeliver(now=now)

    # then the error is kept and it waits before the next run
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert "DoesNotExist" in message.last_error
    first_wait = message.available_at - timezone.now()
    assert first_wait > timedelta(seconds=20)
    assert outbox_redeliver(now=now) == 0

    # and each further run waits longer, until it is given up
    outbox_redeliver(now=message.available_at)
    message.refresh_from_db()
    assert message.available_at - timezone.now() > 1.5 * first_wait
    for _ in range(MAX_ATTEMPTS):
        outbox_redeliver(now=message.available_at)
        message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, MAX_ATTEMPTS)


def test_with_the_mail_server_down_the_panic_page_is_retried_and_sent_once(
    tenant, managers, guard_api, mail_server_down, settings, django_capture_on_commit_callbacks
):
    # given the mail server refuses connections, when the guard (no shift) presses panic
    with django_capture_on_commit_callbacks(execute=True):
        response = guard_api.post_json("/alerts/panic", {})

    # then the panic is stored, each failed send is on record, and the page is owed
    assert response.status_code == 201
    alert = PanicAlert.objects.get()
    assert PanicNotification.objects.filter(alert=alert, sent_at__isnull=True).exclude(error="").count() == 2
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    assert "EmailsNotSent" in message.last_error

    # when the mail server is back and the beat job runs after the wait, twice
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox_redeliver(now=message.available_at)
    outbox_redeliver(now=message.available_at + timedelta(hours=1))

    # then each manager got it once
    assert len(mail.outbox) == 2
    assert PanicNotification.objects.filter(alert=alert, sent_at__isnull=False, error="").count() == 2
    assert not FlagNotification.objects.exists()


def test_the_beat_job_survives_a_broker_that_is_down(broker_down):
    # given two owed messages while Redis is down
    now = timezone.now()
    owed = [
        OutboxMessage.objects.create(task=heartbeat_complete_task.name, args=[0], available_at=now) for _ in range(2)
    ]

    # when the redelivery runs, then it returns (nothing published) and both stay owed
    assert outbox_redeliver() == 0
    assert sorted(OutboxMessage.objects.values_list("status", flat=True)) == ["pending", "pending"]
    assert "publish" in OutboxMessage.objects.get(pk=owed[0].pk).last_error


def test_a_photo_uploaded_with_the_broker_down_gets_its_thumbnail_once_it_is_back(
    tenant, guard_api, broker_down, settings, tmp_path, django_capture_on_commit_callbacks
):
    # given Redis is down, when the guard attaches a photo to a report
    settings.MEDIA_ROOT = tmp_path / "media"
    report = file_directly(factories.ShiftFactory(post=tenant.post, guard=tenant.guard))
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(guard_api, report.pk, encoded("JPEG"))

    # then the photo is stored and its thumbnail is owed
    assert response.status_code == 201, response.content
    photo = IncidentPhoto.objects.get()
    assert not photo.thumbnail
    assert OutboxMessage.objects.get().status == OutboxStatus.PENDING

    # when the broker is back and the beat job runs, then the thumbnail is made
    celery_app.conf.task_always_eager = True
    outbox_redeliver()
    photo.refresh_from_db()
    assert photo.thumbnail

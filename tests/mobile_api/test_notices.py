"""A replacement guard is told on their phone's next sync (GET /notices), and by e-mail when they have an address."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from backend.attendance.resolutions import attendance_replacement_assign
from backend.core.models import OutboxMessage
from backend.core.outbox import outbox_deliver
from backend.flags.models import Flag
from backend.rules.findings import FlagCode, Severity
from tests import factories
from tests.conftest import Tenant, api_client_for

pytestmark = pytest.mark.django_db


def _night_no_show(tenant: Tenant) -> Flag:
    """A 22:00–06:00 shift (site time) tomorrow whose guard, Jo Absent, did not come."""
    zone = ZoneInfo(tenant.site.timezone)
    day = timezone.now().astimezone(zone).date() + timedelta(days=1)
    starts = datetime.combine(day, time(22, 0), tzinfo=zone)
    absent = factories.GuardFactory(company=tenant.company, first_name="Jo", last_name="Absent")
    shift = factories.ShiftFactory(
        guard=absent, post=tenant.post, scheduled_start=starts, scheduled_end=starts + timedelta(hours=8)
    )
    return factories.open_flag(
        shift=shift, code=FlagCode.NO_SHOW, severity=Severity.CRITICAL, message="Nobody at the gate", raised_at=starts
    )


def _replace(tenant: Tenant, flag: Flag, guard, django_capture_on_commit_callbacks) -> None:
    assert flag.shift is not None
    with django_capture_on_commit_callbacks(execute=False):
        attendance_replacement_assign(flag=flag, by=tenant.manager, guard=guard, now=flag.shift.scheduled_start)


def test_the_replacement_guard_finds_the_assignment_on_the_next_sync_and_then_nothing_new(
    tenant, django_capture_on_commit_callbacks
):
    flag = _night_no_show(tenant)
    phone = api_client_for(tenant.guard)
    before = phone.get_json("/notices").json()

    _replace(tenant, flag, tenant.guard, django_capture_on_commit_callbacks)
    synced = phone.get_json("/notices", after=before["next_after"]).json()
    again = phone.get_json("/notices", after=synced["next_after"]).json()

    assert before == {"items": [], "next_after": 0}
    [notice] = synced["items"]
    assert notice["kind"] == "shift_assigned"
    assert notice["message"].startswith(f"You were assigned {tenant.post.name} at {tenant.site.name}, ")
    assert "22:00–06:00" in notice["message"]
    assert notice["message"].endswith("(site time), replacing Jo Absent (no-show).")
    assert notice["shift_id"] in [shift["id"] for shift in phone.get_json("/shifts").json()]
    assert again == {"items": [], "next_after": synced["next_after"]}


def test_nobody_else_sees_the_notice(tenant, other_tenant, django_capture_on_commit_callbacks):
    flag = _night_no_show(tenant)
    colleague = factories.GuardFactory(company=tenant.company)

    _replace(tenant, flag, tenant.guard, django_capture_on_commit_callbacks)

    assert flag.shift is not None
    for guard in (colleague, flag.shift.guard, other_tenant.guard):
        assert api_client_for(guard).get_json("/notices").json()["items"] == []


def test_a_guard_with_an_address_is_e_mailed_once_through_the_outbox(tenant, django_capture_on_commit_callbacks):
    tenant.guard.email = "sam@guards.test"
    tenant.guard.save()
    flag = _night_no_show(tenant)

    _replace(tenant, flag, tenant.guard, django_capture_on_commit_callbacks)
    [message] = OutboxMessage.objects.filter(task__endswith="guard_notice_email_task")
    outbox_deliver(message_id=message.pk)
    outbox_deliver(message_id=message.pk)  # delivered twice (a worker died after sending)

    [email] = mail.outbox
    assert email.to == ["sam@guards.test"]
    assert "replacing Jo Absent" in email.body
    notice = api_client_for(tenant.guard).get_json("/notices").json()["items"][0]
    assert email.body == notice["message"]


def test_a_guard_without_an_address_gets_the_notice_and_no_e_mail(tenant, django_capture_on_commit_callbacks):
    tenant.guard.email = ""
    tenant.guard.save()

    _replace(tenant, _night_no_show(tenant), tenant.guard, django_capture_on_commit_callbacks)

    assert not OutboxMessage.objects.filter(task__endswith="guard_notice_email_task").exists()
    assert len(api_client_for(tenant.guard).get_json("/notices").json()["items"]) == 1


def test_a_refused_replacement_tells_nobody(tenant, django_capture_on_commit_callbacks):
    from backend.staffing.models import PostRequirement, Qualification

    PostRequirement.objects.create(
        post=tenant.post, qualification=Qualification.objects.get(company=tenant.company, code="fire-watch")
    )
    flag = _night_no_show(tenant)

    with pytest.raises(Exception, match="Fire watch is not held"):
        _replace(tenant, flag, tenant.guard, django_capture_on_commit_callbacks)

    assert api_client_for(tenant.guard).get_json("/notices").json()["items"] == []


@pytest.mark.parametrize("params", [{"after": -1}, {"limit": 0}, {"limit": 101}, {"after": "x"}])
def test_a_bad_cursor_is_a_422(guard_api, params):
    response = guard_api.get_json("/notices", **params)

    assert response.status_code == 422
    assert "code" in response.json()


def test_the_feed_needs_a_guards_token():
    from django.test import Client

    assert Client().get("/api/mobile/v1/notices").status_code == 401


def test_a_mail_server_that_is_down_leaves_the_notice_unsent_with_why(
    tenant, settings, django_capture_on_commit_callbacks
):
    from backend.staffing.models import GuardNotice
    from backend.staffing.notices import guard_notice_email

    settings.EMAIL_BACKEND = "tests.backend.documents.failing_mail.EmailBackend"
    tenant.guard.email = "sam@guards.test"
    tenant.guard.save()
    flag = _night_no_show(tenant)
    _replace(tenant, flag, tenant.guard, django_capture_on_commit_callbacks)
    notice = GuardNotice.objects.get(guard=tenant.guard)

    with pytest.raises(ConnectionRefusedError):
        guard_notice_email(notice_id=notice.pk)  # the outbox retries a task that raised

    notice.refresh_from_db()
    assert notice.emailed_at is None
    assert "Connection refused" in notice.email_error

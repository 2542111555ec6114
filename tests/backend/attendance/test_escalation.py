"""Escalation: an unacknowledged critical alert is e-mailed again to the next manager (attendance/escalation.py)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from backend.attendance.escalation import alerts_escalate
from backend.core.models import OutboxMessage
from backend.core.outbox import outbox_deliver
from backend.flags.models import AlertEscalation, Flag
from backend.flags.services import flag_acknowledge
from backend.rules.findings import FlagCode, Severity
from backend.rules.models import RuleSettings
from backend.tracking.panic import panic_alert_acknowledge
from tests import factories
from tests.console.live_helpers import panic, shift_on_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def managers(tenant, settings):
    """The tenant's manager is on call (told at once); two more wait in line for escalations."""
    settings.ALERT_ESCALATION_MINUTES = 10
    tenant.manager.email, tenant.manager.is_on_call = "on-call@acme.test", True
    tenant.manager.save()
    second = factories.ManagerFactory(company=tenant.company, email="second@acme.test")
    third = factories.ManagerFactory(company=tenant.company, email="third@acme.test")
    return tenant.manager, second, third


def _run(now, django_capture_on_commit_callbacks):
    """The beat job at `now`, then a worker delivering what it put in the outbox."""
    with django_capture_on_commit_callbacks(execute=False):
        recorded = alerts_escalate(now=now)
    for message in OutboxMessage.objects.filter(task__endswith="alert_escalation_send_task", completed_at__isnull=True):
        outbox_deliver(message_id=message.pk)
    return recorded


def _escalated_to():
    return [address for message in mail.outbox for address in message.to]


def test_an_unacknowledged_panic_is_e_mailed_to_the_next_manager_once_after_the_escalation_time(
    tenant, managers, django_capture_on_commit_callbacks
):
    on_call, second, third = managers
    alert = panic(shift_on_now(post=tenant.post), ago=timedelta(0))
    raised = alert.received_at

    _run(raised + timedelta(minutes=9), django_capture_on_commit_callbacks)
    assert _escalated_to() == []  # not yet

    _run(raised + timedelta(minutes=11), django_capture_on_commit_callbacks)
    _run(raised + timedelta(minutes=12), django_capture_on_commit_callbacks)  # the job runs every minute

    assert _escalated_to() == ["second@acme.test"]  # once, to the next manager (not the one on call)
    assert "ESCALATED PANIC" in mail.outbox[0].subject
    assert AlertEscalation.objects.get().step == 1

    _run(raised + timedelta(minutes=21), django_capture_on_commit_callbacks)
    assert _escalated_to() == ["second@acme.test", "third@acme.test"]


def test_an_acknowledged_panic_escalates_no_further(tenant, managers, django_capture_on_commit_callbacks):
    on_call, second, third = managers
    alert = panic(shift_on_now(post=tenant.post), ago=timedelta(0))
    _run(alert.received_at + timedelta(minutes=11), django_capture_on_commit_callbacks)

    panic_alert_acknowledge(alert=alert, by=on_call)
    _run(alert.received_at + timedelta(minutes=25), django_capture_on_commit_callbacks)

    assert _escalated_to() == ["second@acme.test"]


def test_an_unacknowledged_critical_flag_escalates_and_an_acknowledged_one_does_not(
    tenant, managers, django_capture_on_commit_callbacks
):
    on_call, _, _ = managers
    now = timezone.now()
    shift = shift_on_now(post=tenant.post)
    waiting, taken = (
        Flag.objects.create(
            company=tenant.company, shift=shift, code=FlagCode.OUT_OF_POSITION, key=key, severity=Severity.CRITICAL,
            message=f"Left the site ({key}).", raised_at=now,
        )
        for key in ("waiting", "taken")
    )  # fmt: skip
    flag_acknowledge(flag=taken, by=on_call)

    _run(now + timedelta(minutes=11), django_capture_on_commit_callbacks)

    assert _escalated_to() == ["second@acme.test"]
    assert "(waiting)" in mail.outbox[0].body
    assert "[Escalated: unacknowledged" in mail.outbox[0].subject
    assert list(AlertEscalation.objects.values_list("flag_id", flat=True)) == [waiting.pk]


def test_another_companys_managers_are_never_in_the_line(
    tenant, other_tenant, managers, django_capture_on_commit_callbacks
):
    other_tenant.manager.email = "rival@rival.test"
    other_tenant.manager.save()
    alert = panic(shift_on_now(post=tenant.post), ago=timedelta(0))

    for minutes in (11, 21, 31, 41):
        _run(alert.received_at + timedelta(minutes=minutes), django_capture_on_commit_callbacks)

    assert "rival@rival.test" not in _escalated_to()
    assert sorted(_escalated_to()) == ["on-call@acme.test", "second@acme.test", "third@acme.test"]


def _critical_flag(tenant, raised_at):
    return Flag.objects.create(
        company=tenant.company, shift=shift_on_now(post=tenant.post), code=FlagCode.OUT_OF_POSITION,
        severity=Severity.CRITICAL, message="Left the site.", raised_at=raised_at,
    )  # fmt: skip


def test_the_companys_escalation_delay_decides_when_the_next_manager_is_told(
    tenant, other_tenant, managers, django_capture_on_commit_callbacks
):
    # given a company that waits 30 minutes (Rule settings) and one that keeps the 10-minute setting
    RuleSettings.objects.create(company=tenant.company, overrides={"alert_escalation_min": 30})
    other_tenant.manager.email = "rival@rival.test"
    other_tenant.manager.save()
    factories.ManagerFactory(company=other_tenant.company, email="rival-second@rival.test")
    raised = timezone.now()
    _critical_flag(tenant, raised)
    _critical_flag(other_tenant, raised)

    # when the job runs 11 and then 31 minutes after both flags were raised
    _run(raised + timedelta(minutes=11), django_capture_on_commit_callbacks)
    after_11 = sorted(_escalated_to())
    _run(raised + timedelta(minutes=31), django_capture_on_commit_callbacks)

    # then the rival is escalated at 11 minutes (and again at 31), this company only at 31
    assert after_11 == ["rival@rival.test"]
    assert sorted(_escalated_to()) == ["rival-second@rival.test", "rival@rival.test", "second@acme.test"]
    assert AlertEscalation.objects.filter(company=tenant.company).count() == 1


def test_without_an_override_the_setting_is_the_delay(tenant, managers, settings, django_capture_on_commit_callbacks):
    settings.ALERT_ESCALATION_MINUTES = 30
    raised = timezone.now()
    _critical_flag(tenant, raised)

    _run(raised + timedelta(minutes=11), django_capture_on_commit_callbacks)
    assert _escalated_to() == []

    _run(raised + timedelta(minutes=31), django_capture_on_commit_callbacks)
    assert _escalated_to() == ["second@acme.test"]


def test_a_zero_delay_escalates_once_a_minute_at_most(tenant, managers, django_capture_on_commit_callbacks):
    RuleSettings.objects.create(company=tenant.company, overrides={"alert_escalation_min": 0})
    raised = timezone.now()
    _critical_flag(tenant, raised)

    _run(raised + timedelta(seconds=30), django_capture_on_commit_callbacks)
    assert _escalated_to() == []
    _run(raised + timedelta(seconds=61), django_capture_on_commit_callbacks)
    assert _escalated_to() == ["second@acme.test"]


def test_a_manager_sets_the_delay_in_the_admins_rule_settings_and_the_job_reads_it(
    tenant, managers, django_capture_on_commit_callbacks
):
    from tests.admin_clients import manager_admin

    admin = manager_admin(tenant.manager)
    page = admin.get("/admin/rules/rulesettings/add/").content.decode()
    saved = admin.post(
        "/admin/rules/rulesettings/add/",
        {"company": tenant.company.pk, "overrides": '{"alert_escalation_min": 30}', "agency_terms": "{}"},
    )
    raised = timezone.now()
    _critical_flag(tenant, raised)

    _run(raised + timedelta(minutes=11), django_capture_on_commit_callbacks)

    assert "alert_escalation_min" in page  # listed with its default and why
    assert saved.status_code == 302, saved.content.decode()[:800]
    assert RuleSettings.objects.get(company=tenant.company).overrides == {"alert_escalation_min": 30}
    assert _escalated_to() == []


def test_an_escalation_the_mail_server_refused_keeps_why_and_is_tried_again(
    tenant, managers, settings, django_capture_on_commit_callbacks
):
    from backend.attendance.escalation import alert_escalation_send

    alert = panic(shift_on_now(post=tenant.post), ago=timedelta(0))
    with django_capture_on_commit_callbacks(execute=False):
        alerts_escalate(now=alert.received_at + timedelta(minutes=11))
    escalation = AlertEscalation.objects.get()
    settings.EMAIL_BACKEND = "tests.backend.documents.failing_mail.EmailBackend"

    with pytest.raises(ConnectionRefusedError):
        alert_escalation_send(escalation_id=escalation.pk)

    escalation.refresh_from_db()
    assert escalation.sent_at is None
    assert "Connection refused" in escalation.error

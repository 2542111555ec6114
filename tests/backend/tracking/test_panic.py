"""Reviewers' transitions over a panic alert: acknowledge (who, when, note), then resolve (outcome)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.core.errors import ValidationFailed
from backend.flags.models import Flag, FlagStatus
from backend.tracking.errors import (
    PanicAlertAlreadyAcknowledged,
    PanicAlertAlreadyResolved,
    PanicAlertNotAcknowledged,
    PanicAlertNotFound,
)
from backend.tracking.field_services import PanicData, panic_alert_raise
from backend.tracking.models import PanicAlert, PanicOutcome
from backend.tracking.panic import panic_alert_acknowledge, panic_alert_resolve
from tests import factories
from tests.concurrency import race_outcomes
from tests.reviewers import assert_only_the_companys_reviewers_may


@pytest.fixture
def shift(tenant):
    return factories.ShiftFactory(post=tenant.post, guard=tenant.guard)


@pytest.fixture
def alert(shift, tenant):
    """The guard pressed panic during their shift: an open critical PANIC flag is on it."""
    raised, _ = panic_alert_raise(guard=tenant.guard, data=PanicData())
    return raised


def test_a_manager_acknowledges_an_alert_and_its_panic_flag_closes_in_their_name(alert, shift, tenant):
    acknowledged = panic_alert_acknowledge(alert=alert, by=tenant.manager, note=" Calling the guard now. ")

    acknowledged.refresh_from_db()
    assert (acknowledged.acknowledged_by, acknowledged.acknowledgement_note) == (
        tenant.manager,
        "Calling the guard now.",
    )
    assert acknowledged.acknowledged_at is not None
    assert abs((acknowledged.acknowledged_at - timezone.now()).total_seconds()) < 60
    assert acknowledged.resolved_at is None
    panic = Flag.objects.get(shift=shift, code="PANIC")
    assert (panic.status, panic.resolved_by) == (FlagStatus.RESOLVED, tenant.manager)


def test_a_second_acknowledgement_is_refused_naming_who_took_it_and_when(alert, tenant):
    colleague = factories.ManagerFactory(company=tenant.company, first_name="Dana", last_name="Reyes")
    panic_alert_acknowledge(alert=alert, by=colleague)
    alert.refresh_from_db()
    local = alert.acknowledged_at.astimezone(ZoneInfo(tenant.site.timezone))

    with pytest.raises(PanicAlertAlreadyAcknowledged) as refusal:
        panic_alert_acknowledge(alert=alert, by=tenant.manager)

    assert refusal.value.code == "panic_alert_already_acknowledged"
    assert f"already acknowledged by Dana Reyes at {local:%Y-%m-%d %H:%M} {local.tzname()}." in refusal.value.message
    alert.refresh_from_db()
    assert alert.acknowledged_by == colleague


def test_an_acknowledged_alert_is_resolved_with_an_outcome_once(alert, tenant):
    panic_alert_acknowledge(alert=alert, by=tenant.manager)

    resolved = panic_alert_resolve(
        alert=alert, by=tenant.manager, outcome=PanicOutcome.FALSE_ALARM, note="Pressed in a pocket."
    )

    resolved.refresh_from_db()
    assert (resolved.resolved_by, resolved.outcome, resolved.resolution_note) == (
        tenant.manager,
        "false_alarm",
        "Pressed in a pocket.",
    )
    assert resolved.resolved_at is not None
    assert resolved.acknowledged_at is not None
    assert resolved.resolved_at >= resolved.acknowledged_at
    with pytest.raises(PanicAlertAlreadyResolved) as again:
        panic_alert_resolve(alert=alert, by=tenant.manager, outcome=PanicOutcome.BACKUP_SENT)
    assert again.value.code == "panic_alert_already_resolved"
    assert f"already resolved by {tenant.manager} at " in again.value.message
    assert "(False alarm (pressed by mistake))" in again.value.message


def test_an_alert_nobody_acknowledged_cannot_be_resolved(alert, tenant):
    with pytest.raises(PanicAlertNotAcknowledged) as refusal:
        panic_alert_resolve(alert=alert, by=tenant.manager, outcome=PanicOutcome.HANDLED_ON_SITE)

    assert refusal.value.code == "panic_alert_not_acknowledged"
    alert.refresh_from_db()
    assert (alert.acknowledged_at, alert.resolved_at, alert.outcome) == (None, None, "")


def test_a_resolution_needs_a_known_outcome_and_other_needs_a_note(alert, tenant):
    panic_alert_acknowledge(alert=alert, by=tenant.manager)

    with pytest.raises(ValidationFailed) as unknown:
        panic_alert_resolve(alert=alert, by=tenant.manager, outcome="fine")
    with pytest.raises(ValidationFailed) as silent:
        panic_alert_resolve(alert=alert, by=tenant.manager, outcome=PanicOutcome.OTHER)

    assert (unknown.value.code, unknown.value.field) == ("unknown_outcome", "outcome")
    assert (silent.value.code, silent.value.field) == ("note_required", "note")
    alert.refresh_from_db()
    assert alert.resolved_at is None


def test_an_alert_raised_with_no_shift_open_is_acknowledged_on_the_companys_clock(tenant):
    # given an alert raised off shift (no site: the company's head-office zone applies)
    tenant.company.timezone = "America/Chicago"
    tenant.company.save()
    raised, _ = panic_alert_raise(guard=tenant.guard, data=PanicData())
    assert raised.shift is None
    panic_alert_acknowledge(alert=raised, by=tenant.manager)
    raised.refresh_from_db()
    local = raised.acknowledged_at.astimezone(ZoneInfo("America/Chicago"))

    with pytest.raises(PanicAlertAlreadyAcknowledged) as refusal:
        panic_alert_acknowledge(alert=raised, by=tenant.manager)

    assert f"at {local:%Y-%m-%d %H:%M} {local.tzname()}." in refusal.value.message
    assert local.tzname() in {"CST", "CDT"}


def test_another_companys_manager_gets_not_found_and_a_guard_permission_denied(alert, tenant, other_tenant):
    foreign = assert_only_the_companys_reviewers_may(
        lambda by: panic_alert_acknowledge(alert=alert, by=by), tenant=tenant, other_tenant=other_tenant,
        not_found=PanicAlertNotFound,
    )  # fmt: skip
    panic_alert_acknowledge(alert=alert, by=tenant.manager)
    with pytest.raises(PanicAlertNotFound):
        panic_alert_resolve(alert=alert, by=other_tenant.manager, outcome=PanicOutcome.FALSE_ALARM)

    assert (foreign.code, foreign.status) == ("panic_alert_not_found", 404)
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.resolved_at) == (tenant.manager, None)


def test_the_database_refuses_a_resolution_without_an_acknowledgement_or_an_outcome(alert, tenant):
    rows = PanicAlert.objects.filter(pk=alert.pk)
    now = timezone.now()
    resolved = {"resolved_at": now, "resolved_by": tenant.manager, "outcome": PanicOutcome.FALSE_ALARM}
    inconsistent = [
        resolved,  # never acknowledged
        {**resolved, "acknowledged_at": now, "outcome": ""},  # no outcome
        {**resolved, "acknowledged_at": now, "outcome": PanicOutcome.OTHER},  # "other" without a note
        {**resolved, "acknowledged_at": now + timedelta(minutes=1)},  # resolved before it was taken
        {"acknowledged_by": tenant.manager},  # taken at no time
    ]
    for values in inconsistent:
        with pytest.raises(IntegrityError), transaction.atomic():
            rows.update(**values)
    rows.update(**resolved, acknowledged_at=now)  # consistent: accepted


@pytest.mark.django_db(transaction=True)
def test_two_managers_acknowledging_at_once_one_takes_it_and_the_other_is_told_who(tenant):
    # given a panic alert during a shift and two managers answering it at the same moment
    factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    raised, _ = panic_alert_raise(guard=tenant.guard, data=PanicData())
    managers = [tenant.manager, factories.ManagerFactory(company=tenant.company, first_name="Dana", last_name="Reyes")]

    def acknowledge_as(manager):
        return lambda: panic_alert_acknowledge(alert=PanicAlert.objects.get(pk=raised.pk), by=manager)

    outcomes = race_outcomes(*map(acknowledge_as, managers))

    # then one acknowledgement is stored and the other manager is told whose it is
    took = [who for who, outcome in zip(managers, outcomes, strict=True) if not isinstance(outcome, Exception)]
    told = [outcome for outcome in outcomes if isinstance(outcome, PanicAlertAlreadyAcknowledged)]
    assert (len(took), len(told)) == (1, 1), outcomes
    raised.refresh_from_db()
    assert raised.acknowledged_by == took[0]
    assert f"already acknowledged by {took[0]} at " in told[0].message

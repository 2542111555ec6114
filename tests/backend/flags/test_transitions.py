"""People closing flags: dismissing a false positive (with a reason) and resolving one by hand."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.attendance.monitoring import shifts_monitor
from backend.core.errors import ValidationFailed
from backend.flags.errors import FlagFollowsPanicAlert, FlagNotFound, FlagNotOpen
from backend.flags.models import DismissalReason, Flag, FlagStatus
from backend.flags.selectors import flag_dismissals_by_rule
from backend.flags.services import flag_dismiss, flag_resolve
from backend.incidents.services import IncidentContent, incident_amend, incident_return_for_correction
from backend.staffing.models import ShiftStatus
from backend.tracking.field_services import PanicData, panic_alert_raise
from geofence.fixes import Fix
from tests import factories, geo
from tests.mobile_api.test_incidents import file_directly
from tests.reviewers import assert_only_the_companys_reviewers_may

NOW = timezone.now().replace(microsecond=0)


def outside_position() -> Fix:
    """50 m east of the site's fence, an 8 m circle: a warning OUTSIDE_GEOFENCE flag."""
    return Fix(lat=geo.OUTSIDE_50M.y, lon=geo.OUTSIDE_50M.x, accuracy_m=8, recorded_at=timezone.now())


@pytest.fixture
def shift(tenant):
    return factories.ShiftFactory(post=tenant.post, guard=tenant.guard)


@pytest.fixture
def outside_flag(shift):
    report = file_directly(shift, position=outside_position())
    return Flag.objects.get(incident=report, code="OUTSIDE_GEOFENCE", status=FlagStatus.OPEN)


def late_shift(tenant):
    """A shift that began 30 minutes ago, clocked into now: the pass raises LATE_CLOCK_IN."""
    shift = factories.ShiftFactory(
        post=tenant.post,
        guard=tenant.guard,
        scheduled_start=NOW - timedelta(minutes=30),
        scheduled_end=NOW + timedelta(hours=7),
    )
    shift.clock_in_at, shift.clock_in_location, shift.status = NOW, geo.INSIDE_CENTER, ShiftStatus.IN_PROGRESS
    shift.save()
    return shift


# --- Dismiss --------------------------------------------------------------------------------


def test_a_manager_dismisses_a_flag_as_a_false_positive_with_a_reason(outside_flag, tenant):
    flag = flag_dismiss(
        flag=outside_flag, by=tenant.manager, reason=DismissalReason.GPS_DRIFT, note=" Tall buildings. "
    )

    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED
    assert (flag.dismissed_by, flag.dismissal_reason, flag.dismissal_note) == (
        tenant.manager,
        "gps_drift",
        "Tall buildings.",
    )
    assert flag.dismissed_at is not None
    assert abs((flag.dismissed_at - timezone.now()).total_seconds()) < 60
    assert (flag.resolved_at, flag.resolved_by) == (None, None)


def test_a_dismissed_flag_stays_dismissed_when_the_amended_report_is_checked_again(outside_flag, tenant):
    # given a report's OUTSIDE_GEOFENCE flag dismissed as GPS drift, and the report returned
    report = outside_flag.incident
    flag_dismiss(flag=outside_flag, by=tenant.manager, reason=DismissalReason.GPS_DRIFT)
    incident_return_for_correction(report=report, reviewer=tenant.manager, comment="Which gate?")

    # when the guard amends it from the same position (the rules run again and find it again)
    content = IncidentContent(
        type_code="trespass",
        occurred_at=report.occurred_at,
        narrative=report.narrative + " It was gate B on the east side.",
        location_detail="Gate B, east side",
        position=outside_position(),
    )
    outcome = incident_amend(guard=tenant.guard, report_id=report.pk, content=content)

    # then the flag is still dismissed, no new one is raised, and the guard is not asked to fix it
    outside_flag.refresh_from_db()
    assert outside_flag.status == FlagStatus.DISMISSED
    assert Flag.objects.filter(incident=report, code="OUTSIDE_GEOFENCE").count() == 1
    assert "OUTSIDE_GEOFENCE" not in [flag.code for flag in outcome.flags]


def test_a_dismissed_shift_flag_stays_dismissed_through_the_next_monitoring_passes(tenant):
    # given the pass flagged a late clock-in and the manager dismissed it as a known exception
    shift = late_shift(tenant)
    shifts_monitor(now=NOW)
    late = Flag.objects.get(shift=shift, code="LATE_CLOCK_IN", status=FlagStatus.OPEN)
    flag_dismiss(flag=late, by=tenant.manager, reason=DismissalReason.KNOWN_EXCEPTION, note="Road closed.")

    # when the pass runs again (and again, a minute later)
    shifts_monitor(now=NOW)
    shifts_monitor(now=NOW + timedelta(minutes=1))

    # then it is still dismissed and nothing was raised in its place
    late.refresh_from_db()
    assert late.status == FlagStatus.DISMISSED
    assert list(Flag.objects.filter(shift=shift, code="LATE_CLOCK_IN")) == [late]


def test_dismissals_are_counted_per_rule_and_reason(tenant, shift):
    for reason in (DismissalReason.GPS_DRIFT, DismissalReason.GPS_DRIFT, DismissalReason.RULE_TOO_STRICT):
        report = file_directly(shift, position=outside_position())
        flag_dismiss(flag=Flag.objects.get(incident=report, code="OUTSIDE_GEOFENCE"), by=tenant.manager, reason=reason)
    file_directly(shift, position=outside_position())  # still open: not a dismissal

    assert flag_dismissals_by_rule(company=tenant.company) == {
        "OUTSIDE_GEOFENCE": {"gps_drift": 2, "rule_too_strict": 1}
    }


def test_a_dismissal_needs_a_known_reason_and_other_needs_a_note(outside_flag, tenant):
    with pytest.raises(ValidationFailed) as unknown:
        flag_dismiss(flag=outside_flag, by=tenant.manager, reason="bored")
    with pytest.raises(ValidationFailed) as silent:
        flag_dismiss(flag=outside_flag, by=tenant.manager, reason=DismissalReason.OTHER, note=" ")

    assert (unknown.value.code, unknown.value.field) == ("unknown_dismissal_reason", "reason")
    assert (silent.value.code, silent.value.field) == ("note_required", "note")
    outside_flag.refresh_from_db()
    assert outside_flag.status == FlagStatus.OPEN
    flag_dismiss(
        flag=outside_flag, by=tenant.manager, reason=DismissalReason.OTHER, note="Guard was escorting a visitor."
    )


def test_only_an_open_flag_can_be_closed_and_the_refusal_says_who_closed_it_and_when(outside_flag, tenant):
    # given a flag another manager dismissed
    colleague = factories.ManagerFactory(company=tenant.company, first_name="Dana", last_name="Reyes")
    flag_dismiss(flag=outside_flag, by=colleague, reason=DismissalReason.GPS_DRIFT)
    outside_flag.refresh_from_db()
    local = outside_flag.dismissed_at.astimezone(ZoneInfo(tenant.site.timezone))

    # when the manager dismisses or resolves it too
    with pytest.raises(FlagNotOpen) as dismiss_again:
        flag_dismiss(flag=outside_flag, by=tenant.manager, reason=DismissalReason.RULE_TOO_STRICT)
    with pytest.raises(FlagNotOpen) as resolve_dismissed:
        flag_resolve(flag=outside_flag, by=tenant.manager)

    # then both are refused, naming who dismissed it and when on the site's clock
    for refusal in (dismiss_again.value, resolve_dismissed.value):
        assert refusal.code == "flag_not_open"
        assert (
            f"already dismissed by Dana Reyes at {local:%Y-%m-%d %H:%M} {local.tzname()} (GPS drift)" in refusal.message
        )
    outside_flag.refresh_from_db()
    assert (outside_flag.dismissed_by, outside_flag.dismissal_reason) == (colleague, "gps_drift")


def test_a_flag_whose_condition_ended_cannot_be_dismissed(tenant):
    shift = late_shift(tenant)
    shifts_monitor(now=NOW)
    late = Flag.objects.get(shift=shift, code="LATE_CLOCK_IN")
    Flag.objects.filter(pk=late.pk).update(status=FlagStatus.RESOLVED, resolved_at=NOW)

    with pytest.raises(FlagNotOpen) as refusal:
        flag_dismiss(flag=late, by=tenant.manager, reason=DismissalReason.GPS_DRIFT)

    assert "already resolved at " in refusal.value.message
    assert "the condition ended" in refusal.value.message


def test_a_panic_flag_closes_with_its_alert_not_by_hand(shift, tenant):
    panic_alert_raise(guard=tenant.guard, data=PanicData())
    panic = Flag.objects.get(shift=shift, code="PANIC", status=FlagStatus.OPEN)

    with pytest.raises(FlagFollowsPanicAlert):
        flag_dismiss(flag=panic, by=tenant.manager, reason=DismissalReason.OTHER, note="Pocket press.")
    with pytest.raises(FlagFollowsPanicAlert) as refusal:
        flag_resolve(flag=panic, by=tenant.manager)

    assert refusal.value.code == "flag_follows_panic_alert"
    panic.refresh_from_db()
    assert panic.status == FlagStatus.OPEN


def test_another_companys_manager_gets_not_found_and_a_guard_permission_denied(outside_flag, tenant, other_tenant):
    with pytest.raises(FlagNotFound) as foreign:
        flag_dismiss(flag=outside_flag, by=other_tenant.manager, reason=DismissalReason.GPS_DRIFT)
    assert_only_the_companys_reviewers_may(
        lambda by: flag_resolve(flag=outside_flag, by=by), tenant=tenant, other_tenant=other_tenant,
        not_found=FlagNotFound,
    )  # fmt: skip

    assert (foreign.value.code, foreign.value.status) == ("flag_not_found", 404)
    outside_flag.refresh_from_db()
    assert outside_flag.status == FlagStatus.OPEN


# --- Resolve --------------------------------------------------------------------------------


def test_a_manager_resolves_a_flag_with_a_note_and_the_rules_do_not_reopen_it(tenant):
    # given the pass's late clock-in flag, resolved by the manager
    shift = late_shift(tenant)
    shifts_monitor(now=NOW)
    late = Flag.objects.get(shift=shift, code="LATE_CLOCK_IN", status=FlagStatus.OPEN)
    flag_resolve(flag=late, by=tenant.manager, note="Talked to the guard.")

    # when the pass runs again
    shifts_monitor(now=NOW + timedelta(minutes=1))

    # then it stays resolved by them, with the note
    late.refresh_from_db()
    assert (late.status, late.resolved_by, late.resolution_note) == (
        FlagStatus.RESOLVED,
        tenant.manager,
        "Talked to the guard.",
    )
    assert late.resolved_at is not None
    assert not Flag.objects.filter(shift=shift, code="LATE_CLOCK_IN", status=FlagStatus.OPEN).exists()


# --- The database backs the states ------------------------------------------------------------


def test_the_database_refuses_an_inconsistent_dismissal_or_closure(outside_flag, tenant):
    rows = Flag.objects.filter(pk=outside_flag.pk)
    dismissed = {"status": FlagStatus.DISMISSED, "dismissed_at": NOW, "dismissed_by": tenant.manager}
    inconsistent = [
        {"status": FlagStatus.DISMISSED},  # nobody, no time, no reason
        dismissed,  # no reason
        {**dismissed, "dismissal_reason": DismissalReason.OTHER},  # "other" without a note
        {"dismissed_at": NOW, "dismissed_by": tenant.manager, "dismissal_reason": "gps_drift"},  # still open
        {"status": FlagStatus.RESOLVED},  # resolved at no time
        {"resolved_by": tenant.manager},  # open, yet closed by someone
        {"status": "forgotten"},
    ]
    for values in inconsistent:
        with pytest.raises(IntegrityError), transaction.atomic():
            rows.update(**values)
    rows.update(**dismissed, dismissal_reason=DismissalReason.GPS_DRIFT)  # consistent: accepted

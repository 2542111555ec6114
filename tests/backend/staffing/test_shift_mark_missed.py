"""Marking shifts no-shows: by the monitoring pass (after they end) or by a reviewer (once begun)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.attendance.monitoring import shifts_monitor
from backend.core.errors import PermissionDenied
from backend.staffing.errors import ShiftNotFound, ShiftNotMissable
from backend.staffing.models import Shift, ShiftStatus
from backend.staffing.services import shift_mark_missed
from tests import factories, geo

NOW = timezone.now().replace(microsecond=0)


def a_shift(tenant, *, started_ago: timedelta, hours: float = 8, **fields):
    start = NOW - started_ago
    return factories.ShiftFactory(
        post=tenant.post,
        guard=tenant.guard,
        scheduled_start=start,
        scheduled_end=start + timedelta(hours=hours),
        **fields,
    )


def a_clocked_shift(tenant, *, started_ago: timedelta, clocked_in_ago: timedelta, clocked_out_ago=None):
    """A shift the guard clocked into from the site (and out of, if `clocked_out_ago`)."""
    status = ShiftStatus.IN_PROGRESS if clocked_out_ago is None else ShiftStatus.COMPLETED
    return a_shift(
        tenant,
        started_ago=started_ago,
        status=status,
        clock_in_at=NOW - clocked_in_ago,
        clock_in_location=geo.INSIDE_CENTER,
        clock_out_at=None if clocked_out_ago is None else NOW - clocked_out_ago,
    )


def test_the_monitoring_pass_marks_an_ended_shift_nobody_clocked_into_as_missed_by_the_system(tenant):
    # given a shift that ended an hour ago with nobody, and one still running with nobody yet
    ended = a_shift(tenant, started_ago=timedelta(hours=9))
    running = a_shift(tenant, started_ago=timedelta(hours=1))

    result = shifts_monitor(now=NOW)

    # then only the ended one is missed, marked at the pass's time by nobody (the system)
    ended.refresh_from_db()
    running.refresh_from_db()
    assert result.marked_missed == 1
    assert (ended.status, ended.marked_missed_at, ended.marked_missed_by) == (ShiftStatus.MISSED, NOW, None)
    assert (running.status, running.marked_missed_at) == (ShiftStatus.SCHEDULED, None)


def test_the_system_leaves_shifts_that_do_not_qualify_alone(tenant):
    ended = a_shift(tenant, started_ago=timedelta(hours=9))
    worked = a_clocked_shift(
        tenant, started_ago=timedelta(hours=20), clocked_in_ago=timedelta(hours=20), clocked_out_ago=timedelta(hours=12)
    )

    marked = shift_mark_missed(shift_ids=[ended.pk, worked.pk], at=NOW)

    assert marked == 1
    assert Shift.objects.get(pk=worked.pk).status == ShiftStatus.COMPLETED
    assert shift_mark_missed(shifts=[ended], at=NOW + timedelta(minutes=1)) == 0  # already missed: nothing again


def test_a_manager_marks_a_begun_shift_missed_before_it_ends_with_a_note(tenant):
    shift = a_shift(tenant, started_ago=timedelta(hours=2))

    marked = shift_mark_missed(shifts=[shift], at=NOW, by=tenant.manager, note=" Guard called in sick. ")

    shift.refresh_from_db()
    assert marked == 1
    assert (shift.status, shift.marked_missed_at, shift.marked_missed_by, shift.marked_missed_note) == (
        ShiftStatus.MISSED,
        NOW,
        tenant.manager,
        "Guard called in sick.",
    )


def test_a_manager_cannot_mark_a_shift_missed_that_someone_clocked_into_or_that_has_not_begun(tenant):
    clocked = a_clocked_shift(tenant, started_ago=timedelta(hours=1), clocked_in_ago=timedelta(minutes=50))
    tomorrow = a_shift(tenant, started_ago=-timedelta(hours=20))
    begun = a_shift(tenant, started_ago=timedelta(hours=1))

    with pytest.raises(ShiftNotMissable) as worked:
        shift_mark_missed(shifts=[begun, clocked], at=NOW, by=tenant.manager)
    with pytest.raises(ShiftNotMissable) as early:
        shift_mark_missed(shifts=[tomorrow], at=NOW, by=tenant.manager)

    assert worked.value.code == "shift_not_missable"
    assert "this one is in progress" in worked.value.message
    local = tomorrow.scheduled_start.astimezone(ZoneInfo(tenant.site.timezone))
    assert f"starts at {local:%Y-%m-%d %H:%M} {local.tzname()}" in early.value.message
    # nothing changed, not even the shift that did qualify
    assert not Shift.objects.filter(status=ShiftStatus.MISSED).exists()


def test_a_shift_already_marked_missed_is_refused_to_a_manager(tenant):
    shift = a_shift(tenant, started_ago=timedelta(hours=9))
    shifts_monitor(now=NOW)

    with pytest.raises(ShiftNotMissable) as refusal:
        shift_mark_missed(shifts=[shift], at=NOW, by=tenant.manager)

    assert "this one is missed (no-show)" in refusal.value.message


def test_another_companys_manager_gets_not_found_and_a_guard_permission_denied(tenant, other_tenant):
    shift = a_shift(tenant, started_ago=timedelta(hours=2))

    with pytest.raises(ShiftNotFound) as foreign:
        shift_mark_missed(shifts=[shift], at=NOW, by=other_tenant.manager)
    with pytest.raises(ShiftNotFound):
        shift_mark_missed(shift_ids=[shift.pk + 1000], at=NOW, by=tenant.manager)
    with pytest.raises(PermissionDenied) as refused:
        shift_mark_missed(shifts=[shift], at=NOW, by=tenant.guard)

    assert (foreign.value.code, foreign.value.status) == ("shift_not_found", 404)
    assert refused.value.code == "not_a_reviewer"
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.SCHEDULED


def test_the_database_refuses_a_missed_shift_with_a_clock_in_or_without_when_it_was_marked(tenant):
    shift = a_shift(tenant, started_ago=timedelta(hours=9))
    rows = Shift.objects.filter(pk=shift.pk)
    inconsistent = [
        {"status": ShiftStatus.MISSED},  # marked at no time
        {"status": ShiftStatus.MISSED, "marked_missed_at": NOW, "clock_in_at": NOW - timedelta(hours=8)},  # worked
        {"marked_missed_at": NOW},  # still scheduled, yet marked missed
        {"status": "lost"},
    ]
    for values in inconsistent:
        with pytest.raises(IntegrityError), transaction.atomic():
            rows.update(**values)
    rows.update(status=ShiftStatus.MISSED, marked_missed_at=NOW)  # consistent: accepted

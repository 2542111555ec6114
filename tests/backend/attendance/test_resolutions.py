"""Resolving attendance exceptions: excused, replacement assigned, time corrected; each refusal code."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backend.attendance.errors import ExceptionNotFound
from backend.attendance.models import AttendanceResolution, ResolutionKind
from backend.attendance.resolutions import (
    attendance_exception_excuse,
    attendance_exceptions_visible,
    attendance_replacement_assign,
    attendance_time_correct,
    shift_times,
)
from backend.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from backend.flags.models import Flag, FlagStatus
from backend.rules.findings import FlagCode
from backend.sites.scopes import scope_for
from backend.staffing.models import PostRequirement, Qualification, Shift, ShiftStatus
from tests import factories
from tests.conftest import Tenant, api_client_for

pytestmark = pytest.mark.django_db


def _exception(tenant: Tenant, code: str = FlagCode.NO_SHOW, *, guard=None, **shift_fields) -> Flag:
    shift = factories.ShiftFactory(post=tenant.post, guard=guard or tenant.guard, **shift_fields)
    return factories.open_flag(shift=shift, code=code, message="Nobody clocked in.")


def _clocked_in(tenant: Tenant, code: str) -> Flag:
    started = timezone.now() - timedelta(hours=3)
    return _exception(
        tenant,
        code,
        scheduled_start=started,
        scheduled_end=started + timedelta(hours=8),
        status=ShiftStatus.IN_PROGRESS,
        clock_in_at=started + timedelta(minutes=25),
        clock_in_verified_at=started + timedelta(minutes=25),
    )


# --- Excused ----------------------------------------------------------------------------


def test_excusing_records_the_reason_and_closes_the_flag(tenant):
    flag = _exception(tenant, FlagCode.LATE_CLOCK_IN)

    resolution = attendance_exception_excuse(flag=flag, by=tenant.manager, reason="  Bus strike downtown. ")

    flag.refresh_from_db()
    assert (resolution.kind, resolution.reason, resolution.resolved_by) == (
        ResolutionKind.EXCUSED,
        "Bus strike downtown.",
        tenant.manager,
    )
    assert (flag.status, flag.resolved_by) == (FlagStatus.RESOLVED, tenant.manager)


def test_excusing_without_a_reason_is_refused_and_changes_nothing(tenant):
    flag = _exception(tenant)

    with pytest.raises(ValidationFailed) as refused:
        attendance_exception_excuse(flag=flag, by=tenant.manager, reason="  ")

    assert (refused.value.code, refused.value.field) == ("reason_required", "reason")
    assert not AttendanceResolution.objects.exists()
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_an_exception_is_resolved_once_the_second_manager_is_told_who(tenant):
    flag = _exception(tenant)
    attendance_exception_excuse(flag=flag, by=tenant.manager, reason="Sick, called in.")
    colleague = factories.ManagerFactory(company=tenant.company)

    with pytest.raises(Conflict) as refused:
        attendance_exception_excuse(flag=flag, by=colleague, reason="Again")

    assert refused.value.code == "exception_already_resolved"
    assert str(tenant.manager) in refused.value.message


def test_another_company_manager_gets_a_404_and_a_guard_is_refused(tenant, other_tenant):
    flag = _exception(tenant)

    with pytest.raises(NotFound) as not_found:
        attendance_exception_excuse(flag=flag, by=other_tenant.manager, reason="x")
    with pytest.raises(PermissionDenied) as refused:
        attendance_exception_excuse(flag=flag, by=tenant.guard, reason="x")

    assert not_found.value.code == "exception_not_found"
    assert refused.value.code == "not_a_reviewer"
    assert not AttendanceResolution.objects.exists()


def test_a_supervisor_of_another_site_gets_a_404(tenant):
    flag = _exception(tenant)
    supervisor = factories.SupervisorFactory(company=tenant.company)

    with pytest.raises(ExceptionNotFound):
        attendance_exception_excuse(flag=flag, by=supervisor, reason="x")


def test_a_flag_that_is_not_about_attendance_is_not_an_exception(tenant):
    flag = _exception(tenant, FlagCode.RESTRICTED_ZONE)

    with pytest.raises(ExceptionNotFound):
        attendance_exception_excuse(flag=flag, by=tenant.manager, reason="x")


# --- Replacement ------------------------------------------------------------------------


def test_a_no_show_replaced_marks_it_missed_and_schedules_the_rest_for_the_replacement(tenant):
    flag = _exception(tenant)  # started an hour ago, ends in seven
    replacement_guard = factories.GuardFactory(company=tenant.company)
    now = timezone.now()

    resolution = attendance_replacement_assign(flag=flag, by=tenant.manager, guard=replacement_guard, now=now)

    original = Shift.objects.get(pk=flag.shift_id)
    replacement = resolution.replacement_shift
    assert original.status == ShiftStatus.MISSED
    assert original.marked_missed_by == tenant.manager
    assert (replacement.guard, replacement.post) == (replacement_guard, tenant.post)
    assert (replacement.scheduled_start, replacement.scheduled_end) == (now, original.scheduled_end)
    listed = api_client_for(replacement_guard).get_json("/shifts").json()
    assert replacement.pk in [shift["id"] for shift in listed]


def test_replacing_an_early_clock_out_covers_from_the_clock_out(tenant):
    started = timezone.now() - timedelta(hours=3)
    flag = _exception(
        tenant,
        FlagCode.EARLY_CLOCK_OUT,
        scheduled_start=started,
        scheduled_end=started + timedelta(hours=8),
        status=ShiftStatus.COMPLETED,
        clock_in_at=started,
        clock_out_at=started + timedelta(hours=2),
    )
    earlier = timezone.now() - timedelta(hours=2)

    resolution = attendance_replacement_assign(
        flag=flag, by=tenant.manager, guard=factories.GuardFactory(company=tenant.company), now=earlier
    )

    assert resolution.replacement_shift.scheduled_start == started + timedelta(hours=2)
    assert Shift.objects.get(pk=flag.shift_id).status == ShiftStatus.COMPLETED


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("late guard is on site", "replacement_not_applicable"),
        ("same guard", "same_guard"),
        ("shift over", "shift_already_over"),
        ("other company's guard", "guard_not_found"),
        ("double-booked guard", "shift_overlaps"),
        ("unqualified guard", "qualification_missing"),
    ],
)
def test_a_replacement_is_refused_with_a_clear_code_and_nothing_changes(tenant, other_tenant, case, code):
    replacement_guard = factories.GuardFactory(company=tenant.company)
    flag = _exception(tenant)
    if case == "late guard is on site":
        flag = _clocked_in(tenant, FlagCode.LATE_CLOCK_IN)
    elif case == "same guard":
        replacement_guard = tenant.guard
    elif case == "shift over":
        ended = timezone.now() - timedelta(hours=9)
        flag = _exception(tenant, scheduled_start=ended, scheduled_end=ended + timedelta(hours=8))
    elif case == "other company's guard":
        replacement_guard = other_tenant.guard
    elif case == "double-booked guard":
        factories.ShiftFactory(post=factories.PostFactory(site=tenant.site), guard=replacement_guard)
    elif case == "unqualified guard":
        PostRequirement.objects.create(
            post=tenant.post, qualification=Qualification.objects.get(company=tenant.company, code="fire-watch")
        )
    shifts_before = Shift.objects.count()

    with pytest.raises((Conflict, ValidationFailed, NotFound)) as refused:
        attendance_replacement_assign(flag=flag, by=tenant.manager, guard=replacement_guard)

    assert refused.value.code == code
    assert Shift.objects.count() == shifts_before
    assert Shift.objects.get(pk=flag.shift_id).status != ShiftStatus.MISSED
    assert not AttendanceResolution.objects.exists()


def test_an_unqualified_replacement_goes_through_with_a_managers_override(tenant):
    PostRequirement.objects.create(
        post=tenant.post, qualification=Qualification.objects.get(company=tenant.company, code="fire-watch")
    )
    flag = _exception(tenant)

    resolution = attendance_replacement_assign(
        flag=flag,
        by=tenant.manager,
        guard=factories.GuardFactory(company=tenant.company),
        override_reason="Only guard free tonight; fire panel monitored remotely.",
    )

    assert resolution.replacement_shift.qualification_overrides.get().qualification.code == "fire-watch"


# --- Time corrected ---------------------------------------------------------------------


def test_a_time_correction_stands_beside_the_verified_times(tenant):
    flag = _clocked_in(tenant, FlagCode.LATE_CLOCK_IN)
    shift = Shift.objects.get(pk=flag.shift_id)
    verified_in = shift.clock_in_verified_at
    actual = shift.scheduled_start + timedelta(minutes=2)

    attendance_time_correct(
        flag=flag, by=tenant.manager, reason="Phone died at the gate; CCTV shows 08:02.", clock_in_at=actual
    )

    shift.refresh_from_db()
    times = shift_times(shift=shift)
    assert shift.clock_in_verified_at == verified_in  # the evidence is untouched
    assert (times.verified_clock_in_at, times.corrected_clock_in_at, times.clock_in_at) == (verified_in, actual, actual)


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"reason": ""}, "reason_required", "reason"),
        ({"clock_in_at": None}, "time_required", "clock_in_at"),
        ({"clock_in_at": "naive"}, "naive_datetime", "clock_in_at"),
        ({"clock_in_at": "future"}, "time_in_future", "clock_in_at"),
        ({"clock_in_at": None, "clock_out_at": "before in"}, "clock_out_before_clock_in", "clock_out_at"),
    ],
)
def test_a_time_correction_is_refused_field_by_field(tenant, fields, code, field):
    flag = _clocked_in(tenant, FlagCode.LATE_CLOCK_IN)
    shift = Shift.objects.get(pk=flag.shift_id)
    values = {"reason": "CCTV", "clock_in_at": shift.scheduled_start, **fields}
    special = {
        "naive": timezone.make_naive(shift.scheduled_start),
        "future": timezone.now() + timedelta(hours=1),
        "before in": shift.scheduled_start,  # the guard clocked in 25 minutes after it
    }
    values = {
        key: special.get(value, value) if isinstance(value, str) and key != "reason" else value
        for key, value in values.items()
    }

    with pytest.raises(ValidationFailed) as refused:
        attendance_time_correct(flag=flag, by=tenant.manager, **values)

    assert (refused.value.code, refused.value.field) == (code, field)
    assert not AttendanceResolution.objects.exists()


# --- The list ---------------------------------------------------------------------------


def test_the_days_exceptions_list_the_viewers_sites_only_with_their_resolution(tenant, other_tenant):
    excused = _exception(tenant, FlagCode.LATE_CLOCK_IN)
    open_one = _exception(tenant, FlagCode.NO_SHOW)
    _exception(other_tenant)
    _exception(tenant, FlagCode.RESTRICTED_ZONE)
    attendance_exception_excuse(flag=excused, by=tenant.manager, reason="Traffic")
    today = timezone.now().astimezone(ZoneInfo(tenant.site.timezone)).date()

    listed = attendance_exceptions_visible(scope=scope_for(tenant.manager), day=today, zone_name=tenant.site.timezone)

    assert {flag.pk for flag in listed} == {excused.pk, open_one.pk}
    assert {flag.pk: flag.resolution is not None for flag in listed} == {excused.pk: True, open_one.pk: False}


def test_the_list_costs_two_queries_for_few_rows_or_many(tenant, django_assert_max_num_queries):
    for _ in range(8):
        flag = _exception(tenant, guard=factories.GuardFactory(company=tenant.company))
        attendance_exception_excuse(flag=flag, by=tenant.manager, reason="Traffic")
    today = timezone.localdate()

    with django_assert_max_num_queries(2):
        listed = attendance_exceptions_visible(scope=scope_for(tenant.manager), day=today, zone_name="UTC")
        assert all(flag.resolution.resolved_by == tenant.manager and flag.shift.guard.pk for flag in listed)

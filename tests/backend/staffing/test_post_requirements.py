"""Post requirements: the catalogue, refusing to schedule an unqualified guard, overrides, warnings, clock-in."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backend.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from backend.flags.models import Flag, FlagStatus
from backend.rules.findings import FlagCode
from backend.sites.scopes import scope_for
from backend.staffing.models import GuardQualification, PostRequirement, Qualification, QualificationOverride, Shift
from backend.staffing.selectors import (
    qualification_warnings_for_guard,
    qualification_warnings_visible,
    qualifications_missing,
)
from backend.staffing.services import DEFAULT_QUALIFICATIONS, shift_schedule
from tests import factories, geo
from tests.conftest import Tenant, api_client_for

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
# Ten days from now, 08:00-16:00 on the site's clock: far enough that "now" never matters.
SHIFT_DAY = (timezone.now() + timedelta(days=10)).astimezone(NEW_YORK).date()
STARTS = datetime(SHIFT_DAY.year, SHIFT_DAY.month, SHIFT_DAY.day, 8, tzinfo=NEW_YORK)
ENDS = STARTS + timedelta(hours=8)


def _qualification(tenant: Tenant, code: str) -> Qualification:
    return Qualification.objects.get(company=tenant.company, code=code)


def _schedule(tenant: Tenant, **fields: Any) -> Shift:
    """`tenant`'s guard on `tenant`'s post for the shift day's 08:00-16:00."""
    return shift_schedule(guard=tenant.guard, post=tenant.post, starts_at=STARTS, ends_at=ENDS, **fields)


def _require(tenant: Tenant, code: str) -> Qualification:
    qualification = _qualification(tenant, code)
    PostRequirement.objects.create(post=tenant.post, qualification=qualification)
    return qualification


def _hold(tenant: Tenant, code: str, *, issued: date, expires: date | None) -> GuardQualification:
    return GuardQualification.objects.create(
        guard=tenant.guard, qualification=_qualification(tenant, code), issued_on=issued, expires_on=expires
    )


def test_every_new_company_starts_with_the_default_catalogue(tenant):
    codes = set(Qualification.objects.filter(company=tenant.company).values_list("code", flat=True))

    assert codes == {code for code, _, _ in DEFAULT_QUALIFICATIONS}
    assert _qualification(tenant, "site-induction").is_induction


def test_a_qualified_guard_is_scheduled(tenant):
    _require(tenant, "state-guard-licence")
    _hold(
        tenant, "state-guard-licence", issued=SHIFT_DAY - timedelta(days=400), expires=SHIFT_DAY + timedelta(days=400)
    )

    shift = _schedule(tenant)

    assert shift.pk is not None


def test_a_guard_without_a_required_qualification_is_refused_naming_it(tenant):
    _require(tenant, "fire-watch")

    with pytest.raises(Conflict) as refused:
        _schedule(tenant)

    assert refused.value.code == "qualification_missing"
    assert refused.value.field == "guard"
    assert "Fire watch is not held" in refused.value.message
    assert refused.value.extra["missing"] == [
        {"qualification": "fire-watch", "name": "Fire watch", "since": None, "held_from": None}
    ]
    assert not Shift.objects.exists()


def test_a_licence_that_lapses_before_the_shift_is_refused_saying_since_when(tenant):
    _require(tenant, "state-guard-licence")
    _hold(tenant, "state-guard-licence", issued=SHIFT_DAY - timedelta(days=400), expires=SHIFT_DAY - timedelta(days=3))

    with pytest.raises(Conflict) as refused:
        _schedule(tenant)

    lapsed = (SHIFT_DAY - timedelta(days=2)).isoformat()
    assert refused.value.extra["missing"][0]["since"] == lapsed
    assert f"State guard licence lapsed on {lapsed}" in refused.value.message


def test_a_licence_issued_after_the_shift_starts_does_not_count(tenant):
    _require(tenant, "cpr-first-aid")
    _hold(tenant, "cpr-first-aid", issued=SHIFT_DAY + timedelta(days=1), expires=None)

    with pytest.raises(Conflict) as refused:
        _schedule(tenant)

    assert refused.value.extra["missing"][0]["held_from"] == (SHIFT_DAY + timedelta(days=1)).isoformat()


def test_a_qualification_expiring_mid_shift_on_the_sites_clock_is_refused(tenant):
    """An overnight shift needs the qualification on its second day too."""
    _require(tenant, "fire-watch")
    _hold(tenant, "fire-watch", issued=SHIFT_DAY - timedelta(days=30), expires=SHIFT_DAY)
    night_starts = STARTS.replace(hour=22)

    with pytest.raises(Conflict):
        shift_schedule(
            guard=tenant.guard, post=tenant.post, starts_at=night_starts, ends_at=night_starts + timedelta(hours=8)
        )
    # The same record covers a day shift ending at midnight exactly.
    midnight = datetime(SHIFT_DAY.year, SHIFT_DAY.month, SHIFT_DAY.day, tzinfo=NEW_YORK) + timedelta(days=1)
    assert not qualifications_missing(
        guard=tenant.guard, post=tenant.post, starts_at=midnight - timedelta(hours=8), ends_at=midnight
    )


def test_a_manager_overrides_with_a_reason_and_it_is_recorded(tenant):
    _require(tenant, "fire-watch")

    shift = _schedule(
        tenant, override_by=tenant.manager, override_reason="Course booked; paired with a certified guard."
    )

    override = QualificationOverride.objects.get(shift=shift)
    assert override.qualification.code == "fire-watch"
    assert override.overridden_by == tenant.manager
    assert override.reason == "Course booked; paired with a certified guard."


def test_an_override_without_a_reason_is_refused_and_schedules_nothing(tenant):
    _require(tenant, "fire-watch")

    with pytest.raises(ValidationFailed) as refused:
        _schedule(tenant, override_by=tenant.manager)

    assert (refused.value.code, refused.value.field) == ("override_reason_required", "override_reason")
    assert not Shift.objects.exists()


def test_a_guard_cannot_override_and_another_company_manager_gets_a_404(tenant, other_tenant):
    _require(tenant, "fire-watch")
    colleague = factories.GuardFactory(company=tenant.company)

    with pytest.raises(PermissionDenied) as by_guard:
        _schedule(tenant, override_by=colleague, override_reason="x")
    with pytest.raises(NotFound):
        _schedule(tenant, override_by=other_tenant.manager, override_reason="x")

    assert by_guard.value.code == "not_a_reviewer"
    assert not Shift.objects.exists()


def test_a_required_qualification_expiring_within_30_days_of_a_shift_is_a_warning(tenant):
    _require(tenant, "state-guard-licence")
    _hold(tenant, "state-guard-licence", issued=SHIFT_DAY - timedelta(days=400), expires=SHIFT_DAY + timedelta(days=12))
    shift = _schedule(tenant)

    warnings = qualification_warnings_for_guard(guard=tenant.guard)

    assert [(w.shift, w.qualification.code, w.expires_on) for w in warnings] == [
        (shift, "state-guard-licence", SHIFT_DAY + timedelta(days=12))
    ]
    assert "expires on" in warnings[0].sentence()
    assert warnings[0].sentence().endswith(("08:00 EST.", "08:00 EDT."))
    assert qualification_warnings_visible(scope=scope_for(tenant.manager)) == warnings


def test_a_qualification_valid_well_beyond_the_shift_raises_no_warning(tenant):
    _require(tenant, "state-guard-licence")
    _hold(tenant, "state-guard-licence", issued=SHIFT_DAY - timedelta(days=400), expires=SHIFT_DAY + timedelta(days=31))
    _schedule(tenant)

    assert qualification_warnings_for_guard(guard=tenant.guard) == []


def test_warnings_cost_the_same_queries_for_one_shift_or_many(tenant, django_assert_max_num_queries):
    _require(tenant, "state-guard-licence")
    for offset in range(6):
        guard = factories.GuardFactory(company=tenant.company)
        GuardQualification.objects.create(
            guard=guard,
            qualification=_qualification(tenant, "state-guard-licence"),
            issued_on=SHIFT_DAY - timedelta(days=400),
            expires_on=SHIFT_DAY + timedelta(days=5),
        )
        factories.ShiftFactory(
            guard=guard,
            post=tenant.post,
            scheduled_start=STARTS + timedelta(days=offset % 2),
            scheduled_end=ENDS + timedelta(days=offset % 2),
        )

    with django_assert_max_num_queries(4):
        warnings = qualification_warnings_visible(scope=scope_for(tenant.manager), ahead=timedelta(days=40))

    assert len(warnings) == 6


# --- At clock-in ------------------------------------------------------------------------


def _clock_in_now(tenant: Tenant):
    starts = timezone.now() - timedelta(minutes=2)
    shift = factories.ShiftFactory(
        guard=tenant.guard, post=tenant.post, scheduled_start=starts, scheduled_end=starts + timedelta(hours=8)
    )
    api = api_client_for(tenant.guard)
    position = {
        "lat": geo.INSIDE_CENTER.y,
        "lon": geo.INSIDE_CENTER.x,
        "accuracy_m": 8.0,
        "recorded_at": timezone.now().isoformat(),
    }
    return shift, api, api.post_json(f"/shifts/{shift.pk}/clock-in", {"position": position})


def test_clocking_in_without_a_required_qualification_raises_post_requirement_missing(tenant):
    _require(tenant, "state-guard-licence")
    today = timezone.now().astimezone(NEW_YORK).date()
    _hold(tenant, "state-guard-licence", issued=today - timedelta(days=400), expires=today - timedelta(days=5))

    shift, _, response = _clock_in_now(tenant)

    assert response.status_code == 200, response.content
    flag = Flag.objects.get(shift=shift, code=FlagCode.POST_REQUIREMENT_MISSING, status=FlagStatus.OPEN)
    assert f"State guard licence lapsed on {(today - timedelta(days=4)).isoformat()}" in flag.message
    assert flag.evidence["missing"][0]["qualification"] == "state-guard-licence"
    assert FlagCode.POST_REQUIREMENT_MISSING in [f["code"] for f in response.json()["flags"]]


def test_a_qualified_guard_clocks_in_without_that_flag(tenant):
    _require(tenant, "state-guard-licence")
    today = timezone.now().astimezone(NEW_YORK).date()
    _hold(tenant, "state-guard-licence", issued=today - timedelta(days=400), expires=None)

    shift, _, response = _clock_in_now(tenant)

    assert response.status_code == 200
    assert not Flag.objects.filter(shift=shift, code=FlagCode.POST_REQUIREMENT_MISSING).exists()


def test_at_clock_in_the_guard_sees_the_current_post_orders_and_the_induction_owed(tenant):
    _require(tenant, "site-induction")
    factories.PostOrderFactory(post=tenant.post, version=1, title="Night orders")

    shift, api, response = _clock_in_now(tenant)

    body = response.json()
    assert body["post_orders"]["title"] == "Night orders"
    assert body["post_orders"]["acknowledged"] is False
    assert body["inductions_owed"] == [{"code": "site-induction", "name": "Site induction"}]
    detail = api.get_json(f"/shifts/{shift.pk}").json()
    assert detail["inductions_owed"] == [{"code": "site-induction", "name": "Site induction"}]


def test_a_guard_who_had_the_induction_owes_nothing(tenant):
    _require(tenant, "site-induction")
    today = timezone.now().astimezone(NEW_YORK).date()
    _hold(tenant, "site-induction", issued=today - timedelta(days=1), expires=None)

    shift, api, response = _clock_in_now(tenant)

    assert response.json()["inductions_owed"] == []
    assert api.get_json(f"/shifts/{shift.pk}").json()["inductions_owed"] == []

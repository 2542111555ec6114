"""Timer targets per company: seeded with the defaults, changed by a manager, read by the late-step alerts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.core.errors import NotFound, PermissionDenied, ValidationFailed
from backend.dispatch.models import ServiceRequest, TimerTarget
from backend.dispatch.policy import DEFAULT_TARGETS, StepTargets
from backend.dispatch.selectors import dispatches_late, timer_targets
from backend.dispatch.services import timer_targets_set
from backend.sites.scopes import scope_for
from tests import factories
from tests.dispatching import dispatched

pytestmark = pytest.mark.django_db


def _targets(**changed: StepTargets) -> dict[str, StepTargets]:
    return {**DEFAULT_TARGETS, **changed}


def test_a_new_company_starts_with_the_default_targets():
    company = factories.CompanyFactory()

    rows = {
        row.priority: (row.dispatch_min, row.accept_min, row.arrive_min)
        for row in TimerTarget.objects.filter(company=company)
    }

    assert rows == {"P1": (5, 2, 15), "P2": (15, 5, 30), "P3": (60, 15, 90)}
    assert timer_targets(company_id=company.pk) == DEFAULT_TARGETS


def test_a_manager_sets_the_targets_and_only_their_company_is_changed(tenant, other_tenant):
    timer_targets_set(company=tenant.company, by=tenant.manager, targets=_targets(P1=StepTargets(3, 4, 20)))

    assert timer_targets(company_id=tenant.company.pk)["P1"] == StepTargets(3, 4, 20)
    assert timer_targets(company_id=other_tenant.company.pk)["P1"] == DEFAULT_TARGETS["P1"]
    assert TimerTarget.objects.get(company=tenant.company, priority="P1").updated_by == tenant.manager


@pytest.mark.parametrize(
    ("p1", "field", "code"),
    [
        (StepTargets(0, 2, 15), "P1_dispatch", "out_of_range"),
        (StepTargets(5, 2, 24 * 60 + 1), "P1_arrive", "out_of_range"),
        (StepTargets(5, 20, 15), "P1_arrive", "arrive_before_accept"),
    ],
)
def test_a_target_out_of_range_or_arriving_before_accepting_is_refused_and_changes_nothing(tenant, p1, field, code):
    with pytest.raises(ValidationFailed) as refused:
        timer_targets_set(company=tenant.company, by=tenant.manager, targets=_targets(P1=p1, P2=StepTargets(9, 9, 9)))

    assert (refused.value.field, refused.value.code) == (field, code)
    assert timer_targets(company_id=tenant.company.pk) == DEFAULT_TARGETS


def test_a_supervisor_or_guard_is_refused_and_another_companys_manager_does_not_find_it(tenant, other_tenant):
    supervisor = factories.SupervisorFactory(company=tenant.company)

    with pytest.raises(PermissionDenied) as refused:
        timer_targets_set(company=tenant.company, by=supervisor, targets=_targets())
    with pytest.raises(NotFound):
        timer_targets_set(company=tenant.company, by=other_tenant.manager, targets=_targets())
    with pytest.raises(PermissionDenied):
        timer_targets_set(company=tenant.company, by=tenant.guard, targets=_targets())

    assert refused.value.code == "managers_only"


def test_the_late_step_alerts_count_against_the_companys_targets(tenant, other_tenant):
    # given a P1 request of each company sent 5 minutes ago and not accepted
    ours, theirs = dispatched(tenant=tenant, priority="P1"), dispatched(tenant=other_tenant, priority="P1")
    ServiceRequest.objects.filter(pk__in=[ours.pk, theirs.pk]).update(
        dispatched_at=timezone.now() - timedelta(minutes=5)
    )
    now = timezone.now()
    assert [row.request.pk for row in dispatches_late(scope=scope_for(tenant.manager), now=now)] == [ours.pk]

    # when our manager gives P1 ten minutes to accept
    timer_targets_set(company=tenant.company, by=tenant.manager, targets=_targets(P1=StepTargets(5, 10, 15)))

    # then ours is no longer late, theirs (on the default 2 minutes) still is, for GuardOps staff too
    assert dispatches_late(scope=scope_for(tenant.manager), now=now) == []
    late_for_staff = dispatches_late(scope=scope_for(factories.StaffFactory()), now=now)
    assert [(row.request.pk, row.late.target_min) for row in late_for_staff] == [(theirs.pk, 2)]
    # and at 11 minutes ours is late against its own target
    [row] = dispatches_late(scope=scope_for(tenant.manager), now=now + timedelta(minutes=6))
    assert (row.request.pk, row.late.step, row.late.target_min) == (ours.pk, "accept", 10)

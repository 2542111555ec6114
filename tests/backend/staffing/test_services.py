"""Scheduling shifts and publishing post orders: the checks, and the locks under concurrency."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backend.accounts.models import Role
from backend.core.errors import Conflict, NotFound, ValidationFailed
from backend.staffing.models import Post, PostOrder, Shift, ShiftStatus
from backend.staffing.services import post_order_publish, shift_schedule
from tests import factories
from tests.concurrency import race_outcomes
from tests.conftest import Tenant

# Tomorrow 08:00-16:00 UTC: a day shift nobody is clocked into.
DAY_START = (timezone.now() + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
DAY_END = DAY_START + timedelta(hours=8)


def _schedule(tenant: Tenant, starts_at: datetime = DAY_START, ends_at: datetime = DAY_END, **kwargs: Any) -> Shift:
    return shift_schedule(
        guard=kwargs.pop("guard", tenant.guard), post=tenant.post, starts_at=starts_at, ends_at=ends_at, **kwargs
    )


def _slow_full_clean(monkeypatch: pytest.MonkeyPatch, model: type[Shift] | type[PostOrder]) -> None:
    """Hold each writer between its check and its INSERT long enough for the other to catch up.

    Without the service's row lock both writers pass the check before either inserts;
    with it the second waits at the lock and sees the first's row.
    """
    original = model.full_clean

    def slow(self: Any, *args: Any, **kwargs: Any) -> None:
        time.sleep(0.3)
        original(self, *args, **kwargs)

    monkeypatch.setattr(model, "full_clean", slow)


# --- shift_schedule ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_guard_is_scheduled_on_a_post(tenant):
    shift = _schedule(tenant, notes="Cover the loading dock")

    stored = Shift.objects.get(pk=shift.pk)
    assert (stored.guard, stored.post, stored.status) == (tenant.guard, tenant.post, ShiftStatus.SCHEDULED)
    assert (stored.scheduled_start, stored.scheduled_end, stored.notes) == (
        DAY_START,
        DAY_END,
        "Cover the loading dock",
    )


@pytest.mark.django_db
def test_another_companys_guard_is_not_found(tenant, other_tenant):
    with pytest.raises(NotFound) as refused:
        _schedule(tenant, guard=other_tenant.guard)

    assert (refused.value.status, refused.value.code, refused.value.field) == (404, "guard_not_found", "guard")
    assert not Shift.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["manager", "client_contact", "inactive_guard"])
def test_only_active_guards_can_be_scheduled(tenant, who):
    person = {
        "manager": tenant.manager,
        "client_contact": tenant.client_contact,
        "inactive_guard": factories.GuardFactory(company=tenant.company, is_active=False),
    }[who]
    assert person.role != Role.GUARD or not person.is_active

    with pytest.raises(ValidationFailed) as refused:
        _schedule(tenant, guard=person)

    assert (refused.value.status, refused.value.code, refused.value.field) == (422, "not_a_guard", "guard")
    assert not Shift.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("naive", ["starts_at", "ends_at"])
def test_times_without_a_time_zone_are_refused(tenant, naive):
    times = {"starts_at": DAY_START, "ends_at": DAY_END}
    times[naive] = times[naive].replace(tzinfo=None)

    with pytest.raises(ValidationFailed) as refused:
        _schedule(tenant, **times)

    assert (refused.value.code, refused.value.field) == ("naive_datetime", "starts_at")
    assert not Shift.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("ends_at", [DAY_START, DAY_START - timedelta(minutes=1)], ids=["same-time", "before"])
def test_a_shift_must_end_after_it_starts(tenant, ends_at):
    with pytest.raises(ValidationFailed) as refused:
        _schedule(tenant, ends_at=ends_at)

    assert (refused.value.code, refused.value.field) == ("shift_ends_before_start", "ends_at")
    assert not Shift.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        (DAY_START + timedelta(hours=7), DAY_END + timedelta(hours=4)),  # starts before the first ends
        (DAY_START - timedelta(hours=2), DAY_START + timedelta(minutes=1)),  # ends after the first starts
        (DAY_START + timedelta(hours=1), DAY_END - timedelta(hours=1)),  # inside the first
        (DAY_START - timedelta(hours=1), DAY_END + timedelta(hours=1)),  # around the first
    ],
    ids=["overlaps-the-end", "overlaps-the-start", "inside", "around"],
)
def test_a_guard_cannot_be_double_booked(tenant, starts_at, ends_at):
    # given the guard's day shift at the site (shown on the site's clock)
    tenant.site.timezone = "America/New_York"
    tenant.site.save()
    _schedule(tenant)

    # when another post books the same guard for an overlapping window
    with pytest.raises(Conflict) as refused:
        shift_schedule(
            guard=tenant.guard, post=factories.PostFactory(site=tenant.site), starts_at=starts_at, ends_at=ends_at
        )

    # then it is a 409 that says where and when the guard already is, and nothing is stored
    assert (refused.value.status, refused.value.code, refused.value.field) == (409, "shift_overlaps", "starts_at")
    local_start = DAY_START.astimezone(ZoneInfo("America/New_York"))
    assert tenant.site.name in refused.value.message
    assert local_start.strftime("%H:%M") in refused.value.message
    assert Shift.objects.count() == 1


@pytest.mark.django_db
def test_back_to_back_shifts_and_other_guards_do_not_overlap(tenant):
    _schedule(tenant)

    _schedule(tenant, starts_at=DAY_END, ends_at=DAY_END + timedelta(hours=8))
    _schedule(tenant, starts_at=DAY_START - timedelta(hours=8), ends_at=DAY_START)
    _schedule(tenant, guard=factories.GuardFactory(company=tenant.company))

    assert Shift.objects.count() == 4


@pytest.mark.django_db
def test_a_cancelled_shift_does_not_block_the_window(tenant):
    cancelled = _schedule(tenant)
    cancelled.status = ShiftStatus.CANCELLED
    cancelled.save()

    replacement = _schedule(tenant)

    assert replacement.pk != cancelled.pk
    assert Shift.objects.exclude(status=ShiftStatus.CANCELLED).get() == replacement


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_booking_the_same_guard_at_once_store_one_shift(tenant, monkeypatch):
    # given two dispatchers booking the guard onto two posts for overlapping windows at the same moment
    _slow_full_clean(monkeypatch, Shift)
    other_post = factories.PostFactory(site=tenant.site)

    def book(post: Post, starts_at: datetime) -> Callable[[], Shift]:
        return lambda: shift_schedule(
            guard=tenant.guard, post=post, starts_at=starts_at, ends_at=starts_at + timedelta(hours=8)
        )

    outcomes = race_outcomes(book(tenant.post, DAY_START), book(other_post, DAY_START + timedelta(hours=1)))

    # then exactly one wins and the other is told the guard is already booked
    assert len(outcomes) == 2
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Conflict", "Shift"]
    assert next(o for o in outcomes if isinstance(o, Conflict)).code == "shift_overlaps"
    assert Shift.objects.filter(guard=tenant.guard).count() == 1


# --- post_order_publish -----------------------------------------------------------------


@pytest.mark.django_db
def test_each_publication_is_the_next_version_and_the_earlier_ones_stay(tenant):
    first = post_order_publish(post=tenant.post, title="Standing orders", body="Lock gate B at 22:00.")
    second = post_order_publish(
        post=tenant.post, title="  Standing orders  ", body=" Lock gate B at 21:00. ", author=tenant.manager
    )

    assert (first.version, second.version) == (1, 2)
    assert (second.title, second.body, second.published_by) == (
        "Standing orders",
        "Lock gate B at 21:00.",
        tenant.manager,
    )
    first.refresh_from_db()
    assert first.body == "Lock gate B at 22:00."
    assert second.published_at is not None
    assert second.published_at >= first.published_at


@pytest.mark.django_db
def test_versions_count_per_post(tenant):
    post_order_publish(post=tenant.post, title="Orders", body="Walk the lot hourly.")
    other = post_order_publish(post=factories.PostFactory(site=tenant.site), title="Orders", body="Staff the desk.")

    assert other.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "Lock gate B.", "title"),
        ("   ", "Lock gate B.", "title"),
        ("Orders", "", "body"),
        ("Orders", " \n ", "body"),
    ],
)
def test_post_orders_need_a_title_and_a_body(tenant, title, body, field):
    with pytest.raises(ValidationFailed) as refused:
        post_order_publish(post=tenant.post, title=title, body=body)

    assert (refused.value.status, refused.value.field) == (422, field)
    assert not PostOrder.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_managers_publishing_at_once_get_consecutive_versions(tenant, monkeypatch):
    # given version 1, and two managers publishing new orders for the post at the same moment
    post_order_publish(post=tenant.post, title="Orders", body="Version one.")
    _slow_full_clean(monkeypatch, PostOrder)

    outcomes = race_outcomes(*[lambda: post_order_publish(post=tenant.post, title="Orders", body="A new version.")] * 2)

    # then both are published, as versions 2 and 3
    assert all(isinstance(outcome, PostOrder) for outcome in outcomes), outcomes
    assert sorted(order.version for order in outcomes) == [2, 3]
    assert sorted(PostOrder.objects.filter(post=tenant.post).values_list("version", flat=True)) == [1, 2, 3]

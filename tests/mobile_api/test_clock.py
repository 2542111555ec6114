"""Clocking in and out: the fence verdict, the post's policy, flags, skew, retries."""

import datetime as dt
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.attendance.monitoring import shifts_monitor
from backend.flags.models import Flag, FlagStatus
from backend.rules.models import RuleSettings
from backend.staffing.models import OutsideFenceClockIn, Shift, ShiftStatus
from backend.tracking.models import ClockEvent
from tests import factories, geo
from tests.concurrency import race
from tests.conftest import api_client_for
from tests.mobile_api.payloads import ping

pytestmark = pytest.mark.django_db


def position(where=geo.INSIDE_CENTER, **overrides):
    """A fix as the phone sends it: at a named test point, 8 m accuracy, taken just now."""
    return {"lat": where.y, "lon": where.x, "accuracy_m": 8.0, "recorded_at": timezone.now().isoformat(), **overrides}


def clock_in(api, shift, where=geo.INSIDE_CENTER, **extra):
    return api.post_json(f"/shifts/{shift.pk}/clock-in", {"position": position(where), **extra})


def clock_out(api, shift, where=geo.INSIDE_CENTER, **extra):
    return api.post_json(f"/shifts/{shift.pk}/clock-out", {"position": position(where), **extra})


def clock_in_sent_at(api, shift, phone_now, *, via, fix_age=timedelta(0)):
    """Clock in saying when the phone sent it (`via` the body or the X-Sent-At header)."""
    body = {"position": position(recorded_at=(phone_now - fix_age).isoformat())}
    if via == "body":
        return api.post_json(f"/shifts/{shift.pk}/clock-in", {**body, "sent_at": phone_now.isoformat()})
    return api.post_json(f"/shifts/{shift.pk}/clock-in", body, headers={"X-Sent-At": phone_now.isoformat()})


def nothing_stored(shift):
    shift.refresh_from_db()
    return (
        shift.status == ShiftStatus.SCHEDULED
        and shift.clock_in_at is None
        and not ClockEvent.objects.filter(shift=shift).exists()
        and not Flag.objects.filter(shift=shift).exists()
    )


def _starting_now(tenant, hours: float = 8):
    """A shift starting two minutes ago: clocking in now is on time (no LATE_CLOCK_IN)."""
    starts = timezone.now() - timedelta(minutes=2)
    return factories.ShiftFactory(
        guard=tenant.guard, post=tenant.post, scheduled_start=starts, scheduled_end=starts + timedelta(hours=hours)
    )


@pytest.fixture
def short_shift(tenant):
    """A five-minute shift that started two minutes ago: clocking in and out now is on time."""
    return _starting_now(tenant, hours=5 / 60)


@pytest.fixture
def shift(tenant):
    """tenant.guard's shift: started two minutes ago, ends in eight hours."""
    return _starting_now(tenant)


# --- Clock-in --------------------------------------------------------------------------


def test_guard_clocks_in_on_site(guard_api, shift):
    # when the guard clocks in from the middle of the site
    response = clock_in(guard_api, shift)

    # then the shift is in progress, the verdict is "inside" and nothing is flagged
    assert response.status_code == 200
    body = response.json()
    assert body["shift"]["id"] == shift.pk
    assert body["shift"]["status"] == "in_progress"
    assert body["shift"]["clock_in_at"] is not None
    assert body["shift"]["clock_out_at"] is None
    assert body["verdict"] == {"fence": "inside", "distance_m": 0.0}
    assert body["flags"] == []
    # and the clock event is kept as evidence with the device's and the server's times
    event = ClockEvent.objects.get(shift=shift)
    assert (event.kind, event.fence, event.distance_m) == ("in", "inside", 0.0)
    assert event.received_at >= event.recorded_at
    assert event.location.x == pytest.approx(geo.INSIDE_CENTER.x)
    shift.refresh_from_db()
    assert shift.clock_in_location.y == pytest.approx(geo.INSIDE_CENTER.y)
    assert shift.clock_in_accuracy_m == 8.0


def test_retried_clock_in_is_stored_once_and_answers_the_same(guard_api, shift):
    # when the phone sends the clock-in three times (lost responses)
    responses = [clock_in(guard_api, shift, where=geo.OUTSIDE_3KM) for _ in range(3)]

    # then each answer is the stored clock-in, and there is one event and one flag
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert responses[0].json() == responses[1].json() == responses[2].json()
    assert ClockEvent.objects.filter(shift=shift).count() == 1
    assert Flag.objects.filter(shift=shift).count() == 1


def test_clock_in_3_km_away_is_accepted_and_flagged_with_the_distance(tenant, guard_api, shift):
    # given a post whose policy is to accept and flag (the default)
    assert tenant.post.outside_fence_clock_in == OutsideFenceClockIn.FLAG

    # when the guard clocks in from 3 km east of the fence
    response = clock_in(guard_api, shift, where=geo.OUTSIDE_3KM)

    # then the clock-in stands, and the manager sees how far away it was
    assert response.status_code == 200
    body = response.json()
    assert body["shift"]["status"] == "in_progress"
    assert body["verdict"]["fence"] == "outside"
    assert body["verdict"]["distance_m"] == pytest.approx(3000, abs=5)
    [flag] = body["flags"]
    assert flag["code"] == "OUTSIDE_GEOFENCE"
    assert "3.0 km" in flag["message"]
    assert tenant.site.name in flag["message"]
    assert flag["evidence"]["distance_m"] == pytest.approx(3000, abs=5)
    stored = Flag.objects.get(shift=shift)
    assert (stored.code, stored.status, stored.key) == ("OUTSIDE_GEOFENCE", FlagStatus.OPEN, "clock_in")


@pytest.fixture
def refusing_post(tenant):
    """The tenant's post refuses clock-ins outside the fence."""
    tenant.post.outside_fence_clock_in = OutsideFenceClockIn.REFUSE
    tenant.post.save()
    return tenant.post


def test_clock_in_outside_is_refused_where_the_post_requires_it(refusing_post, guard_api, shift):
    # given a post that refuses clock-ins outside the fence

    # when the guard clocks in 50 m outside it
    response = clock_in(guard_api, shift, where=geo.OUTSIDE_50M)

    # then it is a 409 that says how far, and nothing is stored
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "outside_geofence"
    assert body["distance_m"] == pytest.approx(50, abs=1)
    assert "50 m" in body["message"]
    assert nothing_stored(shift)


def test_refusing_post_still_accepts_a_fix_near_the_edge(refusing_post, guard_api, shift):
    # 50 m out with 30 m accuracy: the accuracy circle reaches the near band
    response = guard_api.post_json(
        f"/shifts/{shift.pk}/clock-in", {"position": position(geo.OUTSIDE_50M, accuracy_m=30.0)}
    )

    assert response.status_code == 200
    assert response.json()["verdict"]["fence"] == "near"
    assert response.json()["flags"] == []


def test_refusing_post_refuses_a_fix_too_coarse_to_place_the_guard(refusing_post, guard_api, shift):
    # given a post that refuses clock-ins outside the fence

    # when the guard clocks in from 49.7 km away, claiming a 99 km accuracy circle
    response = guard_api.post_json(
        f"/shifts/{shift.pk}/clock-in", {"position": position(geo.OUTSIDE_49_7KM, accuracy_m=99_000.0)}
    )

    # then it is refused with a code that says to wait for a better fix, and nothing is stored
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "position_too_inaccurate"
    assert "better GPS fix" in body["message"]
    assert "position.accuracy_m" in body["fields"]
    assert nothing_stored(shift)


def test_a_coarse_clock_in_is_unknown_and_warned_where_the_post_accepts_it(guard_api, shift):
    response = guard_api.post_json(
        f"/shifts/{shift.pk}/clock-in", {"position": position(geo.OUTSIDE_49_7KM, accuracy_m=99_000.0)}
    )

    assert response.status_code == 200
    assert response.json()["verdict"]["fence"] == "unknown"
    [flag] = response.json()["flags"]
    assert (flag["code"], flag["severity"]) == ("LOW_ACCURACY", "warning")
    assert ClockEvent.objects.get(shift=shift).fence == "unknown"


def test_clock_in_on_the_edge_with_30_m_accuracy_is_not_outside(guard_api, shift):
    response = guard_api.post_json(
        f"/shifts/{shift.pk}/clock-in", {"position": position(geo.ON_EAST_EDGE, accuracy_m=30.0)}
    )

    assert response.status_code == 200
    assert response.json()["verdict"]["fence"] != "outside"
    assert all(flag["code"] != "OUTSIDE_GEOFENCE" for flag in response.json()["flags"])


def test_mock_location_is_flagged(guard_api, shift):
    response = guard_api.post_json(f"/shifts/{shift.pk}/clock-in", {"position": position(is_mock=True)})

    assert response.status_code == 200
    assert [flag["code"] for flag in response.json()["flags"]] == ["MOCK_LOCATION"]
    assert ClockEvent.objects.get(shift=shift).is_mock is True


def test_low_accuracy_is_flagged(guard_api, shift):
    response = guard_api.post_json(f"/shifts/{shift.pk}/clock-in", {"position": position(accuracy_m=350.0)})

    assert response.status_code == 200
    assert response.json()["verdict"]["fence"] == "unknown"
    assert "LOW_ACCURACY" in [flag["code"] for flag in response.json()["flags"]]


@pytest.mark.parametrize("via", ["body", "header"])
def test_a_skewed_phone_clock_is_corrected_and_flagged(guard_api, shift, via):
    # given a phone whose clock is 20 minutes behind the server's
    now = timezone.now()
    phone_now = now - timedelta(minutes=20)

    # when it clocks in
    response = clock_in_sent_at(guard_api, shift, phone_now, via=via, fix_age=timedelta(seconds=5))

    # then the stored clock-in time is on the server's clock, and the skew is flagged
    assert response.status_code == 200
    shift.refresh_from_db()
    assert abs(shift.clock_in_at - (now - timedelta(seconds=5))) < timedelta(seconds=30)
    event = ClockEvent.objects.get(shift=shift)
    assert abs(event.recorded_at - (phone_now - timedelta(seconds=5))) < timedelta(seconds=1)
    assert event.sent_at is not None
    [flag] = response.json()["flags"]
    assert flag["code"] == "CLOCK_SKEW"
    assert "20 minutes behind" in flag["message"]


@pytest.mark.parametrize("via", ["body", "header"])
def test_a_phone_in_another_offset_gets_its_times_in_utc_in_the_evidence(guard_api, shift, via):
    # given a phone 20 minutes behind that writes its times at UTC+02:00
    plus_two = dt.timezone(timedelta(hours=2))
    phone_now = (timezone.now() - timedelta(minutes=20)).astimezone(plus_two)

    # when it clocks in
    response = clock_in_sent_at(guard_api, shift, phone_now, via=via)

    # then the skew flag's evidence keeps the phone's times in UTC, as every other evidence does
    [flag] = response.json()["flags"]
    assert flag["code"] == "CLOCK_SKEW"
    assert flag["evidence"]["device_recorded_at"].endswith("+00:00")
    assert flag["evidence"]["device_sent_at"].endswith("+00:00")


def test_clock_in_too_early_or_after_the_end_is_409(tenant, guard_api):
    now = timezone.now()
    later = factories.ShiftFactory(guard=tenant.guard, post=tenant.post, scheduled_start=now + timedelta(hours=3))
    over = factories.ShiftFactory(
        guard=tenant.guard,
        post=tenant.post,
        scheduled_start=now - timedelta(hours=10),
        scheduled_end=now - timedelta(hours=1),
    )

    for shift in (later, over):
        response = clock_in(guard_api, shift)
        assert response.status_code == 409
        assert response.json()["code"] == "shift_not_open"
        assert nothing_stored(shift)


def test_clock_in_opens_an_hour_before_the_start(tenant, guard_api):
    shift = factories.ShiftFactory(
        guard=tenant.guard, post=tenant.post, scheduled_start=timezone.now() + timedelta(minutes=50)
    )

    assert clock_in(guard_api, shift).status_code == 200


@pytest.mark.parametrize("status", [ShiftStatus.CANCELLED, ShiftStatus.MISSED])
def test_cancelled_or_missed_shifts_cannot_be_clocked_into(guard_api, shift, status):
    Shift.objects.filter(pk=shift.pk).update(
        status=status, marked_missed_at=timezone.now() if status == ShiftStatus.MISSED else None
    )

    response = clock_in(guard_api, shift)

    assert response.status_code == 409
    assert response.json()["code"] == f"shift_{status}"
    assert not ClockEvent.objects.exists()


def test_a_completed_shift_cannot_be_clocked_into_again(guard_api, shift):
    clock_in(guard_api, shift)
    clock_out(guard_api, shift)

    response = clock_in(guard_api, shift)

    assert response.status_code == 409
    assert response.json()["code"] == "shift_completed"
    assert ClockEvent.objects.filter(shift=shift).count() == 2


def test_clock_in_on_another_guards_or_companys_shift_is_404(tenant, other_tenant, guard_api):
    colleague_shift = factories.ShiftFactory(guard=factories.GuardFactory(company=tenant.company), post=tenant.post)
    foreign_shift = factories.ShiftFactory(guard=other_tenant.guard, post=other_tenant.post)

    for shift in (colleague_shift, foreign_shift):
        for action in (clock_in, clock_out):
            response = action(guard_api, shift)
            assert response.status_code == 404
            assert response.json()["code"] == "shift_not_found"
        assert nothing_stored(shift)


NAN_POSITION = '{"position": {"lat": NaN, "lon": -84.387, "accuracy_m": 5, "recorded_at": "%s"}}'  # raw JSON text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lat": 91}, "position.lat"),
        ({"lon": -180.5}, "position.lon"),
        ({"accuracy_m": -1}, "position.accuracy_m"),
        ({"accuracy_m": "Infinity"}, "position.accuracy_m"),
        ({"recorded_at": "3000-01-01T00:00:00Z"}, "position.recorded_at"),
        ({"recorded_at": "2026-01-01T09:00:00"}, "position.recorded_at"),
        ({"recorded_at": "last tuesday"}, "position.recorded_at"),
        ({"status": "completed"}, "position.status"),
    ],
    ids=["lat-91", "lon-out", "negative-accuracy", "infinite-accuracy", "year-3000", "naive", "not-a-time", "extra"],
)
def test_bad_positions_are_422_and_change_nothing(guard_api, shift, change, field):
    response = guard_api.post_json(f"/shifts/{shift.pk}/clock-in", {"position": position(**change)})

    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert nothing_stored(shift)


def test_nan_in_raw_json_is_422_and_changes_nothing(guard_api, shift):
    raw = NAN_POSITION % timezone.now().isoformat()

    response = guard_api.post(f"/api/mobile/v1/shifts/{shift.pk}/clock-in", raw, content_type="application/json")

    assert response.status_code == 422
    assert "position.lat" in response.json()["fields"]
    assert nothing_stored(shift)


@pytest.mark.parametrize(
    "body",
    [
        {"position": position(), "status": "completed"},
        {"position": position(), "company_id": 1},
        {"position": position(), "clock_in_at": "2026-01-01T00:00:00Z"},
        {},
        {"position": None},
        {"position": position(), "sent_at": "3000-01-01T00:00:00Z"},
    ],
    ids=["status", "company_id", "clock_in_at", "empty", "null-position", "sent-in-3000"],
)
def test_unknown_fields_and_missing_position_are_refused(guard_api, shift, body):
    response = guard_api.post_json(f"/shifts/{shift.pk}/clock-in", body)

    assert response.status_code == 422
    assert response.json()["code"] in {"unknown_field", "validation_error"}
    assert nothing_stored(shift)


def test_malformed_json_and_bad_header_are_4xx(guard_api, shift):
    broken = guard_api.post(f"/api/mobile/v1/shifts/{shift.pk}/clock-in", "{not json", content_type="application/json")
    header = guard_api.post_json(
        f"/shifts/{shift.pk}/clock-in", {"position": position()}, headers={"X-Sent-At": "soon"}
    )

    assert broken.status_code == 400
    assert broken.json()["code"] == "malformed_body"
    assert header.status_code == 422
    assert "X-Sent-At" in header.json()["fields"]
    assert nothing_stored(shift)


# --- Clock-out -------------------------------------------------------------------------


def test_guard_clocks_out_and_a_retry_answers_the_same(guard_api, short_shift):
    shift = short_shift
    clock_in(guard_api, shift)

    first = clock_out(guard_api, shift, where=geo.OUTSIDE_3KM)
    again = clock_out(guard_api, shift, where=geo.INSIDE_CENTER)

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    body = first.json()
    assert body["shift"]["status"] == "completed"
    assert body["shift"]["clock_out_at"] >= body["shift"]["clock_in_at"]
    assert body["verdict"]["fence"] == "outside"
    assert [flag["code"] for flag in body["flags"]] == ["OUTSIDE_GEOFENCE"]
    assert "Clock-out" in body["flags"][0]["message"]
    assert ClockEvent.objects.filter(shift=shift, kind="out").count() == 1


def test_clock_out_flags_do_not_resolve_the_clock_in_flags(guard_api, short_shift):
    shift = short_shift
    # given a clock-in from 3 km away (flagged)
    clock_in(guard_api, shift, where=geo.OUTSIDE_3KM)

    # when the guard clocks out on site
    response = clock_out(guard_api, shift)

    # then the clock-out is clean and the clock-in's flag stays open
    assert response.json()["flags"] == []
    flag = Flag.objects.get(shift=shift)
    assert (flag.key, flag.status) == ("clock_in", FlagStatus.OPEN)


def test_clocking_in_late_and_out_early_is_flagged_in_the_responses(guard_api, tenant):
    # given a shift that started 40 minutes ago and ends in seven hours
    starts = timezone.now() - timedelta(minutes=40)
    shift = factories.ShiftFactory(
        guard=tenant.guard, post=tenant.post, scheduled_start=starts, scheduled_end=starts + timedelta(hours=8)
    )

    late = clock_in(guard_api, shift).json()
    early = clock_out(guard_api, shift).json()

    assert [flag["code"] for flag in late["flags"]] == ["LATE_CLOCK_IN"]
    assert "40 minutes late" in late["flags"][0]["message"]
    assert [flag["code"] for flag in early["flags"]] == ["EARLY_CLOCK_OUT"]


def test_unread_post_orders_are_flagged_at_clock_in(guard_api, tenant, shift):
    factories.PostOrderFactory(post=tenant.post, version=1)

    body = clock_in(guard_api, shift).json()

    assert [flag["code"] for flag in body["flags"]] == ["POST_ORDERS_NOT_ACKNOWLEDGED"]


def test_clock_out_before_clock_in_is_409(guard_api, shift):
    response = clock_out(guard_api, shift)

    assert response.status_code == 409
    assert response.json()["code"] == "not_clocked_in"
    assert nothing_stored(shift)


def test_clock_out_never_precedes_the_clock_in(guard_api, shift):
    # given a clock-in, then a clock-out whose device time is an hour earlier
    clock_in(guard_api, shift)
    early = (timezone.now() - timedelta(hours=1)).isoformat()

    response = guard_api.post_json(f"/shifts/{shift.pk}/clock-out", {"position": position(recorded_at=early)})

    assert response.status_code == 200
    shift.refresh_from_db()
    assert shift.clock_out_at == shift.clock_in_at


def test_bad_clock_out_is_422_and_leaves_the_shift_in_progress(guard_api, shift):
    clock_in(guard_api, shift)

    response = guard_api.post_json(f"/shifts/{shift.pk}/clock-out", {"position": position(lat=91)})

    assert response.status_code == 422
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.IN_PROGRESS
    assert not ClockEvent.objects.filter(shift=shift, kind="out").exists()


# --- Concurrency -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_clock_in_retries_store_once(tenant):
    # given a shift and four copies of the phone's clock-in racing each other
    shift = _starting_now(tenant)
    api = api_client_for(tenant.guard)
    body = json.dumps({"position": position(geo.OUTSIDE_3KM)})
    statuses = []

    def send():
        response = api.post(f"/api/mobile/v1/shifts/{shift.pk}/clock-in", body, content_type="application/json")
        statuses.append(response.status_code)

    race(send, copies=4)

    # then all four succeed and exactly one clock-in (and one flag) is stored
    assert statuses == [200, 200, 200, 200]
    assert ClockEvent.objects.filter(shift_id=shift.pk).count() == 1
    assert Flag.objects.filter(shift_id=shift.pk, status=FlagStatus.OPEN).count() == 1


# --- Clock events sent after the fact --------------------------------------------------


def _ping(shift, at, where=geo.INSIDE_CENTER):
    return ping(shift, where, accuracy_m=8.0, recorded_at=at.isoformat())


def _sync_breadcrumbs(api, shift, minutes, where=geo.INSIDE_CENTER):
    """The phone syncs breadcrumbs taken these minutes after the shift's scheduled start."""
    crumbs = [_ping(shift, shift.scheduled_start + timedelta(minutes=minute), where) for minute in minutes]
    return api.post_json("/pings", {"pings": crumbs})


def _night_shift(tenant):
    """The issue's shift: it started at "00:00", 8 h 11 min ago, and runs 12 hours; nobody clocked in."""
    starts = timezone.now().replace(microsecond=0) - timedelta(hours=8, minutes=11)
    return factories.ShiftFactory(
        guard=tenant.guard, post=tenant.post, scheduled_start=starts, scheduled_end=starts + timedelta(hours=12)
    )


def _clock_in_backdated(api, shift):
    """At "08:11" the phone clocks in with recorded_at "23:58" (two minutes before the start) and sent_at now."""
    claimed = shift.scheduled_start - timedelta(minutes=2)
    return api.post_json(
        f"/shifts/{shift.pk}/clock-in",
        {"position": position(recorded_at=claimed.isoformat()), "sent_at": timezone.now().isoformat()},
    )


def _open_codes(shift):
    return sorted(Flag.objects.filter(shift=shift, status=FlagStatus.OPEN).values_list("code", flat=True))


def test_a_backdated_clock_in_without_evidence_is_flagged_and_does_not_end_the_no_show(tenant, guard_api):
    # given the night shift, already flagged as a no-show by the monitor
    shift = _night_shift(tenant)
    shifts_monitor(now=timezone.now())
    assert _open_codes(shift) == ["NO_SHOW"]

    # when the phone sends a clock-in claiming 23:58, eight hours after the fact
    response = _clock_in_backdated(guard_api, shift)

    # then it is stored as the phone said, and flagged with the gap and the three times
    assert response.status_code == 200
    shift.refresh_from_db()
    claimed = shift.scheduled_start - timedelta(minutes=2)
    assert abs(shift.clock_in_at - claimed) < timedelta(seconds=5)
    assert ClockEvent.objects.get(shift=shift).recorded_at == claimed
    backdated = next(flag for flag in response.json()["flags"] if flag["code"] == "CLOCK_EVENT_BACKDATED")
    assert backdated["severity"] == "warning"
    assert "8 hours 13 minutes after" in backdated["message"]
    assert {"recorded_at", "device_sent_at", "received_at"} <= set(backdated["evidence"])
    assert backdated["evidence"]["delay_seconds"] == pytest.approx(8 * 3600 + 13 * 60, abs=5)
    # and what counts is the receipt: the no-show stays open and says why, lateness is "at least"
    assert abs(shift.clock_in_verified_at - timezone.now()) < timedelta(minutes=1)
    shifts_monitor(now=timezone.now() + timedelta(minutes=1))
    assert _open_codes(shift) == ["CLOCK_EVENT_BACKDATED", "LATE_CLOCK_IN", "NO_SHOW"]
    no_show = Flag.objects.get(shift=shift, code="NO_SHOW", status=FlagStatus.OPEN)
    assert "is not confirmed" in no_show.message
    late = Flag.objects.get(shift=shift, code="LATE_CLOCK_IN")
    assert "at least 491 minutes late" in late.message
    assert late.evidence["confirmed"] is False


def test_a_backdated_clock_in_confirmed_by_breadcrumbs_recorded_then_is_on_time(tenant, guard_api):
    # given the night shift flagged as a no-show
    shift = _night_shift(tenant)
    shifts_monitor(now=timezone.now())

    # when the offline phone syncs its clock-in at 23:58, then its breadcrumbs of 23:58-00:10 inside the fence
    response = _clock_in_backdated(guard_api, shift)
    assert _sync_breadcrumbs(guard_api, shift, range(-2, 11)).status_code == 200
    shifts_monitor(now=timezone.now() + timedelta(minutes=1))

    # then the clock-in counts as on time: the no-show is resolved and nothing says "late"
    assert response.status_code == 200
    shift.refresh_from_db()
    assert shift.clock_in_verified_at == shift.clock_in_at
    assert _open_codes(shift) == ["CLOCK_EVENT_BACKDATED"]
    assert Flag.objects.get(shift=shift, code="NO_SHOW").status == FlagStatus.RESOLVED


def test_breadcrumbs_synced_before_the_clock_in_confirm_it_at_once(tenant, guard_api):
    shift = _night_shift(tenant)
    _sync_breadcrumbs(guard_api, shift, range(-2, 11))

    response = _clock_in_backdated(guard_api, shift)

    assert [flag["code"] for flag in response.json()["flags"]] == ["CLOCK_EVENT_BACKDATED"]
    shift.refresh_from_db()
    assert shift.clock_in_verified_at == shift.clock_in_at


def test_breadcrumbs_far_from_the_site_confirm_nothing(tenant, guard_api):
    shift = _night_shift(tenant)
    _sync_breadcrumbs(guard_api, shift, range(-2, 11), geo.OUTSIDE_3KM)

    _clock_in_backdated(guard_api, shift)
    shifts_monitor(now=timezone.now() + timedelta(minutes=1))

    assert "NO_SHOW" in _open_codes(shift)


def test_a_wide_accuracy_circle_does_not_put_a_guard_45_m_out_on_site(tenant, guard_api):
    # given breadcrumbs 45 m outside the fence that claim 45 m accuracy, at the claimed time
    shift = _night_shift(tenant)
    crumbs = [
        ping(
            shift,
            geo.OUTSIDE_45M,
            accuracy_m=45.0,
            recorded_at=(shift.scheduled_start + timedelta(minutes=m)).isoformat(),
        )
        for m in range(-2, 11)
    ]
    guard_api.post_json("/pings", {"pings": crumbs})

    # when the backdated clock-in arrives and the pass runs
    _clock_in_backdated(guard_api, shift)
    shifts_monitor(now=timezone.now() + timedelta(minutes=1))

    # then nothing confirmed the claim: only 20 m of a fix's accuracy counts, as on post
    assert "NO_SHOW" in _open_codes(shift)


def _clocked_in_night_shift(tenant):
    """A shift from 9 h ago to 1 h ago, clocked in on time (live) at its start."""
    starts = timezone.now().replace(microsecond=0) - timedelta(hours=9)
    return factories.ShiftFactory(
        guard=tenant.guard,
        post=tenant.post,
        scheduled_start=starts,
        scheduled_end=starts + timedelta(hours=8),
        status=ShiftStatus.IN_PROGRESS,
        clock_in_at=starts,
        clock_in_verified_at=starts,
    )


def _clock_out_backdated(api, shift):
    """An hour after the shift ended, the phone clocks out with recorded_at a minute before the end."""
    claimed = shift.scheduled_end - timedelta(minutes=1)
    return api.post_json(
        f"/shifts/{shift.pk}/clock-out",
        {"position": position(recorded_at=claimed.isoformat()), "sent_at": timezone.now().isoformat()},
    )


def test_a_clock_out_sent_after_the_fact_counts_only_as_far_as_the_guard_was_seen(tenant, guard_api):
    # given a guard whose breadcrumbs on site stop two hours into the shift
    shift = _clocked_in_night_shift(tenant)
    seen_until = shift.scheduled_start + timedelta(hours=2)
    _sync_breadcrumbs(guard_api, shift, range(0, 121, 5))

    # when the phone, an hour after the end, clocks out "at 07:59"
    response = _clock_out_backdated(guard_api, shift)

    # then the claim is stored and flagged, and the early clock-out is judged on the evidence
    assert response.status_code == 200
    codes = [flag["code"] for flag in response.json()["flags"]]
    assert codes == ["CLOCK_EVENT_BACKDATED", "EARLY_CLOCK_OUT"]
    shift.refresh_from_db()
    assert abs(shift.clock_out_at - (shift.scheduled_end - timedelta(minutes=1))) < timedelta(seconds=5)
    # (the last breadcrumb on site, on the server's clock: within the phone's few ms of skew)
    assert abs(shift.clock_out_verified_at - seen_until) < timedelta(seconds=1)
    early = Flag.objects.get(shift=shift, code="EARLY_CLOCK_OUT")
    assert "at least 360 minutes early" in early.message
    assert early.evidence["claimed_clock_out_at"] == shift.clock_out_at.isoformat()


def test_a_clock_out_sent_after_the_fact_with_breadcrumbs_to_the_end_stands(tenant, guard_api):
    shift = _clocked_in_night_shift(tenant)
    _sync_breadcrumbs(guard_api, shift, range(0, 481, 5))

    response = _clock_out_backdated(guard_api, shift)

    assert [flag["code"] for flag in response.json()["flags"]] == ["CLOCK_EVENT_BACKDATED"]
    shift.refresh_from_db()
    assert shift.clock_out_verified_at == shift.clock_out_at


def test_a_company_can_allow_a_longer_sync_delay(tenant, guard_api):
    RuleSettings.objects.create(company=tenant.company, overrides={"backdated_clock_event_min": 600})
    shift = _night_shift(tenant)

    response = _clock_in_backdated(guard_api, shift)

    assert "CLOCK_EVENT_BACKDATED" not in [flag["code"] for flag in response.json()["flags"]]
    shift.refresh_from_db()
    assert shift.clock_in_verified_at == shift.clock_in_at


def test_an_unconfirmed_clock_in_and_out_sent_together_support_no_hours(tenant, guard_api):
    # given a night shift whose phone syncs, at "08:11", a clock-in of 23:58 and a clock-out of 08:05
    shift = _night_shift(tenant)
    _clock_in_backdated(guard_api, shift)
    claimed_out = timezone.now() - timedelta(minutes=6)
    guard_api.post_json(
        f"/shifts/{shift.pk}/clock-out",
        {"position": position(recorded_at=claimed_out.isoformat()), "sent_at": timezone.now().isoformat()},
    )

    # then, with nothing recorded at either time, the evidence supports no time on site
    shift.refresh_from_db()
    assert shift.clock_out_verified_at <= shift.clock_out_at
    assert shift.clock_out_verified_at <= shift.clock_in_verified_at
    assert "NO_SHOW" in _open_codes(shift)


def test_evidence_is_matched_on_the_phones_own_clock(tenant, guard_api):
    # given a phone whose clock is 30 minutes slow, and the night shift
    shift = _night_shift(tenant)
    slow = timedelta(minutes=30)
    arrived = shift.scheduled_start - timedelta(minutes=2)
    # its breadcrumbs of the four minutes around the arrival carry the phone's (slow) times
    crumbs = [_ping(shift, arrived - slow + timedelta(minutes=m)) for m in range(-2, 3)]
    guard_api.post_json("/pings", {"pings": crumbs})

    # when it syncs, at "08:11", the clock-in it recorded on arrival
    response = guard_api.post_json(
        f"/shifts/{shift.pk}/clock-in",
        {
            "position": position(recorded_at=(arrived - slow).isoformat()),
            "sent_at": (timezone.now() - slow).isoformat(),
        },
    )

    # then the clock-in is corrected to the server's clock and confirmed by those breadcrumbs
    assert response.status_code == 200
    shift.refresh_from_db()
    assert abs(shift.clock_in_at - arrived) < timedelta(seconds=5)
    assert shift.clock_in_verified_at == shift.clock_in_at
    assert "NO_SHOW" not in _open_codes(shift)

"""Breadcrumb batches: stored once per client UUID, judged against the fence, all or nothing."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backend.rules.models import RuleSettings
from backend.staffing.models import Shift, ShiftStatus
from backend.tracking.models import Ping
from backend.tracking.selectors import site_fences_forget
from tests import factories, geo
from tests.mobile_api.payloads import ping

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_fence_cache():
    """Prepared fences are cached per process by site id; test databases reuse ids."""
    site_fences_forget()
    yield
    site_fences_forget()


@pytest.fixture
def shift(tenant):
    """tenant.guard's shift: started an hour ago, ends in seven hours."""
    return factories.ShiftFactory(guard=tenant.guard, post=tenant.post)


def send(api, pings, **extra):
    return api.post_json("/pings", {"pings": pings}, **extra)


def test_guard_sends_a_batch_and_each_ping_is_judged_against_the_fence(guard_api, shift):
    # given pings inside, near (50 m out, 30 m accuracy) and 3 km away
    batch = [
        ping(shift, geo.INSIDE_CENTER, speed_mps=1.2, heading=90),
        ping(shift, geo.OUTSIDE_50M, accuracy_m=30.0),
        ping(shift, geo.OUTSIDE_3KM, is_mock=True),
    ]

    # when the phone sends them, saying when it sent them
    sent_at = timezone.now() - timedelta(seconds=2)
    response = send(guard_api, batch, headers={"X-Sent-At": sent_at.isoformat()})

    # then all three are stored with their verdicts and times
    assert response.status_code == 200
    assert response.json() == {"accepted": 3, "duplicates": 0}
    stored = {str(p.id): p for p in Ping.objects.filter(shift=shift)}
    inside, near, far = (stored[p["id"]] for p in batch)
    assert (inside.fence, inside.distance_m, inside.speed_mps, inside.heading) == ("inside", 0.0, 1.2, 90.0)
    assert near.fence == "near"
    assert near.distance_m == pytest.approx(50, abs=1)
    assert far.fence == "outside"
    assert far.distance_m == pytest.approx(3000, abs=10)
    assert far.is_mock is True
    assert far.location.x == pytest.approx(geo.OUTSIDE_3KM.x)
    assert far.location.y == pytest.approx(geo.OUTSIDE_3KM.y)
    assert inside.sent_at is not None
    assert abs(inside.sent_at - sent_at) < timedelta(milliseconds=1)
    assert inside.received_at >= inside.sent_at
    assert inside.recorded_at < inside.received_at


def test_a_breadcrumb_coarser_than_the_presence_limit_is_unknown_not_near(tenant, guard_api, shift):
    # given a ping 49.7 km away claiming a 99 km circle, and one on site at 60 m (limit 50 m)
    batch = [ping(shift, geo.OUTSIDE_49_7KM, accuracy_m=99_000.0), ping(shift, geo.INSIDE_CENTER, accuracy_m=60.0)]

    response = send(guard_api, batch)

    # then neither decides anything: both are stored "unknown", the far one with its distance
    assert response.status_code == 200
    stored = {str(p.id): p for p in Ping.objects.filter(shift=shift)}
    far, coarse = (stored[p["id"]] for p in batch)
    assert (far.fence, coarse.fence) == ("unknown", "unknown")
    assert far.distance_m == pytest.approx(49_700, abs=50)


def test_the_companys_presence_limit_decides_which_breadcrumbs_are_unknown(tenant, guard_api, shift):
    RuleSettings.objects.create(company=tenant.company, overrides={"ping_max_accuracy_m": 80})

    send(guard_api, [ping(shift, geo.INSIDE_CENTER, accuracy_m=60.0)])

    assert Ping.objects.get(shift=shift).fence == "inside"


def test_replayed_batch_reports_all_duplicates_and_stores_nothing_new(guard_api, shift):
    batch = [ping(shift) for _ in range(5)]

    first = send(guard_api, batch)
    again = send(guard_api, batch)

    assert first.json() == {"accepted": 5, "duplicates": 0}
    assert again.status_code == 200
    assert again.json() == {"accepted": 0, "duplicates": 5}
    assert Ping.objects.count() == 5


def test_duplicates_within_a_batch_and_partial_replays_are_counted(guard_api, shift):
    old = ping(shift)
    send(guard_api, [old])
    repeated = ping(shift)

    response = send(guard_api, [old, repeated, repeated, ping(shift)])

    assert response.json() == {"accepted": 2, "duplicates": 2}
    assert Ping.objects.count() == 3


def test_sent_at_in_the_body_wins_over_the_header(guard_api, shift):
    body_time = timezone.now() - timedelta(seconds=30)
    header_time = timezone.now() - timedelta(seconds=90)

    response = guard_api.post_json(
        "/pings",
        {"pings": [ping(shift)], "sent_at": body_time.isoformat()},
        headers={"X-Sent-At": header_time.isoformat()},
    )

    assert response.status_code == 200
    stored = Ping.objects.get().sent_at
    assert stored is not None
    assert abs(stored - body_time) < timedelta(milliseconds=1)


def test_a_batch_spanning_two_sites_is_judged_per_site(tenant, guard_api):
    # given yesterday's night shift at the main site and today's at a site 5 km east
    other_site = factories.SiteFactory(client=tenant.client, geofence=geo.OTHER_SITE_SQUARE)
    now = timezone.now()
    night = factories.ShiftFactory(
        guard=tenant.guard, post=tenant.post, scheduled_start=now - timedelta(hours=10), scheduled_end=now
    )
    today = factories.ShiftFactory(guard=tenant.guard, post=factories.PostFactory(site=other_site), scheduled_start=now)

    # when the phone syncs a fix at the main site for each shift
    batch = [ping(night, geo.INSIDE_CENTER), ping(today, geo.INSIDE_CENTER)]
    response = send(guard_api, batch)

    # then each is judged against its own shift's site
    assert response.json() == {"accepted": 2, "duplicates": 0}
    assert Ping.objects.get(shift_id=night.pk).fence == "inside"
    far = Ping.objects.get(shift_id=today.pk)
    assert far.fence == "outside"
    assert far.distance_m == pytest.approx(4900, abs=10)


def test_an_edited_fence_is_used_from_the_next_batch(tenant, guard_api, shift):
    # given a first batch judged against the original fence
    send(guard_api, [ping(shift, geo.OUTSIDE_3KM)])

    # when a manager moves the fence to cover the far point
    tenant.site.geofence = geo.MultiPolygon(geo.square(3100, 0, 3300, 200), srid=4326)
    tenant.site.save()
    response = send(guard_api, [ping(shift, geo.OUTSIDE_3KM)])

    # then the next batch is judged against the new fence
    assert response.status_code == 200
    assert sorted(Ping.objects.values_list("fence", flat=True)) == ["inside", "outside"]


def test_a_full_batch_costs_a_handful_of_queries(guard_api, shift, django_assert_max_num_queries):
    batch = [ping(shift, geo.point(n % 300, n % 250)) for n in range(500)]

    # token check, savepoint, shifts, fence, insert, release
    with django_assert_max_num_queries(7):
        response = send(guard_api, batch)

    assert response.json() == {"accepted": 500, "duplicates": 0}


# --- Refused batches: nothing stored ----------------------------------------------------------


def test_501_pings_are_413_and_nothing_is_stored(guard_api, shift):
    response = send(guard_api, [ping(shift) for _ in range(501)])

    assert response.status_code == 413
    assert response.json()["code"] == "batch_too_large"
    assert "500" in response.json()["message"]
    assert not Ping.objects.exists()


def test_an_empty_batch_is_422(guard_api, shift):
    response = send(guard_api, [])

    assert response.status_code == 422
    assert "pings" in response.json()["fields"]


def test_a_ping_of_another_guards_shift_makes_the_whole_batch_404(tenant, other_tenant, guard_api, shift):
    # given a colleague's shift and another company's shift, both in progress
    colleague_shift = factories.ShiftFactory(guard=factories.GuardFactory(company=tenant.company), post=tenant.post)
    foreign_shift = factories.ShiftFactory(guard=other_tenant.guard, post=other_tenant.post)

    for intruder in (colleague_shift, foreign_shift):
        # when one ping among the guard's own names that shift
        response = send(guard_api, [ping(shift), ping(shift), ping(intruder)])

        # then the batch is refused as not found, pointing at the ping, and nothing is stored
        assert response.status_code == 404
        assert response.json()["code"] == "shift_not_found"
        assert "pings.2.shift_id" in response.json()["fields"]
    assert not Ping.objects.exists()


def test_another_companys_guard_cannot_ping_into_our_shift(other_guard_api, shift):
    response = send(other_guard_api, [ping(shift)])

    assert response.status_code == 404
    assert not Ping.objects.exists()


@pytest.mark.parametrize(
    ("starts_in", "status"),
    [
        (-timedelta(hours=8 + 13), ShiftStatus.SCHEDULED),  # ended 13 hours ago
        (timedelta(hours=2), ShiftStatus.SCHEDULED),  # starts in 2 hours
        (-timedelta(hours=1), ShiftStatus.CANCELLED),
    ],
    ids=["ended-13h-ago", "starts-in-2h", "cancelled"],
)
def test_pings_of_a_shift_not_open_for_tracking_are_409(tenant, guard_api, shift, starts_in, status):
    closed = factories.ShiftFactory(
        guard=tenant.guard, post=tenant.post, scheduled_start=timezone.now() + starts_in, status=status
    )

    response = send(guard_api, [ping(shift), ping(closed)])

    assert response.status_code == 409
    assert response.json()["code"] == "shift_not_tracking"
    assert "pings.1.shift_id" in response.json()["fields"]
    assert not Ping.objects.exists()
    # and the message gives the schedule on the site's clock (New York), not in UTC
    local_start = closed.scheduled_start.astimezone(ZoneInfo("America/New_York"))
    assert f"{local_start:%Y-%m-%d %H:%M} {local_start.tzname()}" in response.json()["message"]
    assert "UTC" not in response.json()["message"]


def test_a_shift_ended_11_hours_ago_still_takes_its_queued_pings(tenant, guard_api):
    start = timezone.now() - timedelta(hours=19)
    end = start + timedelta(hours=8)
    ended = factories.ShiftFactory(guard=tenant.guard, post=tenant.post, scheduled_start=start, scheduled_end=end)
    Shift.objects.filter(pk=ended.pk).update(status=ShiftStatus.COMPLETED, clock_in_at=start, clock_out_at=end)

    response = send(guard_api, [ping(ended, recorded_at=(end - timedelta(hours=1)).isoformat())])

    assert response.json() == {"accepted": 1, "duplicates": 0}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lat": 91}, "pings.0.lat"),
        ({"lon": 181}, "pings.0.lon"),
        ({"accuracy_m": -3}, "pings.0.accuracy_m"),
        ({"recorded_at": "3000-01-01T00:00:00Z"}, "pings.0.recorded_at"),
        ({"recorded_at": "2026-01-01T12:00:00"}, "pings.0.recorded_at"),
        ({"id": "not-a-uuid"}, "pings.0.id"),
        ({"shift_id": 0}, "pings.0.shift_id"),
        ({"speed_mps": -1}, "pings.0.speed_mps"),
        ({"heading": 400}, "pings.0.heading"),
        ({"status": "completed"}, "pings.0.status"),
        ({"company_id": 1}, "pings.0.company_id"),
    ],
    ids=[
        "lat-91",
        "lon-181",
        "negative-accuracy",
        "year-3000",
        "naive",
        "bad-uuid",
        "shift-0",
        "negative-speed",
        "heading-400",
        "unknown-status",
        "unknown-company_id",
    ],
)
def test_a_bad_ping_makes_the_batch_422_and_nothing_is_stored(guard_api, shift, change, field):
    response = send(guard_api, [ping(shift), {**ping(shift), **change}])

    assert response.status_code == 422
    body = response.json()
    assert field.replace("0", "1", 1) in body["fields"]
    assert body["code"] == ("unknown_field" if change.keys() & {"status", "company_id"} else "validation_error")
    assert not Ping.objects.exists()


def test_nan_in_raw_json_is_422_and_nothing_is_stored(guard_api, shift):
    good = ping(shift)
    raw = (
        f'{{"pings": [{{"id": "{good["id"]}", "shift_id": {shift.pk}, "lat": NaN, "lon": -84.387, '
        f'"accuracy_m": 5, "recorded_at": "{good["recorded_at"]}"}}]}}'
    )

    response = guard_api.post("/api/mobile/v1/pings", raw, content_type="application/json")

    assert response.status_code == 422
    assert "pings.0.lat" in response.json()["fields"]
    assert not Ping.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{"pings": "lots"}, {"pings": [1, 2]}, {"company_id": 1, "pings": []}, [], {"pings": None}],
    ids=["string", "numbers", "unknown-field", "list-body", "null"],
)
def test_malformed_batches_are_422(guard_api, shift, body):
    response = guard_api.post_json("/pings", body)

    assert response.status_code == 422
    assert not Ping.objects.exists()


def test_pings_need_a_token(anonymous_api, shift):
    response = send(anonymous_api, [ping(shift)])

    assert response.status_code == 401
    assert not Ping.objects.exists()


def test_pings_at_the_ends_of_the_earth_are_stored_as_outside(guard_api, shift):
    # the site's antipode, the poles and the antimeridian: far, but never an error
    places = [(95.612, -33.78), (0.0, 90.0), (0.0, -90.0), (180.0, 0.0), (-180.0, 0.0)]
    batch = [{**ping(shift), "lon": lon, "lat": lat} for lon, lat in places]

    response = send(guard_api, batch)

    assert response.json() == {"accepted": 5, "duplicates": 0}
    assert set(Ping.objects.values_list("fence", flat=True)) == {"outside"}
    assert all(
        distance is not None and distance > 5_000_000 for distance in Ping.objects.values_list("distance_m", flat=True)
    )

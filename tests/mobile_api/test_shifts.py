"""A guard's schedule and one shift's site details on the phone; post-order acknowledgement."""

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.staffing.models import PostOrderAcknowledgement, ShiftStatus
from tests import factories, geo

pytestmark = pytest.mark.django_db


def _iso(moment):
    return moment.isoformat()


@pytest.fixture
def shift(tenant):
    """tenant.guard's shift in progress now at tenant.post."""
    return factories.ShiftFactory(guard=tenant.guard, post=tenant.post)


# --- GET /shifts ------------------------------------------------------------------------


def test_guard_lists_own_shifts_in_the_default_window(tenant, other_tenant, guard_api, shift):
    # given the guard's shift now, one in 3 days, one 3 days ago and one in 10 days,
    # a colleague's shift and another company's shift
    now = timezone.now()
    soon = factories.ShiftFactory(guard=tenant.guard, post=tenant.post, scheduled_start=now + timedelta(days=3))
    factories.ShiftFactory(guard=tenant.guard, post=tenant.post, scheduled_start=now - timedelta(days=3))
    factories.ShiftFactory(guard=tenant.guard, post=tenant.post, scheduled_start=now + timedelta(days=10))
    colleague = factories.GuardFactory(company=tenant.company)
    factories.ShiftFactory(guard=colleague, post=tenant.post)
    factories.ShiftFactory(guard=other_tenant.guard, post=other_tenant.post)

    # when the phone asks for the schedule without a window
    response = guard_api.get_json("/shifts")

    # then it sees only its own shifts from yesterday to a week ahead, in start order
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body] == [shift.pk, soon.pk]
    assert body[0] == {
        "id": shift.pk,
        "site": {"id": tenant.site.pk, "name": tenant.site.name, "timezone": "America/New_York"},
        "post": {"id": tenant.post.pk, "name": tenant.post.name},
        "starts_at": body[0]["starts_at"],
        "ends_at": body[0]["ends_at"],
        "status": "scheduled",
    }
    assert body[0]["starts_at"].startswith(shift.scheduled_start.strftime("%Y-%m-%dT%H:%M:%S"))


def test_window_selects_overlapping_shifts(tenant, guard_api):
    # given shifts on three consecutive days at 08:00-16:00 UTC
    day = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(days=20)
    shifts = [
        factories.ShiftFactory(guard=tenant.guard, post=tenant.post, scheduled_start=day + timedelta(days=n))
        for n in range(3)
    ]

    # when the phone asks for the window from noon of day 0 to 09:00 of day 1
    response = guard_api.get_json(
        "/shifts", **{"from": _iso(day + timedelta(hours=4)), "to": _iso(day + timedelta(days=1, hours=1))}
    )

    # then the two shifts overlapping it are listed
    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [shifts[0].pk, shifts[1].pk]


def test_listing_costs_the_same_queries_for_many_shifts(tenant, guard_api, django_assert_max_num_queries):
    # given a dozen shifts across several sites of the company
    now = timezone.now()
    for n in range(12):
        post = factories.PostFactory(site=factories.SiteFactory(client=tenant.client))
        factories.ShiftFactory(guard=tenant.guard, post=post, scheduled_start=now + timedelta(hours=12 * n))

    # then listing them is the token check plus one query
    with django_assert_max_num_queries(3):
        response = guard_api.get_json("/shifts", **{"from": _iso(now), "to": _iso(now + timedelta(days=7))})
    assert response.status_code == 200
    assert len(response.json()) == 12


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-05-02T00:00:00Z", "to": "2026-05-01T00:00:00Z"}, "from"),
        ({"from": "2026-01-01T00:00:00Z", "to": "2026-03-15T00:00:00Z"}, "to"),
        ({"from": "2026-05-01T00:00:00"}, "from"),
        ({"to": "3000-01-01T00:00:00Z"}, "to"),
        ({"from": "0001-01-01T00:00:00Z"}, "from"),
        ({"from": "yesterday"}, "from"),
    ],
    ids=["reversed", "longer-than-62-days", "naive", "year-3000", "year-1", "not-a-date"],
)
def test_bad_windows_are_422(guard_api, shift, params, field):
    response = guard_api.get_json("/shifts", **params)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] in {"validation_error", "invalid_window", "window_too_long"}
    assert field in body["fields"]


def test_listing_needs_a_token(anonymous_api):
    response = anonymous_api.get_json("/shifts")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


# --- GET /shifts/{id} ---------------------------------------------------------------------


def test_shift_detail_has_the_fence_places_zones_and_current_orders(tenant, guard_api, shift):
    # given units, an active and a retired checkpoint, a restricted zone and two versions of orders
    unit = factories.UnitFactory(site=tenant.site, label="Building C, Unit 204", location=geo.point(150, 50))
    checkpoint = factories.CheckpointFactory(
        site=tenant.site, name="Gate 1", location=geo.point(0, 100), instructions="Check the lock."
    )
    factories.CheckpointFactory(site=tenant.site, name="Old gate", is_active=False)
    zone = factories.RestrictedZoneFactory(site=tenant.site, name="Server room")
    factories.PostOrderFactory(post=tenant.post, version=1)
    current = factories.PostOrderFactory(post=tenant.post, version=2, title="Winter orders", body="Salt the steps.")

    # when the phone opens the shift
    response = guard_api.get_json(f"/shifts/{shift.pk}")

    # then it has everything to work the shift
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == shift.pk
    assert body["site"]["id"] == tenant.site.pk
    assert body["post"] == {"id": tenant.post.pk, "name": tenant.post.name}
    assert body["status"] == "scheduled"
    assert body["geofence"]["type"] == "MultiPolygon"
    ring = body["geofence"]["coordinates"][0][0]
    assert ring[0] == pytest.approx([geo.ORIGIN_LON, geo.ORIGIN_LAT])
    assert len(ring) == 5
    assert body["units"] == [
        {
            "id": unit.pk,
            "label": "Building C, Unit 204",
            "kind": "unit",
            "lat": pytest.approx(unit.location.y),
            "lon": pytest.approx(unit.location.x),
        }
    ]
    # The tag's code stays on the server: knowing it would let a tour be "scanned" from the data alone.
    assert body["checkpoints"] == [
        {
            "id": checkpoint.pk,
            "name": "Gate 1",
            "lat": pytest.approx(checkpoint.location.y),
            "lon": pytest.approx(checkpoint.location.x),
            "instructions": "Check the lock.",
        }
    ]
    assert [(z["id"], z["name"], z["area"]["type"]) for z in body["restricted_zones"]] == [
        (zone.pk, "Server room", "Polygon")
    ]
    assert body["post_orders"] == {
        "id": current.pk,
        "version": 2,
        "title": "Winter orders",
        "body": "Salt the steps.",
        "published_at": body["post_orders"]["published_at"],
        "acknowledged": False,
    }


def test_shift_detail_without_published_orders_has_null_orders(tenant, guard_api, shift):
    factories.PostOrderFactory(post=tenant.post, version=1, published_at=timezone.now() + timedelta(days=1))

    body = guard_api.get_json(f"/shifts/{shift.pk}").json()

    assert body["post_orders"] is None
    assert body["units"] == body["checkpoints"] == body["restricted_zones"] == []


def test_shift_detail_costs_the_same_queries_however_full_the_site(
    tenant, guard_api, shift, django_assert_max_num_queries
):
    # given a site with many units, checkpoints and zones
    for n in range(8):
        factories.UnitFactory(site=tenant.site)
        factories.CheckpointFactory(site=tenant.site)
        factories.RestrictedZoneFactory(site=tenant.site, name=f"Zone {n}")
    factories.PostOrderFactory(post=tenant.post)

    # then the detail is the token check plus five queries
    with django_assert_max_num_queries(7):
        response = guard_api.get_json(f"/shifts/{shift.pk}")
    assert response.status_code == 200
    assert len(response.json()["units"]) == 8


def test_another_guards_or_companys_shift_is_404(tenant, other_tenant, guard_api):
    colleague_shift = factories.ShiftFactory(guard=factories.GuardFactory(company=tenant.company), post=tenant.post)
    foreign_shift = factories.ShiftFactory(guard=other_tenant.guard, post=other_tenant.post)

    for shift_id in (colleague_shift.pk, foreign_shift.pk, 999_999_999):
        response = guard_api.get_json(f"/shifts/{shift_id}")
        assert response.status_code == 404
        assert response.json()["code"] == "shift_not_found"


@pytest.mark.parametrize("shift_id", ["0", "-1", "abc", str(2**70)])
def test_malformed_shift_ids_are_422(guard_api, shift_id):
    response = guard_api.get_json(f"/shifts/{shift_id}")
    assert response.status_code == 422
    assert "shift_id" in response.json()["fields"]


# --- POST /shifts/{id}/post-orders/ack ---------------------------------------------------------


def test_guard_acknowledges_the_current_orders_once(tenant, guard_api, shift):
    # given the current orders, version 2
    factories.PostOrderFactory(post=tenant.post, version=1)
    current = factories.PostOrderFactory(post=tenant.post, version=2)

    # when the guard acknowledges version 2, and the phone retries
    first = guard_api.post_json(f"/shifts/{shift.pk}/post-orders/ack", {"version": 2})
    again = guard_api.post_json(f"/shifts/{shift.pk}/post-orders/ack", {"version": 2})

    # then one acknowledgement is stored, and the retry reports the same one
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["id"] == current.pk
    assert first.json()["version"] == 2
    assert first.json()["acknowledged"] is True
    assert PostOrderAcknowledgement.objects.filter(guard=tenant.guard, post_order_id=current.pk).count() == 1
    assert guard_api.get_json(f"/shifts/{shift.pk}").json()["post_orders"]["acknowledged"] is True


def test_acknowledging_an_older_version_is_409_and_stores_nothing(tenant, guard_api, shift):
    factories.PostOrderFactory(post=tenant.post, version=1)
    factories.PostOrderFactory(post=tenant.post, version=2)

    response = guard_api.post_json(f"/shifts/{shift.pk}/post-orders/ack", {"version": 1})

    assert response.status_code == 409
    assert response.json()["code"] == "post_orders_outdated"
    assert response.json()["current_version"] == 2
    assert not PostOrderAcknowledgement.objects.exists()


@pytest.mark.parametrize("version", [3, 7], ids=["unpublished", "never-written"])
def test_acknowledging_a_version_that_does_not_exist_is_404(tenant, guard_api, shift, version):
    factories.PostOrderFactory(post=tenant.post, version=1)
    factories.PostOrderFactory(post=tenant.post, version=2)
    factories.PostOrderFactory(post=tenant.post, version=3, published_at=timezone.now() + timedelta(hours=2))

    response = guard_api.post_json(f"/shifts/{shift.pk}/post-orders/ack", {"version": version})

    assert response.status_code == 404
    assert response.json()["code"] == "post_order_not_found"
    assert not PostOrderAcknowledgement.objects.exists()


def test_orders_of_another_post_cannot_be_acknowledged_through_a_shift(tenant, guard_api, shift):
    # given orders only on another post of the same site
    factories.PostOrderFactory(post=factories.PostFactory(site=tenant.site), version=1)

    response = guard_api.post_json(f"/shifts/{shift.pk}/post-orders/ack", {"version": 1})

    assert response.status_code == 404
    assert response.json()["code"] == "post_order_not_found"
    assert not PostOrderAcknowledgement.objects.exists()


def test_acknowledging_on_another_guards_or_companys_shift_is_404(tenant, other_tenant, guard_api):
    colleague_shift = factories.ShiftFactory(guard=factories.GuardFactory(company=tenant.company), post=tenant.post)
    foreign_shift = factories.ShiftFactory(guard=other_tenant.guard, post=other_tenant.post)
    factories.PostOrderFactory(post=tenant.post, version=1)
    factories.PostOrderFactory(post=other_tenant.post, version=1)

    for shift_id in (colleague_shift.pk, foreign_shift.pk):
        response = guard_api.post_json(f"/shifts/{shift_id}/post-orders/ack", {"version": 1})
        assert response.status_code == 404
        assert response.json()["code"] == "shift_not_found"
    assert not PostOrderAcknowledgement.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"version": 0}, {"version": "two"}, {"version": 1, "guard_id": 5}, {"version": 1, "status": "acknowledged"}],
    ids=["missing", "zero", "text", "unknown-guard_id", "unknown-status"],
)
def test_bad_acknowledgements_are_422(tenant, guard_api, shift, body):
    factories.PostOrderFactory(post=tenant.post, version=1)

    response = guard_api.post_json(f"/shifts/{shift.pk}/post-orders/ack", body)

    assert response.status_code == 422
    assert response.json()["code"] in {"validation_error", "unknown_field"}
    assert not PostOrderAcknowledgement.objects.exists()


def test_a_cancelled_shift_is_still_listed_with_its_status(tenant, guard_api, shift):
    shift.status = ShiftStatus.CANCELLED
    shift.save()

    body = guard_api.get_json("/shifts").json()

    assert [(item["id"], item["status"]) for item in body] == [(shift.pk, "cancelled")]

"""The guard's dispatches over the mobile API: list, detail, accept, arrive, callback, complete."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from backend.dispatch.models import RequestStatus, SiteDispatchPolicy
from backend.flags.models import Flag
from backend.rules.findings import FlagCode
from tests import geo
from tests.conftest import api_client_for
from tests.dispatching import ON_FILE, dispatched, new_request

pytestmark = pytest.mark.django_db


def _position(point, accuracy_m: float = 8.0) -> dict[str, object]:
    return {"lat": point.y, "lon": point.x, "accuracy_m": accuracy_m, "recorded_at": timezone.now().isoformat()}


def _callback(outcome: str = "reached", **fields) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "number_dialled": ON_FILE,
        "outcome": outcome,
        "called_at": timezone.now().isoformat(),
        **fields,
    }


def _arrived(tenant, guard_api, **fields):
    request = dispatched(tenant=tenant, **fields)
    assert guard_api.post_json(f"/dispatches/{request.pk}/accept", {}).status_code == 200
    arrive = guard_api.post_json(f"/dispatches/{request.pk}/arrive", {"position": _position(geo.INSIDE_CENTER)})
    assert arrive.status_code == 200, arrive.json()
    return request


def test_the_guard_lists_their_own_dispatches_open_ones_first(tenant, guard_api):
    done = dispatched(tenant=tenant)
    done.status = RequestStatus.CANCELLED
    done.cancelled_at = timezone.now()
    done.save()
    open_one = dispatched(tenant=tenant, kind="alarm_response", location_text="Loading dock")
    new_request(tenant=tenant)  # not sent to anybody: not in the list

    listed = guard_api.get_json("/dispatches").json()

    assert [item["id"] for item in listed] == [open_one.pk, done.pk]
    assert listed[0]["where"] == "Loading dock"
    assert listed[0]["callback_number"] == ON_FILE
    assert listed[0]["site"]["timezone"] == "America/New_York"


def test_another_guards_dispatch_is_a_404_and_not_listed(tenant, other_tenant, other_guard_api):
    request = dispatched(tenant=tenant)

    assert other_guard_api.get_json("/dispatches").json() == []
    for path in ("", "/accept"):
        call = other_guard_api.get_json if not path else (lambda p: other_guard_api.post_json(p, {}))
        response = call(f"/dispatches/{request.pk}{path}")
        assert response.status_code == 404
        assert response.json()["code"] == "service_request_not_found"


def test_a_colleague_of_the_same_company_gets_a_404_too(tenant):
    from tests import factories

    request = dispatched(tenant=tenant)
    colleague = api_client_for(factories.GuardFactory(company=tenant.company), device_id="colleague")

    assert colleague.get_json(f"/dispatches/{request.pk}").status_code == 404


def test_nobody_signed_in_is_401(tenant, anonymous_api):
    request = dispatched(tenant=tenant)

    assert anonymous_api.get_json(f"/dispatches/{request.pk}").status_code == 401
    assert anonymous_api.post_json(f"/dispatches/{request.pk}/accept", {}).status_code == 401


def test_accept_then_accept_again_is_a_replay(tenant, guard_api):
    request = dispatched(tenant=tenant)

    first = guard_api.post_json(f"/dispatches/{request.pk}/accept", {})
    again = guard_api.post_json(f"/dispatches/{request.pk}/accept", {})

    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == "accepted"
    assert "Idempotent-Replayed" not in first
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["accepted_at"] == first.json()["accepted_at"]


def test_arriving_before_accepting_is_409(tenant, guard_api):
    request = dispatched(tenant=tenant)

    response = guard_api.post_json(f"/dispatches/{request.pk}/arrive", {"position": _position(geo.INSIDE_CENTER)})

    assert response.status_code == 409
    assert response.json()["code"] == "not_accepted"


def test_an_arrival_2_km_away_is_flagged_for_the_dispatcher_and_a_retry_stores_it_once(tenant, guard_api):
    request = dispatched(tenant=tenant)
    guard_api.post_json(f"/dispatches/{request.pk}/accept", {})
    body = {"position": _position(geo.point(2200, 100))}

    arrived = guard_api.post_json(f"/dispatches/{request.pk}/arrive", body)
    again = guard_api.post_json(f"/dispatches/{request.pk}/arrive", body)
    moved = guard_api.post_json(f"/dispatches/{request.pk}/arrive", {"position": _position(geo.INSIDE_CENTER)})

    assert arrived.status_code == 200
    assert arrived.json()["status"] == "arrived"
    assert 1900 < arrived.json()["arrival_distance_m"] < 2100
    assert again["Idempotent-Replayed"] == "true"
    assert (moved.status_code, moved.json()["code"]) == (409, "idempotency_conflict")
    flag = Flag.objects.get(code=FlagCode.DISPATCH_ARRIVAL_OUTSIDE)
    assert flag.shift_id == request.shift_id
    assert flag.status == "open"


def test_a_bad_position_is_422_naming_the_field_and_changes_nothing(tenant, guard_api):
    request = dispatched(tenant=tenant)
    guard_api.post_json(f"/dispatches/{request.pk}/accept", {})

    response = guard_api.post_json(f"/dispatches/{request.pk}/arrive", {"position": {"lat": 95, "lon": 0}})

    assert response.status_code == 422
    assert "position.lat" in response.json()["fields"]
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED


def test_the_detail_prompts_for_the_second_callback_and_completion_waits_for_a_person(tenant, guard_api):
    SiteDispatchPolicy.objects.create(site=tenant.site)
    request = _arrived(tenant, guard_api)

    detail = guard_api.get_json(f"/dispatches/{request.pk}").json()
    refused = guard_api.post_json(f"/dispatches/{request.pk}/complete", {"note": "Let the resident in."})
    voicemail = guard_api.post_json(f"/dispatches/{request.pk}/callback", _callback("voicemail"))
    still_refused = guard_api.post_json(f"/dispatches/{request.pk}/complete", {"note": "Let the resident in."})
    reached = guard_api.post_json(f"/dispatches/{request.pk}/callback", _callback("reached"))
    completed = guard_api.post_json(f"/dispatches/{request.pk}/complete", {"note": "Let the resident in."})

    assert detail["second_callback_required"] is True
    assert detail["second_callback"] == {"required": True, "state": "pending", "attempts": 0}
    assert (refused.status_code, refused.json()["code"]) == (409, "second_callback_required")
    assert voicemail.status_code == 201
    assert voicemail.json()["counts"] is False
    assert still_refused.json()["code"] == "second_callback_required"
    assert reached.json()["second_callback"] == {"required": True, "state": "reached", "attempts": 2}
    assert completed.status_code == 200
    assert completed.json()["status"] == "completed"
    assert completed.json()["completion_note"] == "Let the resident in."


def test_a_callback_is_stored_once_per_id_and_another_body_on_the_id_is_409(tenant, guard_api):
    request = _arrived(tenant, guard_api)
    body = _callback("reached")

    first = guard_api.post_json(f"/dispatches/{request.pk}/callback", body)
    again = guard_api.post_json(f"/dispatches/{request.pk}/callback", body)
    reused = guard_api.post_json(f"/dispatches/{request.pk}/callback", {**body, "outcome": "no_answer"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert (reused.status_code, reused.json()["code"], reused.json()["fields"]) == (
        409,
        "idempotency_conflict",
        {"id": [reused.json()["message"]]},
    )
    assert request.callbacks.filter(phase="on_arrival").count() == 1


def test_a_callback_before_arriving_is_409_and_an_unknown_outcome_422(tenant, guard_api):
    request = dispatched(tenant=tenant)

    early = guard_api.post_json(f"/dispatches/{request.pk}/callback", _callback())
    unknown = guard_api.post_json(f"/dispatches/{request.pk}/callback", _callback("maybe"))

    assert (early.status_code, early.json()["code"]) == (409, "not_arrived")
    assert unknown.status_code == 422
    assert "outcome" in unknown.json()["fields"]


def test_completing_twice_with_the_same_note_is_a_replay(tenant, guard_api):
    request = _arrived(tenant, guard_api)

    first = guard_api.post_json(f"/dispatches/{request.pk}/complete", {"note": "All clear."})
    again = guard_api.post_json(f"/dispatches/{request.pk}/complete", {"note": "All clear."})
    other = guard_api.post_json(f"/dispatches/{request.pk}/complete", {"note": "Something else."})

    assert (first.status_code, again.status_code) == (200, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_conflict")


def test_an_empty_note_or_an_unknown_field_is_422(tenant, guard_api):
    request = _arrived(tenant, guard_api)

    empty = guard_api.post_json(f"/dispatches/{request.pk}/complete", {"note": "  "})
    unknown = guard_api.post_json(f"/dispatches/{request.pk}/complete", {"note": "ok", "status": "completed"})

    assert empty.status_code == 422
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_field")


def test_the_list_reads_a_fixed_number_of_queries(tenant, guard_api, django_assert_max_num_queries):
    for _ in range(6):
        dispatched(tenant=tenant)

    with django_assert_max_num_queries(4):
        listed = guard_api.get_json("/dispatches")

    assert len(listed.json()) == 6

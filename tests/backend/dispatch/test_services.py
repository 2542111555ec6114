"""The dispatch services: the security callback gate, each outcome, dispatch, the double callback, timers."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.calls.services import call_open
from backend.core.errors import NotFound, ValidationFailed
from backend.dispatch.errors import CallbackRequired, RequestNotOpen, SecondCallbackRequired
from backend.dispatch.models import (
    CallbackAttempt,
    CallbackOutcome,
    DispatchPolicy,
    EventKind,
    RequestStatus,
    ServiceRequest,
    SiteDispatchPolicy,
)
from backend.dispatch.policy import DEFAULT_TARGETS, late_step
from backend.dispatch.selectors import callback_gate, dispatches_late, second_callback
from backend.dispatch.services import (
    GuardCallback,
    dispatch_accept,
    dispatch_arrive,
    dispatch_callback,
    dispatch_complete,
    service_request_callback_log,
    service_request_cancel,
    service_request_dispatch,
    service_request_mark_suspicious,
)
from backend.flags.models import Flag
from backend.rules.findings import FlagCode
from backend.sites.scopes import scope_for
from geofence.fixes import Fix
from tests import factories, geo
from tests.dispatching import ON_FILE, dispatched, known_requester, new_request, on_shift

pytestmark = pytest.mark.django_db


def _fix(point, accuracy_m: float = 8.0) -> Fix:
    return Fix(recorded_at=timezone.now(), lon=point.x, lat=point.y, accuracy_m=accuracy_m)


def _call(request, tenant, outcome, number: str = ON_FILE):
    return service_request_callback_log(request=request, by=tenant.manager, number_dialled=number, outcome=outcome)


# --- The gate -----------------------------------------------------------------------------


def test_a_known_requester_on_a_number_on_file_is_ready_and_dispatched_without_a_callback(tenant):
    # given a contact who asked before, calling from their number on file, for a patrol check
    known_requester(tenant=tenant)
    request = new_request(tenant=tenant)
    assert request.status == RequestStatus.READY
    assert callback_gate(request=request).reasons == ()

    # when the manager sends the guard on shift at the site
    sent = service_request_dispatch(request=request, by=tenant.manager, shift=on_shift(post=tenant.post))

    # then the request is dispatched, and the timeline says so
    assert sent.status == RequestStatus.DISPATCHED
    assert [event.kind for event in sent.events.all()] == [EventKind.CREATED, EventKind.DISPATCHED]


def test_a_new_requester_cannot_be_dispatched_until_a_callback_reaches_a_person(tenant):
    request = new_request(tenant=tenant)
    assert request.status == RequestStatus.CALLBACK_PENDING

    with pytest.raises(CallbackRequired) as refused:
        service_request_dispatch(request=request, by=tenant.manager, shift=on_shift(post=tenant.post))

    assert refused.value.code == "callback_required"
    assert "first request from this requester" in refused.value.message
    request.refresh_from_db()
    assert request.status == RequestStatus.CALLBACK_PENDING
    assert request.guard is None


def test_a_number_not_on_file_needs_a_callback_even_from_a_known_contact(tenant):
    known_requester(tenant=tenant)
    request = new_request(tenant=tenant, callback_number="+1 678 555 0199")

    gate = callback_gate(request=request)

    assert gate.reasons == (f"+1 678 555 0199 is not on file for {tenant.client.name}",)


def test_the_same_number_typed_differently_is_on_file(tenant):
    known_requester(tenant=tenant)

    request = new_request(tenant=tenant, callback_number="(404) 555-0101")

    assert callback_gate(request=request).reasons == ()


def test_a_request_marked_suspicious_needs_a_callback(tenant):
    known_requester(tenant=tenant)
    request = new_request(tenant=tenant)

    marked = service_request_mark_suspicious(request=request, by=tenant.manager, reason="Caller would not give a unit")

    assert marked.status == RequestStatus.CALLBACK_PENDING
    assert callback_gate(request=marked).reasons == ("marked suspicious",)
    with pytest.raises(CallbackRequired, match="marked suspicious"):
        service_request_dispatch(request=marked, by=tenant.manager, shift=on_shift(post=tenant.post))


def test_lockouts_and_escorts_need_a_callback_by_default_and_a_company_can_change_it(tenant):
    known_requester(tenant=tenant)
    assert "every lockout needs one" in callback_gate(request=new_request(tenant=tenant, kind="lockout")).reasons
    assert "every escort needs one" in callback_gate(request=new_request(tenant=tenant, kind="escort")).reasons

    DispatchPolicy.objects.create(
        company=tenant.company, kind="lockout", callback_before_dispatch=False, callback_on_arrival=False
    )
    DispatchPolicy.objects.create(
        company=tenant.company, kind="alarm_response", callback_before_dispatch=True, callback_on_arrival=False
    )

    assert callback_gate(request=new_request(tenant=tenant, kind="lockout")).reasons == ()
    assert callback_gate(request=new_request(tenant=tenant, kind="alarm_response")).reasons == (
        "every alarm response needs one",
    )


@pytest.mark.parametrize(
    "outcome",
    [CallbackOutcome.VOICEMAIL, CallbackOutcome.NO_ANSWER, CallbackOutcome.WRONG_NUMBER, CallbackOutcome.REFUSED],
)
def test_a_callback_that_reached_no_person_is_recorded_with_its_time_and_does_not_count(tenant, outcome):
    request = new_request(tenant=tenant, kind="lockout")
    before = timezone.now()

    attempt = _call(request, tenant, outcome)

    assert attempt.outcome == outcome
    assert attempt.at >= before
    assert CallbackAttempt.objects.filter(request=request).count() == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.CALLBACK_PENDING
    with pytest.raises(CallbackRequired):
        service_request_dispatch(request=request, by=tenant.manager, shift=on_shift(post=tenant.post))
    assert "does not count" in request.events.get(kind=EventKind.CALLBACK).text


def test_a_callback_that_reached_a_person_opens_the_gate(tenant):
    request = new_request(tenant=tenant, kind="lockout")
    _call(request, tenant, CallbackOutcome.VOICEMAIL)

    _call(request, tenant, CallbackOutcome.REACHED)

    request.refresh_from_db()
    assert request.status == RequestStatus.READY
    sent = service_request_dispatch(request=request, by=tenant.manager, shift=on_shift(post=tenant.post))
    assert sent.status == RequestStatus.DISPATCHED
    assert [a.outcome for a in sent.callbacks.order_by("at")] == ["voicemail", "reached"]


def test_a_callback_with_a_bad_number_or_outcome_is_refused_and_stores_nothing(tenant):
    request = new_request(tenant=tenant)

    with pytest.raises(ValidationFailed) as bad_number:
        _call(request, tenant, CallbackOutcome.REACHED, number="call me")
    with pytest.raises(ValidationFailed) as bad_outcome:
        _call(request, tenant, "maybe")

    assert (bad_number.value.field, bad_outcome.value.field) == ("number_dialled", "outcome")
    assert not CallbackAttempt.objects.exists()


# --- Who can be sent ----------------------------------------------------------------------


def test_a_guard_at_another_site_of_the_client_is_sent_only_with_a_reason(tenant):
    known_requester(tenant=tenant)
    request = new_request(tenant=tenant)
    elsewhere = factories.SiteFactory(client=tenant.client, name="Annex")
    shift = on_shift(post=factories.PostFactory(site=elsewhere))

    with pytest.raises(ValidationFailed) as refused:
        service_request_dispatch(request=request, by=tenant.manager, shift=shift)
    sent = service_request_dispatch(request=request, by=tenant.manager, shift=shift, reason="Nobody at the site")

    assert (refused.value.code, refused.value.field) == ("reason_required", "reason")
    assert sent.dispatch_reason == "Nobody at the site"


def test_a_shift_not_clocked_in_or_of_another_tenant_is_refused(tenant, other_tenant):
    known_requester(tenant=tenant)
    request = new_request(tenant=tenant)
    scheduled = factories.ShiftFactory(post=tenant.post)
    theirs = on_shift(post=other_tenant.post)

    for shift in (scheduled, theirs):
        with pytest.raises(ValidationFailed) as refused:
            service_request_dispatch(request=request, by=tenant.manager, shift=shift)
        assert refused.value.code == "shift_not_eligible"


def test_another_companys_manager_and_an_unassigned_supervisor_cannot_act_on_the_request(tenant, other_tenant):
    request = new_request(tenant=tenant)
    elsewhere = factories.SupervisorFactory(company=tenant.company)

    for person in (other_tenant.manager, elsewhere):
        with pytest.raises(NotFound):
            service_request_callback_log(
                request=request, by=person, number_dialled=ON_FILE, outcome=CallbackOutcome.REACHED
            )
    assert not CallbackAttempt.objects.exists()


# --- The guard's steps ----------------------------------------------------------------------


def test_the_guards_steps_in_order_with_retries_changing_nothing(tenant):
    request = dispatched(tenant=tenant)

    with pytest.raises(RequestNotOpen) as early:
        dispatch_arrive(guard=tenant.guard, request_id=request.pk, position=_fix(geo.INSIDE_CENTER))
    accepted, changed = dispatch_accept(guard=tenant.guard, request_id=request.pk)
    _, again = dispatch_accept(guard=tenant.guard, request_id=request.pk)
    fix = _fix(geo.INSIDE_CENTER)
    arrived, _ = dispatch_arrive(guard=tenant.guard, request_id=request.pk, position=fix)
    _, arrived_again = dispatch_arrive(guard=tenant.guard, request_id=request.pk, position=fix)
    done, _ = dispatch_complete(guard=tenant.guard, request_id=request.pk, note="All quiet in the lobby.")

    assert early.value.code == "not_accepted"
    assert (changed, again, arrived_again) == (True, False, False)
    assert accepted.accepted_at is not None
    assert arrived.arrival_distance_m == 0
    assert done.status == RequestStatus.COMPLETED
    assert list(done.events.values_list("kind", flat=True)) == [
        "created",
        "callback",
        "dispatched",
        "accepted",
        "arrived",
        "completed",
    ]


def test_another_guards_dispatch_is_not_found(tenant):
    request = dispatched(tenant=tenant)
    colleague = factories.GuardFactory(company=tenant.company)

    with pytest.raises(NotFound):
        dispatch_accept(guard=colleague, request_id=request.pk)


def test_an_arrival_2_km_from_the_site_is_recorded_and_flagged_on_the_shift(tenant):
    request = dispatched(tenant=tenant)
    dispatch_accept(guard=tenant.guard, request_id=request.pk)

    arrived, _ = dispatch_arrive(guard=tenant.guard, request_id=request.pk, position=_fix(geo.point(2200, 100)))

    assert arrived.status == RequestStatus.ARRIVED
    assert 1900 < (arrived.arrival_distance_m or 0) < 2100
    flag = Flag.objects.get(code=FlagCode.DISPATCH_ARRIVAL_OUTSIDE)
    assert flag.shift_id == request.shift_id
    assert "2.0 km" in flag.message
    assert flag.evidence["service_request_id"] == request.pk


def test_an_arrival_inside_the_fence_raises_no_flag(tenant):
    request = dispatched(tenant=tenant)
    dispatch_accept(guard=tenant.guard, request_id=request.pk)

    dispatch_arrive(guard=tenant.guard, request_id=request.pk, position=_fix(geo.NEAR_SW_CORNER))

    assert not Flag.objects.filter(code=FlagCode.DISPATCH_ARRIVAL_OUTSIDE).exists()


def test_an_arrival_on_site_but_far_from_the_requested_unit_is_flagged(tenant):
    unit = factories.UnitFactory(site=tenant.site, label="Gate C", location=geo.NEAR_NE_CORNER)
    request = dispatched(tenant=tenant, unit=unit, location_text="")
    dispatch_accept(guard=tenant.guard, request_id=request.pk)

    arrived, _ = dispatch_arrive(guard=tenant.guard, request_id=request.pk, position=_fix(geo.NEAR_SW_CORNER))

    assert 230 < (arrived.arrival_distance_m or 0) < 280
    assert "from Gate C" in Flag.objects.get(code=FlagCode.DISPATCH_ARRIVAL_OUTSIDE).message


# --- The double callback ------------------------------------------------------------------


def _arrived(tenant, **fields):
    request = dispatched(tenant=tenant, **fields)
    dispatch_accept(guard=tenant.guard, request_id=request.pk)
    dispatch_arrive(guard=tenant.guard, request_id=request.pk, position=_fix(geo.INSIDE_CENTER))
    return request


def _guard_calls(tenant, request, outcome):
    data = GuardCallback(id=uuid.uuid4(), number_dialled=ON_FILE, outcome=outcome, at=timezone.now())
    return dispatch_callback(guard=tenant.guard, request_id=request.pk, data=data)


def test_a_site_with_the_double_callback_refuses_completion_until_the_guard_reaches_a_person(tenant):
    SiteDispatchPolicy.objects.create(site=tenant.site)
    request = _arrived(tenant)
    assert second_callback(request=request).state == "pending"

    with pytest.raises(SecondCallbackRequired):
        dispatch_complete(guard=tenant.guard, request_id=request.pk, note="Done")
    _guard_calls(tenant, request, CallbackOutcome.VOICEMAIL)
    with pytest.raises(SecondCallbackRequired):
        dispatch_complete(guard=tenant.guard, request_id=request.pk, note="Done")
    _guard_calls(tenant, request, CallbackOutcome.REACHED)
    done, _ = dispatch_complete(guard=tenant.guard, request_id=request.pk, note="Done")

    assert done.status == RequestStatus.COMPLETED
    assert second_callback(request=done).state == "reached"
    assert second_callback(request=done).attempts == 2


def test_a_kind_with_the_double_callback_requires_it_and_others_do_not(tenant):
    DispatchPolicy.objects.create(
        company=tenant.company, kind="escort", callback_before_dispatch=True, callback_on_arrival=True
    )

    escort = dispatched(tenant=tenant, kind="escort")
    patrol = dispatched(tenant=tenant, kind="patrol_check")

    assert (escort.second_callback_required, patrol.second_callback_required) == (True, False)


def test_a_guards_callback_is_stored_once_per_id_and_a_reused_id_is_a_conflict(tenant):
    request = _arrived(tenant)
    data = GuardCallback(id=uuid.uuid4(), number_dialled=ON_FILE, outcome="reached", at=timezone.now())

    first, created = dispatch_callback(guard=tenant.guard, request_id=request.pk, data=data)
    again, created_again = dispatch_callback(guard=tenant.guard, request_id=request.pk, data=data)
    with pytest.raises(Exception, match="different callback") as reused:
        dispatch_callback(
            guard=tenant.guard, request_id=request.pk, data=GuardCallback(**{**data.__dict__, "outcome": "voicemail"})
        )

    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert reused.value.code == "idempotency_conflict"
    assert request.callbacks.filter(phase="on_arrival").count() == 1


# --- Cancelling ---------------------------------------------------------------------------


def test_a_cancelled_request_takes_no_more_steps(tenant):
    request = dispatched(tenant=tenant)

    service_request_cancel(request=request, by=tenant.manager, reason="Resident found their key")

    with pytest.raises(RequestNotOpen):
        dispatch_accept(guard=tenant.guard, request_id=request.pk)


# --- Timers -------------------------------------------------------------------------------


def test_a_p1_not_accepted_within_2_minutes_is_late_and_listed_on_the_board(tenant):
    request = dispatched(tenant=tenant, priority="P1")
    now = timezone.now()

    assert late_step(request, now=now + timedelta(minutes=1), targets=DEFAULT_TARGETS) is None
    late = late_step(request, now=now + timedelta(minutes=3), targets=DEFAULT_TARGETS)
    rows = dispatches_late(scope=scope_for(tenant.manager), now=now + timedelta(minutes=3))

    assert late is not None
    assert late.step == "accept"
    assert [row.request.pk for row in rows] == [request.pk]
    assert rows[0].minutes_late in (0, 1)


def test_a_p3_waiting_for_dispatch_is_late_after_an_hour_and_not_once_sent(tenant):
    request = new_request(tenant=tenant, priority="P3")
    later = timezone.now() + timedelta(minutes=61)

    assert late_step(request, now=later, targets=DEFAULT_TARGETS).step == "dispatch"
    request.status = RequestStatus.COMPLETED
    assert late_step(request, now=later, targets=DEFAULT_TARGETS) is None


def test_late_dispatches_are_read_in_two_queries_whatever_their_number(tenant, django_assert_num_queries):
    for _ in range(5):
        new_request(tenant=tenant, priority="P1")
    scope = scope_for(tenant.manager)

    with django_assert_num_queries(2):  # the requests, the company's targets
        rows = dispatches_late(scope=scope, now=timezone.now() + timedelta(hours=2))

    assert len(rows) == 5


def test_a_request_taken_during_a_call_points_at_it_and_another_clients_call_is_refused(tenant, other_tenant):
    call = call_open(by=tenant.manager, client_id=tenant.client.pk)
    foreign = call_open(by=other_tenant.manager, client_id=other_tenant.client.pk)

    request = new_request(tenant=tenant, call=call)
    with pytest.raises(ValidationFailed) as refused:
        new_request(tenant=tenant, call=foreign)

    assert list(call.service_requests.all()) == [request]
    assert (refused.value.code, refused.value.field) == ("call_not_of_client", "call")
    assert ServiceRequest.objects.filter(call=foreign).count() == 0

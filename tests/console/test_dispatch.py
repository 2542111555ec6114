"""The dispatch pages: the request list and its filters, a new request, callbacks, the gate's refusal, dispatch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.dispatch.models import RequestStatus, ServiceRequest
from tests import factories
from tests.console.conftest import htmx_fragment, signed_in
from tests.dispatching import ON_FILE, dispatched, known_requester, new_request, on_shift

pytestmark = pytest.mark.django_db


def test_the_list_shows_open_requests_and_filters_by_status_site_and_priority_in_the_url(tenant):
    known_requester(tenant=tenant)
    annex = factories.SiteFactory(client=tenant.client, name="Annex")
    urgent = new_request(tenant=tenant, priority="P1", location_text="Pool gate")
    at_annex = new_request(tenant=tenant, site=annex, location_text="Annex lobby")
    done = new_request(tenant=tenant, location_text="Roof hatch")
    done.status, done.cancelled_at = RequestStatus.CANCELLED, timezone.now()
    done.save()
    client = signed_in(tenant.manager)

    default = client.get("/console/dispatch").content.decode()
    by_priority = htmx_fragment(client, "/console/dispatch?priority=P1")
    by_site = htmx_fragment(client, f"/console/dispatch?site={annex.pk}")
    cancelled = htmx_fragment(client, "/console/dispatch?status=cancelled")

    assert "Pool gate" in default
    assert "Annex lobby" in default
    assert "Roof hatch" not in default
    assert f"request-{urgent.pk}" in by_priority
    assert f"request-{at_annex.pk}" not in by_priority
    assert f"request-{at_annex.pk}" in by_site
    assert f"request-{urgent.pk}" not in by_site
    assert "Roof hatch" in cancelled
    assert "Pool gate" not in cancelled


def test_the_list_costs_the_same_queries_for_2_requests_as_for_20(tenant, django_assert_max_num_queries):
    client = signed_in(tenant.manager)
    client.get("/console/dispatch")

    def queries(count):
        for _ in range(count):
            dispatched(tenant=tenant)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get("/console/dispatch").status_code == 200
        return len(captured)

    assert queries(2) == queries(18)


def test_a_new_request_is_taken_and_waits_on_its_callback(tenant):
    tenant.client_contact.phone = ON_FILE
    tenant.client_contact.save()
    client = signed_in(tenant.manager)
    form = {
        "site": tenant.site.pk,
        "kind": "lockout",
        "priority": "P2",
        "source": "phone",
        "location_text": "Building B, unit 12",
        "requester_contact": tenant.client_contact.pk,
        "callback_number": "",
    }

    response = client.post("/console/dispatch/new", form)

    request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/console/dispatch/{request.pk}"
    assert request.callback_number == ON_FILE  # the contact's number on file
    assert request.status == RequestStatus.CALLBACK_PENDING
    page = client.get(response["Location"]).content.decode()
    assert "every lockout needs one" in page


def test_a_new_request_without_where_shows_the_error_beside_the_field_and_stores_nothing(tenant):
    client = signed_in(tenant.manager)
    form = {"site": tenant.site.pk, "kind": "escort", "priority": "P1", "source": "phone", "requester_name": "Jo"}

    response = client.post("/console/dispatch/new", {**form, "callback_number": "404 555 0177"})

    assert response.status_code == 422
    assert "Say where on the site" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_a_voicemail_then_a_dispatch_is_refused_with_the_reason_and_a_person_reached_lets_it_through(tenant):
    request = new_request(tenant=tenant, kind="lockout")
    shift = on_shift(post=tenant.post, guard=tenant.guard)
    client = signed_in(tenant.manager)
    url = f"/console/dispatch/{request.pk}"

    client.post(f"{url}/callback", {"number_dialled": ON_FILE, "outcome": "voicemail"})
    refused = client.post(f"{url}/dispatch", {"shift": shift.pk})
    client.post(f"{url}/callback", {"number_dialled": ON_FILE, "outcome": "reached"})
    sent = client.post(f"{url}/dispatch", {"shift": shift.pk})

    assert refused.status_code == 409
    assert "A callback that reaches a person is required before dispatch" in refused.content.decode()
    assert "first request from this requester" in refused.content.decode()
    assert sent.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.DISPATCHED
    assert request.guard == tenant.guard
    page = client.get(url).content.decode()
    assert "Voicemail" in page
    assert "Reached a person" in page


def test_marking_suspicious_needs_a_reason_and_then_closes_the_gate(tenant):
    known_requester(tenant=tenant)
    request = new_request(tenant=tenant)
    client = signed_in(tenant.manager)

    empty = client.post(f"/console/dispatch/{request.pk}/suspicious", {"reason": ""})
    marked = client.post(f"/console/dispatch/{request.pk}/suspicious", {"reason": "Asked for the guard's name"})

    assert empty.status_code == 422
    assert marked.status_code == 302
    request.refresh_from_db()
    assert (request.suspicious, request.status) == (True, RequestStatus.CALLBACK_PENDING)


def test_a_guard_of_another_site_needs_a_reason_shown_beside_the_field(tenant):
    known_requester(tenant=tenant)
    request = new_request(tenant=tenant)
    annex_shift = on_shift(post=factories.PostFactory(site=factories.SiteFactory(client=tenant.client, name="Annex")))
    client = signed_in(tenant.manager)

    page = client.get(f"/console/dispatch/{request.pk}").content.decode()
    refused = client.post(f"/console/dispatch/{request.pk}/dispatch", {"shift": annex_shift.pk})

    assert "(another site)" in page
    assert refused.status_code == 422
    assert "say why you send them" in refused.content.decode()


def test_actions_are_post_only(tenant):
    request = new_request(tenant=tenant)
    client = signed_in(tenant.manager)

    for action in ("callback", "suspicious", "dispatch", "cancel"):
        assert client.get(f"/console/dispatch/{request.pk}/{action}").status_code == 405


def test_the_dispatcher_sees_the_second_callback_and_the_arrival_on_the_page(tenant):
    request = dispatched(tenant=tenant)
    request.status, request.accepted_at, request.arrived_at = RequestStatus.ARRIVED, timezone.now(), timezone.now()
    request.second_callback_required, request.arrival_distance_m = True, 2040.0
    request.save()

    page = signed_in(tenant.manager).get(f"/console/dispatch/{request.pk}").content.decode()

    assert "Pending" in page
    assert "2040 m from the fence" in page


def test_a_late_dispatch_is_on_the_live_board(tenant):
    request = dispatched(tenant=tenant, priority="P1")
    ServiceRequest.objects.filter(pk=request.pk).update(dispatched_at=timezone.now() - timedelta(minutes=5))

    board = htmx_fragment(signed_in(tenant.manager), "/console/live")

    assert "Late dispatches" in board
    assert f"#{request.pk} Patrol check" in board
    assert "waiting for the guard to accept" in board


def test_the_console_nav_has_dispatch(tenant):
    page = signed_in(tenant.manager).get("/console/dispatch").content.decode()

    assert 'href="/console/dispatch"' in page


def test_the_completion_photos_are_in_the_requests_timeline(tenant, settings, tmp_path):
    # given a guard who arrived, sent a photo from the scene and completed with it
    from django.core.files.uploadedfile import SimpleUploadedFile

    from backend.dispatch.services import dispatch_accept, dispatch_arrive, dispatch_complete, dispatch_photo_add
    from geofence.fixes import Fix
    from tests import geo
    from tests.mobile_api.test_photos import phone_jpeg

    settings.MEDIA_ROOT = tmp_path
    request = dispatched(tenant=tenant)
    dispatch_accept(guard=tenant.guard, request_id=request.pk)
    here = Fix(timezone.now(), geo.INSIDE_CENTER.x, geo.INSIDE_CENTER.y, 8.0)
    dispatch_arrive(guard=tenant.guard, request_id=request.pk, position=here)
    upload = SimpleUploadedFile("scene.jpg", phone_jpeg(), content_type="image/jpeg")
    photo = dispatch_photo_add(guard=tenant.guard, request_id=request.pk, upload=upload).photo
    dispatch_complete(guard=tenant.guard, request_id=request.pk, note="Let the resident in.", photo_ids=[photo.pk])

    # when the dispatcher opens the request
    page = signed_in(tenant.manager).get(f"/console/dispatch/{request.pk}").content.decode()

    # then the timeline says the completion had a photo and shows it, through the checked photo URL
    assert "(1 photo): Let the resident in." in page
    assert f'href="/dispatch-photos/{photo.pk}/display"' in page
    assert f'src="/dispatch-photos/{photo.pk}/thumbnail"' in page


TARGETS_FORM = {
    "P1_dispatch": "5", "P1_accept": "2", "P1_arrive": "15",
    "P2_dispatch": "15", "P2_accept": "5", "P2_arrive": "30",
    "P3_dispatch": "60", "P3_accept": "15", "P3_arrive": "90",
}  # fmt: skip


def test_a_manager_changes_the_timer_targets_and_the_board_uses_them(tenant):
    from backend.dispatch.selectors import timer_targets

    request = dispatched(tenant=tenant, priority="P1")
    ServiceRequest.objects.filter(pk=request.pk).update(dispatched_at=timezone.now() - timedelta(minutes=5))
    client = signed_in(tenant.manager)
    page = client.get("/console/dispatch/targets").content.decode()
    assert 'name="P1_accept"' in page
    assert 'value="2"' in page
    assert "Late dispatches" in htmx_fragment(client, "/console/live")

    saved = client.post("/console/dispatch/targets/save", {**TARGETS_FORM, "P1_accept": "10"}, follow=True)

    assert "Timer targets saved" in saved.content.decode()
    assert timer_targets(company_id=tenant.company.pk)["P1"].accept == 10
    assert "Late dispatches" not in htmx_fragment(client, "/console/live")


@pytest.mark.parametrize(
    ("changed", "field", "says"),
    [
        ({"P2_arrive": "3"}, "P2_arrive", "cannot be due before accepting"),
        ({"P3_dispatch": "0"}, "P3_dispatch", "greater than or equal to 1"),
        ({"P1_accept": "soon"}, "P1_accept", "Enter a whole number"),
        ({"P1_arrive": ""}, "P1_arrive", "This field is required"),
    ],
)
def test_a_wrong_target_is_an_error_beside_its_field_and_saves_nothing(tenant, changed, field, says):
    from backend.dispatch.policy import DEFAULT_TARGETS
    from backend.dispatch.selectors import timer_targets

    response = signed_in(tenant.manager).post(
        "/console/dispatch/targets/save", {**TARGETS_FORM, "P1_dispatch": "7", **changed}
    )

    assert response.status_code == 422
    assert says in str(response.context["form"].errors[field])
    assert "Nothing was saved" in response.content.decode()
    assert timer_targets(company_id=tenant.company.pk) == DEFAULT_TARGETS


def test_a_supervisor_reads_the_targets_but_cannot_change_them(tenant):
    from backend.sites.services import site_assignment_add

    supervisor = factories.SupervisorFactory(company=tenant.company)
    site_assignment_add(site=tenant.site, supervisor=supervisor, by=tenant.manager)
    client = signed_in(supervisor)

    page = client.get("/console/dispatch/targets").content.decode()
    refused = client.post("/console/dispatch/targets/save", TARGETS_FORM)

    assert "The company's managers set the targets." in page
    assert 'name="P1_accept"' not in page
    assert refused.status_code == 403


# --- A request from a client's call ---------------------------------------------------------


def _linked_call(tenant, **opened):
    from backend.calls.services import call_link
    from tests.call_builders import open_call

    tenant.client_contact.phone = ON_FILE
    tenant.client_contact.save()
    call = open_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact, **opened)
    return call_link(call=call, by=tenant.manager, site_id=tenant.site.pk)


def test_a_request_started_from_the_call_page_comes_with_the_call_its_site_and_caller(tenant):
    # given a verified caller's call about the tenant's site, and its page
    call = _linked_call(tenant)
    client = signed_in(tenant.manager)
    call_page = client.get(f"/console/calls/{call.pk}").content.decode()
    assert f'href="/console/dispatch/new?call={call.pk}"' in call_page

    # when the manager follows the link
    form = client.get(f"/console/dispatch/new?call={call.pk}").context["form"]

    # then the form has the call chosen and what it already knows filled in
    assert form["call"].value() == call.pk
    assert form["site"].value() == tenant.site.pk
    assert form["requester_contact"].value() == tenant.client_contact.pk
    assert form["callback_number"].value() == ON_FILE

    # and taking the request links it to the call, which lists it
    posted = {**{name: form[name].value() or "" for name in form.fields}, "kind": "lockout", "location_text": "Gate"}
    response = client.post("/console/dispatch/new", posted)
    request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert request.call == call
    assert f"#{request.pk} Lockout" in client.get(f"/console/calls/{call.pk}").content.decode()


def test_the_picker_offers_the_last_weeks_calls_of_the_viewer_and_accepts_an_older_one_opened_from(
    tenant, other_tenant
):
    from tests.call_builders import open_call

    recent = _linked_call(tenant)
    old = _linked_call(tenant, opened_at=timezone.now() - timedelta(days=10))
    theirs = open_call(by=other_tenant.manager, client=other_tenant.client, contact=other_tenant.client_contact)
    client = signed_in(tenant.manager)

    offered = [value for value, _ in client.get("/console/dispatch/new").context["form"].fields["call"].choices]
    from_old = [
        value for value, _ in client.get(f"/console/dispatch/new?call={old.pk}").context["form"].fields["call"].choices
    ]

    assert recent.pk in offered
    assert old.pk not in offered
    assert theirs.pk not in offered
    assert old.pk in from_old
    form = {"call": old.pk, "site": tenant.site.pk, "kind": "patrol_check", "source": "phone", "priority": "P3",
            "location_text": "Lobby", "requester_contact": tenant.client_contact.pk}  # fmt: skip
    assert client.post("/console/dispatch/new", form).status_code == 302
    assert ServiceRequest.objects.get().call == old


def test_another_clients_call_is_an_error_beside_the_call_and_another_companys_is_not_offered(tenant, other_tenant):
    from tests.call_builders import open_call

    other_client = factories.ClientFactory(company=tenant.company, name="Elsewhere Inc")
    elsewhere = open_call(by=tenant.manager, client=other_client)
    theirs = open_call(by=other_tenant.manager, client=other_tenant.client, contact=other_tenant.client_contact)
    client = signed_in(tenant.manager)
    form = {"site": tenant.site.pk, "kind": "patrol_check", "source": "phone", "priority": "P3",
            "location_text": "Lobby", "requester_name": "Jo", "callback_number": "404 555 0177"}  # fmt: skip

    other_clients = client.post("/console/dispatch/new", {**form, "call": elsewhere.pk})
    other_companys = client.post("/console/dispatch/new", {**form, "call": theirs.pk})

    assert other_clients.status_code == 422
    assert "Pick a call from" in str(other_clients.context["form"].errors["call"])
    assert other_companys.status_code == 422
    assert "Select a valid choice" in str(other_companys.context["form"].errors["call"])
    assert not ServiceRequest.objects.exists()
    # and opening the form from their call, or from no call at all, is a plain 404
    assert client.get(f"/console/dispatch/new?call={theirs.pk}").status_code == 404
    assert client.get("/console/dispatch/new?call=abc").status_code == 404

"""The call log in the console: the SOP screen, its errors on the form, the facts panel's
discretion with an unverified caller, follow-ups on the live board, insights and the CSV."""

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.calls.models import Call, CallStatus
from backend.calls.services import call_link, followup_create
from backend.rules.findings import FlagCode, Severity
from tests import factories
from tests.call_builders import closed_call, code, open_call
from tests.console.conftest import htmx_fragment, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(tenant):
    return signed_in(tenant.manager)


@pytest.fixture
def late_guard(tenant):
    """Today's shift at the tenant's site with a late clock-in, by a guard with a memorable name."""
    guard = factories.GuardFactory(company=tenant.company, first_name="Ottoline", last_name="Brackwater")
    shift = factories.ShiftFactory(post=tenant.post, guard=guard)
    factories.open_flag(shift=shift, code=FlagCode.LATE_CLOCK_IN, message="Ottoline Brackwater clocked in 25 min late.")
    report = factories.incident_report(shift=shift, narrative="Ottoline saw a van idling by Building C.")
    factories.open_flag(incident=report, code=FlagCode.LOCATION_MISSING, severity=Severity.WARNING)
    return shift, report


def test_opening_a_call_shows_the_clients_greeting_and_the_steps_in_order(tenant, manager):
    response = manager.post("/console/calls/new", {"client": tenant.client.pk, "channel": "phone"})

    call = Call.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/console/calls/{call.pk}"
    page = manager.get(response["Location"]).content.decode()
    steps = ["1. Greet", "2. Listen", "3. Verify the caller", "4. Advise", "5. Reassure", "6–8. Disposition"]
    assert [page.index(step) for step in steps] == sorted(page.index(step) for step in steps)
    assert call.greeting in page


def test_an_unknown_client_is_an_error_on_the_form(other_tenant, manager):
    response = manager.post("/console/calls/new", {"client": other_tenant.client.pk, "channel": "phone"})

    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Call.objects.exists()


def test_an_unverified_caller_hears_no_guard_names_and_the_panel_hides_them(tenant, manager, late_guard):
    call = open_call(by=tenant.manager, client=tenant.client)

    page = manager.get(f"/console/calls/{call.pk}").content.decode()

    assert "Do not share guard names or report contents" in page
    assert "Late clock-in" in page  # the fact is there...
    assert "Brackwater" not in page
    assert "van idling" not in page


def test_a_verified_caller_sees_the_facts_with_names(tenant, manager, late_guard):
    call = open_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)

    fragment = htmx_fragment(manager, f"/console/calls/{call.pk}/facts")

    assert "Ottoline Brackwater" in fragment
    assert "van idling" in fragment
    assert "Late clock-in" in fragment


def test_the_facts_panel_costs_the_same_queries_for_one_shift_as_for_ten(
    tenant, manager, django_assert_max_num_queries
):
    call = open_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)
    factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    url = f"/console/calls/{call.pk}/facts"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        manager.get(url, headers={"HX-Request": "true"})
    for _ in range(9):
        shift = factories.ShiftFactory(post=tenant.post)
        factories.open_flag(shift=shift, code=FlagCode.NO_SHOW)
        factories.incident_report(shift=shift)

    with django_assert_max_num_queries(len(one)):
        manager.get(url, headers={"HX-Request": "true"})


def test_verifying_with_neither_contact_nor_number_puts_the_error_beside_the_field(tenant, manager):
    call = open_call(by=tenant.manager, client=tenant.client)

    response = manager.post(f"/console/calls/{call.pk}/verify", {"caller_name": "Pat Doe", "caller_number": ""})

    assert response.status_code == 422
    assert "number is required" in response.content.decode()


def test_closing_without_a_comment_the_code_requires_is_refused_on_the_form(tenant, manager):
    call = open_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)
    asleep = code(tenant.client, "guard-out-of-position")

    response = manager.post(f"/console/calls/{call.pk}/close", {"disposition": asleep.pk, "summary": "Checked GPS."})

    assert response.status_code == 422
    assert "needs a comment" in response.content.decode()
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN


def test_linking_a_flagged_report_and_closing(tenant, manager, late_guard):
    _, report = late_guard
    call = open_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)

    manager.post(f"/console/calls/{call.pk}/link", {"incident": str(report.pk)})
    response = manager.post(
        f"/console/calls/{call.pk}/close",
        {"disposition": code(tenant.client, "guard-late").pk, "summary": "Guard was 25 minutes late; apologised."},
    )

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.incident == report
    assert call.site == tenant.site
    assert call.status == CallStatus.CLOSED
    page = manager.get(f"/console/calls/{call.pk}").content.decode()
    assert "A closed call is not edited" in page
    assert "Close the call" not in page


def test_a_closed_call_refuses_an_edit_with_a_4xx_and_takes_a_note(tenant, manager):
    call = closed_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)

    refused = manager.post(f"/console/calls/{call.pk}/steps", {"caller_words": "Rewritten"})
    noted = manager.post(f"/console/calls/{call.pk}/note", {"text": "Correction: it was Tuesday."})

    assert refused.status_code == 409
    assert "add a note" in refused.content.decode()
    assert noted.status_code == 302
    assert "Correction: it was Tuesday." in manager.get(f"/console/calls/{call.pk}").content.decode()


def test_an_unknown_action_or_a_get_is_not_a_500(tenant, manager):
    call = open_call(by=tenant.manager, client=tenant.client)

    assert manager.post(f"/console/calls/{call.pk}/delete", {}).status_code == 404
    assert manager.get(f"/console/calls/{call.pk}/close").status_code == 405
    assert manager.post(f"/console/calls/{call.pk}/followup", {"due_at": "soon"}).status_code == 422


def test_the_list_filters_by_reason_and_costs_the_same_queries_for_2_calls_as_for_12(
    tenant, manager, django_assert_max_num_queries
):
    closed_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact, disposition="praise")
    closed_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact, disposition="guard-late")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    praise = manager.get("/console/calls?reason_group=praise").content.decode()
    assert "Praise" in praise
    assert "Guard late" not in praise
    with CaptureQueriesContext(connection) as two:
        manager.get("/console/calls")
    for _ in range(10):
        open_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)
    with django_assert_max_num_queries(len(two)):
        manager.get("/console/calls")


def test_overdue_follow_ups_are_on_the_live_board(tenant, manager):
    call = open_call(by=tenant.manager, client=tenant.client, opened_at=timezone.now() - timedelta(hours=5))
    followup_create(
        call=call,
        by=tenant.manager,
        due_at=timezone.now() - timedelta(hours=1),
        owner_id=tenant.manager.pk,
        note="Ring the HOA president back",
    )

    page = manager.get("/console/live").content.decode()
    listing = manager.get("/console/calls/followups").content.decode()

    assert "1 call follow-up" in page
    assert "Ring the HOA president back" in page
    assert "Ring the HOA president back" in listing


def test_retiring_a_code_takes_it_out_of_the_picker(tenant, manager):
    praise = code(tenant.client, "praise")
    call = open_call(by=tenant.manager, client=tenant.client)

    manager.post("/console/calls/dispositions/retire", {"disposition": praise.pk})

    praise.refresh_from_db()
    assert praise.retired_at is not None
    assert f'value="{praise.pk}"' not in manager.get(f"/console/calls/{call.pk}").content.decode()


def test_adding_a_duplicate_code_is_an_error_beside_the_field(manager):
    response = manager.post(
        "/console/calls/dispositions", {"reason_group": "praise", "code": "praise", "label": "Thanks again"}
    )

    assert response.status_code == 422
    assert "has this code already" in response.content.decode()


def test_insights_count_preventable_calls_and_export_csv(tenant, manager, late_guard):
    call = closed_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact, disposition="guard-late")
    call_link_after_close = Call.objects.filter(pk=call.pk)
    call_link_after_close.update(site=tenant.site)  # the flag on the site came before the call
    closed_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact, disposition="praise")

    page = manager.get("/console/calls/insights").content.decode()
    csv_text = manager.get("/console/calls/insights.csv").content.decode()

    assert 'data-testid="total-calls">2<' in page
    assert 'data-testid="preventable-share">100%<' in page  # both: the client's site was flagged that day
    assert '<rect class="bar"' in page
    assert "in the 24 hours before it was opened" in page
    assert f"{tenant.client.name},guard_performance,1,1" in csv_text


def test_a_dismissed_flag_or_one_raised_after_the_call_makes_no_call_preventable(tenant, manager):
    from backend.calls.services import call_close
    from backend.flags.services import flag_dismiss

    dismissed = factories.open_flag(shift=factories.ShiftFactory(post=tenant.post), code=FlagCode.OUT_OF_POSITION)
    flag_dismiss(flag=dismissed, by=tenant.manager, reason="gps_drift")
    calls = []
    for _ in range(2):
        call = open_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)
        calls.append(call_link(call=call, by=tenant.manager, site_id=tenant.site.pk))
    praise = code(tenant.client, "praise").pk
    call_close(call=calls[0], by=tenant.manager, disposition_id=praise, summary="Thanks.")
    factories.open_flag(shift=factories.ShiftFactory(post=tenant.post), code=FlagCode.NO_SHOW)
    call_close(call=calls[1], by=tenant.manager, disposition_id=praise, summary="Thanks.")

    page = manager.get("/console/calls/insights").content.decode()

    # The first call had only a dismissed flag before it; the second a flag raised after it was opened.
    assert 'data-testid="preventable-share">0%<' in page

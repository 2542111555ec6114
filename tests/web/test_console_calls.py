"""The call log in a real browser: an unverified caller hears no names; verified, linked to a flagged
report and closed with a disposition; and the insights page after seed_demo draws its charts."""

from datetime import UTC

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from backend.calls.models import Call, CallStatus
from backend.rules.findings import FlagCode
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username, password="pw-for-tests", next_url="/console/calls"):  # noqa: S107
    page.goto(f"{live_server.url}/console/login?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}{next_url}")


def test_a_call_from_an_unverified_caller_then_verified_linked_and_closed(page, live_server, tenant):
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    # given a guard who clocked in late today and filed a report the rules flagged
    guard = factories.GuardFactory(company=tenant.company, first_name="Ottoline", last_name="Brackwater")
    shift = factories.ShiftFactory(post=tenant.post, guard=guard)
    factories.open_flag(shift=shift, code=FlagCode.LATE_CLOCK_IN, message="Ottoline Brackwater was 25 min late.")
    report = factories.incident_report(shift=shift, narrative="A van idled by Building C for an hour.")
    factories.open_flag(incident=report, code=FlagCode.LOCATION_MISSING)

    # when the manager logs a call from the client
    _sign_in(page, live_server, tenant.manager.username)
    page.get_by_test_id("new-call").click()
    page.get_by_label("Client").select_option(label=tenant.client.name)
    page.get_by_role("button", name="Open the call").click()
    page.wait_for_url(f"{live_server.url}/console/calls/*")
    assert tenant.client.name in page.get_by_test_id("greeting").inner_text()
    page.get_by_label("The caller's words").fill("Your guard was late again this morning.")
    page.get_by_role("button", name="Save").first.click()
    # from someone not on file
    page.get_by_label("Unknown caller's name").fill("Pat Doe")
    page.get_by_label("Call-back number").fill("+1 404 555 0101")
    page.get_by_role("button", name="Record the caller").click()

    # then the page says what may not be shared, and the facts hide it
    assert "Do not share guard names or report contents" in page.get_by_test_id("unverified-warning").inner_text()
    facts = page.get_by_test_id("facts").inner_text()
    assert "Late clock-in" in facts
    assert "Brackwater" not in facts
    assert "van idled" not in facts

    # when the caller turns out to be the client's contact, and the call is linked to the flagged report
    page.get_by_label(f"A contact of {tenant.client.name} (verified)").select_option(label=str(tenant.client_contact))
    page.get_by_role("button", name="Record the caller").click()
    assert "Ottoline Brackwater" in page.get_by_test_id("facts").inner_text()
    assert page.get_by_test_id("unverified-warning").count() == 0
    page.locator("#id_incident").select_option(value=str(report.pk))
    page.get_by_role("button", name="Link").click()
    assert "Zz-Noise" in page.get_by_test_id("linked-report").inner_text()

    # and closes it with a disposition and the summary read back
    page.get_by_label("6. Disposition code").select_option(label="Guard performance: Guard late")
    page.get_by_label("7. Summary").fill("The guard clocked in 25 minutes late; we apologised and will coach him.")
    page.get_by_role("button", name="Close the call").click()

    # then the call is closed, on the record, and no longer editable
    assert "Guard late" in page.get_by_test_id("disposition").inner_text()
    call = Call.objects.get()
    assert call.status == CallStatus.CLOSED
    assert call.incident_id == report.pk
    assert call.caller_verified
    assert call.prior_flag is not None  # the rules had flagged it before the call: preventable
    assert problems == []


def test_the_insights_page_after_seed_demo_draws_its_charts(page, live_server):
    call_command("seed_demo", now=timezone.now().astimezone(UTC), verbosity=0)

    _sign_in(page, live_server, "manager", settings.DEMO_PASSWORD, "/console/calls/insights")

    assert int(page.get_by_test_id("total-calls").inner_text()) > 100
    assert page.get_by_test_id("chart-by-group").locator("rect.bar").count() >= 12
    assert page.get_by_test_id("chart-clients").locator("polyline.series").count() >= 2
    assert "%" in page.get_by_test_id("preventable-share").inner_text()
    assert page.get_by_test_id("followup-median").inner_text().endswith("h")

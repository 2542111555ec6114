"""A manager resolves today's no-show with a replacement guard, in a real browser."""

import pytest

from backend.rules.findings import FlagCode, Severity
from backend.staffing.models import Shift
from tests import factories
from tests.conftest import api_client_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_replaces_a_no_show_and_the_replacement_guard_gets_the_shift(page, live_server, tenant):
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    # given a shift that began an hour ago with nobody clocked in, flagged a no-show
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    factories.open_flag(
        shift=shift, code=FlagCode.NO_SHOW, severity=Severity.CRITICAL, message="Nobody clocked in at the front desk."
    )
    stand_in = factories.GuardFactory(company=tenant.company, first_name="Robin", last_name="Standin")

    # when the manager signs in and opens today's attendance exceptions
    page.goto(f"{live_server.url}/console/login?next=/console/attendance")
    page.get_by_label("Username").fill(tenant.manager.username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/console/attendance")
    row = page.get_by_test_id(f"exception-{shift.flags.get().pk}")
    assert "No-show" in row.inner_text()
    assert "Open" in row.inner_text()

    # and assigns the stand-in as the replacement
    row.get_by_role("link", name="Resolve").click()
    page.get_by_label("Replacement guard").select_option(label=str(stand_in))
    page.get_by_role("button", name="Assign replacement").click()

    # then the list shows the exception resolved with the replacement
    page.wait_for_url(f"{live_server.url}/console/attendance?day=*")
    assert "Replacement assigned" in page.get_by_test_id(f"exception-{shift.flags.get().pk}").inner_text()
    assert "Robin Standin" in page.get_by_text("replaces").inner_text()
    # and the replacement shift is on the stand-in's phone
    replacement = Shift.objects.get(guard=stand_in)
    assert replacement.scheduled_end == shift.scheduled_end
    listed = api_client_for(stand_in).get_json("/shifts").json()
    assert [item["id"] for item in listed] == [replacement.pk]
    assert problems == []

"""A manager reviews a flagged report in a real browser: filter, open, map, return, amendment, approve."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.flags.models import Flag, FlagStatus
from backend.incidents.models import IncidentReport, IncidentStatus
from tests import factories, geo
from tests.conftest import api_client_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _position(where):
    return {"lat": where.y, "lon": where.x, "accuracy_m": 8.0, "recorded_at": timezone.now().isoformat()}


def _body(where, narrative):
    return {
        "type": "trespass",
        "occurred_at": (timezone.now() - timedelta(minutes=20)).isoformat(),
        "position": _position(where),
        "location_detail": "North stairwell, level 2",
        "narrative": narrative,
    }


def test_a_manager_returns_a_flagged_report_and_approves_the_amendment(page, live_server, tenant):
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    guard_phone = api_client_for(tenant.guard)
    report_id = uuid.uuid4()
    filed = guard_phone.post_json(
        "/incidents",
        {"id": str(report_id), "shift_id": shift.pk, **_body(geo.OUTSIDE_50M, "Man sleeping in the stairwell.")},
    )
    assert filed.status_code in (200, 201), filed.content
    factories.incident_report(shift=shift, narrative="Quiet night, nothing to add.")  # an unflagged one
    assert Flag.objects.filter(incident_id=report_id, status=FlagStatus.OPEN).exists()

    # given a signed-in manager on the queue
    page.goto(f"{live_server.url}/console/login")
    page.get_by_label("Username").fill(tenant.manager.username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/console/reports")

    # when they show only the reports with open flags (htmx swaps the table, the URL follows)
    page.get_by_label("Open flags").select_option("open")
    page.wait_for_url("**/console/reports?*flags=open*")
    rows = page.get_by_test_id("queue-row")
    rows.filter(has_text="Quiet night").wait_for(state="detached")
    assert rows.count() == 1

    # and open the flagged report: its flags, and the map with the fence drawn
    rows.first.get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/console/reports/{report_id}")
    assert page.get_by_test_id("flag-OUTSIDE_GEOFENCE").is_visible()
    # (the fence is drawn in the "info" blue; the report's position and its accuracy circle in red)
    page.locator('.leaflet-container path.leaflet-interactive[stroke="#2b5ea7"]').first.wait_for()
    page.locator('.leaflet-container path.leaflet-interactive[stroke="#c0262d"]').first.wait_for()

    # and return it with a comment
    page.get_by_label("What must the guard correct?").fill("You filed from outside the fence: where were you?")
    page.get_by_role("button", name="Return for correction").click()
    page.get_by_text("Returned to the guard for correction.").wait_for()

    # then the guard sees the comment on the phone and amends the report from inside the site
    detail = guard_phone.get_json(f"/incidents/{report_id}").json()
    assert detail["status"] == "returned"
    assert "where were you?" in str(detail["comments"])
    amended = guard_phone.put_json(
        f"/incidents/{report_id}", _body(geo.INSIDE_CENTER, "Man sleeping in the north stairwell; he left by gate B.")
    )
    assert amended.status_code == 200, amended.content

    # and the amendment is back in the queue, with the diff on the report page
    page.goto(f"{live_server.url}/console/reports?status=submitted")
    page.get_by_test_id("queue-row").filter(has_text="north stairwell").get_by_role("link").click()
    history = page.get_by_test_id("revision-history")
    assert "amended by the guard" in history.inner_text()
    assert "he left by gate B" in history.inner_text()

    # and the manager approves it
    page.get_by_role("button", name="Approve").click()
    page.get_by_test_id("approved-by").wait_for()
    assert IncidentReport.objects.get(pk=report_id).status == IncidentStatus.APPROVED
    assert problems == []

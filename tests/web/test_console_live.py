"""A manager watches the live board in a real browser and acknowledges a guard's panic alert."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from tests import geo
from tests.console.live_helpers import ping, shift_on_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTSIDE_EAST = geo.point(600, 100)


def test_a_manager_sees_a_guard_out_of_position_and_acknowledges_a_panic_alert(page, live_server, tenant, guard_api):
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    tenant.guard.first_name, tenant.guard.last_name, tenant.guard.phone = "Marcus", "Reed", "+1 555 0142"
    tenant.guard.save()
    shift = shift_on_now(post=tenant.post, guard=tenant.guard)
    ping(shift, OUTSIDE_EAST, fence="outside", distance_m=400, ago=timedelta(minutes=1))
    # the guard presses panic on the phone (the mobile API)
    pressed = guard_api.post_json(
        "/alerts/panic",
        {
            "id": str(uuid.uuid4()),
            "position": {"lat": OUTSIDE_EAST.y, "lon": OUTSIDE_EAST.x, "accuracy_m": 9.0,
                         "recorded_at": timezone.now().isoformat()},
        },
    )  # fmt: skip
    assert pressed.status_code == 201, pressed.json()

    # given the manager signed in, on the live board
    page.goto(f"{live_server.url}/console/login?next=/console/live")
    page.get_by_label("Username").fill(tenant.manager.username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/console/live")

    # then Marcus is on the board, outside the fence, and on the map
    row = page.get_by_test_id("live-row").filter(has_text="Marcus Reed")
    assert "Outside" in row.get_by_test_id("fence-now").inner_text()
    page.wait_for_selector('[data-testid="live-map"][data-guards="1"]')

    # when the manager opens the alerts and acknowledges the panic
    page.get_by_role("link", name="Alerts to acknowledge").click()
    waiting = page.get_by_test_id("unacknowledged").get_by_test_id("alert").filter(has_text="Panic: Marcus Reed")
    assert "+1 555 0142" in waiting.inner_text()
    waiting.get_by_role("button", name="Acknowledge").click()

    # then it leaves the waiting list and shows who took it
    handled = page.get_by_test_id("acknowledged").get_by_test_id("alert").filter(has_text="Panic: Marcus Reed")
    handled.wait_for()
    assert f"acknowledged by {tenant.manager}" in handled.inner_text()
    assert page.get_by_test_id("unacknowledged").get_by_text("Nothing waits for a person.").is_visible()
    assert problems == []


def test_clicking_a_guard_on_the_live_map_draws_todays_track(page, live_server, tenant):
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    shift = shift_on_now(post=tenant.post, guard=tenant.guard)
    # three breadcrumbs today: the gate, a walk east, then out past the fence (the last is where the guard is now)
    fixes = [(20, geo.INSIDE_CENTER, "inside"), (10, geo.point(150, 100), "inside"), (1, OUTSIDE_EAST, "outside")]
    for minutes, where, fence in fixes:
        ping(shift, where, fence=fence, ago=timedelta(minutes=minutes))

    # given the manager on the live board, the guard's dot on the map
    page.goto(f"{live_server.url}/console/login?next=/console/live")
    page.get_by_label("Username").fill(tenant.manager.username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").click()
    live_map = page.get_by_test_id("live-map")
    page.wait_for_selector('[data-testid="live-map"][data-guards="1"]')
    assert live_map.get_attribute("data-track") is None  # no track before a click

    # when the manager clicks the guard's dot (the canvas draws it where the last fix is)
    x, y = page.evaluate(
        """([lat, lon]) => {
            const map = document.querySelector('[data-testid="live-map"]').guardopsMap;
            const point = map.latLngToContainerPoint([lat, lon]);
            return [point.x, point.y];
        }""",
        [OUTSIDE_EAST.y, OUTSIDE_EAST.x],
    )
    live_map.click(position={"x": x, "y": y})

    # then the track is drawn: one line through the three fixes, and a dot per fix
    page.wait_for_selector('[data-testid="live-map"][data-track="4"]')
    line_points = page.evaluate(
        """() => {
            const counts = [];
            const map = document.querySelector('[data-testid="live-map"]').guardopsMap;
            map.eachLayer((layer) => {
                const line = layer instanceof L.Polyline && !(layer instanceof L.Polygon);
                if (line) counts.push(layer.getLatLngs().length);
            });
            return counts;
        }"""
    )
    assert line_points == [3]
    assert problems == []

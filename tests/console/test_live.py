"""The live board and its alerts, as a manager uses them (console/views/live.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backend.attendance.selectors import alerts_open, live_board
from backend.flags.models import AlertNote, Flag, FlagAcknowledgement, FlagStatus
from backend.rules.findings import FlagCode, Severity
from backend.sites.scopes import scope_for
from backend.staffing.models import GuardQualification, PostRequirement, Qualification, ShiftStatus
from backend.staffing.selectors import qualification_warnings_visible
from backend.tracking.models import PanicAlert
from tests import factories, geo
from tests.console.conftest import signed_in
from tests.console.live_helpers import panic, ping, shift_on_now

pytestmark = pytest.mark.django_db

OUTSIDE_EAST = geo.point(600, 100)


def _guard(tenant, first_name):
    return factories.GuardFactory(company=tenant.company, first_name=first_name, last_name="Test", phone="+1 555 0100")


def _critical_flag(shift, message="Left the site 12 minutes ago.", raised_ago=timedelta(minutes=2)):
    return Flag.objects.create(
        company=shift.post.site.client.company, shift=shift, code=FlagCode.OUT_OF_POSITION,
        severity=Severity.CRITICAL, message=message, raised_at=timezone.now() - raised_ago,
    )  # fmt: skip


# --- The board -------------------------------------------------------------------------------


def test_the_board_shows_each_guards_fence_state_now_with_the_age_of_the_fix(tenant):
    inside = shift_on_now(post=tenant.post, guard=_guard(tenant, "Ines"))
    ping(inside, geo.INSIDE_CENTER, fence="inside", ago=timedelta(seconds=40))
    outside = shift_on_now(post=tenant.post, guard=_guard(tenant, "Omar"))
    ping(outside, OUTSIDE_EAST, fence="outside", distance_m=400, ago=timedelta(minutes=2))
    silent = shift_on_now(post=tenant.post, guard=_guard(tenant, "Sid"))
    ping(silent, fence="inside", ago=timedelta(minutes=25))

    page = signed_in(tenant.manager).get("/console/live").content.decode()

    rows = {
        row.shift.guard_name.split()[0]: row
        for row in live_board(scope=scope_for(tenant.manager), now=timezone.now()).rows
    }
    assert rows["Ines"].fence_now == "inside"
    assert rows["Omar"].fence_now == "outside"
    assert rows["Sid"].fence_now == "no_signal"  # a 25-minute-old fix says nothing about now
    assert "Outside" in page
    assert "fix 2 min old" in page
    assert "No signal" in page
    assert "fix 25 min old" in page


def test_late_and_no_show_shifts_come_first_and_upcoming_ones_are_on_the_board(tenant):
    now = timezone.now()
    on_shift = shift_on_now(post=tenant.post, guard=_guard(tenant, "Early"), started_ago=timedelta(hours=3))
    late = factories.ShiftFactory(
        post=tenant.post, guard=_guard(tenant, "Late"), scheduled_start=now - timedelta(minutes=20)
    )
    soon = factories.ShiftFactory(
        post=tenant.post, guard=_guard(tenant, "Soon"), scheduled_start=now + timedelta(minutes=90)
    )
    later = factories.ShiftFactory(
        post=tenant.post, guard=_guard(tenant, "Tomorrow"), scheduled_start=now + timedelta(hours=5)
    )

    rows = live_board(scope=scope_for(tenant.manager), now=now).rows

    assert [row.shift.pk for row in rows] == [late.pk, on_shift.pk, soon.pk]
    assert rows[0].state == "late"
    assert rows[0].coverage == 0.0
    assert later.pk not in [row.shift.pk for row in rows]
    page = signed_in(tenant.manager).get("/console/live").content.decode()
    assert "Late: not clocked in" in page
    assert "Starts soon" in page


def test_coverage_is_the_clocked_in_share_of_the_scheduled_time_so_far(tenant):
    now = timezone.now()
    shift = factories.ShiftFactory(
        post=tenant.post, scheduled_start=now - timedelta(hours=2), status=ShiftStatus.IN_PROGRESS,
        clock_in_at=now - timedelta(hours=1),
    )  # fmt: skip

    (row,) = live_board(scope=scope_for(tenant.manager), now=now).rows

    assert row.shift.pk == shift.pk
    assert row.coverage_percent == 50


def test_the_board_shows_open_flags_and_tour_progress(tenant):
    shift = shift_on_now(post=tenant.post)
    tenant.post.tour_interval_minutes = 60
    tenant.post.save()
    gate = factories.CheckpointFactory(site=tenant.site, name="Gate")
    factories.CheckpointFactory(site=tenant.site, name="Dock")
    import uuid

    from backend.tracking.models import CheckpointScan

    moment = timezone.now() - timedelta(minutes=10)
    CheckpointScan.objects.create(
        id=uuid.uuid4(), checkpoint=gate, guard=shift.guard, shift=shift, recorded_at=moment, received_at=moment
    )
    _critical_flag(shift)

    page = signed_in(tenant.manager).get("/console/live").content.decode()

    assert "1 of 2 this round" in page
    assert "OUT_OF_POSITION" in page


def test_the_board_refresh_costs_the_same_queries_for_3_shifts_as_for_40(tenant, django_assert_max_num_queries):
    client = signed_in(tenant.manager)
    tenant.post.tour_interval_minutes = 30
    tenant.post.save()

    def board_queries(count):
        for _ in range(count):
            shift = shift_on_now(post=tenant.post)
            ping(shift)
            _critical_flag(shift)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = client.get("/console/live", headers={"HX-Request": "true"})
        assert response.status_code == 200
        return len(captured)

    client.get("/console/live")  # the first request of a session writes it; refreshes do not
    few = board_queries(3)
    many = board_queries(37)
    assert few == many
    with django_assert_max_num_queries(few):
        client.get("/console/live", headers={"HX-Request": "true"})


def test_the_refresh_answers_the_board_fragment_to_htmx(tenant):
    shift_on_now(post=tenant.post)
    client = signed_in(tenant.manager)

    fragment = client.get("/console/live", headers={"HX-Request": "true"})
    whole = client.get("/console/live")

    assert 'hx-trigger="every 10s"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert "<html" in whole.content.decode()
    assert "HX-Request" in fragment["Vary"]


def test_a_supervisor_sees_only_the_shifts_of_their_sites(world):
    mine = shift_on_now(post=world.tenant.post)
    elsewhere = shift_on_now(post=factories.PostFactory(site=world.second_site))

    rows = live_board(scope=scope_for(world.supervisor), now=timezone.now()).rows

    assert [row.shift.pk for row in rows] == [mine.pk]
    assert elsewhere.pk not in [row.shift.pk for row in rows]


# --- Map data ----------------------------------------------------------------------------------


def test_the_map_has_the_fence_and_each_guard_coloured_by_state_with_a_track_link(tenant):
    shift = shift_on_now(post=tenant.post, guard=_guard(tenant, "Omar"))
    ping(shift, OUTSIDE_EAST, fence="outside", distance_m=400)

    data = signed_in(tenant.manager).get("/console/live/positions").json()

    kinds = {feature["properties"]["kind"]: feature for feature in data["features"]}
    assert kinds["fence"]["geometry"]["type"] == "MultiPolygon"
    guard = kinds["guard"]
    assert guard["properties"]["status"] == "critical"
    assert "Omar" in guard["properties"]["label"]
    assert "Outside" in guard["properties"]["label"]
    assert guard["properties"]["track_url"] == f"/console/live/track/{shift.pk}"


def test_a_guards_track_is_the_shifts_breadcrumbs_in_order(tenant):
    shift = shift_on_now(post=tenant.post)
    ping(shift, geo.INSIDE_CENTER, ago=timedelta(minutes=20))
    ping(shift, OUTSIDE_EAST, fence="outside", ago=timedelta(minutes=5))

    data = signed_in(tenant.manager).get(f"/console/live/track/{shift.pk}").json()

    line = data["features"][0]
    assert line["geometry"]["type"] == "LineString"
    assert line["geometry"]["coordinates"] == [
        [geo.INSIDE_CENTER.x, geo.INSIDE_CENTER.y],
        [OUTSIDE_EAST.x, OUTSIDE_EAST.y],
    ]
    assert [f["properties"]["status"] for f in data["features"][1:]] == ["ok", "critical"]


# --- Alerts ------------------------------------------------------------------------------------


def test_unacknowledged_critical_alerts_come_first_oldest_first_with_their_age(tenant):
    shift = shift_on_now(post=tenant.post, guard=_guard(tenant, "Pia"))
    warning = Flag.objects.create(
        company=tenant.company, shift=shift, code=FlagCode.INACTIVITY, severity=Severity.WARNING,
        message="No movement for 40 minutes.", raised_at=timezone.now() - timedelta(minutes=30),
    )  # fmt: skip
    critical = _critical_flag(shift, raised_ago=timedelta(minutes=5))
    alert = panic(shift, ago=timedelta(minutes=12))

    alerts = alerts_open(scope=scope_for(tenant.manager), now=timezone.now())
    page = signed_in(tenant.manager).get("/console/live/alerts").content.decode()

    assert [(a.kind, a.id) for a in alerts] == [
        ("panic", str(alert.pk)),
        ("flag", str(critical.pk)),
        ("flag", str(warning.pk)),
    ]
    assert "waiting 12 min" in page
    assert 'href="tel:+1 555 0100"' in page  # the number to call


def test_a_panic_alert_shows_the_guards_live_position(tenant):
    shift = shift_on_now(post=tenant.post)
    panic(shift, geo.INSIDE_CENTER, ago=timedelta(minutes=3))
    ping(shift, OUTSIDE_EAST, fence="outside", ago=timedelta(seconds=20))

    page = signed_in(tenant.manager).get("/console/live/alerts").content.decode()

    assert f"{OUTSIDE_EAST.y:.6f}, {OUTSIDE_EAST.x:.6f}" in page  # the last fix, after the press
    assert "Live position" in page


def test_acknowledging_a_panic_alert_records_who_and_moves_it_out_of_the_waiting_list(tenant):
    alert = panic(shift_on_now(post=tenant.post))
    client = signed_in(tenant.manager)

    response = client.post(
        f"/console/live/alerts/panic/{alert.pk}/acknowledge", {"note": "Calling him"}, headers={"HX-Request": "true"}
    )

    alert.refresh_from_db()
    assert alert.acknowledged_by == tenant.manager
    assert alert.acknowledgement_note == "Calling him"
    page = response.content.decode()
    waiting, handled = page.split('data-testid="acknowledged"')
    assert str(alert.pk) not in waiting
    assert str(alert.pk) in handled


def test_a_second_manager_acknowledging_is_told_who_took_it(tenant):
    alert = panic(shift_on_now(post=tenant.post))
    other = factories.ManagerFactory(company=tenant.company)
    signed_in(tenant.manager).post(f"/console/live/alerts/panic/{alert.pk}/acknowledge")

    response = signed_in(other).post(f"/console/live/alerts/panic/{alert.pk}/acknowledge")

    assert response.status_code == 409
    assert "already acknowledged by" in response.content.decode()


def test_resolving_a_panic_alert_needs_an_outcome_and_takes_it_off_the_list(tenant):
    alert = panic(shift_on_now(post=tenant.post))
    client = signed_in(tenant.manager)
    client.post(f"/console/live/alerts/panic/{alert.pk}/acknowledge")

    refused = client.post(f"/console/live/alerts/panic/{alert.pk}/resolve", {"outcome": "", "note": ""})
    done = client.post(
        f"/console/live/alerts/panic/{alert.pk}/resolve", {"outcome": "handled_on_site", "note": "Safe."}
    )

    assert refused.status_code == 422
    alert.refresh_from_db()
    assert alert.outcome == "handled_on_site"
    assert alert.resolved_by == tenant.manager
    assert done.status_code == 302
    assert str(alert.pk) not in client.get("/console/live/alerts").content.decode()


def test_a_note_on_a_panic_alert_is_kept_and_shown_and_an_empty_one_is_refused(tenant):
    alert = panic(shift_on_now(post=tenant.post))
    client = signed_in(tenant.manager)

    client.post(f"/console/live/alerts/panic/{alert.pk}/note", {"text": "Backup sent from gate 2."})
    empty = client.post(f"/console/live/alerts/panic/{alert.pk}/note", {"text": "  "}, headers={"HX-Request": "true"})

    assert (
        AlertNote.objects.filter(panic_alert_id=alert.pk).values_list("text", flat=True).get()
        == "Backup sent from gate 2."
    )
    assert "Backup sent from gate 2." in empty.content.decode()
    assert 'class="errorlist"' in empty.content.decode()


def test_acknowledging_a_critical_flag_records_who_and_when_and_keeps_it_open(tenant):
    flag = _critical_flag(shift_on_now(post=tenant.post))
    client = signed_in(tenant.manager)

    client.post(f"/console/live/alerts/flag/{flag.pk}/acknowledge", {"note": "Supervisor called"})
    again = signed_in(factories.ManagerFactory(company=tenant.company)).post(
        f"/console/live/alerts/flag/{flag.pk}/acknowledge"
    )

    acknowledgement = FlagAcknowledgement.objects.get(flag=flag)
    assert acknowledgement.acknowledged_by == tenant.manager
    assert acknowledgement.note == "Supervisor called"
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    assert again.status_code == 409


def test_resolving_a_flag_from_the_alerts_closes_it_with_a_note(tenant):
    flag = _critical_flag(shift_on_now(post=tenant.post))
    client = signed_in(tenant.manager)

    client.post(f"/console/live/alerts/flag/{flag.pk}/note", {"text": "Guard back at post."})
    client.post(f"/console/live/alerts/flag/{flag.pk}/resolve", {"note": "Handled."})

    flag.refresh_from_db()
    assert flag.status == FlagStatus.RESOLVED
    assert flag.resolved_by == tenant.manager
    assert AlertNote.objects.get(flag=flag).text == "Guard back at post."


def test_the_alerts_list_costs_the_same_queries_for_2_alerts_as_for_20(tenant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(tenant.manager)

    def alert_queries(count):
        for _ in range(count):
            shift = shift_on_now(post=tenant.post)
            alert = panic(shift)
            AlertNote.objects.create(company=tenant.company, panic_alert_id=alert.pk, author=tenant.manager, text="n")
            _critical_flag(shift)
        with CaptureQueriesContext(connection) as captured:
            client.get("/console/live/alerts", headers={"HX-Request": "true"})
        return len(captured)

    client.get("/console/live/alerts")  # the first request of a session writes it; refreshes do not
    assert alert_queries(1) == alert_queries(10)


def test_a_panic_flag_is_not_listed_twice_beside_its_alert(tenant):
    shift = shift_on_now(post=tenant.post)
    alert = panic(shift)
    Flag.objects.create(
        company=tenant.company, shift=shift, code=FlagCode.PANIC, key=str(alert.pk), severity=Severity.CRITICAL,
        message="Panic.", raised_at=timezone.now(),
    )  # fmt: skip

    alerts = alerts_open(scope=scope_for(tenant.manager), now=timezone.now())

    assert [a.kind for a in alerts] == ["panic"]
    assert PanicAlert.objects.count() == 1


def test_the_demo_has_a_guard_out_of_position_now_and_a_panic_waiting(settings):
    from django.core.management import call_command

    from backend.accounts.models import User

    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent: still one alert
    manager = User.objects.get(username="manager")

    rows = live_board(scope=scope_for(manager), now=timezone.now()).rows
    alerts = alerts_open(scope=scope_for(manager), now=timezone.now())

    assert any(row.fence_now == "outside" for row in rows)
    panics = [alert for alert in alerts if alert.kind == "panic"]
    assert len(panics) == 1
    assert not panics[0].acknowledged
    assert panics[0].guard.phone


def test_the_whole_company_board_lists_every_shift_of_every_site_quiet_ones_too(tenant):
    other_site = factories.SiteFactory(client=tenant.client, geofence=geo.SITE_SQUARE, name="Harbour lot")
    for name in ("Quinn", "Quill", "Quade"):
        ping(shift_on_now(post=tenant.post, guard=_guard(tenant, name)), fence="inside")
    away = shift_on_now(post=factories.PostFactory(site=other_site), guard=_guard(tenant, "Omar"))
    ping(away, OUTSIDE_EAST, fence="outside", distance_m=400)

    page = signed_in(tenant.manager).get("/console/live").content.decode()

    assert all(f"{name} Test" in page for name in ("Quinn", "Quill", "Quade", "Omar"))
    assert page.count('data-testid="live-row"') == 4
    assert page.count('data-testid="live-site"') == 2


def test_the_board_escapes_what_people_typed(tenant):
    guard = factories.GuardFactory(company=tenant.company, first_name="<script>alert(1)</script>", last_name="X")
    post = factories.PostFactory(site=tenant.site, name='Gate "A" & <b>dock</b>')
    shift_on_now(post=post, guard=guard)

    page = signed_in(tenant.manager).get("/console/live").content.decode()

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; X" in page
    assert "Gate &quot;A&quot; &amp; &lt;b&gt;dock&lt;/b&gt;" in page


# --- Qualification warnings ----------------------------------------------------------------------


def _requires_cpr(post) -> Qualification:
    qualification = Qualification.objects.get(company=post.site.client.company, code="cpr-first-aid")
    PostRequirement.objects.get_or_create(post=post, qualification=qualification)
    return qualification


def _cpr_expiring(guard, qualification, *, in_days: int) -> None:
    today = timezone.localdate()
    GuardQualification.objects.create(
        guard=guard, qualification=qualification, issued_on=today - timedelta(days=700),
        expires_on=today + timedelta(days=in_days),
    )  # fmt: skip


def _scheduled_in(post, guard, *, days: int):
    start = timezone.now() + timedelta(days=days)
    return factories.ShiftFactory(
        post=post, guard=guard, scheduled_start=start, scheduled_end=start + timedelta(hours=8)
    )


def test_a_qualification_lapsing_before_a_scheduled_shift_is_on_the_board_with_a_row_badge(tenant):
    cpr = _requires_cpr(tenant.post)
    ines = _guard(tenant, "Ines")
    _cpr_expiring(ines, cpr, in_days=12)
    now_shift = shift_on_now(post=tenant.post, guard=ines)
    later = _scheduled_in(tenant.post, ines, days=20)
    fine = _guard(tenant, "Fiona")
    _cpr_expiring(fine, cpr, in_days=400)
    shift_on_now(post=tenant.post, guard=fine)

    page = signed_in(tenant.manager).get("/console/live").content.decode()

    expires = (timezone.localdate() + timedelta(days=12)).isoformat()
    assert f"CPR / first aid expires on {expires}" in page
    assert page.count('data-testid="qualification-warning"') == 2  # the shift now and the one in 20 days
    assert f'data-shift="{later.pk}"' in page
    assert page.count('data-testid="row-warning"') == 1
    row = page[page.index(f'data-testid="live-row" data-shift="{now_shift.pk}"') :]
    assert f"CPR / first aid expires {expires}" in row[: row.index("</tr>")]
    assert "Fiona" not in page[page.index('data-testid="qualification-warnings"') : page.index("live-site")]


def test_a_supervisor_sees_qualification_warnings_of_their_sites_only(world):
    tenant = world.tenant
    elsewhere_post = factories.PostFactory(site=world.second_site)
    cpr = _requires_cpr(tenant.post)
    _requires_cpr(elsewhere_post)
    mine, theirs = _guard(tenant, "Mina"), _guard(tenant, "Theo")
    _cpr_expiring(mine, cpr, in_days=5)
    _cpr_expiring(theirs, cpr, in_days=5)
    _scheduled_in(tenant.post, mine, days=6)
    _scheduled_in(elsewhere_post, theirs, days=6)

    supervisor_page = signed_in(world.supervisor).get("/console/live").content.decode()
    manager_page = signed_in(tenant.manager).get("/console/live").content.decode()

    assert "Mina" in supervisor_page
    assert "Theo" not in supervisor_page
    assert manager_page.count('data-testid="qualification-warning"') == 2


def test_the_boards_warnings_are_the_guard_pages_rule(tenant):
    cpr = _requires_cpr(tenant.post)
    cases = {"soon": 12, "just after the window": 40, "long valid": 400}
    for name, days in cases.items():
        guard = _guard(tenant, name.title())
        _cpr_expiring(guard, cpr, in_days=days)
        _scheduled_in(tenant.post, guard, days=9)
    lacking = _guard(tenant, "Lacks")
    _scheduled_in(tenant.post, lacking, days=3)
    late_issue = _guard(tenant, "Issued late")
    GuardQualification.objects.create(
        guard=late_issue, qualification=cpr, issued_on=timezone.localdate() + timedelta(days=4), expires_on=None
    )
    _scheduled_in(tenant.post, late_issue, days=3)
    # A night shift across midnight on the site's clock: its last day is the morning's, and a
    # record lasting exactly 30 days past it is enough while 29 is not.
    zone = ZoneInfo(tenant.site.timezone)
    night_day = (timezone.now() + timedelta(days=5)).astimezone(zone).date()
    night_start = datetime(night_day.year, night_day.month, night_day.day, 22, tzinfo=zone)
    for name, extra in (("Nightok", 30), ("Nightshort", 29)):
        guard = _guard(tenant, name)
        GuardQualification.objects.create(
            guard=guard, qualification=cpr, issued_on=night_day - timedelta(days=300),
            expires_on=night_day + timedelta(days=1 + extra),
        )  # fmt: skip
        factories.ShiftFactory(
            post=tenant.post, guard=guard, scheduled_start=night_start, scheduled_end=night_start + timedelta(hours=9)
        )
    scope = scope_for(tenant.manager)

    board = live_board(scope=scope, now=timezone.now()).qualification_warnings
    guard_page = qualification_warnings_visible(scope=scope)

    assert {(w.shift_id, w.qualification_name, w.expires_on, w.sentence()) for w in board} == {
        (w.shift.pk, w.qualification.name, w.expires_on, w.sentence()) for w in guard_page
    }
    assert sorted(w.guard_name.split()[0] for w in board) == ["Issued", "Lacks", "Nightshort", "Soon"]


def test_the_board_refresh_with_warnings_costs_the_same_queries_for_3_shifts_as_for_30(tenant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cpr = _requires_cpr(tenant.post)
    client = signed_in(tenant.manager)
    client.get("/console/live")

    def refresh_queries(count):
        for _ in range(count):
            guard = factories.GuardFactory(company=tenant.company)
            _cpr_expiring(guard, cpr, in_days=3)
            ping(shift_on_now(post=tenant.post, guard=guard))
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/console/live", headers={"HX-Request": "true"})
        assert response.content.decode().count('data-testid="row-warning"') > 0
        return len(captured)

    assert refresh_queries(3) == refresh_queries(27)


def test_another_companys_site_on_the_board_is_an_empty_board(tenant, other_tenant):
    ping(shift_on_now(post=other_tenant.post, guard=_guard(other_tenant, "Rivalguard")))

    page = signed_in(tenant.manager).get(f"/console/live?site={other_tenant.site.pk}").content.decode()

    assert "Rivalguard" not in page
    assert "No shift is in progress" in page

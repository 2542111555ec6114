"""Admin lists and forms read and take times on the site's clock, stored in UTC."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from backend.staffing.models import Shift
from backend.tracking.models import ClockEvent
from tests import factories
from tests.admin_clients import manager_admin, shift_form

pytestmark = pytest.mark.django_db

# 03:00 UTC on a January night is 22:00 the evening before in New York (EST, UTC-5).
WINTER_NIGHT_UTC = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)


def test_shift_list_shows_the_new_york_sites_local_times_with_the_zone(tenant):
    # given a shift at a New York site, starting 03:00 UTC in winter
    factories.ShiftFactory(
        post=tenant.post, guard=tenant.guard, scheduled_start=WINTER_NIGHT_UTC,
        scheduled_end=WINTER_NIGHT_UTC + timedelta(hours=8),
    )  # fmt: skip
    admin = manager_admin(tenant.manager)

    # when the manager lists shifts
    listing = admin.get("/admin/staffing/shift/").content.decode()

    # then they read the site's clock, with its abbreviation
    assert "2026-01-14 22:00 EST" in listing
    assert "2026-01-15 06:00 EST" in listing


def test_clock_event_list_shows_the_sites_summer_time(tenant):
    tenant.site.timezone = "America/Denver"
    tenant.site.save()
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    moment = datetime(2026, 7, 1, 18, 0, tzinfo=UTC)
    ClockEvent.objects.create(shift=shift, kind="in", recorded_at=moment, received_at=moment)

    listing = manager_admin(tenant.manager).get("/admin/tracking/clockevent/").content.decode()

    assert "2026-07-01 12:00 MDT" in listing


def test_a_shift_scheduled_at_22_00_in_new_york_in_winter_is_stored_at_03_00_utc(tenant):
    admin = manager_admin(tenant.manager)

    response = admin.post(
        "/admin/staffing/shift/add/",
        shift_form(tenant, start=("2026-01-14", "22:00:00"), end=("2026-01-15", "06:00:00")),
    )

    assert response.status_code == 302
    shift = Shift.objects.get()
    assert shift.scheduled_start == WINTER_NIGHT_UTC
    assert shift.scheduled_end == WINTER_NIGHT_UTC + timedelta(hours=8)


def test_the_shift_form_shows_and_takes_the_sites_local_time_and_names_the_zone(tenant):
    shift = factories.ShiftFactory(
        post=tenant.post, guard=tenant.guard, scheduled_start=WINTER_NIGHT_UTC,
        scheduled_end=WINTER_NIGHT_UTC + timedelta(hours=8),
    )  # fmt: skip
    admin = manager_admin(tenant.manager)

    page = admin.get(f"/admin/staffing/shift/{shift.pk}/change/").content.decode()
    admin.post(
        f"/admin/staffing/shift/{shift.pk}/change/",
        shift_form(tenant, start=("2026-01-14", "23:00:00"), end=("2026-01-15", "06:00:00")),
    )

    assert 'value="22:00:00"' in page
    assert "America/New_York" in page
    shift.refresh_from_db()
    assert shift.scheduled_start == WINTER_NIGHT_UTC + timedelta(hours=1)
    # the current zone is back to UTC once the page is done
    assert timezone.get_current_timezone_name() == "UTC"


def test_an_evidence_page_shows_its_times_on_the_sites_clock_to_the_second(tenant):
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    recorded = WINTER_NIGHT_UTC + timedelta(seconds=17)
    event = ClockEvent.objects.create(shift=shift, kind="in", recorded_at=recorded, received_at=recorded)

    page = manager_admin(tenant.manager).get(f"/admin/tracking/clockevent/{event.pk}/change/").content.decode()

    assert "2026-01-14 22:00:17 EST" in page
    assert "local time at the site (America/New_York)" in page


def test_a_report_page_shows_when_it_happened_on_the_sites_clock(tenant):
    from backend.incidents.models import IncidentReport, IncidentType

    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    incident_type = IncidentType.objects.create(company=tenant.company, code="zz-gate", name="Gate")
    report = IncidentReport.objects.create(
        id="00000000-0000-4000-8000-000000000001", shift=shift, guard=tenant.guard, type=incident_type,
        occurred_at=WINTER_NIGHT_UTC, narrative="Gate arm broken.", payload_sha256="0" * 64,
        recorded_at=WINTER_NIGHT_UTC, received_at=WINTER_NIGHT_UTC,
    )  # fmt: skip
    admin = manager_admin(tenant.manager)

    page = admin.get(f"/admin/incidents/incidentreport/{report.pk}/change/").content.decode()
    listing = admin.get("/admin/incidents/incidentreport/").content.decode()

    assert "2026-01-14 22:00:00 EST" in page
    assert "2026-01-14 22:00 EST" in listing


def test_a_shift_is_named_by_its_start_on_the_sites_clock_wherever_it_is_listed(tenant):
    shift = factories.ShiftFactory(
        post=tenant.post, guard=tenant.guard, scheduled_start=WINTER_NIGHT_UTC,
        scheduled_end=WINTER_NIGHT_UTC + timedelta(hours=8),
    )  # fmt: skip
    ClockEvent.objects.create(shift=shift, kind="in", recorded_at=WINTER_NIGHT_UTC, received_at=WINTER_NIGHT_UTC)

    listing = manager_admin(tenant.manager).get("/admin/tracking/clockevent/").content.decode()

    assert f"{tenant.post} from 2026-01-14 22:00 EST" in listing
    assert "03:00Z" not in listing


def _queries_for(admin, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert admin.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/admin/staffing/shift/", "/admin/tracking/clockevent/", "/admin/flags/flag/"])
def test_local_time_columns_do_not_add_a_query_per_row(tenant, url):
    from backend.flags.models import Flag

    admin = manager_admin(tenant.manager)

    def add_rows(count: int) -> None:
        for _ in range(count):
            shift = factories.ShiftFactory(post=factories.PostFactory(site=tenant.site), guard=tenant.guard)
            ClockEvent.objects.create(shift=shift, kind="in", recorded_at=timezone.now(), received_at=timezone.now())
            Flag.objects.create(
                company=tenant.company, shift=shift, code="NO_SHOW", severity="critical", message="-",
                raised_at=timezone.now(),
            )  # fmt: skip

    add_rows(1)
    few = _queries_for(admin, url)
    add_rows(4)
    many = _queries_for(admin, url)

    assert many == few

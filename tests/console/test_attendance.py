"""The attendance pages as a manager uses them: filters in the URL, resolutions, field errors, query counts."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backend.attendance.models import AttendanceResolution, ResolutionKind
from backend.flags.models import Flag
from backend.rules.findings import FlagCode
from backend.staffing.models import GuardQualification, PostRequirement, Qualification, Shift, ShiftStatus
from tests import factories
from tests.conftest import Tenant
from tests.console.conftest import htmx_fragment, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Certificate scans are written to disk: each test gets its own folder.
    settings.MEDIA_ROOT = tmp_path / "media"


def _exception(tenant: Tenant, code: str = FlagCode.NO_SHOW, *, post=None, guard=None, **shift_fields) -> Flag:
    shift = factories.ShiftFactory(
        post=post or tenant.post, guard=guard or factories.GuardFactory(company=tenant.company), **shift_fields
    )
    return factories.open_flag(shift=shift, code=code, message=f"{code} at {shift.post.site.name}")


def _today(tenant: Tenant) -> date:
    return timezone.now().astimezone(ZoneInfo(tenant.company.timezone)).date()


def test_the_list_filters_by_site_in_the_url(tenant):
    other_site = factories.SiteFactory(client=tenant.client, name="Harbour depot")
    here = _exception(tenant)
    there = _exception(tenant, post=factories.PostFactory(site=other_site))
    client = signed_in(tenant.manager)

    everything = client.get("/console/attendance").content.decode()
    one_site = client.get(f"/console/attendance?site={other_site.pk}").content.decode()

    assert f"exception-{here.pk}" in everything
    assert f"exception-{there.pk}" in everything
    assert f"exception-{there.pk}" in one_site
    assert f"exception-{here.pk}" not in one_site


def test_another_day_lists_that_days_exceptions_only(tenant):
    flag = _exception(tenant)
    client = signed_in(tenant.manager)

    yesterday = client.get(f"/console/attendance?day={(_today(tenant) - timedelta(days=2)).isoformat()}")

    assert f"exception-{flag.pk}" not in yesterday.content.decode()


def test_an_htmx_filter_gets_only_the_rows(tenant):
    _exception(tenant)

    body = htmx_fragment(signed_in(tenant.manager), "/console/attendance")

    assert 'id="attendance-rows"' in body


@pytest.mark.parametrize("rows", [1, 12])
def test_the_list_costs_the_same_queries_for_few_or_many_rows(tenant, rows, django_assert_max_num_queries):
    for _ in range(rows):
        flag = _exception(tenant)
        AttendanceResolution.objects.create(
            flag=flag, shift=flag.shift, kind=ResolutionKind.EXCUSED, reason="Traffic", resolved_by=tenant.manager
        )
    client = signed_in(tenant.manager)

    with django_assert_max_num_queries(12):
        response = client.get("/console/attendance")

    assert response.content.decode().count("Excused") == rows


@pytest.mark.parametrize("guards", [1, 15])
def test_the_guards_list_costs_the_same_queries(tenant, guards, django_assert_max_num_queries):
    for _ in range(guards):
        factories.GuardFactory(company=tenant.company)
    client = signed_in(tenant.manager)

    with django_assert_max_num_queries(8):
        response = client.get("/console/guards")

    assert response.status_code == 200


def test_excusing_without_a_reason_shows_the_error_on_the_form_and_records_nothing(tenant):
    flag = _exception(tenant)

    response = signed_in(tenant.manager).post(f"/console/attendance/{flag.pk}/excuse", {"excuse-reason": ""})

    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not AttendanceResolution.objects.exists()


def test_excusing_redirects_to_the_day_with_the_resolution_shown(tenant):
    flag = _exception(tenant, FlagCode.LATE_CLOCK_IN)
    client = signed_in(tenant.manager)

    response = client.post(f"/console/attendance/{flag.pk}/excuse", {"excuse-reason": "Flat tyre"}, follow=True)

    assert response.status_code == 200
    assert "Excused." in response.content.decode()
    assert AttendanceResolution.objects.get(flag=flag).reason == "Flat tyre"


def test_a_resolution_asked_for_with_get_changes_nothing(tenant):
    flag = _exception(tenant)

    response = signed_in(tenant.manager).get(f"/console/attendance/{flag.pk}/excuse")

    assert response.status_code == 405
    assert not AttendanceResolution.objects.exists()


def test_an_unqualified_replacement_shows_the_refusal_on_the_form(tenant):
    PostRequirement.objects.create(
        post=tenant.post, qualification=Qualification.objects.get(company=tenant.company, code="fire-watch")
    )
    flag = _exception(tenant)
    stand_in = factories.GuardFactory(company=tenant.company)

    response = signed_in(tenant.manager).post(f"/console/attendance/{flag.pk}/replace", {"replace-guard": stand_in.pk})

    assert response.status_code == 409
    assert "Fire watch is not held" in response.content.decode()
    assert not Shift.objects.filter(guard=stand_in).exists()


def test_another_company_guard_cannot_be_picked_as_replacement(tenant, other_tenant):
    flag = _exception(tenant)

    response = signed_in(tenant.manager).post(
        f"/console/attendance/{flag.pk}/replace", {"replace-guard": other_tenant.guard.pk}
    )

    assert response.status_code == 422
    assert not Shift.objects.filter(guard=other_tenant.guard).exists()


def test_a_time_correction_is_read_on_the_sites_clock(tenant):
    started = timezone.now() - timedelta(hours=3)
    flag = _exception(
        tenant,
        FlagCode.LATE_CLOCK_IN,
        scheduled_start=started,
        scheduled_end=started + timedelta(hours=8),
        status=ShiftStatus.IN_PROGRESS,
        clock_in_at=started + timedelta(minutes=40),
    )
    zone = ZoneInfo(tenant.site.timezone)
    actual = (started + timedelta(minutes=3)).astimezone(zone).replace(second=0, microsecond=0)

    response = signed_in(tenant.manager).post(
        f"/console/attendance/{flag.pk}/correct",
        {"correct-clock_in_at": actual.strftime("%Y-%m-%dT%H:%M"), "correct-reason": "CCTV at the gate"},
    )

    assert response.status_code == 302
    correction = AttendanceResolution.objects.get(flag=flag)
    assert correction.corrected_clock_in_at == actual
    assert Shift.objects.get(pk=flag.shift_id).clock_in_at == started + timedelta(minutes=40)


def test_the_guard_page_shows_qualifications_their_expiry_and_the_30_day_figures(tenant):
    guard = tenant.guard
    today = _today(tenant)
    GuardQualification.objects.create(
        guard=guard,
        qualification=Qualification.objects.get(company=tenant.company, code="cpr-first-aid"),
        issued_on=today - timedelta(days=700),
        expires_on=today - timedelta(days=1),
    )
    ended = timezone.now() - timedelta(days=2)
    factories.ShiftFactory(
        guard=guard,
        post=tenant.post,
        scheduled_start=ended - timedelta(hours=8),
        scheduled_end=ended,
        status=ShiftStatus.COMPLETED,
        clock_in_at=ended - timedelta(hours=8),
        clock_out_at=ended - timedelta(hours=2),
    )
    factories.ShiftFactory(
        guard=guard,
        post=tenant.post,
        scheduled_start=ended - timedelta(days=1, hours=8),
        scheduled_end=ended - timedelta(days=1),
        status=ShiftStatus.MISSED,
        marked_missed_at=ended - timedelta(days=1),
    )

    page = signed_in(tenant.manager).get(f"/console/guards/{guard.pk}").content.decode()

    assert "CPR / first aid" in page
    assert "Expired" in page
    assert 'data-testid="punctuality">50%' in page  # one of two on time
    assert 'data-testid="coverage">38%' in page  # 6 of 16 scheduled hours


def test_a_certificate_scan_is_served_without_metadata_only_to_who_sees_the_guard(tenant, other_tenant):
    import io

    from PIL import Image

    from backend.attendance.qualifications import guard_qualification_record

    exif = Image.Exif()
    exif[0xA431] = "SERIAL-987"
    upload = io.BytesIO()
    Image.new("RGB", (32, 32), (0, 0, 200)).save(upload, format="JPEG", exif=exif)
    held = guard_qualification_record(
        by=tenant.manager,
        guard=tenant.guard,
        qualification=Qualification.objects.get(company=tenant.company, code="fire-watch"),
        issued_on=_today(tenant),
        certificate=upload.getvalue(),
    )
    url = f"/console/guards/{tenant.guard.pk}/qualifications/{held.pk}/certificate"

    mine = signed_in(tenant.manager).get(url)
    theirs = signed_in(other_tenant.manager).get(url)

    assert mine.status_code == 200
    assert mine["Content-Type"] == "image/jpeg"
    assert mine["X-Content-Type-Options"] == "nosniff"
    assert b"SERIAL-987" not in mine.content
    assert theirs.status_code == 404
    assert "Scan" in signed_in(tenant.manager).get(f"/console/guards/{tenant.guard.pk}").content.decode()

"""What a client contact reads and does in the portal, page by page; wrong input is a field error, never a 500."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from backend.attendance.models import AttendanceResolution
from backend.calls.concern_models import Concern
from backend.core.localtime import to_local
from backend.documents.models import DeliveryPreference, DocumentStatus, GeneratedDocument
from backend.documents.services import document_render
from backend.flags.services import flag_client_visibility_set
from backend.incidents.images import jpeg_metadata_blocks
from backend.incidents.services import incident_approve, incident_photo_add
from backend.rules.findings import FlagCode
from backend.tracking.models import ActivityEntry
from tests import factories
from tests.console.conftest import signed_in as console_signed_in
from tests.mobile_api.test_incidents import file_directly
from tests.portal.conftest import approved_report, signed_in, worked_shift

pytestmark = pytest.mark.django_db

GPS_IFD, EXIF_IFD, BODY_SERIAL, MAKE = 0x8825, 0x8769, 0xA431, 0x010F


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _today(tenant):
    return to_local(timezone.now(), tenant.site.timezone).date()


# --- The sites overview and a day's attendance --------------------------------------------------


def test_the_overview_shows_each_site_with_its_coverage_worded_and_coloured(tenant):
    worked_shift(tenant, hours_ago=3, length=2)

    page = signed_in(tenant.client_contact).get("/portal/").content.decode()

    assert tenant.site.name in page
    assert "100.0 % " in page
    assert "status-ok" in page
    assert "On target" in page


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "1999-01-01"])
def test_a_wrong_week_is_a_field_error_and_the_current_week_is_shown(tenant, value):
    response = signed_in(tenant.client_contact).get("/portal/", {"day": value})

    assert response.status_code == 422
    page = response.content.decode()
    assert 'class="errorlist"' in page
    assert tenant.site.name in page


def test_a_future_day_on_the_attendance_page_is_a_field_error(tenant):
    tomorrow = _today(tenant) + timedelta(days=1)

    response = signed_in(tenant.client_contact).get(
        f"/portal/sites/{tenant.site.pk}/attendance", {"day": tomorrow.isoformat()}
    )

    assert response.status_code == 422
    assert "That day has not come yet." in response.content.decode()


def test_the_attendance_page_shows_a_correction_as_such_with_its_reason(tenant):
    shift = worked_shift(tenant, hours_ago=3, length=2, late_minutes=20)
    flag = factories.open_flag(shift=shift, code=FlagCode.LATE_CLOCK_IN)
    AttendanceResolution.objects.create(
        flag=flag, shift=shift, kind="excused", reason="Road closed by the police", resolved_by=tenant.manager
    )
    day = to_local(shift.scheduled_start, tenant.site.timezone).date()

    page = (
        signed_in(tenant.client_contact)
        .get(f"/portal/sites/{tenant.site.pk}/attendance", {"day": day.isoformat()})
        .content.decode()
    )

    assert "Excused by operations" in page
    assert "Road closed by the police" in page
    assert "Late" in page


# --- Reports ------------------------------------------------------------------------------------


def test_the_reports_list_has_only_approved_reports_filtered_from_the_url(tenant):
    shift = worked_shift(tenant)
    approved_report(shift, narrative="Approved: the bins were on fire.")
    factories.incident_report(shift=shift, narrative="Under review: a ladder by the wall.")
    other_type = approved_report(shift, type_code="theft", narrative="Approved theft: a bicycle taken.")
    client = signed_in(tenant.client_contact)

    page = client.get("/portal/reports").content.decode()
    assert "bins were on fire" in page
    assert "bicycle taken" in page
    assert "ladder by the wall" not in page

    filtered = client.get("/portal/reports", {"type": other_type.type_id}).content.decode()
    assert "bicycle taken" in filtered
    assert "bins were on fire" not in filtered


@pytest.mark.parametrize(
    ("query", "field_error"),
    [
        ({"occurred_from": "2026-02-30"}, "Enter a valid date."),
        ({"occurred_from": "2026-12-10", "occurred_to": "2026-12-01"}, "The end comes before the start."),
        ({"site": "999999"}, "Select a valid choice."),
        ({"type": "not-a-number"}, "Select a valid choice."),
    ],
)
def test_a_wrong_filter_is_a_field_error_not_a_crash(tenant, query, field_error):
    response = signed_in(tenant.client_contact).get("/portal/reports", query)

    assert response.status_code == 422
    assert field_error in response.content.decode()


def test_an_htmx_filter_gets_the_rows_alone_cached_apart_from_the_page(tenant):
    approved_report(worked_shift(tenant), narrative="Approved: gate left open.")

    response = signed_in(tenant.client_contact).get("/portal/reports", headers={"HX-Request": "true"})

    fragment = response.content.decode()
    assert "HX-Request" in response["Vary"]
    assert "<html" not in fragment
    assert "gate left open" in fragment


def test_reports_page_by_keyset_at_a_fixed_number_of_queries(tenant, django_assert_max_num_queries):
    shift = worked_shift(tenant)
    for index in range(30):
        approved_report(
            shift, narrative=f"Report number {index:02d}.", occurred_at=timezone.now() - timedelta(minutes=index)
        )
    client = signed_in(tenant.client_contact)

    with django_assert_max_num_queries(12):
        first = client.get("/portal/reports").content.decode()

    assert "Report number 00." in first
    assert "Report number 24." in first
    assert "Report number 25." not in first
    older = first.split('data-testid="older"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    with django_assert_max_num_queries(12):
        second = client.get(f"/portal/reports{older}").content.decode()
    assert "Report number 25." in second
    assert "Report number 24." not in second
    # a cursor this list did not write starts at the top, it does not fail
    assert client.get("/portal/reports", {"after": "garbage_value"}).status_code == 200


def test_the_report_page_shows_the_flags_a_manager_chose_and_none_of_the_internal_ones(tenant):
    report = approved_report(worked_shift(tenant))
    shown = factories.open_flag(incident=report, code=FlagCode.UNIT_LOCATION_MISMATCH, message="Unit 204 is far off.")
    factories.open_flag(incident=report, code=FlagCode.MOCK_LOCATION, message="Internal: mock location detected.")
    flag_client_visibility_set(flag=shown, by=tenant.manager, shown=True)

    page = signed_in(tenant.client_contact).get(f"/portal/reports/{report.pk}").content.decode()

    assert "Unit 204 is far off." in page
    assert "mock location" not in page


def _phone_jpeg() -> bytes:
    image = Image.new("RGB", (60, 40), "blue")
    exif = Image.Exif()
    exif[MAKE] = "Apple"
    exif[GPS_IFD] = {1: "N", 2: (33.0, 46.0, 48.0), 3: "W", 4: (84.0, 23.0, 17.0)}
    exif[EXIF_IFD] = {BODY_SERIAL: "DNPX1234SERIAL"}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_reports_photo_reaches_the_client_without_its_gps_or_the_phones_serial(
    tenant, django_capture_on_commit_callbacks
):
    # given a phone photo with GPS and the camera's serial in its EXIF, on a report a manager approved
    original = _phone_jpeg()
    assert b"DNPX1234SERIAL" in original
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    report = file_directly(shift)
    with django_capture_on_commit_callbacks(execute=True):
        photo = incident_photo_add(
            guard=tenant.guard, report_id=report.pk, upload=SimpleUploadedFile("p.jpg", original, "image/jpeg")
        ).photo
    incident_approve(report=report, by=tenant.manager, confirm_open_critical=True, note="Checked.")
    client = signed_in(tenant.client_contact)

    # when the client's contact opens it in the portal
    for variant in ("display", "thumbnail"):
        response = client.get(f"/portal/reports/{report.pk}/photos/{photo.pk}/{variant}")
        body = b"".join(response.streaming_content)

        # then they get the picture's pixels and nothing else
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert jpeg_metadata_blocks(body) == []
        assert b"DNPX1234SERIAL" not in body
        assert not Image.open(io.BytesIO(body)).getexif()
    # and never the original, nor the photo through another report's URL
    assert client.get(f"/portal/reports/{report.pk}/photos/{photo.pk}/original").status_code == 404
    other = approved_report(worked_shift(tenant))
    assert client.get(f"/portal/reports/{other.pk}/photos/{photo.pk}/display").status_code == 404


# --- Concerns ------------------------------------------------------------------------------------


def test_a_contact_asks_about_a_shift_and_reads_the_managers_answer_in_the_thread(tenant):
    shift = worked_shift(tenant)
    contact = signed_in(tenant.client_contact)

    form = contact.get(f"/portal/shifts/{shift.pk}/ask")
    assert tenant.post.name in form.content.decode()
    assert contact.post(f"/portal/shifts/{shift.pk}/ask", {"text": ""}).status_code == 422
    response = contact.post(f"/portal/shifts/{shift.pk}/ask", {"text": "Why was the lobby empty at 03:10?"})
    assert response.status_code == 302
    thread_url = response["Location"]
    waiting = contact.get(thread_url).content.decode()
    assert "Waiting for an answer" in waiting
    assert 'hx-trigger="every 5s"' in waiting

    # when the manager answers from the console's call page
    call = Concern.objects.get().call
    manager = console_signed_in(tenant.manager)
    assert "Why was the lobby empty at 03:10?" in manager.get(f"/console/calls/{call.pk}").content.decode()
    assert manager.post(f"/console/calls/{call.pk}/concern/answer", {"text": ""}).status_code == 422
    answered = manager.post(f"/console/calls/{call.pk}/concern/answer", {"text": "He was on his 03:00 round."})
    assert answered.status_code == 302

    # then the contact's thread (the htmx refresh too) shows it, answered
    fragment = contact.get(thread_url, headers={"HX-Request": "true"}).content.decode()
    assert "He was on his 03:00 round." in fragment
    assert "Answered" in fragment
    assert "every 5s" not in fragment
    assert "Portal" in manager.get("/console/calls").content.decode()


# --- Daily activity reports, summaries, PDFs and the verify page ------------------------------------


def _activity_day(tenant, text="Locked the pool gate with the spare chain."):
    shift = worked_shift(tenant, hours_ago=3, length=2)
    moment = shift.scheduled_start + timedelta(minutes=30)
    ActivityEntry.objects.create(id=uuid.uuid4(), shift=shift, text=text, recorded_at=moment, received_at=moment)
    return to_local(moment, tenant.site.timezone).date()


def test_the_dar_page_says_the_day_positively_and_each_line_can_be_asked_about(tenant):
    day = _activity_day(tenant)
    client = signed_in(tenant.client_contact)

    page = client.get(f"/portal/sites/{tenant.site.pk}/dar/{day.isoformat()}").content.decode()
    assert "1 of 1 shift covered" in page
    assert "no incidents" in page
    assert "Locked the pool gate with the spare chain." in page

    ask = client.get(f"/portal/sites/{tenant.site.pk}/dar/{day.isoformat()}/ask", {"line": "activity-0"})
    assert "Locked the pool gate" in ask.content.decode()
    raised = client.post(
        f"/portal/sites/{tenant.site.pk}/dar/{day.isoformat()}/ask?line=activity-0", {"text": "Which chain?"}
    )
    assert raised.status_code == 302
    thread = client.get(raised["Location"]).content.decode()
    assert "Which chain?" in thread
    assert "activity log" in thread
    # a line the report does not have, and a day that has not come, are not pages
    assert client.get(f"/portal/sites/{tenant.site.pk}/dar/{day.isoformat()}/ask", {"line": "x-9"}).status_code == 404
    tomorrow = _today(tenant) + timedelta(days=1)
    assert client.get(f"/portal/sites/{tenant.site.pk}/dar/{tomorrow.isoformat()}").status_code == 422
    assert client.get(f"/portal/sites/{tenant.site.pk}/dar/2026-02-30").status_code == 404


def test_a_pdf_is_asked_for_shows_its_progress_and_is_downloaded_when_ready(tenant):
    day = _activity_day(tenant)
    client = signed_in(tenant.client_contact)

    # when the contact asks for the DAR's PDF (htmx): the progress comes back, polling itself
    fragment = client.post(
        f"/portal/sites/{tenant.site.pk}/dar/{day.isoformat()}/pdf", headers={"HX-Request": "true"}
    ).content.decode()
    document = GeneratedDocument.objects.get()
    assert document.status == DocumentStatus.QUEUED
    assert f'hx-get="/portal/documents/{document.pk}"' in fragment
    assert 'hx-trigger="every 1s"' in fragment

    # and once a worker has made it (what the task queued after commit runs)
    document_render(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    ready = client.get(f"/portal/documents/{document.pk}", headers={"HX-Request": "true"}).content.decode()
    assert "Download the PDF" in ready
    assert "every 1s" not in ready

    # then the download is the PDF, with the site's name in it
    response = client.get(f"/portal/documents/{document.pk}/download")
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert tenant.site.name in "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_the_verify_page_says_whether_guardops_issued_a_pdf_and_nothing_else(
    tenant, client, django_capture_on_commit_callbacks
):
    day = _activity_day(tenant)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(tenant.client_contact).post(f"/portal/sites/{tenant.site.pk}/dar/{day.isoformat()}/pdf")
    document = GeneratedDocument.objects.get(status=DocumentStatus.READY)

    found = client.get(f"/portal/verify/{document.content_hash}")
    assert found.status_code == 200
    page = found.content.decode()
    assert "Issued by GuardOps" in page
    assert "Daily activity report" in page
    assert day.strftime("%-d %b %Y") in page
    assert tenant.site.name not in page
    assert tenant.client.name not in page

    unknown = client.get(f"/portal/verify/{'0' * 64}")
    assert unknown.status_code == 404
    assert "Not issued by GuardOps" in unknown.content.decode()
    assert client.get("/portal/verify/not-a-hash<script>").status_code == 404


def test_a_monthly_summary_is_a_page_and_a_future_month_is_refused(tenant):
    shift = worked_shift(tenant, hours_ago=3, length=2, late_minutes=20)
    factories.open_flag(shift=shift, code=FlagCode.LATE_CLOCK_IN, raised_at=shift.clock_in_at)
    month = to_local(shift.scheduled_start, tenant.site.timezone).date().replace(day=1)
    client = signed_in(tenant.client_contact)

    page = client.get(f"/portal/summaries/{month:%Y-%m}").content.decode()
    assert "Hours verified by GPS" in page
    assert tenant.site.name in page
    assert "1 late" in page
    assert "Late clock-in: 1 open" in page

    next_month = (month + timedelta(days=32)).replace(day=1)
    assert client.get(f"/portal/summaries/{next_month:%Y-%m}").status_code == 422
    assert client.get("/portal/summaries/0001-01").status_code == 422
    assert client.get("/portal/summaries/2026-13").status_code == 404
    assert client.get(f"/portal/summaries/{month:%Y-%m}", {"site": "nope"}).status_code == 422


# --- Delivery preferences ------------------------------------------------------------------------


def test_a_contact_chooses_what_is_e_mailed_for_which_sites(tenant):
    second = factories.SiteFactory(client=tenant.client, name="Harbour Yard")
    tenant.client_contact.email = "pat@client.test"
    tenant.client_contact.save()
    client = signed_in(tenant.client_contact)
    assert "Harbour Yard" in client.get("/portal/preferences").content.decode()

    response = client.post(
        "/portal/preferences",
        {"daily_reports": "daily", "incident_reports": "on", "email_enabled": "on", "site_ids": [str(second.pk)]},
    )

    assert response.status_code == 302
    preference = DeliveryPreference.objects.get(contact=tenant.client_contact)
    assert (preference.daily_reports, preference.incident_reports, preference.monthly_summary) == ("daily", True, False)
    assert list(preference.sites.all()) == [second]


def test_a_preference_the_service_refuses_is_an_error_beside_its_field(tenant, other_tenant):
    client = signed_in(tenant.client_contact)  # no e-mail address on the account

    no_address = client.post("/portal/preferences", {"daily_reports": "weekly", "email_enabled": "on"})
    assert no_address.status_code == 422
    assert "Your account has no e-mail address to send to." in no_address.content.decode()

    theirs = client.post("/portal/preferences", {"daily_reports": "off", "site_ids": [str(other_tenant.site.pk)]})
    assert theirs.status_code == 422
    assert "Select a valid choice." in theirs.content.decode()
    assert not DeliveryPreference.objects.exists()

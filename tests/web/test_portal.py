"""A client in a real browser: signs in, sees only their sites, opens the attendance, downloads an incident PDF
and a DAR, asks about a DAR line and sees the manager's answer arrive once the manager answers in the console."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from backend.core.localtime import to_local
from backend.tracking.models import ActivityEntry
from tests import factories, geo
from tests.portal.conftest import approved_report, worked_shift

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENTRY = "Found the pool gate propped open with a chair; closed and latched it."
ANSWER = "The chair belonged to the pool contractor; we have asked them to stop propping the gate."


def _watch(page: Page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def _sign_in(page: Page, url: str, username: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url)


def _download_pdf(page: Page) -> str:
    """Ask for the page's PDF, wait for the progress to turn into a download, and read the PDF's text."""
    page.get_by_role("button", name="Download the PDF").click()
    link = page.get_by_test_id("download")
    link.wait_for()
    with page.expect_download() as downloaded:
        link.click()
    data = Path(downloaded.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    return "".join(pdf_page.extract_text() for pdf_page in PdfReader(io.BytesIO(data)).pages)


def test_a_client_reads_attendance_downloads_pdfs_and_gets_an_answer_to_a_concern(
    page: Page, browser: Browser, live_server, tenant
):
    problems = _watch(page)
    # given the client's site with a shift worked today, an activity line and an approved report
    tenant.site.name = "Quaywater Lofts"
    tenant.site.save()
    other_client = factories.ClientFactory(company=tenant.company, name="Someone Else Holdings")
    factories.SiteFactory(client=other_client, name="Not Your Tower", geofence=geo.OTHER_SITE_SQUARE)
    shift = worked_shift(tenant, hours_ago=3, length=2)
    moment = shift.scheduled_start + timedelta(minutes=40)
    ActivityEntry.objects.create(id=uuid.uuid4(), shift=shift, text=ENTRY, recorded_at=moment, received_at=moment)
    approved_report(shift, narrative="Two teenagers climbed the fence by the pool; they left when asked.")
    day = to_local(moment, tenant.site.timezone).date()

    # when the client's contact signs in to the portal
    page.goto(f"{live_server.url}/portal/")
    page.wait_for_url(f"{live_server.url}/portal/login?next=/portal/")
    _sign_in(page, f"{live_server.url}/portal/", tenant.client_contact.username)

    # then they see their site, and not another client's
    card = page.get_by_test_id(f"site-{tenant.site.pk}")
    expect(card).to_contain_text("Quaywater Lofts")
    expect(card.get_by_test_id("coverage")).to_contain_text("%")
    assert "Not Your Tower" not in page.content()

    # when they open the site's attendance for that day
    card.get_by_role("link", name="Attendance today").click()
    page.get_by_label("Day").fill(day.isoformat())
    page.get_by_role("button", name="Show").click()
    row = page.get_by_test_id(f"shift-{shift.pk}")
    expect(row).to_contain_text(tenant.post.name)
    expect(row).to_contain_text("100.0 %")

    # and download that day's DAR: the progress turns into a download of the PDF
    page.get_by_test_id("dar-link").click()
    page.wait_for_url(f"{live_server.url}/portal/sites/{tenant.site.pk}/dar/{day.isoformat()}")
    expect(page.get_by_test_id("dar-activity")).to_contain_text(ENTRY)
    dar_text = _download_pdf(page)
    assert "Quaywater Lofts" in dar_text
    assert "pool gate propped open" in dar_text

    # and an incident report's PDF
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_test_id("report-row").first.get_by_role("link").click()
    expect(page.get_by_test_id("report-narrative")).to_contain_text("Two teenagers")
    assert "Two teenagers climbed the fence" in _download_pdf(page)

    # when they ask about the DAR's activity line
    page.goto(f"{live_server.url}/portal/sites/{tenant.site.pk}/dar/{day.isoformat()}")
    page.get_by_test_id("ask-activity-0").click()
    expect(page.get_by_test_id("entry")).to_contain_text("pool gate propped open")
    page.get_by_label("Your question").fill("Whose chair was it? This is the second time this month.")
    page.get_by_role("button", name="Send to operations").click()
    thread = page.get_by_test_id("thread")
    expect(thread).to_contain_text("Waiting for an answer")

    # and the manager answers it from the console's call log
    console = browser.new_context()
    manager = console.new_page()
    manager_problems = _watch(manager)
    manager.goto(f"{live_server.url}/console/login?next=/console/calls")
    _sign_in(manager, f"{live_server.url}/console/calls", tenant.manager.username)
    call_row = manager.locator("tr", has_text="Portal").first
    call_row.get_by_role("link").click()
    expect(manager.get_by_test_id("concern-thread")).to_contain_text("Whose chair was it?")
    manager.get_by_label("Answer to the client").fill(ANSWER)
    manager.get_by_role("button", name="Send the answer").click()
    expect(manager.get_by_test_id("concern-thread")).to_contain_text(ANSWER)
    console.close()

    # then the answer appears in the client's thread by itself (htmx refreshes it), answered
    expect(thread).to_contain_text(ANSWER, timeout=15_000)
    expect(thread).to_contain_text("Answered")
    assert problems == []
    assert manager_problems == []

"""Documents and deliveries in the admin: a manager answers "did the client get it?" for their company only."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from backend.documents.models import (
    DeliveryKind,
    DeliveryPreference,
    DeliveryRecord,
    DeliveryStatus,
    DocumentKind,
    DocumentStatus,
    GeneratedDocument,
)
from tests.admin_clients import assert_read_only_in_admin, manager_admin, staff_admin
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

DAY = date(2025, 11, 12)


def issued_dar(tenant, *, content_hash: str) -> GeneratedDocument:
    now = timezone.now()
    return GeneratedDocument.objects.create(
        kind=DocumentKind.DAILY_ACTIVITY, client=tenant.client, site=tenant.site, period_start=DAY, period_end=DAY,
        content_hash=content_hash, status=DocumentStatus.READY, progress=100, file=f"documents/{content_hash}.pdf",
        pdf_sha256="b" * 64, page_count=2, byte_size=31_000, queued_at=now, generated_at=now,
    )  # fmt: skip


def failed_delivery(tenant, document: GeneratedDocument, *, error: str) -> DeliveryRecord:
    record = DeliveryRecord.objects.create(
        contact=tenant.client_contact, kind=DeliveryKind.DAR_DAILY, site=tenant.site, period_start=DAY,
        period_end=DAY, status=DeliveryStatus.FAILED, due_at=timezone.now() - timedelta(hours=2),
        address=tenant.client_contact.email, attempts=5, error=error,
    )  # fmt: skip
    record.documents.add(document)
    return record


@pytest.fixture
def deliveries(tenant, other_tenant):
    ours = failed_delivery(tenant, issued_dar(tenant, content_hash="a" * 64), error="SMTPRecipientsRefused: ours")
    theirs = failed_delivery(
        other_tenant, issued_dar(other_tenant, content_hash="c" * 64), error="SMTPRecipientsRefused: Rival Qz"
    )
    return ours, theirs


def test_a_manager_reads_why_a_clients_email_failed_and_sees_no_other_companys(tenant, other_tenant, deliveries):
    ours, theirs = deliveries
    admin = manager_admin(tenant.manager)

    listing = admin.get("/admin/documents/deliveryrecord/").content.decode()
    page = admin.get(f"/admin/documents/deliveryrecord/{ours.pk}/change/").content.decode()
    foreign = admin.get(f"/admin/documents/deliveryrecord/{theirs.pk}/change/")

    assert "SMTPRecipientsRefused: ours" in listing
    assert "Rival Qz" not in listing
    assert other_tenant.site.name not in listing  # not in the "By site" filter either
    assert tenant.client_contact.email in page
    assert "local time at the site" in page
    assert foreign.status_code == 404


def test_issued_documents_are_the_companys_only_and_name_their_file_without_linking_it(
    tenant, other_tenant, deliveries
):
    ours, theirs = (record.documents.get() for record in deliveries)
    admin = manager_admin(tenant.manager)

    listing = admin.get("/admin/documents/generateddocument/").content.decode()
    page = admin.get(f"/admin/documents/generateddocument/{ours.pk}/change/").content.decode()
    foreign = admin.get(f"/admin/documents/generateddocument/{theirs.pk}/change/")

    assert f"/admin/documents/generateddocument/{ours.pk}/change/" in listing
    assert f"/admin/documents/generateddocument/{theirs.pk}/change/" not in listing
    assert other_tenant.client.name not in listing
    assert "aaaaaaaaaaaa" in listing  # the hash printed in the PDF's footer, to match a forwarded copy
    assert f"documents/{'a' * 64}.pdf" in page
    assert 'href="/media/' not in page
    assert foreign.status_code == 404


@pytest.mark.parametrize("model", ["generateddocument", "deliveryrecord", "deliverypreference"])
def test_documents_deliveries_and_preferences_are_read_only_in_the_admin(tenant, deliveries, model):
    ours, _ = deliveries
    preference = DeliveryPreference.objects.create(contact=tenant.client_contact, daily_reports="daily")
    row = {"generateddocument": ours.documents.get(), "deliveryrecord": ours, "deliverypreference": preference}[model]
    admin = manager_admin(tenant.manager)

    assert_read_only_in_admin(admin, "documents", model, row.pk, {"status": "sent", "daily_reports": "off"})

    ours.refresh_from_db()
    preference.refresh_from_db()
    assert (ours.status, preference.daily_reports) == (DeliveryStatus.FAILED, "daily")
    assert GeneratedDocument.objects.filter(pk=ours.documents.get().pk).exists()


def test_guardops_staff_read_every_companys_deliveries(tenant, other_tenant, deliveries):
    listing = staff_admin(StaffFactory()).get("/admin/documents/deliveryrecord/").content.decode()

    assert "SMTPRecipientsRefused: ours" in listing
    assert "Rival Qz" in listing

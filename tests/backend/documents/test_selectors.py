"""Who may open a document: the contact's own client and sites only; anything else is not there."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from backend.documents.errors import DocumentNotFound
from backend.documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from backend.documents.selectors import document_for_contact, document_verification, documents_for_contact
from backend.incidents.models import IncidentReport
from backend.sites.models import ClientContactSite
from tests import factories
from tests.backend.documents import builders as b

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 12, 15, 15, 0, tzinfo=UTC)


def ready(
    *, client, site=None, kind=DocumentKind.DAILY_ACTIVITY, incident=None, digest="a" * 64, day=b.DAY
) -> GeneratedDocument:
    return GeneratedDocument.objects.create(
        kind=kind,
        client=client,
        site=site,
        incident=incident,
        period_start=day,
        period_end=day,
        content_hash=digest,
        status=DocumentStatus.READY,
        file=f"documents/{digest}.pdf",
        pdf_sha256=digest,
        page_count=1,
        byte_size=10,
        progress=100,
        queued_at=NOW,
        generated_at=NOW,
    )


def assert_not_found(contact, document) -> None:
    with pytest.raises(DocumentNotFound) as refused:
        document_for_contact(contact=contact, document_id=document.pk)
    assert (refused.value.code, refused.value.status) == ("document_not_found", 404)


def test_a_contact_opens_their_clients_documents_only(tenant, other_tenant):
    own = ready(client=tenant.client, site=tenant.site)
    sibling_client = factories.ClientFactory(company=tenant.company)
    sibling = ready(client=sibling_client, site=factories.SiteFactory(client=sibling_client), digest="b" * 64)
    rival = ready(client=other_tenant.client, site=other_tenant.site, digest="c" * 64)

    assert document_for_contact(contact=tenant.client_contact, document_id=own.pk) == own
    assert_not_found(tenant.client_contact, sibling)  # another client of the same company
    assert_not_found(tenant.client_contact, rival)  # another company
    assert_not_found(tenant.client_contact, GeneratedDocument(pk=own.pk + 999))  # no such id
    assert list(documents_for_contact(contact=tenant.client_contact)) == [own]


def test_a_site_limited_contact_sees_their_sites_and_no_client_wide_summary(tenant):
    second_site = factories.SiteFactory(client=tenant.client)
    on_limited = ready(client=tenant.client, site=tenant.site)
    on_other = ready(client=tenant.client, site=second_site, digest="b" * 64)
    client_wide = ready(client=tenant.client, kind=DocumentKind.MONTHLY_CLIENT, digest="c" * 64, day=date(2025, 11, 1))
    ClientContactSite.objects.create(contact=tenant.client_contact, site=tenant.site)

    assert document_for_contact(contact=tenant.client_contact, document_id=on_limited.pk) == on_limited
    assert_not_found(tenant.client_contact, on_other)
    assert_not_found(tenant.client_contact, client_wide)
    # an unlimited colleague sees all three
    colleague = factories.ClientContactFactory(client=tenant.client)
    assert set(documents_for_contact(contact=colleague)) == {on_limited, on_other, client_wide}


def test_people_who_are_not_client_contacts_get_nothing_here(tenant):
    document = ready(client=tenant.client, site=tenant.site)
    for person in (tenant.guard, tenant.manager):
        assert_not_found(person, document)
    tenant.client_contact.is_active = False
    tenant.client_contact.save()
    assert_not_found(tenant.client_contact, document)


def test_an_incident_document_goes_with_its_reports_archiving(tenant):
    shift = b.worked_shift(tenant, start=b.local(b.DAY, 7))
    report = b.report(shift, b.local(b.DAY, 9), "Door forced.", approved_by=tenant.manager)
    document = ready(client=tenant.client, site=tenant.site, kind=DocumentKind.INCIDENT, incident=report)
    assert document_for_contact(contact=tenant.client_contact, document_id=document.pk) == document
    IncidentReport.objects.filter(pk=report.pk).update(archived_at=NOW)
    assert_not_found(tenant.client_contact, document)


def test_verification_finds_ready_documents_by_their_content_hash(tenant):
    document = ready(client=tenant.client, site=tenant.site, digest="d" * 64)
    assert document_verification(content_hash="D" * 64) == document
    assert document_verification(content_hash="e" * 64) is None
    assert document_verification(content_hash="not-a-hash' OR 1=1") is None
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.FAILED, error="x", file="", pdf_sha256=""
    )
    assert document_verification(content_hash="d" * 64) is None

"""Asking for a document, rendering it in Celery, storing it once, serving it: what a client would notice."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.storage import default_storage

from backend.documents.errors import DocumentNotReady
from backend.documents.http import pdf_response
from backend.documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from backend.documents.services import document_render, document_request, documents_sweep
from backend.documents.store import pdf_path, pdf_store
from backend.incidents.models import IncidentReport
from tests.backend.documents import builders as b
from tests.reports.pdfread import FOOTER_HASH, flat, read, text

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 12, 15, 15, 0, tzinfo=UTC)


def dar(tenant, day: date = b.DAY, **kwargs) -> GeneratedDocument:
    return document_request(
        kind=DocumentKind.DAILY_ACTIVITY,
        client=tenant.client,
        site=tenant.site,
        period_start=day,
        period_end=day,
        now=NOW,
        **kwargs,
    )


def pdf_bytes(document: GeneratedDocument) -> bytes:
    with document.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


def test_a_requested_dar_is_rendered_after_commit_and_reads_back(tenant, django_capture_on_commit_callbacks):
    # given a worked day
    shift = b.worked_shift(tenant, start=b.local(b.DAY, 7), late_s=42)
    b.activity(shift, b.local(b.DAY, 8, 15), "Lobby doors unlocked for the cleaners.")

    # when a client contact asks for the DAR (the worker runs the task once the request commits)
    with django_capture_on_commit_callbacks(execute=True):
        document = dar(tenant, requested_by=tenant.client_contact)
    assert document.status == DocumentStatus.QUEUED

    # then the stored PDF is ready, counted, and carries the hash the row keeps
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.progress == 100
    pdf = pdf_bytes(document)
    reader = read(pdf)
    assert document.page_count == len(reader.pages)
    assert document.byte_size == len(pdf)
    assert document.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.file.name == pdf_path(document.pdf_sha256)
    assert FOOTER_HASH.search(text(pdf)).group(1) == document.content_hash
    assert reader.metadata.title == f"Daily activity report, {tenant.site.name}, 2025-11-12"
    assert "Lobby doors unlocked for the cleaners." in flat(text(pdf))
    assert f"/portal/verify/{document.content_hash}" in text(pdf)


def test_an_unchanged_day_is_reused_and_a_changed_one_rendered_again(tenant, django_capture_on_commit_callbacks):
    shift = b.worked_shift(tenant, start=b.local(b.DAY, 7))
    with django_capture_on_commit_callbacks(execute=True):
        first = dar(tenant)
    # asked again with nothing changed: the same document, nothing new queued
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = dar(tenant)
    assert again.pk == first.pk
    assert callbacks == []
    # a guard's late activity entry changes the data: a new document with another hash
    b.activity(shift, b.local(b.DAY, 18), "Late entry: pool gate latch broken.")
    with django_capture_on_commit_callbacks(execute=True):
        changed = dar(tenant)
    changed.refresh_from_db()
    first.refresh_from_db()
    assert changed.pk != first.pk
    assert changed.content_hash != first.content_hash
    assert changed.status == first.status == DocumentStatus.READY


def test_the_same_bytes_are_stored_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first_name, digest = pdf_store(b"%PDF-1.4 same bytes")
    second_name, _ = pdf_store(b"%PDF-1.4 same bytes")
    assert first_name == second_name == pdf_path(digest)
    assert len(list(tmp_path.rglob("*.pdf"))) == 1
    pdf_store(b"%PDF-1.4 other bytes")
    assert len(list(tmp_path.rglob("*.pdf"))) == 2


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"kind": "poster"}, "unknown_document_kind", "kind"),
        ({"period_start": date(2025, 11, 12), "period_end": date(2025, 11, 11)}, "period_reversed", "period_end"),
        ({"period_end": date(2025, 11, 13)}, "period_not_one_day", "period_end"),
        ({"period_start": date(2026, 1, 1), "period_end": date(2026, 1, 1)}, "period_in_future", "period_end"),
        ({"site": None}, "site_required", "site"),
        (
            {"kind": DocumentKind.MONTHLY_SITE, "period_start": date(2025, 1, 1), "period_end": date(2025, 6, 30)},
            "period_too_long",
            "period_end",
        ),
        ({"kind": DocumentKind.MONTHLY_CLIENT}, "site_not_expected", "site"),
        ({"kind": DocumentKind.INCIDENT}, "incident_required", "incident"),
    ],
)
def test_bad_input_is_refused_with_a_code_and_a_field(tenant, kwargs, code, field):
    request = {
        "kind": DocumentKind.DAILY_ACTIVITY,
        "client": tenant.client,
        "site": tenant.site,
        "period_start": b.DAY,
        "period_end": b.DAY,
        "now": NOW,
        **kwargs,
    }
    with pytest.raises(Exception) as refused:  # noqa: PT011 (the code is what is asserted)
        document_request(**request)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.status in (400, 422)
    assert not GeneratedDocument.objects.exists()


def test_another_clients_site_and_an_unapproved_report_are_not_found(tenant, other_tenant):
    with pytest.raises(Exception) as refused:  # noqa: PT011
        document_request(
            kind=DocumentKind.DAILY_ACTIVITY,
            client=tenant.client,
            site=other_tenant.site,
            period_start=b.DAY,
            period_end=b.DAY,
            now=NOW,
        )
    assert (refused.value.code, refused.value.status) == ("site_not_of_client", 404)
    report = b.report(b.worked_shift(tenant, start=b.local(b.DAY, 7)), b.local(b.DAY, 9), "Pending review.")
    with pytest.raises(Exception) as refused:  # noqa: PT011
        document_request(kind=DocumentKind.INCIDENT, client=tenant.client, incident=report, now=NOW)
    assert (refused.value.code, refused.value.field, refused.value.status) == ("incident_not_approved", "incident", 404)
    approved = b.approve(report, tenant.manager, b.local(b.DAY, 12))
    with pytest.raises(Exception) as refused:  # noqa: PT011
        document_request(kind=DocumentKind.INCIDENT, client=other_tenant.client, incident=approved, now=NOW)
    assert refused.value.code == "incident_not_approved"


def test_an_incident_pdf_is_the_approved_report(tenant, django_capture_on_commit_callbacks):
    shift = b.worked_shift(tenant, start=b.local(b.DAY, 7))
    report = b.report(
        shift, b.local(b.DAY, 9), "Smoke from the dumpster; fire department attended.", approved_by=tenant.manager
    )
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(kind=DocumentKind.INCIDENT, client=tenant.client, incident=report, now=NOW)
    document.refresh_from_db()
    assert (document.period_start, document.site_id) == (b.DAY, tenant.site.pk)
    response = pdf_response(document=document)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert (
        f"guardops-incident-ir-{str(report.pk).replace('-', '')[:8]}-2025-11-12.pdf" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Length"] == str(document.byte_size)
    assert b"".join(response.streaming_content) == pdf_bytes(document)
    # once archived, the report has no client copy any more: a new request is refused
    IncidentReport.objects.filter(pk=report.pk).update(archived_at=NOW)
    with pytest.raises(Exception) as refused:  # noqa: PT011
        document_request(kind=DocumentKind.INCIDENT, client=tenant.client, incident=report, now=NOW)
    assert refused.value.code == "incident_not_approved"


def test_a_document_not_ready_is_not_served(tenant):
    document = dar(tenant)
    with pytest.raises(DocumentNotReady) as refused:
        pdf_response(document=document)
    assert (refused.value.code, refused.value.status) == ("document_not_ready", 409)


def test_a_monthly_summary_reports_progress_and_finishes(tenant, django_capture_on_commit_callbacks, monkeypatch):
    for day in range(3, 8):
        b.worked_shift(tenant, start=b.local(date(2025, 11, day), 7))
    seen: list[tuple[int, str]] = []
    from backend.documents import services

    real_writer = services._progress_writer

    def spying(document):
        write = real_writer(document)

        def record(share, label):
            write(share, label)
            seen.append(GeneratedDocument.objects.values_list("progress", "progress_label").get(pk=document.pk))

        return record

    monkeypatch.setattr(services, "_progress_writer", spying)
    monkeypatch.setattr(services, "PROGRESS_EVERY_SECONDS", 0)
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            kind=DocumentKind.MONTHLY_CLIENT,
            client=tenant.client,
            period_start=date(2025, 11, 1),
            period_end=date(2025, 11, 30),
            now=NOW,
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    percents = [percent for percent, _ in seen]
    assert percents == sorted(percents)
    assert 0 < percents[0] < 100
    assert any(label.startswith("Laying out page") for _, label in seen)
    assert "Monthly summary — November 2025" in flat(text(pdf_bytes(document)))


def test_a_render_left_by_a_dead_worker_is_taken_over(tenant, django_capture_on_commit_callbacks):
    document = dar(tenant)
    # a worker claimed it 20 minutes ago and died
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.RENDERING, started_at=NOW - timedelta(minutes=20), attempts=1
    )
    # a live claim is left alone
    assert document_render(document_id=document.pk, now=NOW - timedelta(minutes=19)) is None
    # the sweep enqueues it again, and the render takes it over
    with django_capture_on_commit_callbacks(execute=True):
        assert documents_sweep(now=NOW) == 1
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    assert document.attempts == 2
    assert default_storage.exists(document.file.name)


def test_a_failing_render_is_marked_failed_with_its_reason(tenant, monkeypatch):
    from backend.documents import services

    document = dar(tenant)

    def broken(*args, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(services, "_render", broken)
    document_render(document_id=document.pk, now=NOW)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "font missing" in document.error
    # a new request after a failure queues a fresh document
    assert dar(tenant).pk != document.pk

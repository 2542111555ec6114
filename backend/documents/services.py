"""Writes over generated documents: ask for one (reused when its data is unchanged), render it in Celery."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader

from backend.accounts.models import User
from backend.core.localtime import to_local
from backend.documents.assemble import (
    client_time_zone,
    daily_activity_document,
    incident_report_document,
    period_summary_document,
)
from backend.documents.errors import DocumentInputInvalid, IncidentNotApproved, SiteNotOfClient
from backend.documents.models import DocumentKind, DocumentStatus, GeneratedDocument
from backend.documents.store import pdf_store
from backend.incidents.models import IncidentReport, IncidentStatus
from backend.sites.models import Client, Site
from reports import content_hash, render_daily_activity, render_incident_report, render_monthly_summary
from reports.documents import DailyActivityDoc, Document, IncidentReportDoc, MonthlySummaryDoc

logger = logging.getLogger(__name__)

MAX_PERIOD_DAYS = 62
"""A summary covers at most two months: longer runs belong in an export, not a PDF."""
RENDER_STALE_AFTER = timedelta(minutes=10)
"""A document `rendering` this long ago without finishing lost its worker: it is rendered again."""
QUEUED_STALE_AFTER = timedelta(minutes=10)
"""A document `queued` this long without a worker starting it (the broker lost the task) is enqueued again."""
MAX_RENDER_ATTEMPTS = 3
PROGRESS_EVERY_SECONDS = 0.5


@dataclass(frozen=True)
class DocumentScope:
    """What one document is about, checked: the kind, the client, the site and report, the period."""

    kind: str
    client: Client
    site: Site | None
    incident: IncidentReport | None
    period_start: date
    period_end: date


def _invalid(message: str, *, code: str, field: str) -> DocumentInputInvalid:
    return DocumentInputInvalid(message, code=code, field=field)


def _today(zone_name: str, now: datetime) -> date:
    return to_local(now, zone_name).date()


def document_scope_check(
    *,
    kind: str,
    client: Client,
    site: Site | None = None,
    incident: IncidentReport | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    now: datetime | None = None,
) -> DocumentScope:
    """The checked scope of a document request, or an ApplicationError with its code and field.

    Codes: `unknown_document_kind` (kind), `site_not_of_client` (site, 404), `incident_not_approved`
    (incident, 404), `site_required`, `site_not_expected` (site), `incident_required` (incident),
    `period_required` (period_start), `period_reversed`, `period_not_one_day`, `period_too_long`,
    `period_in_future` (period_end).
    """
    moment = now or timezone.now()
    if kind not in DocumentKind.values:
        raise _invalid(f"Unknown document kind {kind!r}.", code="unknown_document_kind", field="kind")
    if site is not None and site.client_id != client.pk:
        raise SiteNotOfClient()
    if kind == DocumentKind.INCIDENT:
        if incident is None:
            raise _invalid("Name the incident report.", code="incident_required", field="incident")
        report = (
            IncidentReport.objects.filter(
                pk=incident.pk,
                status=IncidentStatus.APPROVED,
                archived_at__isnull=True,
                shift__post__site__client=client,
            )
            .select_related("shift__post__site")
            .first()
        )
        if report is None:
            raise IncidentNotApproved()
        report_site = report.shift.post.site
        if site is not None and site.pk != report_site.pk:
            raise SiteNotOfClient()
        day = to_local(report.occurred_at, report_site.timezone).date()
        return DocumentScope(kind, client, report_site, report, day, day)
    if incident is not None:
        raise _invalid("Only an incident report names a report.", code="incident_not_expected", field="incident")
    if kind == DocumentKind.MONTHLY_CLIENT and site is not None:
        raise _invalid("A client's summary covers all its sites: name no site.", code="site_not_expected", field="site")
    if kind in (DocumentKind.DAILY_ACTIVITY, DocumentKind.MONTHLY_SITE) and site is None:
        raise _invalid("Name the site.", code="site_required", field="site")
    if period_start is None or period_end is None:
        raise _invalid("Give the first and last day of the period.", code="period_required", field="period_start")
    if period_end < period_start:
        raise _invalid("The period ends before it starts.", code="period_reversed", field="period_end")
    if kind == DocumentKind.DAILY_ACTIVITY and period_end != period_start:
        raise _invalid("A daily activity report covers one day.", code="period_not_one_day", field="period_end")
    if (period_end - period_start).days + 1 > MAX_PERIOD_DAYS:
        raise _invalid(f"A summary covers at most {MAX_PERIOD_DAYS} days.", code="period_too_long", field="period_end")
    zone_name = site.timezone if site is not None else client_time_zone(client)
    if period_start > _today(zone_name, moment):
        raise _invalid("That period has not started yet.", code="period_in_future", field="period_end")
    return DocumentScope(kind, client, site, None, period_start, period_end)


def document_data(*, scope: DocumentScope) -> Document:
    """The document's data, freshly assembled from the database (what the PDF will print)."""
    if scope.kind == DocumentKind.INCIDENT:
        assert scope.incident is not None  # noqa: S101 (document_scope_check guarantees it)
        return incident_report_document(report=scope.incident)
    if scope.kind == DocumentKind.DAILY_ACTIVITY:
        assert scope.site is not None  # noqa: S101
        return daily_activity_document(site=scope.site, day=scope.period_start)
    return period_summary_document(
        client=scope.client, first=scope.period_start, last=scope.period_end, site=scope.site
    )


def _enqueue_render(document_id: int) -> None:
    """Hand the render to a worker; a broker that is down leaves the row queued for the beat sweep."""
    from backend.documents.tasks import document_render_task

    try:
        document_render_task.delay(document_id)
    except Exception:  # the broker is down: documents_sweep re-enqueues queued rows
        logger.exception("Could not enqueue the render of document %s; the sweep will retry.", document_id)


def document_request(
    *,
    kind: str,
    client: Client,
    site: Site | None = None,
    incident: IncidentReport | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    requested_by: User | None = None,
    now: datetime | None = None,
) -> GeneratedDocument:
    """The document of this scope and period: the existing one when its data is unchanged, else a new
    queued one (rendered by a worker after commit). An incident's period is its day (pass none).

    The data is assembled now and hashed (reports.content_hash): the same hash as a ready, queued or
    rendering document of the same scope returns that document; otherwise a new row is queued.
    Raises the codes of `document_scope_check`.
    """
    moment = now or timezone.now()
    scope = document_scope_check(
        kind=kind, client=client, site=site, incident=incident, period_start=period_start, period_end=period_end,
        now=moment,
    )  # fmt: skip
    document, _ = document_for_scope(scope=scope, requested_by=requested_by, now=moment)
    return document


@transaction.atomic
def document_for_scope(
    *, scope: DocumentScope, requested_by: User | None = None, now: datetime | None = None, enqueue: bool = True
) -> tuple[GeneratedDocument, Document]:
    """`document_request` for a checked scope (`document_scope_check`), also returning the data it assembled;
    with `enqueue=False` a new document is left queued for the caller to render at once with that data
    (a worker that needs it now)."""
    moment = now or timezone.now()
    data = document_data(scope=scope)
    digest = content_hash(data)
    key = {
        "kind": scope.kind,
        "client": scope.client,
        "site": scope.site,
        "incident": scope.incident,
        "period_start": scope.period_start,
        "period_end": scope.period_end,
        "content_hash": digest,
    }
    existing: GeneratedDocument | None = (
        GeneratedDocument.objects.filter(**key).exclude(status=DocumentStatus.FAILED).first()
    )
    if existing is not None:
        return existing, data
    try:
        with transaction.atomic():
            document = GeneratedDocument.objects.create(
                **key, status=DocumentStatus.QUEUED, queued_at=moment, requested_by=requested_by,
                progress_label="Waiting for a worker",
            )  # fmt: skip
    except IntegrityError:
        # Asked for twice at once: the other request's row is the one.
        twin: GeneratedDocument = GeneratedDocument.objects.filter(**key).exclude(status=DocumentStatus.FAILED).get()
        return twin, data
    if enqueue:
        transaction.on_commit(lambda: _enqueue_render(document.pk))
    return document, data


def _scope_of(document: GeneratedDocument) -> DocumentScope:
    return DocumentScope(
        document.kind, document.client, document.site, document.incident, document.period_start, document.period_end
    )


def _render(data: Document, *, generated_at: datetime, progress: Callable[[float, str], None]) -> bytes:
    base = settings.GUARDOPS_BASE_URL
    if isinstance(data, IncidentReportDoc):
        return render_incident_report(data, verify_base_url=base, generated_at=generated_at, progress=progress)
    if isinstance(data, DailyActivityDoc):
        return render_daily_activity(data, verify_base_url=base, generated_at=generated_at, progress=progress)
    assert isinstance(data, MonthlySummaryDoc)  # noqa: S101
    return render_monthly_summary(data, verify_base_url=base, generated_at=generated_at, progress=progress)


def _claim(document_id: int, now: datetime) -> GeneratedDocument | None:
    """Take the document for this worker (row lock): None when it is done, failed, or another worker's."""
    with transaction.atomic():
        document: GeneratedDocument | None = (
            GeneratedDocument.objects.select_for_update(of=("self",))
            .select_related("client", "site", "incident")
            .filter(pk=document_id)
            .first()
        )
        if document is None or document.status in (DocumentStatus.READY, DocumentStatus.FAILED):
            return None
        started = document.started_at
        if document.status == DocumentStatus.RENDERING and started is not None and started > now - RENDER_STALE_AFTER:
            return None
        if document.attempts >= MAX_RENDER_ATTEMPTS:
            document.status = DocumentStatus.FAILED
            document.error = f"Gave up after {document.attempts} attempts (the worker stopped each time)."
            document.progress, document.progress_label = 0, "Failed"
            document.save(update_fields=["status", "error", "progress", "progress_label", "updated_at"])
            return None
        document.status, document.started_at = DocumentStatus.RENDERING, now
        document.attempts += 1
        document.progress, document.progress_label = 1, "Collecting the data"
        document.save(update_fields=["status", "started_at", "attempts", "progress", "progress_label", "updated_at"])
        return document


def _progress_writer(document: GeneratedDocument) -> Callable[[float, str], None]:
    """Writes the render's progress to the row at most every PROGRESS_EVERY_SECONDS (outside any transaction)."""
    # Nothing is written in the first PROGRESS_EVERY_SECONDS: a DAR is done before anyone could look.
    last = {"at": time.monotonic(), "percent": -1}
    rows = GeneratedDocument.objects.filter(
        pk=document.pk, status=DocumentStatus.RENDERING, started_at=document.started_at
    )

    def write(share: float, label: str) -> None:
        percent = max(2, min(99, int(5 + share * 94)))
        clock = time.monotonic()
        if percent == last["percent"] or clock - last["at"] < PROGRESS_EVERY_SECONDS:
            return
        last["at"], last["percent"] = clock, percent
        rows.update(progress=percent, progress_label=label[:120])

    return write


def document_render(
    *, document_id: int, now: datetime | None = None, data: Document | None = None
) -> GeneratedDocument | None:
    """Render a queued document to PDF, store it content-addressed and mark it ready (Celery runs this).

    Idempotent: a document that is ready, failed, or being rendered by another (live) worker is left
    alone; one left `rendering` by a dead worker is taken over. The data is assembled again here; when
    it changed since the request, the row takes the new content hash (the one the footer prints).
    `data` skips that second assembly when the caller assembled it a moment ago (the delivery worker).
    """
    moment = now or timezone.now()
    document = _claim(document_id, moment)
    if document is None:
        return None
    mine = GeneratedDocument.objects.filter(pk=document.pk, status=DocumentStatus.RENDERING, started_at=moment)
    try:
        if data is None:
            data = document_data(scope=_scope_of(document))
        digest = content_hash(data)
        pdf = _render(data, generated_at=moment, progress=_progress_writer(document))
        name, pdf_sha256 = pdf_store(pdf)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    except Exception as error:
        logger.exception("Rendering document %s failed", document.pk)
        mine.update(status=DocumentStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000] or "error",
                    progress=0, progress_label="Failed", updated_at=timezone.now())  # fmt: skip
        return _reread(document.pk)
    try:
        with transaction.atomic():
            done = mine.update(
                status=DocumentStatus.READY, content_hash=digest, file=name, pdf_sha256=pdf_sha256, page_count=pages,
                byte_size=len(pdf), generated_at=moment, progress=100, progress_label="Ready", error="",
                updated_at=timezone.now(),
            )  # fmt: skip
            if not done:
                logger.warning("Document %s was taken over by another worker while rendering.", document.pk)
            else:
                transaction.on_commit(lambda: _deliveries_waiting_on(document.pk))
    except IntegrityError:
        # The data changed while it was queued, into what another live document already holds.
        twin = (
            GeneratedDocument.objects.filter(
                kind=document.kind, client=document.client, site=document.site,
                incident=document.incident, period_start=document.period_start, period_end=document.period_end,
                content_hash=digest,
            )
            .exclude(pk=document.pk)
            .exclude(status=DocumentStatus.FAILED)
            .values_list("pk", flat=True)
            .first()
        )  # fmt: skip
        mine.update(status=DocumentStatus.FAILED, error=f"Superseded: document {twin} has the same content.",
                    progress=0, progress_label="Superseded", updated_at=timezone.now())  # fmt: skip
    return _reread(document.pk)


def _deliveries_waiting_on(document_id: int) -> None:
    """E-mails waiting for this PDF go out now (the delivery half of this app, imported late: it imports us)."""
    from backend.documents.delivery import deliveries_document_ready

    deliveries_document_ready(document_id=document_id)


def _reread(document_id: int) -> GeneratedDocument:
    document: GeneratedDocument = GeneratedDocument.objects.get(pk=document_id)
    return document


def documents_sweep(*, now: datetime | None = None) -> int:
    """Enqueue again what lost its worker or its task: documents `rendering` too long, or `queued` too long.

    Run by beat every minute; returns how many were enqueued. document_render decides again under
    its row lock, so a document enqueued twice is rendered once.
    """
    moment = now or timezone.now()
    stale = list(
        GeneratedDocument.objects.filter(status=DocumentStatus.RENDERING, started_at__lt=moment - RENDER_STALE_AFTER)
        .values_list("pk", flat=True)
        .union(
            GeneratedDocument.objects.filter(
                status=DocumentStatus.QUEUED, queued_at__lt=moment - QUEUED_STALE_AFTER
            ).values_list("pk", flat=True)
        )
    )
    for document_id in stale:
        _enqueue_render(document_id)
    return len(stale)

"""Client documents: the PDFs of `reports/` built from the database, stored, rendered in Celery, delivered.

The interface (keyword-only; errors are ApplicationErrors with `code` and `field`, see errors.py):

Assemblers, `backend.documents.assemble` (ORM -> `reports.documents` dataclasses, client-safe):
- `incident_report_document(*, report: IncidentReport) -> IncidentReportDoc` — approved, unarchived
  reports only (else `IncidentNotApproved`, 404 `incident_not_approved`); flags shown to the client only.
- `daily_activity_document(*, site: Site, day: date) -> DailyActivityDoc` — the site's local day.
- `monthly_summary_document(*, client: Client, month: date, site: Site | None = None) -> MonthlySummaryDoc`
  (`period_summary_document(*, client, first, last, site=None)` for any period).
- `report_reference(report_id) -> str` ("IR-1A2B3C4D", how a report is named on paper),
  `client_time_zone(client) -> str`, `verified_seconds()` (the SQL expression of a shift's verified
  seconds on post that the summaries use), `month_bounds(month) -> (first, last)`.
  `reports.figures.summarise(doc)` gives a summary's figures for a page, so page and PDF agree.

Services, `backend.documents.services`:
- `document_request(*, kind, client, site=None, incident=None, period_start=None, period_end=None,
  requested_by=None) -> GeneratedDocument` — `kind` is a `DocumentKind` value (incident, daily_activity,
  monthly_client, monthly_site). Returns the existing ready (or queued/rendering) document when the
  freshly assembled data has the same content hash, else a new queued row rendered by Celery after
  commit. An incident's period is its local day (pass no period). Codes: unknown_document_kind,
  site_not_of_client (404), incident_not_approved (404), site_required, site_not_expected,
  incident_required, incident_not_expected, period_required, period_reversed, period_not_one_day,
  period_too_long, period_in_future.
- `document_scope_check(...)` raises those codes without assembling anything (a form can check first);
  `document_for_scope(*, scope, requested_by=None, now=None, enqueue=True)` is document_request
  for a checked scope, returning (document, data).
- `document_render(*, document_id) -> GeneratedDocument | None` — what `tasks.document_render_task` runs; writes
  `progress` (0-100) and `progress_label` as it goes, so a page can poll them.

Selectors, `backend.documents.selectors`:
- `document_for_contact(*, contact: User, document_id: int) -> GeneratedDocument` — any state;
  `DocumentNotFound` (404 `document_not_found`) for another client's or company's document, a site the
  contact is not limited to, a client-wide summary for a site-limited contact, a non-contact.
- `documents_for_contact(*, contact, kind=None, site_id=None, ready_only=True) -> QuerySet`.
- `document_verification(*, content_hash: str) -> GeneratedDocument | None` — for /portal/verify/<hash>
  (public: show only that GuardOps issued it, to whom and when).

HTTP, `backend.documents.http`:
- `pdf_response(*, document, filename=None, inline=False) -> FileResponse` — application/pdf, attachment
  with `document_filename(document)`, nosniff, `private, no-store`, Content-Length, ETag;
  `DocumentNotReady` (409 `document_not_ready`) when not ready.

Delivery preferences (the portal's preferences page), `backend.documents.delivery` / `.selectors`:
- `delivery_preference_for(*, contact) -> DeliveryPreference` (selectors) — saved, or the defaults
  unsaved (`pk is None`: nothing e-mailed, e-mail on); `delivery_preference_sites(*, preference)
  -> list[int]` (empty: all sites); `deliveries_for_contact(*, contact, limit=50)` what was e-mailed.
- `delivery_preference_update(*, contact, daily_reports: str, incident_reports: bool,
  monthly_summary: bool, email_enabled: bool, site_ids: Collection[int] = ()) -> DeliveryPreference`
  (delivery) — replaces all fields; `daily_reports` is a `DarFrequency` value (daily / weekly / off).
  Codes: not_a_client_contact (403), unknown_frequency (daily_reports), site_not_visible (site_ids),
  email_missing (email_enabled).
- E-mails link to `{GUARDOPS_BASE_URL}/portal/documents/<id>` (`delivery.portal_link(document)`).

Model fields a page reads (`backend.documents.models.GeneratedDocument`): kind, client, site, incident,
period_start, period_end, status (queued / rendering / ready / failed), progress, progress_label,
page_count, byte_size, generated_at, content_hash, error; `is_ready`.
"""

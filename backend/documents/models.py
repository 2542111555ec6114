"""Generated client documents (PDFs) and their scheduled delivery.

A `GeneratedDocument` is one PDF of one scope and period (an incident report, a site's day,
a client's or a site's month), made by a Celery task from data assembled at request time.
Its `content_hash` is the SHA-256 printed in the PDF's footer (reports.content_hash over the
document's data); the PDF bytes themselves are stored content-addressed (the file's name is
the SHA-256 of its bytes), so the same bytes are stored once however many rows name them.

A `DeliveryPreference` says what a client contact wants e-mailed; a `DeliveryRecord` is one
e-mail owed or sent to one contact for one scope and period: unique, so a beat job that
runs twice, or a re-delivered task, sends nothing twice.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from backend.core.models import TenantModel


class DocumentKind(models.TextChoices):
    INCIDENT = "incident", "Incident report"
    DAILY_ACTIVITY = "daily_activity", "Daily activity report"
    MONTHLY_CLIENT = "monthly_client", "Monthly summary (client)"
    MONTHLY_SITE = "monthly_site", "Monthly summary (site)"


# queued -> rendering -> ready | failed; a stale `rendering` (worker died) is queued again by beat.
class DocumentStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class GeneratedDocument(TenantModel):
    """One PDF of one scope (incident, site-day, client- or site-month) and period, and how far it is."""

    TENANT_PATH: ClassVar[str] = "client__company"
    CLIENT_PATH: ClassVar[str] = "client"
    # A client-wide summary is on no site: a contact limited to some sites never sees it.
    SITE_PATH: ClassVar[str] = "site"

    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    client = models.ForeignKey("sites.Client", on_delete=models.PROTECT, related_name="documents")
    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    incident = models.ForeignKey(
        "incidents.IncidentReport", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    period_start = models.DateField()
    period_end = models.DateField(help_text="Inclusive.")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the document's data, printed in the footer.")
    status = models.CharField(max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done while rendering.")
    progress_label = models.CharField(max_length=120, blank=True)
    # Content-addressed: documents/<aa>/<bb>/<sha256 of the bytes>.pdf under MEDIA_ROOT (never MEDIA_URL).
    file = models.FileField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the PDF bytes.")
    page_count = models.PositiveIntegerField(null=True, blank=True)
    byte_size = models.PositiveIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True, help_text="When a worker last started rendering it.")
    attempts = models.PositiveSmallIntegerField(default=0)
    generated_at = models.DateTimeField(null=True, blank=True, help_text="The generation time printed in the PDF.")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ("-queued_at", "-pk")
        indexes = [
            models.Index(fields=("client", "kind", "period_start"), name="document_client_kind_idx"),
            models.Index(fields=("site", "kind", "period_start"), name="document_site_kind_idx"),
            models.Index(fields=("content_hash",), name="document_content_hash_idx"),
            models.Index(
                fields=("status", "queued_at"),
                condition=Q(status__in=("queued", "rendering")),
                name="document_todo_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in DocumentKind]), name="document_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in DocumentStatus]), name="document_status_known"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="document_progress_percent"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="document_period_ordered"),
            # Each kind names exactly its scope: an incident on its site, a day or a month of a site, a client's month.
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.INCIDENT, incident__isnull=False, site__isnull=False)
                | Q(
                    kind=DocumentKind.DAILY_ACTIVITY,
                    incident__isnull=True,
                    site__isnull=False,
                    period_end=F("period_start"),
                )
                | Q(kind=DocumentKind.MONTHLY_SITE, incident__isnull=True, site__isnull=False)
                | Q(kind=DocumentKind.MONTHLY_CLIENT, incident__isnull=True, site__isnull=True),
                name="document_kind_scope",
            ),  # fmt: skip
            # Ready means bytes stored, counted and dated; failed says why; only a ready one has a file.
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.READY)
                | Q(
                    ~Q(file=""),
                    ~Q(pdf_sha256=""),
                    page_count__isnull=False,
                    byte_size__isnull=False,
                    generated_at__isnull=False,
                    progress=100,
                ),
                name="document_ready_has_file",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(status=DocumentStatus.READY) | Q(file="", pdf_sha256=""), name="document_file_only_ready"
            ),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.FAILED) | ~Q(error=""), name="document_failed_has_error"
            ),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.RENDERING) | Q(started_at__isnull=False),
                name="document_rendering_has_started_at",
            ),
            # One live document per scope, period and content: a second request gets the first.
            models.UniqueConstraint(
                fields=("kind", "client", "site", "incident", "period_start", "period_end", "content_hash"),
                condition=~Q(status=DocumentStatus.FAILED),
                nulls_distinct=False,
                name="document_once_per_content",
            ),
        ]

    def __str__(self) -> str:
        period = self.period_start.isoformat()
        if self.period_end != self.period_start:
            period += f"–{self.period_end.isoformat()}"
        return f"{self.get_kind_display()} {period} ({self.get_status_display()})"

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY


# --- Delivery ------------------------------------------------------------------------------


class DarFrequency(models.TextChoices):
    DAILY = "daily", "Every morning (yesterday's reports)"
    WEEKLY = "weekly", "Weekly on Monday (last week's reports)"
    OFF = "off", "Off"


class DeliveryPreference(TenantModel):
    """What one client contact wants e-mailed: which reports, for which sites, how often.

    `sites` empty means every site the contact may see (and new ones as they come); a
    contact with none of these rows gets the defaults of `delivery_preference_for`.
    """

    TENANT_PATH: ClassVar[str] = "contact__company"
    CLIENT_PATH: ClassVar[str] = "contact__client"

    contact = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_preference"
    )
    daily_reports = models.CharField(max_length=10, choices=DarFrequency.choices, default=DarFrequency.OFF)
    incident_reports = models.BooleanField(default=False, help_text="E-mail each incident report once approved.")
    monthly_summary = models.BooleanField(default=False, help_text="E-mail last month's summary on the 1st.")
    email_enabled = models.BooleanField(default=True, help_text="Off: nothing is e-mailed (the portal keeps all).")
    sites = models.ManyToManyField("sites.Site", blank=True, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(daily_reports__in=[choice.value for choice in DarFrequency]),
                name="delivery_daily_reports_known",
            )
        ]

    def __str__(self) -> str:
        return f"Delivery preference of {self.contact}"


class DeliveryKind(models.TextChoices):
    DAR_DAILY = "dar_daily", "Daily activity report"
    DAR_WEEKLY = "dar_weekly", "Weekly bundle of daily activity reports"
    INCIDENT = "incident", "Approved incident report"
    MONTHLY = "monthly", "Monthly summary"


# pending (waiting for its PDFs) -> sending -> sent | failed; a stale `sending` is retried by beat.
class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class DeliveryRecord(TenantModel):
    """One e-mail owed to one contact for one scope and period, and what became of it."""

    TENANT_PATH: ClassVar[str] = "contact__company"
    CLIENT_PATH: ClassVar[str] = "contact__client"
    SITE_PATH: ClassVar[str] = "site"

    contact = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=12, choices=DeliveryKind.choices)
    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    incident = models.ForeignKey(
        "incidents.IncidentReport", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    documents = models.ManyToManyField(GeneratedDocument, blank=True, related_name="deliveries")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    due_at = models.DateTimeField(help_text="When it was due (the site's or client's 07:00).")
    prepare_queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When its documents were last asked for (the sweep asks again if lost)."
    )
    address = models.CharField(max_length=254, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sending_since = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ("-due_at", "-pk")
        indexes = [
            models.Index(
                fields=("status", "due_at"), condition=Q(status__in=("pending", "sending")), name="delivery_todo_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=("contact", "kind", "site", "incident", "period_start", "period_end"),
                nulls_distinct=False,
                name="delivery_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in DeliveryKind]), name="delivery_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in DeliveryStatus]), name="delivery_status_known"
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="delivery_period_ordered"),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(~Q(message_id=""), sent_at__isnull=False),
                name="delivery_sent_has_message",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENDING) | Q(sending_since__isnull=False),
                name="delivery_sending_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.FAILED) | ~Q(error=""), name="delivery_failed_has_error"
            ),
            models.CheckConstraint(
                condition=~Q(kind=DeliveryKind.INCIDENT) | Q(incident__isnull=False), name="delivery_incident_named"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start} to {self.contact} ({self.get_status_display()})"

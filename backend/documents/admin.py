"""Client documents and their e-mails in the admin: what was issued, and whether the client got it.

"I never got yesterday's report" is a call an operations manager answers here: each delivery
with its address, attempts, Message-ID, sent time or error, and the PDFs it carried. A company's
manager sees only the company's rows (admin_tenancy). Issued documents and delivery records are
evidence (the PDF's hash is printed on it and checked at /portal/verify/): read here, never added,
changed or deleted. A contact's e-mail preferences are the contact's own choice, made in the
portal: read here too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html

from backend.core.admin_tenancy import EvidenceAdmin, ReadOnlyAdminMixin, TenantScopedAdmin, site_time
from backend.documents.models import DeliveryPreference, DeliveryRecord, GeneratedDocument

DOCUMENT_ZONES = ("site.timezone", "client.company.timezone")
DELIVERY_ZONES = ("site.timezone", "contact.company.timezone")


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(EvidenceAdmin):
    list_display = (
        "queued_local", "kind", "client", "site", "period_start", "period_end", "status", "page_count", "short_hash",
    )  # fmt: skip
    list_filter = ("kind", "status", "client")
    list_select_related = ("client__company", "site")
    search_fields = ("content_hash", "pdf_sha256", "client__name", "site__name")
    date_hierarchy = "queued_at"
    site_zone_paths = DOCUMENT_ZONES

    queued_local = site_time("queued_at", "Asked for")

    @admin.display(description="SHA-256 (footer)")
    def short_hash(self, document: GeneratedDocument) -> str:
        return format_html("<code>{}</code>", document.content_hash[:12])

    # The stored file is served by the portal and the console (with the viewer's rights), never at MEDIA_URL:
    # the admin names it and does not link to it.
    exclude = ("file",)

    @admin.display(description="Stored as")
    def stored_as(self, document: GeneratedDocument) -> str:
        return document.file.name or "(not rendered yet)"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Every field, including any added later: an issued document is not edited.
        fields = [field.name for field in self.model._meta.concrete_fields if field.name != "file"]
        return [self._on_site_clock(name) for name in fields] + ["stored_as"]


@admin.register(DeliveryRecord)
class DeliveryRecordAdmin(EvidenceAdmin):
    list_display = ("due_local", "contact", "kind", "site", "period_start", "status", "attempts", "sent_local", "error")
    list_filter = ("status", "kind", "site")
    list_select_related = ("contact__company", "contact__client", "site")
    search_fields = ("contact__username", "contact__email", "address", "message_id", "error")
    date_hierarchy = "due_at"
    site_zone_paths = DELIVERY_ZONES

    due_local = site_time("due_at", "Due")
    sent_local = site_time("sent_at", "Sent")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [self._on_site_clock(field.name) for field in self.model._meta.concrete_fields] + ["documents"]


@admin.register(DeliveryPreference)
class DeliveryPreferenceAdmin(ReadOnlyAdminMixin, TenantScopedAdmin):
    list_display = ("contact", "daily_reports", "incident_reports", "monthly_summary", "email_enabled")
    list_filter = ("daily_reports", "email_enabled")
    list_select_related = ("contact__company", "contact__client")
    search_fields = ("contact__username", "contact__email")

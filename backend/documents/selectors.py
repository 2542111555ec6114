"""Reads over generated documents: what a client contact may open, and what a content hash names."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from backend.accounts.models import User
from backend.core.errors import PermissionDenied
from backend.core.querysets import filter_given
from backend.documents.errors import DocumentNotFound
from backend.documents.models import DeliveryPreference, DeliveryRecord, DocumentStatus, GeneratedDocument
from backend.incidents.models import IncidentStatus
from backend.sites.scopes import Scope, scope_for

_SHA256 = re.compile(r"[0-9a-f]{64}")


def documents_visible(*, scope: Scope) -> QuerySet[GeneratedDocument]:
    """Documents of the clients and sites the viewer may see, newest first.

    A contact limited to some sites sees those sites' documents only, never a client-wide
    summary (it covers the other sites too). An incident's document disappears with the
    report's approval or when the report is archived.
    """
    documents = GeneratedDocument.objects.for_scope(scope)
    if scope.approved_reports_only:
        documents = documents.filter(
            Q(incident__isnull=True) | Q(incident__status=IncidentStatus.APPROVED, incident__archived_at__isnull=True)
        )
    return documents.select_related("client", "site").defer("site__geofence").order_by("-queued_at", "-pk")


def _contact_scope(contact: User) -> Scope | None:
    if not contact.is_active or not contact.is_client_contact:
        return None
    try:
        return scope_for(contact)
    except PermissionDenied:
        return None


def documents_for_contact(
    *, contact: User, kind: str | None = None, site_id: int | None = None, ready_only: bool = True
) -> QuerySet[GeneratedDocument]:
    """The documents a client contact may open (by default the ready ones), optionally of one kind or site."""
    scope = _contact_scope(contact)
    if scope is None:
        return GeneratedDocument.objects.none()
    documents = filter_given(documents_visible(scope=scope), kind=kind, site_id=site_id)
    return documents.filter(status=DocumentStatus.READY) if ready_only else documents


def document_for_contact(*, contact: User, document_id: int) -> GeneratedDocument:
    """One document the client contact may open, in any state (the portal shows progress while it
    renders); another client's, company's or an unseen site's is DocumentNotFound (a 404)."""
    document = documents_for_contact(contact=contact, ready_only=False).filter(pk=document_id).first()
    if document is None:
        raise DocumentNotFound()
    return document


def document_verification(*, content_hash: str) -> GeneratedDocument | None:
    """The ready document GuardOps issued with this content hash (the footer's SHA-256), or None.

    Anyone holding the PDF may ask (the verify page is public): only the fact and time of issue
    should be shown from it, never the document. A malformed hash is simply not found.
    """
    digest = content_hash.strip().lower()
    if not _SHA256.fullmatch(digest):
        return None
    document: GeneratedDocument | None = (
        GeneratedDocument.objects.filter(content_hash=digest, status=DocumentStatus.READY)
        .select_related("client__company", "site")
        .defer("site__geofence")
        .order_by("generated_at", "pk")
        .first()
    )
    return document


def delivery_preference_for(*, contact: User) -> DeliveryPreference:
    """The contact's delivery preference, or the defaults (nothing e-mailed, e-mail on) unsaved.

    `preference.sites.all()` are the chosen sites (empty: all); a default (`preference.pk is None`)
    has none to read: `delivery_preference_sites(preference=...)` answers both.
    """
    preference: DeliveryPreference | None = DeliveryPreference.objects.filter(contact=contact).first()
    return preference if preference is not None else DeliveryPreference(contact=contact)


def delivery_preference_sites(*, preference: DeliveryPreference) -> list[int]:
    """The ids of the sites the preference names (empty: every site the contact may see)."""
    if preference.pk is None:
        return []
    return list(preference.sites.order_by("pk").values_list("pk", flat=True))


def deliveries_for_contact(*, contact: User, limit: int = 50) -> QuerySet[DeliveryRecord]:
    """The contact's latest deliveries (what was e-mailed when, what failed), newest first."""
    return (
        DeliveryRecord.objects.filter(contact=contact)
        .select_related("site")
        .defer("site__geofence")
        .order_by("-due_at", "-pk")[:limit]
    )

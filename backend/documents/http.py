"""A generated PDF as an HTTP response: the one way its bytes leave the server."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.text import slugify

from backend.documents.errors import DocumentNotReady
from backend.documents.models import DocumentKind, GeneratedDocument


def document_filename(document: GeneratedDocument) -> str:
    """A name a person recognises in their downloads: guardops-dar-riverside-commons-2026-01-14.pdf."""
    if document.kind == DocumentKind.INCIDENT:
        reference = str(document.incident_id).replace("-", "")[:8].lower()
        parts = ["incident", f"ir-{reference}", document.period_start.isoformat()]
    elif document.kind == DocumentKind.DAILY_ACTIVITY:
        parts = ["dar", slugify(document.site.name if document.site else ""), document.period_start.isoformat()]
    else:
        who = document.site.name if document.site is not None else document.client.name
        span = (
            f"{document.period_start:%Y-%m}"
            if document.period_start.day == 1
            and (document.period_end.month, document.period_end.year)
            == (document.period_start.month, document.period_start.year)
            else f"{document.period_start.isoformat()}-to-{document.period_end.isoformat()}"
        )
        parts = ["summary", slugify(who), span]
    return "-".join(["guardops", *[part for part in parts if part]]) + ".pdf"


def pdf_response(*, document: GeneratedDocument, filename: str | None = None, inline: bool = False) -> FileResponse:
    """The ready document's PDF: application/pdf, a download (or `inline`) named `filename` (default:
    document_filename), nosniff, `private, no-store` (a client's report never sits in a shared cache),
    Content-Length and an ETag of the bytes. DocumentNotReady (409) while it renders or after it failed.

    The caller has already checked the viewer (selectors.document_for_contact).
    """
    if not document.is_ready or not document.file:
        raise DocumentNotReady("This document is not ready yet.")
    response = FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=not inline,
        filename=filename or document_filename(document),
    )
    if document.byte_size is not None:
        response["Content-Length"] = str(document.byte_size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["ETag"] = f'"{document.pdf_sha256}"'
    return response

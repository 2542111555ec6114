"""PDF bytes stored content-addressed: the file's name is the SHA-256 of its bytes, so the same bytes are
stored once however many documents (or re-renders) produce them, and a stored file is never rewritten.

Files live in the default storage (MEDIA_ROOT) under documents/, which no URL serves: a PDF
leaves only through `backend.documents.http.pdf_response`, after the viewer was checked.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

PREFIX = "documents"


def pdf_path(digest: str) -> str:
    """documents/ab/cd/abcd….pdf: two levels of fan-out keep directories small."""
    return f"{PREFIX}/{digest[:2]}/{digest[2:4]}/{digest}.pdf"


def pdf_store(data: bytes) -> tuple[str, str]:
    """Store `data` once; returns (storage name, SHA-256 hex of the bytes)."""
    digest = hashlib.sha256(data).hexdigest()
    name = pdf_path(digest)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:
            # Another worker stored the same bytes between exists() and save(): the storage
            # picked another name for our copy, which nobody needs.
            default_storage.delete(saved)
    return name, digest

"""The content hash printed in every PDF's footer and checked by the portal's verify page.

The hash is over the document's *data*, not the PDF bytes: the same report rendered twice
(another generation time, another ReportLab version) has the same hash, and the portal can
recompute it from its records. The canonical form is JSON with sorted keys and no spaces:
`{"kind": ..., "schema": 1, "data": {...}}`, where a dataclass is an object of its fields,
a tuple a list, an aware datetime its UTC ISO form, a date its ISO form and bytes the
SHA-256 of the bytes (a photo counts by its exact content without putting megabytes in the
JSON). Changing this form changes every hash: bump SCHEMA and keep the old one verifiable.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

from reports.documents import DailyActivityDoc, Document, IncidentReportDoc, MonthlySummaryDoc

SCHEMA = 1
KINDS: dict[type, str] = {
    IncidentReportDoc: "incident_report",
    DailyActivityDoc: "daily_activity",
    MonthlySummaryDoc: "monthly_summary",
}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ValueError(f"A naive datetime has no instant to hash: {value!r}; pass an aware one.")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return "sha256:" + hashlib.sha256(value).hexdigest()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{type(value).__name__} has no canonical form")


def canonical_json(doc: Document) -> bytes:
    """The document's data as canonical UTF-8 JSON (what `content_hash` hashes)."""
    payload = {"kind": KINDS[type(doc)], "schema": SCHEMA, "data": _plain(doc)}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def content_hash(doc: Document) -> str:
    """SHA-256 (64 lowercase hex digits) of the document's canonical JSON."""
    return hashlib.sha256(canonical_json(doc)).hexdigest()


def verify_url(base_url: str, digest: str) -> str:
    """The portal page that says whether GuardOps issued a document with this hash, and when."""
    return f"{base_url.rstrip('/')}/portal/verify/{digest}"

"""Pieces of the first page shared by the three documents: the letterhead and photo grids."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Image, Paragraph, Spacer, Table

from reports.canonical import content_hash
from reports.documents import Document, Issuer
from reports.pdf.base import (
    CELL,
    SMALL,
    SUBTITLE,
    TITLE,
    PdfMeta,
    day_time,
    esc,
    now_utc,
)
from reports.pdf.photos import PreparedPhoto, prepare

LOGO_BOX = (1.6 * inch, 0.6 * inch)


def meta_for(doc: Document, title: str, subject: str, period: str, footer: tuple[str, datetime | None]) -> PdfMeta:
    """The PDF's metadata and footer facts; `footer` is (verify base URL, generation time or None for now)."""
    verify_base_url, generated_at = footer
    return PdfMeta(title=title, subject=subject, author=doc.issuer.company_name, client=doc.client_name,
                   period=period, digest=content_hash(doc), verify_base_url=verify_base_url,
                   generated_at=generated_at or now_utc(), zone=ZoneInfo(doc.time_zone))


def letterhead(issuer: Issuer, title: str, subtitle: str, width: float) -> list[Flowable]:
    """Company logo (or name) beside the document's title and subtitle."""
    logo = prepare(issuer.logo, *LOGO_BOX, dpi=300) if issuer.logo else None
    heading = [Paragraph(esc(title), TITLE), Paragraph(esc(subtitle), SUBTITLE)]
    left: Flowable
    if logo is not None:
        left = Image(BytesIO(logo.jpeg), width=logo.width_pt, height=logo.height_pt, hAlign="LEFT")
    else:
        left = Paragraph(f"<b>{esc(issuer.company_name)}</b>", CELL)
    return [
        Table(
            [[heading, left]],
            colWidths=[width - LOGO_BOX[0] - 6, LOGO_BOX[0] + 6],
            style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                   ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)],
        ),
        Spacer(1, 4),
    ]


def photo_grid(
    prepared: Sequence[PreparedPhoto | None],
    captions: Sequence[str],
    taken: Sequence[datetime | None],
    zone: ZoneInfo,
    *,
    columns: int,
    width: float,
) -> Table:
    """Photos in a grid, each with its caption (untrusted) and the time it was taken."""
    column_width = width / columns
    cells: list[list[Flowable]] = []
    for photo, caption, taken_at in zip(prepared, captions, taken, strict=True):
        parts: list[Flowable] = []
        if photo is None:
            parts.append(Paragraph("<i>This photo could not be read.</i>", SMALL))
        else:
            parts.append(Image(BytesIO(photo.jpeg), width=photo.width_pt, height=photo.height_pt))
        line = " · ".join(part for part in (caption, day_time(taken_at, zone) if taken_at else "") if part)
        if line:
            parts.append(Paragraph(esc(line), SMALL))
        cells.append(parts)
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    if rows and len(rows[-1]) < columns:
        rows[-1] += [[]] * (columns - len(rows[-1]))
    return Table(
        rows,
        colWidths=[column_width] * columns,
        style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
               ("BOTTOMPADDING", (0, 0), (-1, -1), 8)],
    )

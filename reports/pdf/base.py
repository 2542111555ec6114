"""What every GuardOps PDF shares: styles, escaping, local times, the page frame and the footer.

One layout pass per document. "page N of M" needs M before any page is final, and a table
of contents needs the pages of what follows it; ReportLab's usual answer (`multiBuild`,
re-laying the whole document until the numbers settle) doubles the work. Instead each
footer draws its page number as a PDF form XObject that is defined at save time, when M is
known, and a table of contents is laid out *after* the body, once its pages are known, and
its page is then moved to the front of the page tree (pages are referenced by object, so
outline entries and links keep pointing at the right page).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Paragraph, Table
from reportlab.platypus.flowables import DocIf

from reports.canonical import verify_url

PAGE_SIZE = LETTER
MARGIN = 0.6 * inch
FOOTER_HEIGHT = 0.75 * inch
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#cbd2d9")
HEADER_FILL = colors.HexColor("#e4e7eb")
ACCENT = colors.HexColor("#0b5394")

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=9.5, leading=12.5, textColor=INK, spaceAfter=4)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10, textColor=MUTED, spaceAfter=0)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8, leading=10, spaceAfter=0)
TITLE = ParagraphStyle("title", parent=BODY, fontName="Helvetica-Bold", fontSize=17, leading=21, spaceAfter=2)
SUBTITLE = ParagraphStyle("subtitle", parent=BODY, fontSize=10.5, leading=14, textColor=MUTED, spaceAfter=8)
H2 = ParagraphStyle(
    "h2", parent=BODY, fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=10, spaceAfter=4,
    textColor=ACCENT, keepWithNext=1,
)
STATEMENT = ParagraphStyle("statement", parent=BODY, fontName="Helvetica-Bold", fontSize=10.5, leading=14)
TOC_PAGE = ParagraphStyle("tocpage", parent=BODY, alignment=TA_RIGHT)

# C0 controls other than tab and newline: ReportLab cannot print them and some end its parser.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def esc(text: str) -> str:
    """Guard- or client-written text as Paragraph markup that prints exactly as text.

    ReportLab's Paragraph parses its input as markup (`<font>`, `<img src>`, `<link>`,
    entities; CVE-2023-33733 ran code through a `<font color>` attribute), so every
    `&`, `<` and `>` is escaped; newlines become line breaks.
    """
    return escape(_CONTROL.sub("", text)).replace("\n", "<br/>")


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A Paragraph of untrusted text."""
    return Paragraph(esc(text), style)


def paragraphs(text: str, style: ParagraphStyle = BODY) -> list[Flowable]:
    """Untrusted multi-paragraph text (blank lines separate paragraphs); each splits across pages."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return [para(block, style) for block in blocks if block]


def cell_text(text: str) -> str:
    """Untrusted text for a plain table cell: Table draws strings without parsing markup."""
    return _CONTROL.sub("", text)


# --- local time --------------------------------------------------------------------------------


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError(f"A naive datetime cannot be placed in a zone: {moment!r}; pass an aware one.")
    return moment.astimezone(zone)


def hhmm(moment: datetime | None, zone: ZoneInfo) -> str:
    return "—" if moment is None else local(moment, zone).strftime("%H:%M")


def day_time(moment: datetime | None, zone: ZoneInfo) -> str:
    return "—" if moment is None else local(moment, zone).strftime("%a %d %b %H:%M")


def full_time(moment: datetime | None, zone: ZoneInfo) -> str:
    return "—" if moment is None else local(moment, zone).strftime("%a %d %b %Y %H:%M %Z")


def long_date(day: date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def period_label(start: date, end: date) -> str:
    if start == end:
        return f"{start.day} {start.strftime('%b %Y')}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {start.strftime('%b %Y')}"
    return f"{start.day} {start.strftime('%b %Y')} – {end.day} {end.strftime('%b %Y')}"


# --- tables -----------------------------------------------------------------------------------

TABLE_STYLE: list[tuple[Any, ...]] = [
    ("FONT", (0, 0), (-1, -1), "Helvetica", 8),
    ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
    ("TEXTCOLOR", (0, 0), (-1, -1), INK),
    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
    ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]


def table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float], *, numeric: Sequence[int] = ()
) -> Table:
    """A register table whose header row repeats on every page it runs onto.

    Cells are plain strings (drawn, not parsed: fast and markup-free) except where the
    caller passes a Paragraph for free text that must wrap.
    """
    style = list(TABLE_STYLE)
    style += [("ALIGN", (column, 0), (column, -1), "RIGHT") for column in numeric]
    return Table([list(header), *[list(row) for row in rows]], colWidths=list(widths), repeatRows=1, style=style)


def register(
    title: str, key: str, header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float], *,
    empty: str, tabulate: Any = table, numeric: Sequence[int] = (),
) -> list[Flowable]:
    """A section with its table, or with a sentence that says positively that there is nothing."""
    body = tabulate(header, rows, widths, numeric=numeric) if rows else Paragraph(esc(empty), BODY)
    return [Section(title, key), body]


def key_values(pairs: Sequence[tuple[str, Flowable | str]], width: float) -> Table:
    """Label / value pairs in two columns; values that are strings are untrusted text."""
    rows = [[Paragraph(f"<b>{esc(label)}</b>", CELL), para(value, CELL) if isinstance(value, str) else value]
            for label, value in pairs]
    return Table(
        rows,
        colWidths=[1.35 * inch, width - 1.35 * inch],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ],
    )


# --- the page frame, footer and table of contents ---------------------------------------------


@dataclass(frozen=True)
class PdfMeta:
    """Title, subject and footer facts of one PDF."""

    title: str
    subject: str
    author: str
    client: str
    period: str
    digest: str
    verify_base_url: str
    generated_at: datetime
    zone: ZoneInfo


class Section(Paragraph):  # type: ignore[misc]
    """A section heading: a PDF outline entry, and a table of contents line when there is one."""

    def __init__(self, title: str, key: str) -> None:
        super().__init__(esc(title), H2)
        self.toc_title = title
        self.toc_key = key


@dataclass
class _Layout:
    toc_entries: list[tuple[str, str, int]] = field(default_factory=list)
    body_pages: int | None = None


class _TocTable(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """The table of contents, built when laid out (after the body, so its pages are known)."""

    def __init__(self, layout: _Layout) -> None:
        super().__init__()
        self.layout = layout
        self._table: Table | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # The contents page goes first, so every body page moves down by one. Only top-level
        # sections are listed (a dozen at most), so the contents always fit one page.
        rows = [
            [Paragraph(f'<link destination="{key}" color="#0b5394">{esc(title)}</link>', BODY),
             Paragraph(str(page + 1), TOC_PAGE)]
            for title, key, page in self.layout.toc_entries
        ]
        self._table = Table(rows, colWidths=[available_width - 0.8 * inch, 0.8 * inch])
        return self._table.wrap(available_width, available_height)  # type: ignore[no-any-return]

    def draw(self) -> None:
        if self._table is not None:
            self._table.drawOn(self.canv, 0, 0)


class _WhenLonger(DocIf):  # type: ignore[misc]
    """Appends the contents (a page break, then the table) when the body is longer than `pages`."""

    def __init__(self, pages: int, layout: _Layout, block: list[Flowable]) -> None:
        Flowable.__init__(self)
        self.pages = pages
        self.layout = layout
        self.blocks: tuple[list[Flowable], list[Flowable]] = ([], block)

    def funcWrap(self, available_width: float, available_height: float) -> bool:  # noqa: N802 (ReportLab's name)
        body_pages: int = self._doctemplateAttr("page")
        self.layout.body_pages = body_pages
        return body_pages > self.pages


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buffer: BytesIO, meta: PdfMeta, layout: _Layout) -> None:
        super().__init__(
            buffer,
            pagesize=PAGE_SIZE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 0.25 * inch,
            bottomMargin=MARGIN + FOOTER_HEIGHT,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            creator="GuardOps",
            producer="GuardOps (ReportLab)",
            keywords=[f"sha256:{meta.digest}"],
        )
        self.meta = meta
        self.layout = layout
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (ReportLab's name)
        if isinstance(flowable, Section) and self.layout.body_pages is None:
            self.canv.bookmarkPage(flowable.toc_key)
            self.canv.addOutlineEntry(flowable.toc_title, flowable.toc_key, level=0)
            self.layout.toc_entries.append((flowable.toc_title, flowable.toc_key, self.page))

    def _decorate(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        meta = self.meta
        width, _ = PAGE_SIZE
        left, right = MARGIN, width - MARGIN
        top = PAGE_SIZE[1] - MARGIN
        canv.saveState()
        canv.setFont("Helvetica", 7.5)
        canv.setFillColor(MUTED)
        canv.drawString(left, top, f"{meta.author} · {meta.title}"[:120])
        canv.drawRightString(right, top, f"{meta.client} · {meta.period}"[:80])
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(left, top - 4, right, top - 4)
        base = MARGIN
        url = verify_url(meta.verify_base_url, meta.digest)
        canv.line(left, base + 36, right, base + 36)
        canv.setFont("Helvetica", 7)
        generated = local(meta.generated_at, meta.zone).strftime("%Y-%m-%d %H:%M %Z")
        canv.drawString(left, base + 26, f"Covers {meta.period} · generated {generated} by GuardOps for {meta.author}")
        canv.drawString(left, base + 16, f"Content SHA-256: {meta.digest}")
        canv.drawString(left, base + 6, f"Verify this document: {url}")
        canv.linkURL(url, (left, base + 4, left + canv.stringWidth(url, "Helvetica", 7) + 80, base + 13), relative=0)
        # "page N of M" is only known at save time: see _FinalCanvas.
        canv.translate(right - _PAGE_FORM_WIDTH, base + 26)
        canv.doForm(f"page{doc.page}")
        canv.restoreState()


_PAGE_FORM_WIDTH = 80.0


def _final_canvas(layout: _Layout) -> type[Canvas]:
    class _FinalCanvas(Canvas):  # type: ignore[misc]
        def save(self) -> None:
            pages: list[Any] = self._doc.Pages.pages
            total = len(pages)
            body = layout.body_pages if layout.body_pages is not None and layout.body_pages < total else total
            contents = total - body
            if contents:
                self._doc.Pages.pages = pages[body:] + pages[:body]
            for physical in range(1, total + 1):
                number = physical + contents if physical <= body else physical - body
                self.beginForm(f"page{physical}", 0, 0, _PAGE_FORM_WIDTH, 10)
                self.setFont("Helvetica", 7)
                self.setFillColor(MUTED)
                self.drawRightString(_PAGE_FORM_WIDTH, 0, f"page {number} of {total}")
                self.endForm()
            super().save()

    return _FinalCanvas


Progress = Callable[[float, str], None]
"""Told how far a render is: a share from 0 to 1 and what it is doing ("Laying out page 12")."""


def _layout_progress(progress: Progress, start: float, flowables: int) -> Callable[[str, int], None]:
    """ReportLab's progress events (flowables placed, pages finished) as shares from `start` to 0.98."""
    done = {"flowables": 0, "page": 0}

    def on_event(kind: str, value: int) -> None:
        if kind == "PROGRESS":
            done["flowables"] = value
        elif kind == "PAGE":
            done["page"] = value
        else:
            return
        share = start + (0.98 - start) * min(done["flowables"] / max(flowables, 1), 1.0)
        progress(share, f"Laying out page {done['page'] + 1}")

    return on_event


def build_pdf(
    story: list[Flowable], meta: PdfMeta, *, contents_after: int | None = None, progress: Progress | None = None,
    progress_start: float = 0.0,
) -> bytes:
    """Lay out `story` once into PDF bytes; with `contents_after`, a longer body gets a contents page.

    `progress`, when given, is called as the layout goes (from `progress_start` to 1.0).
    """
    layout = _Layout()
    buffer = BytesIO()
    doc = _Doc(buffer, meta, layout)
    if contents_after is not None:
        contents_block: list[Flowable] = [PageBreak(), Paragraph("Contents", TITLE), _TocTable(layout)]
        story = [*story, _WhenLonger(contents_after, layout, contents_block)]
    if progress is not None:
        doc.setProgressCallBack(_layout_progress(progress, progress_start, len(story)))
    doc.build(story, canvasmaker=_final_canvas(layout))
    if progress is not None:
        progress(1.0, "Done")
    return buffer.getvalue()


def now_utc() -> datetime:
    return datetime.now(UTC)

